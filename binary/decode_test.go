package binary

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/wasm"
)

// mod builds a module from the header and the given sections.
func mod(sections ...string) []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	for _, s := range sections {
		b = append(b, s...)
	}
	return b
}

// sec builds a section with id and content.
func sec(id byte, content string) string {
	b := []byte{id}
	b = AppendU32(b, uint32(len(content)))
	return string(append(b, content...))
}

func TestDecodeErrors(t *testing.T) {
	type1 := sec(1, "\x01\x60\x00\x00")
	func1 := sec(3, "\x01\x00")
	tests := []struct {
		name    string
		in      []byte
		wantErr string
		section int
		fn      int
	}{
		{"empty", nil, "unexpected end", -1, -1},
		{"bad magic", []byte("\x00asn\x01\x00\x00\x00"), "magic header not detected", -1, -1},
		{"bad version", []byte("\x00asm\x02\x00\x00\x00"), "unknown binary version", -1, -1},
		{"section id", mod("\x0e\x00"), "malformed section id", -1, -1},
		{"section too long", mod("\x01\x05\x00"), "length out of bounds", 1, -1},
		{"size mismatch", mod(sec(1, "\x00\x00")), "section size mismatch", 1, -1},
		{"order", mod(func1, type1), "unexpected content after last section", -1, -1},
		{"duplicate", mod(type1, type1), "unexpected content after last section", -1, -1},
		{"huge count", mod(sec(3, "\xff\xff\xff\xff\x0f")), "unexpected end of section or function", 3, -1},
		{"no code", mod(type1, func1), "function and code section have inconsistent lengths", -1, -1},
		{"code count", mod(type1, func1, sec(10, "\x00")), "function and code section have inconsistent lengths", 10, -1},
		{"missing end", mod(type1, func1, sec(10, "\x01\x02\x00\x01")), "unexpected end of section or function", 10, 0},
		{"end not last", mod(type1, sec(3, "\x02\x00\x00"), sec(10, "\x02\x02\x00\x01\x02\x00\x0b")), "END opcode expected", 10, 0},
		{"early end", mod(type1, func1, sec(10, "\x01\x03\x00\x0b\x01")), "section size mismatch", 10, 0},
		{"illegal opcode", mod(type1, func1, sec(10, "\x01\x03\x00\xff\x0b")), "illegal opcode ff", 10, 0},
		{"catch outside try", mod(type1, func1, sec(10, "\x01\x05\x00\x02\x40\x19\x0b")), "misplaced catch_all opcode", 10, 0},
		{"delegate outside try", mod(type1, func1, sec(10, "\x01\x06\x00\x02\x40\x18\x00\x0b")), "misplaced delegate opcode", 10, 0},
		{"else twice", mod(type1, func1, sec(10, "\x01\x08\x00\x04\x40\x05\x05\x0b\x0b\x0b")), "misplaced ELSE opcode", 10, 0},
		{"else outside if", mod(type1, func1, sec(10, "\x01\x03\x00\x05\x0b")), "misplaced ELSE opcode", 10, 0},
		{"too many locals", mod(type1, func1, sec(10, "\x01\x0e\x02\xff\xff\xff\xff\x0f\x7f\xff\xff\xff\xff\x0f\x7e\x0b")), "too many locals", 10, 0},
		{"data count required", mod(type1, func1, sec(5, "\x01\x00\x00"), sec(10, "\x01\x05\x00\xfc\x09\x00\x0b"), sec(11, "\x01\x01\x00")), "data count section required", -1, -1},
		{"data count mismatch", mod(sec(12, "\x02"), sec(11, "\x01\x01\x00")), "data count and data section have inconsistent lengths", -1, -1},
		{"mutability", mod(sec(6, "\x01\x7f\x02\x41\x00\x0b")), "malformed mutability", 6, -1},
		{"import kind", mod(sec(2, "\x01\x01a\x01b\x05\x00")), "malformed import kind", 2, -1},
		{"elem kind", mod(sec(9, "\x01\x08\x00\x00")), "malformed elements segment kind", 9, -1},
		{"elem reftype", mod(sec(9, "\x01\x05\x7f\x00")), "malformed reference type", 9, -1},
		{"data kind", mod(sec(11, "\x01\x03\x00")), "malformed data segment kind", 11, -1},
		{"custom name utf8", mod(sec(0, "\x01\xff")), "malformed UTF-8 encoding", 0, -1},
		{"custom name length", mod(sec(0, "\x05ab")), "unexpected end", 0, -1},
		{"global expr no end", mod(sec(6, "\x01\x7f\x00\x41\x00")), "unexpected end", 6, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Decode(tt.in)
			if err == nil {
				t.Fatalf("decoded: %+v", m)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %v, want %q", err, tt.wantErr)
			}
			var be *Error
			if !errors.As(err, &be) {
				t.Fatalf("error %T is not a *Error", err)
			}
			if be.Section != tt.section || be.Func != tt.fn {
				t.Errorf("error %v: section %d function %d, want %d %d", err, be.Section, be.Func, tt.section, tt.fn)
			}
		})
	}
}

// TestDecodeHugeCounts checks that counts far larger than the input fail
// fast without allocating for them.
func TestDecodeHugeCounts(t *testing.T) {
	for id := byte(1); id <= 13; id++ {
		if id == secStart || id == secDataCount {
			continue
		}
		b := mod(sec(id, "\xff\xff\xff\xff\x0f\x00"))
		allocs := testing.AllocsPerRun(10, func() {
			if _, err := Decode(b); err == nil {
				t.Fatalf("section %d: decoded", id)
			}
		})
		if allocs > 20 {
			t.Errorf("section %d: %v allocations", id, allocs)
		}
	}
}

func TestDecodeModule(t *testing.T) {
	b := mod(
		sec(0, "\x05first"),
		sec(1, "\x02\x60\x01\x7f\x01\x7e\x4e\x02\x50\x00\x5f\x02\x78\x01\x7f\x00\x4f\x01\x01\x5e\x63\x01\x01"),
		sec(2, "\x03\x01m\x01f\x00\x00\x01m\x01t\x01\x70\x00\x01\x01m\x01g\x03\x7e\x01"),
		sec(0, "\x05after"),
		sec(3, "\x01\x00"),
		sec(4, "\x02\x6f\x01\x01\x02\x40\x00\x64\x70\x00\x03\xd2\x00\x0b"),
		sec(5, "\x02\x00\x01\x04\x80\x80\x80\x80\x80\x20"),
		sec(13, "\x01\x00\x00"),
		sec(6, "\x01\x7f\x01\x41\x2a\x0b"),
		sec(7, "\x02\x01f\x00\x01\x03mem\x02\x00"),
		sec(8, "\x01"),
		sec(9, "\x08"+
			"\x00\x41\x00\x0b\x01\x01"+
			"\x01\x00\x01\x01"+
			"\x02\x01\x41\x00\x0b\x00\x01\x01"+
			"\x03\x00\x00"+
			"\x04\x41\x00\x0b\x01\xd0\x70\x0b"+
			"\x05\x6f\x01\xd0\x6f\x0b"+
			"\x06\x01\x41\x00\x0b\x70\x00"+
			"\x07\x70\x01\xd2\x00\x0b"),
		sec(12, "\x02"),
		sec(10, "\x01\x0a\x01\x02\x7f\x02\x40\x20\x00\x1a\x0b\x0b"),
		sec(11, "\x02\x00\x41\x00\x0b\x02hi\x01\x01x"),
		sec(0, "\x04name\x00\x02\x01M\x01\x04\x01\x01\x01f\x02\x09\x01\x01\x02\x00\x01a\x01\x01b"),
	)
	m, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Types) != 3 || !reflect.DeepEqual(m.RecGroups, []wasm.RecGroup{{First: 0, Count: 1}, {First: 1, Count: 2}}) {
		t.Errorf("types %+v groups %+v", m.Types, m.RecGroups)
	}
	if st := m.Types[1]; st.Final || st.Comp.Kind != wasm.CompStruct || len(st.Comp.Fields) != 2 || st.Comp.Fields[0].Storage.Packed != 0x78 || !st.Comp.Fields[0].Mutable {
		t.Errorf("struct type %+v", st)
	}
	if st := m.Types[2]; !st.Final || !reflect.DeepEqual(st.Supers, []uint32{1}) || st.Comp.Kind != wasm.CompArray {
		t.Errorf("array type %+v", st)
	}
	if len(m.Imports) != 3 || m.Imports[2].Global != (wasm.GlobalType{Type: wasm.I64, Mutable: true}) {
		t.Errorf("imports %+v", m.Imports)
	}
	if len(m.Tables) != 2 || m.Tables[1].Init == nil || m.Tables[1].Type.Elem != wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapFunc}) {
		t.Errorf("tables %+v", m.Tables)
	}
	if len(m.Memories) != 2 || !m.Memories[1].Is64 || m.Memories[1].Min != 1<<40 {
		t.Errorf("memories %+v", m.Memories)
	}
	if !m.HasStart || m.Start != 1 || !m.HasDataCnt || m.DataCount != 2 {
		t.Errorf("start %v %d datacount %v %d", m.HasStart, m.Start, m.HasDataCnt, m.DataCount)
	}
	if len(m.Elems) != 8 {
		t.Fatalf("elems %+v", m.Elems)
	}
	modes := []wasm.SegmentMode{wasm.SegmentActive, wasm.SegmentPassive, wasm.SegmentActive, wasm.SegmentDeclarative,
		wasm.SegmentActive, wasm.SegmentPassive, wasm.SegmentActive, wasm.SegmentDeclarative}
	for i, e := range m.Elems {
		if e.Mode != modes[i] || (i < 4) != (e.Indices != nil) {
			t.Errorf("elem %d: %+v", i, e)
		}
	}
	if m.Elems[2].Table != 1 || m.Elems[3].Len() != 0 || m.Elems[5].Type != wasm.ExternRef {
		t.Errorf("elems %+v", m.Elems)
	}
	if c := m.Code[0]; len(c.Locals) != 1 || c.Locals[0] != (wasm.LocalDecl{Count: 2, Type: wasm.I32}) || string(c.Body) != "\x02\x40\x20\x00\x1a\x0b\x0b" {
		t.Errorf("code %+v", c)
	}
	if got := b[m.Code[0].BodyOffset]; got != 0x02 {
		t.Errorf("BodyOffset %d points at 0x%x", m.Code[0].BodyOffset, got)
	}
	if len(m.Data) != 2 || string(m.Data[0].Init) != "hi" || m.Data[1].Mode != wasm.SegmentPassive {
		t.Errorf("data %+v", m.Data)
	}
	wantCustoms := []struct {
		name  string
		after byte
	}{{"first", 0}, {"after", 2}, {"name", 11}}
	if len(m.Customs) != len(wantCustoms) {
		t.Fatalf("customs %+v", m.Customs)
	}
	for i, w := range wantCustoms {
		if m.Customs[i].Name != w.name || m.Customs[i].After != w.after {
			t.Errorf("custom %d: %+v, want %+v", i, m.Customs[i], w)
		}
	}
	wantNames := &wasm.Names{Module: "M", Funcs: map[uint32]string{1: "f"}, Locals: map[uint32]map[uint32]string{1: {0: "a", 1: "b"}}}
	if !reflect.DeepEqual(m.Names, wantNames) {
		t.Errorf("names %+v, want %+v", m.Names, wantNames)
	}
	checkRoundTrip(t, "module", m)
}

// TestDecodeNesting checks block nesting with the legacy exception
// handling instructions and if/else.
func TestDecodeNesting(t *testing.T) {
	for _, body := range []string{
		"\x00\x06\x40\x18\x00\x0b",             // try delegate
		"\x00\x06\x40\x07\x00\x19\x0b\x0b",     // try catch catch_all end
		"\x00\x04\x40\x05\x02\x40\x0b\x0b\x0b", // if else block end end
		"\x00\x1f\x40\x01\x02\x00\x0b\x0b",     // try_table (catch_all 0) end
		"\x00\x03\x7f\x41\x00\x0b\x1a\x0b",     // loop (result i32)
	} {
		b := mod(sec(1, "\x01\x60\x00\x00"), sec(3, "\x01\x00"), sec(10, "\x01"+string(AppendU32(nil, uint32(len(body))))+body))
		m, err := Decode(b)
		if err != nil {
			t.Errorf("%x: %v", body, err)
			continue
		}
		checkRoundTrip(t, "nesting", m)
	}
}

func TestMalformedNameSectionIgnored(t *testing.T) {
	for _, content := range []string{
		"\x04name\x01\x05\x01\x00\x03ab",           // name runs past its subsection
		"\x04name\x01\x03\x02\x00\x00",             // truncated map
		"\x04name\x01\x01\x00\x00\x01\x00",         // subsections out of order
		"\x04name\x01\x05\x02\x01\x00\x00\x00",     // indices out of order
		"\x04name\x01\x04\x01\x00\x01\xff",         // bad UTF-8 in a function name
		"\x04name\x00\xff\xff\xff\xff\x0f\x01\x00", // huge subsection size
	} {
		m, err := Decode(mod(sec(0, content)))
		if err != nil {
			t.Errorf("%x: %v", content, err)
			continue
		}
		if m.Names != nil || len(m.Customs) != 1 {
			t.Errorf("%x: names %+v customs %d", content, m.Names, len(m.Customs))
		}
	}
}

// TestEncodeNames checks that a module without a raw name section gets one
// from Module.Names.
func TestEncodeNames(t *testing.T) {
	m := &wasm.Module{
		Types: []wasm.SubType{{Final: true, Comp: wasm.CompType{Kind: wasm.CompFunc}}},
		Funcs: []uint32{0, 0},
		Code:  []wasm.Code{{Body: []byte{0x0b}}, {Body: []byte{0x0b}}},
		Names: &wasm.Names{Module: "m", Funcs: map[uint32]string{1: "b", 0: "a"}, Locals: map[uint32]map[uint32]string{0: {0: "x"}}},
	}
	b, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m2.Names, m.Names) {
		t.Errorf("names %+v, want %+v", m2.Names, m.Names)
	}
	if len(m2.Types) != 1 || len(m2.RecGroups) != 1 || len(m2.Code) != 2 {
		t.Errorf("module %+v", m2)
	}
	checkRoundTrip(t, "names", m2)
}

// TestEncodeElemForms checks the choice of element segment encodings.
func TestEncodeElemForms(t *testing.T) {
	off := wasm.Expr{0x41, 0x00, 0x0b}
	refFunc := wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapFunc})
	tests := []struct {
		e    wasm.Elem
		flag byte
	}{
		{wasm.Elem{Mode: wasm.SegmentActive, Offset: off, Type: wasm.FuncRef, Indices: []uint32{0}}, 0},
		{wasm.Elem{Mode: wasm.SegmentActive, Offset: off, Type: refFunc, Indices: []uint32{}}, 0},
		{wasm.Elem{Mode: wasm.SegmentPassive, Type: wasm.FuncRef, Indices: []uint32{0}}, 1},
		{wasm.Elem{Mode: wasm.SegmentActive, Table: 2, Offset: off, Type: wasm.FuncRef, Indices: []uint32{0}}, 2},
		{wasm.Elem{Mode: wasm.SegmentDeclarative, Type: wasm.FuncRef, Indices: []uint32{0}}, 3},
		{wasm.Elem{Mode: wasm.SegmentActive, Offset: off, Type: wasm.FuncRef, Exprs: []wasm.Expr{{0xd0, 0x70, 0x0b}}}, 4},
		{wasm.Elem{Mode: wasm.SegmentPassive, Type: wasm.ExternRef, Exprs: []wasm.Expr{}}, 5},
		{wasm.Elem{Mode: wasm.SegmentActive, Offset: off, Type: wasm.ExternRef, Exprs: []wasm.Expr{}}, 6},
		{wasm.Elem{Mode: wasm.SegmentActive, Table: 1, Offset: off, Type: wasm.FuncRef, Exprs: []wasm.Expr{}}, 6},
		{wasm.Elem{Mode: wasm.SegmentDeclarative, Type: refFunc, Exprs: []wasm.Expr{{0xd2, 0x00, 0x0b}}}, 7},
	}
	for i, tt := range tests {
		b := appendElem(nil, &tt.e)
		if b[0] != tt.flag {
			t.Errorf("%d: flag %d, want %d", i, b[0], tt.flag)
		}
		m, err := Decode(mod(sec(9, "\x01"+string(b))))
		if err != nil {
			t.Errorf("%d: %v", i, err)
			continue
		}
		got := m.Elems[0]
		if got.Mode != tt.e.Mode || got.Table != tt.e.Table || got.Len() != tt.e.Len() || got.Type.Heap != tt.e.Type.Heap {
			t.Errorf("%d: got %+v, want %+v", i, got, tt.e)
		}
	}
}

// TestDecodeCopiesInput checks that the module does not alias the input.
func TestDecodeCopiesInput(t *testing.T) {
	b := mod(sec(1, "\x01\x60\x00\x00"), sec(3, "\x01\x00"), sec(10, "\x01\x04\x00\x41\x07\x0b"), sec(0, "\x01cxyz"))
	m, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = 0xEE
	}
	if string(m.Code[0].Body) != "\x41\x07\x0b" || string(m.Customs[0].Data) != "xyz" {
		t.Errorf("module changed with its input: %x %q", m.Code[0].Body, m.Customs[0].Data)
	}
}

// TestGoHello decodes and round-trips the module built by
// testdata/go-hello/build.sh, when present.
func TestGoHello(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "testdata", "go-hello", "hello.wasm"))
	if err != nil {
		t.Skipf("hello.wasm not built (testdata/go-hello/build.sh): %v", err)
	}
	m, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Code) < 100 || m.Names == nil || len(m.Names.Funcs) < 100 {
		t.Errorf("%d functions, names %v", len(m.Code), m.Names != nil)
	}
	checkRoundTrip(t, "hello.wasm", m)
}
