// Package simd implements the lane operations of WebAssembly's 128-bit SIMD
// instructions (Wasm 2.0 fixed-width SIMD and the relaxed SIMD extension)
// as pure functions on V128 values.
//
// The interpreter resolves an instruction to a function once, at translate
// time, with one of the lookups Unary, Binary, Ternary, Shift, Test, Splat,
// ExtractLane and ReplaceLane; each returns nil for opcodes outside its
// category. Memory instructions are split: the interpreter reads or writes
// the bytes (MemSize says how many) and LoadExtend, LoadSplat, LoadZero,
// LoadLane and StoreLane convert between those bytes and a V128.
//
// Scalar float semantics (NaN propagation, min/max, rounding, saturating
// truncation, conversions) come from package numeric, so scalar and lane
// instructions share one implementation.
//
// Relaxed SIMD instructions follow the deterministic profile of the
// specification (every implementation-defined parameter is 0):
//   - relaxed_swizzle behaves like swizzle (out-of-range indices give 0);
//   - relaxed_trunc behaves like trunc_sat (NaN gives 0, out-of-range
//     values saturate);
//   - relaxed_madd is the unfused fadd(fmul(a, b), c) and relaxed_nmadd is
//     fadd(fmul(-a, b), c), each rounded twice;
//   - relaxed_laneselect behaves like bitselect (every mask bit counts);
//   - relaxed_min/relaxed_max behave like min/max;
//   - relaxed_q15mulr_s behaves like q15mulr_sat_s (saturating);
//   - relaxed_dot_i8x16_i7x16_s treats both operands as signed and sums
//     each pair of products with signed saturation to 16 bits, and
//     relaxed_dot_i8x16_i7x16_add_s extends those sums pairwise to 32 bits
//     and adds the third operand (wrapping).
package simd

import "encoding/binary"

// V128 is a 128-bit vector value. Lo holds bytes 0-7 and Hi bytes 8-15 of
// the value's little-endian memory representation, so lane 0 of any shape
// is in the low bits of Lo.
type V128 struct {
	Lo, Hi uint64 // bytes 0-7 and 8-15
}

// FromBytes returns the V128 whose little-endian representation is b (the
// layout of v128.const immediates and of memory).
func FromBytes(b *[16]byte) V128 {
	return V128{binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])}
}

// Bytes returns the little-endian byte representation of v.
func (v V128) Bytes() (b [16]byte) {
	binary.LittleEndian.PutUint64(b[:8], v.Lo)
	binary.LittleEndian.PutUint64(b[8:], v.Hi)
	return b
}

// Lane returns lane i of v viewed as lanes of the given width in bits (8,
// 16, 32 or 64), zero-extended. Indices beyond the lane count wrap.
func (v V128) Lane(bits, i uint) uint64 {
	n := 128 / bits
	pos := (i % n) * bits
	h := v.Lo
	if pos >= 64 {
		h = v.Hi
		pos -= 64
	}
	if bits == 64 {
		return h
	}
	return h >> pos & (1<<bits - 1)
}

// WithLane returns v with lane i (of the given width in bits: 8, 16, 32 or
// 64) replaced by the low bits of x. Indices beyond the lane count wrap.
func (v V128) WithLane(bits, i uint, x uint64) V128 {
	n := 128 / bits
	pos := (i % n) * bits
	var mask uint64 = 1<<bits - 1
	if bits == 64 {
		mask = ^uint64(0)
	}
	h := &v.Lo
	if pos >= 64 {
		h = &v.Hi
		pos -= 64
	}
	*h = *h&^(mask<<pos) | (x&mask)<<pos
	return v
}

// Lane array views, used by the lane operations.

func (v V128) u8() [16]uint8 { return v.Bytes() }

func from8(r *[16]uint8) V128 { return FromBytes(r) }

func (v V128) u16() (r [8]uint16) {
	for i := 0; i < 4; i++ {
		r[i] = uint16(v.Lo >> (16 * i))
		r[i+4] = uint16(v.Hi >> (16 * i))
	}
	return r
}

func from16(r *[8]uint16) (v V128) {
	for i := 0; i < 4; i++ {
		v.Lo |= uint64(r[i]) << (16 * i)
		v.Hi |= uint64(r[i+4]) << (16 * i)
	}
	return v
}

func (v V128) u32() [4]uint32 {
	return [4]uint32{uint32(v.Lo), uint32(v.Lo >> 32), uint32(v.Hi), uint32(v.Hi >> 32)}
}

func from32(r *[4]uint32) V128 {
	return V128{uint64(r[0]) | uint64(r[1])<<32, uint64(r[2]) | uint64(r[3])<<32}
}
