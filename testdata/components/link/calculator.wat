;; Imports the interfaced adder's interface and exports triple(x) =
;; add(x, add(x, x)): linked at run time to interfaced-adder.component.wasm
;; (the composition example of the component model guide, without a
;; composition tool).
(component
  (import "wasi-mindmap:interfaced-adder/add" (instance $add
    (export "add" (func (param "a" s32) (param "b" s32) (result s32)))))
  (alias export $add "add" (func $add-f))
  (core func $add-core (canon lower (func $add-f)))
  (core module $m
    (import "" "add" (func $add (param i32 i32) (result i32)))
    (func (export "triple") (param i32) (result i32)
      (call $add (local.get 0) (call $add (local.get 0) (local.get 0)))))
  (core instance $i (instantiate $m (with "" (instance (export "add" (func $add-core))))))
  (func (export "triple") (param "x" s32) (result s32) (canon lift (core func $i "triple")))
)
