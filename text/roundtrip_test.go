package text

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/internal/testenv"
	"github.com/gowasm/gowasm/wasm"
)

// rtNormalForm returns a shallow copy of m without what the text format
// cannot express. Two modules are equal for the round trip when the
// binary encodings of their normal forms are the same bytes. The normal
// form:
//   - has no custom sections (the name section becomes identifiers, other
//     custom sections become comments) and no module name;
//   - declares locals in maximal runs: adjacent local declarations of the
//     same type are merged and empty ones dropped (the text format has
//     no syntax for the grouping of the binary format);
//   - encodes instructions canonically: function bodies and constant
//     expressions are re-encoded instruction by instruction with
//     binary.AppendInstr (shortest LEB128 forms);
//   - has a data count section exactly when the module has data segments
//     or uses memory.init or data.drop (the text format has no syntax for
//     it either).
func rtNormalForm(m *wasm.Module) *wasm.Module {
	c := *m
	c.Customs = nil
	c.Names = nil
	c.ID = ""
	c.Code = make([]wasm.Code, len(m.Code))
	usesData := false
	for i, code := range m.Code {
		var locals []wasm.LocalDecl
		for _, d := range code.Locals {
			switch {
			case d.Count == 0:
			case len(locals) > 0 && locals[len(locals)-1].Type == d.Type:
				locals[len(locals)-1].Count += d.Count
			default:
				locals = append(locals, d)
			}
		}
		c.Code[i] = code
		c.Code[i].Locals = locals
		c.Code[i].Body = rtCanonicalCode(code.Body)
		if !usesData {
			usesData = rtBodyUsesData(code.Body)
		}
	}
	c.Tables = slices.Clone(m.Tables)
	for i := range c.Tables {
		c.Tables[i].Init = rtCanonicalCode(c.Tables[i].Init)
	}
	c.Globals = slices.Clone(m.Globals)
	for i := range c.Globals {
		c.Globals[i].Init = rtCanonicalCode(c.Globals[i].Init)
	}
	c.Elems = slices.Clone(m.Elems)
	for i := range c.Elems {
		e := &c.Elems[i]
		e.Offset = rtCanonicalCode(e.Offset)
		if e.Exprs != nil {
			e.Exprs = slices.Clone(e.Exprs)
			for j := range e.Exprs {
				e.Exprs[j] = rtCanonicalCode(e.Exprs[j])
			}
		}
	}
	c.Data = slices.Clone(m.Data)
	for i := range c.Data {
		c.Data[i].Offset = rtCanonicalCode(c.Data[i].Offset)
	}
	c.HasDataCnt = usesData || len(m.Data) > 0
	c.DataCount = 0
	if c.HasDataCnt {
		c.DataCount = uint32(len(m.Data))
	}
	return &c
}

// rtCanonicalCode re-encodes a sequence of instructions with
// binary.AppendInstr. It returns code unchanged when code is nil or does
// not decode.
func rtCanonicalCode[T ~[]byte](code T) T {
	if code == nil {
		return nil
	}
	r := binary.NewReader(code, 0)
	out := make([]byte, 0, len(code))
	var in wasm.Instr
	for r.Len() > 0 {
		if binary.ReadInstrTo(r, &in) != nil {
			return code
		}
		out = binary.AppendInstr(out, &in)
	}
	return T(out)
}

// rtBodyUsesData reports whether a function body contains memory.init or
// data.drop (reading up to the first malformed instruction).
func rtBodyUsesData(body []byte) bool {
	r := binary.NewReader(body, 0)
	var in wasm.Instr
	for r.Len() > 0 {
		if binary.ReadInstrTo(r, &in) != nil {
			return false
		}
		if in.Op == wasm.OpMemoryInit || in.Op == wasm.OpDataDrop {
			return true
		}
	}
	return false
}

// rtEncodeNormal encodes the normal form of m.
func rtEncodeNormal(m *wasm.Module) ([]byte, error) {
	return binary.Encode(rtNormalForm(m))
}

// rtRoundTrip checks, for one module, that decode(encode(m)) encodes to the
// same bytes, and that printing m (flat and folded) and parsing the text
// back gives a module with the same normal-form encoding.
func rtRoundTrip(m *wasm.Module, name string, feat wasm.Features) error {
	want, err := rtEncodeNormal(m)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	m2, err := binary.DecodeWith(want, binary.Options{Features: feat})
	if err != nil {
		return fmt.Errorf("decode(encode(m)): %w", err)
	}
	again, err := rtEncodeNormal(m2)
	if err != nil {
		return fmt.Errorf("encode(decode(encode(m))): %w", err)
	}
	if !bytes.Equal(again, want) {
		return fmt.Errorf("encode(decode(encode(m))) differs from encode(m)")
	}
	for _, folded := range []bool{false, true} {
		var buf bytes.Buffer
		if err := Print(&buf, m, PrintOptions{Folded: folded}); err != nil {
			return fmt.Errorf("print (folded=%v): %w", folded, err)
		}
		p, err := ParseModuleOptions(buf.Bytes(), name, Options{Features: feat})
		if err != nil {
			return fmt.Errorf("parse printed text (folded=%v): %w\n%s", folded, err, rtClip(buf.Bytes()))
		}
		got, err := rtEncodeNormal(p)
		if err != nil {
			return fmt.Errorf("encode parsed text (folded=%v): %w", folded, err)
		}
		if !bytes.Equal(got, want) {
			return fmt.Errorf("round trip through text (folded=%v) changed the module (%d bytes, want %d; first difference at byte %d)\n%s",
				folded, len(got), len(want), rtFirstDiff(got, want), rtClip(buf.Bytes()))
		}
	}
	return nil
}

func rtFirstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// rtClip shortens printed text for error messages.
func rtClip(b []byte) string {
	const max = 2000
	if len(b) > max {
		return string(b[:max]) + "\n..."
	}
	return string(b)
}

// TestPrintRoundTrip round-trips every module defined by a (module ...)
// command of the official Wasm 2.0 spec tests (text modules via
// ParseScript, quoted ones via ParseQuote, binary ones via binary.Decode)
// through the printer (flat and folded) and the parser. The comparison is
// on normal forms: custom sections stripped, locals merged, instructions
// canonically encoded, data count section normalised (see rtNormalForm).
func TestPrintRoundTrip(t *testing.T) {
	rtTestDir(t, "wasm-2.0", wasm.Wasm2)
}

// rtTestDir round-trips the modules of the .wast files of a spec
// test directory under the given features. Scripts that do not parse fail
// the test.
func rtTestDir(t *testing.T, version string, feat wasm.Features) {
	dir := testenv.Require(t, filepath.Join("spec", version))
	files, _ := filepath.Glob(filepath.Join(dir, "*.wast"))
	if len(files) == 0 {
		t.Fatalf("no .wast files in %s", dir)
	}
	var total, ok, skipped, failed int
	var scriptErrs int
	const maxReports = 40
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(file)
		script, err := ParseScriptOptions(src, base, Options{Features: feat})
		if err != nil {
			scriptErrs++
			t.Errorf("%s: ParseScript: %v", base, err)
			continue
		}
		for _, c := range script.Commands {
			if c.Kind != CmdModule || c.Module == nil {
				continue
			}
			var m *wasm.Module
			switch c.Module.Form {
			case ModuleText:
				m = c.Module.Module
			case ModuleQuote:
				if m, err = ParseQuoteOptions(c.Module.Quote, base, Options{Features: feat}); err != nil {
					total++
					failed++
					if failed <= maxReports {
						t.Errorf("%s:%d: ParseQuote: %v", base, c.Pos.Line, err)
					}
					continue
				}
			case ModuleBinary:
				if m, err = binary.DecodeWith(c.Module.Binary, binary.Options{Features: feat}); err != nil {
					// A binary module a command defines must decode.
					total++
					failed++
					if failed <= maxReports {
						t.Errorf("%s:%d: decode: %v", base, c.Pos.Line, err)
					}
					continue
				}
			default:
				skipped++
				continue
			}
			total++
			if err := rtRoundTrip(m, fmt.Sprintf("%s:%d", base, c.Pos.Line), feat); err != nil {
				failed++
				if failed <= maxReports {
					t.Errorf("%s:%d: %v", base, c.Pos.Line, err)
				}
				continue
			}
			ok++
		}
	}
	t.Logf("%s: %d files (%d not parsed), %d modules: %d round-tripped, %d failed, %d skipped",
		version, len(files), scriptErrs, total, ok, failed, skipped)
}

// TestPrintRoundTrip30 is TestPrintRoundTrip for the top level of the Wasm
// 3.0 spec tests and for its legacy exception-handling tests.
func TestPrintRoundTrip30(t *testing.T) {
	for _, dir := range []string{"wasm-3.0", "wasm-3.0/legacy"} {
		t.Run(dir, func(t *testing.T) { rtTestDir(t, dir, wasm.Wasm3) })
	}
}

// TestPrintRoundTripWorkloads round-trips the compiled benchmark
// workloads of bench/workloads (real toolchain output, with name
// sections) through the printer and the parser.
func TestPrintRoundTripWorkloads(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "bench", "workloads", "*.wasm"))
	if len(files) == 0 {
		t.Skip("no .wasm files in ../bench/workloads")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			if testing.Short() && strings.Contains(file, "gowork") {
				t.Skip("large module skipped in -short mode")
			}
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			m, err := binary.Decode(b)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if err := rtRoundTrip(m, filepath.Base(file), wasm.Wasm3); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestPrintRoundTripHandmade round-trips the hand-built module of the
// printer tests, which has names, a memory64 and both element forms.
func TestPrintRoundTripHandmade(t *testing.T) {
	m := printTestModule()
	if err := rtRoundTrip(m, "handmade", wasm.Wasm3); err != nil {
		t.Error(err)
	}
	// Names that need the quoted identifier form.
	m.Names.Funcs[2] = `runtime.(*m).f "x" é`
	m.Names.Locals[1][1] = "a b"
	if err := rtRoundTrip(m, "handmade-quoted", wasm.Wasm3); err != nil {
		t.Error(err)
	}
}
