package spectest

import (
	"math"
	"testing"

	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/text"
	"github.com/gowasm/gowasm/wasm"
)

func TestMatch(t *testing.T) {
	num := func(typ wasm.ValType, lo, hi uint64) text.Const {
		return text.Const{Kind: text.ConstNum, Type: typ, Lo: lo, Hi: hi}
	}
	val := func(typ wasm.ValType, lo, hi uint64) interp.Value {
		return interp.Value{Type: typ, Lo: lo, Hi: hi}
	}
	nan := func(k text.ConstKind, typ wasm.ValType) text.Const {
		return text.Const{Kind: k, Type: typ}
	}
	lanes := func(shape string, ls ...text.Const) text.Const {
		return text.Const{Kind: text.ConstV128Lanes, Type: wasm.V128, Shape: shape, Lanes: ls}
	}
	var nilFunc *interp.Func
	tests := []struct {
		name string
		v    interp.Value
		p    text.Const
		want bool
	}{
		{"i32 equal", val(wasm.I32, 7, 0), num(wasm.I32, 7, 0), true},
		{"i32 differs", val(wasm.I32, 7, 0), num(wasm.I32, 8, 0), false},
		{"i32 high bits ignored", val(wasm.I32, 0xFFFFFFFF, 0), num(wasm.I32, 0xFFFFFFFFFFFFFFFF, 0), true},
		{"type mismatch", val(wasm.I64, 7, 0), num(wasm.I32, 7, 0), false},
		{"f32 -0 vs +0", val(wasm.F32, 0x80000000, 0), num(wasm.F32, 0, 0), false},
		{"f64 nan payload exact", val(wasm.F64, 0x7FF8000000000001, 0), num(wasm.F64, 0x7FF8000000000001, 0), true},
		{"f32 canonical", val(wasm.F32, 0x7FC00000, 0), nan(text.ConstNaNCanonical, wasm.F32), true},
		{"f32 canonical negative", val(wasm.F32, 0xFFC00000, 0), nan(text.ConstNaNCanonical, wasm.F32), true},
		{"f32 canonical payload", val(wasm.F32, 0x7FC00001, 0), nan(text.ConstNaNCanonical, wasm.F32), false},
		{"f32 arithmetic payload", val(wasm.F32, 0x7FC00001, 0), nan(text.ConstNaNArithmetic, wasm.F32), true},
		{"f32 signalling not arithmetic", val(wasm.F32, 0x7F800001, 0), nan(text.ConstNaNArithmetic, wasm.F32), false},
		{"f32 inf not nan", val(wasm.F32, 0x7F800000, 0), nan(text.ConstNaNArithmetic, wasm.F32), false},
		{"f64 canonical", val(wasm.F64, 0xFFF8000000000000, 0), nan(text.ConstNaNCanonical, wasm.F64), true},
		{"f64 canonical payload", val(wasm.F64, 0x7FF8000000000001, 0), nan(text.ConstNaNCanonical, wasm.F64), false},
		{"f64 arithmetic", val(wasm.F64, 0x7FFC000000000000, 0), nan(text.ConstNaNArithmetic, wasm.F64), true},
		{"v128 exact", val(wasm.V128, 1, 2), num(wasm.V128, 1, 2), true},
		{"v128 hi differs", val(wasm.V128, 1, 3), num(wasm.V128, 1, 2), false},
		{"i8x16 lanes", val(wasm.V128, 0x0706050403020100, 0x0F0E0D0C0B0A09FF),
			lanes("i8x16", num(wasm.I32, 0, 0), num(wasm.I32, 1, 0), num(wasm.I32, 2, 0), num(wasm.I32, 3, 0),
				num(wasm.I32, 4, 0), num(wasm.I32, 5, 0), num(wasm.I32, 6, 0), num(wasm.I32, 7, 0),
				num(wasm.I32, 0xFFFFFFFFFFFFFFFF, 0), num(wasm.I32, 9, 0), num(wasm.I32, 10, 0), num(wasm.I32, 11, 0),
				num(wasm.I32, 12, 0), num(wasm.I32, 13, 0), num(wasm.I32, 14, 0), num(wasm.I32, 15, 0)), true},
		{"f32x4 lanes with nan", val(wasm.V128, 0x3F8000007FC00000, 0xFFC0000040000000),
			lanes("f32x4", nan(text.ConstNaNCanonical, wasm.F32), num(wasm.F32, 0x3F800000, 0),
				num(wasm.F32, 0x40000000, 0), nan(text.ConstNaNArithmetic, wasm.F32)), true},
		{"f64x2 lane differs", val(wasm.V128, math.Float64bits(1), math.Float64bits(2)),
			lanes("f64x2", num(wasm.F64, math.Float64bits(1), 0), num(wasm.F64, math.Float64bits(3), 0)), false},
		{"ref.null func", interp.Value{Type: wasm.FuncRef}, text.Const{Kind: text.ConstRefNull, Type: wasm.FuncRef}, true},
		{"ref.null typed nil", interp.Value{Type: wasm.FuncRef, Ref: nilFunc}, text.Const{Kind: text.ConstRefNull, Type: wasm.FuncRef}, true},
		{"ref.null other hierarchy", interp.Value{Type: wasm.FuncRef}, text.Const{Kind: text.ConstRefNull, Type: wasm.ExternRef}, false},
		{"ref.null nofunc", interp.Value{Type: wasm.RefType(true, wasm.HeapType{Kind: wasm.HeapNoFunc})}, text.Const{Kind: text.ConstRefNull, Type: wasm.FuncRef}, true},
		{"ref.null vs extern", interp.Value{Type: wasm.ExternRef, Ref: externValue(1)}, text.Const{Kind: text.ConstRefNull, Type: wasm.ExternRef}, false},
		{"ref.extern equal", interp.Value{Type: wasm.ExternRef, Ref: externValue(1)}, text.Const{Kind: text.ConstRefExtern, Extern: 1, HasExtern: true}, true},
		{"ref.extern differs", interp.Value{Type: wasm.ExternRef, Ref: externValue(2)}, text.Const{Kind: text.ConstRefExtern, Extern: 1, HasExtern: true}, false},
		{"ref.extern any", interp.Value{Type: wasm.ExternRef, Ref: externValue(2)}, text.Const{Kind: text.ConstRefExtern}, true},
		{"ref.extern null", interp.Value{Type: wasm.ExternRef}, text.Const{Kind: text.ConstRefExtern}, false},
		{"ref.func", interp.Value{Type: wasm.FuncRef, Ref: &interp.Func{}}, text.Const{Kind: text.ConstRefFunc}, true},
		{"ref.func null", interp.Value{Type: wasm.FuncRef}, text.Const{Kind: text.ConstRefFunc}, false},
		{"either", val(wasm.I32, 2, 0), text.Const{Kind: text.ConstEither, Alts: []text.Const{num(wasm.I32, 1, 0), num(wasm.I32, 2, 0)}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := match(&tt.v, &tt.p); got != tt.want {
				t.Errorf("match(%s, %s) = %v, want %v", formatValue(&tt.v), formatPattern(&tt.p), got, tt.want)
			}
		})
	}
}

func TestConstValue(t *testing.T) {
	tests := []struct {
		c    text.Const
		want interp.Value
	}{
		{text.Const{Kind: text.ConstNum, Type: wasm.I32, Lo: 0xFFFFFFFFFFFFFFFF}, interp.Value{Type: wasm.I32, Lo: 0xFFFFFFFF}},
		{text.Const{Kind: text.ConstNum, Type: wasm.V128, Lo: 1, Hi: 2}, interp.Value{Type: wasm.V128, Lo: 1, Hi: 2}},
		{text.Const{Kind: text.ConstRefNull, Type: wasm.ExternRef}, interp.Value{Type: wasm.ExternRef}},
		{text.Const{Kind: text.ConstRefExtern, Extern: 5, HasExtern: true}, interp.Value{Type: wasm.ExternRef, Ref: externValue(5)}},
	}
	for _, tt := range tests {
		got, err := constValue(&tt.c)
		if err != nil || got != tt.want {
			t.Errorf("constValue(%s) = %+v, %v; want %+v", formatPattern(&tt.c), got, err, tt.want)
		}
	}
	if _, err := constValue(&text.Const{Kind: text.ConstNaNCanonical, Type: wasm.F32}); err == nil {
		t.Error("constValue(nan:canonical) succeeded")
	}
}

func TestTrapMatches(t *testing.T) {
	tests := []struct {
		k    interp.TrapKind
		msg  string
		want bool
	}{
		{interp.TrapIntegerDivideByZero, "integer divide by zero", true},
		{interp.TrapUninitializedElement, "uninitialized element 2", true},
		{interp.TrapTableOutOfBounds, "undefined element", true},
		{interp.TrapUnreachable, "integer overflow", false},
	}
	for _, tt := range tests {
		if got := trapMatches(tt.k, tt.msg); got != tt.want {
			t.Errorf("trapMatches(%d, %q) = %v, want %v", tt.k, tt.msg, got, tt.want)
		}
	}
}

func TestLaneBits(t *testing.T) {
	lo, hi := uint64(0x8877665544332211), uint64(0x00FFEEDDCCBBAA99)
	tests := []struct {
		i, width int
		want     uint64
	}{
		{0, 8, 0x11}, {7, 8, 0x88}, {8, 8, 0x99}, {15, 8, 0x00},
		{1, 16, 0x4433}, {4, 16, 0xAA99}, {1, 32, 0x88776655}, {2, 32, 0xCCBBAA99},
		{0, 64, lo}, {1, 64, hi},
	}
	for _, tt := range tests {
		if got := laneBits(lo, hi, tt.i, tt.width); got != tt.want {
			t.Errorf("laneBits(lane %d, width %d) = %#x, want %#x", tt.i, tt.width, got, tt.want)
		}
	}
}
