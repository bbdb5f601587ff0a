package simd

// A tiny evaluator for the spec tests' SIMD functions: straight-line bodies
// of local.get/set/tee, global.get/set, call $f, constants, i32/i64.load and
// SIMD instructions (folded or flat) on one memory initialised by data
// segments, run with this package's lookups and memory helpers. Functions
// using anything else (control flow, scalar arithmetic...) are skipped; set
// SKIPLOG=1 to list the skipped assertions.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/internal/testenv"
	"github.com/gowasm/gowasm/internal/wastexpr"
	"github.com/gowasm/gowasm/wasm"
)

var errUnsupported = errors.New("unsupported")

// testFunc is a function definition of a spec test module.
type testFunc struct {
	params []string         // types
	names  map[string]int   // $name -> local index
	locals []string         // types of declared locals
	body   []*wastexpr.Expr // instructions
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
	scalar *wastexpr.Expect
	bits   int               // lane width for v128
	lanes  []wastexpr.Expect // for v128
}

func (x vexpect) match(v V128) bool {
	if x.scalar != nil {
		return x.scalar.Match(v.Lo)
	}
	for i, l := range x.lanes {
		if !l.Match(v.Lane(uint(x.bits), uint(i))) {
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
func parseValue(e *wastexpr.Expr) (vexpect, error) {
	if e.Head() != "v128.const" {
		x, err := wastexpr.ParseConst(e)
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
			v, err := wastexpr.ParseInt(a.Atom, bits)
			if err != nil {
				return x, fmt.Errorf("line %d: %v", e.Line, err)
			}
			x.lanes = append(x.lanes, wastexpr.Expect{Bits: v, Type: t})
			continue
		}
		l, err := wastexpr.ParseConst(&wastexpr.Expr{IsList: true, Line: e.Line, List: []*wastexpr.Expr{{Atom: t + ".const"}, a}})
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
	ops     map[string]wasm.Opcode
	funcs   map[string]*testFunc
	mem     []byte
	globals map[string]V128      // by $name and by index
	byName  map[string]*testFunc // by $name
	depth   int
}

// decodeString decodes a WebAssembly text string literal (with quotes).
func decodeString(lit string) ([]byte, error) {
	if len(lit) < 2 || lit[0] != '"' || lit[len(lit)-1] != '"' {
		return nil, errUnsupported
	}
	s := lit[1 : len(lit)-1]
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b = append(b, s[i])
			continue
		}
		i++
		if i >= len(s) {
			return nil, errUnsupported
		}
		switch c := s[i]; c {
		case 't':
			b = append(b, '\t')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case '"', '\'', '\\':
			b = append(b, c)
		default:
			if i+1 >= len(s) {
				return nil, errUnsupported
			}
			n, err := wastexpr.ParseInt("0x"+s[i:i+2], 8)
			if err != nil {
				return nil, errUnsupported
			}
			b = append(b, byte(n))
			i++
		}
	}
	return b, nil
}

// addMemory handles the memory, data and global fields of a module.
func (ev *evaluator) addMemory(f *wastexpr.Expr) {
	if !f.IsList || len(f.List) == 0 {
		return
	}
	items := f.List[1:]
	if len(items) > 0 && !items[0].IsList && strings.HasPrefix(items[0].Atom, "$") {
		items = items[1:]
	}
	switch f.Head() {
	case "memory":
		if len(items) > 0 && !items[0].IsList {
			if n, err := wastexpr.ParseInt(items[0].Atom, 32); err == nil && n <= 2 {
				ev.mem = make([]byte, n*65536)
			}
		}
	case "data":
		if len(items) == 0 {
			return
		}
		off := items[0]
		if off.Head() == "offset" && len(off.List) == 2 {
			off = off.List[1]
		}
		x, err := parseValue(off)
		if err != nil || x.scalar == nil {
			return
		}
		addr := x.scalar.Bits
		for _, str := range items[1:] {
			b, err := decodeString(str.Atom)
			if err != nil || addr+uint64(len(b)) > uint64(len(ev.mem)) {
				return
			}
			addr += uint64(copy(ev.mem[addr:], b))
		}
	case "global":
		if len(items) == 0 {
			return
		}
		x, err := parseValue(items[len(items)-1])
		if err != nil {
			return
		}
		v, err := x.value()
		if err != nil {
			return
		}
		if !f.List[1].IsList {
			ev.globals[f.List[1].Atom] = v
		}
		ev.globals[fmt.Sprint(len(ev.globals))] = v
	}
}

func (ev *evaluator) addModule(m *wastexpr.Expr) {
	ev.funcs = map[string]*testFunc{}
	ev.mem = nil
	ev.globals = map[string]V128{}
	ev.byName = map[string]*testFunc{}
	for _, f := range m.List[1:] {
		if f.Head() != "func" {
			ev.addMemory(f)
			continue
		}
		tf := &testFunc{names: map[string]int{}}
		var exports []string
		items := f.List[1:]
		if len(items) > 0 && !items[0].IsList && strings.HasPrefix(items[0].Atom, "$") {
			ev.byName[items[0].Atom] = tf
			items = items[1:]
		}
		for len(items) > 0 && items[0].IsList {
			it := items[0]
			switch it.Head() {
			case "export":
				exports = append(exports, strings.Trim(it.List[1].Atom, `"`))
			case "param", "local":
				rest := it.List[1:]
				if len(rest) == 2 && strings.HasPrefix(rest[0].Atom, "$") {
					tf.names[rest[0].Atom] = len(tf.params) + len(tf.locals)
					rest = rest[1:]
				}
				for _, r := range rest {
					if it.Head() == "param" {
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

// call runs f with args and returns its results.
func (ev *evaluator) call(f *testFunc, args []V128) ([]V128, error) {
	ev.depth++
	defer func() { ev.depth-- }()
	if ev.depth > 100 {
		return nil, errUnsupported
	}
	locals := append(append([]V128(nil), args...), make([]V128, len(f.locals))...)
	var stack []V128
	if err := ev.run(f, f.body, &stack, locals); err != nil {
		return nil, err
	}
	return stack, nil
}

// run executes a sequence of instructions.
func (ev *evaluator) run(f *testFunc, items []*wastexpr.Expr, stack *[]V128, locals []V128) error {
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
func immCount(op string, rest []*wastexpr.Expr) int {
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
		n := 0
		for n < len(rest) && !rest[n].IsList &&
			(strings.HasPrefix(rest[n].Atom, "offset=") || strings.HasPrefix(rest[n].Atom, "align=")) {
			n++
		}
		if strings.HasSuffix(op, "_lane") {
			n++
		}
		return n
	}
	if op == "global.get" || op == "global.set" || op == "call" {
		return 1
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

func (ev *evaluator) exec(f *testFunc, op string, imm []*wastexpr.Expr, stack *[]V128, locals []V128) error {
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
			n, err := wastexpr.ParseInt(imm[0].Atom, 32)
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
		x, err := parseValue(&wastexpr.Expr{IsList: true, List: append([]*wastexpr.Expr{{Atom: op}}, imm...)})
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
	switch op {
	case "global.get":
		v, ok := ev.globals[imm[0].Atom]
		if !ok {
			return errUnsupported
		}
		push(v)
		return nil
	case "global.set":
		ev.globals[imm[0].Atom] = pop(stack)
		return nil
	case "call":
		g := ev.byName[imm[0].Atom]
		if g == nil || len(*stack) < len(g.params) {
			return errUnsupported
		}
		n := len(*stack) - len(g.params)
		args := append([]V128(nil), (*stack)[n:]...)
		*stack = (*stack)[:n]
		res, err := ev.call(g, args)
		if err != nil {
			return err
		}
		*stack = append(*stack, res...)
		return nil
	}
	if strings.Contains(op, "load") || strings.Contains(op, "store") {
		return ev.memOp(op, imm, stack)
	}
	code, ok := ev.ops[op]
	if !ok {
		return errUnsupported
	}
	if op == "i8x16.shuffle" {
		var lanes [16]byte
		for i, a := range imm {
			n, err := wastexpr.ParseInt(a.Atom, 8)
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
		n, err := wastexpr.ParseInt(imm[0].Atom, 8)
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

var errOutOfBounds = errors.New("out of bounds memory access")

// memOp executes a load or store, using MemSize, LoadExtend, LoadSplat,
// LoadZero, LoadLane and StoreLane for the SIMD ones.
func (ev *evaluator) memOp(op string, imm []*wastexpr.Expr, stack *[]V128) error {
	var offset uint64
	var lane byte
	for _, a := range imm {
		switch {
		case strings.HasPrefix(a.Atom, "offset="):
			n, err := wastexpr.ParseInt(a.Atom[len("offset="):], 32)
			if err != nil {
				return errUnsupported
			}
			offset = n
		case strings.HasPrefix(a.Atom, "align="):
		default:
			n, err := wastexpr.ParseInt(a.Atom, 8)
			if err != nil {
				return errUnsupported
			}
			lane = byte(n)
		}
	}
	var size int
	code, isSIMD := ev.ops[op]
	switch {
	case isSIMD:
		size = MemSize(code)
	case op == "i64.load":
		size = 8
	case op == "i32.load":
		size = 4
	}
	if size == 0 {
		return errUnsupported
	}
	var val V128
	store := strings.Contains(op, "store")
	if store || strings.HasSuffix(op, "_lane") {
		val = pop(stack)
	}
	addr := uint64(uint32(pop(stack).Lo)) + offset
	if addr+uint64(size) > uint64(len(ev.mem)) {
		return errOutOfBounds
	}
	m := ev.mem[addr : addr+uint64(size)]
	if store {
		var b [16]byte
		if size == 16 {
			b = val.Bytes()
		} else {
			b = V128{Lo: StoreLane(code, val, lane)}.Bytes()
		}
		copy(m, b[:])
		return nil
	}
	var b [16]byte
	copy(b[:], m)
	x := FromBytes(&b).Lo
	var r V128
	switch {
	case !isSIMD:
		r = V128{Lo: x}
	case size == 16:
		r = FromBytes(&b)
	case strings.HasSuffix(op, "_lane"):
		r = LoadLane(code, val, lane, x)
	case strings.HasSuffix(op, "_splat"):
		r = LoadSplat(code, x)
	case strings.HasSuffix(op, "_zero"):
		r = LoadZero(x)
	default:
		r = LoadExtend(code, x)
	}
	*stack = append(*stack, r)
	return nil
}

// specCounts are the outcomes of running one file.
type specCounts struct{ passed, failed, skipped int }

// runSIMDSpec runs the assert_return assertions of a .wast file. After an
// invocation that cannot be evaluated, the module's state (memory,
// globals) may be wrong, so later mismatches in that module count as
// skipped rather than failed.
func runSIMDSpec(t *testing.T, dir, file string) specCounts {
	ev := &evaluator{ops: mnemonicOps()}
	var c specCounts
	tainted := false
	for _, e := range wastexpr.ReadSpec(t, dir, file) {
		switch e.Head() {
		case "module":
			ev.addModule(e)
			tainted = false
			continue
		case "assert_return", "invoke":
		default:
			continue
		}
		inv := e
		if e.Head() == "assert_return" {
			inv = e.List[1]
		}
		skip := func() {
			if os.Getenv("SKIPLOG") != "" {
				t.Logf("skip %s:%d", file, e.Line)
			}
			c.skipped++
			tainted = true
		}
		if inv.Head() != "invoke" || len(inv.List) < 2 {
			skip()
			continue
		}
		name := strings.Trim(inv.List[1].Atom, `"`)
		f := ev.funcs[name]
		if f == nil {
			skip()
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
		// wants[i] lists the acceptable values of result i.
		var wants [][]vexpect
		if e.Head() == "assert_return" {
			for _, exp := range e.List[2:] {
				alts := []*wastexpr.Expr{exp}
				if exp.Head() == "either" {
					alts = exp.List[1:]
				}
				var w []vexpect
				for _, a := range alts {
					x, err := parseValue(a)
					if err != nil {
						bad = true
						break
					}
					w = append(w, x)
				}
				wants = append(wants, w)
			}
		}
		if bad {
			skip()
			continue
		}
		got, err := ev.call(f, args)
		if errors.Is(err, errUnsupported) {
			skip()
			continue
		}
		if e.Head() == "invoke" {
			continue
		}
		ok := err == nil && len(got) == len(wants)
		for i := 0; ok && i < len(wants); i++ {
			ok = false
			for _, w := range wants[i] {
				if w.match(got[i]) {
					ok = true
				}
			}
		}
		switch {
		case ok:
			c.passed++
		case tainted:
			c.skipped++
		default:
			c.failed++
			if c.failed <= 10 {
				t.Errorf("%s:%d: %s: got %#x (%v), want %v", file, e.Line, name, got, err, wants)
			}
		}
	}
	return c
}

func TestSpecSIMD(t *testing.T) {
	type file struct{ dir, name string }
	root := testenv.Require(t, "spec")
	var files []file
	for _, g := range []struct{ dir, pattern string }{
		{"wasm-2.0", "simd_*.wast"},
		{"wasm-3.0", "simd_*.wast"},
		{"wasm-3.0", "*relaxed*.wast"},
	} {
		names, _ := filepath.Glob(filepath.Join(root, g.dir, g.pattern))
		for _, n := range names {
			files = append(files, file{g.dir, filepath.Base(n)})
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
