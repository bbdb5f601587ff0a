package simd

import (
	"github.com/gowasm/gowasm/wasm"
)

// Unary returns the function computing a SIMD instruction of type
// [v128] -> [v128], or nil if op is not one.
func Unary(op wasm.Opcode) func(V128) V128 {
	switch op {
	case wasm.OpV128Not:
		return v128Not
	case wasm.OpI8x16Abs:
		return i8x16Abs
	case wasm.OpI8x16Neg:
		return i8x16Neg
	case wasm.OpI8x16Popcnt:
		return i8x16Popcnt
	case wasm.OpI16x8Abs:
		return i16x8Abs
	case wasm.OpI16x8Neg:
		return i16x8Neg
	case wasm.OpI32x4Abs:
		return i32x4Abs
	case wasm.OpI32x4Neg:
		return i32x4Neg
	case wasm.OpI64x2Abs:
		return i64x2Abs
	case wasm.OpI64x2Neg:
		return i64x2Neg
	case wasm.OpF32x4Abs:
		return f32x4Abs
	case wasm.OpF32x4Neg:
		return f32x4Neg
	case wasm.OpF32x4Sqrt:
		return f32x4Sqrt
	case wasm.OpF32x4Ceil:
		return f32x4Ceil
	case wasm.OpF32x4Floor:
		return f32x4Floor
	case wasm.OpF32x4Trunc:
		return f32x4Trunc
	case wasm.OpF32x4Nearest:
		return f32x4Nearest
	case wasm.OpF64x2Abs:
		return f64x2Abs
	case wasm.OpF64x2Neg:
		return f64x2Neg
	case wasm.OpF64x2Sqrt:
		return f64x2Sqrt
	case wasm.OpF64x2Ceil:
		return f64x2Ceil
	case wasm.OpF64x2Floor:
		return f64x2Floor
	case wasm.OpF64x2Trunc:
		return f64x2Trunc
	case wasm.OpF64x2Nearest:
		return f64x2Nearest
	case wasm.OpI16x8ExtendLowI8x16S:
		return i16x8ExtendLowI8x16S
	case wasm.OpI16x8ExtendHighI8x16S:
		return i16x8ExtendHighI8x16S
	case wasm.OpI16x8ExtendLowI8x16U:
		return i16x8ExtendLowI8x16U
	case wasm.OpI16x8ExtendHighI8x16U:
		return i16x8ExtendHighI8x16U
	case wasm.OpI32x4ExtendLowI16x8S:
		return i32x4ExtendLowI16x8S
	case wasm.OpI32x4ExtendHighI16x8S:
		return i32x4ExtendHighI16x8S
	case wasm.OpI32x4ExtendLowI16x8U:
		return i32x4ExtendLowI16x8U
	case wasm.OpI32x4ExtendHighI16x8U:
		return i32x4ExtendHighI16x8U
	case wasm.OpI64x2ExtendLowI32x4S:
		return i64x2ExtendLowI32x4S
	case wasm.OpI64x2ExtendHighI32x4S:
		return i64x2ExtendHighI32x4S
	case wasm.OpI64x2ExtendLowI32x4U:
		return i64x2ExtendLowI32x4U
	case wasm.OpI64x2ExtendHighI32x4U:
		return i64x2ExtendHighI32x4U
	case wasm.OpI16x8ExtaddPairwiseI8x16S:
		return i16x8ExtaddPairwiseI8x16S
	case wasm.OpI16x8ExtaddPairwiseI8x16U:
		return i16x8ExtaddPairwiseI8x16U
	case wasm.OpI32x4ExtaddPairwiseI16x8S:
		return i32x4ExtaddPairwiseI16x8S
	case wasm.OpI32x4ExtaddPairwiseI16x8U:
		return i32x4ExtaddPairwiseI16x8U
	case wasm.OpF32x4ConvertI32x4S:
		return f32x4ConvertI32x4S
	case wasm.OpF32x4ConvertI32x4U:
		return f32x4ConvertI32x4U
	case wasm.OpF64x2ConvertLowI32x4S:
		return f64x2ConvertLowI32x4S
	case wasm.OpF64x2ConvertLowI32x4U:
		return f64x2ConvertLowI32x4U
	case wasm.OpI32x4TruncSatF32x4S, wasm.OpI32x4RelaxedTruncF32x4S:
		return i32x4TruncSatF32x4S
	case wasm.OpI32x4TruncSatF32x4U, wasm.OpI32x4RelaxedTruncF32x4U:
		return i32x4TruncSatF32x4U
	case wasm.OpI32x4TruncSatF64x2SZero, wasm.OpI32x4RelaxedTruncF64x2SZero:
		return i32x4TruncSatF64x2SZero
	case wasm.OpI32x4TruncSatF64x2UZero, wasm.OpI32x4RelaxedTruncF64x2UZero:
		return i32x4TruncSatF64x2UZero
	case wasm.OpF32x4DemoteF64x2Zero:
		return f32x4DemoteF64x2Zero
	case wasm.OpF64x2PromoteLowF32x4:
		return f64x2PromoteLowF32x4
	}
	return nil
}

// Binary returns the function computing a SIMD instruction of type
// [v128 v128] -> [v128], or nil if op is not one. The first argument is
// the deeper stack operand. i8x16.shuffle is not included (see Shuffle).
func Binary(op wasm.Opcode) func(a, b V128) V128 {
	switch op {
	case wasm.OpV128And:
		return v128And
	case wasm.OpV128Andnot:
		return v128Andnot
	case wasm.OpV128Or:
		return v128Or
	case wasm.OpV128Xor:
		return v128Xor
	case wasm.OpI8x16Swizzle, wasm.OpI8x16RelaxedSwizzle:
		return i8x16Swizzle

	case wasm.OpI8x16Eq:
		return i8x16Eq
	case wasm.OpI8x16Ne:
		return i8x16Ne
	case wasm.OpI8x16LtS:
		return i8x16LtS
	case wasm.OpI8x16LtU:
		return i8x16LtU
	case wasm.OpI8x16GtS:
		return i8x16GtS
	case wasm.OpI8x16GtU:
		return i8x16GtU
	case wasm.OpI8x16LeS:
		return i8x16LeS
	case wasm.OpI8x16LeU:
		return i8x16LeU
	case wasm.OpI8x16GeS:
		return i8x16GeS
	case wasm.OpI8x16GeU:
		return i8x16GeU
	case wasm.OpI16x8Eq:
		return i16x8Eq
	case wasm.OpI16x8Ne:
		return i16x8Ne
	case wasm.OpI16x8LtS:
		return i16x8LtS
	case wasm.OpI16x8LtU:
		return i16x8LtU
	case wasm.OpI16x8GtS:
		return i16x8GtS
	case wasm.OpI16x8GtU:
		return i16x8GtU
	case wasm.OpI16x8LeS:
		return i16x8LeS
	case wasm.OpI16x8LeU:
		return i16x8LeU
	case wasm.OpI16x8GeS:
		return i16x8GeS
	case wasm.OpI16x8GeU:
		return i16x8GeU
	case wasm.OpI32x4Eq:
		return i32x4Eq
	case wasm.OpI32x4Ne:
		return i32x4Ne
	case wasm.OpI32x4LtS:
		return i32x4LtS
	case wasm.OpI32x4LtU:
		return i32x4LtU
	case wasm.OpI32x4GtS:
		return i32x4GtS
	case wasm.OpI32x4GtU:
		return i32x4GtU
	case wasm.OpI32x4LeS:
		return i32x4LeS
	case wasm.OpI32x4LeU:
		return i32x4LeU
	case wasm.OpI32x4GeS:
		return i32x4GeS
	case wasm.OpI32x4GeU:
		return i32x4GeU
	case wasm.OpI64x2Eq:
		return i64x2Eq
	case wasm.OpI64x2Ne:
		return i64x2Ne
	case wasm.OpI64x2LtS:
		return i64x2LtS
	case wasm.OpI64x2GtS:
		return i64x2GtS
	case wasm.OpI64x2LeS:
		return i64x2LeS
	case wasm.OpI64x2GeS:
		return i64x2GeS
	case wasm.OpF32x4Eq:
		return f32x4Eq
	case wasm.OpF32x4Ne:
		return f32x4Ne
	case wasm.OpF32x4Lt:
		return f32x4Lt
	case wasm.OpF32x4Gt:
		return f32x4Gt
	case wasm.OpF32x4Le:
		return f32x4Le
	case wasm.OpF32x4Ge:
		return f32x4Ge
	case wasm.OpF64x2Eq:
		return f64x2Eq
	case wasm.OpF64x2Ne:
		return f64x2Ne
	case wasm.OpF64x2Lt:
		return f64x2Lt
	case wasm.OpF64x2Gt:
		return f64x2Gt
	case wasm.OpF64x2Le:
		return f64x2Le
	case wasm.OpF64x2Ge:
		return f64x2Ge

	case wasm.OpI8x16NarrowI16x8S:
		return i8x16NarrowI16x8S
	case wasm.OpI8x16NarrowI16x8U:
		return i8x16NarrowI16x8U
	case wasm.OpI16x8NarrowI32x4S:
		return i16x8NarrowI32x4S
	case wasm.OpI16x8NarrowI32x4U:
		return i16x8NarrowI32x4U

	case wasm.OpI8x16Add:
		return i8x16Add
	case wasm.OpI8x16AddSatS:
		return i8x16AddSatS
	case wasm.OpI8x16AddSatU:
		return i8x16AddSatU
	case wasm.OpI8x16Sub:
		return i8x16Sub
	case wasm.OpI8x16SubSatS:
		return i8x16SubSatS
	case wasm.OpI8x16SubSatU:
		return i8x16SubSatU
	case wasm.OpI8x16MinS:
		return i8x16MinS
	case wasm.OpI8x16MinU:
		return i8x16MinU
	case wasm.OpI8x16MaxS:
		return i8x16MaxS
	case wasm.OpI8x16MaxU:
		return i8x16MaxU
	case wasm.OpI8x16AvgrU:
		return i8x16AvgrU

	case wasm.OpI16x8Add:
		return i16x8Add
	case wasm.OpI16x8AddSatS:
		return i16x8AddSatS
	case wasm.OpI16x8AddSatU:
		return i16x8AddSatU
	case wasm.OpI16x8Sub:
		return i16x8Sub
	case wasm.OpI16x8SubSatS:
		return i16x8SubSatS
	case wasm.OpI16x8SubSatU:
		return i16x8SubSatU
	case wasm.OpI16x8Mul:
		return i16x8Mul
	case wasm.OpI16x8MinS:
		return i16x8MinS
	case wasm.OpI16x8MinU:
		return i16x8MinU
	case wasm.OpI16x8MaxS:
		return i16x8MaxS
	case wasm.OpI16x8MaxU:
		return i16x8MaxU
	case wasm.OpI16x8AvgrU:
		return i16x8AvgrU
	case wasm.OpI16x8Q15mulrSatS, wasm.OpI16x8RelaxedQ15mulrS:
		return i16x8Q15mulrSatS
	case wasm.OpI16x8ExtmulLowI8x16S:
		return i16x8ExtmulLowI8x16S
	case wasm.OpI16x8ExtmulHighI8x16S:
		return i16x8ExtmulHighI8x16S
	case wasm.OpI16x8ExtmulLowI8x16U:
		return i16x8ExtmulLowI8x16U
	case wasm.OpI16x8ExtmulHighI8x16U:
		return i16x8ExtmulHighI8x16U
	case wasm.OpI16x8RelaxedDotI8x16I7x16S:
		return i16x8RelaxedDotI8x16I7x16S

	case wasm.OpI32x4Add:
		return i32x4Add
	case wasm.OpI32x4Sub:
		return i32x4Sub
	case wasm.OpI32x4Mul:
		return i32x4Mul
	case wasm.OpI32x4MinS:
		return i32x4MinS
	case wasm.OpI32x4MinU:
		return i32x4MinU
	case wasm.OpI32x4MaxS:
		return i32x4MaxS
	case wasm.OpI32x4MaxU:
		return i32x4MaxU
	case wasm.OpI32x4DotI16x8S:
		return i32x4DotI16x8S
	case wasm.OpI32x4ExtmulLowI16x8S:
		return i32x4ExtmulLowI16x8S
	case wasm.OpI32x4ExtmulHighI16x8S:
		return i32x4ExtmulHighI16x8S
	case wasm.OpI32x4ExtmulLowI16x8U:
		return i32x4ExtmulLowI16x8U
	case wasm.OpI32x4ExtmulHighI16x8U:
		return i32x4ExtmulHighI16x8U

	case wasm.OpI64x2Add:
		return i64x2Add
	case wasm.OpI64x2Sub:
		return i64x2Sub
	case wasm.OpI64x2Mul:
		return i64x2Mul
	case wasm.OpI64x2ExtmulLowI32x4S:
		return i64x2ExtmulLowI32x4S
	case wasm.OpI64x2ExtmulHighI32x4S:
		return i64x2ExtmulHighI32x4S
	case wasm.OpI64x2ExtmulLowI32x4U:
		return i64x2ExtmulLowI32x4U
	case wasm.OpI64x2ExtmulHighI32x4U:
		return i64x2ExtmulHighI32x4U

	case wasm.OpF32x4Add:
		return f32x4Add
	case wasm.OpF32x4Sub:
		return f32x4Sub
	case wasm.OpF32x4Mul:
		return f32x4Mul
	case wasm.OpF32x4Div:
		return f32x4Div
	case wasm.OpF32x4Min, wasm.OpF32x4RelaxedMin:
		return f32x4Min
	case wasm.OpF32x4Max, wasm.OpF32x4RelaxedMax:
		return f32x4Max
	case wasm.OpF32x4Pmin:
		return f32x4Pmin
	case wasm.OpF32x4Pmax:
		return f32x4Pmax
	case wasm.OpF64x2Add:
		return f64x2Add
	case wasm.OpF64x2Sub:
		return f64x2Sub
	case wasm.OpF64x2Mul:
		return f64x2Mul
	case wasm.OpF64x2Div:
		return f64x2Div
	case wasm.OpF64x2Min, wasm.OpF64x2RelaxedMin:
		return f64x2Min
	case wasm.OpF64x2Max, wasm.OpF64x2RelaxedMax:
		return f64x2Max
	case wasm.OpF64x2Pmin:
		return f64x2Pmin
	case wasm.OpF64x2Pmax:
		return f64x2Pmax
	}
	return nil
}

// Ternary returns the function computing a SIMD instruction of type
// [v128 v128 v128] -> [v128], or nil if op is not one. Arguments are in
// stack order (the first is the deepest).
func Ternary(op wasm.Opcode) func(a, b, c V128) V128 {
	switch op {
	case wasm.OpV128Bitselect,
		wasm.OpI8x16RelaxedLaneselect, wasm.OpI16x8RelaxedLaneselect,
		wasm.OpI32x4RelaxedLaneselect, wasm.OpI64x2RelaxedLaneselect:
		return v128Bitselect
	case wasm.OpF32x4RelaxedMadd:
		return f32x4RelaxedMadd
	case wasm.OpF32x4RelaxedNmadd:
		return f32x4RelaxedNmadd
	case wasm.OpF64x2RelaxedMadd:
		return f64x2RelaxedMadd
	case wasm.OpF64x2RelaxedNmadd:
		return f64x2RelaxedNmadd
	case wasm.OpI32x4RelaxedDotI8x16I7x16AddS:
		return i32x4RelaxedDotI8x16I7x16AddS
	}
	return nil
}

// Shift returns the function computing a SIMD shift ([v128 i32] ->
// [v128]), or nil if op is not one. The count is taken modulo the lane
// width.
func Shift(op wasm.Opcode) func(a V128, n uint32) V128 {
	switch op {
	case wasm.OpI8x16Shl:
		return i8x16Shl
	case wasm.OpI8x16ShrS:
		return i8x16ShrS
	case wasm.OpI8x16ShrU:
		return i8x16ShrU
	case wasm.OpI16x8Shl:
		return i16x8Shl
	case wasm.OpI16x8ShrS:
		return i16x8ShrS
	case wasm.OpI16x8ShrU:
		return i16x8ShrU
	case wasm.OpI32x4Shl:
		return i32x4Shl
	case wasm.OpI32x4ShrS:
		return i32x4ShrS
	case wasm.OpI32x4ShrU:
		return i32x4ShrU
	case wasm.OpI64x2Shl:
		return i64x2Shl
	case wasm.OpI64x2ShrS:
		return i64x2ShrS
	case wasm.OpI64x2ShrU:
		return i64x2ShrU
	}
	return nil
}

// Test returns the function computing a SIMD instruction of type [v128]
// -> [i32] (any_true, all_true, bitmask), or nil if op is not one.
func Test(op wasm.Opcode) func(V128) uint32 {
	switch op {
	case wasm.OpV128AnyTrue:
		return v128AnyTrue
	case wasm.OpI8x16AllTrue:
		return i8x16AllTrue
	case wasm.OpI16x8AllTrue:
		return i16x8AllTrue
	case wasm.OpI32x4AllTrue:
		return i32x4AllTrue
	case wasm.OpI64x2AllTrue:
		return i64x2AllTrue
	case wasm.OpI8x16Bitmask:
		return i8x16Bitmask
	case wasm.OpI16x8Bitmask:
		return i16x8Bitmask
	case wasm.OpI32x4Bitmask:
		return i32x4Bitmask
	case wasm.OpI64x2Bitmask:
		return i64x2Bitmask
	}
	return nil
}

// Splat returns the function computing a splat, or nil if op is not one.
// Its argument is the scalar operand as bits: an i32 zero-extended, an
// i64, the bits of an f32 zero-extended or the bits of an f64.
func Splat(op wasm.Opcode) func(x uint64) V128 {
	switch op {
	case wasm.OpI8x16Splat:
		return i8x16Splat
	case wasm.OpI16x8Splat:
		return i16x8Splat
	case wasm.OpI32x4Splat, wasm.OpF32x4Splat:
		return i32x4Splat
	case wasm.OpI64x2Splat, wasm.OpF64x2Splat:
		return i64x2Splat
	}
	return nil
}

// ExtractLane returns the function computing an extract_lane instruction,
// or nil if op is not one. The result is the scalar result as bits: an
// i32 (after sign or zero extension of a narrow lane) zero-extended to 64
// bits, an i64, or the bits of an f32 or f64. Lane indices wrap modulo
// the lane count (the validator rejects larger ones).
func ExtractLane(op wasm.Opcode) func(v V128, lane byte) uint64 {
	switch op {
	case wasm.OpI8x16ExtractLaneS:
		return i8x16ExtractLaneS
	case wasm.OpI8x16ExtractLaneU:
		return i8x16ExtractLaneU
	case wasm.OpI16x8ExtractLaneS:
		return i16x8ExtractLaneS
	case wasm.OpI16x8ExtractLaneU:
		return i16x8ExtractLaneU
	case wasm.OpI32x4ExtractLane, wasm.OpF32x4ExtractLane:
		return i32x4ExtractLane
	case wasm.OpI64x2ExtractLane, wasm.OpF64x2ExtractLane:
		return i64x2ExtractLane
	}
	return nil
}

// ReplaceLane returns the function computing a replace_lane instruction,
// or nil if op is not one. x is the scalar operand as bits (as for Splat);
// only the lane's width of low bits is used.
func ReplaceLane(op wasm.Opcode) func(v V128, lane byte, x uint64) V128 {
	switch op {
	case wasm.OpI8x16ReplaceLane:
		return i8x16ReplaceLane
	case wasm.OpI16x8ReplaceLane:
		return i16x8ReplaceLane
	case wasm.OpI32x4ReplaceLane, wasm.OpF32x4ReplaceLane:
		return i32x4ReplaceLane
	case wasm.OpI64x2ReplaceLane, wasm.OpF64x2ReplaceLane:
		return i64x2ReplaceLane
	}
	return nil
}

// MemSize returns the number of bytes a SIMD memory instruction reads or
// writes (16 for v128.load and v128.store, 8 for the extending loads,
// the lane or element size for the others), or 0 if op is not one.
func MemSize(op wasm.Opcode) int {
	switch op {
	case wasm.OpV128Load, wasm.OpV128Store:
		return 16
	case wasm.OpV128Load8x8S, wasm.OpV128Load8x8U, wasm.OpV128Load16x4S, wasm.OpV128Load16x4U,
		wasm.OpV128Load32x2S, wasm.OpV128Load32x2U:
		return 8
	case wasm.OpV128Load8Splat, wasm.OpV128Load8Lane, wasm.OpV128Store8Lane:
		return 1
	case wasm.OpV128Load16Splat, wasm.OpV128Load16Lane, wasm.OpV128Store16Lane:
		return 2
	case wasm.OpV128Load32Splat, wasm.OpV128Load32Zero, wasm.OpV128Load32Lane, wasm.OpV128Store32Lane:
		return 4
	case wasm.OpV128Load64Splat, wasm.OpV128Load64Zero, wasm.OpV128Load64Lane, wasm.OpV128Store64Lane:
		return 8
	}
	return 0
}

// LoadExtend computes v128.load8x8_s/u, load16x4_s/u and load32x2_s/u from
// x, the 8 bytes read from memory as a little-endian integer. For other
// opcodes it returns the zero vector.
func LoadExtend(op wasm.Opcode, x uint64) V128 {
	v := V128{Lo: x}
	switch op {
	case wasm.OpV128Load8x8S:
		return i16x8ExtendLowI8x16S(v)
	case wasm.OpV128Load8x8U:
		return i16x8ExtendLowI8x16U(v)
	case wasm.OpV128Load16x4S:
		return i32x4ExtendLowI16x8S(v)
	case wasm.OpV128Load16x4U:
		return i32x4ExtendLowI16x8U(v)
	case wasm.OpV128Load32x2S:
		return i64x2ExtendLowI32x4S(v)
	case wasm.OpV128Load32x2U:
		return i64x2ExtendLowI32x4U(v)
	}
	return V128{}
}

// LoadSplat computes v128.load8/16/32/64_splat from x, the MemSize(op)
// bytes read from memory as a little-endian integer. For other opcodes it
// returns the zero vector.
func LoadSplat(op wasm.Opcode, x uint64) V128 {
	switch op {
	case wasm.OpV128Load8Splat:
		return i8x16Splat(x)
	case wasm.OpV128Load16Splat:
		return i16x8Splat(x)
	case wasm.OpV128Load32Splat:
		return i32x4Splat(x)
	case wasm.OpV128Load64Splat:
		return i64x2Splat(x)
	}
	return V128{}
}

// LoadZero computes v128.load32_zero and v128.load64_zero from x, the
// bytes read from memory as a little-endian integer (zero-extended): the
// result is x in the low 64 bits and zeros above.
func LoadZero(x uint64) V128 { return V128{Lo: x} }

// LoadLane computes v128.load8/16/32/64_lane: v with the given lane
// replaced by x, the MemSize(op) bytes read from memory as a little-endian
// integer. For other opcodes it returns v unchanged.
func LoadLane(op wasm.Opcode, v V128, lane byte, x uint64) V128 {
	if bits := laneBits(op); bits != 0 {
		return v.WithLane(bits, uint(lane), x)
	}
	return v
}

// StoreLane returns the value that v128.store8/16/32/64_lane writes: the
// given lane of v, zero-extended, to be stored as MemSize(op) little-endian
// bytes. For other opcodes it returns 0.
func StoreLane(op wasm.Opcode, v V128, lane byte) uint64 {
	if bits := laneBits(op); bits != 0 {
		return v.Lane(bits, uint(lane))
	}
	return 0
}

// laneBits is the lane width of a load_lane or store_lane instruction.
func laneBits(op wasm.Opcode) uint {
	switch op {
	case wasm.OpV128Load8Lane, wasm.OpV128Store8Lane:
		return 8
	case wasm.OpV128Load16Lane, wasm.OpV128Store16Lane:
		return 16
	case wasm.OpV128Load32Lane, wasm.OpV128Store32Lane:
		return 32
	case wasm.OpV128Load64Lane, wasm.OpV128Store64Lane:
		return 64
	}
	return 0
}
