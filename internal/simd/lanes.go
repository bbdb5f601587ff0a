package simd

// Lane-result helpers shared by the operations in ops.go. Each operation
// binds its lane function to a local variable f and loops over the lanes;
// the compiler inlines such direct closure calls.

import "math"

// Comparison results: all ones for true, zero for false.

func mask8(b bool) uint8 {
	if b {
		return math.MaxUint8
	}
	return 0
}

func mask16(b bool) uint16 {
	if b {
		return math.MaxUint16
	}
	return 0
}

func mask32(b bool) uint32 {
	if b {
		return math.MaxUint32
	}
	return 0
}

func mask64(b bool) uint64 {
	if b {
		return math.MaxUint64
	}
	return 0
}

// Saturation.

func satS8(x int32) uint8 {
	return uint8(int8(min(max(x, math.MinInt8), math.MaxInt8)))
}

func satU8(x int32) uint8 {
	return uint8(min(max(x, 0), math.MaxUint8))
}

func satS16(x int32) uint16 {
	return uint16(int16(min(max(x, math.MinInt16), math.MaxInt16)))
}

func satU16(x int32) uint16 {
	return uint16(min(max(x, 0), math.MaxUint16))
}
