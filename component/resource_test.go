package component

import (
	"context"
	"testing"
)

func TestResources(t *testing.T) {
	inst := instantiateFixture(t, "resources.component.wasm")
	ctx := context.Background()
	call := func(name string, args ...Val) []Val {
		t.Helper()
		f := inst.Func(name)
		if f == nil {
			t.Fatalf("no export %s", name)
		}
		res, err := f.Call(ctx, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return res
	}
	x := call("exports#[constructor]x", S32(5))[0]
	if x.Kind != KindOwn {
		t.Fatalf("constructor returned %v", x)
	}
	if got := call("exports#[method]x.get-a", x.Borrowed())[0].AsInt(); got != 5 {
		t.Fatalf("get-a = %d", got)
	}
	call("exports#[method]x.set-a", x.Borrowed(), S32(7))
	if got := call("exports#[method]x.get-a", x.Borrowed())[0].AsInt(); got != 7 {
		t.Fatalf("get-a after set-a = %d", got)
	}
	y := call("exports#[static]x.add", x, S32(3))[0]
	if got := call("exports#[method]x.get-a", y.Borrowed())[0].AsInt(); got != 10 {
		t.Fatalf("add = %d", got)
	}
}
