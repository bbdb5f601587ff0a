package component

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

// TestTypedNumbersImports provides every import of numbers.component.wasm
// with typed Go functions and runs its test-imports export, which checks
// the values the imports return.
func TestTypedNumbersImports(t *testing.T) {
	c := loadFixture(t, "numbers.component.wasm")
	l := stdioLinker(t, "0.2.0")
	const p = "test:numbers/test#"
	calls := map[string]int{}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(DefineFunc1(l, p+"roundtrip-u8", func(_ context.Context, a uint8) (uint8, error) { calls["u8"]++; return a, nil }))
	must(DefineFunc1(l, p+"roundtrip-s8", func(_ context.Context, a int8) (int8, error) { calls["s8"]++; return a, nil }))
	must(DefineFunc1(l, p+"roundtrip-u16", func(_ context.Context, a uint16) (uint16, error) { calls["u16"]++; return a, nil }))
	must(DefineFunc1(l, p+"roundtrip-s16", func(_ context.Context, a int16) (int16, error) { calls["s16"]++; return a, nil }))
	must(DefineFunc1(l, p+"roundtrip-u32", func(_ context.Context, a uint32) (uint32, error) { calls["u32"]++; return a, nil }))
	must(DefineFunc1(l, p+"roundtrip-s32", func(_ context.Context, a int32) (int32, error) { calls["s32"]++; return a, nil }))
	must(DefineFunc1(l, p+"roundtrip-u64", func(_ context.Context, a uint64) (uint64, error) { calls["u64"]++; return a, nil }))
	must(DefineFunc1(l, p+"roundtrip-s64", func(_ context.Context, a int64) (int64, error) { calls["s64"]++; return a, nil }))
	must(DefineFunc1(l, p+"roundtrip-f32", func(_ context.Context, a float32) (float32, error) { calls["f32"]++; return a, nil }))
	must(DefineFunc1(l, p+"roundtrip-f64", func(_ context.Context, a float64) (float64, error) { calls["f64"]++; return a, nil }))
	var chars []Character
	must(DefineFunc1(l, p+"roundtrip-char", func(_ context.Context, a Character) (Character, error) {
		chars = append(chars, a)
		return a, nil
	}))
	var scalar uint32
	must(DefineProc1(l, p+"set-scalar", func(_ context.Context, a uint32) error { scalar = a; return nil }))
	must(DefineFunc0(l, p+"get-scalar", func(context.Context) (uint32, error) { calls["get"]++; return scalar, nil }))

	inst, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Func("test-imports").Call(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"u8", "s8", "u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64", "get"} {
		if calls[k] == 0 {
			t.Errorf("import %s was not called", k)
		}
	}
	if len(chars) == 0 || scalar == 0 {
		t.Errorf("chars %q, scalar %d", chars, scalar)
	}
	t.Logf("calls %v, chars %q, scalar %d", calls, string(runesOf(chars)), scalar)
}

func runesOf(cs []Character) []rune {
	rs := make([]rune, len(cs))
	for i, c := range cs {
		rs[i] = rune(c)
	}
	return rs
}

// TestTypedStringsImports provides the imports of strings.component.wasm
// with typed Go functions of strings.
func TestTypedStringsImports(t *testing.T) {
	c := loadFixture(t, "strings.component.wasm")
	l := stdioLinker(t, "0.2.0")
	var got []string
	if err := DefineProc1(l, "test:strings/imports#take-basic", func(_ context.Context, s string) error {
		got = append(got, s)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := DefineFunc0(l, "test:strings/imports#return-unicode", func(context.Context) (string, error) {
		return "🚀🚀🚀 𠈄𓀀", nil
	}); err != nil {
		t.Fatal(err)
	}
	inst, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Func("test-imports").Call(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "latin utf16" {
		t.Errorf("take-basic received %q", got)
	}
}

// TestTypedMismatch checks that a typed definition of the wrong type is
// rejected at instantiation, like a DefineFunc one.
func TestTypedMismatch(t *testing.T) {
	c := loadFixture(t, "numbers.component.wasm")
	l := NewLinker()
	l.DefineUnknownImportsAsTraps()
	DefineFunc1(l, "test:numbers/test#roundtrip-u8", func(_ context.Context, a uint16) (uint8, error) { return uint8(a), nil })
	_, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
	if err == nil || !strings.Contains(err.Error(), "roundtrip-u8") || !strings.Contains(err.Error(), "type mismatch") {
		t.Errorf("got %v, want a type mismatch", err)
	}
	if err := DefineFunc1[uint8, uint8](l, "f", nil); err == nil {
		t.Error("nil function accepted")
	}
}

// TestTypedHostFuncs calls typed host functions through the linker with
// component values.
func TestTypedHostFuncs(t *testing.T) {
	ctx := context.Background()
	l := NewLinker()
	DefineFunc2(l, "concat", func(_ context.Context, a string, b []byte) ([]byte, error) {
		return append([]byte(a), b...), nil
	})
	DefineFunc3(l, "fma", func(_ context.Context, a, b float64, c int64) (float64, error) { return a*b + float64(c), nil })
	var sum int64
	DefineProc2(l, "add", func(_ context.Context, a int8, b uint64) error { sum = int64(a) + int64(b); return nil })
	DefineProc0(l, "fail", func(context.Context) error { return errors.New("boom") })
	DefineFunc1(l, "not", func(_ context.Context, b bool) (bool, error) { return !b, nil })

	for name, want := range map[string]string{
		"concat": "func(p0: string, p1: list<u8>) -> list<u8>",
		"fma":    "func(p0: f64, p1: f64, p2: s64) -> f64",
		"add":    "func(p0: s8, p1: u64)",
		"fail":   "func()",
		"not":    "func(p0: bool) -> bool",
	} {
		if got := l.funcs.m[name].Type().String(); got != want {
			t.Errorf("%s: type %s, want %s", name, got, want)
		}
	}
	res, err := l.funcs.m["concat"].Call(ctx, String("ab"), Bytes([]byte("cd")))
	if b, _ := res[0].AsBytes(); err != nil || !bytes.Equal(b, []byte("abcd")) {
		t.Errorf("concat = %v, %v", res, err)
	}
	res, err = l.funcs.m["fma"].Call(ctx, F64(2), F64(3), S64(-1))
	if err != nil || res[0].AsF64() != 5 {
		t.Errorf("fma = %v, %v", res, err)
	}
	if _, err := l.funcs.m["add"].Call(ctx, S8(-3), U64(10)); err != nil || sum != 7 {
		t.Errorf("add: sum %d, %v", sum, err)
	}
	if _, err := l.funcs.m["fail"].Call(ctx); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("fail: %v", err)
	}
	if res, err := l.funcs.m["not"].Call(ctx, Bool(false)); err != nil || !res[0].Equal(Bool(true)) {
		t.Errorf("not = %v, %v", res, err)
	}
}

func TestValAs(t *testing.T) {
	check := func(ok bool, what string) {
		t.Helper()
		if !ok {
			t.Error(what)
		}
	}
	x8, err := ValAs[int8](ValOf(int8(-128)))
	check(err == nil && x8 == -128, "int8")
	u64, err := ValAs[uint64](ValOf(uint64(math.MaxUint64)))
	check(err == nil && u64 == math.MaxUint64, "uint64")
	f, err := ValAs[float32](ValOf(float32(1.5)))
	check(err == nil && f == 1.5, "float32")
	ch, err := ValAs[Character](ValOf(Character('🚀')))
	check(err == nil && ch == '🚀', "char")
	check(ValOf(Character('x')).Kind == KindChar && ValOf(int32('x')).Kind == KindS32, "rune maps to s32, Character to char")
	s, err := ValAs[string](ValOf("héllo"))
	check(err == nil && s == "héllo", "string")
	b, err := ValAs[[]byte](List(U8(1), U8(2)))
	check(err == nil && bytes.Equal(b, []byte{1, 2}), "list<u8> of elements")
	_, err = ValAs[int8](S32(200))
	check(err != nil, "out-of-range int8 accepted")
	_, err = ValAs[uint32](S32(1))
	check(err != nil, "s32 accepted as uint32")
	_, err = ValAs[string](U32(1))
	check(err != nil, "u32 accepted as string")
	_, err = ValAs[[]byte](List(U32(1)))
	check(err != nil, "list<u32> accepted as []byte")
	check(TypeFor[[]byte]().String() == "list<u8>" && TypeFor[Character]().String() == "char", "TypeFor")
}
