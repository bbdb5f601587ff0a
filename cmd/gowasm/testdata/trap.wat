(module
  (func $inner (unreachable))
  (func (export "trap") (call $inner))
  (func (export "add") (param i32 f64) (result i32 f64)
    (local.get 0) (local.get 1)))
