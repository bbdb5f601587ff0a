package component

import (
	"context"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasm"
)

// liftFuzzTypes returns the types FuzzLiftFromMemory lifts (handles are
// left out: lifting them needs an instance's handle tables). It is a
// function, not a variable, because Prim's table is filled by an init
// function, after package variables are initialised.
func liftFuzzTypes() []*Type {
	str := Prim(KindString)
	flags40 := make([]string, 40)
	for i := range flags40 {
		flags40[i] = fmt.Sprintf("f%d", i)
	}
	return []*Type{
		str,
		ListOf(Prim(KindU8)),
		ListOf(str),
		RecordOf(Field{"a", Prim(KindU32)}, Field{"b", str}),
		VariantOf(Case{"a", Prim(KindF32)}, Case{"b", Prim(KindS64)}, Case{"c", nil}, Case{"d", str}, Case{"e", ListOf(Prim(KindU16))}),
		OptionOf(ResultOf(str, Prim(KindU32))),
		FlagsOf(flags40...),
		ListOf(TupleOf(Prim(KindChar), OptionOf(str), Prim(KindBool), Prim(KindF64))),
		ListOf(ListOf(str)),
		EnumOf("x", "y", "z"),
		&Type{Kind: KindFixedList, Elem: str, Len: 3},
		// for the lift budget: zero-size elements, nesting, records
		ListOf(TupleOf()),
		ListOf(ListOf(Prim(KindU8))),
		ListOf(ListOf(ListOf(Prim(KindU8)))),
		ListOf(RecordOf(Field{"a", Prim(KindU32)}, Field{"b", str})),
		ListOf(zeroSizeTree(30)),
		&Type{Kind: KindFixedList, Elem: TupleOf(), Len: 1 << 30},
		ListOf(&Type{Kind: KindFixedList, Elem: TupleOf(TupleOf()), Len: 100}),
	}
}

// liftedSize measures what the host allocated for a lifted value: one
// unit per value, plus the bytes of its strings and byte lists and the
// names of its record fields and set flags.
func liftedSize(v Val) uint64 {
	n := 1 + uint64(len(v.str)+len(v.bytes)+len(v.names))
	for _, e := range v.elems {
		n += liftedSize(e)
	}
	return n
}

// maxLiftedSize bounds liftedSize for a lift from a memory of memLen
// bytes: a budget unit makes at most a few host units with the types of
// liftFuzzTypes (a latin1 byte becomes up to 2 UTF-8 bytes; a list
// element of n bytes at most a few values), plus the part of the value
// outside memory (bounded by the types).
func maxLiftedSize(memLen int) uint64 { return 8*(uint64(memLen)+liftSlack) + 1000 }

// fuzzMem is one page of memory, reused by the calls of the fuzz function
// in a process (they run one at a time).
var fuzzMem *interp.Memory

// FuzzLiftFromMemory lifts values of the types above from fuzzer-provided
// guest memory at a fuzzer-provided pointer (cx.load), and from
// fuzzer-provided flat core values (cx.liftFlat, whose strings and lists
// point into the same memory), in each string encoding. Lifting must
// return an error or a value, never panic, and the value must be no
// larger than maxLiftedSize of the memory (the lift budget).
func FuzzLiftFromMemory(f *testing.F) {
	le := binary.LittleEndian
	types := liftFuzzTypes()
	// Seeds: a string "hi" at 16 described at 0; a record {a: 7, b: "hi"}
	// at 0; a list of two strings; a variant case d("hi"); a bad
	// discriminant; an out-of-bounds string; some(ok("hi")); UTF-16 and
	// latin1+UTF-16 strings; flags with every bit set.
	mem := make([]byte, 64)
	le.PutUint32(mem[0:], 16)
	le.PutUint32(mem[4:], 2)
	copy(mem[16:], "hi")
	flat := make([]byte, 16)
	le.PutUint64(flat[0:], 16)
	le.PutUint64(flat[8:], 2)
	for ti := range types {
		f.Add(uint8(ti), uint8(0), uint32(0), mem, flat)
	}
	rec := make([]byte, 64)
	le.PutUint32(rec[0:], 7)
	le.PutUint32(rec[4:], 16)
	le.PutUint32(rec[8:], 2)
	copy(rec[16:], "hi")
	f.Add(uint8(3), uint8(0), uint32(0), rec, flat)
	lst := make([]byte, 64)
	le.PutUint32(lst[0:], 8)
	le.PutUint32(lst[4:], 2)
	le.PutUint32(lst[8:], 32)
	le.PutUint32(lst[12:], 2)
	le.PutUint32(lst[16:], 34)
	le.PutUint32(lst[20:], 1)
	copy(lst[32:], "abc")
	f.Add(uint8(2), uint8(0), uint32(0), lst, flat)
	f.Add(uint8(8), uint8(2), uint32(0), lst, []byte{0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0})
	vr := make([]byte, 64)
	vr[0] = 3
	le.PutUint32(vr[8:], 32)
	le.PutUint32(vr[12:], 2)
	copy(vr[32:], "hi")
	f.Add(uint8(4), uint8(0), uint32(0), vr, []byte{3, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0, 0, 0, 0, 0, 2})
	f.Add(uint8(4), uint8(0), uint32(0), []byte{9}, []byte{9})
	f.Add(uint8(0), uint8(0), uint32(0xfffffff8), mem, []byte{0xf8, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0x10})
	opt := make([]byte, 64) // some(ok("hi"))
	opt[0] = 1
	le.PutUint32(opt[8:], 32)
	le.PutUint32(opt[12:], 2)
	copy(opt[32:], "hi")
	f.Add(uint8(5), uint8(0), uint32(0), opt, []byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0, 0, 0, 0, 0, 2})
	u16 := make([]byte, 64)
	le.PutUint32(u16[0:], 16)
	le.PutUint32(u16[4:], 1<<31|2)
	copy(u16[16:], []byte{'h', 0, 0x3d, 0xd8})
	f.Add(uint8(5), uint8(1), uint32(0), u16, flat)
	f.Add(uint8(0), uint8(2), uint32(0), u16, []byte{16, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0x80})
	f.Add(uint8(6), uint8(0), uint32(4), []byte{0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff}, []byte{0xff, 0xff, 0xff, 0xff, 0xff})
	// Lift budget: a list<tuple<>> of 2^32-1 elements; lists of lists
	// aliasing themselves (each element is the whole list).
	f.Add(uint8(11), uint8(0), uint32(0), []byte{0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff})
	self := make([]byte, 4096)
	for i := 0; i < len(self); i += 8 {
		le.PutUint32(self[i:], 0)
		le.PutUint32(self[i+4:], 512)
	}
	f.Add(uint8(12), uint8(0), uint32(0), self, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 2})
	f.Add(uint8(13), uint8(0), uint32(0), self, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 2})
	f.Add(uint8(8), uint8(0), uint32(0), self, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 2})
	f.Add(uint8(15), uint8(0), uint32(0), []byte{0, 0, 0, 0, 1}, []byte{0, 0, 0, 0, 0, 0, 0, 0, 1})

	f.Fuzz(func(t *testing.T, ti, enc uint8, ptr uint32, data, flatBytes []byte) {
		if fuzzMem == nil {
			s := interp.NewStore(interp.Config{})
			m, err := s.NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 1, Max: 1, HasMax: true}})
			if err != nil {
				t.Fatal(err)
			}
			fuzzMem = m
		}
		b := fuzzMem.Bytes()
		clear(b[copy(b, data):])
		typ := types[int(ti)%len(types)]
		cx := &callCx{ctx: context.Background(),
			opts: &liveOpts{enc: StringEncoding(enc % 3), mem: fuzzMem}, inst: &instState{}}

		if v, err := cx.load(typ, ptr, 0); err == nil {
			if n := liftedSize(v); n > maxLiftedSize(len(b)) {
				t.Fatalf("load of %v: lifted value of size %d from a memory of %d bytes", typ, n, len(b))
			}
			_ = FormatWAVE(v)
		}

		fts := flatten(typ, nil)
		vals := make([]interp.Value, len(fts))
		for i, ft := range fts {
			var x uint64
			if len(flatBytes) >= 8*(i+1) {
				x = le.Uint64(flatBytes[8*i:])
			} else if len(flatBytes) > 8*i {
				var w [8]byte
				copy(w[:], flatBytes[8*i:])
				x = le.Uint64(w[:])
			}
			if ft == wasm.I32 || ft == wasm.F32 {
				x = uint64(uint32(x))
			}
			vals[i] = interp.Value{Type: ft, Lo: x}
		}
		cx.lifted = 0 // a new lift
		if v, err := cx.liftFlat(typ, &flatReader{vals: vals}, 0); err == nil {
			if n := liftedSize(v); n > maxLiftedSize(len(b)) {
				t.Fatalf("liftFlat of %v: lifted value of size %d from a memory of %d bytes", typ, n, len(b))
			}
			_ = FormatWAVE(v)
		}
	})
}
