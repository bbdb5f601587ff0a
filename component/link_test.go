package component

import (
	"context"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

// TestLinkComponents links components at run time in one store: the
// exports of one instance satisfy the imports of another.
func TestLinkComponents(t *testing.T) {
	ctx := context.Background()
	store := interp.NewStore(interp.Config{})

	t.Run("adder+calculator", func(t *testing.T) {
		adder, err := NewLinker().Instantiate(ctx, store, loadTestComponent(t, "interfaced-adder.component.wasm", nil))
		if err != nil {
			t.Fatal(err)
		}
		l := NewLinker()
		const iface = "wasi-mindmap:interfaced-adder/add"
		l.DefineInstance(iface, adder.Instance(iface))
		calc, err := l.Instantiate(ctx, store, loadTestComponent(t, "link/calculator.wasm", nil))
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ x, want int32 }{{7, 21}, {-5, -15}, {1 << 30, -(1 << 30)}} {
			res, err := calc.Func("triple").Call(ctx, S32(tc.x))
			if err != nil || len(res) != 1 || int32(res[0].AsInt()) != tc.want {
				t.Errorf("triple(%d) = %v, %v; want %d", tc.x, res, err, tc.want)
			}
		}
	})

	t.Run("resource provider", func(t *testing.T) {
		prov, err := NewLinker().Instantiate(ctx, store, loadTestComponent(t, "link/provider.wasm", nil))
		if err != nil {
			t.Fatal(err)
		}
		l, _, _, _ := identityLinker(t, NewResourceType("unused", nil), NewResourceType("unused", nil))
		l.DefineInstance("i", prov.Instance("i"))
		inst, err := l.Instantiate(ctx, store, loadTestComponent(t, "identity/identity.wasm", nil))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []uint32{4, 9} {
			res, err := inst.Func("round-trip").Call(ctx, U32(v))
			if err != nil || len(res) != 1 || uint32(res[0].AsUint()) != v*10 {
				t.Fatalf("round-trip(%d) = %v, %v; want %d", v, res, err, v*10)
			}
		}
		// The provider's make, called from Go, returns a handle of its
		// own resource, which identity's imported r is bound to.
		made, err := prov.Instance("i").Func("make").Call(ctx, U32(3))
		if err != nil {
			t.Fatal(err)
		}
		if _, r := made[0].Handle(); r == nil || r != prov.Resource("i#r") {
			t.Errorf("make returned a handle of %v", r)
		}
		res, err := prov.Instance("i").Func("get").Call(ctx, made[0].Borrowed())
		if err != nil || res[0].AsUint() != 30 {
			t.Errorf("get = %v, %v; want 30", res, err)
		}
		if err := DropResource(ctx, made[0]); err != nil {
			t.Error(err)
		}
	})
}
