package interp

import (
	"context"
	"testing"

	"github.com/gowasm/gowasm/text"
	"github.com/gowasm/gowasm/wasm"
)

const benchWAT = `(module
  (import "env" "nop" (func $nop (param i32) (result i32)))
  (memory 1)
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "loop") (param i32) (result i64) (local i64)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 1 (i64.add (i64.mul (local.get 1) (i64.const 31))
                            (i64.extend_i32_u (i32.xor (local.get 0) (i32.const 0x5555)))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0)))
    (local.get 1))
  (func (export "mem") (param i32) (result i32) (local i32 i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 1 (i32.and (i32.mul (local.get 0) (i32.const 4)) (i32.const 0xFFFC)))
      (i32.store (local.get 1) (i32.add (i32.load (local.get 1)) (local.get 0)))
      (local.set 2 (i32.add (local.get 2) (i32.load8_u offset=3 (local.get 1))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0)))
    (local.get 2))
  (func (export "id") (param i32) (result i32) (local.get 0))
  (func (export "callhost") (param i32) (result i32) (local i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 1 (call $nop (local.get 1)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0)))
    (local.get 1))
)`

func benchInstance(b testing.TB) *Instance {
	s := NewStore(Config{})
	nop := s.NewHostFunc(wasm.FuncType{Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32}},
		func(ctx context.Context, args []Value) ([]Value, error) { return args, nil })
	in, err := s.Instantiate(context.Background(), compileWAT(b, benchWAT), func(mod, name string) Extern { return nop })
	if err != nil {
		b.Fatal(err)
	}
	return in
}

func benchCall(b *testing.B, name string, arg int32) {
	in := benchInstance(b)
	f := in.Export(name).(*Func)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.Call(ctx, i32(arg)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFib is recursive fib(25): call-heavy code.
func BenchmarkFib(b *testing.B) { benchCall(b, "fib", 25) }

// BenchmarkLoop is a 1e6-iteration loop of i64 arithmetic.
func BenchmarkLoop(b *testing.B) { benchCall(b, "loop", 1_000_000) }

// BenchmarkMemory is a 1e6-iteration loop of loads and stores.
func BenchmarkMemory(b *testing.B) { benchCall(b, "mem", 1_000_000) }

// BenchmarkHostToWasm is one call of a trivial wasm function from Go.
func BenchmarkHostToWasm(b *testing.B) { benchCall(b, "id", 1) }

// BenchmarkWasmToHost is 1000 calls of a trivial host function from wasm.
func BenchmarkWasmToHost(b *testing.B) { benchCall(b, "callhost", 1000) }

// BenchmarkTranslate times Compile (validation and translation) of the
// benchmark module.
func BenchmarkTranslate(b *testing.B) {
	m, err := text.ParseModule([]byte(benchWAT), "bench.wat")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compile(m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGC builds a 1000-node linked list of structs and sums it, then
// fills, reads and sums a 1000-element i32 array (Wasm 3.0 GC).
func BenchmarkGC(b *testing.B) {
	wm, err := text.ParseModuleOptions([]byte(`(module
  (type $node (struct (field i32) (field (ref null $node))))
  (type $arr (array (mut i32)))
  (func (export "run") (param $n i32) (result i32)
    (local $l (ref null $node)) (local $i i32) (local $s i32) (local $a (ref $arr))
    (block $done (loop $build
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $l (struct.new $node (local.get $i) (local.get $l)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $build)))
    (block $end (loop $walk
      (br_on_null $end (local.get $l))
      (local.set $s (i32.add (local.get $s) (struct.get $node 0 (ref.as_non_null (local.get $l)))))
      (local.set $l (struct.get $node 1 (ref.as_non_null (local.get $l))))
      (br $walk)))
    (local.set $a (array.new $arr (i32.const 3) (local.get $n)))
    (local.set $i (i32.const 0))
    (block $done (loop $sum
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i32.add (local.get $s) (array.get $arr (local.get $a) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $sum)))
    (local.get $s)))`), "gc.wat", text.Options{Features: wasm.Wasm3})
	if err != nil {
		b.Fatal(err)
	}
	m, err := CompileWith(wm, CompileOptions{Features: wasm.Wasm3})
	if err != nil {
		b.Fatal(err)
	}
	in, err := NewStore(Config{}).Instantiate(context.Background(), m, nil)
	if err != nil {
		b.Fatal(err)
	}
	f := in.Export("run").(*Func)
	ctx := context.Background()
	for b.Loop() {
		res, err := f.Call(ctx, I32(1000))
		if err != nil || res[0].I32() != 999*1000/2+3000 {
			b.Fatal(res, err)
		}
	}
}
