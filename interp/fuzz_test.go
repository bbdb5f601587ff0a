package interp

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/text"
	"github.com/gowasm/gowasm/wasm"
)

// FuzzCompileRun checks that decoding, compiling, instantiating and
// running arbitrary modules never panics or hangs.
func FuzzCompileRun(f *testing.F) {
	for _, src := range []string{benchWAT, trapsWAT, `(module
	  (memory 1) (global $g (mut i64) (i64.const 5))
	  (func (export "f") (param i32 i64 f32 f64) (result i64)
	    (block $b (result i64)
	      (br_table $b $b (i64.const 3) (local.get 0)))
	    (global.get $g) (i64.add)
	    (i64.store offset=8 (i32.const 16) (local.get 1))
	    (i64.load (i32.const 16)) (i64.mul)))`} {
		m, err := text.ParseModule([]byte(src), "seed.wat")
		if err != nil {
			f.Fatal(err)
		}
		bin, err := binary.Encode(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bin)
	}
	f.Fuzz(func(t *testing.T, bin []byte) {
		m, err := binary.Decode(bin)
		if err != nil {
			return
		}
		cm, err := Compile(m)
		if err != nil {
			return
		}
		s := NewStore(Config{MaxMemoryPages: 16, MaxTableElems: 1 << 16, MaxCallDepth: 500})
		nop := func(ctx context.Context, args []Value) ([]Value, error) { return nil, nil }
		in, err := s.Instantiate(context.Background(), cm, func(mod, name string) Extern {
			for _, im := range m.Imports {
				if im.Module == mod && im.Name == name && im.Kind == wasm.ExternFunc {
					if ft := m.FuncTypeAt(im.Func); ft != nil && len(ft.Results) == 0 {
						return s.NewHostFunc(*ft, nop)
					}
				}
			}
			return nil
		})
		if err != nil {
			return
		}
		for _, ex := range m.Exports {
			fn, ok := in.Export(ex.Name).(*Func)
			if !ok {
				continue
			}
			args := make([]Value, len(fn.Type().Params))
			for i, p := range fn.Type().Params {
				args[i].Type = p
			}
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			fn.Call(ctx, args...)
			cancel()
		}
	})
}

// gcSeedWAT exercises the GC instructions for FuzzCompileRun3.
const gcSeedWAT = `(module
  (rec (type $s (sub (struct (field (mut i8)) (field (mut (ref null $s))) (field v128))))
       (type $t (sub $s (struct (field (mut i8)) (field (mut (ref null $s))) (field v128) (field i64)))))
  (type $a (array (mut i16)))
  (type $r (array (mut anyref)))
  (data $d "\01\02\03\04\05\06\07\08")
  (elem $e anyref (item (ref.i31 (i32.const 1))) (item (struct.new_default $t)))
  (global $g (ref $s) (struct.new_default $s))
  (func (export "f") (param i32 anyref externref) (result i32)
    (local $x (ref null $a)) (local $y (ref null $r))
    (local.set $x (array.new_data $a $d (i32.const 0) (local.get 0)))
    (array.fill $a (local.get $x) (i32.const 1) (i32.const -1) (i32.const 2))
    (array.copy $a $a (local.get $x) (i32.const 0) (local.get $x) (i32.const 1) (i32.const 2))
    (local.set $y (array.new_elem $r $e (i32.const 0) (i32.const 2)))
    (array.set $r (local.get $y) (i32.const 0) (any.convert_extern (local.get 2)))
    (drop (extern.convert_any (array.get $r (local.get $y) (i32.const 1))))
    (struct.set $s 0 (global.get $g) (array.get_s $a (local.get $x) (i32.const 1)))
    (block $l (result anyref)
      (br_on_cast_fail $l anyref (ref $t) (local.get 1))
      (struct.get $t 3) (i32.wrap_i64) (drop)
      (ref.null any))
    (ref.test (ref i31))
    (i32.add (array.len (local.get $x)))
    (i32.add (struct.get_u $s 0 (ref.cast (ref $s) (global.get $g))))
    (i32.add (i31.get_s (ref.i31 (local.get 0))))
    (i32.add (ref.eq (local.get $x) (local.get $x)))))`

// legacySeedWAT seeds FuzzCompileRun3 with legacy exception handling.
const legacySeedWAT = `(module
  (tag $e (param i32))
  (func $thrower (param i32) (throw $e (local.get 0)))
  (func (export "f") (param i32) (result i32)
    (local.get 0)
    (try (param i32) (result i32)
      (do
        (try (param i32) (result i32)
          (do (call $thrower) (i32.const 0))
          (delegate 0)))
      (catch $e
        (drop)
        (try (result i32)
          (do (rethrow 1))
          (catch_all (i32.const 1))))
      (catch_all (i32.const 2)))))`

// FuzzCompileRun3 is FuzzCompileRun under the Wasm 3.0 rules, seeded with
// GC and legacy exception code: running arbitrary modules must never hit
// an internal error.
func FuzzCompileRun3(f *testing.F) {
	for _, src := range []string{benchWAT, gcSeedWAT, legacySeedWAT} {
		m, err := text.ParseModuleOptions([]byte(src), "seed.wat", text.Options{Features: wasm.Wasm3})
		if err != nil {
			f.Fatal(err)
		}
		bin, err := binary.Encode(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bin)
	}
	f.Fuzz(func(t *testing.T, bin []byte) {
		m, err := binary.DecodeWith(bin, binary.Options{Features: wasm.Wasm3})
		if err != nil {
			return
		}
		cm, err := CompileWith(m, CompileOptions{Features: wasm.Wasm3})
		if err != nil {
			return
		}
		s := NewStore(Config{MaxMemoryPages: 16, MaxTableElems: 1 << 16, MaxCallDepth: 500, MaxArrayElems: 1 << 16})
		in, err := s.Instantiate(context.Background(), cm, func(mod, name string) Extern { return nil })
		if err != nil {
			return
		}
		for _, ex := range m.Exports {
			fn, ok := in.Export(ex.Name).(*Func)
			if !ok {
				continue
			}
			args := make([]Value, len(fn.Type().Params))
			for i, p := range fn.Type().Params {
				args[i].Type = p
			}
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			_, err := fn.Call(ctx, args...)
			cancel()
			if err != nil && strings.Contains(err.Error(), "internal error") {
				t.Fatalf("%s: %v", ex.Name, err)
			}
		}
	})
}
