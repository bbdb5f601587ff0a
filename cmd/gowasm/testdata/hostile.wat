(module
  (memory 1)
  (func (export "spin") (loop (br 0)))
  (func $rec (export "recurse") (call $rec))
  (func (export "grow") (result i32)
    (loop (br_if 0 (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (memory.size)))
