package text

import "testing"

func TestParseInt(t *testing.T) {
	tests := []struct {
		in   string
		bits uint
		want uint64
		err  error
	}{
		{"0", 32, 0, nil},
		{"0_123_456_789", 32, 123456789, nil},
		{"0xffffffff", 32, 0xffffffff, nil},
		{"4294967295", 32, 0xffffffff, nil},
		{"-0x80000000", 32, 0x80000000, nil},
		{"-2147483648", 32, 0x80000000, nil},
		{"-1", 32, 0xffffffff, nil},
		{"+7", 32, 7, nil},
		{"0x1_0", 32, 16, nil},
		{"0xABCdef", 32, 0xabcdef, nil},
		{"0x100000000", 32, 0, errOutOfRange},
		{"4294967296", 32, 0, errOutOfRange},
		{"-0x80000001", 32, 0, errOutOfRange},
		{"-2147483649", 32, 0, errOutOfRange},
		{"0xffffffffffffffff", 64, 0xffffffffffffffff, nil},
		{"18446744073709551615", 64, 0xffffffffffffffff, nil},
		{"-9223372036854775808", 64, 0x8000000000000000, nil},
		{"-0x8000000000000000", 64, 0x8000000000000000, nil},
		{"18446744073709551616", 64, 0, errOutOfRange},
		{"0x10000000000000000", 64, 0, errOutOfRange},
		{"-9223372036854775809", 64, 0, errOutOfRange},
		{"99999999999999999999999", 64, 0, errOutOfRange},
		{"255", 8, 255, nil},
		{"-128", 8, 0x80, nil},
		{"256", 8, 0, errOutOfRange},
		{"-129", 8, 0, errOutOfRange},
		{"", 32, 0, errSyntax},
		{"0x", 32, 0, errSyntax},
		{"1x", 32, 0, errSyntax},
		{"_1", 32, 0, errSyntax},
		{"1_", 32, 0, errSyntax},
		{"1__0", 32, 0, errSyntax},
		{"0x_1", 32, 0, errSyntax},
		{"--1", 32, 0, errSyntax},
		{"+-1", 32, 0, errSyntax},
		{"1.0", 32, 0, errSyntax},
		{"0xg", 32, 0, errSyntax},
	}
	for _, tt := range tests {
		got, err := parseInt(tt.in, tt.bits)
		if err != tt.err || err == nil && got != tt.want {
			t.Errorf("parseInt(%q, %d) = %#x, %v; want %#x, %v", tt.in, tt.bits, got, err, tt.want, tt.err)
		}
	}
}

func TestParseU32(t *testing.T) {
	tests := []struct {
		in   string
		want uint32
		err  error
	}{
		{"0", 0, nil},
		{"4294967295", 0xffffffff, nil},
		{"0xffff_ffff", 0xffffffff, nil},
		{"4294967296", 0, errOutOfRange},
		{"+1", 0, errSyntax},
		{"-1", 0, errSyntax},
	}
	for _, tt := range tests {
		got, err := parseU32(tt.in)
		if err != tt.err || err == nil && got != tt.want {
			t.Errorf("parseU32(%q) = %d, %v; want %d, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestParseF32(t *testing.T) {
	tests := []struct {
		in   string
		want uint32
		err  error
	}{
		{"0", 0, nil},
		{"-0", 0x80000000, nil},
		{"+0.0", 0, nil},
		{"1", 0x3f800000, nil},
		{"1.5", 0x3fc00000, nil},
		{"1.", 0x3f800000, nil},
		{"1e0", 0x3f800000, nil},
		{"1E+1", 0x41200000, nil},
		{"0123456789", 0x4ceb79a3, nil},
		{"1_000.000_1", 0x447a0002, nil},
		{"0x1p0", 0x3f800000, nil},
		{"0x1", 0x3f800000, nil},
		{"0x1.", 0x3f800000, nil},
		{"0x1.8", 0x3fc00000, nil},
		{"0X1P0", 0, errSyntax},
		{"0x1P-1", 0x3f000000, nil},
		{"-0x1.8p1", 0xc0400000, nil},
		// smallest subnormal and rounding around it
		{"0x1p-149", 0x00000001, nil},
		{"0x1p-150", 0x00000000, nil},
		{"0x1.000001p-150", 0x00000001, nil},
		{"0x1.8p-149", 0x00000002, nil},
		{"0x1.4p-149", 0x00000001, nil},
		// ties to even in normal range (hex)
		{"0x1.000001p0", 0x3f800000, nil},
		{"0x1.0000010000000000000000001p0", 0x3f800001, nil},
		{"0x1.000003p0", 0x3f800002, nil},
		{"0x1.00000100000000000p0", 0x3f800000, nil},
		{"0x1.fffffefffffffffffp127", 0x7f7fffff, nil},
		{"0x1.fffffep127", 0x7f7fffff, nil},
		{"0x1.ffffffp127", 0, errOutOfRange},
		{"0x1p128", 0, errOutOfRange},
		// decimal: exact ties and just above
		{"1.000000059604644775390625", 0x3f800000, nil},
		{"1.000000059604644775390625000000000001", 0x3f800001, nil},
		{"1.000000178813934326171875", 0x3f800002, nil},
		{"340282356779733623858607532500980858880", 0x7f7fffff, nil},
		{"340282356779733661637539395458142568448", 0, errOutOfRange},
		{"1e38", 0x7e967699, nil},
		{"1e39", 0, errOutOfRange},
		{"1e-46", 0, nil},
		{"1e-45", 0x00000001, nil},
		{"1e-1000000000000000000", 0, nil},
		// double rounding trap: rounds to f64 at a tie, but not for f32
		{"0x1.00000100000001p0", 0x3f800001, nil},
		{"1.00000005960464488641292746199999", 0x3f800001, nil},
		{"inf", 0x7f800000, nil},
		{"+inf", 0x7f800000, nil},
		{"-inf", 0xff800000, nil},
		{"nan", 0x7fc00000, nil},
		{"-nan", 0xffc00000, nil},
		{"+nan", 0x7fc00000, nil},
		{"nan:0x1", 0x7f800001, nil},
		{"nan:0x200000", 0x7fa00000, nil},
		{"nan:0x7fffff", 0x7fffffff, nil},
		{"-nan:0x7f_ffff", 0xffffffff, nil},
		{"nan:0x0", 0, errOutOfRange},
		{"nan:0x800000", 0, errOutOfRange},
		{"nan:1", 0, errSyntax},
		{"nan:0x", 0, errSyntax},
		{"infinity", 0, errSyntax},
		{"0x", 0, errSyntax},
		{".0", 0, errSyntax},
		{"0e", 0, errSyntax},
		{"0.0e+", 0, errSyntax},
		{"0x0p", 0, errSyntax},
		{"0x0pA", 0, errSyntax},
		{"1_.0", 0, errSyntax},
		{"1._0", 0, errSyntax},
		{"1.0_", 0, errSyntax},
		{"1e_1", 0, errSyntax},
		{"0x_1", 0, errSyntax},
		{"0x1p+_1", 0, errSyntax},
		{"1.0e1_", 0, errSyntax},
	}
	for _, tt := range tests {
		got, err := parseF32(tt.in)
		if err != tt.err || err == nil && got != tt.want {
			t.Errorf("parseF32(%q) = %#08x, %v; want %#08x, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestParseF64(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		err  error
	}{
		{"0", 0, nil},
		{"-0", 0x8000000000000000, nil},
		{"1", 0x3ff0000000000000, nil},
		{"0x1p-1074", 1, nil},
		{"0x1p-1075", 0, nil},
		{"0x1.8p-1074", 2, nil},
		{"0x1.0000000000001p-1075", 1, nil},
		{"4.9406564584124654e-324", 1, nil},
		{"2.4703282292062328e-324", 1, nil},
		{"2.4703282292062327e-324", 0, nil},
		{"0x1.00000000000008p0", 0x3ff0000000000000, nil},
		{"0x1.00000000000018p0", 0x3ff0000000000002, nil},
		{"0x1.000000000000080000000001p0", 0x3ff0000000000001, nil},
		{"0x1.fffffffffffffp1023", 0x7fefffffffffffff, nil},
		{"0x1.fffffffffffff7ffffffp1023", 0x7fefffffffffffff, nil},
		{"0x1.fffffffffffff8p1023", 0, errOutOfRange},
		{"1.7976931348623157e308", 0x7fefffffffffffff, nil},
		{"1.7976931348623159e308", 0, errOutOfRange},
		{"0123456789e019", 0x458fe9af5b5e16fa, nil},
		{"inf", 0x7ff0000000000000, nil},
		{"-inf", 0xfff0000000000000, nil},
		{"nan", 0x7ff8000000000000, nil},
		{"-nan", 0xfff8000000000000, nil},
		{"nan:0x1", 0x7ff0000000000001, nil},
		{"nan:0xfffffffffffff", 0x7fffffffffffffff, nil},
		{"nan:0x10000000000000", 0, errOutOfRange},
		{"nan:0x0", 0, errOutOfRange},
		{"0x1p99999999999999999999", 0, errOutOfRange},
		{"0x1p-99999999999999999999", 0, nil},
	}
	for _, tt := range tests {
		got, err := parseF64(tt.in)
		if err != tt.err || err == nil && got != tt.want {
			t.Errorf("parseF64(%q) = %#016x, %v; want %#016x, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// parseF32 parses an f32 token and returns its bits.
func parseF32(s string) (uint32, error) {
	v, err := parseFloat(s, fmt32)
	return uint32(v), err
}

// parseF64 parses an f64 token and returns its bits.
func parseF64(s string) (uint64, error) {
	return parseFloat(s, fmt64)
}
