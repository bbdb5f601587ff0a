package component

import (
	"context"
	"math"
	"os"
	"reflect"
	"testing"

	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasm"
)

// TestLiftScalarFastPath checks that the scalar fast path of lifting
// (liftFlatTo, used for the arguments of lowered calls and the results of
// lifted ones) gives the values, and the traps, of liftFlat.
func TestLiftScalarFastPath(t *testing.T) {
	los := []uint64{0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0xd800, 0xdfff, 0x10ffff, 0x110000,
		0x7fffffff, 0x80000000, 0xffffffff, 0x1_0000_0001, math.MaxUint64,
		0x7fc00001, 0xffc00000, 0x7f800000, // f32 NaNs, infinity
		0x7ff0000000000001, 0xfff8000000000000, 0x7ff0000000000000, // f64 NaNs, infinity
	}
	kinds := []ValKind{KindBool, KindS8, KindU8, KindS16, KindU16, KindS32, KindU32, KindS64, KindU64,
		KindF32, KindF64, KindChar}
	cx := &callCx{ctx: context.Background(), opts: &liveOpts{}}
	for _, k := range kinds {
		typ := Prim(k)
		if !isScalar(k) {
			t.Fatalf("isScalar(%v) = false", k)
		}
		vt := typ.lay().flat[0]
		for _, lo := range los {
			in := []interp.Value{{Type: vt, Lo: lo}}
			want, werr := cx.liftFlat(typ, &flatReader{vals: in}, 0)
			var got Val
			gerr := cx.liftFlatTo(&got, typ, &flatReader{vals: in})
			if (werr != nil) != (gerr != nil) {
				t.Errorf("%v from %#x: liftFlatTo error %v, liftFlat error %v", k, lo, gerr, werr)
				continue
			}
			if werr == nil && !reflect.DeepEqual(got, want) {
				t.Errorf("%v from %#x: liftFlatTo gives %#v, liftFlat %#v", k, lo, got, want)
			}
		}
		// No flat value left: both trap.
		var got Val
		if err := cx.liftFlatTo(&got, typ, &flatReader{}); err == nil {
			t.Errorf("%v from no flat value: no error", k)
		}
	}
	for _, typ := range []*Type{Prim(KindString), ListOf(Prim(KindU8)), OptionOf(Prim(KindU32)), TupleOf(Prim(KindU32))} {
		if isScalar(typ.Kind) {
			t.Errorf("isScalar(%v) = true", typ)
		}
	}
}

// TestCallPlan checks the plans of lifts and lowers: the core signature
// and the tuples of spilled parameters and results.
func TestCallPlan(t *testing.T) {
	u32, str := Prim(KindU32), Prim(KindString)
	params := func(ts ...*Type) []Param {
		ps := make([]Param, len(ts))
		for i, t := range ts {
			ps[i] = Param{Name: string(rune('a' + i)), Type: t}
		}
		return ps
	}
	many := make([]*Type, 17)
	for i := range many {
		many[i] = u32
	}
	i32 := wasm.I32
	for _, tc := range []struct {
		name           string
		ft             FuncType
		lower          bool
		params, res    int
		spillP, spillR bool
	}{
		{"add", FuncType{Params: params(u32, u32), Results: params(u32)}, false, 2, 1, false, false},
		{"echo lift", FuncType{Params: params(str), Results: params(str)}, false, 2, 1, false, true},
		{"echo lower", FuncType{Params: params(str), Results: params(str)}, true, 3, 0, false, true},
		{"17 params", FuncType{Params: params(many...)}, false, 1, 0, true, false},
		{"two results", FuncType{Results: params(u32, u32)}, false, 0, 1, false, true},
	} {
		p := newCallPlan(&tc.ft, tc.lower)
		if len(p.sig.Params) != tc.params || len(p.sig.Results) != tc.res || p.spillP != tc.spillP || p.spillR != tc.spillR {
			t.Errorf("%s: plan %v spill %v/%v, want %d params, %d results, spill %v/%v",
				tc.name, p.sig, p.spillP, p.spillR, tc.params, tc.res, tc.spillP, tc.spillR)
		}
		if (p.paramsT != nil) != tc.spillP || (p.resultsT != nil) != tc.spillR {
			t.Errorf("%s: tuples %v %v", tc.name, p.paramsT, p.resultsT)
		}
		if tc.spillP && (len(p.sig.Params) == 0 || p.sig.Params[0] != i32) {
			t.Errorf("%s: spilled parameters passed as %v", tc.name, p.sig.Params)
		}
	}
}

// TestCallAllocs bounds the allocations of component calls, so that the
// fast paths of calls.go do not silently regress: add(s32, s32) -> s32
// allocates interp's result slice and the returned []Val; echo(string)
// also realloc's result slice and the string; triple (one lift and two
// lowered calls of a host add) also the host function's arguments and
// results.
func TestCallAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts")
	}
	ctx := context.Background()
	inst := func(t *testing.T, path string, l *Linker) *Instance {
		t.Helper()
		src, err := os.ReadFile("../testdata/components/" + path)
		if err != nil {
			t.Fatal(err)
		}
		c, err := Compile(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		in, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	hosts := NewLinker()
	if err := DefineFunc2(hosts, "wasi-mindmap:interfaced-adder/add#add", func(_ context.Context, a, b int32) (int32, error) {
		return a + b, nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, fn string
		l        *Linker
		args     []Val
		want     Val
		max      float64
	}{
		{"adder-wat.component.wasm", "add", NewLinker(), []Val{S32(40), S32(2)}, S32(42), 2},
		{"echo.component.wasm", "echo", NewLinker(), []Val{String("hello, world")}, String("hello, world"), 4},
		{"link/calculator.wasm", "triple", hosts, []Val{S32(14)}, S32(42), 6},
	} {
		t.Run(tc.fn, func(t *testing.T) {
			f := inst(t, tc.path, tc.l).Func(tc.fn)
			if f == nil {
				t.Fatalf("no export %s", tc.fn)
			}
			var err error
			n := testing.AllocsPerRun(200, func() {
				var res []Val
				res, err = f.Call(ctx, tc.args...)
				if err == nil && (len(res) != 1 || !res[0].Equal(tc.want)) {
					t.Fatalf("%s = %v, want %v", tc.fn, res, tc.want)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if n > tc.max {
				t.Errorf("%s: %v allocations per call, want at most %v", tc.fn, n, tc.max)
			}
		})
	}
}
