;; Core module for world docs:echo/echo: echo: func(s: string) -> string
;; returns its argument. The string comes in as (ptr, len) in memory
;; allocated with cabi_realloc (a bump allocator); the result goes out
;; through a return area holding (ptr, len).
(module
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 1024))
  (func (export "cabi_realloc") (param $old i32) (param $oldSize i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    ;; round up to align
    (local.set $p
      (i32.and
        (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (global.set $next (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $next) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.const 1)))))
    (local.get $p))
  ;; The return area is at 8.
  (func (export "echo") (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 8) (local.get $ptr))
    (i32.store (i32.const 12) (local.get $len))
    (i32.const 8))
  ;; After the caller has read the result, free everything.
  (func (export "cabi_post_echo") (param i32)
    (global.set $next (i32.const 1024))))
