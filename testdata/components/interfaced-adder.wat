;; Core module for world wasi-mindmap:interfaced-adder/interfaced-adder:
;; the function add of the exported interface add is the core export
;; "wasi-mindmap:interfaced-adder/add#add".
(module
  (func (export "wasi-mindmap:interfaced-adder/add#add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b))))
