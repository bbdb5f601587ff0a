package numeric

// A test-only reader for the single-instruction assertions of the spec
// test suite: (assert_return (invoke "f" consts...) consts...) and
// (assert_trap (invoke "f" consts...) "message").

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

// sexpr is a parsed s-expression: an atom (List == nil) or a list.
type sexpr struct {
	Atom   string // token text; strings keep their quotes
	List   []*sexpr
	IsList bool
	Line   int
}

// parseSexprs parses the top-level s-expressions of a .wast file.
func parseSexprs(src string) ([]*sexpr, error) {
	var stack [][]*sexpr
	var lines []int
	var top []*sexpr
	line := 1
	add := func(e *sexpr) {
		if len(stack) == 0 {
			top = append(top, e)
		} else {
			stack[len(stack)-1] = append(stack[len(stack)-1], e)
		}
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case strings.HasPrefix(src[i:], ";;"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case strings.HasPrefix(src[i:], "(;"):
			depth := 0
			for i < len(src) {
				if strings.HasPrefix(src[i:], "(;") {
					depth++
					i += 2
				} else if strings.HasPrefix(src[i:], ";)") {
					depth--
					i += 2
					if depth == 0 {
						break
					}
				} else {
					if src[i] == '\n' {
						line++
					}
					i++
				}
			}
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
			add(&sexpr{List: l, IsList: true, Line: ln})
			i++
		case c == '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			add(&sexpr{Atom: src[i : j+1], Line: line})
			i = j + 1
		default:
			j := i
			for j < len(src) && !strings.ContainsRune(" \t\r\n()\";", rune(src[j])) {
				j++
			}
			add(&sexpr{Atom: src[i:j], Line: line})
			i = j
		}
	}
	if len(stack) != 0 {
		return nil, fmt.Errorf("unbalanced (")
	}
	return top, nil
}

// head returns the first atom of a list.
func (e *sexpr) head() string {
	if e.IsList && len(e.List) > 0 && !e.List[0].IsList {
		return e.List[0].Atom
	}
	return ""
}

// expect is an expected scalar result: bits, or a NaN class.
type expect struct {
	Bits  uint64
	Class string // "", "nan:canonical" or "nan:arithmetic"
	Type  string // i32, i64, f32, f64
}

func parseInt(s string, bits int) (uint64, error) {
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

// parseFloat parses a float literal to its bits (bits = 32 or 64).
func parseFloat(s string, bits int) (uint64, error) {
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

// parseConst parses (t.const v) into an expectation (for arguments, Class
// is always empty).
func parseConst(e *sexpr) (expect, error) {
	if !e.IsList || len(e.List) != 2 {
		return expect{}, fmt.Errorf("line %d: not a scalar const", e.Line)
	}
	t := strings.TrimSuffix(e.head(), ".const")
	v := e.List[1].Atom
	x := expect{Type: t}
	var err error
	switch t {
	case "i32":
		x.Bits, err = parseInt(v, 32)
	case "i64":
		x.Bits, err = parseInt(v, 64)
	case "f32", "f64":
		if v == "nan:canonical" || v == "nan:arithmetic" {
			x.Class = v
			return x, nil
		}
		n := 32
		if t == "f64" {
			n = 64
		}
		x.Bits, err = parseFloat(v, n)
	default:
		return x, fmt.Errorf("line %d: unsupported const %s", e.Line, e.head())
	}
	if err != nil {
		return x, fmt.Errorf("line %d: %v", e.Line, err)
	}
	return x, nil
}

// match reports whether got satisfies the expectation.
func (x expect) match(got uint64) bool {
	switch x.Type + " " + x.Class {
	case "f32 nan:canonical":
		return uint32(got)&^f32SignBit == F32CanonicalNaN
	case "f32 nan:arithmetic":
		return uint32(got)&0x7fc00000 == 0x7fc00000
	case "f64 nan:canonical":
		return got&^f64SignBit == F64CanonicalNaN
	case "f64 nan:arithmetic":
		return got&0x7ff8000000000000 == 0x7ff8000000000000
	}
	return got == x.Bits
}

// readSpec reads and parses a spec .wast file, skipping the test when the
// data is missing (failing under CI=true).
func readSpec(t *testing.T, name string) []*sexpr {
	t.Helper()
	src, err := os.ReadFile(testenv.Require(t, filepath.Join("spec", "wasm-2.0", name)))
	if err != nil {
		t.Fatal(err)
	}
	es, err := parseSexprs(string(src))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return es
}

// scalarFunc is one instruction under test: arguments and result as bits.
type scalarFunc func(args []uint64) (uint64, error)

// runScalarSpec runs every assert_return/assert_trap of file whose function
// is in funcs (named prefix+invoke name) and returns the number checked.
func runScalarSpec(t *testing.T, file, prefix string, funcs map[string]scalarFunc) int {
	n := 0
	for _, e := range readSpec(t, file) {
		h := e.head()
		if h != "assert_return" && h != "assert_trap" {
			continue
		}
		inv := e.List[1]
		if inv.head() != "invoke" {
			continue
		}
		name := prefix + strings.Trim(inv.List[1].Atom, `"`)
		f := funcs[name]
		if f == nil {
			continue
		}
		var args []uint64
		for _, a := range inv.List[2:] {
			x, err := parseConst(a)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			args = append(args, x.Bits)
		}
		got, err := f(args)
		n++
		if h == "assert_trap" {
			want := strings.Trim(e.List[2].Atom, `"`)
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("%s:%d: %s%x: got (%#x, %v), want trap %q", file, e.Line, name, args, got, err, want)
			}
			continue
		}
		x, perr := parseConst(e.List[2])
		if perr != nil {
			t.Fatalf("%s: %v", file, perr)
		}
		if err != nil || !x.match(got) {
			t.Errorf("%s:%d: %s%x: got (%#x, %v), want %#x %s", file, e.Line, name, args, got, err, x.Bits, x.Class)
		}
	}
	return n
}
