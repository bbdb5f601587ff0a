;; A component with a start function (🪙 in the component model). Its
;; arguments are the imported value "base" (value 0) and a value
;; definition (value 1: u32 2). The test inserts both before the start
;; section, as an import section and a value section (id 12) encoded as
;; Binary.md says, because the text parser of wasm-tools does not accept
;; value definitions and encodes value imports without the valuebound
;; tag 0x01. The start function calls the imported "log" and returns
;; a + b, exported as the value "sum".
(component
  (import "log" (func $log (param "x" u32)))
  (core func $log-core (canon lower (func $log)))
  (core module $m
    (import "" "log" (func $log (param i32)))
    (func (export "init") (param i32 i32) (result i32)
      (call $log (local.get 0))
      (i32.add (local.get 0) (local.get 1))))
  (core instance $i (instantiate $m (with "" (instance (export "log" (func $log-core))))))
  (func $init (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "init")))
  (start $init (value 0) (value 1) (result (value $sum)))
  (export "sum" (value 2))
)
