package numeric

import (
	"errors"
	"math"
	"math/big"
	"testing"
)

func f32(b uint64) float32 { return math.Float32frombits(uint32(b)) }
func f64(b uint64) float64 { return math.Float64frombits(b) }
func b32(x float32) uint64 { return uint64(math.Float32bits(x)) }
func b64(x float64) uint64 { return math.Float64bits(x) }
func bool64(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func u32e(v uint32, err error) (uint64, error) { return uint64(v), err }
func i32e(v int32, err error) (uint64, error)  { return uint64(uint32(v)), err }
func u64e(v uint64, err error) (uint64, error) { return v, err }
func i64e(v int64, err error) (uint64, error)  { return uint64(v), err }

// scalarFuncs maps spec test function names to this package's functions.
var scalarFuncs = map[string]scalarFunc{
	"i32.trunc_f32_s":     func(a []uint64) (uint64, error) { return i32e(I32TruncF32S(f32(a[0]))) },
	"i32.trunc_f32_u":     func(a []uint64) (uint64, error) { return u32e(I32TruncF32U(f32(a[0]))) },
	"i32.trunc_f64_s":     func(a []uint64) (uint64, error) { return i32e(I32TruncF64S(f64(a[0]))) },
	"i32.trunc_f64_u":     func(a []uint64) (uint64, error) { return u32e(I32TruncF64U(f64(a[0]))) },
	"i64.trunc_f32_s":     func(a []uint64) (uint64, error) { return i64e(I64TruncF32S(f32(a[0]))) },
	"i64.trunc_f32_u":     func(a []uint64) (uint64, error) { return u64e(I64TruncF32U(f32(a[0]))) },
	"i64.trunc_f64_s":     func(a []uint64) (uint64, error) { return i64e(I64TruncF64S(f64(a[0]))) },
	"i64.trunc_f64_u":     func(a []uint64) (uint64, error) { return u64e(I64TruncF64U(f64(a[0]))) },
	"i32.trunc_sat_f32_s": func(a []uint64) (uint64, error) { return uint64(uint32(I32TruncSatF32S(f32(a[0])))), nil },
	"i32.trunc_sat_f32_u": func(a []uint64) (uint64, error) { return uint64(I32TruncSatF32U(f32(a[0]))), nil },
	"i32.trunc_sat_f64_s": func(a []uint64) (uint64, error) { return uint64(uint32(I32TruncSatF64S(f64(a[0])))), nil },
	"i32.trunc_sat_f64_u": func(a []uint64) (uint64, error) { return uint64(I32TruncSatF64U(f64(a[0]))), nil },
	"i64.trunc_sat_f32_s": func(a []uint64) (uint64, error) { return uint64(I64TruncSatF32S(f32(a[0]))), nil },
	"i64.trunc_sat_f32_u": func(a []uint64) (uint64, error) { return I64TruncSatF32U(f32(a[0])), nil },
	"i64.trunc_sat_f64_s": func(a []uint64) (uint64, error) { return uint64(I64TruncSatF64S(f64(a[0]))), nil },
	"i64.trunc_sat_f64_u": func(a []uint64) (uint64, error) { return I64TruncSatF64U(f64(a[0])), nil },
	"f32.convert_i32_s":   func(a []uint64) (uint64, error) { return b32(F32ConvertI32S(int32(a[0]))), nil },
	"f32.convert_i32_u":   func(a []uint64) (uint64, error) { return b32(F32ConvertI32U(uint32(a[0]))), nil },
	"f32.convert_i64_s":   func(a []uint64) (uint64, error) { return b32(F32ConvertI64S(int64(a[0]))), nil },
	"f32.convert_i64_u":   func(a []uint64) (uint64, error) { return b32(F32ConvertI64U(a[0])), nil },
	"f64.convert_i32_s":   func(a []uint64) (uint64, error) { return b64(F64ConvertI32S(int32(a[0]))), nil },
	"f64.convert_i32_u":   func(a []uint64) (uint64, error) { return b64(F64ConvertI32U(uint32(a[0]))), nil },
	"f64.convert_i64_s":   func(a []uint64) (uint64, error) { return b64(F64ConvertI64S(int64(a[0]))), nil },
	"f64.convert_i64_u":   func(a []uint64) (uint64, error) { return b64(F64ConvertI64U(a[0])), nil },
	"f64.promote_f32":     func(a []uint64) (uint64, error) { return b64(F64PromoteF32(f32(a[0]))), nil },
	"f32.demote_f64":      func(a []uint64) (uint64, error) { return b32(F32DemoteF64(f64(a[0]))), nil },

	"f32.min":      func(a []uint64) (uint64, error) { return b32(F32Min(f32(a[0]), f32(a[1]))), nil },
	"f32.max":      func(a []uint64) (uint64, error) { return b32(F32Max(f32(a[0]), f32(a[1]))), nil },
	"f32.ceil":     func(a []uint64) (uint64, error) { return b32(F32Ceil(f32(a[0]))), nil },
	"f32.floor":    func(a []uint64) (uint64, error) { return b32(F32Floor(f32(a[0]))), nil },
	"f32.trunc":    func(a []uint64) (uint64, error) { return b32(F32Trunc(f32(a[0]))), nil },
	"f32.nearest":  func(a []uint64) (uint64, error) { return b32(F32Nearest(f32(a[0]))), nil },
	"f32.sqrt":     func(a []uint64) (uint64, error) { return b32(F32Sqrt(f32(a[0]))), nil },
	"f32.abs":      func(a []uint64) (uint64, error) { return b32(F32Abs(f32(a[0]))), nil },
	"f32.neg":      func(a []uint64) (uint64, error) { return b32(F32Neg(f32(a[0]))), nil },
	"f32.copysign": func(a []uint64) (uint64, error) { return b32(F32Copysign(f32(a[0]), f32(a[1]))), nil },
	"f64.min":      func(a []uint64) (uint64, error) { return b64(F64Min(f64(a[0]), f64(a[1]))), nil },
	"f64.max":      func(a []uint64) (uint64, error) { return b64(F64Max(f64(a[0]), f64(a[1]))), nil },
	"f64.ceil":     func(a []uint64) (uint64, error) { return b64(F64Ceil(f64(a[0]))), nil },
	"f64.floor":    func(a []uint64) (uint64, error) { return b64(F64Floor(f64(a[0]))), nil },
	"f64.trunc":    func(a []uint64) (uint64, error) { return b64(F64Trunc(f64(a[0]))), nil },
	"f64.nearest":  func(a []uint64) (uint64, error) { return b64(F64Nearest(f64(a[0]))), nil },
	"f64.sqrt":     func(a []uint64) (uint64, error) { return b64(F64Sqrt(f64(a[0]))), nil },
	"f64.abs":      func(a []uint64) (uint64, error) { return b64(F64Abs(f64(a[0]))), nil },
	"f64.neg":      func(a []uint64) (uint64, error) { return b64(F64Neg(f64(a[0]))), nil },
	"f64.copysign": func(a []uint64) (uint64, error) { return b64(F64Copysign(f64(a[0]), f64(a[1]))), nil },

	// Plain Go arithmetic, checked here so the interpreter can rely on it.
	"f32.add": func(a []uint64) (uint64, error) { return b32(f32(a[0]) + f32(a[1])), nil },
	"f32.sub": func(a []uint64) (uint64, error) { return b32(f32(a[0]) - f32(a[1])), nil },
	"f32.mul": func(a []uint64) (uint64, error) { return b32(f32(a[0]) * f32(a[1])), nil },
	"f32.div": func(a []uint64) (uint64, error) { return b32(f32(a[0]) / f32(a[1])), nil },
	"f64.add": func(a []uint64) (uint64, error) { return b64(f64(a[0]) + f64(a[1])), nil },
	"f64.sub": func(a []uint64) (uint64, error) { return b64(f64(a[0]) - f64(a[1])), nil },
	"f64.mul": func(a []uint64) (uint64, error) { return b64(f64(a[0]) * f64(a[1])), nil },
	"f64.div": func(a []uint64) (uint64, error) { return b64(f64(a[0]) / f64(a[1])), nil },
	"f32.eq":  func(a []uint64) (uint64, error) { return bool64(f32(a[0]) == f32(a[1])), nil },
	"f32.ne":  func(a []uint64) (uint64, error) { return bool64(f32(a[0]) != f32(a[1])), nil },
	"f32.lt":  func(a []uint64) (uint64, error) { return bool64(f32(a[0]) < f32(a[1])), nil },
	"f32.le":  func(a []uint64) (uint64, error) { return bool64(f32(a[0]) <= f32(a[1])), nil },
	"f32.gt":  func(a []uint64) (uint64, error) { return bool64(f32(a[0]) > f32(a[1])), nil },
	"f32.ge":  func(a []uint64) (uint64, error) { return bool64(f32(a[0]) >= f32(a[1])), nil },
	"f64.eq":  func(a []uint64) (uint64, error) { return bool64(f64(a[0]) == f64(a[1])), nil },
	"f64.ne":  func(a []uint64) (uint64, error) { return bool64(f64(a[0]) != f64(a[1])), nil },
	"f64.lt":  func(a []uint64) (uint64, error) { return bool64(f64(a[0]) < f64(a[1])), nil },
	"f64.le":  func(a []uint64) (uint64, error) { return bool64(f64(a[0]) <= f64(a[1])), nil },
	"f64.gt":  func(a []uint64) (uint64, error) { return bool64(f64(a[0]) > f64(a[1])), nil },
	"f64.ge":  func(a []uint64) (uint64, error) { return bool64(f64(a[0]) >= f64(a[1])), nil },

	"i32.div_s": func(a []uint64) (uint64, error) { return i32e(I32DivS(int32(a[0]), int32(a[1]))) },
	"i32.div_u": func(a []uint64) (uint64, error) { return u32e(I32DivU(uint32(a[0]), uint32(a[1]))) },
	"i32.rem_s": func(a []uint64) (uint64, error) { return i32e(I32RemS(int32(a[0]), int32(a[1]))) },
	"i32.rem_u": func(a []uint64) (uint64, error) { return u32e(I32RemU(uint32(a[0]), uint32(a[1]))) },
	"i64.div_s": func(a []uint64) (uint64, error) { return i64e(I64DivS(int64(a[0]), int64(a[1]))) },
	"i64.div_u": func(a []uint64) (uint64, error) { return u64e(I64DivU(a[0], a[1])) },
	"i64.rem_s": func(a []uint64) (uint64, error) { return i64e(I64RemS(int64(a[0]), int64(a[1]))) },
	"i64.rem_u": func(a []uint64) (uint64, error) { return u64e(I64RemU(a[0], a[1])) },
}

func TestSpec(t *testing.T) {
	files := []struct{ file, prefix string }{
		{"conversions.wast", ""},
		{"float_misc.wast", ""},
		{"f32.wast", "f32."},
		{"f64.wast", "f64."},
		{"f32_bitwise.wast", "f32."},
		{"f64_bitwise.wast", "f64."},
		{"f32_cmp.wast", "f32."},
		{"f64_cmp.wast", "f64."},
		{"i32.wast", "i32."},
		{"i64.wast", "i64."},
	}
	for _, f := range files {
		t.Run(f.file, func(t *testing.T) {
			n := runScalarSpec(t, f.file, f.prefix, scalarFuncs)
			if n == 0 {
				t.Fatalf("no assertions checked")
			}
			t.Logf("%d assertions", n)
		})
	}
}

func TestTruncBoundaries(t *testing.T) {
	tests := []struct {
		name string
		got  func() (uint64, error)
		want uint64
		err  error
	}{
		{"i32.trunc_f64_s(-2147483648.9)", func() (uint64, error) { return i32e(I32TruncF64S(-2147483648.9)) }, 0x80000000, nil},
		{"i32.trunc_f64_s(-2147483649.0)", func() (uint64, error) { return i32e(I32TruncF64S(-2147483649.0)) }, 0, ErrIntegerOverflow},
		{"i32.trunc_f64_s(2147483647.9)", func() (uint64, error) { return i32e(I32TruncF64S(2147483647.9)) }, 0x7fffffff, nil},
		{"i32.trunc_f64_s(2147483648.0)", func() (uint64, error) { return i32e(I32TruncF64S(2147483648.0)) }, 0, ErrIntegerOverflow},
		{"i32.trunc_f64_u(-0.9)", func() (uint64, error) { return u32e(I32TruncF64U(-0.9)) }, 0, nil},
		{"i32.trunc_f64_u(4294967295.9)", func() (uint64, error) { return u32e(I32TruncF64U(4294967295.9)) }, 0xffffffff, nil},
		{"i32.trunc_f64_u(4294967296.0)", func() (uint64, error) { return u32e(I32TruncF64U(4294967296.0)) }, 0, ErrIntegerOverflow},
		{"i32.trunc_f32_s(-2147483904.0)", func() (uint64, error) { return i32e(I32TruncF32S(-2147483904.0)) }, 0, ErrIntegerOverflow},
		{"i64.trunc_f32_u(2^64)", func() (uint64, error) { return u64e(I64TruncF32U(18446744073709551616.0)) }, 0, ErrIntegerOverflow},
		{"i64.trunc_f64_u(2^64-2048)", func() (uint64, error) { return u64e(I64TruncF64U(18446744073709549568.0)) }, 0xfffffffffffff800, nil},
		{"i64.trunc_f64_u(2^63)", func() (uint64, error) { return u64e(I64TruncF64U(9223372036854775808.0)) }, 1 << 63, nil},
		{"i64.trunc_f64_s(-2^63)", func() (uint64, error) { return i64e(I64TruncF64S(-9223372036854775808.0)) }, 1 << 63, nil},
		{"i64.trunc_f64_s(2^63)", func() (uint64, error) { return i64e(I64TruncF64S(9223372036854775808.0)) }, 0, ErrIntegerOverflow},
		{"i64.trunc_f64_s(nan)", func() (uint64, error) { return i64e(I64TruncF64S(math.NaN())) }, 0, ErrInvalidConversion},
		{"i64.trunc_sat_f64_u(2^63)", func() (uint64, error) { return I64TruncSatF64U(9223372036854775808.0), nil }, 1 << 63, nil},
		{"i64.trunc_sat_f64_u(inf)", func() (uint64, error) { return I64TruncSatF64U(math.Inf(1)), nil }, math.MaxUint64, nil},
		{"i64.trunc_sat_f64_s(-inf)", func() (uint64, error) { return uint64(I64TruncSatF64S(math.Inf(-1))), nil }, 1 << 63, nil},
		{"i32.div_s(min,-1)", func() (uint64, error) { return i32e(I32DivS(math.MinInt32, -1)) }, 0, ErrIntegerOverflow},
		{"i32.rem_s(min,-1)", func() (uint64, error) { return i32e(I32RemS(math.MinInt32, -1)) }, 0, nil},
		{"i64.rem_s(min,-1)", func() (uint64, error) { return i64e(I64RemS(math.MinInt64, -1)) }, 0, nil},
		{"i64.div_u(1,0)", func() (uint64, error) { return u64e(I64DivU(1, 0)) }, 0, ErrIntegerDivideByZero},
	}
	for _, tt := range tests {
		got, err := tt.got()
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("%s = (%#x, %v), want (%#x, %v)", tt.name, got, err, tt.want, tt.err)
		}
	}
}

func TestConvertRounding(t *testing.T) {
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"f32.convert_i64_s(0x7fffff4000000001)", float64(F32ConvertI64S(0x7fffff4000000001)), 0x1.fffffep+62},
		{"f32.convert_i64_s(0x7fffff4000000000)", float64(F32ConvertI64S(0x7fffff4000000000)), 0x1.fffffcp+62},
		{"f32.convert_i64_s(-0x7fffff4000000001)", float64(F32ConvertI64S(-0x7fffff4000000001)), -0x1.fffffep+62},
		{"f32.convert_i64_s(min)", float64(F32ConvertI64S(math.MinInt64)), -0x1p63},
		{"f32.convert_i64_u(0x8000008000000001)", float64(F32ConvertI64U(0x8000008000000001)), 0x1.000002p+63},
		{"f32.convert_i64_u(0x0020000020000001)", float64(F32ConvertI64U(0x0020000020000001)), 0x1.000002p+53},
		{"f32.convert_i64_u(0x0020000010000000)", float64(F32ConvertI64U(0x0020000010000000)), 0x1p+53},
		{"f32.convert_i64_u(max)", float64(F32ConvertI64U(math.MaxUint64)), 0x1p64},
		{"f32.convert_i32_u(0xffffff80)", float64(F32ConvertI32U(0xffffff80)), 0x1p32},
		{"f32.convert_i32_u(0xffffff7f)", float64(F32ConvertI32U(0xffffff7f)), 0x1.fffffep31},
		{"f64.convert_i64_u(9007199254740993)", F64ConvertI64U(9007199254740993), 9007199254740992},
		{"f64.convert_i64_u(0x8000000000000401)", F64ConvertI64U(0x8000000000000401), 0x1.0000000000001p+63},
		{"f64.convert_i64_u(0x8000000000000400)", F64ConvertI64U(0x8000000000000400), 0x1p+63},
		{"f64.convert_i64_u(0x8000000000000c00)", F64ConvertI64U(0x8000000000000c00), 0x1.0000000000002p+63},
		{"f64.convert_i64_s(9007199254740993)", F64ConvertI64S(9007199254740993), 9007199254740992},
	}
	for _, tt := range tests {
		if math.Float64bits(tt.got) != math.Float64bits(tt.want) {
			t.Errorf("%s = %x, want %x", tt.name, tt.got, tt.want)
		}
	}
}

func TestMinMaxNearest(t *testing.T) {
	negZero := math.Copysign(0, -1)
	snan32 := math.Float32frombits(0x7fa00000)
	tests := []struct {
		name      string
		got, want uint64
	}{
		{"f32.min(-0,+0)", b32(F32Min(float32(negZero), 0)), 0x80000000},
		{"f32.min(+0,-0)", b32(F32Min(0, float32(negZero))), 0x80000000},
		{"f32.max(-0,+0)", b32(F32Max(float32(negZero), 0)), 0},
		{"f64.min(+0,-0)", b64(F64Min(0, negZero)), 1 << 63},
		{"f64.max(-0,+0)", b64(F64Max(negZero, 0)), 0},
		{"f32.min(snan,1)", b32(F32Min(snan32, 1)), 0x7fe00000},
		{"f32.max(1,snan)", b32(F32Max(1, snan32)), 0x7fe00000},
		{"f32.nearest(-0.5)", b32(F32Nearest(-0.5)), 0x80000000},
		{"f32.nearest(2.5)", b32(F32Nearest(2.5)), b32(2)},
		{"f32.nearest(-3.5)", b32(F32Nearest(-3.5)), b32(-4)},
		{"f64.nearest(-0.4)", b64(F64Nearest(-0.4)), 1 << 63},
		{"f64.nearest(0.5)", b64(F64Nearest(0.5)), 0},
		{"f64.nearest(4503599627370497)", b64(F64Nearest(4503599627370497)), b64(4503599627370497)},
		{"f32.ceil(-0.5)", b32(F32Ceil(-0.5)), 0x80000000},
		{"f32.sqrt(snan)", b32(F32Sqrt(snan32)), 0x7fe00000},
		{"f32.demote(snan64)", b32(F32DemoteF64(math.Float64frombits(0xfff4000000000001))), 0xffe00000},
		{"f64.promote(snan32)", b64(F64PromoteF32(snan32)), 0x7ffc000000000000},
		{"f32.neg(snan)", b32(F32Neg(snan32)), 0xffa00000},
		{"f32.pmin(nan,1)", b32(F32Pmin(math.Float32frombits(0x7fc00000), 1)), 0x7fc00000},
		{"f32.pmax(1,nan)", b32(F32Pmax(1, math.Float32frombits(0x7fc00000))), b32(1)},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %#x, want %#x", tt.name, tt.got, tt.want)
		}
	}
}

func TestNoAlloc(t *testing.T) {
	n := testing.AllocsPerRun(100, func() {
		_, _ = I64TruncF64U(1e19)
		_ = F32Min(1, 2)
		_ = F32ConvertI64U(0x8000008000000001)
		_, _ = I32DivS(1, 0)
	})
	if n != 0 {
		t.Errorf("allocations: %v", n)
	}
}

// TestConvertRandom checks the integer-to-float conversions against
// math/big's correctly rounded ones on pseudo-random values, biased
// towards long runs of ones and zeros where rounding is delicate.
func TestConvertRandom(t *testing.T) {
	seed := uint64(0x243f6a8885a308d3)
	next := func() uint64 {
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return seed
	}
	for i := 0; i < 200000; i++ {
		x := next()
		switch i % 4 {
		case 1:
			x >>= next() % 64
		case 2:
			x &= ^uint64(0) << (next() % 64)
		case 3:
			x = 1<<(next()%64) + next()%4 - 2
		}
		bu := new(big.Float).SetUint64(x)
		if got, _ := bu.Float32(); F32ConvertI64U(x) != got {
			t.Fatalf("F32ConvertI64U(%#x) = %x, want %x", x, F32ConvertI64U(x), got)
		}
		if got, _ := bu.Float64(); F64ConvertI64U(x) != got {
			t.Fatalf("F64ConvertI64U(%#x) = %x, want %x", x, F64ConvertI64U(x), got)
		}
		bs := new(big.Float).SetInt64(int64(x))
		if got, _ := bs.Float32(); F32ConvertI64S(int64(x)) != got {
			t.Fatalf("F32ConvertI64S(%d) = %x, want %x", int64(x), F32ConvertI64S(int64(x)), got)
		}
		if got, _ := bs.Float64(); F64ConvertI64S(int64(x)) != got {
			t.Fatalf("F64ConvertI64S(%d) = %x, want %x", int64(x), F64ConvertI64S(int64(x)), got)
		}
		if got, _ := new(big.Float).SetUint64(uint64(uint32(x))).Float32(); F32ConvertI32U(uint32(x)) != got {
			t.Fatalf("F32ConvertI32U(%d) = %x, want %x", uint32(x), F32ConvertI32U(uint32(x)), got)
		}
		if got, _ := new(big.Float).SetInt64(int64(int32(x))).Float32(); F32ConvertI32S(int32(x)) != got {
			t.Fatalf("F32ConvertI32S(%d) = %x, want %x", int32(x), F32ConvertI32S(int32(x)), got)
		}
	}
}

// TestTruncRandom checks the truncations against math/big on values near
// the range limits.
func TestTruncRandom(t *testing.T) {
	limits := []float64{0, -1, 1 << 31, -(1 << 31), 1 << 32, 1 << 63, -(1 << 63), 1 << 64}
	for _, l := range limits {
		x := l
		for i := 0; i < 40; i++ {
			for _, y := range []float64{x, math.Nextafter(x, math.Inf(1)), math.Nextafter(x, math.Inf(-1))} {
				checkTrunc(t, y)
				checkTrunc(t, float64(float32(y)))
			}
			x = math.Nextafter(x, math.Inf(1))
		}
	}
}

func checkTrunc(t *testing.T, x float64) {
	t.Helper()
	bi, _ := new(big.Float).SetFloat64(x).Int(nil) // truncates toward zero
	inRange := func(lo, hi *big.Int) bool { return bi.Cmp(lo) >= 0 && bi.Cmp(hi) <= 0 }
	i32, u32 := inRange(big.NewInt(math.MinInt32), big.NewInt(math.MaxInt32)), inRange(big.NewInt(0), big.NewInt(math.MaxUint32))
	i64, u64 := inRange(big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)), inRange(big.NewInt(0), new(big.Int).SetUint64(math.MaxUint64))
	if v, err := I32TruncF64S(x); (err == nil) != i32 || err == nil && int64(v) != bi.Int64() {
		t.Errorf("I32TruncF64S(%v) = %v, %v", x, v, err)
	}
	if v, err := I32TruncF64U(x); (err == nil) != u32 || err == nil && uint64(v) != bi.Uint64() {
		t.Errorf("I32TruncF64U(%v) = %v, %v", x, v, err)
	}
	if v, err := I64TruncF64S(x); (err == nil) != i64 || err == nil && v != bi.Int64() {
		t.Errorf("I64TruncF64S(%v) = %v, %v", x, v, err)
	}
	if v, err := I64TruncF64U(x); (err == nil) != u64 || err == nil && v != bi.Uint64() {
		t.Errorf("I64TruncF64U(%v) = %v, %v", x, v, err)
	}
	if f := float32(x); float64(f) == x {
		if v, err := I64TruncF32U(f); (err == nil) != u64 || err == nil && v != bi.Uint64() {
			t.Errorf("I64TruncF32U(%v) = %v, %v", f, v, err)
		}
		if v, err := I32TruncF32S(f); (err == nil) != i32 || err == nil && int64(v) != bi.Int64() {
			t.Errorf("I32TruncF32S(%v) = %v, %v", f, v, err)
		}
	}
	if u64 && I64TruncSatF64U(x) != bi.Uint64() || i64 && I64TruncSatF64S(x) != bi.Int64() {
		t.Errorf("saturating truncation of %v", x)
	}
}
