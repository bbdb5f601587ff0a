;; Core module for world docs:adder/adder: the world-level export
;; add: func(x: s32, y: s32) -> s32 is the core export "add".
(module
  (func (export "add") (param $x i32) (param $y i32) (result i32)
    (i32.add (local.get $x) (local.get $y))))
