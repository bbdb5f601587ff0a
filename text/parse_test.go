package text

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/wasm"
)

func mustParse(t *testing.T, src string) *wasm.Module {
	t.Helper()
	m, err := ParseModule([]byte(src), "t.wat")
	if err != nil {
		t.Fatalf("ParseModule(%q): %v", src, err)
	}
	return m
}

func TestErrorFormat(t *testing.T) {
	src := "(module\n  (func\n    i32.ad))"
	_, err := ParseModule([]byte(src), "a.wat")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a *Error", err)
	}
	if got, want := err.Error(), `a.wat:3:5: unknown operator "i32.ad"`; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestLexer(t *testing.T) {
	tests := []struct {
		src   string
		kinds []tokKind
		texts []string
	}{
		{`(module)`, []tokKind{tokLParen, tokKeyword, tokRParen}, []string{"", "module", ""}},
		{`$x $"a b" 0x1 -1 nan:0x1 a.b=c`, []tokKind{tokID, tokID, tokNum, tokNum, tokKeyword, tokKeyword}, []string{"x", "a b", "0x1", "-1", "nan:0x1", "a.b=c"}},
		{`;; c\n(; nested (; ;) ;) x`, []tokKind{tokKeyword}, []string{"x"}},
		{"(@a (b \"(\") ()) x", []tokKind{tokKeyword}, []string{"x"}},
		{`"a""b" a"b" .0 _1 x,y`, []tokKind{tokReserved, tokReserved, tokReserved, tokReserved, tokReserved}, nil},
	}
	for _, tt := range tests {
		s := &source{file: "t", src: []byte(strings.ReplaceAll(tt.src, `\n`, "\n"))}
		toks, err := lex(s)
		if err != nil {
			t.Errorf("lex(%q): %v", tt.src, err)
			continue
		}
		toks = toks[:len(toks)-1] // EOF
		if len(toks) != len(tt.kinds) {
			t.Errorf("lex(%q): %d tokens, want %d", tt.src, len(toks), len(tt.kinds))
			continue
		}
		for i, tok := range toks {
			if tok.kind != tt.kinds[i] || tt.texts != nil && tok.text != tt.texts[i] {
				t.Errorf("lex(%q) token %d = %v %q, want %v %q", tt.src, i, tok.kind, tok.text, tt.kinds[i], tt.texts[i])
			}
		}
	}
}

func TestStrings(t *testing.T) {
	tests := []struct {
		src  string
		want string
		err  string
	}{
		{`"abc"`, "abc", ""},
		{`"\t\n\r\"\'\\"`, "\t\n\r\"'\\", ""},
		{`"\00\ff\41"`, "\x00\xffA", ""},
		{`"\u{41}\u{1F600}\u{10FFFF}"`, "A\U0001F600\U0010FFFF", ""},
		{`"héllo"`, "héllo", ""},
		{`"\u{D800}"`, "", "illegal escape"},
		{`"\u{110000}"`, "", "illegal escape"},
		{`"\x"`, "", "illegal escape"},
		{`"\4"`, "", "illegal escape"},
		{"\"a\x01\"", "", "control"},
		{"\"\xff\"", "", "malformed UTF-8"},
		{`"abc`, "", "unclosed string"},
	}
	for _, tt := range tests {
		s := &source{file: "t", src: []byte(tt.src)}
		toks, err := lex(s)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("lex(%q) error = %v, want %q", tt.src, err, tt.err)
			}
			continue
		}
		if err != nil || toks[0].kind != tokString || toks[0].text != tt.want {
			t.Errorf("lex(%q) = %v %q, %v; want %q", tt.src, toks[0].kind, toks[0].text, err, tt.want)
		}
	}
}

func TestModuleFields(t *testing.T) {
	m := mustParse(t, `(module $m
		(type $t (func (param i32) (result i32)))
		(import "env" "f" (func $imp (type $t)))
		(import "env" "g" (global $g (mut i64)))
		(func $f (export "f") (export "f2") (param $x i32) (result i32) (local $y i32) (local i64 f32)
			(local.set $y (i32.add (local.get $x) (i32.const 1)))
			(call $imp (local.get $y)))
		(func (param f64))
		(table $tab 2 10 funcref)
		(memory $mem (export "mem") 1 2)
		(global $h i32 (i32.const 7))
		(elem (table $tab) (i32.const 0) func $f $imp)
		(elem declare func $f)
		(elem $p funcref (ref.func $f) (item ref.null func))
		(data (memory $mem) (offset (i32.const 16)) "ab" "cd")
		(data $pd "x")
		(start $f2)
		(func $f2)
	)`)
	if m.ID != "m" || m.Names == nil || m.Names.Module != "m" {
		t.Errorf("module id = %q, names %+v", m.ID, m.Names)
	}
	if len(m.Types) != 3 {
		t.Fatalf("types = %v, want 3 (explicit, then implicit [f64]->[] and []->[])", m.Types)
	}
	if got := m.Types[1].Comp.Func.String(); got != "[f64] -> []" {
		t.Errorf("type 1 = %s", got)
	}
	if len(m.Imports) != 2 || m.Imports[0].Func != 0 || m.Imports[1].Global.Type != wasm.I64 || !m.Imports[1].Global.Mutable {
		t.Errorf("imports = %+v", m.Imports)
	}
	if len(m.Funcs) != 3 || m.Funcs[0] != 0 || m.Funcs[1] != 1 || m.Funcs[2] != 2 {
		t.Errorf("funcs = %v", m.Funcs)
	}
	if len(m.Exports) != 3 || m.Exports[0].Name != "f" || m.Exports[0].Index != 1 || m.Exports[2].Kind != wasm.ExternMemory {
		t.Errorf("exports = %+v", m.Exports)
	}
	if !m.HasStart || m.Start != 3 {
		t.Errorf("start = %d %v", m.Start, m.HasStart)
	}
	c := m.Code[0]
	if len(c.Locals) != 3 || c.Locals[0].Type != wasm.I32 || c.BodyOffset != -1 {
		t.Errorf("locals = %+v", c.Locals)
	}
	wantBody := []byte{0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x01, 0x20, 0x01, 0x10, 0x00, 0x0b}
	if !bytes.Equal(c.Body, wantBody) {
		t.Errorf("body = % x, want % x", c.Body, wantBody)
	}
	if m.Names.Funcs[0] != "imp" || m.Names.Funcs[1] != "f" || m.Names.Funcs[3] != "f2" {
		t.Errorf("func names = %v", m.Names.Funcs)
	}
	if l := m.Names.Locals[1]; l[0] != "x" || l[1] != "y" {
		t.Errorf("local names = %v", m.Names.Locals)
	}
	if len(m.Elems) != 3 || m.Elems[0].Mode != wasm.SegmentActive || len(m.Elems[0].Indices) != 2 ||
		m.Elems[1].Mode != wasm.SegmentDeclarative || m.Elems[2].Mode != wasm.SegmentPassive || len(m.Elems[2].Exprs) != 2 {
		t.Errorf("elems = %+v", m.Elems)
	}
	if len(m.Data) != 2 || string(m.Data[0].Init) != "abcd" || m.Data[1].Mode != wasm.SegmentPassive ||
		!bytes.Equal(m.Data[0].Offset, []byte{0x41, 0x10, 0x0b}) {
		t.Errorf("data = %+v", m.Data)
	}
	if !m.HasDataCnt || m.DataCount != 2 {
		t.Errorf("data count = %d %v", m.DataCount, m.HasDataCnt)
	}
}

func TestAbbreviations(t *testing.T) {
	m := mustParse(t, `
		(func $a (import "m" "a") (param i32))
		(global (import "m" "g") i32)
		(table $t (export "t") funcref (elem $a $b))
		(memory (data "hello" "world"))
		(func $b)`)
	if len(m.Imports) != 2 || m.Imports[0].Kind != wasm.ExternFunc || m.Imports[1].Kind != wasm.ExternGlobal {
		t.Fatalf("imports = %+v", m.Imports)
	}
	if len(m.Tables) != 1 || m.Tables[0].Type.Min != 2 || m.Tables[0].Type.Max != 2 || !m.Tables[0].Type.HasMax {
		t.Errorf("tables = %+v", m.Tables)
	}
	if len(m.Elems) != 1 || len(m.Elems[0].Indices) != 2 || m.Elems[0].Indices[1] != 1 {
		t.Errorf("elems = %+v", m.Elems)
	}
	if len(m.Memories) != 1 || m.Memories[0].Min != 1 || len(m.Data) != 1 || string(m.Data[0].Init) != "helloworld" {
		t.Errorf("memories = %+v data = %+v", m.Memories, m.Data)
	}
}

func TestInstructions(t *testing.T) {
	tests := []struct {
		body string
		want []byte // without the final end
	}{
		{"nop", []byte{0x01}},
		{"(block $l (br $l))", []byte{0x02, 0x40, 0x0c, 0x00, 0x0b}},
		{"block $l (result i32) i32.const 1 end $l drop", []byte{0x02, 0x7f, 0x41, 0x01, 0x0b, 0x1a}},
		{"(loop $a (block $b (br_table $a $b 0 (i32.const 0))))", []byte{0x03, 0x40, 0x02, 0x40, 0x41, 0x00, 0x0e, 0x02, 0x01, 0x00, 0x00, 0x0b, 0x0b}},
		{"(if (i32.const 1) (then nop) (else unreachable))", []byte{0x41, 0x01, 0x04, 0x40, 0x01, 0x05, 0x00, 0x0b}},
		{"i32.const 0 if $x else $x end $x", []byte{0x41, 0x00, 0x04, 0x40, 0x0b}},
		{"i32.const 0 if $x else $x nop end $x", []byte{0x41, 0x00, 0x04, 0x40, 0x05, 0x01, 0x0b}},
		{"(i64.const -1) drop", []byte{0x42, 0x7f, 0x1a}},
		{"(f32.const 1) drop", []byte{0x43, 0x00, 0x00, 0x80, 0x3f, 0x1a}},
		{"(i32.load offset=4 align=4 (i32.const 0)) drop", []byte{0x41, 0x00, 0x28, 0x02, 0x04, 0x1a}},
		{"(i32.load8_u (i32.const 0)) drop", []byte{0x41, 0x00, 0x2d, 0x00, 0x00, 0x1a}},
		{"(select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)) drop", []byte{0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1c, 0x01, 0x7f, 0x1a}},
		{"(call_indirect (type 0) (i32.const 0))", []byte{0x41, 0x00, 0x11, 0x00, 0x00}},
		{"(call_indirect (param i32) (i32.const 1) (i32.const 0))", []byte{0x41, 0x01, 0x41, 0x00, 0x11, 0x01, 0x00}},
		{"ref.null extern drop", []byte{0xd0, 0x6f, 0x1a}},
		{"(memory.size) drop", []byte{0x3f, 0x00, 0x1a}},
		{"v128.const i32x4 1 2 3 -1 drop", []byte{0xfd, 0x0c, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x1a}},
		{"v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 v128.const i64x2 0 0 i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 drop",
			append(append(append([]byte{0xfd, 0x0c}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), 0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
				0xfd, 0x0d, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31, 0x1a)},
		{"(i32.const 0) (v128.const f32x4 0 0 0 0) (v128.load8_lane 1) drop", []byte{0x41, 0x00, 0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfd, 0x54, 0x00, 0x00, 0x01, 0x1a}},
		{"(memory.init 1 (i32.const 0) (i32.const 0) (i32.const 0))", []byte{0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 0x08, 0x01, 0x00}},
	}
	for _, tt := range tests {
		src := "(type (func)) (memory 1) (table 1 funcref) (data \"\") (data \"\") (func " + tt.body + ")"
		m, err := ParseModule([]byte(src), "t.wat")
		if err != nil {
			t.Errorf("%s: %v", tt.body, err)
			continue
		}
		want := append(append([]byte{}, tt.want...), 0x0b)
		if got := m.Code[0].Body; !bytes.Equal(got, want) {
			t.Errorf("%s:\n got % x\nwant % x", tt.body, got, want)
		}
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		src, err string
	}{
		{"(func i32.ad)", "unknown operator"},
		{"(func (local $x i32) (local $x i32))", "duplicate local"},
		{"(func $f) (func $f)", "duplicate func"},
		{"(func br $l)", "unknown label"},
		{"(func call $g)", "unknown func"},
		{"(func (type $t))", "unknown type"},
		{"(func) (import \"a\" \"b\" (func))", "import after function"},
		{"(memory 0) (import \"a\" \"b\" (table 0 funcref))", "import after memory"},
		{"(global i32 (i32.const 0)) (func (import \"a\" \"b\"))", "import after global"},
		{"(func (i32.const 4294967296) drop)", "constant out of range"},
		{"(func (f32.const 1e39) drop)", "constant out of range"},
		{"(func (f32.const nan:0x800000) drop)", "constant out of range"},
		{"(memory 1) (func (drop (i32.load align=3 (i32.const 0))))", "alignment"},
		{"(type (func (param i32))) (func (type 0) (param i64))", "inline function type"},
		{"(func block $a end $b)", "mismatching label"},
		{"(func (export \"\\ff\"))", "malformed UTF-8"},
		{"(func (v128.const i32x4 1 2 3) drop)", "lane"},
		{"(func (i8x16.shuffle 0 1 2) drop)", "invalid lane length"},
		{"(func (i8x16.extract_lane_s 256 (v128.const i64x2 0 0)) drop)", "malformed lane index"},
		{"(func (call_indirect (param $x i32)))", "unexpected token"},
		{"(module) (module)", "unexpected token"},
		{"(func", "unexpected end"},
		{"(func))", "unexpected token"},
		{"(func (i32.const 0x) drop)", "unknown operator"},
		{"(memory 0x1_0000_0000)", "i32 constant out of range"},
		{"(memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0))))", "i32 constant out of range"},
		{"(foo)", "unexpected token"},
		{"(func $x\"a\")", "unknown operator"},
	}
	for _, tt := range tests {
		_, err := ParseQuote([]byte(tt.src), "q")
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("ParseQuote(%q) error = %v, want %q", tt.src, err, tt.err)
		}
	}
}

func TestWasm3Options(t *testing.T) {
	for _, src := range []string{
		"(memory 0x1_0000_0000)",
		"(memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0))))",
	} {
		if _, err := ParseQuoteOptions([]byte(src), "q", Options{Features: wasm.Wasm3}); err != nil {
			t.Errorf("ParseQuoteOptions(%q, Wasm3): %v", src, err)
		}
	}
}

func TestQuoteForms(t *testing.T) {
	for _, src := range []string{
		"(module $m (func))",
		"$m (func)",
		"(func) (memory 1)",
		"",
	} {
		if _, err := ParseQuote([]byte(src), "q"); err != nil {
			t.Errorf("ParseQuote(%q): %v", src, err)
		}
	}
}

func TestGCTypes(t *testing.T) {
	m, err := ParseModuleOptions([]byte(`
		(rec (type $s (sub (struct (field $x i32) (field (mut i8)))))
		     (type $a (array (mut (ref null $s)))))
		(type $f (sub final $s (struct (field i32) (field (mut i8)) (field i64))))
		(func (param (ref $s)) (result i32) (struct.get $s $x (local.get 0)))`), "t", Options{Features: wasm.Wasm3})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.RecGroups) < 2 || m.RecGroups[0].Count != 2 {
		t.Errorf("rec groups = %+v", m.RecGroups)
	}
	if m.Types[0].Final || m.Types[0].Comp.Kind != wasm.CompStruct || len(m.Types[0].Comp.Fields) != 2 {
		t.Errorf("type 0 = %+v", m.Types[0])
	}
	if e := m.Types[1].Comp.Elem; !e.Mutable || e.Storage.Val != wasm.RefType(true, wasm.HeapType{Kind: wasm.HeapIndex, Index: 0}) {
		t.Errorf("type 1 = %+v", m.Types[1])
	}
	if !m.Types[2].Final || len(m.Types[2].Supers) != 1 {
		t.Errorf("type 2 = %+v", m.Types[2])
	}
}

func TestDeepNesting(t *testing.T) {
	src := "(func " + strings.Repeat("(block ", 20000) + strings.Repeat(")", 20000) + ")"
	_, err := ParseModule([]byte(src), "t")
	if err == nil || !strings.Contains(err.Error(), "nesting") {
		t.Errorf("error = %v, want nesting too deep", err)
	}
	src = "(func " + strings.Repeat("(block ", 1000) + strings.Repeat(")", 1000) + ")"
	if _, err := ParseModule([]byte(src), "t"); err != nil {
		t.Error(err)
	}
}
