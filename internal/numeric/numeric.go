// Package numeric implements the exact WebAssembly semantics of the scalar
// numeric instructions that Go's operators and package math do not already
// provide: NaN-propagating min and max, round-half-to-even, float32 rounding
// functions, trapping and saturating float-to-integer truncations, correctly
// rounded integer-to-float conversions and trapping integer division.
//
// All functions are pure, allocation-free and safe for concurrent use. Float
// arguments and results are Go float32/float64 values; NaN payloads pass
// through register moves and math.Float32bits/Float32frombits unchanged, so
// callers may keep values as bit patterns and convert at the call.
//
// NaN results follow the specification's NaN propagation rule: when an
// operand is a NaN the result is that NaN made quiet (an arithmetic NaN,
// and a canonical NaN when the operand was canonical).
package numeric

import (
	"errors"
	"math"
)

// The traps raised by the functions of this package. Their messages are
// the ones the specification test suite expects.
var (
	// ErrIntegerOverflow is returned by a trapping truncation whose
	// operand is out of the target range, and by signed division of the
	// minimum integer by -1.
	ErrIntegerOverflow = errors.New("integer overflow")
	// ErrInvalidConversion is returned by a trapping truncation of NaN.
	ErrInvalidConversion = errors.New("invalid conversion to integer")
	// ErrIntegerDivideByZero is returned by division or remainder by zero.
	ErrIntegerDivideByZero = errors.New("integer divide by zero")
)

// Bit layout constants.
const (
	f32SignBit  = 1 << 31
	f32QuietBit = 1 << 22
	f64SignBit  = 1 << 63
	f64QuietBit = 1 << 51

	// F32CanonicalNaN and F64CanonicalNaN are the bit patterns of the
	// positive canonical NaNs.
	F32CanonicalNaN = 0x7fc00000
	F64CanonicalNaN = 0x7ff8000000000000
)

// f32Quiet returns the NaN x with its quiet bit set.
func f32Quiet(x float32) float32 {
	return math.Float32frombits(math.Float32bits(x) | f32QuietBit)
}

// f64Quiet returns the NaN x with its quiet bit set.
func f64Quiet(x float64) float64 {
	return math.Float64frombits(math.Float64bits(x) | f64QuietBit)
}

// F32IsNaN reports whether x is a NaN.
func F32IsNaN(x float32) bool { return x != x }

// F64IsNaN reports whether x is a NaN.
func F64IsNaN(x float64) bool { return x != x }

// F32Min is f32.min: NaN if either operand is NaN, and -0 < +0.
func F32Min(a, b float32) float32 {
	switch {
	case a != a:
		return f32Quiet(a)
	case b != b:
		return f32Quiet(b)
	case a == b: // equal, or zeros of either sign: prefer the negative one
		return math.Float32frombits(math.Float32bits(a) | math.Float32bits(b))
	case a < b:
		return a
	}
	return b
}

// F32Max is f32.max: NaN if either operand is NaN, and -0 < +0.
func F32Max(a, b float32) float32 {
	switch {
	case a != a:
		return f32Quiet(a)
	case b != b:
		return f32Quiet(b)
	case a == b: // equal, or zeros of either sign: prefer the positive one
		return math.Float32frombits(math.Float32bits(a) & math.Float32bits(b))
	case a > b:
		return a
	}
	return b
}

// F64Min is f64.min: NaN if either operand is NaN, and -0 < +0.
func F64Min(a, b float64) float64 {
	switch {
	case a != a:
		return f64Quiet(a)
	case b != b:
		return f64Quiet(b)
	case a == b:
		return math.Float64frombits(math.Float64bits(a) | math.Float64bits(b))
	case a < b:
		return a
	}
	return b
}

// F64Max is f64.max: NaN if either operand is NaN, and -0 < +0.
func F64Max(a, b float64) float64 {
	switch {
	case a != a:
		return f64Quiet(a)
	case b != b:
		return f64Quiet(b)
	case a == b:
		return math.Float64frombits(math.Float64bits(a) & math.Float64bits(b))
	case a > b:
		return a
	}
	return b
}

// F32Pmin is the pseudo-minimum of f32x4.pmin: b < a ? b : a.
func F32Pmin(a, b float32) float32 { return pmin(a, b) }

// F32Pmax is the pseudo-maximum of f32x4.pmax: a < b ? b : a.
func F32Pmax(a, b float32) float32 { return pmax(a, b) }

// F64Pmin is the pseudo-minimum of f64x2.pmin: b < a ? b : a.
func F64Pmin(a, b float64) float64 { return pmin(a, b) }

// F64Pmax is the pseudo-maximum of f64x2.pmax: a < b ? b : a.
func F64Pmax(a, b float64) float64 { return pmax(a, b) }

// pmin is b < a ? b : a (unlike min, NaNs and signed zeros are not special).
func pmin[T float32 | float64](a, b T) T {
	if b < a {
		return b
	}
	return a
}

// pmax is a < b ? b : a (unlike max, NaNs and signed zeros are not special).
func pmax[T float32 | float64](a, b T) T {
	if a < b {
		return b
	}
	return a
}

// F32Abs is f32.abs: clears the sign bit, NaNs included.
func F32Abs(x float32) float32 {
	return math.Float32frombits(math.Float32bits(x) &^ f32SignBit)
}

// F32Neg is f32.neg: flips the sign bit, NaNs included.
func F32Neg(x float32) float32 {
	return math.Float32frombits(math.Float32bits(x) ^ f32SignBit)
}

// F32Copysign is f32.copysign: a with the sign bit of b.
func F32Copysign(a, b float32) float32 {
	return math.Float32frombits(math.Float32bits(a)&^f32SignBit | math.Float32bits(b)&f32SignBit)
}

// F64Abs is f64.abs: clears the sign bit, NaNs included.
func F64Abs(x float64) float64 {
	return math.Float64frombits(math.Float64bits(x) &^ f64SignBit)
}

// F64Neg is f64.neg: flips the sign bit, NaNs included.
func F64Neg(x float64) float64 {
	return math.Float64frombits(math.Float64bits(x) ^ f64SignBit)
}

// F64Copysign is f64.copysign: a with the sign bit of b.
func F64Copysign(a, b float64) float64 {
	return math.Float64frombits(math.Float64bits(a)&^f64SignBit | math.Float64bits(b)&f64SignBit)
}

// F32Ceil is f32.ceil.
func F32Ceil(x float32) float32 { return f32Unary(x, math.Ceil) }

// F32Floor is f32.floor.
func F32Floor(x float32) float32 { return f32Unary(x, math.Floor) }

// F32Trunc is f32.trunc.
func F32Trunc(x float32) float32 { return f32Unary(x, math.Trunc) }

// F32Nearest is f32.nearest: round half to even, preserving the sign of
// zero results.
func F32Nearest(x float32) float32 { return f32Unary(x, math.RoundToEven) }

// F32Sqrt is f32.sqrt. Computing in float64 and rounding once to float32 is
// exact because float64 has more than twice float32's precision.
func F32Sqrt(x float32) float32 { return f32Unary(x, math.Sqrt) }

// F64Ceil is f64.ceil.
func F64Ceil(x float64) float64 { return f64Unary(x, math.Ceil) }

// F64Floor is f64.floor.
func F64Floor(x float64) float64 { return f64Unary(x, math.Floor) }

// F64Trunc is f64.trunc.
func F64Trunc(x float64) float64 { return f64Unary(x, math.Trunc) }

// F64Nearest is f64.nearest: round half to even, preserving the sign of
// zero results.
func F64Nearest(x float64) float64 { return f64Unary(x, math.RoundToEven) }

// F64Sqrt is f64.sqrt.
func F64Sqrt(x float64) float64 { return f64Unary(x, math.Sqrt) }

// f32Unary applies f, computed in float64 and rounded once to float32, to
// x, and returns a NaN x quieted. For rounding and square root the float64
// result rounds to the exact float32 one. Both calls inline, so f is
// called directly (and math.Sqrt and the roundings become instructions).
func f32Unary(x float32, f func(float64) float64) float32 {
	if x != x {
		return f32Quiet(x)
	}
	return float32(f(float64(x)))
}

// f64Unary applies f to x, and returns a NaN x quieted.
func f64Unary(x float64, f func(float64) float64) float64 {
	if x != x {
		return f64Quiet(x)
	}
	return f(x)
}

// F32DemoteF64 is f32.demote_f64. A NaN keeps its sign and the top bits of
// its payload and becomes quiet (so a canonical NaN stays canonical).
func F32DemoteF64(x float64) float32 {
	if x != x {
		b := math.Float64bits(x)
		return math.Float32frombits(uint32(b>>32)&f32SignBit | 0x7f800000 | f32QuietBit | uint32(b>>29)&(1<<23-1))
	}
	return float32(x)
}

// F64PromoteF32 is f64.promote_f32. A NaN keeps its sign and payload and
// becomes quiet (so a canonical NaN stays canonical).
func F64PromoteF32(x float32) float64 {
	if x != x {
		b := math.Float32bits(x)
		return math.Float64frombits(uint64(b&f32SignBit)<<32 | 0x7ff0000000000000 | f64QuietBit | uint64(b&(1<<23-1))<<29)
	}
	return float64(x)
}

// Exact range limits of the truncations, as float64 (every float32 is
// exactly representable as float64, so the f32 variants share them). A value
// x converts when lo < x < hi.
const (
	i32Lo = -2147483649.0 // -2^31 - 1
	i32Hi = 2147483648.0  // 2^31
	u32Lo = -1.0
	u32Hi = 4294967296.0 // 2^32
	// -2^63 - 1 is not a float64; the largest float64 below -2^63 is far
	// below it, so the signed 64-bit range test is lo <= x < hi instead.
	i64Lo = -9223372036854775808.0 // -2^63
	i64Hi = 9223372036854775808.0  // 2^63
	u64Lo = -1.0
	u64Hi = 18446744073709551616.0 // 2^64
)

// I32TruncF32S is i32.trunc_f32_s.
func I32TruncF32S(x float32) (int32, error) { return I32TruncF64S(float64(x)) }

// I32TruncF32U is i32.trunc_f32_u.
func I32TruncF32U(x float32) (uint32, error) { return I32TruncF64U(float64(x)) }

// I64TruncF32S is i64.trunc_f32_s.
func I64TruncF32S(x float32) (int64, error) { return I64TruncF64S(float64(x)) }

// I64TruncF32U is i64.trunc_f32_u.
func I64TruncF32U(x float32) (uint64, error) { return I64TruncF64U(float64(x)) }

// I32TruncF64S is i32.trunc_f64_s.
func I32TruncF64S(x float64) (int32, error) {
	if x > i32Lo && x < i32Hi {
		return int32(x), nil
	}
	if x != x {
		return 0, ErrInvalidConversion
	}
	return 0, ErrIntegerOverflow
}

// I32TruncF64U is i32.trunc_f64_u.
func I32TruncF64U(x float64) (uint32, error) {
	if x > u32Lo && x < u32Hi {
		return uint32(x), nil
	}
	if x != x {
		return 0, ErrInvalidConversion
	}
	return 0, ErrIntegerOverflow
}

// I64TruncF64S is i64.trunc_f64_s.
func I64TruncF64S(x float64) (int64, error) {
	if x >= i64Lo && x < i64Hi {
		return int64(x), nil
	}
	if x != x {
		return 0, ErrInvalidConversion
	}
	return 0, ErrIntegerOverflow
}

// I64TruncF64U is i64.trunc_f64_u.
func I64TruncF64U(x float64) (uint64, error) {
	if x > u64Lo && x < u64Hi {
		return f64ToU64(x), nil
	}
	if x != x {
		return 0, ErrInvalidConversion
	}
	return 0, ErrIntegerOverflow
}

// f64ToU64 truncates x, which must satisfy -1 < x < 2^64, to uint64
// without relying on the platform's handling of values >= 2^63.
func f64ToU64(x float64) uint64 {
	if x < i64Hi {
		return uint64(int64(x))
	}
	return uint64(int64(x-i64Hi)) | 1<<63
}

// I32TruncSatF32S is i32.trunc_sat_f32_s.
func I32TruncSatF32S(x float32) int32 { return I32TruncSatF64S(float64(x)) }

// I32TruncSatF32U is i32.trunc_sat_f32_u.
func I32TruncSatF32U(x float32) uint32 { return I32TruncSatF64U(float64(x)) }

// I64TruncSatF32S is i64.trunc_sat_f32_s.
func I64TruncSatF32S(x float32) int64 { return I64TruncSatF64S(float64(x)) }

// I64TruncSatF32U is i64.trunc_sat_f32_u.
func I64TruncSatF32U(x float32) uint64 { return I64TruncSatF64U(float64(x)) }

// I32TruncSatF64S is i32.trunc_sat_f64_s: NaN gives 0, out-of-range
// values saturate.
func I32TruncSatF64S(x float64) int32 {
	switch {
	case x > i32Lo && x < i32Hi:
		return int32(x)
	case x != x:
		return 0
	case x < 0:
		return math.MinInt32
	}
	return math.MaxInt32
}

// I32TruncSatF64U is i32.trunc_sat_f64_u: NaN gives 0, out-of-range
// values saturate.
func I32TruncSatF64U(x float64) uint32 {
	switch {
	case x > u32Lo && x < u32Hi:
		return uint32(x)
	case x > 0:
		return math.MaxUint32
	}
	return 0 // NaN or <= -1
}

// I64TruncSatF64S is i64.trunc_sat_f64_s: NaN gives 0, out-of-range
// values saturate.
func I64TruncSatF64S(x float64) int64 {
	switch {
	case x >= i64Lo && x < i64Hi:
		return int64(x)
	case x != x:
		return 0
	case x < 0:
		return math.MinInt64
	}
	return math.MaxInt64
}

// I64TruncSatF64U is i64.trunc_sat_f64_u: NaN gives 0, out-of-range
// values saturate.
func I64TruncSatF64U(x float64) uint64 {
	switch {
	case x > u64Lo && x < u64Hi:
		return f64ToU64(x)
	case x > 0:
		return math.MaxUint64
	}
	return 0 // NaN or <= -1
}

// F32ConvertI32S is f32.convert_i32_s (round to nearest even). The
// float64 conversion is exact, so only the float32 conversion rounds, on
// every platform.
func F32ConvertI32S(x int32) float32 { return float32(float64(x)) }

// F32ConvertI32U is f32.convert_i32_u (round to nearest even), rounding
// once as F32ConvertI32S.
func F32ConvertI32U(x uint32) float32 { return float32(float64(x)) }

// F32ConvertI64S is f32.convert_i64_s (round to nearest even, rounding
// once: not through float64).
func F32ConvertI64S(x int64) float32 {
	if x < 0 {
		return -F32ConvertI64U(-uint64(x))
	}
	return F32ConvertI64U(uint64(x))
}

// F32ConvertI64U is f32.convert_i64_u (round to nearest even, rounding
// once). Values below 2^53 are exact in float64, so one rounding happens
// in the float32 conversion. Larger values are first shortened to at most
// 53 significant bits, keeping a sticky bit for the discarded ones, which
// makes the later rounding to 24 bits exact as well.
func F32ConvertI64U(x uint64) float32 {
	if x < 1<<53 {
		return float32(float64(x))
	}
	// x >= 2^53: drop the low 11 bits into a sticky bit. The result has
	// at most 54 significant bits, more than 24+2, so rounding it to
	// float32 (through an exact float64) rounds like the original.
	y := x>>11 | b2u(x&(1<<11-1) != 0)
	return float32(float64(y) * (1 << 11))
}

// F64ConvertI32S is f64.convert_i32_s (exact).
func F64ConvertI32S(x int32) float64 { return float64(x) }

// F64ConvertI32U is f64.convert_i32_u (exact).
func F64ConvertI32U(x uint32) float64 { return float64(x) }

// F64ConvertI64S is f64.convert_i64_s (round to nearest even).
func F64ConvertI64S(x int64) float64 { return float64(x) }

// F64ConvertI64U is f64.convert_i64_u (round to nearest even).
func F64ConvertI64U(x uint64) float64 {
	if x < 1<<63 {
		return float64(int64(x))
	}
	// Halve with a sticky bit, convert (one rounding) and double.
	return float64(int64(x>>1|x&1)) * 2
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// I32DivS is i32.div_s.
func I32DivS(a, b int32) (int32, error) { return divS(a, b) }

// I32DivU is i32.div_u.
func I32DivU(a, b uint32) (uint32, error) { return divU(a, b) }

// I32RemS is i32.rem_s; the remainder of the minimum integer by -1 is 0.
func I32RemS(a, b int32) (int32, error) { return remS(a, b) }

// I32RemU is i32.rem_u.
func I32RemU(a, b uint32) (uint32, error) { return remU(a, b) }

// I64DivS is i64.div_s.
func I64DivS(a, b int64) (int64, error) { return divS(a, b) }

// I64DivU is i64.div_u.
func I64DivU(a, b uint64) (uint64, error) { return divU(a, b) }

// I64RemS is i64.rem_s; the remainder of the minimum integer by -1 is 0.
func I64RemS(a, b int64) (int64, error) { return remS(a, b) }

// I64RemU is i64.rem_u.
func I64RemU(a, b uint64) (uint64, error) { return remU(a, b) }

// divS is signed division that traps on a zero divisor and on the one
// overflowing quotient, the minimum integer divided by -1 (the only
// non-zero value that is its own negation).
func divS[T int32 | int64](a, b T) (T, error) {
	if b == 0 {
		return 0, ErrIntegerDivideByZero
	}
	if b == -1 && a != 0 && a == -a {
		return 0, ErrIntegerOverflow
	}
	return a / b, nil
}

// divU is unsigned division that traps on a zero divisor.
func divU[T uint32 | uint64](a, b T) (T, error) {
	if b == 0 {
		return 0, ErrIntegerDivideByZero
	}
	return a / b, nil
}

// remS is the signed remainder; it traps on a zero divisor. The remainder
// of anything by -1, the minimum integer included, is 0.
func remS[T int32 | int64](a, b T) (T, error) {
	if b == 0 {
		return 0, ErrIntegerDivideByZero
	}
	if b == -1 {
		return 0, nil
	}
	return a % b, nil
}

// remU is the unsigned remainder; it traps on a zero divisor.
func remU[T uint32 | uint64](a, b T) (T, error) {
	if b == 0 {
		return 0, ErrIntegerDivideByZero
	}
	return a % b, nil
}
