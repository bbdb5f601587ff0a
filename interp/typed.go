package interp

import (
	"context"
	"math"

	"github.com/gowasm/gowasm/wasm"
)

// Number is a Go type that stands for a wasm number type: int32 and
// uint32 for i32, int64 and uint64 for i64, float32 for f32, float64 for
// f64.
type Number interface {
	int32 | uint32 | int64 | uint64 | float32 | float64
}

// typeOf returns the wasm type of the Go type T.
func typeOf[T Number]() wasm.ValType {
	var z T
	switch any(z).(type) {
	case int32, uint32:
		return wasm.I32
	case int64, uint64:
		return wasm.I64
	case float32:
		return wasm.F32
	default:
		return wasm.F64
	}
}

// fromSlot converts a raw slot to T.
func fromSlot[T Number](u uint64) T {
	var v T
	switch p := any(&v).(type) {
	case *int32:
		*p = int32(u)
	case *uint32:
		*p = uint32(u)
	case *int64:
		*p = int64(u)
	case *uint64:
		*p = u
	case *float32:
		*p = math.Float32frombits(uint32(u))
	case *float64:
		*p = math.Float64frombits(u)
	}
	return v
}

// toSlot converts v to a raw slot.
func toSlot[T Number](v T) uint64 {
	switch x := any(v).(type) {
	case int32:
		return uint64(uint32(x))
	case uint32:
		return uint64(x)
	case int64:
		return uint64(x)
	case uint64:
		return x
	case float32:
		return uint64(math.Float32bits(x))
	case float64:
		return math.Float64bits(x)
	}
	return 0
}

func funcType(params []wasm.ValType, results ...wasm.ValType) wasm.FuncType {
	return wasm.FuncType{Params: params, Results: results}
}

// The typed host functions below wrap plain Go functions: their wasm type
// comes from the Go types, and calls convert raw slots directly, with no
// reflection and no []Value per call. A returned error aborts the guest
// (a *Trap stays a trap; any other error becomes a host trap wrapping it).

// Func0 returns a host function of type [] -> [R].
func Func0[R Number](s *Store, fn func(ctx context.Context, c *Caller) (R, error)) *Func {
	return s.NewRawHostFunc(funcType(nil, typeOf[R]()), func(ctx context.Context, c *Caller, st []uint64) error {
		r, err := fn(ctx, c)
		st[0] = toSlot(r)
		return err
	})
}

// Func1 returns a host function of type [A] -> [R].
func Func1[A, R Number](s *Store, fn func(ctx context.Context, c *Caller, a A) (R, error)) *Func {
	return s.NewRawHostFunc(funcType([]wasm.ValType{typeOf[A]()}, typeOf[R]()),
		func(ctx context.Context, c *Caller, st []uint64) error {
			r, err := fn(ctx, c, fromSlot[A](st[0]))
			st[0] = toSlot(r)
			return err
		})
}

// Func2 returns a host function of type [A B] -> [R].
func Func2[A, B, R Number](s *Store, fn func(ctx context.Context, c *Caller, a A, b B) (R, error)) *Func {
	return s.NewRawHostFunc(funcType([]wasm.ValType{typeOf[A](), typeOf[B]()}, typeOf[R]()),
		func(ctx context.Context, c *Caller, st []uint64) error {
			r, err := fn(ctx, c, fromSlot[A](st[0]), fromSlot[B](st[1]))
			st[0] = toSlot(r)
			return err
		})
}

// Func3 returns a host function of type [A B C] -> [R].
func Func3[A, B, C, R Number](s *Store, fn func(ctx context.Context, c *Caller, a A, b B, cc C) (R, error)) *Func {
	return s.NewRawHostFunc(funcType([]wasm.ValType{typeOf[A](), typeOf[B](), typeOf[C]()}, typeOf[R]()),
		func(ctx context.Context, c *Caller, st []uint64) error {
			r, err := fn(ctx, c, fromSlot[A](st[0]), fromSlot[B](st[1]), fromSlot[C](st[2]))
			st[0] = toSlot(r)
			return err
		})
}

// Proc0 returns a host function of type [] -> [].
func Proc0(s *Store, fn func(ctx context.Context, c *Caller) error) *Func {
	return s.NewRawHostFunc(funcType(nil), func(ctx context.Context, c *Caller, _ []uint64) error {
		return fn(ctx, c)
	})
}

// Proc1 returns a host function of type [A] -> [].
func Proc1[A Number](s *Store, fn func(ctx context.Context, c *Caller, a A) error) *Func {
	return s.NewRawHostFunc(funcType([]wasm.ValType{typeOf[A]()}),
		func(ctx context.Context, c *Caller, st []uint64) error {
			return fn(ctx, c, fromSlot[A](st[0]))
		})
}

// Proc2 returns a host function of type [A B] -> [].
func Proc2[A, B Number](s *Store, fn func(ctx context.Context, c *Caller, a A, b B) error) *Func {
	return s.NewRawHostFunc(funcType([]wasm.ValType{typeOf[A](), typeOf[B]()}),
		func(ctx context.Context, c *Caller, st []uint64) error {
			return fn(ctx, c, fromSlot[A](st[0]), fromSlot[B](st[1]))
		})
}

// Proc3 returns a host function of type [A B C] -> [].
func Proc3[A, B, C Number](s *Store, fn func(ctx context.Context, c *Caller, a A, b B, cc C) error) *Func {
	return s.NewRawHostFunc(funcType([]wasm.ValType{typeOf[A](), typeOf[B](), typeOf[C]()}),
		func(ctx context.Context, c *Caller, st []uint64) error {
			return fn(ctx, c, fromSlot[A](st[0]), fromSlot[B](st[1]), fromSlot[C](st[2]))
		})
}
