;; Every assertion here is wrong: the runner must report each one as a
;; failure (the test checks the count and the lines).

(module
  (func (export "one") (result i32) (i32.const 1))
  (func (export "nan") (result f32) (f32.const nan:0x200000))
  (func (export "trap") unreachable)
)
(assert_return (invoke "one") (i32.const 2))
(assert_return (invoke "one") (i64.const 1))
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (invoke "trap"))
(assert_trap (invoke "one") "unreachable")
(assert_exhaustion (invoke "trap") "call stack exhausted")
(assert_return (invoke "missing"))
(assert_invalid (module (func (result i32) (i32.const 0))) "type mismatch")
(assert_malformed (module binary "\00asm" "\01\00\00\00") "unexpected end")
(assert_unlinkable (module) "unknown import")
(assert_trap (module) "unreachable")
(module (func (result i32) (i64.const 0)))
(assert_return (invoke "one") (i32.const 1))
