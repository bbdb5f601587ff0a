package simd

import (
	"math"
	"testing"

	"github.com/gowasm/gowasm/wasm"
)

// TestOpcodeCoverage checks that every SIMD opcode of the specification is
// named as in package wasm and handled by exactly one lookup, except those
// the interpreter handles itself.
func TestOpcodeCoverage(t *testing.T) {
	self := map[string]bool{
		"v128.load": true, "v128.store": true, "v128.const": true, "i8x16.shuffle": true,
	}
	for _, e := range simdMnemonics {
		op := wasm.PrefixedOp(0xFD, e.Sub)
		if got := op.String(); got != e.Name {
			t.Errorf("%#x: wasm name %q, spec name %q", e.Sub, got, e.Name)
		}
		if got, ok := wasm.LookupOpcode(e.Name); !ok || got != op {
			t.Errorf("LookupOpcode(%q) = %v, %v", e.Name, got, ok)
		}
		n := 0
		for _, found := range []bool{
			Unary(op) != nil, Binary(op) != nil, Ternary(op) != nil, Shift(op) != nil,
			Test(op) != nil, Splat(op) != nil, ExtractLane(op) != nil, ReplaceLane(op) != nil,
			MemSize(op) != 0 && op != wasm.OpV128Load && op != wasm.OpV128Store,
		} {
			if found {
				n++
			}
		}
		want := 1
		if self[e.Name] {
			want = 0
		}
		if n != want {
			t.Errorf("%s: handled by %d lookups, want %d", e.Name, n, want)
		}
	}
	// Non-SIMD opcodes give nil.
	for _, op := range []wasm.Opcode{wasm.OpI32Add, wasm.OpF32Min, wasm.PrefixedOp(0xFD, 0x9a), wasm.PrefixedOp(0xFC, 0)} {
		if Unary(op) != nil || Binary(op) != nil || Ternary(op) != nil || Shift(op) != nil ||
			Test(op) != nil || Splat(op) != nil || ExtractLane(op) != nil || ReplaceLane(op) != nil || MemSize(op) != 0 {
			t.Errorf("%v: a lookup returned a function", op)
		}
	}
}

func v(lo, hi uint64) V128 { return V128{lo, hi} }

func TestBytesLanes(t *testing.T) {
	var b [16]byte
	for i := range b {
		b[i] = byte(i)
	}
	x := FromBytes(&b)
	if x != v(0x0706050403020100, 0x0f0e0d0c0b0a0908) {
		t.Fatalf("FromBytes = %#v", x)
	}
	if x.Bytes() != b {
		t.Errorf("Bytes round trip")
	}
	tests := []struct {
		bits, i uint
		want    uint64
	}{
		{8, 0, 0x00}, {8, 9, 0x09}, {8, 15, 0x0f}, {8, 16, 0x00},
		{16, 3, 0x0706}, {16, 4, 0x0908}, {32, 1, 0x07060504}, {32, 3, 0x0f0e0d0c},
		{64, 1, 0x0f0e0d0c0b0a0908},
	}
	for _, tt := range tests {
		if got := x.Lane(tt.bits, tt.i); got != tt.want {
			t.Errorf("Lane(%d, %d) = %#x, want %#x", tt.bits, tt.i, got, tt.want)
		}
	}
	if got := x.WithLane(16, 5, 0xffffabcd); got != v(0x0706050403020100, 0x0f0e0d0cabcd0908) {
		t.Errorf("WithLane(16, 5) = %#x", got)
	}
	if got := x.WithLane(64, 0, 1); got != v(1, 0x0f0e0d0c0b0a0908) {
		t.Errorf("WithLane(64, 0) = %#x", got)
	}
}

func TestMemoryHelpers(t *testing.T) {
	const x = 0x8081_7f00_ff01_0280
	tests := []struct {
		name string
		got  V128
		want V128
	}{
		{"load8x8_s", LoadExtend(wasm.OpV128Load8x8S, x), v(0xffff_0001_0002_ff80, 0xff80_ff81_007f_0000)},
		{"load8x8_u", LoadExtend(wasm.OpV128Load8x8U, x), v(0x00ff_0001_0002_0080, 0x0080_0081_007f_0000)},
		{"load16x4_s", LoadExtend(wasm.OpV128Load16x4S, x), v(0xffff_ff01_0000_0280, 0xffff_8081_0000_7f00)},
		{"load16x4_u", LoadExtend(wasm.OpV128Load16x4U, x), v(0x0000_ff01_0000_0280, 0x0000_8081_0000_7f00)},
		{"load32x2_s", LoadExtend(wasm.OpV128Load32x2S, x), v(0xffff_ffff_ff01_0280, 0xffff_ffff_8081_7f00)},
		{"load32x2_u", LoadExtend(wasm.OpV128Load32x2U, x), v(0xff01_0280, 0x8081_7f00)},
		{"load8_splat", LoadSplat(wasm.OpV128Load8Splat, 0x80), v(0x8080808080808080, 0x8080808080808080)},
		{"load16_splat", LoadSplat(wasm.OpV128Load16Splat, 0x1234), v(0x1234123412341234, 0x1234123412341234)},
		{"load32_splat", LoadSplat(wasm.OpV128Load32Splat, 0x89abcdef), v(0x89abcdef89abcdef, 0x89abcdef89abcdef)},
		{"load64_splat", LoadSplat(wasm.OpV128Load64Splat, x), v(x, x)},
		{"load32_zero", LoadZero(0x89abcdef), v(0x89abcdef, 0)},
		{"load8_lane", LoadLane(wasm.OpV128Load8Lane, v(0, 0), 15, 0xaa), v(0, 0xaa00000000000000)},
		{"load16_lane", LoadLane(wasm.OpV128Load16Lane, v(^uint64(0), 0), 1, 0), v(0xffffffff0000ffff, 0)},
		{"load32_lane", LoadLane(wasm.OpV128Load32Lane, v(0, 0), 2, 0x12345678), v(0, 0x12345678)},
		{"load64_lane", LoadLane(wasm.OpV128Load64Lane, v(0, 0), 1, x), v(0, x)},
		{"store lanes", v(StoreLane(wasm.OpV128Store8Lane, v(x, 0), 7), StoreLane(wasm.OpV128Store32Lane, v(0, x), 3)), v(0x80, 0x80817f00)},
		{"store16/64", v(StoreLane(wasm.OpV128Store16Lane, v(x, 0), 1), StoreLane(wasm.OpV128Store64Lane, v(1, 2), 1)), v(0xff01, 2)},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %#016x_%016x, want %#016x_%016x", tt.name, tt.got.Hi, tt.got.Lo, tt.want.Hi, tt.want.Lo)
		}
	}
	sizes := map[wasm.Opcode]int{
		wasm.OpV128Load: 16, wasm.OpV128Store: 16, wasm.OpV128Load16x4U: 8, wasm.OpV128Load8Splat: 1,
		wasm.OpV128Load16Lane: 2, wasm.OpV128Store32Lane: 4, wasm.OpV128Load32Zero: 4,
		wasm.OpV128Load64Zero: 8, wasm.OpI8x16Add: 0,
	}
	for op, want := range sizes {
		if got := MemSize(op); got != want {
			t.Errorf("MemSize(%v) = %d, want %d", op, got, want)
		}
	}
}

func f32x4(a, b, c, d float32) V128 {
	return v(uint64(math.Float32bits(a))|uint64(math.Float32bits(b))<<32,
		uint64(math.Float32bits(c))|uint64(math.Float32bits(d))<<32)
}

func TestOps(t *testing.T) {
	inf := float32(math.Inf(1))
	snan := math.Float32frombits(0x7fa00001)
	tests := []struct {
		name      string
		got, want V128
	}{
		{"shuffle", Shuffle(v(0x0706050403020100, 0x0f0e0d0c0b0a0908), v(0x1716151413121110, 0x1f1e1d1c1b1a1918),
			&[16]byte{31, 0, 16, 15, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 63}),
			v(0x030201_0f_10_00_1f|0x04<<56, 0x1f0b0a0908070605)},
		{"swizzle", Binary(wasm.OpI8x16Swizzle)(v(0x0706050403020100, 0x0f0e0d0c0b0a0908), v(0x10ff800f00010203, 0)),
			v(0x0000000f00010203, 0)},
		{"relaxed_swizzle", Binary(wasm.OpI8x16RelaxedSwizzle)(v(0x0706050403020100, 0x0f0e0d0c0b0a0908), v(0x10ff800f00010203, 0)),
			v(0x0000000f00010203, 0)},
		{"relaxed_trunc_f32x4_s", Unary(wasm.OpI32x4RelaxedTruncF32x4S)(f32x4(float32(math.NaN()), -inf, 3e9, -1.5)),
			v(0x8000000000000000, 0xffffffff7fffffff)},
		{"relaxed_trunc_f32x4_u", Unary(wasm.OpI32x4RelaxedTruncF32x4U)(f32x4(float32(math.NaN()), -inf, 5e9, 1.5)),
			v(0, 0x1ffffffff)},
		{"relaxed_trunc_f64x2_s_zero", Unary(wasm.OpI32x4RelaxedTruncF64x2SZero)(v(math.Float64bits(-3e9), math.Float64bits(2.9))),
			v(0x0000000280000000, 0)},
		{"relaxed_trunc_f64x2_u_zero", Unary(wasm.OpI32x4RelaxedTruncF64x2UZero)(v(math.Float64bits(-3e9), math.Float64bits(5e9))),
			v(0xffffffff00000000, 0)},
		{"f32x4.min snan", Binary(wasm.OpF32x4Min)(f32x4(snan, 1, 0, float32(math.Copysign(0, -1))), f32x4(1, snan, float32(math.Copysign(0, -1)), 0)),
			v(0x7fe000017fe00001, 0x8000000080000000)},
		{"f32x4.relaxed_madd unfused", Ternary(wasm.OpF32x4RelaxedMadd)(f32x4(1+0x1p-23, 0, 0, 0), f32x4(1-0x1p-23, 0, 0, 0), f32x4(-1, 0, 0, 0)),
			v(0, 0)},
		{"f64x2.relaxed_nmadd", Ternary(wasm.OpF64x2RelaxedNmadd)(v(math.Float64bits(2), 0), v(math.Float64bits(3), 0), v(math.Float64bits(1), 0)),
			v(math.Float64bits(-5), 0)},
		{"i16x8.relaxed_laneselect", Ternary(wasm.OpI16x8RelaxedLaneselect)(v(^uint64(0), 0), v(0, ^uint64(0)), v(0x00ff00ff00ff00ff, 0x8000)),
			v(0x00ff00ff00ff00ff, 0xffffffffffff7fff)},
		// Each i16 lane is sat(-128*-128*2) = 32767; pairs sum to 65534.
		{"i32x4.relaxed_dot_add", Ternary(wasm.OpI32x4RelaxedDotI8x16I7x16AddS)(i8x16Splat(0x80), i8x16Splat(0x80), V128{1, 0}),
			v(65534+1|65534<<32, 65534|65534<<32)},
		{"i16x8.q15mulr_sat_s", Binary(wasm.OpI16x8Q15mulrSatS)(i16x8Splat(0x8000), v(0x7fff_4000_0001_8000, 0)),
			v(0x8001_c000_ffff_7fff, 0)},
		{"i8x16.shr_s count mod 8", Shift(wasm.OpI8x16ShrS)(i8x16Splat(0x80), 9), i8x16Splat(0xc0)},
		{"i64x2.shl count mod 64", Shift(wasm.OpI64x2Shl)(v(1, 2), 65), v(2, 4)},
		{"i8x16.bitmask", V128{uint64(Test(wasm.OpI8x16Bitmask)(v(0x80000000000000ff, 0x8000000000000080))), 0}, v(0x8181, 0)},
		{"i8x16.extract_lane_s", V128{ExtractLane(wasm.OpI8x16ExtractLaneS)(v(0, 0x8000), 9), 0}, v(0xffffff80, 0)},
		{"f32x4.extract_lane", V128{ExtractLane(wasm.OpF32x4ExtractLane)(v(0, 0xffc00000_00000000), 3), 0}, v(0xffc00000, 0)},
		{"f64x2.replace_lane", ReplaceLane(wasm.OpF64x2ReplaceLane)(v(1, 2), 1, 0xfff8000000000001), v(1, 0xfff8000000000001)},
		{"f32x4.splat", Splat(wasm.OpF32x4Splat)(0x7fa00000), v(0x7fa000007fa00000, 0x7fa000007fa00000)},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %#016x_%016x, want %#016x_%016x", tt.name, tt.got.Hi, tt.got.Lo, tt.want.Hi, tt.want.Lo)
		}
	}
}

func TestNoAlloc(t *testing.T) {
	add, sh, tern := Binary(wasm.OpF32x4Add), Shift(wasm.OpI16x8Shl), Ternary(wasm.OpI32x4RelaxedDotI8x16I7x16AddS)
	a := v(1, 2)
	n := testing.AllocsPerRun(100, func() {
		a = add(a, a)
		a = sh(a, 3)
		a = tern(a, a, a)
		a = Shuffle(a, a, &[16]byte{})
	})
	if n != 0 {
		t.Errorf("allocations: %v", n)
	}
}

// TestSWARArith compares the packed additions and subtractions with lane
// by lane reference computations on pseudo-random inputs.
func TestSWARArith(t *testing.T) {
	seed := uint64(0x9e3779b97f4a7c15)
	next := func() uint64 {
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return seed
	}
	for i := 0; i < 10000; i++ {
		a, b := v(next(), next()), v(next(), next())
		if i%7 == 0 {
			a.Lo |= 0x8080808080808080
		}
		for _, bits := range []uint{8, 16, 32, 64} {
			var add, sub V128
			for l := uint(0); l < 128/bits; l++ {
				add = add.WithLane(bits, l, a.Lane(bits, l)+b.Lane(bits, l))
				sub = sub.WithLane(bits, l, a.Lane(bits, l)-b.Lane(bits, l))
			}
			shape := map[uint]string{8: "i8x16", 16: "i16x8", 32: "i32x4", 64: "i64x2"}[bits]
			addOp, _ := wasm.LookupOpcode(shape + ".add")
			subOp, _ := wasm.LookupOpcode(shape + ".sub")
			if got := Binary(addOp)(a, b); got != add {
				t.Fatalf("%s.add(%#x, %#x) = %#x, want %#x", shape, a, b, got, add)
			}
			if got := Binary(subOp)(a, b); got != sub {
				t.Fatalf("%s.sub(%#x, %#x) = %#x, want %#x", shape, a, b, got, sub)
			}
		}
	}
}

// TestSWARCompare compares the packed equality tests and i8x16.bitmask
// with lane by lane reference computations.
func TestSWARCompare(t *testing.T) {
	seed := uint64(0x13198a2e03707344)
	next := func() uint64 {
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return seed
	}
	for i := 0; i < 10000; i++ {
		a := v(next(), next())
		b := a
		// Make some lanes equal, some differ in one bit only.
		b.Lo ^= next() & next() & next()
		b.Hi ^= 1 << (next() % 64)
		if i%3 == 0 {
			b = v(next(), next())
		}
		for _, bits := range []uint{8, 16, 32} {
			var eq V128
			for l := uint(0); l < 128/bits; l++ {
				if a.Lane(bits, l) == b.Lane(bits, l) {
					eq = eq.WithLane(bits, l, ^uint64(0))
				}
			}
			shape := map[uint]string{8: "i8x16", 16: "i16x8", 32: "i32x4"}[bits]
			eqOp, _ := wasm.LookupOpcode(shape + ".eq")
			neOp, _ := wasm.LookupOpcode(shape + ".ne")
			if got := Binary(eqOp)(a, b); got != eq {
				t.Fatalf("%s.eq(%#x, %#x) = %#x, want %#x", shape, a, b, got, eq)
			}
			if got := Binary(neOp)(a, b); got != v128Not(eq) {
				t.Fatalf("%s.ne(%#x, %#x) = %#x, want %#x", shape, a, b, got, v128Not(eq))
			}
		}
		var m uint32
		for l := uint(0); l < 16; l++ {
			m |= uint32(a.Lane(8, l)>>7) << l
		}
		if got := i8x16Bitmask(a); got != m {
			t.Fatalf("i8x16.bitmask(%#x) = %#x, want %#x", a, got, m)
		}
	}
}
