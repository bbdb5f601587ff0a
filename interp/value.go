package interp

import (
	"fmt"
	"math"

	"github.com/gowasm/gowasm/wasm"
)

// ValueOf returns v as a wasm value of the matching number type.
func ValueOf[T Number](v T) Value {
	return Value{Type: typeOf[T](), Lo: toSlot(v)}
}

// I32 returns v as an i32 value.
func I32(v int32) Value { return ValueOf(v) }

// I64 returns v as an i64 value.
func I64(v int64) Value { return ValueOf(v) }

// F32 returns v as an f32 value.
func F32(v float32) Value { return ValueOf(v) }

// F64 returns v as an f64 value.
func F64(v float64) Value { return ValueOf(v) }

// FuncRef returns a funcref value holding f (nil for the null reference).
func FuncRef(f *Func) Value {
	v := Value{Type: wasm.FuncRef}
	if f != nil {
		v.Ref = f
	}
	return v
}

// ExternRef returns an externref value holding x (nil for the null
// reference).
func ExternRef(x any) Value { return Value{Type: wasm.ExternRef, Ref: x} }

// I32 returns the value as an int32 (the low 32 bits of Lo).
func (v Value) I32() int32 { return int32(v.Lo) }

// I64 returns the value as an int64.
func (v Value) I64() int64 { return int64(v.Lo) }

// F32 returns the value as a float32.
func (v Value) F32() float32 { return math.Float32frombits(uint32(v.Lo)) }

// F64 returns the value as a float64.
func (v Value) F64() float64 { return math.Float64frombits(v.Lo) }

// String formats the value as "i32:42", "f64:1.5", "v128:0x…", "funcref:null"….
func (v Value) String() string {
	switch v.Type.Kind {
	case wasm.KindI32:
		return fmt.Sprintf("i32:%d", v.I32())
	case wasm.KindI64:
		return fmt.Sprintf("i64:%d", v.I64())
	case wasm.KindF32:
		return fmt.Sprintf("f32:%v", v.F32())
	case wasm.KindF64:
		return fmt.Sprintf("f64:%v", v.F64())
	case wasm.KindV128:
		return fmt.Sprintf("v128:0x%016x%016x", v.Hi, v.Lo)
	case wasm.KindRef:
		if v.Ref == nil {
			return v.Type.String() + ":null"
		}
		return fmt.Sprintf("%s:%v", v.Type, v.Ref)
	}
	return fmt.Sprintf("value(%v)", v.Type)
}
