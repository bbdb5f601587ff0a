package interp

// A development runner over the JSON scripts produced by wabt's wast2json.
// It runs only when GOWASM_WABT_SPEC names a directory holding one
// sub-directory per .wast file (NAME/NAME.json with its .wasm modules);
// the real spec runner lives in package spectest.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/wasm"
)

type wjValue struct {
	Type     string          `json:"type"`
	LaneType string          `json:"lane_type"`
	Value    json.RawMessage `json:"value"`
}

type wjAction struct {
	Type   string    `json:"type"`
	Module string    `json:"module"`
	Field  string    `json:"field"`
	Args   []wjValue `json:"args"`
}

type wjCommand struct {
	Type     string    `json:"type"`
	Line     int       `json:"line"`
	Filename string    `json:"filename"`
	Name     string    `json:"name"`
	As       string    `json:"as"`
	Action   *wjAction `json:"action"`
	Expected []wjValue `json:"expected"`
	Text     string    `json:"text"`
}

type wjScript struct {
	Commands []wjCommand `json:"commands"`
}

type externBox struct{ v uint64 }

func parseLanes(lt string, vals []string) (lo, hi uint64, err error) {
	var b [16]byte
	n := len(vals)
	w := 16 / n
	for i, s := range vals {
		var u uint64
		if strings.HasPrefix(s, "nan:") {
			return 0, 0, errNaNPattern
		}
		u, err = strconv.ParseUint(s, 10, 64)
		if err != nil {
			return
		}
		for k := 0; k < w; k++ {
			b[i*w+k] = byte(u >> (8 * k))
		}
	}
	_ = lt
	return le64(b[:8]), le64(b[8:]), nil
}

var errNaNPattern = errors.New("nan pattern")

func wjToValue(v wjValue, externs map[uint64]*externBox) (Value, error) {
	var s string
	switch v.Type {
	case "v128":
		var lanes []string
		if err := json.Unmarshal(v.Value, &lanes); err != nil {
			return Value{}, err
		}
		lo, hi, err := parseLanes(v.LaneType, lanes)
		return Value{Type: wasm.V128, Lo: lo, Hi: hi}, err
	}
	if err := json.Unmarshal(v.Value, &s); err != nil {
		return Value{}, err
	}
	switch v.Type {
	case "i32":
		u, err := strconv.ParseUint(s, 10, 32)
		return Value{Type: wasm.I32, Lo: u}, err
	case "i64":
		u, err := strconv.ParseUint(s, 10, 64)
		return Value{Type: wasm.I64, Lo: u}, err
	case "f32":
		if strings.HasPrefix(s, "nan:") {
			return Value{}, errNaNPattern
		}
		u, err := strconv.ParseUint(s, 10, 32)
		return Value{Type: wasm.F32, Lo: u}, err
	case "f64":
		if strings.HasPrefix(s, "nan:") {
			return Value{}, errNaNPattern
		}
		u, err := strconv.ParseUint(s, 10, 64)
		return Value{Type: wasm.F64, Lo: u}, err
	case "externref":
		if s == "null" {
			return Value{Type: wasm.ExternRef}, nil
		}
		u, _ := strconv.ParseUint(s, 10, 64)
		b := externs[u]
		if b == nil {
			b = &externBox{u}
			externs[u] = b
		}
		return Value{Type: wasm.ExternRef, Ref: b}, nil
	case "funcref":
		if s == "null" {
			return Value{Type: wasm.FuncRef}, nil
		}
		return Value{Type: wasm.FuncRef, Ref: "func"}, nil
	}
	return Value{}, fmt.Errorf("unknown type %s", v.Type)
}

func matchValue(got Value, want wjValue, externs map[uint64]*externBox) bool {
	if want.Type == "v128" {
		var lanes []string
		json.Unmarshal(want.Value, &lanes)
		n := len(lanes)
		w := 16 / n
		var b [16]byte
		for k := 0; k < 8; k++ {
			b[k] = byte(got.Lo >> (8 * k))
			b[8+k] = byte(got.Hi >> (8 * k))
		}
		for i, s := range lanes {
			var u uint64
			for k := w - 1; k >= 0; k-- {
				u = u<<8 | uint64(b[i*w+k])
			}
			if strings.HasPrefix(s, "nan:") {
				if w == 4 && !isNaN32(uint32(u), s) || w == 8 && !isNaN64(u, s) {
					return false
				}
				continue
			}
			e, _ := strconv.ParseUint(s, 10, 64)
			if u != e {
				return false
			}
		}
		return true
	}
	var s string
	json.Unmarshal(want.Value, &s)
	switch want.Type {
	case "f32":
		if strings.HasPrefix(s, "nan:") {
			return isNaN32(uint32(got.Lo), s)
		}
	case "f64":
		if strings.HasPrefix(s, "nan:") {
			return isNaN64(got.Lo, s)
		}
	case "externref":
		if s == "null" {
			return got.Ref == nil
		}
		u, _ := strconv.ParseUint(s, 10, 64)
		b, _ := got.Ref.(*externBox)
		return b != nil && b.v == u
	case "funcref":
		if s == "null" {
			return got.Ref == nil
		}
		return got.Ref != nil
	}
	w, err := wjToValue(want, externs)
	if err != nil {
		return false
	}
	return got.Lo == w.Lo
}

func isNaN32(u uint32, s string) bool {
	if u&0x7F800000 != 0x7F800000 || u&0x7FFFFF == 0 {
		return false
	}
	if s == "nan:canonical" {
		return u&0x7FFFFF == 0x400000
	}
	return u&0x400000 != 0
}

func isNaN64(u uint64, s string) bool {
	if u&0x7FF0000000000000 != 0x7FF0000000000000 || u&0xFFFFFFFFFFFFF == 0 {
		return false
	}
	if s == "nan:canonical" {
		return u&0xFFFFFFFFFFFFF == 0x8000000000000
	}
	return u&0x8000000000000 != 0
}

func spectestImports(s *Store) map[string]Extern {
	m := map[string]Extern{}
	print := func(ps ...wasm.ValType) *Func {
		return s.NewHostFunc(wasm.FuncType{Params: ps}, func(ctx context.Context, args []Value) ([]Value, error) { return nil, nil })
	}
	m["print"] = print()
	m["print_i32"] = print(wasm.I32)
	m["print_i64"] = print(wasm.I64)
	m["print_f32"] = print(wasm.F32)
	m["print_f64"] = print(wasm.F64)
	m["print_i32_f32"] = print(wasm.I32, wasm.F32)
	m["print_f64_f64"] = print(wasm.F64, wasm.F64)
	m["global_i32"] = s.NewGlobal(wasm.GlobalType{Type: wasm.I32}, Value{Lo: 666})
	m["global_i64"] = s.NewGlobal(wasm.GlobalType{Type: wasm.I64}, Value{Lo: 666})
	m["global_f32"] = s.NewGlobal(wasm.GlobalType{Type: wasm.F32}, Value{Lo: uint64(math.Float32bits(666.6))})
	m["global_f64"] = s.NewGlobal(wasm.GlobalType{Type: wasm.F64}, Value{Lo: math.Float64bits(666.6)})
	t, _ := s.NewTable(wasm.TableType{Elem: wasm.FuncRef, Limits: wasm.Limits{Min: 10, Max: 20, HasMax: true}}, Value{})
	m["table"] = t
	mem, _ := s.NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 1, Max: 2, HasMax: true}})
	m["memory"] = mem
	return m
}

type fileResult struct {
	name             string
	pass, fail, skip int
	failures         []string
}

func runWabtScript(dir, name string) (res fileResult) {
	res.name = name
	data, err := os.ReadFile(filepath.Join(dir, name, name+".json"))
	if err != nil {
		res.fail++
		res.failures = append(res.failures, err.Error())
		return
	}
	var sc wjScript
	if err := json.Unmarshal(data, &sc); err != nil {
		res.fail++
		return
	}
	s := NewStore(Config{})
	registered := map[string]map[string]Extern{"spectest": spectestImports(s)}
	named := map[string]*Instance{}
	var cur *Instance
	externs := map[uint64]*externBox{}
	resolver := func(mod, n string) Extern {
		if r := registered[mod]; r != nil {
			return r[n]
		}
		return nil
	}
	fail := func(c *wjCommand, f string, a ...any) {
		res.fail++
		if len(res.failures) < 200 {
			res.failures = append(res.failures, fmt.Sprintf("line %d %s: %s", c.Line, c.Type, fmt.Sprintf(f, a...)))
		}
	}
	load := func(fn string) (*Instance, error) {
		b, err := os.ReadFile(filepath.Join(dir, name, fn))
		if err != nil {
			return nil, err
		}
		m, err := binary.Decode(b)
		if err != nil {
			return nil, fmt.Errorf("decode: %w", err)
		}
		cm, err := Compile(m)
		if err != nil {
			return nil, fmt.Errorf("compile: %w", err)
		}
		return s.Instantiate(context.Background(), cm, resolver)
	}
	invoke := func(c *wjCommand) ([]Value, error, bool) {
		a := c.Action
		in := cur
		if a.Module != "" {
			in = named[a.Module]
		}
		if in == nil {
			return nil, errors.New("no module"), false
		}
		ex := in.Export(a.Field)
		if a.Type == "get" {
			g, ok := ex.(*Global)
			if !ok {
				return nil, errors.New("no global"), false
			}
			return []Value{g.Get()}, nil, true
		}
		f, ok := ex.(*Func)
		if !ok {
			return nil, fmt.Errorf("no func %q", a.Field), false
		}
		var args []Value
		for _, av := range a.Args {
			v, err := wjToValue(av, externs)
			if err != nil {
				return nil, err, false
			}
			args = append(args, v)
		}
		vs, err := f.Call(context.Background(), args...)
		return vs, err, true
	}
	for i := range sc.Commands {
		c := &sc.Commands[i]
		func() {
			defer func() {
				if r := recover(); r != nil {
					fail(c, "panic: %v", r)
				}
			}()
			switch c.Type {
			case "module":
				in, err := load(c.Filename)
				if err != nil {
					cur = nil
					fail(c, "%v", err)
					return
				}
				cur = in
				if c.Name != "" {
					named[c.Name] = in
				}
			case "register":
				in := cur
				if c.Name != "" {
					in = named[c.Name]
				}
				if in == nil {
					fail(c, "register of nothing")
					return
				}
				registered[c.As] = in.exports
			case "action":
				if _, err, ok := invoke(c); !ok || err != nil {
					fail(c, "%v", err)
				} else {
					res.pass++
				}
			case "assert_return":
				vs, err, ok := invoke(c)
				if !ok || err != nil {
					fail(c, "%s: %v", c.Action.Field, err)
					return
				}
				if len(vs) != len(c.Expected) {
					fail(c, "got %d results", len(vs))
					return
				}
				for k := range vs {
					if !matchValue(vs[k], c.Expected[k], externs) {
						fail(c, "%s: result %d: got %#x %#x, want %s", c.Action.Field, k, vs[k].Lo, vs[k].Hi, string(c.Expected[k].Value))
						return
					}
				}
				res.pass++
			case "assert_trap", "assert_exhaustion":
				_, err, ok := invoke(c)
				if !ok {
					fail(c, "%v", err)
					return
				}
				var t *Trap
				if !errors.As(err, &t) {
					fail(c, "%s: expected trap %q, got %v", c.Action.Field, c.Text, err)
					return
				}
				if !strings.Contains(t.Message(), c.Text) && !strings.Contains(c.Text, t.Message()) {
					fail(c, "trap %q, want %q", t.Message(), c.Text)
					return
				}
				res.pass++
			case "assert_uninstantiable":
				_, err := load(c.Filename)
				var t *Trap
				if !errors.As(err, &t) {
					fail(c, "expected trap %q, got %v", c.Text, err)
					return
				}
				res.pass++
			case "assert_unlinkable":
				_, err := load(c.Filename)
				var le *LinkError
				if !errors.As(err, &le) {
					fail(c, "expected link error %q, got %v", c.Text, err)
					return
				}
				res.pass++
			case "assert_invalid", "assert_malformed":
				if strings.HasSuffix(c.Filename, ".wat") {
					res.skip++
					return
				}
				if _, err := load(c.Filename); err == nil {
					fail(c, "module accepted (%s)", c.Text)
					return
				}
				res.pass++
			default:
				res.skip++
			}
		}()
	}
	return
}

func TestWabtSpec(t *testing.T) {
	dir := os.Getenv("GOWASM_WABT_SPEC")
	if dir == "" {
		t.Skip("GOWASM_WABT_SPEC not set (directory of wast2json output)")
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	only := os.Getenv("GOWASM_WABT_ONLY")
	tp, tf := 0, 0
	for _, n := range names {
		if only != "" && !strings.Contains(","+only+",", ","+n+",") {
			continue
		}
		r := runWabtScript(dir, n)
		tp += r.pass
		tf += r.fail
		t.Logf("%-40s pass %5d fail %5d skip %4d", n, r.pass, r.fail, r.skip)
		for _, f := range r.failures {
			t.Logf("    %s", f)
		}
	}
	t.Logf("TOTAL pass %d fail %d", tp, tf)
}
