;; The canonical ABI's may_leave rule: a component instance may not call
;; out while its realloc runs. This realloc calls the import "log", so
;; calling "take" (whose string argument is lowered with realloc) must
;; trap; "ping" calls log from ordinary code, which is allowed.
(component
  (import "log" (func $log))
  (core func $log-core (canon lower (func $log)))
  (core module $m
    (import "" "log" (func $log))
    (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (call $log)
      (i32.const 64))
    (func (export "take") (param i32 i32))
    (func (export "ping") (call $log)))
  (core instance $i (instantiate $m (with "" (instance (export "log" (func $log-core))))))
  (func (export "take") (param "s" string)
    (canon lift (core func $i "take") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
  (func (export "ping") (canon lift (core func $i "ping")))
)
