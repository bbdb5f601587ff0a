package binary

import (
	"fmt"

	"github.com/gowasm/gowasm/wasm"
)

// ReadInstr decodes one instruction at the reader's position, using the
// opcode table (Opcode.Info) to know which immediates follow. It allocates
// only for the label list of br_table and the types of a typed select.
func ReadInstr(r *Reader) (wasm.Instr, error) {
	var in wasm.Instr
	err := ReadInstrTo(r, &in)
	return in, err
}

// ReadInstrTo is like ReadInstr but decodes into *in, which it overwrites
// entirely. It reuses the backing arrays of in.Labels and in.Types when
// they are large enough, so a loop that decodes a whole body into the same
// Instr does not allocate; those fields are then empty but possibly
// non-nil for instructions without such immediates. The caller must not
// keep in.Labels or in.Types across calls.
func ReadInstrTo(r *Reader, in *wasm.Instr) error {
	// Reset the fields one by one: cheaper than assigning a whole Instr,
	// and the backing arrays of Labels and Types are kept for reuse.
	in.Block = wasm.BlockType{}
	in.X, in.Y = 0, 0
	in.Labels = in.Labels[:0]
	in.Mem = wasm.MemArg{}
	in.Const = 0
	in.V128 = [16]byte{}
	in.Lane = 0
	in.Types = in.Types[:0]
	in.Heap, in.Heap2 = wasm.HeapType{}, wasm.HeapType{}
	in.Flags = 0
	if in.Catches != nil { // rarely set: skip the pointer store otherwise
		in.Catches = nil
	}
	labels, types := in.Labels, in.Types
	start := r.pos
	if r.pos >= len(r.b) {
		return r.eof()
	}
	c := r.b[r.pos]
	r.pos++
	op := wasm.Opcode(c)
	if c >= 0xFB && c <= 0xFE {
		sub, err := r.U32()
		if err != nil {
			return err
		}
		if sub > 0xFFFF {
			return r.errAt(start, fmt.Sprintf("illegal opcode %02x %d", c, sub))
		}
		op = wasm.PrefixedOp(c, sub)
	}
	info := op.Info()
	if info == nil {
		if op.Prefix() != 0 {
			return r.errAt(start, fmt.Sprintf("illegal opcode %02x %d", op.Prefix(), op.Sub()))
		}
		return r.errAt(start, fmt.Sprintf("illegal opcode %02x", c))
	}
	in.Op = op
	var err error
	switch info.Imm {
	case wasm.ImmNone:
	case wasm.ImmBlockType:
		in.Block, err = r.BlockType()
	case wasm.ImmLabel, wasm.ImmFunc, wasm.ImmLocal, wasm.ImmGlobal, wasm.ImmTable,
		wasm.ImmMemory, wasm.ImmData, wasm.ImmElem, wasm.ImmType, wasm.ImmTag:
		if p := r.pos; p < len(r.b) && r.b[p] < 0x80 { // fast path of U32
			in.X = uint32(r.b[p])
			r.pos = p + 1
		} else {
			in.X, err = r.u32Slow()
		}
	case wasm.ImmCallIndirect, wasm.ImmMemoryInit, wasm.ImmMemoryCopy, wasm.ImmTableInit,
		wasm.ImmTableCopy, wasm.ImmTypeField, wasm.ImmTypeN, wasm.ImmTypeData,
		wasm.ImmTypeElem, wasm.ImmTypeType:
		if in.X, err = r.U32(); err == nil {
			in.Y, err = r.U32()
		}
	case wasm.ImmBrTable:
		var n int
		if n, err = r.Count(1); err != nil {
			return err
		}
		if cap(labels) < n {
			labels = make([]uint32, n)
		}
		labels = labels[:n]
		for i := range labels {
			if labels[i], err = r.U32(); err != nil {
				return err
			}
		}
		in.Labels = labels
		in.X, err = r.U32()
	case wasm.ImmMemArg:
		in.Mem, err = r.memArg()
	case wasm.ImmMemArgLane:
		if in.Mem, err = r.memArg(); err == nil {
			in.Lane, err = r.Byte()
		}
	case wasm.ImmLane:
		in.Lane, err = r.Byte()
	case wasm.ImmI32:
		var v int32
		if p := r.pos; p < len(r.b) && r.b[p] < 0x80 { // fast path of S32
			v = int32(int8(r.b[p]<<1) >> 1)
			r.pos = p + 1
		} else {
			v, err = r.s32Slow()
		}
		in.Const = uint64(uint32(v))
	case wasm.ImmI64:
		var v int64
		v, err = r.S64()
		in.Const = uint64(v)
	case wasm.ImmF32:
		var v uint32
		v, err = r.F32()
		in.Const = uint64(v)
	case wasm.ImmF64:
		in.Const, err = r.F64()
	case wasm.ImmV128, wasm.ImmShuffle:
		if len(r.b)-r.pos < 16 {
			return r.eof()
		}
		copy(in.V128[:], r.b[r.pos:])
		r.pos += 16
	case wasm.ImmSelectT:
		var n int
		if n, err = r.Count(1); err != nil {
			return err
		}
		if cap(types) < n {
			types = make([]wasm.ValType, n)
		}
		types = types[:n]
		for i := range types {
			if types[i], err = r.ValType(); err != nil {
				return err
			}
		}
		in.Types = types
	case wasm.ImmHeapType:
		in.Heap, err = r.HeapType()
	case wasm.ImmRefTest:
		in.Heap, err = r.HeapType()
		if op == wasm.OpRefTestNull || op == wasm.OpRefCastNull {
			in.Flags = 1
		}
	case wasm.ImmBrOnCast:
		fpos := r.pos
		if in.Flags, err = r.Byte(); err != nil {
			return err
		}
		if in.Flags > 3 {
			return r.errAt(fpos, "malformed br_on_cast flags")
		}
		if in.X, err = r.U32(); err != nil {
			return err
		}
		if in.Heap, err = r.HeapType(); err != nil {
			return err
		}
		in.Heap2, err = r.HeapType()
	case wasm.ImmTryTable:
		if in.Block, err = r.BlockType(); err != nil {
			return err
		}
		var n int
		if n, err = r.Count(2); err != nil {
			return err
		}
		in.Catches = make([]wasm.CatchClause, n)
		for i := range in.Catches {
			cl := &in.Catches[i]
			kpos := r.pos
			var k byte
			if k, err = r.Byte(); err != nil {
				return err
			}
			if k > 3 {
				return r.errAt(kpos, "malformed catch clause")
			}
			cl.Kind = wasm.CatchKind(k)
			if cl.Kind == wasm.Catch || cl.Kind == wasm.CatchRef {
				if cl.Tag, err = r.U32(); err != nil {
					return err
				}
			}
			if cl.Label, err = r.U32(); err != nil {
				return err
			}
		}
	default:
		return r.errAt(start, fmt.Sprintf("unsupported immediate kind %d for %s", info.Imm, info.Name))
	}
	return err
}

// memArg reads a memory argument: alignment flags (bit 6 set means a
// memory index follows), the optional memory index and a u64 offset.
func (r *Reader) memArg() (wasm.MemArg, error) {
	var m wasm.MemArg
	start := r.pos
	var flags uint32
	if p := r.pos; p < len(r.b) && r.b[p] < 0x40 { // common case: one byte, no memory index
		flags = uint32(r.b[p])
		r.pos = p + 1
	} else {
		var err error
		if flags, err = r.U32(); err != nil {
			return m, err
		}
	}
	if flags >= 0x80 {
		return m, r.errAt(start, "malformed memop flags")
	}
	if flags&0x40 != 0 {
		var err error
		if m.Mem, err = r.U32(); err != nil {
			return m, err
		}
	}
	m.Align = flags &^ 0x40
	if p := r.pos; p < len(r.b) && r.b[p] < 0x80 {
		m.Offset = uint64(r.b[p])
		r.pos = p + 1
		return m, nil
	}
	var err error
	m.Offset, err = r.uleb(64)
	return m, err
}

// AppendInstr appends the binary encoding of in. The memory index of a
// memory argument is written only when it is not 0.
func AppendInstr(dst []byte, in *wasm.Instr) []byte {
	op := in.Op
	if p := op.Prefix(); p != 0 {
		dst = append(dst, p)
		dst = AppendU32(dst, op.Sub())
	} else {
		dst = append(dst, byte(op))
	}
	info := op.Info()
	if info == nil {
		return dst
	}
	switch info.Imm {
	case wasm.ImmBlockType:
		dst = AppendBlockType(dst, in.Block)
	case wasm.ImmLabel, wasm.ImmFunc, wasm.ImmLocal, wasm.ImmGlobal, wasm.ImmTable,
		wasm.ImmMemory, wasm.ImmData, wasm.ImmElem, wasm.ImmType, wasm.ImmTag:
		dst = AppendU32(dst, in.X)
	case wasm.ImmCallIndirect, wasm.ImmMemoryInit, wasm.ImmMemoryCopy, wasm.ImmTableInit,
		wasm.ImmTableCopy, wasm.ImmTypeField, wasm.ImmTypeN, wasm.ImmTypeData,
		wasm.ImmTypeElem, wasm.ImmTypeType:
		dst = AppendU32(dst, in.X)
		dst = AppendU32(dst, in.Y)
	case wasm.ImmBrTable:
		dst = AppendU32(dst, uint32(len(in.Labels)))
		for _, l := range in.Labels {
			dst = AppendU32(dst, l)
		}
		dst = AppendU32(dst, in.X)
	case wasm.ImmMemArg:
		dst = appendMemArg(dst, in.Mem)
	case wasm.ImmMemArgLane:
		dst = appendMemArg(dst, in.Mem)
		dst = append(dst, in.Lane)
	case wasm.ImmLane:
		dst = append(dst, in.Lane)
	case wasm.ImmI32:
		dst = AppendS32(dst, int32(uint32(in.Const)))
	case wasm.ImmI64:
		dst = AppendS64(dst, int64(in.Const))
	case wasm.ImmF32:
		dst = AppendF32(dst, uint32(in.Const))
	case wasm.ImmF64:
		dst = AppendF64(dst, in.Const)
	case wasm.ImmV128, wasm.ImmShuffle:
		dst = append(dst, in.V128[:]...)
	case wasm.ImmSelectT:
		dst = AppendU32(dst, uint32(len(in.Types)))
		for _, t := range in.Types {
			dst = AppendValType(dst, t)
		}
	case wasm.ImmHeapType, wasm.ImmRefTest:
		dst = AppendHeapType(dst, in.Heap)
	case wasm.ImmBrOnCast:
		dst = append(dst, in.Flags)
		dst = AppendU32(dst, in.X)
		dst = AppendHeapType(dst, in.Heap)
		dst = AppendHeapType(dst, in.Heap2)
	case wasm.ImmTryTable:
		dst = AppendBlockType(dst, in.Block)
		dst = AppendU32(dst, uint32(len(in.Catches)))
		for _, c := range in.Catches {
			dst = append(dst, byte(c.Kind))
			if c.Kind == wasm.Catch || c.Kind == wasm.CatchRef {
				dst = AppendU32(dst, c.Tag)
			}
			dst = AppendU32(dst, c.Label)
		}
	}
	return dst
}

func appendMemArg(dst []byte, m wasm.MemArg) []byte {
	if m.Mem != 0 {
		dst = AppendU32(dst, m.Align|0x40)
		dst = AppendU32(dst, m.Mem)
	} else {
		dst = AppendU32(dst, m.Align)
	}
	return AppendU64(dst, m.Offset)
}
