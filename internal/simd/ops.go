package simd

import (
	"math"
	"math/bits"

	"github.com/gowasm/gowasm/internal/numeric"
)

// Bitwise operations.

func v128Not(a V128) V128       { return V128{^a.Lo, ^a.Hi} }
func v128And(a, b V128) V128    { return V128{a.Lo & b.Lo, a.Hi & b.Hi} }
func v128Andnot(a, b V128) V128 { return V128{a.Lo &^ b.Lo, a.Hi &^ b.Hi} }
func v128Or(a, b V128) V128     { return V128{a.Lo | b.Lo, a.Hi | b.Hi} }
func v128Xor(a, b V128) V128    { return V128{a.Lo ^ b.Lo, a.Hi ^ b.Hi} }
func v128AnyTrue(a V128) uint32 { return b2u(a.Lo|a.Hi != 0) }
func v128Bitselect(a, b, c V128) V128 {
	return V128{a.Lo&c.Lo | b.Lo&^c.Lo, a.Hi&c.Hi | b.Hi&^c.Hi}
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// SWAR addition and subtraction of packed lanes; h has the top bit of
// every lane set.
const (
	h8  = 0x8080808080808080
	h16 = 0x8000800080008000
	h32 = 0x8000000080000000
)

// neLanes returns all ones in every lane of x (of w bits, with top bits h)
// that is nonzero, and zeros elsewhere. x&^h + ^h sets a lane's top bit
// exactly when its low bits are nonzero, without carrying out of the lane.
func neLanes(x, h uint64, w uint) uint64 {
	t := (x&^h + ^h | x) & h
	return t >> (w - 1) * (1<<w - 1)
}

func addLanes(a, b, h uint64) uint64 { return (a&^h + b&^h) ^ (a^b)&h }
func subLanes(a, b, h uint64) uint64 { return (a | h - b&^h) ^ (a^^b)&h }

// i8x16

func i8x16Add(a, b V128) V128 { return V128{addLanes(a.Lo, b.Lo, h8), addLanes(a.Hi, b.Hi, h8)} }
func i8x16Sub(a, b V128) V128 { return V128{subLanes(a.Lo, b.Lo, h8), subLanes(a.Hi, b.Hi, h8)} }
func i8x16AddSatS(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return satS8(int32(int8(x)) + int32(int8(y))) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16AddSatU(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return satU8(int32(x) + int32(y)) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16SubSatS(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return satS8(int32(int8(x)) - int32(int8(y))) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16SubSatU(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return satU8(int32(x) - int32(y)) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16MinS(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return uint8(min(int8(x), int8(y))) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16MinU(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return min(x, y) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16MaxS(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return uint8(max(int8(x), int8(y))) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16MaxU(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return max(x, y) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16AvgrU(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return uint8((uint32(x) + uint32(y) + 1) >> 1) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16Abs(a V128) V128 {
	f := func(x uint8) uint8 {
		if int8(x) < 0 {
			return -x
		}
		return x
	}
	p := a.u8()
	for i := range p {
		p[i] = f(p[i])
	}
	return from8(&p)
}

func i8x16Neg(a V128) V128 { return i8x16Sub(V128{}, a) }
func i8x16Popcnt(a V128) V128 {
	f := func(x uint8) uint8 { return uint8(bits.OnesCount8(x)) }
	p := a.u8()
	for i := range p {
		p[i] = f(p[i])
	}
	return from8(&p)
}

func i8x16Eq(a, b V128) V128 {
	return V128{^neLanes(a.Lo^b.Lo, h8, 8), ^neLanes(a.Hi^b.Hi, h8, 8)}
}

func i8x16Ne(a, b V128) V128 {
	return V128{neLanes(a.Lo^b.Lo, h8, 8), neLanes(a.Hi^b.Hi, h8, 8)}
}

func i8x16LtS(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return mask8(int8(x) < int8(y)) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16LtU(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return mask8(x < y) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16GtS(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return mask8(int8(x) > int8(y)) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16GtU(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return mask8(x > y) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16LeS(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return mask8(int8(x) <= int8(y)) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16LeU(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return mask8(x <= y) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16GeS(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return mask8(int8(x) >= int8(y)) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16GeU(a, b V128) V128 {
	f := func(x, y uint8) uint8 { return mask8(x >= y) }
	p, q := a.u8(), b.u8()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from8(&p)
}

func i8x16Shl(a V128, n uint32) V128 {
	s := n & 7
	f := func(x uint8) uint8 { return x << s }
	p := a.u8()
	for i := range p {
		p[i] = f(p[i])
	}
	return from8(&p)
}

func i8x16ShrS(a V128, n uint32) V128 {
	s := n & 7
	f := func(x uint8) uint8 { return uint8(int8(x) >> s) }
	p := a.u8()
	for i := range p {
		p[i] = f(p[i])
	}
	return from8(&p)
}

func i8x16ShrU(a V128, n uint32) V128 {
	s := n & 7
	f := func(x uint8) uint8 { return x >> s }
	p := a.u8()
	for i := range p {
		p[i] = f(p[i])
	}
	return from8(&p)
}

func i8x16AllTrue(a V128) uint32 {
	x := a.u8()
	for _, v := range x {
		if v == 0 {
			return 0
		}
	}
	return 1
}

func i8x16Bitmask(a V128) uint32 {
	return uint32(bitmask8(a.Lo) | bitmask8(a.Hi)<<8)
}

// bitmask8 gathers the top bits of the 8 bytes of x into the low 8 bits:
// the multiplication moves bit 8i+7 to bit 56+i without carries.
func bitmask8(x uint64) uint64 {
	return (x & h8 >> 7) * 0x0102040810204080 >> 56
}

func i8x16NarrowI16x8S(a, b V128) V128 {
	x, y := a.u16(), b.u16()
	var r [16]uint8
	for i := 0; i < 8; i++ {
		r[i] = satS8(int32(int16(x[i])))
		r[i+8] = satS8(int32(int16(y[i])))
	}
	return from8(&r)
}

func i8x16NarrowI16x8U(a, b V128) V128 {
	x, y := a.u16(), b.u16()
	var r [16]uint8
	for i := 0; i < 8; i++ {
		r[i] = satU8(int32(int16(x[i])))
		r[i+8] = satU8(int32(int16(y[i])))
	}
	return from8(&r)
}

// swizzle selects bytes of a by the indices in b; indices >= 16 give 0.
func i8x16Swizzle(a, b V128) V128 {
	x, idx := a.u8(), b.u8()
	var r [16]uint8
	for i, j := range idx {
		if j < 16 {
			r[i] = x[j]
		}
	}
	return from8(&r)
}

// Shuffle is i8x16.shuffle: lane i of the result is lane lanes[i] of the
// 32-byte concatenation of a and b. Indices are taken modulo 32 (the
// validator rejects larger ones).
func Shuffle(a, b V128, lanes *[16]byte) V128 {
	x, y := a.u8(), b.u8()
	var r [16]uint8
	for i, j := range lanes {
		j &= 31
		if j < 16 {
			r[i] = x[j]
		} else {
			r[i] = y[j-16]
		}
	}
	return from8(&r)
}

// i16x8

func i16x8Add(a, b V128) V128 { return V128{addLanes(a.Lo, b.Lo, h16), addLanes(a.Hi, b.Hi, h16)} }
func i16x8Sub(a, b V128) V128 { return V128{subLanes(a.Lo, b.Lo, h16), subLanes(a.Hi, b.Hi, h16)} }
func i16x8Mul(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return x * y }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8AddSatS(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return satS16(int32(int16(x)) + int32(int16(y))) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8AddSatU(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return satU16(int32(x) + int32(y)) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8SubSatS(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return satS16(int32(int16(x)) - int32(int16(y))) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8SubSatU(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return satU16(int32(x) - int32(y)) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8MinS(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return uint16(min(int16(x), int16(y))) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8MinU(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return min(x, y) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8MaxS(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return uint16(max(int16(x), int16(y))) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8MaxU(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return max(x, y) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8AvgrU(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return uint16((uint32(x) + uint32(y) + 1) >> 1) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8Q15mulrSatS(a, b V128) V128 {
	f := func(x, y uint16) uint16 {
		return satS16((int32(int16(x))*int32(int16(y)) + 0x4000) >> 15)
	}
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8Abs(a V128) V128 {
	f := func(x uint16) uint16 {
		if int16(x) < 0 {
			return -x
		}
		return x
	}
	p := a.u16()
	for i := range p {
		p[i] = f(p[i])
	}
	return from16(&p)
}

func i16x8Neg(a V128) V128 { return i16x8Sub(V128{}, a) }

func i16x8Eq(a, b V128) V128 {
	return V128{^neLanes(a.Lo^b.Lo, h16, 16), ^neLanes(a.Hi^b.Hi, h16, 16)}
}

func i16x8Ne(a, b V128) V128 {
	return V128{neLanes(a.Lo^b.Lo, h16, 16), neLanes(a.Hi^b.Hi, h16, 16)}
}

func i16x8LtS(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return mask16(int16(x) < int16(y)) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8LtU(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return mask16(x < y) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8GtS(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return mask16(int16(x) > int16(y)) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8GtU(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return mask16(x > y) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8LeS(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return mask16(int16(x) <= int16(y)) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8LeU(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return mask16(x <= y) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8GeS(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return mask16(int16(x) >= int16(y)) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8GeU(a, b V128) V128 {
	f := func(x, y uint16) uint16 { return mask16(x >= y) }
	p, q := a.u16(), b.u16()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from16(&p)
}

func i16x8Shl(a V128, n uint32) V128 {
	s := n & 15
	f := func(x uint16) uint16 { return x << s }
	p := a.u16()
	for i := range p {
		p[i] = f(p[i])
	}
	return from16(&p)
}

func i16x8ShrS(a V128, n uint32) V128 {
	s := n & 15
	f := func(x uint16) uint16 { return uint16(int16(x) >> s) }
	p := a.u16()
	for i := range p {
		p[i] = f(p[i])
	}
	return from16(&p)
}

func i16x8ShrU(a V128, n uint32) V128 {
	s := n & 15
	f := func(x uint16) uint16 { return x >> s }
	p := a.u16()
	for i := range p {
		p[i] = f(p[i])
	}
	return from16(&p)
}

func i16x8AllTrue(a V128) uint32 {
	x := a.u16()
	for _, v := range x {
		if v == 0 {
			return 0
		}
	}
	return 1
}

func i16x8Bitmask(a V128) uint32 {
	var m uint32
	x := a.u16()
	for i, v := range x {
		m |= uint32(v>>15) << i
	}
	return m
}

func i16x8NarrowI32x4S(a, b V128) V128 {
	x, y := a.u32(), b.u32()
	var r [8]uint16
	for i := 0; i < 4; i++ {
		r[i] = satS16(int32(x[i]))
		r[i+4] = satS16(int32(y[i]))
	}
	return from16(&r)
}

func i16x8NarrowI32x4U(a, b V128) V128 {
	x, y := a.u32(), b.u32()
	var r [8]uint16
	for i := 0; i < 4; i++ {
		r[i] = satU16(int32(x[i]))
		r[i+4] = satU16(int32(y[i]))
	}
	return from16(&r)
}

// extend8to16 widens bytes off..off+7 of a to 16-bit lanes.
func extend8to16(a V128, off int, signed bool) V128 {
	x := a.u8()
	var r [8]uint16
	for i := range r {
		if signed {
			r[i] = uint16(int8(x[off+i]))
		} else {
			r[i] = uint16(x[off+i])
		}
	}
	return from16(&r)
}

func i16x8ExtendLowI8x16S(a V128) V128  { return extend8to16(a, 0, true) }
func i16x8ExtendHighI8x16S(a V128) V128 { return extend8to16(a, 8, true) }
func i16x8ExtendLowI8x16U(a V128) V128  { return extend8to16(a, 0, false) }
func i16x8ExtendHighI8x16U(a V128) V128 { return extend8to16(a, 8, false) }

func i16x8ExtmulLowI8x16S(a, b V128) V128 {
	return i16x8Mul(extend8to16(a, 0, true), extend8to16(b, 0, true))
}

func i16x8ExtmulHighI8x16S(a, b V128) V128 {
	return i16x8Mul(extend8to16(a, 8, true), extend8to16(b, 8, true))
}

func i16x8ExtmulLowI8x16U(a, b V128) V128 {
	return i16x8Mul(extend8to16(a, 0, false), extend8to16(b, 0, false))
}

func i16x8ExtmulHighI8x16U(a, b V128) V128 {
	return i16x8Mul(extend8to16(a, 8, false), extend8to16(b, 8, false))
}

func i16x8ExtaddPairwiseI8x16S(a V128) V128 {
	x := a.u8()
	var r [8]uint16
	for i := range r {
		r[i] = uint16(int16(int8(x[2*i])) + int16(int8(x[2*i+1])))
	}
	return from16(&r)
}

func i16x8ExtaddPairwiseI8x16U(a V128) V128 {
	x := a.u8()
	var r [8]uint16
	for i := range r {
		r[i] = uint16(x[2*i]) + uint16(x[2*i+1])
	}
	return from16(&r)
}

// i32x4

func i32x4Add(a, b V128) V128 { return V128{addLanes(a.Lo, b.Lo, h32), addLanes(a.Hi, b.Hi, h32)} }
func i32x4Sub(a, b V128) V128 { return V128{subLanes(a.Lo, b.Lo, h32), subLanes(a.Hi, b.Hi, h32)} }
func i32x4Mul(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return x * y }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from32(&p)
}

func i32x4MinS(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return uint32(min(int32(x), int32(y))) }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from32(&p)
}

func i32x4MinU(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return min(x, y) }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from32(&p)
}

func i32x4MaxS(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return uint32(max(int32(x), int32(y))) }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from32(&p)
}

func i32x4MaxU(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return max(x, y) }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from32(&p)
}

func i32x4Abs(a V128) V128 {
	f := func(x uint32) uint32 {
		if int32(x) < 0 {
			return -x
		}
		return x
	}
	p := a.u32()
	for i := range p {
		p[i] = f(p[i])
	}
	return from32(&p)
}

func i32x4Neg(a V128) V128 { return i32x4Sub(V128{}, a) }

func i32x4Eq(a, b V128) V128 {
	return V128{^neLanes(a.Lo^b.Lo, h32, 32), ^neLanes(a.Hi^b.Hi, h32, 32)}
}

func i32x4Ne(a, b V128) V128 {
	return V128{neLanes(a.Lo^b.Lo, h32, 32), neLanes(a.Hi^b.Hi, h32, 32)}
}

func i32x4LtS(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return mask32(int32(x) < int32(y)) }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from32(&p)
}

func i32x4LtU(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return mask32(x < y) }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from32(&p)
}

func i32x4GtS(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return mask32(int32(x) > int32(y)) }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from32(&p)
}

func i32x4GtU(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return mask32(x > y) }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from32(&p)
}

func i32x4LeS(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return mask32(int32(x) <= int32(y)) }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from32(&p)
}

func i32x4LeU(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return mask32(x <= y) }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from32(&p)
}

func i32x4GeS(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return mask32(int32(x) >= int32(y)) }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from32(&p)
}

func i32x4GeU(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return mask32(x >= y) }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = f(p[i], q[i])
	}
	return from32(&p)
}

func i32x4Shl(a V128, n uint32) V128 {
	s := n & 31
	f := func(x uint32) uint32 { return x << s }
	p := a.u32()
	for i := range p {
		p[i] = f(p[i])
	}
	return from32(&p)
}

func i32x4ShrS(a V128, n uint32) V128 {
	s := n & 31
	f := func(x uint32) uint32 { return uint32(int32(x) >> s) }
	p := a.u32()
	for i := range p {
		p[i] = f(p[i])
	}
	return from32(&p)
}

func i32x4ShrU(a V128, n uint32) V128 {
	s := n & 31
	f := func(x uint32) uint32 { return x >> s }
	p := a.u32()
	for i := range p {
		p[i] = f(p[i])
	}
	return from32(&p)
}

func i32x4AllTrue(a V128) uint32 {
	x := a.u32()
	return b2u(x[0] != 0 && x[1] != 0 && x[2] != 0 && x[3] != 0)
}

func i32x4Bitmask(a V128) uint32 {
	x := a.u32()
	return x[0]>>31 | x[1]>>31<<1 | x[2]>>31<<2 | x[3]>>31<<3
}

// extend16to32 widens 16-bit lanes off..off+3 of a to 32-bit lanes.
func extend16to32(a V128, off int, signed bool) V128 {
	x := a.u16()
	var r [4]uint32
	for i := range r {
		if signed {
			r[i] = uint32(int16(x[off+i]))
		} else {
			r[i] = uint32(x[off+i])
		}
	}
	return from32(&r)
}

func i32x4ExtendLowI16x8S(a V128) V128  { return extend16to32(a, 0, true) }
func i32x4ExtendHighI16x8S(a V128) V128 { return extend16to32(a, 4, true) }
func i32x4ExtendLowI16x8U(a V128) V128  { return extend16to32(a, 0, false) }
func i32x4ExtendHighI16x8U(a V128) V128 { return extend16to32(a, 4, false) }

func i32x4ExtmulLowI16x8S(a, b V128) V128 {
	return i32x4Mul(extend16to32(a, 0, true), extend16to32(b, 0, true))
}

func i32x4ExtmulHighI16x8S(a, b V128) V128 {
	return i32x4Mul(extend16to32(a, 4, true), extend16to32(b, 4, true))
}

func i32x4ExtmulLowI16x8U(a, b V128) V128 {
	return i32x4Mul(extend16to32(a, 0, false), extend16to32(b, 0, false))
}

func i32x4ExtmulHighI16x8U(a, b V128) V128 {
	return i32x4Mul(extend16to32(a, 4, false), extend16to32(b, 4, false))
}

func i32x4ExtaddPairwiseI16x8S(a V128) V128 {
	x := a.u16()
	var r [4]uint32
	for i := range r {
		r[i] = uint32(int32(int16(x[2*i])) + int32(int16(x[2*i+1])))
	}
	return from32(&r)
}

func i32x4ExtaddPairwiseI16x8U(a V128) V128 {
	x := a.u16()
	var r [4]uint32
	for i := range r {
		r[i] = uint32(x[2*i]) + uint32(x[2*i+1])
	}
	return from32(&r)
}

func i32x4DotI16x8S(a, b V128) V128 {
	x, y := a.u16(), b.u16()
	var r [4]uint32
	for i := range r {
		r[i] = uint32(int32(int16(x[2*i]))*int32(int16(y[2*i])) + int32(int16(x[2*i+1]))*int32(int16(y[2*i+1])))
	}
	return from32(&r)
}

// i64x2

func i64x2Add(a, b V128) V128 { return V128{a.Lo + b.Lo, a.Hi + b.Hi} }
func i64x2Sub(a, b V128) V128 { return V128{a.Lo - b.Lo, a.Hi - b.Hi} }
func i64x2Mul(a, b V128) V128 { return V128{a.Lo * b.Lo, a.Hi * b.Hi} }
func i64x2Abs(a V128) V128 {
	f := func(x uint64) uint64 {
		if int64(x) < 0 {
			return -x
		}
		return x
	}
	p := a
	return V128{f(p.Lo), f(p.Hi)}
}

func i64x2Neg(a V128) V128 { return V128{-a.Lo, -a.Hi} }

func i64x2Eq(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return mask64(x == y) }
	p, q := a, b
	return V128{f(p.Lo, q.Lo), f(p.Hi, q.Hi)}
}

func i64x2Ne(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return mask64(x != y) }
	p, q := a, b
	return V128{f(p.Lo, q.Lo), f(p.Hi, q.Hi)}
}

func i64x2LtS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return mask64(int64(x) < int64(y)) }
	p, q := a, b
	return V128{f(p.Lo, q.Lo), f(p.Hi, q.Hi)}
}

func i64x2GtS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return mask64(int64(x) > int64(y)) }
	p, q := a, b
	return V128{f(p.Lo, q.Lo), f(p.Hi, q.Hi)}
}

func i64x2LeS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return mask64(int64(x) <= int64(y)) }
	p, q := a, b
	return V128{f(p.Lo, q.Lo), f(p.Hi, q.Hi)}
}

func i64x2GeS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return mask64(int64(x) >= int64(y)) }
	p, q := a, b
	return V128{f(p.Lo, q.Lo), f(p.Hi, q.Hi)}
}

func i64x2Shl(a V128, n uint32) V128 {
	s := n & 63
	return V128{a.Lo << s, a.Hi << s}
}

func i64x2ShrS(a V128, n uint32) V128 {
	s := n & 63
	return V128{uint64(int64(a.Lo) >> s), uint64(int64(a.Hi) >> s)}
}

func i64x2ShrU(a V128, n uint32) V128 {
	s := n & 63
	return V128{a.Lo >> s, a.Hi >> s}
}

func i64x2AllTrue(a V128) uint32 { return b2u(a.Lo != 0 && a.Hi != 0) }
func i64x2Bitmask(a V128) uint32 { return uint32(a.Lo>>63 | a.Hi>>63<<1) }

func i64x2ExtendLowI32x4S(a V128) V128  { return V128{uint64(int32(a.Lo)), uint64(int32(a.Lo >> 32))} }
func i64x2ExtendHighI32x4S(a V128) V128 { return V128{uint64(int32(a.Hi)), uint64(int32(a.Hi >> 32))} }
func i64x2ExtendLowI32x4U(a V128) V128  { return V128{uint64(uint32(a.Lo)), a.Lo >> 32} }
func i64x2ExtendHighI32x4U(a V128) V128 { return V128{uint64(uint32(a.Hi)), a.Hi >> 32} }

func i64x2ExtmulLowI32x4S(a, b V128) V128 {
	return i64x2Mul(i64x2ExtendLowI32x4S(a), i64x2ExtendLowI32x4S(b))
}

func i64x2ExtmulHighI32x4S(a, b V128) V128 {
	return i64x2Mul(i64x2ExtendHighI32x4S(a), i64x2ExtendHighI32x4S(b))
}

func i64x2ExtmulLowI32x4U(a, b V128) V128 {
	return i64x2Mul(i64x2ExtendLowI32x4U(a), i64x2ExtendLowI32x4U(b))
}

func i64x2ExtmulHighI32x4U(a, b V128) V128 {
	return i64x2Mul(i64x2ExtendHighI32x4U(a), i64x2ExtendHighI32x4U(b))
}

// f32x4

const (
	f32SignBits = 0x8000000080000000
	f64SignBit  = 0x8000000000000000
)

func f32x4Abs(a V128) V128 { return V128{a.Lo &^ f32SignBits, a.Hi &^ f32SignBits} }
func f32x4Neg(a V128) V128 { return V128{a.Lo ^ f32SignBits, a.Hi ^ f32SignBits} }

func f32x4Sqrt(a V128) V128 {
	f := numeric.F32Sqrt
	p := a.u32()
	for i := range p {
		p[i] = math.Float32bits(f(math.Float32frombits(p[i])))
	}
	return from32(&p)
}

func f32x4Ceil(a V128) V128 {
	f := numeric.F32Ceil
	p := a.u32()
	for i := range p {
		p[i] = math.Float32bits(f(math.Float32frombits(p[i])))
	}
	return from32(&p)
}

func f32x4Floor(a V128) V128 {
	f := numeric.F32Floor
	p := a.u32()
	for i := range p {
		p[i] = math.Float32bits(f(math.Float32frombits(p[i])))
	}
	return from32(&p)
}

func f32x4Trunc(a V128) V128 {
	f := numeric.F32Trunc
	p := a.u32()
	for i := range p {
		p[i] = math.Float32bits(f(math.Float32frombits(p[i])))
	}
	return from32(&p)
}

func f32x4Nearest(a V128) V128 {
	f := numeric.F32Nearest
	p := a.u32()
	for i := range p {
		p[i] = math.Float32bits(f(math.Float32frombits(p[i])))
	}
	return from32(&p)
}

func f32x4Add(a, b V128) V128 {
	f := func(x, y float32) float32 { return x + y }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = math.Float32bits(f(math.Float32frombits(p[i]), math.Float32frombits(q[i])))
	}
	return from32(&p)
}

func f32x4Sub(a, b V128) V128 {
	f := func(x, y float32) float32 { return x - y }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = math.Float32bits(f(math.Float32frombits(p[i]), math.Float32frombits(q[i])))
	}
	return from32(&p)
}

func f32x4Mul(a, b V128) V128 {
	f := func(x, y float32) float32 { return x * y }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = math.Float32bits(f(math.Float32frombits(p[i]), math.Float32frombits(q[i])))
	}
	return from32(&p)
}

func f32x4Div(a, b V128) V128 {
	f := func(x, y float32) float32 { return x / y }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = math.Float32bits(f(math.Float32frombits(p[i]), math.Float32frombits(q[i])))
	}
	return from32(&p)
}

func f32x4Min(a, b V128) V128 {
	f := numeric.F32Min
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = math.Float32bits(f(math.Float32frombits(p[i]), math.Float32frombits(q[i])))
	}
	return from32(&p)
}

func f32x4Max(a, b V128) V128 {
	f := numeric.F32Max
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = math.Float32bits(f(math.Float32frombits(p[i]), math.Float32frombits(q[i])))
	}
	return from32(&p)
}

func f32x4Pmin(a, b V128) V128 {
	f := numeric.F32Pmin
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = math.Float32bits(f(math.Float32frombits(p[i]), math.Float32frombits(q[i])))
	}
	return from32(&p)
}

func f32x4Pmax(a, b V128) V128 {
	f := numeric.F32Pmax
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = math.Float32bits(f(math.Float32frombits(p[i]), math.Float32frombits(q[i])))
	}
	return from32(&p)
}

func f32x4Eq(a, b V128) V128 {
	f := func(x, y float32) bool { return x == y }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = mask32(f(math.Float32frombits(p[i]), math.Float32frombits(q[i])))
	}
	return from32(&p)
}

func f32x4Ne(a, b V128) V128 {
	f := func(x, y float32) bool { return x != y }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = mask32(f(math.Float32frombits(p[i]), math.Float32frombits(q[i])))
	}
	return from32(&p)
}

func f32x4Lt(a, b V128) V128 {
	f := func(x, y float32) bool { return x < y }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = mask32(f(math.Float32frombits(p[i]), math.Float32frombits(q[i])))
	}
	return from32(&p)
}

func f32x4Gt(a, b V128) V128 {
	f := func(x, y float32) bool { return x > y }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = mask32(f(math.Float32frombits(p[i]), math.Float32frombits(q[i])))
	}
	return from32(&p)
}

func f32x4Le(a, b V128) V128 {
	f := func(x, y float32) bool { return x <= y }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = mask32(f(math.Float32frombits(p[i]), math.Float32frombits(q[i])))
	}
	return from32(&p)
}

func f32x4Ge(a, b V128) V128 {
	f := func(x, y float32) bool { return x >= y }
	p, q := a.u32(), b.u32()
	for i := range p {
		p[i] = mask32(f(math.Float32frombits(p[i]), math.Float32frombits(q[i])))
	}
	return from32(&p)
}

// f32x4RelaxedMadd is the unfused a*b+c, rounded after the product and
// after the sum. The explicit conversion forbids the compiler to fuse them
// (Go spec, "Arithmetic operators").
func f32x4RelaxedMadd(a, b, c V128) V128 {
	p, q, r := a.u32(), b.u32(), c.u32()
	for i := range p {
		x, y, z := math.Float32frombits(p[i]), math.Float32frombits(q[i]), math.Float32frombits(r[i])
		p[i] = math.Float32bits(float32(x*y) + z)
	}
	return from32(&p)
}

func f32x4RelaxedNmadd(a, b, c V128) V128 { return f32x4RelaxedMadd(f32x4Neg(a), b, c) }

func f32x4ConvertI32x4S(a V128) V128 {
	f := func(x uint32) uint32 { return math.Float32bits(numeric.F32ConvertI32S(int32(x))) }
	p := a.u32()
	for i := range p {
		p[i] = f(p[i])
	}
	return from32(&p)
}

func f32x4ConvertI32x4U(a V128) V128 {
	f := func(x uint32) uint32 { return math.Float32bits(numeric.F32ConvertI32U(x)) }
	p := a.u32()
	for i := range p {
		p[i] = f(p[i])
	}
	return from32(&p)
}

func i32x4TruncSatF32x4S(a V128) V128 {
	f := func(x uint32) uint32 { return uint32(numeric.I32TruncSatF32S(math.Float32frombits(x))) }
	p := a.u32()
	for i := range p {
		p[i] = f(p[i])
	}
	return from32(&p)
}

func i32x4TruncSatF32x4U(a V128) V128 {
	f := func(x uint32) uint32 { return numeric.I32TruncSatF32U(math.Float32frombits(x)) }
	p := a.u32()
	for i := range p {
		p[i] = f(p[i])
	}
	return from32(&p)
}

func i32x4TruncSatF64x2SZero(a V128) V128 {
	lo := uint32(numeric.I32TruncSatF64S(math.Float64frombits(a.Lo)))
	hi := uint32(numeric.I32TruncSatF64S(math.Float64frombits(a.Hi)))
	return V128{uint64(lo) | uint64(hi)<<32, 0}
}

func i32x4TruncSatF64x2UZero(a V128) V128 {
	lo := numeric.I32TruncSatF64U(math.Float64frombits(a.Lo))
	hi := numeric.I32TruncSatF64U(math.Float64frombits(a.Hi))
	return V128{uint64(lo) | uint64(hi)<<32, 0}
}

func f32x4DemoteF64x2Zero(a V128) V128 {
	lo := math.Float32bits(numeric.F32DemoteF64(math.Float64frombits(a.Lo)))
	hi := math.Float32bits(numeric.F32DemoteF64(math.Float64frombits(a.Hi)))
	return V128{uint64(lo) | uint64(hi)<<32, 0}
}

// f64x2

func f64x2Abs(a V128) V128 { return V128{a.Lo &^ f64SignBit, a.Hi &^ f64SignBit} }
func f64x2Neg(a V128) V128 { return V128{a.Lo ^ f64SignBit, a.Hi ^ f64SignBit} }

func f64x2Sqrt(a V128) V128 {
	f := numeric.F64Sqrt
	p := a
	return V128{math.Float64bits(f(math.Float64frombits(p.Lo))), math.Float64bits(f(math.Float64frombits(p.Hi)))}
}

func f64x2Ceil(a V128) V128 {
	f := numeric.F64Ceil
	p := a
	return V128{math.Float64bits(f(math.Float64frombits(p.Lo))), math.Float64bits(f(math.Float64frombits(p.Hi)))}
}

func f64x2Floor(a V128) V128 {
	f := numeric.F64Floor
	p := a
	return V128{math.Float64bits(f(math.Float64frombits(p.Lo))), math.Float64bits(f(math.Float64frombits(p.Hi)))}
}

func f64x2Trunc(a V128) V128 {
	f := numeric.F64Trunc
	p := a
	return V128{math.Float64bits(f(math.Float64frombits(p.Lo))), math.Float64bits(f(math.Float64frombits(p.Hi)))}
}

func f64x2Nearest(a V128) V128 {
	f := numeric.F64Nearest
	p := a
	return V128{math.Float64bits(f(math.Float64frombits(p.Lo))), math.Float64bits(f(math.Float64frombits(p.Hi)))}
}

func f64x2Add(a, b V128) V128 {
	f := func(x, y float64) float64 { return x + y }
	p, q := a, b
	return V128{
		math.Float64bits(f(math.Float64frombits(p.Lo), math.Float64frombits(q.Lo))),
		math.Float64bits(f(math.Float64frombits(p.Hi), math.Float64frombits(q.Hi))),
	}
}

func f64x2Sub(a, b V128) V128 {
	f := func(x, y float64) float64 { return x - y }
	p, q := a, b
	return V128{
		math.Float64bits(f(math.Float64frombits(p.Lo), math.Float64frombits(q.Lo))),
		math.Float64bits(f(math.Float64frombits(p.Hi), math.Float64frombits(q.Hi))),
	}
}

func f64x2Mul(a, b V128) V128 {
	f := func(x, y float64) float64 { return x * y }
	p, q := a, b
	return V128{
		math.Float64bits(f(math.Float64frombits(p.Lo), math.Float64frombits(q.Lo))),
		math.Float64bits(f(math.Float64frombits(p.Hi), math.Float64frombits(q.Hi))),
	}
}

func f64x2Div(a, b V128) V128 {
	f := func(x, y float64) float64 { return x / y }
	p, q := a, b
	return V128{
		math.Float64bits(f(math.Float64frombits(p.Lo), math.Float64frombits(q.Lo))),
		math.Float64bits(f(math.Float64frombits(p.Hi), math.Float64frombits(q.Hi))),
	}
}

func f64x2Min(a, b V128) V128 {
	f := numeric.F64Min
	p, q := a, b
	return V128{
		math.Float64bits(f(math.Float64frombits(p.Lo), math.Float64frombits(q.Lo))),
		math.Float64bits(f(math.Float64frombits(p.Hi), math.Float64frombits(q.Hi))),
	}
}

func f64x2Max(a, b V128) V128 {
	f := numeric.F64Max
	p, q := a, b
	return V128{
		math.Float64bits(f(math.Float64frombits(p.Lo), math.Float64frombits(q.Lo))),
		math.Float64bits(f(math.Float64frombits(p.Hi), math.Float64frombits(q.Hi))),
	}
}

func f64x2Pmin(a, b V128) V128 {
	f := numeric.F64Pmin
	p, q := a, b
	return V128{
		math.Float64bits(f(math.Float64frombits(p.Lo), math.Float64frombits(q.Lo))),
		math.Float64bits(f(math.Float64frombits(p.Hi), math.Float64frombits(q.Hi))),
	}
}

func f64x2Pmax(a, b V128) V128 {
	f := numeric.F64Pmax
	p, q := a, b
	return V128{
		math.Float64bits(f(math.Float64frombits(p.Lo), math.Float64frombits(q.Lo))),
		math.Float64bits(f(math.Float64frombits(p.Hi), math.Float64frombits(q.Hi))),
	}
}

func f64x2Eq(a, b V128) V128 {
	f := func(x, y float64) bool { return x == y }
	p, q := a, b
	return V128{
		mask64(f(math.Float64frombits(p.Lo), math.Float64frombits(q.Lo))),
		mask64(f(math.Float64frombits(p.Hi), math.Float64frombits(q.Hi))),
	}
}

func f64x2Ne(a, b V128) V128 {
	f := func(x, y float64) bool { return x != y }
	p, q := a, b
	return V128{
		mask64(f(math.Float64frombits(p.Lo), math.Float64frombits(q.Lo))),
		mask64(f(math.Float64frombits(p.Hi), math.Float64frombits(q.Hi))),
	}
}

func f64x2Lt(a, b V128) V128 {
	f := func(x, y float64) bool { return x < y }
	p, q := a, b
	return V128{
		mask64(f(math.Float64frombits(p.Lo), math.Float64frombits(q.Lo))),
		mask64(f(math.Float64frombits(p.Hi), math.Float64frombits(q.Hi))),
	}
}

func f64x2Gt(a, b V128) V128 {
	f := func(x, y float64) bool { return x > y }
	p, q := a, b
	return V128{
		mask64(f(math.Float64frombits(p.Lo), math.Float64frombits(q.Lo))),
		mask64(f(math.Float64frombits(p.Hi), math.Float64frombits(q.Hi))),
	}
}

func f64x2Le(a, b V128) V128 {
	f := func(x, y float64) bool { return x <= y }
	p, q := a, b
	return V128{
		mask64(f(math.Float64frombits(p.Lo), math.Float64frombits(q.Lo))),
		mask64(f(math.Float64frombits(p.Hi), math.Float64frombits(q.Hi))),
	}
}

func f64x2Ge(a, b V128) V128 {
	f := func(x, y float64) bool { return x >= y }
	p, q := a, b
	return V128{
		mask64(f(math.Float64frombits(p.Lo), math.Float64frombits(q.Lo))),
		mask64(f(math.Float64frombits(p.Hi), math.Float64frombits(q.Hi))),
	}
}

// f64x2RelaxedMadd is the unfused a*b+c (see f32x4RelaxedMadd).
func f64x2RelaxedMadd(a, b, c V128) V128 {
	f := func(x, y, z uint64) uint64 {
		return math.Float64bits(float64(math.Float64frombits(x)*math.Float64frombits(y)) + math.Float64frombits(z))
	}
	return V128{f(a.Lo, b.Lo, c.Lo), f(a.Hi, b.Hi, c.Hi)}
}

func f64x2RelaxedNmadd(a, b, c V128) V128 { return f64x2RelaxedMadd(f64x2Neg(a), b, c) }

func f64x2ConvertLowI32x4S(a V128) V128 {
	return V128{
		math.Float64bits(numeric.F64ConvertI32S(int32(a.Lo))),
		math.Float64bits(numeric.F64ConvertI32S(int32(a.Lo >> 32))),
	}
}

func f64x2ConvertLowI32x4U(a V128) V128 {
	return V128{
		math.Float64bits(numeric.F64ConvertI32U(uint32(a.Lo))),
		math.Float64bits(numeric.F64ConvertI32U(uint32(a.Lo >> 32))),
	}
}

func f64x2PromoteLowF32x4(a V128) V128 {
	return V128{
		math.Float64bits(numeric.F64PromoteF32(math.Float32frombits(uint32(a.Lo)))),
		math.Float64bits(numeric.F64PromoteF32(math.Float32frombits(uint32(a.Lo >> 32)))),
	}
}

// Relaxed integer operations (deterministic profile).

// i16x8RelaxedDotI8x16I7x16S multiplies signed bytes pairwise and adds
// adjacent products with signed saturation.
func i16x8RelaxedDotI8x16I7x16S(a, b V128) V128 {
	x, y := a.u8(), b.u8()
	var r [8]uint16
	for i := range r {
		p0 := int32(int8(x[2*i])) * int32(int8(y[2*i]))
		p1 := int32(int8(x[2*i+1])) * int32(int8(y[2*i+1]))
		r[i] = satS16(p0 + p1)
	}
	return from16(&r)
}

func i32x4RelaxedDotI8x16I7x16AddS(a, b, c V128) V128 {
	return i32x4Add(i32x4ExtaddPairwiseI16x8S(i16x8RelaxedDotI8x16I7x16S(a, b)), c)
}

// Splats.

func i8x16Splat(x uint64) V128 {
	v := uint64(uint8(x)) * 0x0101010101010101
	return V128{v, v}
}

func i16x8Splat(x uint64) V128 {
	v := uint64(uint16(x)) * 0x0001000100010001
	return V128{v, v}
}

func i32x4Splat(x uint64) V128 {
	v := uint64(uint32(x)) * 0x0000000100000001
	return V128{v, v}
}

func i64x2Splat(x uint64) V128 { return V128{x, x} }

// Lane access.

func i8x16ExtractLaneS(v V128, l byte) uint64 { return uint64(uint32(int8(v.Lane(8, uint(l))))) }
func i8x16ExtractLaneU(v V128, l byte) uint64 { return v.Lane(8, uint(l)) }
func i16x8ExtractLaneS(v V128, l byte) uint64 { return uint64(uint32(int16(v.Lane(16, uint(l))))) }
func i16x8ExtractLaneU(v V128, l byte) uint64 { return v.Lane(16, uint(l)) }
func i32x4ExtractLane(v V128, l byte) uint64  { return v.Lane(32, uint(l)) }
func i64x2ExtractLane(v V128, l byte) uint64  { return v.Lane(64, uint(l)) }

func i8x16ReplaceLane(v V128, l byte, x uint64) V128 { return v.WithLane(8, uint(l), x) }
func i16x8ReplaceLane(v V128, l byte, x uint64) V128 { return v.WithLane(16, uint(l), x) }
func i32x4ReplaceLane(v V128, l byte, x uint64) V128 { return v.WithLane(32, uint(l), x) }
func i64x2ReplaceLane(v V128, l byte, x uint64) V128 { return v.WithLane(64, uint(l), x) }
