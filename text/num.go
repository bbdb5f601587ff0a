package text

import (
	"errors"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// errOutOfRange is returned for syntactically valid numbers whose value
// does not fit; errSyntax for tokens that are not numbers of the expected
// form.
var (
	errOutOfRange = errors.New("constant out of range")
	errSyntax     = errors.New("unexpected token")
)

// parseNat parses an unsigned integer token (decimal or hexadecimal, with
// single underscores between digits) that must fit in 64 bits.
func parseNat(s string) (uint64, error) {
	if s == "" {
		return 0, errSyntax
	}
	base := uint64(10)
	if len(s) > 2 && s[0] == '0' && s[1] == 'x' {
		base = 16
		s = s[2:]
	}
	var v uint64
	overflow := false
	prevDigit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' {
			if !prevDigit || i+1 == len(s) {
				return 0, errSyntax
			}
			prevDigit = false
			continue
		}
		h := hexVal(c)
		if h < 0 || uint64(h) >= base {
			return 0, errSyntax
		}
		prevDigit = true
		hi, lo := bits.Mul64(v, base)
		sum, carry := bits.Add64(lo, uint64(h), 0)
		if hi != 0 || carry != 0 {
			overflow = true
		}
		v = sum
	}
	if !prevDigit {
		return 0, errSyntax
	}
	if overflow {
		return 0, errOutOfRange
	}
	return v, nil
}

// parseU32 parses a u32 token (indices, alignments, lane counts...).
func parseU32(s string) (uint32, error) {
	v, err := parseU64(s)
	if err != nil {
		return 0, err
	}
	if v > math.MaxUint32 {
		return 0, errOutOfRange
	}
	return uint32(v), nil
}

// parseU64 parses a u64 token.
func parseU64(s string) (uint64, error) {
	if s == "" || s[0] == '+' || s[0] == '-' {
		return 0, errSyntax
	}
	return parseNat(s)
}

// parseInt parses an iN token (N = bits ≤ 64): an unsigned value below
// 2^N or a signed value at least -2^(N-1). It returns the two's
// complement bits.
func parseInt(s string, bits uint) (uint64, error) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || s[0] == '+' || s[0] == '-' {
		return 0, errSyntax
	}
	v, err := parseNat(s)
	if err != nil {
		return 0, err
	}
	mask := uint64(math.MaxUint64)
	if bits < 64 {
		mask = 1<<bits - 1
	}
	if neg {
		if v > 1<<(bits-1) {
			return 0, errOutOfRange
		}
		return -v & mask, nil
	}
	if v > mask {
		return 0, errOutOfRange
	}
	return v, nil
}

// floatFormat describes an IEEE binary format.
type floatFormat struct {
	bits     int // 32 or 64
	mantBits uint
	expMask  uint64 // exponent field, in place
}

var (
	fmt32 = floatFormat{32, 23, 0x7F800000}
	fmt64 = floatFormat{64, 52, 0x7FF0000000000000}
)

// parseFloat parses a float token of the text format: decimal or
// hexadecimal (rounded to nearest, ties to even, directly to the target
// precision), inf, nan or nan:0xN, with an optional sign.
func parseFloat(s string, f floatFormat) (uint64, error) {
	neg := false
	body := s
	if body != "" && (body[0] == '+' || body[0] == '-') {
		neg = body[0] == '-'
		body = body[1:]
	}
	sign := uint64(0)
	if neg {
		sign = 1 << (f.bits - 1)
	}
	switch {
	case body == "inf":
		return sign | f.expMask, nil
	case body == "nan":
		return sign | f.expMask | 1<<(f.mantBits-1), nil
	case strings.HasPrefix(body, "nan:0x"):
		p, err := parseNat(body[4:])
		if err != nil {
			return 0, errSyntax
		}
		if p == 0 || p >= 1<<f.mantBits {
			return 0, errOutOfRange
		}
		return sign | f.expMask | p, nil
	}
	clean, ok := cleanFloat(body)
	if !ok {
		return 0, errSyntax
	}
	if neg {
		clean = "-" + clean
	}
	x, err := strconv.ParseFloat(clean, f.bits)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange && math.IsInf(x, 0) {
			return 0, errOutOfRange
		}
		if !(errors.As(err, &ne) && ne.Err == strconv.ErrRange) {
			return 0, errSyntax
		}
	}
	if f.bits == 32 {
		return uint64(math.Float32bits(float32(x))), nil
	}
	return math.Float64bits(x), nil
}

// cleanFloat checks the syntax of an unsigned decimal or hexadecimal float
// (digits with single underscores between them, optional fraction and
// exponent) and returns it without underscores, in a form strconv
// accepts.
func cleanFloat(s string) (string, bool) {
	hex := strings.HasPrefix(s, "0x")
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	if hex {
		s = s[2:]
		isDigit = func(c byte) bool { return hexVal(c) >= 0 }
	}
	var b strings.Builder
	if hex {
		b.WriteString("0x")
	}
	i := 0
	// digits reads num: digit ('_'? digit)*, returning false if empty or
	// malformed.
	digits := func(isD func(byte) bool) bool {
		start := i
		for i < len(s) {
			c := s[i]
			if isD(c) {
				b.WriteByte(c)
				i++
				continue
			}
			if c == '_' && i > start && i+1 < len(s) && isD(s[i+1]) {
				i++
				continue
			}
			break
		}
		return i > start
	}
	if !digits(isDigit) {
		return "", false
	}
	if i < len(s) && s[i] == '.' {
		b.WriteByte('.')
		i++
		if i < len(s) && isDigit(s[i]) {
			digits(isDigit)
		}
	}
	expc := byte('e')
	if hex {
		expc = 'p'
	}
	if i < len(s) && (s[i]|0x20) == expc {
		b.WriteByte(expc)
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			b.WriteByte(s[i])
			i++
		}
		if !digits(func(c byte) bool { return c >= '0' && c <= '9' }) {
			return "", false
		}
	} else if hex {
		b.WriteString("p0")
	}
	if i != len(s) {
		return "", false
	}
	return b.String(), true
}
