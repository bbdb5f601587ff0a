package simd

// A tiny evaluator for the spec tests' SIMD functions: straight-line bodies
// of local.get, constants and SIMD instructions (folded or flat), run with
// this package's lookups. Functions using anything else are skipped.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/internal/testenv"
	"github.com/gowasm/gowasm/wasm"
)

var errUnsupported = errors.New("unsupported")

// testFunc is a function definition of a spec test module.
type testFunc struct {
	params []string       // types
	names  map[string]int // $name -> local index
	locals []string       // types of declared locals
	body   []*sexpr       // instructions
}

// mnemonicOps maps SIMD mnemonics to opcodes.
func mnemonicOps() map[string]wasm.Opcode {
	m := make(map[string]wasm.Opcode, len(simdMnemonics))
	for _, e := range simdMnemonics {
		m[e.Name] = wasm.PrefixedOp(0xFD, e.Sub)
	}
	return m
}

// shapeLanes gives lane count and width of a v128.const shape.
func shapeLanes(shape string) (n int, bits int, float bool, ok bool) {
	switch shape {
	case "i8x16":
		return 16, 8, false, true
	case "i16x8":
		return 8, 16, false, true
	case "i32x4":
		return 4, 32, false, true
	case "i64x2":
		return 2, 64, false, true
	case "f32x4":
		return 4, 32, true, true
	case "f64x2":
		return 2, 64, true, true
	}
	return 0, 0, false, false
}

// vexpect is an expected value: a scalar or a v128 given lane by lane.
type vexpect struct {
	scalar *expect
	bits   int      // lane width for v128
	lanes  []expect // for v128
}

func (x vexpect) match(v V128) bool {
	if x.scalar != nil {
		return x.scalar.match(v.Lo)
	}
	for i, l := range x.lanes {
		if !l.match(v.Lane(uint(x.bits), uint(i))) {
			return false
		}
	}
	return true
}

func (x vexpect) String() string {
	if x.scalar != nil {
		return fmt.Sprintf("%#x%s", x.scalar.Bits, x.scalar.Class)
	}
	var b strings.Builder
	for _, l := range x.lanes {
		if l.Class != "" {
			fmt.Fprintf(&b, " %s", l.Class)
		} else {
			fmt.Fprintf(&b, " %#x", l.Bits)
		}
	}
	return fmt.Sprintf("i%dx%d[%s ]", x.bits, len(x.lanes), b.String())
}

// parseValue parses a constant expression into an expectation; atoms
// are the tokens after the const keyword (shape and lanes for v128).
func parseValue(e *sexpr) (vexpect, error) {
	if e.head() != "v128.const" {
		x, err := parseConst(e)
		return vexpect{scalar: &x}, err
	}
	if len(e.List) < 2 {
		return vexpect{}, fmt.Errorf("line %d: bad v128.const", e.Line)
	}
	n, bits, float, ok := shapeLanes(e.List[1].Atom)
	if !ok || len(e.List) != 2+n {
		return vexpect{}, fmt.Errorf("line %d: bad v128.const", e.Line)
	}
	x := vexpect{bits: bits}
	for _, a := range e.List[2:] {
		t := fmt.Sprintf("i%d", bits)
		if float {
			t = fmt.Sprintf("f%d", bits)
		}
		if bits < 32 {
			v, err := parseInt(a.Atom, bits)
			if err != nil {
				return x, fmt.Errorf("line %d: %v", e.Line, err)
			}
			x.lanes = append(x.lanes, expect{Bits: v, Type: t})
			continue
		}
		l, err := parseConst(&sexpr{IsList: true, Line: e.Line, List: []*sexpr{{Atom: t + ".const"}, a}})
		if err != nil {
			return x, err
		}
		x.lanes = append(x.lanes, l)
	}
	return x, nil
}

// value returns the concrete value of an expectation without NaN classes.
func (x vexpect) value() (V128, error) {
	if x.scalar != nil {
		if x.scalar.Class != "" {
			return V128{}, errUnsupported
		}
		return V128{Lo: x.scalar.Bits}, nil
	}
	var v V128
	for i, l := range x.lanes {
		if l.Class != "" {
			return V128{}, errUnsupported
		}
		v = v.WithLane(uint(x.bits), uint(i), l.Bits)
	}
	return v, nil
}

// evaluator runs test functions.
type evaluator struct {
	ops   map[string]wasm.Opcode
	funcs map[string]*testFunc
}

func (ev *evaluator) addModule(m *sexpr) {
	ev.funcs = map[string]*testFunc{}
	for _, f := range m.List[1:] {
		if f.head() != "func" {
			continue
		}
		tf := &testFunc{names: map[string]int{}}
		var exports []string
		items := f.List[1:]
		if len(items) > 0 && !items[0].IsList && strings.HasPrefix(items[0].Atom, "$") {
			items = items[1:]
		}
		for len(items) > 0 && items[0].IsList {
			it := items[0]
			switch it.head() {
			case "export":
				exports = append(exports, strings.Trim(it.List[1].Atom, `"`))
			case "param", "local":
				rest := it.List[1:]
				if len(rest) == 2 && strings.HasPrefix(rest[0].Atom, "$") {
					tf.names[rest[0].Atom] = len(tf.params) + len(tf.locals)
					rest = rest[1:]
				}
				for _, r := range rest {
					if it.head() == "param" {
						tf.params = append(tf.params, r.Atom)
					} else {
						tf.locals = append(tf.locals, r.Atom)
					}
				}
			case "result", "type":
			default:
				goto body
			}
			items = items[1:]
		}
	body:
		tf.body = items
		for _, name := range exports {
			ev.funcs[name] = tf
		}
	}
}

// call runs f with args and returns its single result.
func (ev *evaluator) call(f *testFunc, args []V128) (V128, error) {
	locals := append(append([]V128(nil), args...), make([]V128, len(f.locals))...)
	var stack []V128
	if err := ev.run(f, f.body, &stack, locals); err != nil {
		return V128{}, err
	}
	if len(stack) != 1 {
		return V128{}, fmt.Errorf("stack height %d at end", len(stack))
	}
	return stack[0], nil
}

// run executes a sequence of instructions.
func (ev *evaluator) run(f *testFunc, items []*sexpr, stack *[]V128, locals []V128) error {
	for i := 0; i < len(items); {
		it := items[i]
		if it.IsList {
			if len(it.List) == 0 || it.List[0].IsList {
				return errUnsupported
			}
			op := it.List[0].Atom
			nimm := immCount(op, it.List[1:])
			if nimm < 0 || 1+nimm > len(it.List) {
				return errUnsupported
			}
			if err := ev.run(f, it.List[1+nimm:], stack, locals); err != nil {
				return err
			}
			if err := ev.exec(f, op, it.List[1:1+nimm], stack, locals); err != nil {
				return err
			}
			i++
			continue
		}
		op := it.Atom
		nimm := immCount(op, items[i+1:])
		if nimm < 0 || i+1+nimm > len(items) {
			return errUnsupported
		}
		if err := ev.exec(f, op, items[i+1:i+1+nimm], stack, locals); err != nil {
			return err
		}
		i += 1 + nimm
	}
	return nil
}

// immCount is the number of immediate tokens op takes, or -1.
func immCount(op string, rest []*sexpr) int {
	switch {
	case op == "local.get" || op == "local.set" || op == "local.tee":
		return 1
	case op == "i32.const" || op == "i64.const" || op == "f32.const" || op == "f64.const":
		return 1
	case op == "v128.const":
		if len(rest) == 0 {
			return -1
		}
		n, _, _, ok := shapeLanes(rest[0].Atom)
		if !ok {
			return -1
		}
		return 1 + n
	case op == "i8x16.shuffle":
		return 16
	case strings.Contains(op, "extract_lane") || strings.Contains(op, "replace_lane"):
		return 1
	case op == "drop":
		return 0
	}
	if strings.Contains(op, "load") || strings.Contains(op, "store") {
		return -1
	}
	return 0
}

func pop(stack *[]V128) V128 {
	s := *stack
	if len(s) == 0 {
		return V128{}
	}
	v := s[len(s)-1]
	*stack = s[:len(s)-1]
	return v
}

func (ev *evaluator) exec(f *testFunc, op string, imm []*sexpr, stack *[]V128, locals []V128) error {
	push := func(v V128) { *stack = append(*stack, v) }
	for _, a := range imm {
		if a.IsList {
			return errUnsupported
		}
	}
	switch op {
	case "local.get", "local.set", "local.tee":
		idx, ok := f.names[imm[0].Atom]
		if !ok {
			n, err := parseInt(imm[0].Atom, 32)
			if err != nil {
				return errUnsupported
			}
			idx = int(n)
		}
		if idx >= len(locals) {
			return errUnsupported
		}
		switch op {
		case "local.get":
			push(locals[idx])
		case "local.set":
			locals[idx] = pop(stack)
		default:
			locals[idx] = (*stack)[len(*stack)-1]
		}
		return nil
	case "drop":
		pop(stack)
		return nil
	case "i32.const", "i64.const", "f32.const", "f64.const", "v128.const":
		x, err := parseValue(&sexpr{IsList: true, List: append([]*sexpr{{Atom: op}}, imm...)})
		if err != nil {
			return err
		}
		v, err := x.value()
		if err != nil {
			return err
		}
		push(v)
		return nil
	}
	code, ok := ev.ops[op]
	if !ok {
		return errUnsupported
	}
	if op == "i8x16.shuffle" {
		var lanes [16]byte
		for i, a := range imm {
			n, err := parseInt(a.Atom, 8)
			if err != nil {
				return err
			}
			lanes[i] = byte(n)
		}
		b, a := pop(stack), pop(stack)
		push(Shuffle(a, b, &lanes))
		return nil
	}
	var lane byte
	if len(imm) == 1 {
		n, err := parseInt(imm[0].Atom, 8)
		if err != nil {
			return err
		}
		lane = byte(n)
	}
	if fn := Unary(code); fn != nil {
		push(fn(pop(stack)))
	} else if fn := Binary(code); fn != nil {
		b, a := pop(stack), pop(stack)
		push(fn(a, b))
	} else if fn := Ternary(code); fn != nil {
		c, b, a := pop(stack), pop(stack), pop(stack)
		push(fn(a, b, c))
	} else if fn := Shift(code); fn != nil {
		n, a := pop(stack), pop(stack)
		push(fn(a, uint32(n.Lo)))
	} else if fn := Test(code); fn != nil {
		push(V128{Lo: uint64(fn(pop(stack)))})
	} else if fn := Splat(code); fn != nil {
		push(fn(pop(stack).Lo))
	} else if fn := ExtractLane(code); fn != nil {
		push(V128{Lo: fn(pop(stack), lane)})
	} else if fn := ReplaceLane(code); fn != nil {
		x, v := pop(stack), pop(stack)
		push(fn(v, lane, x.Lo))
	} else {
		return fmt.Errorf("%s: no lookup returns a function", op)
	}
	return nil
}

// specCounts are the outcomes of running one file.
type specCounts struct{ passed, failed, skipped int }

// runSIMDSpec runs the assert_return assertions of a .wast file.
func runSIMDSpec(t *testing.T, dir, file string) specCounts {
	ev := &evaluator{ops: mnemonicOps()}
	var c specCounts
	for _, e := range readSpec(t, dir, file) {
		switch e.head() {
		case "module":
			ev.addModule(e)
			continue
		case "assert_return":
		default:
			continue
		}
		inv := e.List[1]
		if inv.head() != "invoke" || len(inv.List) < 2 {
			c.skipped++
			continue
		}
		name := strings.Trim(inv.List[1].Atom, `"`)
		f := ev.funcs[name]
		if f == nil {
			c.skipped++
			continue
		}
		var args []V128
		bad := false
		for _, a := range inv.List[2:] {
			x, err := parseValue(a)
			if err == nil {
				var v V128
				v, err = x.value()
				args = append(args, v)
			}
			if err != nil {
				bad = true
				break
			}
		}
		if bad || len(e.List) != 3 {
			c.skipped++
			continue
		}
		var wants []vexpect
		exp := e.List[2]
		alts := []*sexpr{exp}
		if exp.head() == "either" {
			alts = exp.List[1:]
		}
		for _, a := range alts {
			x, err := parseValue(a)
			if err != nil {
				bad = true
				break
			}
			wants = append(wants, x)
		}
		if bad {
			c.skipped++
			continue
		}
		got, err := ev.call(f, args)
		if errors.Is(err, errUnsupported) {
			if os.Getenv("SKIPLOG") != "" {
				t.Logf("skip %s:%d %s", file, e.Line, name)
			}
			c.skipped++
			continue
		}
		ok := err == nil
		if ok {
			ok = false
			for _, w := range wants {
				if w.match(got) {
					ok = true
				}
			}
		}
		if ok {
			c.passed++
			continue
		}
		c.failed++
		if c.failed <= 10 {
			t.Errorf("%s:%d: %s: got %#016x_%016x (%v), want %v", file, e.Line, name, got.Hi, got.Lo, err, wants)
		}
	}
	return c
}

func TestSpecSIMD(t *testing.T) {
	type file struct{ dir, name string }
	root := testenv.Require(t, "spec")
	var files []file
	for _, dir := range []string{"wasm-2.0", "wasm-3.0"} {
		pattern := "simd_*.wast"
		if dir == "wasm-3.0" {
			pattern = "*relaxed*.wast"
		}
		names, _ := filepath.Glob(filepath.Join(root, dir, pattern))
		for _, n := range names {
			files = append(files, file{dir, filepath.Base(n)})
		}
	}
	if len(files) == 0 {
		t.Fatalf("no SIMD spec tests under %s", root)
	}
	var total specCounts
	for _, f := range files {
		t.Run(f.dir+"/"+f.name, func(t *testing.T) {
			c := runSIMDSpec(t, f.dir, f.name)
			t.Logf("passed %d failed %d skipped %d", c.passed, c.failed, c.skipped)
			total.passed += c.passed
			total.failed += c.failed
			total.skipped += c.skipped
		})
	}
	t.Logf("total: passed %d failed %d skipped %d", total.passed, total.failed, total.skipped)
}
