package numeric

import (
	"strings"
	"testing"

	"github.com/gowasm/gowasm/internal/wastexpr"
)

// scalarFunc is one instruction under test: arguments and result as bits.
type scalarFunc func(args []uint64) (uint64, error)

// runScalarSpec runs every assert_return/assert_trap of file whose function
// is in funcs (named prefix+invoke name) and returns the number checked.
func runScalarSpec(t *testing.T, file, prefix string, funcs map[string]scalarFunc) int {
	n := 0
	for _, e := range wastexpr.ReadSpec(t, "wasm-2.0", file) {
		h := e.Head()
		if h != "assert_return" && h != "assert_trap" {
			continue
		}
		inv := e.List[1]
		if inv.Head() != "invoke" {
			continue
		}
		name := prefix + strings.Trim(inv.List[1].Atom, `"`)
		f := funcs[name]
		if f == nil {
			continue
		}
		var args []uint64
		for _, a := range inv.List[2:] {
			x, err := wastexpr.ParseConst(a)
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
		x, perr := wastexpr.ParseConst(e.List[2])
		if perr != nil {
			t.Fatalf("%s: %v", file, perr)
		}
		if err != nil || !x.Match(got) {
			t.Errorf("%s:%d: %s%x: got (%#x, %v), want %#x %s", file, e.Line, name, args, got, err, x.Bits, x.Class)
		}
	}
	return n
}
