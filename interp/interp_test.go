package interp

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gowasm/gowasm/text"
	"github.com/gowasm/gowasm/wasm"
)

func compileWAT(tb testing.TB, src string) *Module {
	tb.Helper()
	m, err := text.ParseModule([]byte(src), "test.wat")
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	cm, err := Compile(m)
	if err != nil {
		tb.Fatalf("compile: %v", err)
	}
	return cm
}

func instantiateWAT(tb testing.TB, src string, imports map[string]Extern) (*Store, *Instance) {
	tb.Helper()
	s := NewStore(Config{})
	in, err := s.Instantiate(context.Background(), compileWAT(tb, src), func(mod, name string) Extern {
		return imports[mod+"."+name]
	})
	if err != nil {
		tb.Fatalf("instantiate: %v", err)
	}
	return s, in
}

func i32(v int32) Value { return Value{Type: wasm.I32, Lo: uint64(uint32(v))} }
func i64(v int64) Value { return Value{Type: wasm.I64, Lo: uint64(v)} }

func callExport(tb testing.TB, in *Instance, name string, args ...Value) ([]Value, error) {
	tb.Helper()
	f, ok := in.Export(name).(*Func)
	if !ok {
		tb.Fatalf("no exported function %q", name)
	}
	return f.Call(context.Background(), args...)
}

const trapsWAT = `(module
  (type $v (func))
  (type $i (func (result i32)))
  (memory 1)
  (table 4 funcref)
  (elem (i32.const 0) $f $g)
  (func $f)
  (func $g (result i32) (i32.const 1))
  (func (export "unreachable") unreachable)
  (func (export "div0") (result i32) (i32.div_s (i32.const 1) (i32.const 0)))
  (func (export "rem0") (result i64) (i64.rem_u (i64.const 1) (i64.const 0)))
  (func (export "overflow") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
  (func (export "trunc-nan") (result i32) (i32.trunc_f32_s (f32.const nan)))
  (func (export "trunc-big") (result i64) (i64.trunc_f64_u (f64.const 1e30)))
  (func (export "load-oob") (result i32) (i32.load (i32.const 65535)))
  (func (export "load-offset-oob") (result i32) (i32.load offset=0xFFFFFFFF (i32.const 1)))
  (func (export "store-oob") (i64.store (i32.const -1) (i64.const 0)))
  (func (export "fill-oob") (memory.fill (i32.const 65000) (i32.const 0) (i32.const 1000)))
  (func (export "table-oob") (result funcref) (table.get (i32.const 4)))
  (func (export "type-mismatch") (call_indirect (type $v) (i32.const 1)))
  (func (export "uninitialized") (call_indirect (type $v) (i32.const 2)))
  (func (export "undefined") (call_indirect (type $v) (i32.const 10)))
  (func $rec (export "recurse") (call $rec))
)`

func TestTraps(t *testing.T) {
	_, in := instantiateWAT(t, trapsWAT, nil)
	tests := []struct {
		name string
		kind TrapKind
		msg  string
	}{
		{"unreachable", TrapUnreachable, "unreachable"},
		{"div0", TrapIntegerDivideByZero, "integer divide by zero"},
		{"rem0", TrapIntegerDivideByZero, "integer divide by zero"},
		{"overflow", TrapIntegerOverflow, "integer overflow"},
		{"trunc-nan", TrapInvalidConversion, "invalid conversion to integer"},
		{"trunc-big", TrapIntegerOverflow, "integer overflow"},
		{"load-oob", TrapMemoryOutOfBounds, "out of bounds memory access"},
		{"load-offset-oob", TrapMemoryOutOfBounds, "out of bounds memory access"},
		{"store-oob", TrapMemoryOutOfBounds, "out of bounds memory access"},
		{"fill-oob", TrapMemoryOutOfBounds, "out of bounds memory access"},
		{"table-oob", TrapTableOutOfBounds, "out of bounds table access"},
		{"type-mismatch", TrapIndirectCallTypeMismatch, "indirect call type mismatch"},
		{"uninitialized", TrapUninitializedElement, "uninitialized element"},
		{"undefined", TrapTableOutOfBounds, "undefined element"},
		{"recurse", TrapStackExhausted, "call stack exhausted"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := callExport(t, in, tc.name)
			var tr *Trap
			if !errors.As(err, &tr) {
				t.Fatalf("got %v, want a trap", err)
			}
			if tr.Kind != tc.kind || tr.Message() != tc.msg {
				t.Errorf("got %v (%q), want %v (%q)", tr.Kind, tr.Message(), tc.kind, tc.msg)
			}
			if !strings.HasPrefix(tr.Error(), "wasm trap: "+tc.msg) || len(tr.Backtrace) == 0 {
				t.Errorf("Error() = %q", tr.Error())
			}
		})
	}
}

func TestDeepRecursionKeepsProcessAlive(t *testing.T) {
	src := `(module
	  (func $f (export "f") (param i64) (result i64)
	    (i64.add (call $f (i64.add (local.get 0) (i64.const 1))) (i64.const 1))))`
	for _, depth := range []int{0, 100, 200_000} {
		s := NewStore(Config{MaxCallDepth: depth})
		in, err := s.Instantiate(context.Background(), compileWAT(t, src), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = callExport(t, in, "f", i64(0))
		var tr *Trap
		if !errors.As(err, &tr) || tr.Kind != TrapStackExhausted {
			t.Fatalf("depth %d: got %v, want stack exhaustion", depth, err)
		}
		// The store stays usable.
		if _, err := callExport(t, in, "f", i64(0)); err == nil {
			t.Fatal("second call did not trap")
		}
	}
}

func TestMultiValue(t *testing.T) {
	_, in := instantiateWAT(t, `(module
	  (func $swap (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
	  (func (export "swap") (param i32 i64) (result i64 i32) (call $swap (local.get 0) (local.get 1)))
	  (func (export "block") (result i32 i32 i32)
	    (i32.const 1)
	    (block (param i32) (result i32 i32 i32) (i32.const 2) (i32.const 3) (br 0)))
	  (func (export "loop") (param i32) (result i32)
	    (local.get 0)
	    (loop (param i32) (result i32)
	      (i32.sub (i32.const 1))
	      (local.tee 0)
	      (br_if 0 (local.get 0))))
	)`, nil)
	res, err := callExport(t, in, "swap", i32(7), i64(-2))
	if err != nil || len(res) != 2 || res[0].Lo != uint64(1<<64-2) || res[1].Lo != 7 || res[0].Type != wasm.I64 {
		t.Fatalf("swap = %v, %v", res, err)
	}
	res, err = callExport(t, in, "block")
	if err != nil || len(res) != 3 || res[0].Lo != 1 || res[1].Lo != 2 || res[2].Lo != 3 {
		t.Fatalf("block = %v, %v", res, err)
	}
	res, err = callExport(t, in, "loop", i32(10))
	if err != nil || res[0].Lo != 0 {
		t.Fatalf("loop = %v, %v", res, err)
	}
}

func TestHostCalls(t *testing.T) {
	s := NewStore(Config{})
	var in *Instance
	calls := 0
	add := s.NewHostFunc(wasm.FuncType{Params: []wasm.ValType{wasm.I32, wasm.I32}, Results: []wasm.ValType{wasm.I32}},
		func(ctx context.Context, args []Value) ([]Value, error) {
			calls++
			return []Value{i32(int32(args[0].Lo) + int32(args[1].Lo))}, nil
		})
	// A host function that calls back into wasm.
	reenter := s.NewHostFunc(wasm.FuncType{Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32}},
		func(ctx context.Context, args []Value) ([]Value, error) {
			if args[0].Lo == 0 {
				return []Value{i32(0)}, nil
			}
			return in.Export("countdown").(*Func).Call(ctx, i32(int32(args[0].Lo)-1))
		})
	fail := s.NewHostFunc(wasm.FuncType{}, func(ctx context.Context, args []Value) ([]Value, error) {
		return nil, errors.New("boom")
	})
	m := compileWAT(t, `(module
	  (import "env" "add" (func $add (param i32 i32) (result i32)))
	  (import "env" "reenter" (func $reenter (param i32) (result i32)))
	  (import "env" "fail" (func $fail))
	  (func (export "sum") (param i32) (result i32) (local i32)
	    (block (loop
	      (br_if 1 (i32.eqz (local.get 0)))
	      (local.set 1 (call $add (local.get 1) (local.get 0)))
	      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
	      (br 0)))
	    (local.get 1))
	  (func (export "countdown") (param i32) (result i32)
	    (i32.add (call $reenter (local.get 0)) (i32.const 1)))
	  (func (export "fail") (call $fail))
	)`)
	imports := map[string]Extern{"env.add": add, "env.reenter": reenter, "env.fail": fail}
	var err error
	in, err = s.Instantiate(context.Background(), m, func(mod, name string) Extern { return imports[mod+"."+name] })
	if err != nil {
		t.Fatal(err)
	}
	res, err := callExport(t, in, "sum", i32(100))
	if err != nil || res[0].Lo != 5050 || calls != 100 {
		t.Fatalf("sum = %v, %v (calls %d)", res, err, calls)
	}
	res, err = callExport(t, in, "countdown", i32(50))
	if err != nil || res[0].Lo != 51 {
		t.Fatalf("countdown = %v, %v", res, err)
	}
	_, err = callExport(t, in, "fail")
	var tr *Trap
	if !errors.As(err, &tr) || tr.Kind != TrapHost || tr.Err == nil || tr.Err.Error() != "boom" {
		t.Fatalf("fail: %v", err)
	}
	// Host functions called directly.
	res, err = add.Call(context.Background(), i32(2), i32(3))
	if err != nil || res[0].Lo != 5 {
		t.Fatalf("add = %v, %v", res, err)
	}
}

func TestInterrupt(t *testing.T) {
	_, in := instantiateWAT(t, `(module (func (export "spin") (loop (br 0))))`, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := in.Export("spin").(*Func).Call(ctx)
	var tr *Trap
	if !errors.As(err, &tr) || tr.Kind != TrapInterrupted || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want an interruption", err)
	}
}

func TestLinkErrors(t *testing.T) {
	s := NewStore(Config{})
	m := compileWAT(t, `(module (import "env" "f" (func (param i32))) (import "env" "mem" (memory 2)))`)
	good := s.NewHostFunc(wasm.FuncType{Params: []wasm.ValType{wasm.I32}}, nil)
	bad := s.NewHostFunc(wasm.FuncType{}, nil)
	small, _ := s.NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 1}})
	big, _ := s.NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 2}})
	tests := []struct {
		name    string
		imports map[string]Extern
		reason  string
	}{
		{"missing", map[string]Extern{"f": good}, "unknown import"},
		{"func type", map[string]Extern{"f": bad, "mem": big}, "incompatible import type"},
		{"kind", map[string]Extern{"f": big, "mem": big}, "incompatible import type"},
		{"memory limits", map[string]Extern{"f": good, "mem": small}, "incompatible import type"},
		{"ok", map[string]Extern{"f": good, "mem": big}, ""},
	}
	for _, tc := range tests {
		_, err := s.Instantiate(context.Background(), m, func(mod, name string) Extern { return tc.imports[name] })
		var le *LinkError
		if tc.reason == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if !errors.As(err, &le) || le.Reason != tc.reason {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.reason)
		}
	}
}

func TestInstantiationTrapKeepsEffects(t *testing.T) {
	s := NewStore(Config{})
	mem, _ := s.NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 1}})
	m := compileWAT(t, `(module (import "env" "mem" (memory 1))
	  (data (i32.const 0) "ab") (data (i32.const 65535) "cd"))`)
	_, err := s.Instantiate(context.Background(), m, func(mod, name string) Extern { return mem })
	var tr *Trap
	if !errors.As(err, &tr) || tr.Kind != TrapMemoryOutOfBounds {
		t.Fatalf("got %v", err)
	}
	if string(mem.Bytes()[:2]) != "ab" {
		t.Fatalf("first segment not written")
	}
}

func TestEmbeddingAPI(t *testing.T) {
	s := NewStore(Config{MaxMemoryPages: 3})
	_, in := instantiateWAT(t, `(module
	  (memory (export "mem") 1 10)
	  (table (export "tab") 2 funcref)
	  (global (export "g") (mut i64) (i64.const 42))
	  (func (export "get") (result i64) (global.get 0))
	  (func (export "size") (result i32) (memory.size)))`, nil)
	_ = s
	g := in.Export("g").(*Global)
	if v := g.Get(); v.Lo != 42 || v.Type != wasm.I64 {
		t.Fatalf("global = %v", v)
	}
	if err := g.Set(i64(7)); err != nil {
		t.Fatal(err)
	}
	if res, _ := callExport(t, in, "get"); res[0].Lo != 7 {
		t.Fatalf("get = %v", res)
	}
	mem := in.Export("mem").(*Memory)
	if old, ok := mem.Grow(2); !ok || old != 1 || len(mem.Bytes()) != 3*pageSize {
		t.Fatalf("grow = %d %v", old, ok)
	}
	if _, ok := mem.Grow(8); ok {
		t.Fatal("grew past the declared maximum")
	}
	if res, _ := callExport(t, in, "size"); res[0].Lo != 3 {
		t.Fatalf("size = %v", res)
	}
	tab := in.Export("tab").(*Table)
	f := in.Export("get").(*Func)
	if err := tab.Set(1, Value{Type: wasm.FuncRef, Ref: f}); err != nil {
		t.Fatal(err)
	}
	if v, err := tab.Get(1); err != nil || v.Ref != f {
		t.Fatalf("table get = %v %v", v, err)
	}
	if _, err := tab.Get(2); err == nil {
		t.Fatal("out of bounds table get succeeded")
	}
	if old, ok := tab.Grow(3, Value{}); !ok || old != 2 || tab.Size() != 5 {
		t.Fatal("table grow failed")
	}
	// Memory cap from the store's config.
	capped := NewStore(Config{MaxMemoryPages: 3})
	cm, _ := capped.NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 1}})
	if _, ok := cm.Grow(3); ok {
		t.Fatal("grew past Config.MaxMemoryPages")
	}
}

func TestDeepHostReentrancy(t *testing.T) {
	s := NewStore(Config{MaxCallDepth: 2000})
	var in *Instance
	reenter := s.NewHostFunc(wasm.FuncType{Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32}},
		func(ctx context.Context, args []Value) ([]Value, error) {
			return in.Export("f").(*Func).Call(ctx, i32(int32(args[0].Lo)+1))
		})
	m := compileWAT(t, `(module (import "env" "h" (func $h (param i32) (result i32)))
	  (func (export "f") (param i32) (result i32) (call $h (local.get 0))))`)
	in, err := s.Instantiate(context.Background(), m, func(mod, name string) Extern { return reenter })
	if err != nil {
		t.Fatal(err)
	}
	_, err = callExport(t, in, "f", i32(0))
	var tr *Trap
	if !errors.As(err, &tr) || tr.Kind != TrapStackExhausted {
		t.Fatalf("got %v, want stack exhaustion", err)
	}
	// The store is still usable afterwards.
	if _, err := callExport(t, in, "f", i32(0)); err == nil {
		t.Fatal("no trap on the second run")
	}
}

func TestVectorsAndReferences(t *testing.T) {
	_, in := instantiateWAT(t, `(module
	  (table $t 2 externref)
	  (func (export "add") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
	  (func (export "put") (param i32 externref) (table.set $t (local.get 0) (local.get 1)))
	  (func (export "get") (param i32) (result externref) (table.get $t (local.get 0)))
	  (func (export "isnull") (param funcref) (result i32) (ref.is_null (local.get 0))))`, nil)
	v := func(lo, hi uint64) Value { return Value{Type: wasm.V128, Lo: lo, Hi: hi} }
	res, err := callExport(t, in, "add", v(1<<32|2, 3<<32|4), v(10<<32|20, 30<<32|40))
	if err != nil || res[0].Lo != 11<<32|22 || res[0].Hi != 33<<32|44 {
		t.Fatalf("add = %v, %v", res, err)
	}
	type box struct{ n int }
	b := &box{7}
	if _, err := callExport(t, in, "put", i32(1), Value{Type: wasm.ExternRef, Ref: b}); err != nil {
		t.Fatal(err)
	}
	res, err = callExport(t, in, "get", i32(1))
	if err != nil || res[0].Ref != b {
		t.Fatalf("get = %v, %v", res, err)
	}
	res, err = callExport(t, in, "get", i32(0))
	if err != nil || res[0].Ref != nil {
		t.Fatalf("get(0) = %v, %v", res, err)
	}
	f := in.Export("add").(*Func)
	for _, tc := range []struct {
		ref  any
		want uint64
	}{{nil, 1}, {(*Func)(nil), 1}, {f, 0}} {
		res, err = callExport(t, in, "isnull", Value{Type: wasm.FuncRef, Ref: tc.ref})
		if err != nil || res[0].Lo != tc.want {
			t.Fatalf("isnull(%v) = %v, %v", tc.ref, res, err)
		}
	}
}

func TestConcurrentStores(t *testing.T) {
	m := compileWAT(t, benchWAT)
	done := make(chan error, 4)
	for g := 0; g < 4; g++ {
		go func() {
			s := NewStore(Config{})
			nop := s.NewHostFunc(wasm.FuncType{Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32}},
				func(ctx context.Context, args []Value) ([]Value, error) { return args, nil })
			in, err := s.Instantiate(context.Background(), m, func(mod, name string) Extern { return nop })
			if err != nil {
				done <- err
				return
			}
			res, err := in.Export("fib").(*Func).Call(context.Background(), i32(15))
			if err == nil && res[0].Lo != 610 {
				err = errors.New("wrong fib result")
			}
			done <- err
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

func TestTailCalls(t *testing.T) {
	_, in := instantiateWAT(t, `(module
	  (type $t (func (param i64 i64) (result i64)))
	  (table funcref (elem $even $odd))
	  (func $even (export "even") (param i64 i64) (result i64)
	    (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
	      (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (i64.const 1)) (i32.const 1)))))
	  (func $odd (param i64 i64) (result i64)
	    (if (result i64) (i64.eqz (local.get 0)) (then (i64.sub (i64.const 0) (local.get 1)))
	      (else (return_call $even (i64.sub (local.get 0) (i64.const 1)) (local.get 1)))))
	  (func $swap (export "swap") (param i32 i32 i32) (result i32)
	    (if (result i32) (i32.eqz (local.get 0)) (then (i32.sub (local.get 1) (local.get 2)))
	      (else (return_call $swap (i32.sub (local.get 0) (i32.const 1)) (local.get 2) (local.get 1))))))`, nil)
	// One million tail calls run in constant stack.
	res, err := callExport(t, in, "even", i64(1_000_000), i64(0))
	if err != nil || res[0].Lo != 500_000 {
		t.Fatalf("even = %v, %v", res, err)
	}
	res, err = callExport(t, in, "swap", i32(3), i32(10), i32(4))
	if err != nil || int32(res[0].Lo) != -6 {
		t.Fatalf("swap = %v, %v", res, err)
	}
}

func TestTypedFunctionReferences(t *testing.T) {
	m, err := text.ParseModule([]byte(`(module
	  (type $i2i (func (param i32) (result i32)))
	  (func $inc (type $i2i) (i32.add (local.get 0) (i32.const 1)))
	  (elem declare func $inc)
	  (func (export "call") (param i32) (result i32)
	    (call_ref $i2i (local.get 0) (ref.func $inc)))
	  (func (export "null") (param i32) (result i32)
	    (call_ref $i2i (local.get 0) (ref.null $i2i)))
	  (func (export "on-null") (param i32) (result i32)
	    (block $l (result i32)
	      (i32.const -1)
	      (select (result (ref null $i2i)) (ref.func $inc) (ref.null $i2i) (local.get 0))
	      (br_on_null $l)
	      (drop) (drop)
	      (i32.const 7))))`), "t.wat")
	if err != nil {
		t.Fatal(err)
	}
	cm, err := CompileWith(m, CompileOptions{Features: wasm.Wasm3})
	if err != nil {
		t.Fatal(err)
	}
	in, err := NewStore(Config{}).Instantiate(context.Background(), cm, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := callExport(t, in, "call", i32(41)); err != nil || res[0].Lo != 42 {
		t.Fatalf("call = %v, %v", res, err)
	}
	_, err = callExport(t, in, "null", i32(1))
	var tr *Trap
	if !errors.As(err, &tr) || tr.Kind != TrapNullReference || tr.Message() != "null function reference" {
		t.Fatalf("null: %v", err)
	}
	for _, tc := range []struct{ arg, want int32 }{{1, 7}, {0, -1}} {
		if res, err := callExport(t, in, "on-null", i32(tc.arg)); err != nil || int32(res[0].Lo) != tc.want {
			t.Fatalf("on-null(%d) = %v, %v", tc.arg, res, err)
		}
	}
}

func TestExceptions(t *testing.T) {
	m, err := text.ParseModule([]byte(`(module
	  (import "env" "host" (func $host (param i32)))
	  (tag $e (export "e") (param i32))
	  (tag $other)
	  (func $thrower (export "throw") (param i32) (throw $e (local.get 0)))
	  (func (export "catch") (param i32) (result i32)
	    (block $h (result i32)
	      (try_table (catch $e $h)
	        (call $thrower (local.get 0)))
	      (i32.const -1)))
	  (func (export "via-host") (param i32) (result i32)
	    (block $h (result i32)
	      (try_table (catch $e $h) (call $host (local.get 0)))
	      (i32.const -1)))
	  (func (export "rethrow") (param i32) (result i32)
	    (block $h (result i32 exnref)
	      (try_table (catch_ref $e $h) (call $thrower (local.get 0)))
	      (unreachable))
	    (throw_ref)))`), "t.wat")
	if err != nil {
		t.Fatal(err)
	}
	cm, err := CompileWith(m, CompileOptions{Features: wasm.Wasm3})
	if err != nil {
		t.Fatal(err)
	}
	s := NewStore(Config{})
	var in *Instance
	host := s.NewHostFunc(wasm.FuncType{Params: []wasm.ValType{wasm.I32}}, func(ctx context.Context, args []Value) ([]Value, error) {
		// An exception thrown by wasm called from here crosses this
		// host function back into the calling wasm.
		return in.Export("throw").(*Func).Call(ctx, args[0])
	})
	in, err = s.Instantiate(context.Background(), cm, func(mod, name string) Extern { return host })
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"catch", "via-host"} {
		if res, err := callExport(t, in, name, i32(42)); err != nil || res[0].Lo != 42 {
			t.Fatalf("%s = %v, %v", name, res, err)
		}
	}
	for _, name := range []string{"throw", "rethrow"} {
		_, err = callExport(t, in, name, i32(7))
		var ex *Exception
		if !errors.As(err, &ex) || ex.Tag != in.Export("e") || len(ex.Args) != 1 || ex.Args[0].Lo != 7 {
			t.Fatalf("%s: got %v, want an uncaught exception", name, err)
		}
	}
}
