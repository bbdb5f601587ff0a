package text

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/wasm"
)

func TestFormatFloat(t *testing.T) {
	tests32 := []struct {
		bits uint32
		want string
	}{
		{0, "0"},
		{0x80000000, "-0"},
		{math.Float32bits(1.5), "1.5"},
		{math.Float32bits(0.1), "0.1"},
		{math.Float32bits(-3e38), "-3e+38"},
		{1, "1e-45"}, // smallest subnormal
		{0x7F800000, "inf"},
		{0xFF800000, "-inf"},
		{0x7FC00000, "nan"},
		{0xFFC00000, "-nan"},
		{0x7F800001, "nan:0x1"},
		{0xFFA00000, "-nan:0x200000"},
	}
	for _, tt := range tests32 {
		if got := watF32(tt.bits); got != tt.want {
			t.Errorf("watF32(%#x) = %q, want %q", tt.bits, got, tt.want)
		}
	}
	tests64 := []struct {
		bits uint64
		want string
	}{
		{0, "0"},
		{1 << 63, "-0"},
		{math.Float64bits(0.1), "0.1"},
		{math.Float64bits(1e300), "1e+300"},
		{1, "5e-324"},
		{0x7FF0000000000000, "inf"},
		{0xFFF0000000000000, "-inf"},
		{0x7FF8000000000000, "nan"},
		{0x7FF0000000000001, "nan:0x1"},
		{0xFFF4000000000000, "-nan:0x4000000000000"},
	}
	for _, tt := range tests64 {
		if got := watF64(tt.bits); got != tt.want {
			t.Errorf("watF64(%#x) = %q, want %q", tt.bits, got, tt.want)
		}
	}
}

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"abc", `"abc"`},
		{"a\"b\\c", `"a\"b\\c"`},
		{"\x00\n\x7f\xff", `"\00\0a\7f\ff"`},
		{"caf\u00e9", `"caf\c3\a9"`},
	}
	for _, tt := range tests {
		if got := watQuote([]byte(tt.in)); got != tt.want {
			t.Errorf("watQuote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestValTypeText(t *testing.T) {
	ref := func(null bool, k wasm.HeapKind, idx uint32) wasm.ValType {
		return wasm.RefType(null, wasm.HeapType{Kind: k, Index: idx})
	}
	tests := []struct {
		t    wasm.ValType
		want string
	}{
		{wasm.I32, "i32"},
		{wasm.V128, "v128"},
		{wasm.FuncRef, "funcref"},
		{wasm.ExternRef, "externref"},
		{ref(true, wasm.HeapNone, 0), "nullref"},
		{ref(true, wasm.HeapNoFunc, 0), "nullfuncref"},
		{ref(true, wasm.HeapNoExtern, 0), "nullexternref"},
		{ref(true, wasm.HeapNoExn, 0), "nullexnref"},
		{ref(true, wasm.HeapI31, 0), "i31ref"},
		{ref(false, wasm.HeapFunc, 0), "(ref func)"},
		{ref(true, wasm.HeapIndex, 3), "(ref null 3)"},
		{ref(false, wasm.HeapIndex, 7), "(ref 7)"},
	}
	for _, tt := range tests {
		if got := watValType(tt.t); got != tt.want {
			t.Errorf("watValType(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestNaturalAlign(t *testing.T) {
	tests := []struct {
		op   wasm.Opcode
		want uint32
	}{
		{wasm.OpI32Load, 2}, {wasm.OpI64Load, 3}, {wasm.OpF32Store, 2}, {wasm.OpF64Load, 3},
		{wasm.OpI32Load8S, 0}, {wasm.OpI64Load16U, 1}, {wasm.OpI64Load32S, 2}, {wasm.OpI64Store32, 2},
		{wasm.OpI32Store8, 0}, {wasm.OpV128Load, 4}, {wasm.OpV128Store, 4}, {wasm.OpV128Load8x8S, 3},
		{wasm.OpV128Load32x2U, 3}, {wasm.OpV128Load8Splat, 0}, {wasm.OpV128Load64Splat, 3},
		{wasm.OpV128Load32Zero, 2}, {wasm.OpV128Load16Lane, 1}, {wasm.OpV128Store64Lane, 3},
	}
	for _, tt := range tests {
		if got := watNaturalAlign(tt.op); got != tt.want {
			t.Errorf("watNaturalAlign(%s) = %d, want %d", tt.op, got, tt.want)
		}
	}
}

// printTestModule builds a small module by hand (no parser involved).
func printTestModule() *wasm.Module {
	ft := func(params, results []wasm.ValType) wasm.SubType {
		return wasm.SubType{Final: true, Comp: wasm.CompType{Kind: wasm.CompFunc, Func: wasm.FuncType{Params: params, Results: results}}}
	}
	i32 := []wasm.ValType{wasm.I32}
	return &wasm.Module{
		Types: []wasm.SubType{
			ft(nil, nil),
			ft([]wasm.ValType{wasm.I32, wasm.I32}, i32),
		},
		Imports: []wasm.Import{
			{Module: "env", Name: "log", Kind: wasm.ExternFunc, Func: 0},
			{Module: "env", Name: "g", Kind: wasm.ExternGlobal, Global: wasm.GlobalType{Type: wasm.F64}},
		},
		Funcs:    []uint32{1, 0},
		Tables:   []wasm.Table{{Type: wasm.TableType{Elem: wasm.FuncRef, Limits: wasm.Limits{Min: 2, Max: 2, HasMax: true}}}},
		Memories: []wasm.MemoryType{{Limits: wasm.Limits{Min: 1}, Is64: true}},
		Globals: []wasm.Global{{
			Type: wasm.GlobalType{Type: wasm.F32, Mutable: true},
			Init: wasm.Expr{0x43, 0x00, 0x00, 0xC0, 0x7F, 0x0B}, // f32.const nan
		}},
		Exports: []wasm.Export{{Name: "add", Kind: wasm.ExternFunc, Index: 1}},
		Start:   2, HasStart: true,
		Elems: []wasm.Elem{
			{Mode: wasm.SegmentActive, Offset: wasm.Expr{0x41, 0x00, 0x0B}, Type: wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapFunc}), Indices: []uint32{1, 2}},
			{Mode: wasm.SegmentPassive, Type: wasm.FuncRef, Exprs: []wasm.Expr{{0xD0, 0x70, 0x0B}}},
		},
		Code: []wasm.Code{
			{
				Locals: []wasm.LocalDecl{{Count: 2, Type: wasm.I64}},
				Body: []byte{
					0x20, 0x00, // local.get 0
					0x20, 0x01, // local.get 1
					0x6A,       // i32.add
					0x04, 0x7F, // if (result i32)
					0x41, 0x01, // i32.const 1
					0x05,       // else
					0x41, 0x7F, // i32.const -1
					0x0B,             // end
					0x29, 0x03, 0x08, // i64.load offset=8
					0x1A, // drop
					0x0B, // end
				},
				BodyOffset: -1,
			},
			{Body: []byte{0x10, 0x00, 0x0B}, BodyOffset: -1}, // call 0
		},
		Data: []wasm.Data{{Mode: wasm.SegmentActive, Offset: wasm.Expr{0x42, 0x10, 0x0B}, Init: []byte("hi\n")}},
		Names: &wasm.Names{
			Funcs:  map[uint32]string{0: "log", 1: "add", 2: "\xffbad"},
			Locals: map[uint32]map[uint32]string{1: {0: "a", 2: "tmp", 3: "a"}},
		},
	}
}

func TestPrintFlat(t *testing.T) {
	var buf bytes.Buffer
	if err := Print(&buf, printTestModule(), PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	want := `(module
  (type (;0;) (func))
  (type (;1;) (func (param i32 i32) (result i32)))
  (import "env" "log" (func $log (;0;) (type 0)))
  (import "env" "g" (global (;0;) f64))
  (func $add (;1;) (type 1) (param $a i32) (param i32) (result i32)
    (local $tmp i64) (local i64)
    local.get $a
    local.get 1
    i32.add
    if (result i32)
      i32.const 1
    else
      i32.const -1
    end
    i64.load offset=8
    drop
  )
  (func (;2;) (type 0)
    call $log
  )
  (table (;0;) 2 2 funcref)
  (memory (;0;) i64 1)
  (global (;1;) (mut f32) (f32.const nan))
  (export "add" (func $add))
  (start 2)
  (elem (;0;) (i32.const 0) func $add 2)
  (elem (;1;) funcref (item (ref.null func)))
  (data (;0;) (i64.const 16) "hi\0a"))
`
	if got := buf.String(); got != want {
		t.Errorf("Print =\n%s\nwant\n%s", got, want)
	}
}

func TestPrintFolded(t *testing.T) {
	var buf bytes.Buffer
	if err := Print(&buf, printTestModule(), PrintOptions{Folded: true}); err != nil {
		t.Fatal(err)
	}
	want := `  (func $add (;1;) (type 1) (param $a i32) (param i32) (result i32)
    (local $tmp i64) (local i64)
    (if (result i32)
      (i32.add (local.get $a) (local.get 1))
      (then
        (i32.const 1)
      )
      (else
        (i32.const -1)
      )
    )
    (drop (i64.load offset=8))
  )
`
	if got := buf.String(); !strings.Contains(got, want) {
		t.Errorf("Print folded =\n%s\nwant it to contain\n%s", got, want)
	}
}

func TestPrintInstructions(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"v128.const", append(append([]byte{0xFD, 0x0C}, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF), 0x1A, 0x0B),
			"v128.const i32x4 0x00000001 0x00000002 0x00000003 0xffffffff"},
		{"shuffle", append(append([]byte{0xFD, 0x0C}, make([]byte, 16)...), append(append([]byte{0xFD, 0x0C}, make([]byte, 16)...),
			append(append([]byte{0xFD, 0x0D}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31), 0x1A, 0x0B)...)...),
			"i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31"},
		{"f64.const", []byte{0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0xFF, 0x1A, 0x0B}, "f64.const -inf"},
		{"br_table", []byte{0x02, 0x40, 0x41, 0x00, 0x0E, 0x02, 0x00, 0x00, 0x00, 0x0B, 0x0B}, "br_table 0 0 0"},
		{"select t", []byte{0x41, 0, 0x41, 0, 0x41, 0, 0x1C, 0x01, 0x7F, 0x1A, 0x0B}, "select (result i32)"},
		{"memory.copy", []byte{0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 0x0A, 0x00, 0x00, 0x0B}, "memory.copy\n"},
		{"lane", []byte{0x41, 0, 0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFD, 0x55, 0x00, 0x00, 0x03, 0x1A, 0x0B},
			"v128.load16_lane align=1 3"},
		{"ref.test null", []byte{0xD0, 0x6E, 0xFB, 0x15, 0x6C, 0x1A, 0x0B}, "ref.test (ref null i31)"},
		{"br_on_cast", []byte{0x02, 0x40, 0xD0, 0x6E, 0xFB, 0x18, 0x01, 0x00, 0x6E, 0x6B, 0x1A, 0x0B, 0x0B}, "br_on_cast 0 (ref null any) (ref struct)"},
		{"quoted name", []byte{0x10, 0x02, 0x0B}, `call $"runtime.(*m).f \"x\""`},
		{"try_table", []byte{0x1F, 0x40, 0x02, 0x00, 0x00, 0x00, 0x02, 0x01, 0x0B, 0x0B}, "try_table (catch 0 0) (catch_all 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := printTestModule()
			m.Code[1].Body = tt.body
			if tt.name == "quoted name" {
				m.Names.Funcs[2] = `runtime.(*m).f "x"`
			}
			var buf bytes.Buffer
			if err := Print(&buf, m, PrintOptions{}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), tt.want) {
				t.Errorf("printed text does not contain %q:\n%s", tt.want, buf.String())
			}
		})
	}
}

func TestPrintErrors(t *testing.T) {
	for _, body := range [][]byte{
		{},                 // no end
		{0x41},             // truncated immediate
		{0x06 + 0x21},      // unknown opcode 0x27
		{0x0B, 0x01},       // code after the final end
		{0x02, 0x40, 0x0B}, // unclosed block
	} {
		m := printTestModule()
		m.Code[1].Body = body
		for _, folded := range []bool{false, true} {
			if err := Print(&bytes.Buffer{}, m, PrintOptions{Folded: folded}); err == nil {
				t.Errorf("body % x (folded=%v): no error", body, folded)
			}
		}
	}
	m := printTestModule()
	m.Code[1].Locals = []wasm.LocalDecl{{Count: 0xFFFFFFFF, Type: wasm.I32}}
	if err := Print(&bytes.Buffer{}, m, PrintOptions{}); err == nil {
		t.Errorf("2^32-1 locals: no error")
	}
	if err := Print(&bytes.Buffer{}, nil, PrintOptions{}); err == nil {
		t.Errorf("nil module: no error")
	}
	m = printTestModule()
	m.Globals[0].Init = wasm.Expr{0x41}
	if err := Print(&bytes.Buffer{}, m, PrintOptions{}); err == nil {
		t.Errorf("bad constant expression: no error")
	}
	if err := Print(failWriter{}, printTestModule(), PrintOptions{}); err == nil {
		t.Errorf("failing writer: no error")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("write failed") }

func TestPrintLegacyTry(t *testing.T) {
	body := []byte{
		0x06, 0x40, // try
		0x41, 0x01, 0x1A, // i32.const 1 drop
		0x07, 0x00, // catch 0
		0x19,       // catch_all
		0x09, 0x00, // rethrow 0
		0x0B,       // end
		0x06, 0x40, // try
		0x18, 0x00, // delegate 0
		0x0B, // end
	}
	tests := []struct {
		folded bool
		want   string
	}{
		{false, `
    try
      i32.const 1
      drop
    catch 0
    catch_all
      rethrow 0
    end
    try
    delegate 0
  )`},
		{true, `
    (try
      (do
        (drop (i32.const 1))
      )
      (catch 0
      )
      (catch_all
        (rethrow 0)
      )
    )
    (try
      (do
      )
      (delegate 0)
    )
  )`},
	}
	for _, tt := range tests {
		m := printTestModule()
		m.Code[1].Body = body
		var buf bytes.Buffer
		if err := Print(&buf, m, PrintOptions{Folded: tt.folded}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), tt.want) {
			t.Errorf("folded=%v: printed text does not contain %s\n%s", tt.folded, tt.want, buf.String())
		}
	}
}

// FuzzPrint checks that printing any decodable module does not panic.
func FuzzPrint(f *testing.F) {
	for _, name := range []string{"fib", "qsort", "vm", "nbody"} {
		if b, err := os.ReadFile(filepath.Join("..", "bench", "workloads", name+".wasm")); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := binary.Decode(b)
		if err != nil {
			return
		}
		for _, folded := range []bool{false, true} {
			_ = Print(io.Discard, m, PrintOptions{Folded: folded})
		}
	})
}

func TestPrintFoldedLongChain(t *testing.T) {
	body := []byte{0x41, 0x00}
	for range 5000 {
		body = append(body, 0x41, 0x01, 0x6A) // i32.const 1 i32.add
	}
	body = append(body, 0x1A, 0x0B) // drop end
	m := printTestModule()
	m.Code[1].Body = body
	var buf bytes.Buffer
	if err := Print(&buf, m, PrintOptions{Folded: true}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 200000 {
		t.Errorf("folded text of a 5000-step chain is %d bytes", buf.Len())
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if len(line) > 2*printMaxFoldedLen {
			t.Fatalf("line of %d bytes", len(line))
		}
	}
	if !strings.Contains(buf.String(), "(i32.add (i32.add (i32.const 0) (i32.const 1)) (i32.const 1))") {
		t.Errorf("chain not folded:\n%s", rtClip(buf.Bytes()))
	}
}
