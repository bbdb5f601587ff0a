;; A hostile component for the limits tests: spin loops forever, grow
;; grows memory until it fails (returning the pages it got), and recurse
;; recurses without end.
(component
  (core module $m
    (memory 1)
    (func (export "spin") (loop $l (br $l)))
    (func (export "grow") (result i32) (local i32)
      (loop $l
        (if (i32.ne (memory.grow (i32.const 1)) (i32.const -1))
          (then (local.set 0 (i32.add (local.get 0) (i32.const 1))) (br $l))))
      (local.get 0))
    (func $rec (export "recurse") (call $rec)))
  (core instance $i (instantiate $m))
  (func (export "spin") (canon lift (core func $i "spin")))
  (func (export "grow") (result u32) (canon lift (core func $i "grow")))
  (func (export "recurse") (canon lift (core func $i "recurse")))
)
