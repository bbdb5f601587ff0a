;; A small script exercising every command the runner supports.
;; Every command here must pass.

(module $M
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "global_i32" (global $g666 i32))
  (import "spectest" "memory" (memory 1 2))
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "div_s") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "g666") (result i32) (global.get $g666))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (call $print_i32 (global.get $counter))
    (global.get $counter))
  (func (export "i64.neg") (param i64) (result i64)
    (i64.sub (i64.const 0) (local.get 0)))
  (func (export "f32.div") (param f32 f32) (result f32)
    (f32.div (local.get 0) (local.get 1)))
  (func (export "f64.id") (param f64) (result f64) (local.get 0))
  (func (export "two") (result i32 i64) (i32.const 1) (i64.const 2))
  (func $loop (export "loop") (call $loop))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "extern") (param externref) (result externref) (local.get 0))
  (func (export "null") (result funcref) (ref.null func))
  (func (export "v128.id") (param v128) (result v128) (local.get 0))
)

(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "add" (i32.const -1) (i32.const 0)) (i32.const 0xffffffff))
(assert_return (invoke "g666") (i32.const 666))
(invoke "bump")
(assert_return (invoke "bump") (i32.const 2))
(assert_return (get "counter") (i32.const 2))
(assert_return (invoke "i64.neg" (i64.const 5)) (i64.const -5))
(assert_return (invoke "f32.div" (f32.const 1) (f32.const 4)) (f32.const 0.25))
(assert_return (invoke "f32.div" (f32.const 0) (f32.const 0)) (f32.const nan:arithmetic))
(assert_return (invoke "f64.id" (f64.const -0x1p-1074)) (f64.const -0x1p-1074))
(assert_return (invoke "f64.id" (f64.const nan:0x8000000000000)) (f64.const nan:canonical))
(assert_return (invoke "two") (i32.const 1) (i64.const 2))
(assert_return (invoke "extern" (ref.extern 7)) (ref.extern 7))
(assert_return (invoke "extern" (ref.null extern)) (ref.null extern))
(assert_return (invoke "null") (ref.null func))
(assert_return (invoke "v128.id" (v128.const i32x4 1 2 3 -1)) (v128.const i32x4 1 2 3 0xffffffff))
(assert_return (invoke "v128.id" (v128.const f32x4 nan 1 2 3)) (v128.const f32x4 nan:canonical 1 2 3))
(assert_trap (invoke "div_s" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div_s" (i32.const 0x80000000) (i32.const -1)) "integer overflow")
(assert_trap (invoke "load" (i32.const 65535)) "out of bounds memory access")
(assert_exhaustion (invoke "loop") "call stack exhausted")

(register "M" $M)

(module
  (import "M" "add" (func $add (param i32 i32) (result i32)))
  (import "spectest" "memory" (memory 1))
  (func (export "add3") (param i32) (result i32)
    (call $add (local.get 0) (i32.const 3)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
)
(assert_return (invoke "add3" (i32.const 4)) (i32.const 7))
(invoke $M "store" (i32.const 8) (i32.const 42))
(assert_return (invoke "load" (i32.const 8)) (i32.const 42))

;; Instantiation traps, but the earlier data segment write persists.
(assert_trap
  (module
    (import "spectest" "memory" (memory 1))
    (data (i32.const 12) "\2a")
    (func $start unreachable)
    (start $start))
  "unreachable")
(assert_return (invoke $M "load" (i32.const 12)) (i32.const 42))

(module binary "\00asm" "\01\00\00\00")

(assert_invalid
  (module (func (result i32) (i64.const 0)))
  "type mismatch")
(assert_malformed
  (module quote "(func (result i32) (i32.const))")
  "unexpected token")
(assert_malformed
  (module binary "\00asm" "\02\00\00\00")
  "unknown binary version")
(assert_unlinkable
  (module (import "spectest" "unknown" (func)))
  "unknown import")
(assert_unlinkable
  (module (import "M" "add" (func (param i64))))
  "incompatible import type")
