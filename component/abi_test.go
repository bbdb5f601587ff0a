package component

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

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

// budgetCase is a lift that must trap on the lift budget: the memory it
// sets up and the flat values describing the value (for strings and
// lists, the pointer and length).
type budgetCase struct {
	name  string
	enc   StringEncoding
	typ   *Type
	setup func(m []byte)
	flat  []uint32
	noMem bool // lift without a memory
}

// putDescs writes n (ptr, length) pairs with the given stride at off.
func putDescs(m []byte, off, n, stride, ptr, length uint32) {
	for i := uint32(0); i < n; i++ {
		binary.LittleEndian.PutUint32(m[off+i*stride:], ptr)
		binary.LittleEndian.PutUint32(m[off+i*stride+4:], length)
	}
}

// zeroSizeTree returns a zero-size type whose values have 2^(levels+1)-1
// nodes: tuple<t, t> nested levels times over tuple<>.
func zeroSizeTree(levels int) *Type {
	t := TupleOf()
	for range levels {
		t = TupleOf(t, t)
	}
	return t
}

// liftBudgetCases returns the lifts TestLiftBudget runs, each from a
// one-page memory (or none).
func liftBudgetCases() []budgetCase {
	str, u8 := Prim(KindString), Prim(KindU8)
	unit := TupleOf()
	rec := RecordOf(Field{"a", Prim(KindU32)}, Field{"b", str})
	return []budgetCase{
		// 1000 strings of 48 KiB, all the same bytes: 48 MB from one page.
		{"list<string> aliased", UTF8, ListOf(str),
			func(m []byte) { putDescs(m, 0, 1000, 8, 8192, 49152) }, []uint32{0, 1000}, false},
		{"list<string> aliased, utf16", UTF16, ListOf(str),
			func(m []byte) { putDescs(m, 0, 1000, 8, 8192, 24576) }, []uint32{0, 1000}, false},
		{"list<string> aliased, latin1", Latin1UTF16, ListOf(str),
			func(m []byte) { putDescs(m, 0, 1000, 8, 8192, 49152) }, []uint32{0, 1000}, false},
		{"list<string> aliased, tagged utf16", Latin1UTF16, ListOf(str),
			func(m []byte) { putDescs(m, 0, 1000, 8, 8192, 1<<31|24576) }, []uint32{0, 1000}, false},
		{"list<list<u8>> aliased", UTF8, ListOf(ListOf(u8)),
			func(m []byte) { putDescs(m, 0, 1000, 8, 8192, 49152) }, []uint32{0, 1000}, false},
		{"list<record{a: u32, b: string}> aliased", UTF8, ListOf(rec),
			func(m []byte) { putDescs(m, 4, 1000, 12, 16384, 40000) }, []uint32{0, 1000}, false},
		// Each inner list is within budget (one 48 KiB string); the 1000
		// outer elements all point at it.
		{"list<list<string>> nested aliasing", UTF8, ListOf(ListOf(str)),
			func(m []byte) { putDescs(m, 64, 1, 8, 8192, 49152); putDescs(m, 1024, 1000, 8, 64, 1) }, []uint32{1024, 1000}, false},
		// The outer list aliases itself: each element is the whole list.
		{"list<list<list<u8>>> self-aliased", UTF8, ListOf(ListOf(ListOf(u8))),
			func(m []byte) { putDescs(m, 0, 8000, 8, 0, 8000) }, []uint32{0, 8000}, false},
		// Zero-size elements: no memory read at all.
		{"list<tuple<>> of length 2^32-1", UTF8, ListOf(unit), nil, []uint32{0, 1<<32 - 1}, false},
		{"list<tuple<tuple<>, tuple<>>> of length 2^31", UTF8, ListOf(TupleOf(unit, unit)), nil, []uint32{64, 1 << 31}, false},
		{"list<list<tuple<>>> aliased", UTF8, ListOf(ListOf(unit)),
			func(m []byte) { putDescs(m, 0, 8000, 8, 0, 60000) }, []uint32{0, 8000}, false},
		{"list<fixed-list<tuple<>, 2^20>>", UTF8, ListOf(&Type{Kind: KindFixedList, Elem: unit, Len: 1 << 20}), nil, []uint32{0, 1}, false},
		{"list of a zero-size type with 2^41 nodes", UTF8, ListOf(zeroSizeTree(40)), nil, []uint32{0, 1}, false},
		{"fixed-list<tuple<>, 2^31>, no memory", UTF8, &Type{Kind: KindFixedList, Elem: unit, Len: 1 << 31}, nil, nil, true},
		{"zero-size type with 2^41 nodes, no memory", UTF8, zeroSizeTree(40), nil, nil, true},
	}
}

// TestLiftBudget checks that lifts whose value would be far larger than
// the guest memory (aliased strings and lists, zero-size elements) trap
// quickly, allocating little, both from flat values (liftFlat) and from
// memory (load).
func TestLiftBudget(t *testing.T) {
	const maxAlloc = 16 << 20 // bytes; the lifts below describe gigabytes to petabytes
	for _, tc := range liftBudgetCases() {
		for _, from := range []string{"flat", "memory"} {
			if from == "memory" && (tc.noMem || len(tc.flat) != 2) {
				continue
			}
			t.Run(tc.name+"/"+from, func(t *testing.T) {
				cx := testCx(t, tc.enc)
				m := cx.opts.mem.Bytes()
				if tc.setup != nil {
					tc.setup(m)
				}
				if tc.noMem {
					cx.opts.mem = nil
				}
				var ms0, ms1 runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&ms0)
				start := time.Now()
				var err error
				if from == "flat" {
					vals := make([]interp.Value, len(tc.flat))
					for i, x := range tc.flat {
						vals[i] = i32v(x)
					}
					_, err = cx.liftFlat(tc.typ, &flatReader{vals: vals}, 0)
				} else {
					const at = 65528 // the last 8 bytes, unused by the cases
					putDescs(m, at, 1, 8, tc.flat[0], tc.flat[1])
					_, err = cx.load(tc.typ, at, 0)
				}
				elapsed := time.Since(start)
				runtime.ReadMemStats(&ms1)
				if err == nil || !strings.Contains(err.Error(), "lifted value exceeds guest memory size") {
					t.Fatalf("lift: %v, want the lift budget trap", err)
				}
				var te *trapErr
				if !errors.As(err, &te) {
					t.Errorf("error %v is not a trap", err)
				}
				a := ms1.TotalAlloc - ms0.TotalAlloc
				if a > maxAlloc {
					t.Errorf("allocated %d bytes before trapping, want at most %d", a, maxAlloc)
				}
				t.Logf("trapped after %v, %d bytes allocated: %v", elapsed, a, err)
				if elapsed > time.Second {
					t.Errorf("took %v to trap", elapsed)
				}
			})
		}
	}
}

// TestLiftBudgetHonest checks that values without aliasing fit the
// budget even when they fill the whole memory, and that the budget
// covers all the values of one lift together.
func TestLiftBudgetHonest(t *testing.T) {
	str, u8 := Prim(KindString), Prim(KindU8)
	const page = 65536
	t.Run("list<u8> of the whole memory", func(t *testing.T) {
		cx := testCx(t, UTF8)
		v, err := cx.liftFlat(ListOf(u8), &flatReader{vals: []interp.Value{i32v(0), i32v(page)}}, 0)
		if b, _ := v.AsBytes(); err != nil || len(b) != page {
			t.Fatalf("lift: %d bytes, %v", len(b), err)
		}
	})
	t.Run("list<string> filling memory", func(t *testing.T) {
		// 4096 descriptors (32 KiB) of distinct 8-byte strings (32 KiB).
		cx := testCx(t, UTF8)
		m := cx.opts.mem.Bytes()
		for i := uint32(0); i < 4096; i++ {
			putDescs(m, 8*i, 1, 8, page/2+8*i, 8)
		}
		for i := page / 2; i < page; i++ {
			m[i] = 'a' + byte(i%26)
		}
		v, err := cx.liftFlat(ListOf(str), &flatReader{vals: []interp.Value{i32v(0), i32v(4096)}}, 0)
		if err != nil || len(v.Elems()) != 4096 {
			t.Fatalf("lift: %v", err)
		}
	})
	t.Run("list<list<string>> disjoint", func(t *testing.T) {
		// 100 inner lists of 10 strings of 50 bytes, all disjoint.
		cx := testCx(t, UTF16)
		m := cx.opts.mem.Bytes()
		for i := uint32(0); i < 100; i++ {
			putDescs(m, 8*i, 1, 8, 1024+80*i, 10)
			for j := uint32(0); j < 10; j++ {
				putDescs(m, 1024+80*i+8*j, 1, 8, 9216+500*i+50*j, 25)
			}
		}
		v, err := cx.liftFlat(ListOf(ListOf(str)), &flatReader{vals: []interp.Value{i32v(0), i32v(100)}}, 0)
		if err != nil || len(v.Elems()) != 100 {
			t.Fatalf("lift: %v", err)
		}
	})
	t.Run("list<tuple<>> of 30000", func(t *testing.T) {
		cx := testCx(t, UTF8)
		v, err := cx.liftFlat(ListOf(TupleOf()), &flatReader{vals: []interp.Value{i32v(0), i32v(30000)}}, 0)
		if err != nil || len(v.Elems()) != 30000 {
			t.Fatalf("lift: %v", err)
		}
	})
	t.Run("zero-size type with 2^11-1 nodes, no memory", func(t *testing.T) {
		cx := testCx(t, UTF8)
		cx.opts.mem = nil
		if _, err := cx.liftFlat(zeroSizeTree(10), &flatReader{}, 0); err != nil {
			t.Fatalf("lift: %v", err)
		}
	})
	t.Run("two whole-memory arguments of one call", func(t *testing.T) {
		// One lift (all the arguments of a call) may read the whole
		// memory once, not twice.
		cx := testCx(t, UTF8)
		lift := func() error {
			_, err := cx.liftFlat(ListOf(u8), &flatReader{vals: []interp.Value{i32v(0), i32v(page)}}, 0)
			return err
		}
		if err := lift(); err != nil {
			t.Fatalf("first argument: %v", err)
		}
		if err := lift(); err == nil || !strings.Contains(err.Error(), "exceeds guest memory size") {
			t.Fatalf("second argument: %v, want the lift budget trap", err)
		}
	})
}

// TestABISpec checks lifting against the rules of CanonicalABI.md:
// string and list byte length limits, pointer alignment, char validity,
// NaN canonicalisation, discriminant range, flags bits beyond the labels,
// booleans, integer wrapping and string decoding. Each case lifts from
// flat values (ptr and length for strings and lists), or with load from
// memory at ptr when mem is set.
func TestABISpec(t *testing.T) {
	str := Prim(KindString)
	cases300 := make([]Case, 300)
	for i := range cases300 {
		cases300[i] = Case{Name: fmt.Sprintf("c%d", i)}
	}
	v300 := VariantOf(cases300...)
	utf16le := func(us ...uint16) []byte {
		b := make([]byte, 2*len(us))
		for i, u := range us {
			binary.LittleEndian.PutUint16(b[2*i:], u)
		}
		return b
	}
	tests := []struct {
		name string
		enc  StringEncoding
		typ  *Type
		flat []interp.Value
		mem  []byte // written at 256; load from 256 (or at) when flat is nil
		at   uint32
		want string // WAVE of the value, or
		bits uint64 // the float bits wanted, or
		err  string // the error wanted
	}{
		// MAX_STRING_BYTE_LENGTH = 2^28-1, in bytes of the encoding.
		{name: "utf8 string of 2^28 bytes", typ: str, flat: []interp.Value{i32v(0), i32v(1 << 28)}, err: "string too long"},
		{name: "utf8 string of 2^28-1 bytes", typ: str, flat: []interp.Value{i32v(0), i32v(1<<28 - 1)}, err: "out of bounds"},
		{name: "utf16 string of 2^27 units", enc: UTF16, typ: str, flat: []interp.Value{i32v(0), i32v(1 << 27)}, err: "string too long"},
		{name: "utf16 string of 2^31 units", enc: UTF16, typ: str, flat: []interp.Value{i32v(0), i32v(1 << 31)}, err: "string too long"},
		{name: "latin1 string of 2^28 bytes", enc: Latin1UTF16, typ: str, flat: []interp.Value{i32v(0), i32v(1 << 28)}, err: "string too long"},
		{name: "tagged utf16 string of 2^27 units", enc: Latin1UTF16, typ: str, flat: []interp.Value{i32v(0), i32v(1<<31 | 1<<27)}, err: "string too long"},
		{name: "tagged utf16 string of 2^27-1 units", enc: Latin1UTF16, typ: str, flat: []interp.Value{i32v(0), i32v(1<<31 | (1<<27 - 1))}, err: "out of bounds"},
		// MAX_LIST_BYTE_LENGTH = 2^28-1
		{name: "list<u64> of 2^25 elements", typ: ListOf(Prim(KindU64)), flat: []interp.Value{i32v(0), i32v(1 << 25)}, err: "list too long"},
		{name: "list<u8> of 2^28 elements", typ: ListOf(Prim(KindU8)), flat: []interp.Value{i32v(0), i32v(1 << 28)}, err: "list too long"},
		{name: "list<u8> of 2^28-1 elements", typ: ListOf(Prim(KindU8)), flat: []interp.Value{i32v(0), i32v(1<<28 - 1)}, err: "out of bounds"},
		// alignment: latin1+utf16 strings are 2-aligned even when latin1
		{name: "latin1 string at odd pointer", enc: Latin1UTF16, typ: str, flat: []interp.Value{i32v(257), i32v(1)}, err: "unaligned string pointer"},
		{name: "utf16 string at odd pointer", enc: UTF16, typ: str, flat: []interp.Value{i32v(257), i32v(1)}, err: "unaligned string pointer"},
		{name: "utf8 string at odd pointer", typ: str, flat: []interp.Value{i32v(257), i32v(2)}, mem: []byte{'x', 'h', 'i'}, want: `"hi"`},
		{name: "list<u32> at pointer 2", typ: ListOf(Prim(KindU32)), flat: []interp.Value{i32v(258), i32v(1)}, err: "unaligned list pointer"},
		{name: "list<u32> at pointer 2 of length 0", typ: ListOf(Prim(KindU32)), flat: []interp.Value{i32v(258), i32v(0)}, err: "unaligned list pointer"},
		{name: "u32 at pointer 258", typ: Prim(KindU32), at: 258, err: "unaligned pointer"},
		// string decoding
		{name: "latin1", enc: Latin1UTF16, typ: str, flat: []interp.Value{i32v(256), i32v(3)}, mem: []byte{'c', 0xe9, 0xff}, want: "\"cé\u00ff\""},
		{name: "tagged utf16 pair", enc: Latin1UTF16, typ: str, flat: []interp.Value{i32v(256), i32v(1<<31 | 3)}, mem: utf16le('a', 0xd83d, 0xde00), want: `"a😀"`},
		{name: "utf16 lone high surrogate at end", enc: UTF16, typ: str, flat: []interp.Value{i32v(256), i32v(2)}, mem: utf16le('a', 0xd83d), err: "not valid UTF-16"},
		{name: "utf16 lone low surrogate", enc: UTF16, typ: str, flat: []interp.Value{i32v(256), i32v(2)}, mem: utf16le(0xde00, 'a'), err: "not valid UTF-16"},
		{name: "utf16 high surrogate then letter", enc: UTF16, typ: str, flat: []interp.Value{i32v(256), i32v(2)}, mem: utf16le(0xd83d, 'a'), err: "not valid UTF-16"},
		{name: "utf8 encoded surrogate", typ: str, flat: []interp.Value{i32v(256), i32v(3)}, mem: []byte{0xed, 0xa0, 0x80}, err: "not valid UTF-8"},
		// char
		{name: "char 0x110000", typ: Prim(KindChar), flat: []interp.Value{i32v(0x110000)}, err: "invalid char"},
		{name: "char 0xdfff", typ: Prim(KindChar), flat: []interp.Value{i32v(0xdfff)}, err: "invalid char"},
		{name: "char 0xd800 in memory", typ: Prim(KindChar), mem: []byte{0x00, 0xd8, 0, 0}, err: "invalid char"},
		{name: "char 0x10ffff", typ: Prim(KindChar), flat: []interp.Value{i32v(0x10ffff)}, want: "'\U0010ffff'"},
		{name: "char 0xe000 in memory", typ: Prim(KindChar), mem: []byte{0x00, 0xe0, 0, 0}, want: "'\ue000'"},
		// NaN canonicalisation (sign and payload discarded)
		{name: "f32 negative NaN with payload", typ: Prim(KindF32), flat: []interp.Value{{Type: wasm.F32, Lo: 0xffc00001}}, bits: 0x7fc00000},
		{name: "f32 signalling NaN in memory", typ: Prim(KindF32), mem: []byte{1, 0, 0x80, 0x7f}, bits: 0x7fc00000},
		{name: "f32 infinity", typ: Prim(KindF32), flat: []interp.Value{{Type: wasm.F32, Lo: 0xff800000}}, bits: 0xff800000},
		{name: "f64 NaN with payload", typ: Prim(KindF64), flat: []interp.Value{{Type: wasm.F64, Lo: 0x7ff8000000000001}}, bits: 0x7ff8000000000000},
		{name: "f64 negative signalling NaN in memory", typ: Prim(KindF64), mem: []byte{1, 0, 0, 0, 0, 0, 0xf0, 0xff}, bits: 0x7ff8000000000000},
		{name: "f64 negative zero", typ: Prim(KindF64), flat: []interp.Value{{Type: wasm.F64, Lo: 1 << 63}}, bits: 1 << 63},
		{name: "f32 payload of variant through i64", typ: VariantOf(Case{"a", Prim(KindF32)}, Case{"b", Prim(KindS64)}),
			flat: []interp.Value{i32v(0), {Type: wasm.I64, Lo: 0xdeadbeef_ffc00001}}, want: "a(nan)"},
		{name: "f32 payload of variant through i64, bits", typ: VariantOf(Case{"a", Prim(KindF32)}, Case{"b", Prim(KindS64)}),
			flat: []interp.Value{i32v(0), {Type: wasm.I64, Lo: 0xdeadbeef_3fc00000}}, want: "a(1.5)"},
		// discriminants
		{name: "option discriminant 2 in memory", typ: OptionOf(Prim(KindU8)), mem: []byte{2, 0}, err: "invalid discriminant"},
		{name: "result discriminant 2", typ: ResultOf(nil, nil), flat: []interp.Value{i32v(2)}, err: "invalid discriminant"},
		{name: "enum discriminant 3", typ: EnumOf("x", "y", "z"), flat: []interp.Value{i32v(3)}, err: "invalid discriminant"},
		{name: "enum discriminant 3 in memory", typ: EnumOf("x", "y", "z"), mem: []byte{3}, err: "invalid discriminant"},
		{name: "variant of 300 cases, discriminant 300 in memory", typ: v300, mem: []byte{44, 1}, err: "invalid discriminant"},
		{name: "variant of 300 cases, discriminant 299 in memory", typ: v300, mem: []byte{43, 1}, want: "c299"},
		{name: "variant of 300 cases, discriminant 2^16+1", typ: v300, flat: []interp.Value{i32v(1<<16 + 1)}, err: "invalid discriminant"},
		// flags: bits beyond the labels are ignored
		{name: "flags of 3, all bits", typ: FlagsOf("a", "b", "c"), flat: []interp.Value{i32v(0xffffffff)}, want: "{a, b, c}"},
		{name: "flags of 3, all bits in memory", typ: FlagsOf("a", "b", "c"), mem: []byte{0xfa}, want: "{b}"},
		{name: "flags of 9, all bits in memory", typ: FlagsOf("a", "b", "c", "d", "e", "f", "g", "h", "i"), mem: []byte{0x01, 0xff}, want: "{a, i}"},
		{name: "flags of 17, all bits in memory", typ: FlagsOf("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q"),
			mem: []byte{0, 0, 0xff, 0xff}, want: "{q}"},
		// booleans and integers
		{name: "bool 2 in memory", typ: Prim(KindBool), mem: []byte{2}, want: "true"},
		{name: "bool 0x100", typ: Prim(KindBool), flat: []interp.Value{i32v(0x100)}, want: "true"},
		{name: "u8 from 0x1ff", typ: Prim(KindU8), flat: []interp.Value{i32v(0x1ff)}, want: "255"},
		{name: "s8 from 0x80", typ: Prim(KindS8), flat: []interp.Value{i32v(0x80)}, want: "-128"},
		{name: "s16 from 0xffff8000", typ: Prim(KindS16), flat: []interp.Value{i32v(0xffff8000)}, want: "-32768"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cx := testCx(t, tt.enc)
			copy(cx.opts.mem.Bytes()[256:], tt.mem)
			var v Val
			var err error
			if tt.flat != nil {
				v, err = cx.liftFlat(tt.typ, &flatReader{vals: tt.flat}, 0)
			} else {
				at := tt.at
				if at == 0 {
					at = 256
				}
				v, err = cx.load(tt.typ, at, 0)
			}
			switch {
			case tt.err != "":
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %v, %v; want error %q", v, err, tt.err)
				}
				var te *trapErr
				if !errors.As(err, &te) {
					t.Errorf("error %v is not a trap", err)
				}
			case err != nil:
				t.Fatalf("lift: %v", err)
			case tt.want != "":
				if got := FormatWAVE(v); got != tt.want {
					t.Errorf("got %s, want %s", got, tt.want)
				}
			case v.bits != tt.bits:
				t.Errorf("got bits %#x, want %#x", v.bits, tt.bits)
			}
		})
	}
}

// TestABILowerString checks the bytes and (tagged) lengths lowerString
// writes in each encoding (store_string of CanonicalABI.md for a host
// string), and that they lift back.
func TestABILowerString(t *testing.T) {
	tests := []struct {
		enc   StringEncoding
		s     string
		n     uint32
		bytes []byte
	}{
		{UTF8, "héllo", 6, []byte("héllo")},
		{UTF16, "a😀", 3, []byte{'a', 0, 0x3d, 0xd8, 0x00, 0xde}},
		{UTF16, "é", 1, []byte{0xe9, 0}},
		{Latin1UTF16, "héllo\u00ff", 6, []byte{'h', 0xe9, 'l', 'l', 'o', 0xff}},
		{Latin1UTF16, "hé€", utf16Tag | 3, []byte{'h', 0, 0xe9, 0, 0xac, 0x20}},
		{Latin1UTF16, "a😀", utf16Tag | 3, []byte{'a', 0, 0x3d, 0xd8, 0x00, 0xde}},
		{Latin1UTF16, "", 0, []byte{}},
	}
	for _, tt := range tests {
		cx := testCx(t, tt.enc)
		p, n, err := cx.lowerString(tt.s)
		if err != nil {
			t.Fatalf("enc %d, %q: %v", tt.enc, tt.s, err)
		}
		if n != tt.n {
			t.Errorf("enc %d, %q: length %#x, want %#x", tt.enc, tt.s, n, tt.n)
		}
		if tt.enc != UTF8 && p%2 != 0 {
			t.Errorf("enc %d, %q: pointer %#x not 2-aligned", tt.enc, tt.s, p)
		}
		b, _ := cx.bytes(p, uint32(len(tt.bytes)))
		if string(b) != string(tt.bytes) {
			t.Errorf("enc %d, %q: bytes % x, want % x", tt.enc, tt.s, b, tt.bytes)
		}
		v, err := cx.liftString(p, n)
		if err != nil || v.AsString() != tt.s {
			t.Errorf("enc %d, %q: lifted back as %q, %v", tt.enc, tt.s, v.AsString(), err)
		}
	}
}
