package simd

import (
	"testing"

	"github.com/gowasm/gowasm/wasm"
)

var sink V128

func benchBin(b *testing.B, op wasm.Opcode) {
	f := Binary(op)
	x, y := V128{0x0102030405060708, 0x1112131415161718}, V128{0x8182838485868788, 0x9192939495969798}
	for i := 0; i < b.N; i++ {
		x = f(x, y)
	}
	sink = x
}

func BenchmarkI8x16Add(b *testing.B)        { benchBin(b, wasm.OpI8x16Add) }
func BenchmarkI8x16MinS(b *testing.B)       { benchBin(b, wasm.OpI8x16MinS) }
func BenchmarkI16x8Mul(b *testing.B)        { benchBin(b, wasm.OpI16x8Mul) }
func BenchmarkI32x4Mul(b *testing.B)        { benchBin(b, wasm.OpI32x4Mul) }
func BenchmarkI32x4Eq(b *testing.B)         { benchBin(b, wasm.OpI32x4Eq) }
func BenchmarkF32x4Add(b *testing.B)        { benchBin(b, wasm.OpF32x4Add) }
func BenchmarkF32x4Min(b *testing.B)        { benchBin(b, wasm.OpF32x4Min) }
func BenchmarkF64x2Mul(b *testing.B)        { benchBin(b, wasm.OpF64x2Mul) }
func BenchmarkSwizzle(b *testing.B)         { benchBin(b, wasm.OpI8x16Swizzle) }
func BenchmarkI16x8ExtmulLowS(b *testing.B) { benchBin(b, wasm.OpI16x8ExtmulLowI8x16S) }

func minS8direct(a, b V128) V128 {
	x, y := a.Bytes(), b.Bytes()
	for i := range x {
		x[i] = uint8(min(int8(x[i]), int8(y[i])))
	}
	return FromBytes(&x)
}

func minS8direct2(a, b V128) V128 {
	x, y := a.u8(), b.u8()
	for i := range x {
		x[i] = uint8(min(int8(x[i]), int8(y[i])))
	}
	return from8(&x)
}

func mul16direct(a, b V128) V128 {
	x, y := a.u16(), b.u16()
	for i := range x {
		x[i] *= y[i]
	}
	return from16(&x)
}

func BenchmarkMinS8Direct(b *testing.B) {
	x, y := V128{0x0102030405060708, 0x1112131415161718}, V128{0x8182838485868788, 0x9192939495969798}
	f := minS8direct
	for i := 0; i < b.N; i++ {
		x = f(x, y)
	}
	sink = x
}
func BenchmarkMinS8Direct2(b *testing.B) {
	x, y := V128{0x0102030405060708, 0x1112131415161718}, V128{0x8182838485868788, 0x9192939495969798}
	f := minS8direct2
	for i := 0; i < b.N; i++ {
		x = f(x, y)
	}
	sink = x
}
func BenchmarkMul16Direct(b *testing.B) {
	x, y := V128{0x0102030405060708, 0x1112131415161718}, V128{0x8182838485868788, 0x9192939495969798}
	f := mul16direct
	for i := 0; i < b.N; i++ {
		x = f(x, y)
	}
	sink = x
}
