package component

import (
	"context"
	"testing"

	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasm"
)

// testCx returns a call context with a one-page memory and a bump
// allocator as realloc.
func testCx(t *testing.T, enc StringEncoding) *callCx {
	s := interp.NewStore(interp.Config{})
	mem, err := s.NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 1}})
	if err != nil {
		t.Fatal(err)
	}
	next := uint32(16)
	i32 := wasm.I32
	realloc := s.NewHostFunc(wasm.FuncType{Params: []wasm.ValType{i32, i32, i32, i32}, Results: []wasm.ValType{i32}},
		func(_ context.Context, a []interp.Value) ([]interp.Value, error) {
			align, size := uint32(a[2].Lo), uint32(a[3].Lo)
			p := alignTo(next, align)
			next = p + size
			return []interp.Value{i32v(p)}, nil
		})
	return &callCx{ctx: context.Background(), opts: &liveOpts{enc: enc, mem: mem, realloc: realloc}, inst: &instState{}}
}

func TestABIRoundTrip(t *testing.T) {
	vr := VariantOf(Case{"a", Prim(KindF32)}, Case{"b", Prim(KindS64)}, Case{"c", nil}, Case{"d", Prim(KindString)})
	rec := RecordOf(Field{"x", Prim(KindU8)}, Field{"y", Prim(KindF64)}, Field{"z", ListOf(Prim(KindU16))})
	fl := FlagsOf("a", "b", "c", "d", "e", "f", "g", "h", "i")
	tests := []struct {
		typ  *Type
		wave string
	}{
		{Prim(KindBool), "true"},
		{Prim(KindS8), "-3"},
		{Prim(KindU16), "65535"},
		{Prim(KindS32), "-2147483648"},
		{Prim(KindU64), "18446744073709551615"},
		{Prim(KindF32), "-1.5"},
		{Prim(KindF64), "nan"},
		{Prim(KindChar), "'λ'"},
		{Prim(KindString), `"hello, wörld 🚀"`},
		{Prim(KindString), `""`},
		{ListOf(Prim(KindString)), `["a", "bc", ""]`},
		{ListOf(ListOf(Prim(KindS8))), `[[1, -1], [], [3]]`},
		{&Type{Kind: KindFixedList, Elem: Prim(KindU32), Len: 3}, "[1, 2, 3]"},
		{rec, `{x: 1, y: 2.5, z: [7, 8]}`},
		{TupleOf(Prim(KindU8), Prim(KindString), Prim(KindF32)), `(1, "x", 0.5)`},
		{vr, "a(1.5)"},
		{vr, "b(-9)"},
		{vr, "c"},
		{vr, `d("s")`},
		{EnumOf("x", "y", "z"), "z"},
		{OptionOf(OptionOf(Prim(KindU32))), "some(none)"},
		{OptionOf(OptionOf(Prim(KindU32))), "some(some(7))"},
		{ResultOf(Prim(KindF64), Prim(KindString)), `err("bad")`},
		{ResultOf(nil, nil), "ok"},
		{fl, "{a, i}"},
		{ListOf(TupleOf(vr, fl)), `[(a(2), {b}), (d("x"), {})]`},
	}
	for _, enc := range []StringEncoding{UTF8, UTF16, Latin1UTF16} {
		for _, tt := range tests {
			cx := testCx(t, enc)
			v, err := ParseWAVE(tt.typ, tt.wave)
			if err != nil {
				t.Fatal(err)
			}
			// memory
			ptr, err := cx.realloc(0, 0, alignOf(tt.typ), sizeOf(tt.typ))
			if err != nil {
				t.Fatal(err)
			}
			if err := cx.store(tt.typ, v, ptr, 0); err != nil {
				t.Fatalf("store %s: %v", tt.wave, err)
			}
			got, err := cx.load(tt.typ, ptr, 0)
			if err != nil {
				t.Fatalf("load %s: %v", tt.wave, err)
			}
			if !got.Equal(v) {
				t.Errorf("enc %d: memory round trip of %s gave %s", enc, tt.wave, FormatWAVE(got))
			}
			// flat
			flat, err := cx.lowerFlat(tt.typ, v, nil, 0)
			if err != nil {
				t.Fatalf("lowerFlat %s: %v", tt.wave, err)
			}
			want := flatten(tt.typ, nil)
			if len(flat) != len(want) {
				t.Fatalf("lowerFlat %s: %d values, want %d", tt.wave, len(flat), len(want))
			}
			for i := range flat {
				if flat[i].Type != want[i] {
					t.Fatalf("lowerFlat %s: value %d has type %v, want %v", tt.wave, i, flat[i].Type, want[i])
				}
			}
			got, err = cx.liftFlat(tt.typ, &flatReader{vals: flat}, 0)
			if err != nil {
				t.Fatalf("liftFlat %s: %v", tt.wave, err)
			}
			if !got.Equal(v) {
				t.Errorf("enc %d: flat round trip of %s gave %s", enc, tt.wave, FormatWAVE(got))
			}
		}
	}
}

func TestABILayout(t *testing.T) {
	tests := []struct {
		typ         *Type
		size, align uint32
		flat        int
	}{
		{Prim(KindU8), 1, 1, 1},
		{Prim(KindString), 8, 4, 2},
		{RecordOf(Field{"a", Prim(KindU8)}, Field{"b", Prim(KindU32)}, Field{"c", Prim(KindU16)}), 12, 4, 3},
		{OptionOf(Prim(KindU64)), 16, 8, 2},
		{ResultOf(nil, nil), 1, 1, 1},
		{VariantOf(Case{"a", Prim(KindU8)}, Case{"b", Prim(KindF64)}), 16, 8, 2},
		{FlagsOf("a"), 1, 1, 1},
		{TupleOf(Prim(KindU8), Prim(KindU8), Prim(KindU16)), 4, 2, 3},
	}
	for _, tt := range tests {
		if s, a, f := sizeOf(tt.typ), alignOf(tt.typ), len(flatten(tt.typ, nil)); s != tt.size || a != tt.align || f != tt.flat {
			t.Errorf("%v: size %d align %d flat %d, want %d %d %d", tt.typ, s, a, f, tt.size, tt.align, tt.flat)
		}
	}
	// joined flat types of variant<f32, s64> are [i32, i64]
	j := flatten(VariantOf(Case{"a", Prim(KindF32)}, Case{"b", Prim(KindS64)}), nil)
	if len(j) != 2 || j[0] != wasm.I32 || j[1] != wasm.I64 {
		t.Errorf("joined flat: %v", j)
	}
}

func TestABITraps(t *testing.T) {
	cx := testCx(t, UTF8)
	// out of bounds string
	if _, err := cx.liftString(65530, 100); err == nil {
		t.Error("out of bounds string lifted")
	}
	// invalid UTF-8
	b, _ := cx.bytes(100, 2)
	b[0], b[1] = 0xff, 0xfe
	if _, err := cx.liftString(100, 2); err == nil {
		t.Error("invalid UTF-8 lifted")
	}
	// bad discriminant
	if _, err := cx.liftFlat(OptionOf(Prim(KindU8)), &flatReader{vals: []interp.Value{i32v(2), i32v(0)}}, 0); err == nil {
		t.Error("discriminant 2 of an option lifted")
	}
	// bad char
	if _, err := cx.liftFlat(Prim(KindChar), &flatReader{vals: []interp.Value{i32v(0xD800)}}, 0); err == nil {
		t.Error("surrogate char lifted")
	}
	// huge list
	if _, err := cx.liftList(ListOf(Prim(KindU64)), 0, 1<<30, 0); err == nil {
		t.Error("huge list lifted")
	}
	// unaligned
	if _, err := cx.load(Prim(KindU32), 3, 0); err == nil {
		t.Error("unaligned load")
	}
	// no memory
	cx.opts.mem = nil
	if _, err := cx.liftString(0, 1); err == nil {
		t.Error("string lifted without memory")
	}
}
