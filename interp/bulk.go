package interp

import (
	"encoding/binary"
	"math"
)

// memOp runs a load or store on a memory other than the fast path's
// (a non-zero index or a 64-bit memory).
func (e *exec) memOp(inst *Instance, in *instr, r *regs) bool {
	m := inst.mems[in.c]
	op := byte(in.op - opGen)
	addr := r[in.b]
	if !m.typ.Is64 {
		addr = uint64(uint32(addr))
	}
	ea := addr + in.imm
	if ea < addr {
		e.trapKind = TrapMemoryOutOfBounds
		return false
	}
	var size uint64
	switch op {
	case 0x29, 0x2B, 0x37, 0x39:
		size = 8
	case 0x28, 0x2A, 0x34, 0x35, 0x36, 0x38, 0x3E:
		size = 4
	case 0x2E, 0x2F, 0x32, 0x33, 0x3B, 0x3D:
		size = 2
	default:
		size = 1
	}
	if ea > uint64(len(m.buf)) || size > uint64(len(m.buf))-ea {
		e.trapKind = TrapMemoryOutOfBounds
		return false
	}
	b := m.buf[ea:]
	switch op {
	case 0x28, 0x2A, 0x35:
		r[in.a] = uint64(binary.LittleEndian.Uint32(b))
	case 0x29, 0x2B:
		r[in.a] = binary.LittleEndian.Uint64(b)
	case 0x2C:
		r[in.a] = uint64(uint32(int32(int8(b[0]))))
	case 0x2D, 0x31:
		r[in.a] = uint64(b[0])
	case 0x2E:
		r[in.a] = uint64(uint32(int32(int16(binary.LittleEndian.Uint16(b)))))
	case 0x2F, 0x33:
		r[in.a] = uint64(binary.LittleEndian.Uint16(b))
	case 0x30:
		r[in.a] = uint64(int64(int8(b[0])))
	case 0x32:
		r[in.a] = uint64(int64(int16(binary.LittleEndian.Uint16(b))))
	case 0x34:
		r[in.a] = uint64(int64(int32(binary.LittleEndian.Uint32(b))))
	case 0x36, 0x38, 0x3E:
		binary.LittleEndian.PutUint32(b, uint32(r[in.a]))
	case 0x37, 0x39:
		binary.LittleEndian.PutUint64(b, r[in.a])
	case 0x3A, 0x3C:
		b[0] = byte(r[in.a])
	case 0x3B, 0x3D:
		binary.LittleEndian.PutUint16(b, uint16(r[in.a]))
	}
	return true
}

// effAddr computes addr+off+size bounds for a memory access of size bytes
// and returns the effective address.
func memRange(m *Memory, addr, off, size uint64) (uint64, bool) {
	if !m.typ.Is64 {
		addr = uint64(uint32(addr))
	}
	ea := addr + off
	if ea < addr || ea > uint64(len(m.buf)) || size > uint64(len(m.buf))-ea {
		return 0, false
	}
	return ea, true
}

// inRange reports whether [off, off+n) fits in length l.
func inRange(off, n, l uint64) bool { return off <= l && n <= l-off }

// bulk runs the table and bulk memory instructions.
func (e *exec) bulk(inst *Instance, in *instr, base int) bool {
	r := e.slots[base:]
	refs := e.refs[base:]
	idx := func(t *Table, v uint64) uint64 {
		if t.typ.Is64 {
			return v
		}
		return uint64(uint32(v))
	}
	maddr := func(m *Memory, v uint64) uint64 {
		if m.typ.Is64 {
			return v
		}
		return uint64(uint32(v))
	}
	switch in.op {
	case opTableGet:
		t := inst.tables[in.c]
		i := idx(t, r[in.b])
		if i >= uint64(len(t.elems)) {
			e.trapKind = TrapTableOutOfBounds
			return false
		}
		refs[in.a] = t.elems[i]
	case opTableSet:
		t := inst.tables[in.c]
		i := idx(t, r[in.b])
		if i >= uint64(len(t.elems)) {
			e.trapKind = TrapTableOutOfBounds
			return false
		}
		t.elems[i] = refs[in.a]
	case opTableSize:
		r[in.a] = uint64(len(inst.tables[in.c].elems))
	case opTableGrow:
		t := inst.tables[in.c]
		old, ok := t.grow(idx(t, r[in.a+1]), refs[in.a])
		if !ok {
			old = math.MaxUint32
			if t.typ.Is64 {
				old = math.MaxUint64
			}
		}
		r[in.a] = old
	case opTableFill:
		t := inst.tables[in.c]
		i, v, n := idx(t, r[in.a]), refs[in.a+1], idx(t, r[in.a+2])
		if !inRange(i, n, uint64(len(t.elems))) {
			e.trapKind = TrapTableOutOfBounds
			return false
		}
		for k := i; k < i+n; k++ {
			t.elems[k] = v
		}
	case opTableCopy:
		dt, st := inst.tables[in.b], inst.tables[in.c]
		d, s, n := idx(dt, r[in.a]), idx(st, r[in.a+1]), r[in.a+2]
		if !dt.typ.Is64 || !st.typ.Is64 {
			n = uint64(uint32(n))
		}
		if !inRange(d, n, uint64(len(dt.elems))) || !inRange(s, n, uint64(len(st.elems))) {
			e.trapKind = TrapTableOutOfBounds
			return false
		}
		copy(dt.elems[d:d+n], st.elems[s:s+n])
	case opTableInit:
		t := inst.tables[in.c]
		seg := inst.elems[in.imm]
		d, s, n := idx(t, r[in.a]), uint64(uint32(r[in.a+1])), uint64(uint32(r[in.a+2]))
		if !inRange(d, n, uint64(len(t.elems))) || !inRange(s, n, uint64(len(seg))) {
			e.trapKind = TrapTableOutOfBounds
			return false
		}
		copy(t.elems[d:d+n], seg[s:s+n])
	case opElemDrop:
		inst.elems[in.imm] = nil
	case opMemInit:
		m := inst.mems[in.c]
		var seg []byte
		if inst.datas != nil { // nil: all dropped
			seg = inst.datas[in.imm]
		}
		d, s, n := maddr(m, r[in.a]), uint64(uint32(r[in.a+1])), uint64(uint32(r[in.a+2]))
		if !inRange(d, n, uint64(len(m.buf))) || !inRange(s, n, uint64(len(seg))) {
			e.trapKind = TrapMemoryOutOfBounds
			return false
		}
		copy(m.buf[d:d+n], seg[s:s+n])
	case opDataDrop:
		if inst.datas != nil {
			inst.datas[in.imm] = nil
		}
	case opMemCopy:
		dm, sm := inst.mems[in.b], inst.mems[in.c]
		d, s, n := maddr(dm, r[in.a]), maddr(sm, r[in.a+1]), r[in.a+2]
		if !dm.typ.Is64 || !sm.typ.Is64 {
			n = uint64(uint32(n))
		}
		if !inRange(d, n, uint64(len(dm.buf))) || !inRange(s, n, uint64(len(sm.buf))) {
			e.trapKind = TrapMemoryOutOfBounds
			return false
		}
		copy(dm.buf[d:d+n], sm.buf[s:s+n])
	case opMemFill:
		m := inst.mems[in.c]
		d, v, n := maddr(m, r[in.a]), byte(r[in.a+1]), maddr(m, r[in.a+2])
		if !inRange(d, n, uint64(len(m.buf))) {
			e.trapKind = TrapMemoryOutOfBounds
			return false
		}
		fill(m.buf[d:d+n], v)
	}
	return true
}

// fill sets every byte of b to v.
func fill(b []byte, v byte) {
	if v == 0 {
		clear(b)
		return
	}
	if len(b) == 0 {
		return
	}
	b[0] = v
	for k := 1; k < len(b); k *= 2 {
		copy(b[k:], b[:k])
	}
}
