package component

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

// loadTestComponent compiles testdata/components/<path> of the
// repository (see testdata/components/build-cm-wat.sh).
func loadTestComponent(t *testing.T, path string, patch func([]byte) []byte) *Component {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "components", path))
	if err != nil {
		t.Fatal(err)
	}
	if patch != nil {
		b = patch(b)
	}
	c, err := Compile(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// identityLinker defines the imports of identity.wasm: host resources a,
// b and r (the resource of instance i); take-b counts its calls.
func identityLinker(t *testing.T, rtR *ResourceType, makeType *ResourceType) (*Linker, *ResourceType, *ResourceType, *int) {
	l := NewLinker()
	rtA := NewResourceType("a", nil)
	rtB := NewResourceType("b", nil)
	l.DefineResource("a", rtA)
	l.DefineResource("b", rtB)
	calls := new(int)
	if err := l.DefineFunc("take-b", FuncType{Params: []Param{{"x", &Type{Kind: KindBorrow, Resource: rtB}}}},
		func(_ context.Context, args []Val) ([]Val, error) {
			*calls++
			if _, r := args[0].Handle(); r != rtB {
				t.Errorf("take-b received a handle of %v", r)
			}
			return nil, nil
		}); err != nil {
		t.Fatal(err)
	}
	i := l.Instance("i")
	i.DefineResource("r", rtR)
	vals := map[uint32]uint32{}
	next := uint32(7)
	i.DefineFunc("make", FuncType{Params: []Param{{"v", Prim(KindU32)}}, Results: []Param{{"", &Type{Kind: KindOwn, Resource: makeType}}}},
		func(_ context.Context, args []Val) ([]Val, error) {
			next++
			vals[next] = uint32(args[0].AsUint())
			return []Val{Own(makeType, next)}, nil
		})
	i.DefineFunc("get", FuncType{Params: []Param{{"x", &Type{Kind: KindBorrow, Resource: rtR}}}, Results: []Param{{"", Prim(KindU32)}}},
		func(_ context.Context, args []Val) ([]Val, error) {
			rep, _ := args[0].Handle()
			return []Val{U32(vals[rep] * 10)}, nil
		})
	return l, rtA, rtB, calls
}

// TestResourceIdentity checks that resource types are compared by
// identity: in links (a host function of an instance import must use the
// resource the host supplied for the instance's abstract resource) and
// at run time (a handle of one resource passed where another is expected
// traps).
func TestResourceIdentity(t *testing.T) {
	ctx := context.Background()
	c := loadTestComponent(t, "identity/identity.wasm", nil)
	rtR := NewResourceType("r", nil)

	l, rtA, rtB, calls := identityLinker(t, rtR, rtR)
	inst, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatal(err)
	}
	res, err := inst.Func("round-trip").Call(ctx, U32(4))
	if err != nil || len(res) != 1 || res[0].AsUint() != 40 {
		t.Fatalf("round-trip(4) = %v, %v; want 40", res, err)
	}
	if _, err := inst.Func("pass-b").Call(ctx, Borrow(rtB, 1)); err != nil || *calls != 1 {
		t.Fatalf("pass-b: %v (take-b called %d times)", err, *calls)
	}
	_, err = inst.Func("pass-a-as-b").Call(ctx, Borrow(rtA, 1))
	if err == nil || !strings.Contains(err.Error(), "is a resource a (host) handle, want resource b (host)") {
		t.Fatalf("pass-a-as-b: got %v, want a trap about the resource type", err)
	}
	if *calls != 1 {
		t.Errorf("take-b was called with the wrong handle")
	}

	// A host that types i#make with another resource than the one it
	// defines for i#r does not link.
	other := NewResourceType("other", nil)
	l2, _, _, _ := identityLinker(t, rtR, other)
	_, err = l2.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err == nil || !strings.Contains(err.Error(), `import "i#make"`) {
		t.Fatalf("instantiate with a mistyped i#make: got %v, want a link error", err)
	}

	// An instance supplied whole must also be consistent: make from one
	// resource, r another.
	l3, _, _, _ := identityLinker(t, rtR, rtR)
	helper, err := l3.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatal(err)
	}
	_ = helper
	bag := newInstance()
	bag.add("r", other)
	bag.add("make", &Func{name: "make", typ: &FuncType{Params: []Param{{"v", Prim(KindU32)}}, Results: []Param{{"", &Type{Kind: KindOwn, Resource: rtR}}}}})
	bag.add("get", &Func{name: "get", typ: &FuncType{Params: []Param{{"x", &Type{Kind: KindBorrow, Resource: rtR}}}, Results: []Param{{"", Prim(KindU32)}}}})
	l4, _, _, _ := identityLinker(t, rtR, rtR)
	l4.DefineInstance("i", bag)
	_, err = l4.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err == nil || !strings.Contains(err.Error(), `export "make": result 0: type mismatch`) {
		t.Fatalf("instantiate with an inconsistent instance: got %v, want a resource mismatch", err)
	}
}

// withValueSection inserts, before the start section (id 9) of a
// component binary, an import section importing the u32 value "base"
// and a value section (id 12) defining one u32 value encoded as v.
func withValueSection(v byte) func([]byte) []byte {
	return func(b []byte) []byte {
		pos := 8
		for pos < len(b) {
			id := b[pos]
			size, n := uint32(0), 0
			for shift := 0; ; shift += 7 {
				c := b[pos+1+n]
				n++
				size |= uint32(c&0x7f) << shift
				if c < 0x80 {
					break
				}
			}
			if id == 9 {
				imp := []byte{10, 10, 1, 0x00, 4, 'b', 'a', 's', 'e', 0x02, 0x01, 0x79}
				sec := append(imp, 12, 4, 1, 0x79, 1, v)
				return append(append(append([]byte{}, b[:pos]...), sec...), b[pos:]...)
			}
			pos += 1 + n + int(size)
		}
		panic("no start section")
	}
}

// TestStartFunction runs a component's start function with an imported
// value and a value definition as arguments and reads the value it
// exports.
func TestStartFunction(t *testing.T) {
	ctx := context.Background()
	c := loadTestComponent(t, "start/start.wasm", withValueSection(2))
	l := NewLinker()
	var logged []uint64
	l.DefineFunc("log", FuncType{Params: []Param{{"x", Prim(KindU32)}}}, func(_ context.Context, args []Val) ([]Val, error) {
		logged = append(logged, args[0].AsUint())
		return nil, nil
	})
	l.DefineValue("base", U32(40))
	inst, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatal(err)
	}
	if len(logged) != 1 || logged[0] != 40 {
		t.Errorf("start called log with %v, want [40]", logged)
	}
	if v, ok := inst.Value("sum"); !ok || v.AsUint() != 42 {
		t.Errorf("exported value sum = %v (%v), want 42", v, ok)
	}

	// A value of the wrong type, a missing value, and a malformed value
	// definition fail to instantiate.
	l.DefineValue("base", String("x"))
	if _, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), c); err == nil {
		t.Error("instantiated with a string for a u32 value import")
	}
	b, _ := os.ReadFile(filepath.Join("..", "testdata", "components", "start", "start.wasm"))
	bad := withValueSection(0x80)(b) // a LEB128 with no end
	l.DefineValue("base", U32(1))
	if cb, err := Compile(ctx, bad); err == nil {
		if _, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), cb); err == nil {
			t.Error("instantiated with a malformed value definition")
		}
	}
	l.values.remove("base")
	if _, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), c); err == nil || !strings.Contains(err.Error(), `missing import "base" (a value)`) {
		t.Errorf("instantiate without the value import: %v", err)
	}
}

// TestDecodeValue decodes value definitions of each kind.
func TestDecodeValue(t *testing.T) {
	rec := RecordOf(Field{"a", Prim(KindU8)}, Field{"b", Prim(KindString)})
	tests := []struct {
		typ  *Type
		data []byte
		want string // WAVE, or "error"
	}{
		{Prim(KindBool), []byte{1}, "true"},
		{Prim(KindBool), []byte{2}, "error"},
		{Prim(KindS8), []byte{0xff}, "-1"},
		{Prim(KindU16), []byte{0xff, 0xff, 0x03}, "65535"},
		{Prim(KindU16), []byte{0x80, 0x80, 0x04}, "error"},
		{Prim(KindS16), []byte{0x80, 0x80, 0x7e}, "-32768"},
		{Prim(KindS64), []byte{0x7f}, "-1"},
		{Prim(KindF32), []byte{0, 0, 0xc0, 0x7f}, "nan"},
		{Prim(KindF32), []byte{1, 0, 0xc0, 0x7f}, "error"},
		{Prim(KindChar), []byte("é"), "'é'"},
		{Prim(KindChar), []byte{0xc3}, "error"},
		{Prim(KindString), append([]byte{5}, "hello"...), `"hello"`},
		{ListOf(Prim(KindU32)), []byte{3, 1, 2, 3}, "[1, 2, 3]"},
		{ListOf(Prim(KindU32)), []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, "error"},
		{rec, []byte{7, 1, 'x'}, `{a: 7, b: "x"}`},
		{VariantOf(Case{"n", nil}, Case{"s", Prim(KindU8)}), []byte{1, 9}, "s(9)"},
		{VariantOf(Case{"n", nil}), []byte{1}, "error"},
		{EnumOf("x", "y"), []byte{1}, "y"},
		{FlagsOf("a", "b", "c", "d", "e", "f", "g", "h", "i"), []byte{0x81, 0x01}, "{a, h, i}"},
		{OptionOf(Prim(KindU8)), []byte{1, 4}, "some(4)"},
		{ResultOf(nil, Prim(KindU8)), []byte{1, 4}, "err(4)"},
		{ResultOf(Prim(KindU8), nil), []byte{0, 4}, "ok(4)"},
		{TupleOf(Prim(KindU8), Prim(KindBool)), []byte{1, 0, 7}, "error"},
	}
	for _, tt := range tests {
		v, err := decodeValue(tt.typ, tt.data)
		got := "error"
		if err == nil {
			got = FormatWAVE(v)
		}
		if got != tt.want {
			t.Errorf("decodeValue(%v, % x) = %s (%v), want %s", tt.typ, tt.data, got, err, tt.want)
		}
	}
}

// TestMayLeave checks the canonical ABI's may_leave rule: an instance
// whose realloc calls an import traps, and is poisoned afterwards.
func TestMayLeave(t *testing.T) {
	ctx := context.Background()
	c := loadTestComponent(t, "mayleave/mayleave.wasm", nil)
	l := NewLinker()
	calls := 0
	l.DefineFunc("log", FuncType{}, func(context.Context, []Val) ([]Val, error) { calls++; return nil, nil })
	inst, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Func("ping").Call(ctx); err != nil || calls != 1 {
		t.Fatalf("ping: %v (log called %d times)", err, calls)
	}
	_, err = inst.Func("take").Call(ctx, String("hello"))
	if err == nil || !strings.Contains(err.Error(), "cannot leave component instance") {
		t.Fatalf("take: got %v, want a may_leave trap", err)
	}
	if calls != 1 {
		t.Errorf("log ran during realloc")
	}
	if _, err := inst.Func("ping").Call(ctx); err == nil || !strings.Contains(err.Error(), "cannot enter component instance") {
		t.Errorf("ping after the trap: %v, want the instance poisoned", err)
	}
}

// TestWrongHandleArgument checks that a handle of the wrong resource
// type passed by the host to an export is refused before the instance is
// entered, so the instance stays usable.
func TestWrongHandleArgument(t *testing.T) {
	ctx := context.Background()
	inst := instantiateFixture(t, "resources.component.wasm")
	z, err := inst.Func("exports#[constructor]z").Call(ctx, S32(1234))
	if err != nil {
		t.Fatal(err)
	}
	_, err = inst.Func("exports#[method]x.get-a").Call(ctx, z[0].Borrowed())
	if err == nil || !strings.Contains(err.Error(), "expected a handle of resource") {
		t.Fatalf("x.get-a(borrow of a z): got %v, want a resource type error", err)
	}
	_, err = inst.Func("exports#[method]x.get-a").Call(ctx, Borrow(nil, 1))
	if err == nil || !strings.Contains(err.Error(), "untyped handle") {
		t.Fatalf("x.get-a(untyped borrow): got %v, want a resource type error", err)
	}
	x, err := inst.Func("exports#[constructor]x").Call(ctx, S32(5))
	if err != nil {
		t.Fatalf("the instance is not usable after the refused call: %v", err)
	}
	res, err := inst.Func("exports#[method]x.get-a").Call(ctx, x[0].Borrowed())
	if err != nil || len(res) != 1 || res[0].AsInt() != 5 {
		t.Fatalf("x.get-a = %v, %v; want 5", res, err)
	}
}
