package interp

import (
	"errors"
	"math"

	"github.com/gowasm/gowasm/wasm"
)

// errTruncated is raised (as a panic caught by the translator) when a body
// ends early; validated code never does.
var errTruncated = errors.New("unexpected end of code")

// reader reads the binary format of function bodies and constant
// expressions. The code has been validated, so it only guards against
// running off the end.
type reader struct {
	b []byte
	p int
}

func (r *reader) byte() byte {
	if r.p >= len(r.b) {
		panic(errTruncated)
	}
	c := r.b[r.p]
	r.p++
	return c
}

func (r *reader) u64() uint64 {
	var v uint64
	var s uint
	for {
		c := r.byte()
		if s < 64 {
			v |= uint64(c&0x7F) << s
		}
		s += 7
		if c < 0x80 {
			return v
		}
	}
}

func (r *reader) u32() uint32 { return uint32(r.u64()) }

func (r *reader) s64() int64 {
	var v int64
	var s uint
	var c byte
	for {
		c = r.byte()
		if s < 64 {
			v |= int64(c&0x7F) << s
		}
		s += 7
		if c < 0x80 {
			break
		}
	}
	if s < 64 && c&0x40 != 0 {
		v |= -1 << s
	}
	return v
}

func (r *reader) fixed(n int) []byte {
	if r.p+n > len(r.b) {
		panic(errTruncated)
	}
	b := r.b[r.p : r.p+n]
	r.p += n
	return b
}

func (r *reader) heapType() wasm.HeapType {
	v := r.s64()
	if v >= 0 {
		return wasm.HeapType{Kind: wasm.HeapIndex, Index: uint32(v)}
	}
	return wasm.HeapType{Kind: wasm.HeapKind(byte(v) & 0x7F)}
}

func (r *reader) valType() wasm.ValType {
	c := r.byte()
	switch c {
	case 0x7F, 0x7E, 0x7D, 0x7C, 0x7B:
		return wasm.ValType{Kind: wasm.ValKind(c)}
	case 0x63, 0x64:
		return wasm.ValType{Kind: wasm.KindRef, Nullable: c == 0x63, Heap: r.heapType()}
	default:
		return wasm.ValType{Kind: wasm.KindRef, Nullable: true, Heap: wasm.HeapType{Kind: wasm.HeapKind(c)}}
	}
}

// dins is one decoded instruction.
type dins struct {
	op      wasm.Opcode
	x, y    uint32
	labels  []uint32
	params  []wasm.ValType
	results []wasm.ValType
	off     uint64 // memarg offset
	mem     uint32 // memarg memory
	c       uint64
	v       [16]byte
	lane    byte
	heap    wasm.HeapType
	heap2   wasm.HeapType
	types   []wasm.ValType
	catches []wasm.CatchClause
}

var oneType [256][]wasm.ValType

func init() {
	for _, k := range []wasm.ValKind{wasm.KindI32, wasm.KindI64, wasm.KindF32, wasm.KindF64, wasm.KindV128} {
		oneType[k] = []wasm.ValType{{Kind: k}}
	}
	oneType[0x70] = []wasm.ValType{wasm.FuncRef}
	oneType[0x6F] = []wasm.ValType{wasm.ExternRef}
}

// blockType reads a block type.
func (r *reader) blockType(m *wasm.Module, d *dins) {
	c := r.b[r.p]
	d.params = nil
	d.results = nil
	switch {
	case c == 0x40:
		r.p++
	case c == 0x63 || c == 0x64 || (c >= 0x69 && c <= 0x7F):
		t := r.valType()
		if t.Kind != wasm.KindRef && oneType[t.Kind] != nil {
			d.results = oneType[t.Kind]
		} else if t == wasm.FuncRef {
			d.results = oneType[0x70]
		} else if t == wasm.ExternRef {
			d.results = oneType[0x6F]
		} else {
			d.results = []wasm.ValType{t}
		}
	default:
		ft := m.FuncTypeAt(uint32(r.s64()))
		if ft == nil {
			panic(errors.New("bad block type"))
		}
		d.params, d.results = ft.Params, ft.Results
	}
}

func (r *reader) memArg(d *dins) {
	a := r.u32()
	d.mem = 0
	if a&0x40 != 0 {
		d.mem = r.u32()
	}
	d.off = r.u64()
}

// next decodes the instruction at r.
func (r *reader) next(m *wasm.Module, d *dins) {
	b := r.byte()
	d.op = wasm.Opcode(b)
	switch {
	case b == 0x02 || b == 0x03 || b == 0x04 || b == 0x06: // block, loop, if, try
		r.blockType(m, d)
	case b == 0x1F: // try_table
		r.blockType(m, d)
		n := r.u32()
		d.catches = d.catches[:0]
		for i := uint32(0); i < n; i++ {
			c := wasm.CatchClause{Kind: wasm.CatchKind(r.byte())}
			if c.Kind == wasm.Catch || c.Kind == wasm.CatchRef {
				c.Tag = r.u32()
			}
			c.Label = r.u32()
			d.catches = append(d.catches, c)
		}
	case b == 0x0C || b == 0x0D || b == 0x10 || b == 0x12 || b == 0x14 || b == 0x15 || b == 0xD2 || b == 0xD5 || b == 0xD6 ||
		(b >= 0x20 && b <= 0x26) || b == 0x08 ||
		b == 0x07 || b == 0x09 || b == 0x18: // catch, rethrow, delegate
		d.x = r.u32()
	case b == 0x0E:
		n := r.u32()
		d.labels = d.labels[:0]
		for i := uint32(0); i < n; i++ {
			d.labels = append(d.labels, r.u32())
		}
		d.x = r.u32()
	case b == 0x11 || b == 0x13:
		d.x = r.u32()
		d.y = r.u32()
	case b == 0x1C:
		n := r.u32()
		d.types = d.types[:0]
		for i := uint32(0); i < n; i++ {
			d.types = append(d.types, r.valType())
		}
	case b >= 0x28 && b <= 0x3E:
		r.memArg(d)
	case b == 0x3F || b == 0x40:
		d.x = r.u32()
	case b == 0x41:
		d.c = uint64(uint32(int32(r.s64())))
	case b == 0x42:
		d.c = uint64(r.s64())
	case b == 0x43:
		f := r.fixed(4)
		d.c = uint64(uint32(f[0]) | uint32(f[1])<<8 | uint32(f[2])<<16 | uint32(f[3])<<24)
	case b == 0x44:
		f := r.fixed(8)
		var v uint64
		for i := 7; i >= 0; i-- {
			v = v<<8 | uint64(f[i])
		}
		d.c = v
	case b == 0xD0:
		d.heap = r.heapType()
	case b == 0xFB:
		sub := r.u32()
		d.op = wasm.PrefixedOp(0xFB, sub)
		switch {
		case sub <= 5 || sub == 8 || sub == 9 || sub == 10 || (sub >= 17 && sub <= 19):
			d.x = r.u32()
			if sub >= 2 && sub <= 5 || sub >= 8 {
				d.y = r.u32()
			}
		case sub >= 6 && sub <= 14 || sub == 16:
			d.x = r.u32()
		case sub >= 20 && sub <= 23:
			d.heap = r.heapType()
		case sub == 24 || sub == 25:
			d.c = uint64(r.byte())
			d.x = r.u32()
			d.heap = r.heapType()
			d.heap2 = r.heapType()
		}
	case b == 0xFC:
		sub := r.u32()
		d.op = wasm.PrefixedOp(0xFC, sub)
		switch sub {
		case 8, 12, 14, 10:
			d.x = r.u32()
			d.y = r.u32()
		case 9, 11, 13, 15, 16, 17:
			d.x = r.u32()
		}
	case b == 0xFD:
		sub := r.u32()
		d.op = wasm.PrefixedOp(0xFD, sub)
		switch {
		case sub <= 11 || sub == 92 || sub == 93:
			r.memArg(d)
		case sub == 12 || sub == 13:
			copy(d.v[:], r.fixed(16))
		case sub >= 21 && sub <= 34:
			d.lane = r.byte()
		case sub >= 84 && sub <= 91:
			r.memArg(d)
			d.lane = r.byte()
		}
	}
}

func f32bits(x uint64) float32 { return math.Float32frombits(uint32(x)) }
func f64bits(x uint64) float64 { return math.Float64frombits(x) }
