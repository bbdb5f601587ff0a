package text

import (
	"strings"
	"testing"

	"github.com/gowasm/gowasm/wasm"
)

func TestParseScriptCommands(t *testing.T) {
	src := `
(module $M (func (export "f") (param i32) (result i32) (local.get 0)))
(module binary "\00asm" "\01\00\00\00")
(module $Q quote "(func)" "(memory 1)")
(module definition $D (func))
(module instance $I $D)
(register "m" $M)
(invoke "f" (i32.const 1))
(get $M "g")
(assert_return (invoke $M "f" (i32.const -1)) (i32.const 0xffffffff))
(assert_return (invoke "g" (f32.const 1.5) (f64.const -0x1p-1074))
  (f32.const nan:canonical) (f64.const nan:arithmetic) (f32.const -nan:0x200000))
(assert_return (invoke "v") (v128.const f32x4 nan:canonical 1 -0 nan:arithmetic)
  (v128.const i16x8 1 2 3 4 5 6 7 -1) (v128.const f64x2 1 2))
(assert_return (invoke "r" (ref.null extern) (ref.extern 7) (ref.null func))
  (ref.extern) (ref.extern 7) (ref.func) (ref.null func) (ref.null) (ref.struct) (ref)
  (either (i32.const 1) (i32.const 2)))
(assert_trap (invoke "t") "unreachable")
(assert_trap (module (func (export "x"))) "out of bounds")
(assert_exhaustion (invoke "e") "call stack exhausted")
(assert_exception (invoke "x"))
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_malformed (module quote "(func i32.ad)") "unknown operator")
(assert_unlinkable (module (import "a" "b" (func))) "unknown import")
`
	s, err := ParseScript([]byte(src), "t.wast")
	if err != nil {
		t.Fatal(err)
	}
	kinds := []CommandKind{CmdModule, CmdModule, CmdModule, CmdModule, CmdModuleInstance, CmdRegister,
		CmdAction, CmdAction, CmdAssertReturn, CmdAssertReturn, CmdAssertReturn, CmdAssertReturn,
		CmdAssertTrap, CmdAssertTrap, CmdAssertExhaustion, CmdAssertException, CmdAssertInvalid,
		CmdAssertMalformed, CmdAssertUnlinkable}
	if len(s.Commands) != len(kinds) {
		t.Fatalf("%d commands, want %d", len(s.Commands), len(kinds))
	}
	for i, c := range s.Commands {
		if c.Kind != kinds[i] {
			t.Errorf("command %d kind = %d, want %d", i, c.Kind, kinds[i])
		}
	}
	c := s.Commands
	if c[0].Module.ID != "M" || c[0].Module.Form != ModuleText || c[0].Module.Module == nil || c[0].Pos.Line != 2 {
		t.Errorf("module = %+v", c[0].Module)
	}
	if c[1].Module.Form != ModuleBinary || string(c[1].Module.Binary) != "\x00asm\x01\x00\x00\x00" {
		t.Errorf("binary module = %+v", c[1].Module)
	}
	if c[2].Module.Form != ModuleQuote || string(c[2].Module.Quote) != "(func)(memory 1)" || c[2].Module.ID != "Q" {
		t.Errorf("quote module = %+v", c[2].Module)
	}
	if !c[3].Module.Definition || c[3].Module.ID != "D" {
		t.Errorf("definition = %+v", c[3].Module)
	}
	if c[4].Name != "I" || c[4].Def != "D" {
		t.Errorf("instance = %+v", c[4])
	}
	if c[5].As != "m" || c[5].Name != "M" {
		t.Errorf("register = %+v", c[5])
	}
	if a := c[7].Action; a.Kind != ActionGet || a.Module != "M" || a.Name != "g" {
		t.Errorf("get = %+v", a)
	}
	if a := c[8].Action; a.Module != "M" || len(a.Args) != 1 || a.Args[0].Lo != 0xffffffff {
		t.Errorf("invoke = %+v", a)
	}
	if e := c[8].Expected; len(e) != 1 || e[0].Kind != ConstNum || e[0].Type != wasm.I32 || e[0].Lo != 0xffffffff {
		t.Errorf("expected = %+v", e)
	}
	args := c[9].Action.Args
	if args[0].Lo != 0x3fc00000 || args[1].Lo != 0x8000000000000001 || args[1].Type != wasm.F64 {
		t.Errorf("float args = %+v", args)
	}
	e := c[9].Expected
	if e[0].Kind != ConstNaNCanonical || e[0].Type != wasm.F32 || e[1].Kind != ConstNaNArithmetic || e[1].Type != wasm.F64 ||
		e[2].Kind != ConstNum || e[2].Lo != 0xffa00000 {
		t.Errorf("nan patterns = %+v", e)
	}
	e = c[10].Expected
	if e[0].Kind != ConstV128Lanes || e[0].Shape != "f32x4" || len(e[0].Lanes) != 4 ||
		e[0].Lanes[0].Kind != ConstNaNCanonical || e[0].Lanes[2].Lo != 0x80000000 || e[0].Lanes[3].Kind != ConstNaNArithmetic {
		t.Errorf("v128 lane pattern = %+v", e[0])
	}
	if e[1].Kind != ConstNum || e[1].Type != wasm.V128 || e[1].Lo != 0x0004000300020001 || e[1].Hi != 0xffff000700060005 {
		t.Errorf("v128 i16x8 = %+v", e[1])
	}
	if e[2].Kind != ConstNum || e[2].Lo != 0x3ff0000000000000 || e[2].Hi != 0x4000000000000000 {
		t.Errorf("v128 f64x2 = %+v", e[2])
	}
	args = c[11].Action.Args
	if args[0].Kind != ConstRefNull || args[0].Type != wasm.ExternRef || args[1].Kind != ConstRefExtern || args[1].Extern != 7 || !args[1].HasExtern ||
		args[2].Type != wasm.FuncRef {
		t.Errorf("ref args = %+v", args)
	}
	e = c[11].Expected
	if e[0].Kind != ConstRefExtern || e[0].HasExtern || e[1].Extern != 7 || e[2].Kind != ConstRefFunc ||
		e[3].Kind != ConstRefNull || e[3].Type != wasm.FuncRef || e[4].Kind != ConstRefNull ||
		e[5].Kind != ConstRefAny || e[5].RefKind != "struct" || e[6].RefKind != "any" ||
		e[7].Kind != ConstEither || len(e[7].Alts) != 2 {
		t.Errorf("ref patterns = %+v", e)
	}
	if c[12].Message != "unreachable" || c[13].Module == nil || c[13].Action != nil {
		t.Errorf("assert_trap = %+v / %+v", c[12], c[13])
	}
	if c[17].Module.Form != ModuleQuote || c[17].Message != "unknown operator" {
		t.Errorf("assert_malformed = %+v", c[17])
	}
}

func TestParseScriptBareModule(t *testing.T) {
	s, err := ParseScript([]byte("(func (export \"f\")) (memory 1)"), "t.wast")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Commands) != 1 || s.Commands[0].Kind != CmdModule || len(s.Commands[0].Module.Module.Funcs) != 1 {
		t.Errorf("commands = %+v", s.Commands)
	}
}

func TestParseScriptErrors(t *testing.T) {
	tests := []struct{ src, err string }{
		{"(assert_return (invoke \"f\") (f32.const nan:foo))", "unknown operator"},
		{"(invoke \"f\" (ref.func))", "unexpected token"},
		{"(assert_return (invoke \"f\") (v128.const i32x4 1 2))", "wrong number of lane literals"},
		{"(bogus)", "unexpected token"},
		{"(module (func i32.ad))", "t.wast:1:15: unknown operator"},
		{"(assert_trap (invoke \"f\"))", "unexpected token"},
	}
	for _, tt := range tests {
		_, err := ParseScript([]byte(tt.src), "t.wast")
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("ParseScript(%q) error = %v, want %q", tt.src, err, tt.err)
		}
	}
}

// FuzzParseModule checks that parsing arbitrary text never panics or hangs.
func FuzzParseModule(f *testing.F) {
	for _, s := range []string{
		"(module (func (param i32) (result i32) (local.get 0)))",
		"(func $f (export \"f\") (block $l (br_if $l (i32.const 1))))",
		"(memory (data \"abc\")) (table funcref (elem 0)) (func)",
		"(type (func)) (func (call_indirect (type 0) (i32.const 0)))",
		"(func (v128.const f32x4 nan inf -0 0x1p-149) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))",
		"(rec (type $s (sub (struct (field i32))))) (func (param (ref $s)))",
		"(func (if (result i32) (i32.const 1) (then (i32.const 2)) (else (i32.const 3))) drop)",
		"(elem declare func 0) (elem (i32.const 0) func) (data (i32.const 0) \"\\ff\")",
		"(@a (b) \"c\") (;(; ;);) ;; x\n(func)",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := ParseModule(src, "fuzz.wat")
		if err == nil && m == nil {
			t.Fatal("nil module without error")
		}
		if err != nil && strings.Contains(err.Error(), "internal error") {
			t.Fatal(err)
		}
		_, err = ParseQuoteOptions(src, "fuzz.wat", Options{Features: wasm.Wasm3})
		if err != nil && strings.Contains(err.Error(), "internal error") {
			t.Fatal(err)
		}
	})
}

// FuzzParseScript checks that parsing arbitrary scripts never panics or
// hangs.
func FuzzParseScript(f *testing.F) {
	for _, s := range []string{
		"(module $M (func (export \"f\") (result i32) (i32.const 1)))\n(assert_return (invoke \"f\") (i32.const 1))",
		"(assert_malformed (module quote \"(func i32.ad)\") \"unknown operator\")",
		"(assert_return (invoke \"f\" (f32.const 1)) (either (f32.const nan:canonical) (v128.const f32x4 nan:arithmetic 0 0 0)))",
		"(module binary \"\\00asm\\01\\00\\00\\00\") (register \"m\") (module definition $d) (module instance $i $d)",
		"(assert_trap (module (func (export \"x\"))) \"trap\") (assert_exception (invoke \"x\" (ref.null extern) (ref.extern 1)))",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := ParseScript(src, "fuzz.wast")
		if err == nil && s == nil {
			t.Fatal("nil script without error")
		}
		if err != nil && strings.Contains(err.Error(), "internal error") {
			t.Fatal(err)
		}
	})
}
