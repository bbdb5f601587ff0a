package interp

import (
	"encoding/binary"
	"fmt"

	"github.com/gowasm/gowasm/internal/simd"
	"github.com/gowasm/gowasm/wasm"
)

// SIMD instructions run out of line: the translator resolves each one to
// a function of package simd and records it, with its operand slots, in
// the function's side table; the instruction (opSimd) holds the index.

// simd kinds.
const (
	sUnary = iota
	sBinary
	sTernary
	sShift
	sTest
	sSplat
	sExtract
	sReplace
	sShuffle
	sLoad
	sLoadExtend
	sLoadSplat
	sLoadZero
	sStore
	sLoadLane
	sStoreLane
)

// simdOp is an entry of a function's SIMD side table.
type simdOp struct {
	kind    byte
	lane    byte
	size    byte
	op      wasm.Opcode
	dst     int32
	x, y, z int32
	mem     int32
	off     uint64
	un      func(simd.V128) simd.V128
	bin     func(a, b simd.V128) simd.V128
	ter     func(a, b, c simd.V128) simd.V128
	shift   func(simd.V128, uint32) simd.V128
	test    func(simd.V128) uint32
	splat   func(uint64) simd.V128
	extract func(simd.V128, byte) uint64
	replace func(simd.V128, byte, uint64) simd.V128
	shuf    *[16]byte
}

func (t *translator) addSimd(s simdOp) {
	t.c.simd = append(t.c.simd, s)
	t.emit(instr{op: opSimd, imm: uint64(len(t.c.simd) - 1)})
}

func (t *translator) simdInstr(d *dins) error {
	op := d.op
	sub := op.Sub()
	switch {
	case sub == 12: // v128.const
		dst := t.push(wasm.V128)
		lo, hi := le64(d.v[:8]), le64(d.v[8:])
		t.emit(instr{op: opConst, a: u16(dst), imm: lo})
		t.emit(instr{op: opConst, a: u16(dst + 1), imm: hi})
		return nil
	case sub == 13: // shuffle
		y := t.pop()
		x := t.pop()
		dst := t.push(wasm.V128)
		lanes := d.v
		t.addSimd(simdOp{kind: sShuffle, dst: dst, x: x.src, y: y.src, shuf: &lanes})
		return nil
	case sub <= 10 || sub == 92 || sub == 93: // loads
		a := t.pop()
		dst := t.push(wasm.V128)
		k := byte(sLoad)
		switch {
		case sub >= 1 && sub <= 6:
			k = sLoadExtend
		case sub >= 7 && sub <= 10:
			k = sLoadSplat
		case sub == 92 || sub == 93:
			k = sLoadZero
		}
		t.addSimd(simdOp{kind: k, op: op, dst: dst, x: a.src, mem: int32(d.mem), off: d.off, size: byte(simd.MemSize(op))})
		return nil
	case sub == 11: // store
		v := t.pop()
		a := t.pop()
		t.addSimd(simdOp{kind: sStore, op: op, x: a.src, y: v.src, mem: int32(d.mem), off: d.off, size: 16})
		return nil
	case sub >= 84 && sub <= 87: // load_lane
		v := t.pop()
		a := t.pop()
		dst := t.push(wasm.V128)
		t.addSimd(simdOp{kind: sLoadLane, op: op, dst: dst, x: a.src, y: v.src, lane: d.lane, mem: int32(d.mem), off: d.off, size: byte(simd.MemSize(op))})
		return nil
	case sub >= 88 && sub <= 91: // store_lane
		v := t.pop()
		a := t.pop()
		t.addSimd(simdOp{kind: sStoreLane, op: op, x: a.src, y: v.src, lane: d.lane, mem: int32(d.mem), off: d.off, size: byte(simd.MemSize(op))})
		return nil
	}
	if f := simd.ExtractLane(op); f != nil {
		x := t.pop()
		dst := t.push(op.Info().Results[0])
		t.addSimd(simdOp{kind: sExtract, dst: dst, x: x.src, lane: d.lane, extract: f})
		return nil
	}
	if f := simd.ReplaceLane(op); f != nil {
		y := t.pop()
		x := t.pop()
		dst := t.push(wasm.V128)
		t.addSimd(simdOp{kind: sReplace, dst: dst, x: x.src, y: y.src, lane: d.lane, replace: f})
		return nil
	}
	if f := simd.Splat(op); f != nil {
		x := t.pop()
		dst := t.push(wasm.V128)
		t.addSimd(simdOp{kind: sSplat, dst: dst, x: x.src, splat: f})
		return nil
	}
	if f := simd.Unary(op); f != nil {
		x := t.pop()
		dst := t.push(wasm.V128)
		t.addSimd(simdOp{kind: sUnary, dst: dst, x: x.src, un: f})
		return nil
	}
	if f := simd.Binary(op); f != nil {
		y := t.pop()
		x := t.pop()
		dst := t.push(wasm.V128)
		t.addSimd(simdOp{kind: sBinary, dst: dst, x: x.src, y: y.src, bin: f})
		return nil
	}
	if f := simd.Ternary(op); f != nil {
		z := t.pop()
		y := t.pop()
		x := t.pop()
		dst := t.push(wasm.V128)
		t.addSimd(simdOp{kind: sTernary, dst: dst, x: x.src, y: y.src, z: z.src, ter: f})
		return nil
	}
	if f := simd.Shift(op); f != nil {
		y := t.pop()
		x := t.pop()
		dst := t.push(wasm.V128)
		t.addSimd(simdOp{kind: sShift, dst: dst, x: x.src, y: y.src, shift: f})
		return nil
	}
	if f := simd.Test(op); f != nil {
		x := t.pop()
		dst := t.push(wasm.I32)
		t.addSimd(simdOp{kind: sTest, dst: dst, x: x.src, test: f})
		return nil
	}
	return fmt.Errorf("%w: SIMD 0x%x", errUnsupported, sub)
}

func v128At(r *regs, i int32) simd.V128 { return simd.V128{Lo: r[i], Hi: r[i+1]} }

func setV128(r *regs, i int32, v simd.V128) { r[i], r[i+1] = v.Lo, v.Hi }

// simd runs the SIMD instruction in.
func (e *exec) simd(c *code, inst *Instance, in *instr, r *regs) bool {
	s := &c.simd[in.imm]
	switch s.kind {
	case sUnary:
		setV128(r, s.dst, s.un(v128At(r, s.x)))
	case sBinary:
		setV128(r, s.dst, s.bin(v128At(r, s.x), v128At(r, s.y)))
	case sTernary:
		setV128(r, s.dst, s.ter(v128At(r, s.x), v128At(r, s.y), v128At(r, s.z)))
	case sShift:
		setV128(r, s.dst, s.shift(v128At(r, s.x), uint32(r[s.y])))
	case sTest:
		r[s.dst] = uint64(s.test(v128At(r, s.x)))
	case sSplat:
		setV128(r, s.dst, s.splat(r[s.x]))
	case sExtract:
		r[s.dst] = s.extract(v128At(r, s.x), s.lane)
	case sReplace:
		setV128(r, s.dst, s.replace(v128At(r, s.x), s.lane, r[s.y]))
	case sShuffle:
		setV128(r, s.dst, simd.Shuffle(v128At(r, s.x), v128At(r, s.y), s.shuf))
	default:
		m := inst.mems[s.mem]
		ea, ok := memRange(m, r[s.x], s.off, uint64(s.size))
		if !ok {
			e.trapKind = TrapMemoryOutOfBounds
			return false
		}
		b := m.buf[ea : ea+uint64(s.size)]
		switch s.kind {
		case sLoad:
			setV128(r, s.dst, simd.V128{Lo: binary.LittleEndian.Uint64(b), Hi: binary.LittleEndian.Uint64(b[8:])})
		case sLoadExtend:
			setV128(r, s.dst, simd.LoadExtend(s.op, binary.LittleEndian.Uint64(b)))
		case sLoadSplat:
			setV128(r, s.dst, simd.LoadSplat(s.op, leN(b)))
		case sLoadZero:
			setV128(r, s.dst, simd.LoadZero(leN(b)))
		case sStore:
			binary.LittleEndian.PutUint64(b, r[s.y])
			binary.LittleEndian.PutUint64(b[8:], r[s.y+1])
		case sLoadLane:
			setV128(r, s.dst, simd.LoadLane(s.op, v128At(r, s.y), s.lane, leN(b)))
		case sStoreLane:
			x := simd.StoreLane(s.op, v128At(r, s.y), s.lane)
			for i := range b {
				b[i] = byte(x >> (8 * i))
			}
		}
	}
	return true
}

// leN reads len(b) <= 8 bytes as a little-endian integer.
func leN(b []byte) uint64 {
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}
