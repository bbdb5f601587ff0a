;; dtor-rep.wat: a small component written for gowasm's tests (not a jco
;; fixture). It exercises what jco's resources.2.component.wat test checks
;; in jco's generated JavaScript: when an owned handle of a
;; component-defined resource is disposed of, the destructor receives the
;; representation of the handle being removed. resources.2's own core code
;; is all `unreachable` (a wit-component dummy), so its destructors cannot
;; be observed; this component has the same kind of resource (rep i32, with
;; a destructor) and records in memory every representation its destructor
;; receives.
;;
;; Exports an instance "exports" (as resources.2 does) with:
;;   x: resource
;;   [constructor]x: func(rep: u32) -> own<x>   the handle's rep is `rep`
;;   consume: func(a: own<x>, b: own<x>)        drops a, then b, in the guest
;;   drop-twice: func(a: own<x>)                drops a's handle twice
;;                                              (the second drop must trap)
;;   drops: func() -> list<u32>                 reps the destructor received
(component
  ;; Memory, drop counter and destructor, instantiated first so that the
  ;; resource type can name the destructor.
  (core module $state
    (memory (export "memory") 1)
    (global $n (export "n") (mut i32) (i32.const 0))
    (func (export "dtor") (param $rep i32)
      (i32.store
        (i32.add (i32.const 1024) (i32.shl (global.get $n) (i32.const 2)))
        (local.get $rep))
      (global.set $n (i32.add (global.get $n) (i32.const 1)))))
  (core instance $state (instantiate $state))
  (alias core export $state "dtor" (core func $dtor))
  (alias core export $state "memory" (core memory $mem))

  (type $x (resource (rep i32) (dtor (core func $dtor))))
  (core func $new (canon resource.new $x))
  (core func $drop (canon resource.drop $x))

  (core module $main
    (import "state" "memory" (memory 1))
    (import "state" "n" (global $n (mut i32)))
    (import "res" "new" (func $new (param i32) (result i32)))
    (import "res" "drop" (func $drop (param i32)))
    (func (export "ctor") (param $rep i32) (result i32)
      (call $new (local.get $rep)))
    (func (export "consume") (param $a i32) (param $b i32)
      (call $drop (local.get $a))
      (call $drop (local.get $b)))
    (func (export "drop-twice") (param $a i32)
      (call $drop (local.get $a))
      (call $drop (local.get $a)))
    ;; drops returns a pointer to (ptr, len) of the log at 1024.
    (func (export "drops") (result i32)
      (i32.store (i32.const 16) (i32.const 1024))
      (i32.store (i32.const 20) (global.get $n))
      (i32.const 16)))
  (core instance $main (instantiate $main
    (with "state" (instance $state))
    (with "res" (instance
      (export "new" (func $new))
      (export "drop" (func $drop))))))

  (type $own (own $x))
  (func $ctor (param "rep" u32) (result $own)
    (canon lift (core func $main "ctor")))
  (func $consume (param "a" $own) (param "b" $own)
    (canon lift (core func $main "consume")))
  (func $drop-twice (param "a" $own)
    (canon lift (core func $main "drop-twice")))
  (func $drops (result (list u32))
    (canon lift (core func $main "drops") (memory $mem)))
  ;; Re-export the resource and the functions under an instance, with the
  ;; function types naming the exported resource (as wit-component does).
  (component $wrap
    (import "x-def" (type $xi (sub resource)))
    (type $owni (own $xi))
    (import "ctor" (func $ctor (param "rep" u32) (result $owni)))
    (import "consume" (func $consume (param "a" $owni) (param "b" $owni)))
    (import "drop-twice" (func $drop-twice (param "a" $owni)))
    (import "drops" (func $drops (result (list u32))))
    (export $xe "x" (type $xi))
    (type $owne (own $xe))
    (type $ctor-t (func (param "rep" u32) (result $owne)))
    (type $consume-t (func (param "a" $owne) (param "b" $owne)))
    (type $drop-twice-t (func (param "a" $owne)))
    (export "[constructor]x" (func $ctor) (func (type $ctor-t)))
    (export "consume" (func $consume) (func (type $consume-t)))
    (export "drop-twice" (func $drop-twice) (func (type $drop-twice-t)))
    (export "drops" (func $drops)))
  (instance $exports (instantiate $wrap
    (with "x-def" (type $x))
    (with "ctor" (func $ctor))
    (with "consume" (func $consume))
    (with "drop-twice" (func $drop-twice))
    (with "drops" (func $drops))))
  (export "exports" (instance $exports))
)
