;; A WebAssembly script: a module and assertions about it, in the format of
;; the official specification tests.
;;   go run ./cmd/gowasm wast examples/hello.wast
;;   go run ./cmd/gowasm wast --print examples/hello.wast   # shows what it prints
(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "Hello, WebAssembly!")
  ;; Prints each byte of the greeting (with spectest.print_i32) and returns
  ;; how many there are.
  (func (export "hello") (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (i32.load8_u (local.get $i))))
        (call $print (i32.load8_u (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_u (local.get 0) (local.get 1))))

(assert_return (invoke "hello") (i32.const 19))
(assert_return (invoke "div" (i32.const 42) (i32.const 6)) (i32.const 7))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_invalid (module (func (result i32) (i64.const 1))) "type mismatch")
