package component

import (
	"context"
	"fmt"
	"math"
)

// Character is the Go type of the component type char in typed host
// functions (DefineFunc1 and the like). It is distinct from rune, which
// is int32 and maps to s32.
type Character rune

// Scalar is the set of Go types that typed host functions take and
// return, with the component types they map to: bool (bool), int8..int64
// (s8..s64), uint8..uint64 (u8..u64), float32 (f32), float64 (f64),
// Character (char), string (string) and []byte (list<u8>).
type Scalar interface {
	bool | int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64 |
		float32 | float64 | Character | string | []byte
}

// TypeFor returns the component type that the Go type T maps to.
func TypeFor[T Scalar]() *Type {
	var x T
	switch any(x).(type) {
	case bool:
		return Prim(KindBool)
	case int8:
		return Prim(KindS8)
	case int16:
		return Prim(KindS16)
	case int32:
		return Prim(KindS32)
	case int64:
		return Prim(KindS64)
	case uint8:
		return Prim(KindU8)
	case uint16:
		return Prim(KindU16)
	case uint32:
		return Prim(KindU32)
	case uint64:
		return Prim(KindU64)
	case float32:
		return Prim(KindF32)
	case float64:
		return Prim(KindF64)
	case Character:
		return Prim(KindChar)
	case string:
		return Prim(KindString)
	case []byte:
		return ListOf(Prim(KindU8))
	}
	panic("unreachable")
}

// ValOf converts a Go value to the component value of its mapped type.
func ValOf[T Scalar](x T) Val {
	switch x := any(x).(type) {
	case bool:
		return Bool(x)
	case int8:
		return S8(x)
	case int16:
		return S16(x)
	case int32:
		return S32(x)
	case int64:
		return S64(x)
	case uint8:
		return U8(x)
	case uint16:
		return U16(x)
	case uint32:
		return U32(x)
	case uint64:
		return U64(x)
	case float32:
		return F32(x)
	case float64:
		return F64(x)
	case Character:
		return Char(rune(x))
	case string:
		return String(x)
	case []byte:
		return Bytes(x)
	}
	panic("unreachable")
}

// ValAs converts a component value to the Go type T, checking that its
// kind is the one T maps to (and, for integers, that it is in range).
func ValAs[T Scalar](v Val) (T, error) {
	var out T
	p := any(&out)
	bad := func() (T, error) {
		var zero T
		return zero, fmt.Errorf("component: value %v does not convert to %T", v, zero)
	}
	intIn := func(lo, hi int64) (int64, bool) {
		switch v.Kind {
		case KindS8, KindS16, KindS32, KindS64:
			x := v.AsInt()
			return x, x >= lo && x <= hi
		}
		return 0, false
	}
	uintIn := func(hi uint64) (uint64, bool) {
		switch v.Kind {
		case KindU8, KindU16, KindU32, KindU64:
			x := v.AsUint()
			return x, x <= hi
		}
		return 0, false
	}
	switch p := p.(type) {
	case *bool:
		if v.Kind != KindBool {
			return bad()
		}
		*p = v.AsBool()
	case *int8:
		x, ok := intIn(math.MinInt8, math.MaxInt8)
		if !ok {
			return bad()
		}
		*p = int8(x)
	case *int16:
		x, ok := intIn(math.MinInt16, math.MaxInt16)
		if !ok {
			return bad()
		}
		*p = int16(x)
	case *int32:
		x, ok := intIn(math.MinInt32, math.MaxInt32)
		if !ok {
			return bad()
		}
		*p = int32(x)
	case *int64:
		x, ok := intIn(math.MinInt64, math.MaxInt64)
		if !ok {
			return bad()
		}
		*p = x
	case *uint8:
		x, ok := uintIn(math.MaxUint8)
		if !ok {
			return bad()
		}
		*p = uint8(x)
	case *uint16:
		x, ok := uintIn(math.MaxUint16)
		if !ok {
			return bad()
		}
		*p = uint16(x)
	case *uint32:
		x, ok := uintIn(math.MaxUint32)
		if !ok {
			return bad()
		}
		*p = uint32(x)
	case *uint64:
		x, ok := uintIn(math.MaxUint64)
		if !ok {
			return bad()
		}
		*p = x
	case *float32:
		if v.Kind != KindF32 {
			return bad()
		}
		*p = v.AsF32()
	case *float64:
		if v.Kind != KindF64 {
			return bad()
		}
		*p = v.AsF64()
	case *Character:
		if v.Kind != KindChar {
			return bad()
		}
		*p = Character(v.AsChar())
	case *string:
		if v.Kind != KindString {
			return bad()
		}
		*p = v.AsString()
	case *[]byte:
		b, ok := v.AsBytes()
		if !ok {
			return bad()
		}
		*p = b
	}
	return out, nil
}

// typedArgs checks the number of arguments a typed host function gets.
func typedArgs(name string, args []Val, n int) error {
	if len(args) != n {
		return fmt.Errorf("component: host function %s: %d arguments, want %d", name, len(args), n)
	}
	return nil
}

func typedParams(ts ...*Type) []Param {
	ps := make([]Param, len(ts))
	for i, t := range ts {
		ps[i] = Param{Name: fmt.Sprintf("p%d", i), Type: t}
	}
	return ps
}

func typedResult[R Scalar]() []Param { return []Param{{Name: "", Type: TypeFor[R]()}} }

func typedRet[R Scalar](r R, err error) ([]Val, error) {
	if err != nil {
		return nil, err
	}
	return []Val{ValOf(r)}, nil
}

// DefineFunc0 defines the host function name (as DefineFunc does) from a
// Go function of no arguments with a result of a Scalar type.
func DefineFunc0[R Scalar](l *Linker, name string, fn func(ctx context.Context) (R, error)) error {
	if fn == nil {
		return fmt.Errorf("component: DefineFunc %s: nil function", name)
	}
	ft := FuncType{Params: typedParams(), Results: typedResult[R]()}
	return l.DefineFunc(name, ft, func(ctx context.Context, args []Val) ([]Val, error) {
		if err := typedArgs(name, args, 0); err != nil {
			return nil, err
		}
		return typedRet(fn(ctx))
	})
}

// DefineFunc1 defines the host function name from a Go function of one
// argument with a result, of Scalar types.
func DefineFunc1[A, R Scalar](l *Linker, name string, fn func(ctx context.Context, a A) (R, error)) error {
	if fn == nil {
		return fmt.Errorf("component: DefineFunc %s: nil function", name)
	}
	ft := FuncType{Params: typedParams(TypeFor[A]()), Results: typedResult[R]()}
	return l.DefineFunc(name, ft, func(ctx context.Context, args []Val) ([]Val, error) {
		if err := typedArgs(name, args, 1); err != nil {
			return nil, err
		}
		a, err := ValAs[A](args[0])
		if err != nil {
			return nil, err
		}
		return typedRet(fn(ctx, a))
	})
}

// DefineFunc2 defines the host function name from a Go function of two
// arguments with a result, of Scalar types.
func DefineFunc2[A, B, R Scalar](l *Linker, name string, fn func(ctx context.Context, a A, b B) (R, error)) error {
	if fn == nil {
		return fmt.Errorf("component: DefineFunc %s: nil function", name)
	}
	ft := FuncType{Params: typedParams(TypeFor[A](), TypeFor[B]()), Results: typedResult[R]()}
	return l.DefineFunc(name, ft, func(ctx context.Context, args []Val) ([]Val, error) {
		if err := typedArgs(name, args, 2); err != nil {
			return nil, err
		}
		a, err := ValAs[A](args[0])
		if err != nil {
			return nil, err
		}
		b, err := ValAs[B](args[1])
		if err != nil {
			return nil, err
		}
		return typedRet(fn(ctx, a, b))
	})
}

// DefineFunc3 defines the host function name from a Go function of three
// arguments with a result, of Scalar types.
func DefineFunc3[A, B, C, R Scalar](l *Linker, name string, fn func(ctx context.Context, a A, b B, c C) (R, error)) error {
	if fn == nil {
		return fmt.Errorf("component: DefineFunc %s: nil function", name)
	}
	ft := FuncType{Params: typedParams(TypeFor[A](), TypeFor[B](), TypeFor[C]()), Results: typedResult[R]()}
	return l.DefineFunc(name, ft, func(ctx context.Context, args []Val) ([]Val, error) {
		if err := typedArgs(name, args, 3); err != nil {
			return nil, err
		}
		a, err := ValAs[A](args[0])
		if err != nil {
			return nil, err
		}
		b, err := ValAs[B](args[1])
		if err != nil {
			return nil, err
		}
		c, err := ValAs[C](args[2])
		if err != nil {
			return nil, err
		}
		return typedRet(fn(ctx, a, b, c))
	})
}

// DefineProc0 defines the host function name from a Go function of no
// arguments and no result.
func DefineProc0(l *Linker, name string, fn func(ctx context.Context) error) error {
	if fn == nil {
		return fmt.Errorf("component: DefineFunc %s: nil function", name)
	}
	ft := FuncType{Params: typedParams(), Results: []Param{}}
	return l.DefineFunc(name, ft, func(ctx context.Context, args []Val) ([]Val, error) {
		if err := typedArgs(name, args, 0); err != nil {
			return nil, err
		}
		return nil, fn(ctx)
	})
}

// DefineProc1 defines the host function name from a Go function of one
// argument of a Scalar type and no result.
func DefineProc1[A Scalar](l *Linker, name string, fn func(ctx context.Context, a A) error) error {
	if fn == nil {
		return fmt.Errorf("component: DefineFunc %s: nil function", name)
	}
	ft := FuncType{Params: typedParams(TypeFor[A]()), Results: []Param{}}
	return l.DefineFunc(name, ft, func(ctx context.Context, args []Val) ([]Val, error) {
		if err := typedArgs(name, args, 1); err != nil {
			return nil, err
		}
		a, err := ValAs[A](args[0])
		if err != nil {
			return nil, err
		}
		return nil, fn(ctx, a)
	})
}

// DefineProc2 defines the host function name from a Go function of two
// arguments of Scalar types and no result.
func DefineProc2[A, B Scalar](l *Linker, name string, fn func(ctx context.Context, a A, b B) error) error {
	if fn == nil {
		return fmt.Errorf("component: DefineFunc %s: nil function", name)
	}
	ft := FuncType{Params: typedParams(TypeFor[A](), TypeFor[B]()), Results: []Param{}}
	return l.DefineFunc(name, ft, func(ctx context.Context, args []Val) ([]Val, error) {
		if err := typedArgs(name, args, 2); err != nil {
			return nil, err
		}
		a, err := ValAs[A](args[0])
		if err != nil {
			return nil, err
		}
		b, err := ValAs[B](args[1])
		if err != nil {
			return nil, err
		}
		return nil, fn(ctx, a, b)
	})
}
