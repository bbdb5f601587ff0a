;; Exports an instance "i" with a resource r that this component defines,
;; a constructor-like make and a get that reads through a borrow: the
;; provider of identity.wasm's import "i", linked at run time.
(component
  (type $r (resource (rep i32)))
  (core func $new (canon resource.new $r))
  (core module $m
    (import "" "new" (func $new (param i32) (result i32)))
    (func (export "make") (param i32) (result i32) (call $new (local.get 0)))
    ;; A borrow of a resource this component defines arrives as its rep.
    (func (export "get") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 10))))
  (core instance $i (instantiate $m (with "" (instance (export "new" (func $new))))))
  (func $make (param "v" u32) (result (own $r)) (canon lift (core func $i "make")))
  (func $get (param "x" (borrow $r)) (result u32) (canon lift (core func $i "get")))
  (instance $inst (export "r" (type $r)) (export "make" (func $make)) (export "get" (func $get)))
  (export "i" (instance $inst))
)
