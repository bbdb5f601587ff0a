// Package wastexpr is a small test-only reader for the spec test suite's
// .wast files: it parses s-expressions and the scalar constants of
// assert_return/assert_trap commands, so that the numeric and SIMD
// packages can check their operations against the suite without the text
// package. It is deliberately loose and must not be used on untrusted
// input outside tests.
package wastexpr

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/internal/testenv"
)

// Expr is a parsed s-expression: an atom (IsList false) or a list.
type Expr struct {
	Atom   string  // token text; strings keep their quotes
	List   []*Expr // the elements of a list
	IsList bool    // whether e is a list (possibly empty)
	Line   int     // the line where it starts
}

// SkipComment skips the line comment (";;" up to, not including, the end
// of the line) or the possibly nested block comment ("(;" to ";)") that
// starts at src[i]. It returns the index after the comment and the number
// of newlines inside it; ok is false when no comment starts at i.
func SkipComment[S ~string | ~[]byte](src S, i int) (end, newlines int, ok bool) {
	at := func(i int, a, b byte) bool { return i+1 < len(src) && src[i] == a && src[i+1] == b }
	switch {
	case at(i, ';', ';'):
		for i < len(src) && src[i] != '\n' {
			i++
		}
		return i, 0, true
	case at(i, '(', ';'):
		depth := 0
		for i < len(src) {
			switch {
			case at(i, '(', ';'):
				depth++
				i += 2
			case at(i, ';', ')'):
				depth--
				i += 2
				if depth == 0 {
					return i, newlines, true
				}
			default:
				if src[i] == '\n' {
					newlines++
				}
				i++
			}
		}
		return i, newlines, true
	}
	return i, 0, false
}

// Parse parses the top-level s-expressions of a .wast file.
func Parse(src string) ([]*Expr, error) {
	var stack [][]*Expr
	var lines []int
	var top []*Expr
	line := 1
	add := func(e *Expr) {
		if len(stack) == 0 {
			top = append(top, e)
		} else {
			stack[len(stack)-1] = append(stack[len(stack)-1], e)
		}
	}
	for i := 0; i < len(src); {
		if end, newlines, ok := SkipComment(src, i); ok {
			i, line = end, line+newlines
			continue
		}
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '(':
			stack = append(stack, nil)
			lines = append(lines, line)
			i++
		case c == ')':
			if len(stack) == 0 {
				return nil, fmt.Errorf("line %d: unbalanced )", line)
			}
			l := stack[len(stack)-1]
			ln := lines[len(lines)-1]
			stack = stack[:len(stack)-1]
			lines = lines[:len(lines)-1]
			add(&Expr{List: l, IsList: true, Line: ln})
			i++
		case c == '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			add(&Expr{Atom: src[i : j+1], Line: line})
			i = j + 1
		default:
			j := i
			for j < len(src) && !strings.ContainsRune(" \t\r\n()\";", rune(src[j])) {
				j++
			}
			add(&Expr{Atom: src[i:j], Line: line})
			i = j
		}
	}
	if len(stack) != 0 {
		return nil, fmt.Errorf("unbalanced (")
	}
	return top, nil
}

// Head returns the first atom of a list, or "" when there is none.
func (e *Expr) Head() string {
	if e.IsList && len(e.List) > 0 && !e.List[0].IsList {
		return e.List[0].Atom
	}
	return ""
}

// Expect is an expected scalar result: bits, or a NaN class.
type Expect struct {
	Bits  uint64 // the value's bits when Class is ""
	Class string // "", "nan:canonical" or "nan:arithmetic"
	Type  string // i32, i64, f32, f64
}

// ParseInt parses an integer literal (decimal or 0x hex, optional sign and
// underscores) and returns it as two's-complement bits truncated to bits.
func ParseInt(s string, bits int) (uint64, error) {
	s = strings.ReplaceAll(s, "_", "")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	base := 10
	if strings.HasPrefix(s, "0x") {
		base, s = 16, s[2:]
	}
	v, err := strconv.ParseUint(s, base, bits)
	if err != nil {
		return 0, err
	}
	if neg {
		v = -v
	}
	if bits < 64 {
		v &= 1<<bits - 1
	}
	return v, nil
}

// ParseFloat parses a float literal to its bits (bits = 32 or 64).
func ParseFloat(s string, bits int) (uint64, error) {
	s = strings.ReplaceAll(s, "_", "")
	var sign uint64
	body := s
	if body != "" && (body[0] == '-' || body[0] == '+') {
		if body[0] == '-' {
			sign = 1
		}
		body = body[1:]
	}
	expBits, mantBits := 8, 23
	if bits == 64 {
		expBits, mantBits = 11, 52
	}
	expMask := uint64(1)<<expBits - 1
	switch {
	case body == "inf":
		return sign<<(bits-1) | expMask<<mantBits, nil
	case body == "nan":
		return sign<<(bits-1) | expMask<<mantBits | 1<<(mantBits-1), nil
	case strings.HasPrefix(body, "nan:0x"):
		p, err := strconv.ParseUint(body[6:], 16, 64)
		if err != nil || p == 0 || p >= 1<<mantBits {
			return 0, fmt.Errorf("bad nan payload %q", s)
		}
		return sign<<(bits-1) | expMask<<mantBits | p, nil
	}
	if strings.HasPrefix(body, "0x") && !strings.ContainsAny(body, "pP") {
		body += "p0"
	}
	f, err := strconv.ParseFloat(body, bits)
	if err != nil {
		return 0, err
	}
	if bits == 32 {
		return sign<<31 | uint64(math.Float32bits(float32(f))), nil
	}
	return sign<<63 | math.Float64bits(f), nil
}

// ParseConst parses (t.const v) into an expectation (for arguments, Class
// is always empty).
func ParseConst(e *Expr) (Expect, error) {
	if !e.IsList || len(e.List) != 2 {
		return Expect{}, fmt.Errorf("line %d: not a scalar const", e.Line)
	}
	t := strings.TrimSuffix(e.Head(), ".const")
	v := e.List[1].Atom
	x := Expect{Type: t}
	var err error
	switch t {
	case "i32":
		x.Bits, err = ParseInt(v, 32)
	case "i64":
		x.Bits, err = ParseInt(v, 64)
	case "f32", "f64":
		if v == "nan:canonical" || v == "nan:arithmetic" {
			x.Class = v
			return x, nil
		}
		n := 32
		if t == "f64" {
			n = 64
		}
		x.Bits, err = ParseFloat(v, n)
	default:
		return x, fmt.Errorf("line %d: unsupported const %s", e.Line, e.Head())
	}
	if err != nil {
		return x, fmt.Errorf("line %d: %v", e.Line, err)
	}
	return x, nil
}

// Match reports whether got satisfies the expectation.
func (x Expect) Match(got uint64) bool {
	switch x.Type + " " + x.Class {
	case "f32 nan:canonical":
		return uint32(got)&^(1<<31) == 0x7fc00000
	case "f32 nan:arithmetic":
		return uint32(got)&0x7fc00000 == 0x7fc00000
	case "f64 nan:canonical":
		return got&^(1<<63) == 0x7ff8000000000000
	case "f64 nan:arithmetic":
		return got&0x7ff8000000000000 == 0x7ff8000000000000
	}
	return got == x.Bits
}

// ReadSpec reads and parses the spec test file name of the suite dir
// (e.g. "wasm-2.0") from the shared test data, skipping the test when the
// data is missing (failing under CI=true).
func ReadSpec(t testing.TB, dir, name string) []*Expr {
	t.Helper()
	src, err := os.ReadFile(testenv.Require(t, filepath.Join("spec", dir, name)))
	if err != nil {
		t.Fatal(err)
	}
	es, err := Parse(string(src))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return es
}
