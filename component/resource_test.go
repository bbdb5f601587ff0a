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

func TestDropResource(t *testing.T) {
	inst := instantiateFixture(t, "resources.component.wasm")
	ctx := context.Background()
	ctor := inst.Func("exports#[constructor]z")
	num := inst.Func("exports#[static]z.num-dropped")
	if ctor == nil || num == nil {
		t.Fatal("missing exports")
	}
	before, err := num.Call(ctx)
	if err != nil {
		t.Fatal(err)
	}
	z, err := ctor.Call(ctx, S32(1))
	if err != nil {
		t.Fatal(err)
	}
	if err := DropResource(ctx, z[0]); err != nil {
		t.Fatal(err)
	}
	after, err := num.Call(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after[0].AsUint() != before[0].AsUint()+1 {
		t.Fatalf("num-dropped %v -> %v", before[0], after[0])
	}
	if err := DropResource(ctx, U32(1)); err == nil {
		t.Fatal("dropped a u32")
	}
}
