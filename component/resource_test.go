package component

import (
	"context"
	"testing"

	"github.com/gowasm/gowasm/interp"
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

func TestResourceFixtures(t *testing.T) {
	ctx := context.Background()
	t.Run("borrow-export", func(t *testing.T) {
		inst := instantiateFixture(t, "resource_borrow_export.component.wasm")
		th, err := inst.Func("test:resource-borrow-export/test#[constructor]thing").Call(ctx, U32(7))
		if err != nil {
			t.Fatal(err)
		}
		res, err := inst.Func("test:resource-borrow-export/test#foo").Call(ctx, th[0].Borrowed())
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("foo(thing(7)) = %v", res[0])
		if err := DropResource(ctx, th[0]); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("with-lists", func(t *testing.T) {
		// The guest's exported thing wraps the imported one, implemented here.
		c := loadFixture(t, "resource_with_lists.component.wasm")
		imps, err := c.Imports()
		if err != nil {
			t.Fatal(err)
		}
		const iface = "test:resource-with-lists/test"
		things := map[uint32][]byte{}
		dropped := 0
		rt := NewResourceType("thing", func(_ context.Context, rep uint32) error {
			delete(things, rep)
			dropped++
			return nil
		})
		l := stdioLinker(t, "0.2.0")
		l.DefineResource(iface+"#thing", rt)
		for _, im := range imps {
			if im.Name != iface {
				continue
			}
			ex := im.Desc.Instance.Exports
			l.DefineFunc(iface+"#[constructor]thing", *ex["[constructor]thing"].Func, func(_ context.Context, a []Val) ([]Val, error) {
				b, _ := a[0].AsBytes()
				rep := uint32(len(things) + 100)
				things[rep] = append([]byte(nil), b...)
				return []Val{Own(rt, rep)}, nil
			})
			l.DefineFunc(iface+"#[method]thing.foo", *ex["[method]thing.foo"].Func, func(_ context.Context, a []Val) ([]Val, error) {
				rep, _ := a[0].Handle()
				return []Val{Bytes(things[rep])}, nil
			})
			l.DefineFunc(iface+"#[method]thing.bar", *ex["[method]thing.bar"].Func, func(_ context.Context, a []Val) ([]Val, error) {
				rep, _ := a[0].Handle()
				b, _ := a[1].AsBytes()
				things[rep] = append([]byte(nil), b...)
				return nil, nil
			})
			l.DefineFunc(iface+"#[static]thing.baz", *ex["[static]thing.baz"].Func, func(_ context.Context, a []Val) ([]Val, error) {
				return a, nil
			})
		}
		inst, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
		if err != nil {
			t.Fatal(err)
		}
		th, err := inst.Func("test:resource-with-lists/test#[constructor]thing").Call(ctx, Bytes([]byte("hi")))
		if err != nil {
			t.Fatal(err)
		}
		res, err := inst.Func("test:resource-with-lists/test#[method]thing.foo").Call(ctx, th[0].Borrowed())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := res[0].AsBytes()
		t.Logf("foo = %q", b)
		if _, err := inst.Func("test:resource-with-lists/test#[method]thing.bar").Call(ctx, th[0].Borrowed(), Bytes([]byte("x"))); err != nil {
			t.Fatal(err)
		}
		res, err = inst.Func("test:resource-with-lists/test#[static]thing.baz").Call(ctx, Bytes([]byte("abc")))
		if err != nil {
			t.Fatal(err)
		}
		b, _ = res[0].AsBytes()
		t.Logf("baz = %q", b)
		if err := DropResource(ctx, th[0]); err != nil {
			t.Fatal(err)
		}
		if dropped != 1 || len(things) != 0 {
			t.Fatalf("host resource not dropped: %d, %v", dropped, things)
		}
	})
}

func ptr(v Val) *Val { return &v }
