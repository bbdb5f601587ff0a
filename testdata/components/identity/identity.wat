;; Resource type identity. Two imported resources a and b; the core code
;; passes whatever handle it receives to the import take-b, so
;; pass-a-as-b hands take-b an a where a b is expected: the canonical ABI
;; must trap. The instance import "i" has its own abstract resource r
;; used by its functions; the host must supply one resource for all.
(component
  (import "a" (type $a (sub resource)))
  (import "b" (type $b (sub resource)))
  (import "take-b" (func $take-b (param "x" (borrow $b))))
  (import "i" (instance $i
    (export "r" (type $r (sub resource)))
    (export "make" (func (param "v" u32) (result (own $r))))
    (export "get" (func (param "x" (borrow $r)) (result u32)))))
  (alias export $i "r" (type $r))
  (alias export $i "make" (func $make))
  (alias export $i "get" (func $get))
  (core func $take-b-core (canon lower (func $take-b)))
  (core func $make-core (canon lower (func $make)))
  (core func $get-core (canon lower (func $get)))
  (core func $drop-a (canon resource.drop $a))
  (core func $drop-b (canon resource.drop $b))
  (core func $drop-r (canon resource.drop $r))
  (core module $m
    (import "" "take-b" (func $tb (param i32)))
    (import "" "drop-a" (func $drop-a (param i32)))
    (import "" "drop-b" (func $drop-b (param i32)))
    (import "" "make" (func $make (param i32) (result i32)))
    (import "" "get" (func $get (param i32) (result i32)))
    (import "" "drop-r" (func $drop-r (param i32)))
    (func (export "pass-a") (param i32) (call $tb (local.get 0)) (call $drop-a (local.get 0)))
    (func (export "pass-b") (param i32) (call $tb (local.get 0)) (call $drop-b (local.get 0)))
    (func (export "round-trip") (param i32) (result i32) (local i32 i32)
      (local.set 1 (call $make (local.get 0)))
      (local.set 2 (call $get (local.get 1)))
      (call $drop-r (local.get 1))
      (local.get 2)))
  (core instance $ci (instantiate $m (with "" (instance
    (export "take-b" (func $take-b-core))
    (export "drop-a" (func $drop-a))
    (export "drop-b" (func $drop-b))
    (export "make" (func $make-core))
    (export "get" (func $get-core))
    (export "drop-r" (func $drop-r))))))
  (func (export "pass-a-as-b") (param "x" (borrow $a)) (canon lift (core func $ci "pass-a")))
  (func (export "pass-b") (param "x" (borrow $b)) (canon lift (core func $ci "pass-b")))
  (func (export "round-trip") (param "v" u32) (result u32) (canon lift (core func $ci "round-trip")))
)
