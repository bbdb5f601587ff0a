package interp

import (
	"context"
	"errors"
	"testing"
)

// TestLegacyExceptions checks the legacy exception instructions (try,
// catch, catch_all, delegate, rethrow) beyond the spec suite: block
// parameters, v128 and reference payloads, delegating past a catch
// clause, to a plain block and to the caller, rethrowing the exception
// of an outer catch, and mixing with try_table.
func TestLegacyExceptions(t *testing.T) {
	m := compile3(t, `(module
  (tag $e (param i32))
  (tag $f (param i64 v128 externref))
  (tag $g)
  (func $thrower (param i32)
    (if (i32.eqz (local.get 0)) (then (throw $g)))
    (throw $e (local.get 0)))
  ;; try with parameters: the body sees them, the catch clauses do not.
  (func (export "params") (param i32) (result i32)
    (local.get 0)
    (try (param i32) (result i32)
      (do (i32.const 100) (i32.add) (call $thrower (local.get 0)) (drop) (i32.const -1))
      (catch $e (i32.const 1000) (i32.add))
      (catch_all (i32.const 7))))
  ;; normal completion of the body with parameters.
  (func (export "noexc") (param i32) (result i32)
    (local.get 0)
    (try (param i32) (result i32)
      (do (i32.const 100) (i32.add))
      (catch_all (i32.const 7))))
  ;; a payload with v128 and a reference, kept across the catch body.
  (func (export "payload") (param i64 externref) (result i64 i64 externref)
    (local v128 externref)
    (try (result i64 i64 externref)
      (do
        (throw $f (local.get 0) (v128.const i64x2 11 22) (local.get 1)))
      (catch $f
        (local.set 3)
        (local.set 2)
        (i64.add (i64x2.extract_lane 1 (local.get 2)))
        (i64x2.extract_lane 0 (local.get 2))
        (local.get 3))))
  ;; an exception thrown in a catch clause is not caught by its try.
  (func (export "incatch") (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (throw $g))
          (catch $g (throw $e (i32.const 5)))
          (catch $e (drop) (i32.const -1))))
      (catch $e)))
  ;; delegate 0 inside a catch clause of the outer try skips that try.
  (func (export "delegate_in_catch") (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (throw $g))
          (catch_all
            (try (result i32)
              (do (throw $e (i32.const 9)))
              (delegate 0)))))
      (catch $e (i32.const 100) (i32.add))))
  ;; delegate to a plain block inside a try body reaches that try.
  (func (export "delegate_block") (result i32)
    (try (result i32)
      (do
        (block (result i32)
          (try (result i32)
            (do (try (result i32) (do (throw $e (i32.const 3))) (catch_all (i32.const -1))) (drop)
                (throw $e (i32.const 4)))
            (delegate 0))))
      (catch $e (i32.const 10) (i32.mul))))
  ;; delegate to the function's label: to the caller.
  (func $delegate_out (param i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $thrower (local.get 0)) (i32.const 0))
          (delegate 1)))
      (catch_all (i32.const -1))))
  (func (export "delegate_out") (param i32) (result i32)
    (try (result i32)
      (do (call $delegate_out (local.get 0)))
      (catch $e (i32.const 1) (i32.add))
      (catch $g (i32.const 42))))
  ;; delegate through a try_table: the try_table does not see it.
  (func (export "delegate_try_table") (result i32)
    (block $h (result i32)
      (try (result i32)
        (do
          (try_table (result i32) (catch $e $h)
            (try (result i32)
              (do (throw $e (i32.const 6)))
              (delegate 1))))
        (catch $e (i32.const 600) (i32.add)))))
  ;; delegate to a try_table's label: its catch clauses apply.
  (func (export "delegate_to_try_table") (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (try (result i32)
          (do (throw $e (i32.const 8)))
          (delegate 0)))))
  ;; rethrow the exception of an outer catch from an inner one.
  (func (export "rethrow_outer") (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (throw $e (i32.const 1)))
          (catch $e
            (drop)
            (try (result i32)
              (do (throw $e (i32.const 2)))
              (catch $e
                (drop)
                (block (result i32) (rethrow 2)))))))
      (catch $e (i32.const 50) (i32.add))))
  ;; rethrow after a loop in the catch clause; results of the clause are
  ;; moved to the try's slots.
  (func (export "loop_in_catch") (param i32) (result i32 i32)
    (local i32)
    (try (result i32 i32)
      (do (throw $e (local.get 0)))
      (catch $e
        (local.set 1)
        (loop $l
          (local.set 1 (i32.add (local.get 1) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get 1) (i32.const 10))))
        (try (do (if (i32.gt_u (local.get 1) (i32.const 20)) (then (rethrow 2)))) (delegate 0))
        (local.get 1) (i32.const 2))))
  ;; a try whose body ends in a call that may throw, caught by catch_all
  ;; and rethrown to the caller.
  (func (export "rethrow_out") (param i32)
    (try (do (call $thrower (local.get 0))) (catch_all (rethrow 0))))
  ;; the results of a catch clause (a v128 first) move down over the
  ;; caught exception's slot.
  (func (export "v128_result") (param i32) (result i64 i64 i32)
    (local $tmp i32) (local $v v128)
    (try (result v128 i32)
      (do (throw $e (local.get 0)))
      (catch $e
        (local.set $tmp)
        (i64x2.splat (i64.extend_i32_u (local.get $tmp)))
        (i32.add (local.get $tmp) (i32.const 1))))
    (local.set $tmp)
    (local.set $v)
    (i64x2.extract_lane 0 (local.get $v))
    (i64x2.extract_lane 1 (local.get $v))
    (local.get $tmp))
  ;; branches out of a catch clause to outer labels.
  (func (export "br_out") (param i32) (result i32)
    (block $b (result i32)
      (try (result i32)
        (do (throw $e (local.get 0)))
        (catch $e (drop) (br_if $b (i32.const 77) (local.get 0)) (drop) (i32.const 88)))
      (i32.const 1) (i32.add)))
)`)
	inst, err := NewStore(Config{}).Instantiate(context.Background(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, args []Value, want ...Value) {
		t.Helper()
		res, err := call(t, inst, name, args...)
		if err != nil {
			t.Errorf("%s%v: %v", name, args, err)
			return
		}
		if len(res) != len(want) {
			t.Errorf("%s%v = %v, want %v", name, args, res, want)
			return
		}
		for i := range res {
			if res[i].Lo != want[i].Lo || res[i].Hi != want[i].Hi || res[i].Ref != want[i].Ref {
				t.Errorf("%s%v = %v, want %v", name, args, res, want)
				return
			}
		}
	}
	check("params", []Value{I32(5)}, I32(1005))
	check("params", []Value{I32(0)}, I32(7))
	check("noexc", []Value{I32(5)}, I32(105))
	ref := "host"
	check("payload", []Value{I64(40), ExternRef(ref)}, I64(62), I64(11), ExternRef(ref))
	check("incatch", nil, I32(5))
	check("delegate_in_catch", nil, I32(109))
	check("delegate_block", nil, I32(40))
	check("delegate_out", []Value{I32(3)}, I32(4))
	check("delegate_out", []Value{I32(0)}, I32(42))
	check("delegate_try_table", nil, I32(606))
	check("delegate_to_try_table", nil, I32(8))
	check("rethrow_outer", nil, I32(51))
	check("loop_in_catch", []Value{I32(3)}, I32(10), I32(2))
	check("loop_in_catch", []Value{I32(15)}, I32(16), I32(2))
	_, err = call(t, inst, "loop_in_catch", I32(30))
	var ex *Exception
	if !errors.As(err, &ex) || len(ex.Args) != 1 || ex.Args[0].I32() != 30 {
		t.Errorf("loop_in_catch(30): got %v, want exception $e(30)", err)
	}
	_, err = call(t, inst, "rethrow_out", I32(12))
	if !errors.As(err, &ex) || len(ex.Args) != 1 || ex.Args[0].I32() != 12 {
		t.Errorf("rethrow_out(12): got %v, want exception $e(12)", err)
	}
	check("v128_result", []Value{I32(21)}, I64(21), I64(21), I32(22))
	check("br_out", []Value{I32(1)}, I32(77))
	check("br_out", []Value{I32(0)}, I32(89))
}
