package wasm

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/internal/testenv"
	"github.com/gowasm/gowasm/internal/wastexpr"
)

func TestOpcodeSample(t *testing.T) {
	v := func(ts ...ValType) []ValType { return append([]ValType{}, ts...) }
	tests := []struct {
		op      Opcode
		code    uint32
		name    string
		imm     ImmKind
		simple  bool
		params  []ValType
		results []ValType
	}{
		{OpUnreachable, 0x00, "unreachable", ImmNone, false, nil, nil},
		{OpBlock, 0x02, "block", ImmBlockType, false, nil, nil},
		{OpTry, 0x06, "try", ImmBlockType, false, nil, nil},
		{OpCatch, 0x07, "catch", ImmTag, false, nil, nil},
		{OpThrow, 0x08, "throw", ImmTag, false, nil, nil},
		{OpRethrow, 0x09, "rethrow", ImmLabel, false, nil, nil},
		{OpThrowRef, 0x0A, "throw_ref", ImmNone, false, nil, nil},
		{OpBrTable, 0x0E, "br_table", ImmBrTable, false, nil, nil},
		{OpCallIndirect, 0x11, "call_indirect", ImmCallIndirect, false, nil, nil},
		{OpReturnCallIndirect, 0x13, "return_call_indirect", ImmCallIndirect, false, nil, nil},
		{OpCallRef, 0x14, "call_ref", ImmType, false, nil, nil},
		{OpReturnCallRef, 0x15, "return_call_ref", ImmType, false, nil, nil},
		{OpDelegate, 0x18, "delegate", ImmLabel, false, nil, nil},
		{OpCatchAll, 0x19, "catch_all", ImmNone, false, nil, nil},
		{OpSelect, 0x1B, "select", ImmNone, false, nil, nil},
		{OpSelectT, 0x1C, "select_t", ImmSelectT, false, nil, nil},
		{OpTryTable, 0x1F, "try_table", ImmTryTable, false, nil, nil},
		{OpLocalTee, 0x22, "local.tee", ImmLocal, false, nil, nil},
		{OpTableSet, 0x26, "table.set", ImmTable, false, nil, nil},
		{OpI64Load32U, 0x35, "i64.load32_u", ImmMemArg, true, v(I32), v(I64)},
		{OpF64Store, 0x39, "f64.store", ImmMemArg, true, v(I32, F64), v()},
		{OpMemorySize, 0x3F, "memory.size", ImmMemory, true, v(), v(I32)},
		{OpMemoryGrow, 0x40, "memory.grow", ImmMemory, true, v(I32), v(I32)},
		{OpI32Const, 0x41, "i32.const", ImmI32, true, v(), v(I32)},
		{OpF64Const, 0x44, "f64.const", ImmF64, true, v(), v(F64)},
		{OpI64Eqz, 0x50, "i64.eqz", ImmNone, true, v(I64), v(I32)},
		{OpF32Copysign, 0x98, "f32.copysign", ImmNone, true, v(F32, F32), v(F32)},
		{OpI32WrapI64, 0xA7, "i32.wrap_i64", ImmNone, true, v(I64), v(I32)},
		{OpI64ExtendI32U, 0xAD, "i64.extend_i32_u", ImmNone, true, v(I32), v(I64)},
		{OpF64ReinterpretI64, 0xBF, "f64.reinterpret_i64", ImmNone, true, v(I64), v(F64)},
		{OpI64Extend32S, 0xC4, "i64.extend32_s", ImmNone, true, v(I64), v(I64)},
		{OpRefNull, 0xD0, "ref.null", ImmHeapType, false, nil, nil},
		{OpRefIsNull, 0xD1, "ref.is_null", ImmNone, false, nil, nil},
		{OpRefFunc, 0xD2, "ref.func", ImmFunc, false, nil, nil},
		{OpRefEq, 0xD3, "ref.eq", ImmNone, true, v(RefType(true, HeapType{Kind: HeapEq}), RefType(true, HeapType{Kind: HeapEq})), v(I32)},
		{OpRefAsNonNull, 0xD4, "ref.as_non_null", ImmNone, false, nil, nil},
		{OpBrOnNull, 0xD5, "br_on_null", ImmLabel, false, nil, nil},
		{OpBrOnNonNull, 0xD6, "br_on_non_null", ImmLabel, false, nil, nil},
		{OpStructNew, 0xFB0000, "struct.new", ImmType, false, nil, nil},
		{OpStructGetU, 0xFB0004, "struct.get_u", ImmTypeField, false, nil, nil},
		{OpArrayNewFixed, 0xFB0008, "array.new_fixed", ImmTypeN, false, nil, nil},
		{OpArrayNewData, 0xFB0009, "array.new_data", ImmTypeData, false, nil, nil},
		{OpArrayNewElem, 0xFB000A, "array.new_elem", ImmTypeElem, false, nil, nil},
		{OpArrayLen, 0xFB000F, "array.len", ImmNone, false, nil, nil},
		{OpArrayCopy, 0xFB0011, "array.copy", ImmTypeType, false, nil, nil},
		{OpArrayInitElem, 0xFB0013, "array.init_elem", ImmTypeElem, false, nil, nil},
		{OpRefTest, 0xFB0014, "ref.test", ImmRefTest, false, nil, nil},
		{OpRefTestNull, 0xFB0015, "ref.test_null", ImmRefTest, false, nil, nil},
		{OpRefCast, 0xFB0016, "ref.cast", ImmRefTest, false, nil, nil},
		{OpRefCastNull, 0xFB0017, "ref.cast_null", ImmRefTest, false, nil, nil},
		{OpBrOnCast, 0xFB0018, "br_on_cast", ImmBrOnCast, false, nil, nil},
		{OpBrOnCastFail, 0xFB0019, "br_on_cast_fail", ImmBrOnCast, false, nil, nil},
		{OpAnyConvertExtern, 0xFB001A, "any.convert_extern", ImmNone, false, nil, nil},
		{OpExternConvertAny, 0xFB001B, "extern.convert_any", ImmNone, false, nil, nil},
		{OpRefI31, 0xFB001C, "ref.i31", ImmNone, false, nil, nil},
		{OpI31GetU, 0xFB001E, "i31.get_u", ImmNone, false, nil, nil},
		{OpI32TruncSatF32S, 0xFC0000, "i32.trunc_sat_f32_s", ImmNone, true, v(F32), v(I32)},
		{OpI64TruncSatF64U, 0xFC0007, "i64.trunc_sat_f64_u", ImmNone, true, v(F64), v(I64)},
		{OpMemoryInit, 0xFC0008, "memory.init", ImmMemoryInit, true, v(I32, I32, I32), v()},
		{OpDataDrop, 0xFC0009, "data.drop", ImmData, true, v(), v()},
		{OpMemoryCopy, 0xFC000A, "memory.copy", ImmMemoryCopy, true, v(I32, I32, I32), v()},
		{OpMemoryFill, 0xFC000B, "memory.fill", ImmMemory, true, v(I32, I32, I32), v()},
		{OpTableInit, 0xFC000C, "table.init", ImmTableInit, false, nil, nil},
		{OpElemDrop, 0xFC000D, "elem.drop", ImmElem, true, v(), v()},
		{OpTableCopy, 0xFC000E, "table.copy", ImmTableCopy, false, nil, nil},
		{OpTableFill, 0xFC0011, "table.fill", ImmTable, false, nil, nil},
		{OpV128Load, 0xFD0000, "v128.load", ImmMemArg, true, v(I32), v(V128)},
		{OpV128Load8x8S, 0xFD0001, "v128.load8x8_s", ImmMemArg, true, v(I32), v(V128)},
		{OpV128Load64Splat, 0xFD000A, "v128.load64_splat", ImmMemArg, true, v(I32), v(V128)},
		{OpV128Store, 0xFD000B, "v128.store", ImmMemArg, true, v(I32, V128), v()},
		{OpV128Const, 0xFD000C, "v128.const", ImmV128, true, v(), v(V128)},
		{OpI8x16Shuffle, 0xFD000D, "i8x16.shuffle", ImmShuffle, true, v(V128, V128), v(V128)},
		{OpI64x2Splat, 0xFD0012, "i64x2.splat", ImmNone, true, v(I64), v(V128)},
		{OpI8x16ExtractLaneS, 0xFD0015, "i8x16.extract_lane_s", ImmLane, true, v(V128), v(I32)},
		{OpF64x2ReplaceLane, 0xFD0022, "f64x2.replace_lane", ImmLane, true, v(V128, F64), v(V128)},
		{OpV128Bitselect, 0xFD0052, "v128.bitselect", ImmNone, true, v(V128, V128, V128), v(V128)},
		{OpV128AnyTrue, 0xFD0053, "v128.any_true", ImmNone, true, v(V128), v(I32)},
		{OpV128Load16Lane, 0xFD0055, "v128.load16_lane", ImmMemArgLane, true, v(I32, V128), v(V128)},
		{OpV128Store64Lane, 0xFD005B, "v128.store64_lane", ImmMemArgLane, true, v(I32, V128), v()},
		{OpV128Load32Zero, 0xFD005C, "v128.load32_zero", ImmMemArg, true, v(I32), v(V128)},
		{OpF64x2PromoteLowF32x4, 0xFD005F, "f64x2.promote_low_f32x4", ImmNone, true, v(V128), v(V128)},
		{OpI8x16Shl, 0xFD006B, "i8x16.shl", ImmNone, true, v(V128, I32), v(V128)},
		{OpI16x8Q15mulrSatS, 0xFD0082, "i16x8.q15mulr_sat_s", ImmNone, true, v(V128, V128), v(V128)},
		{OpI16x8ExtmulLowI8x16S, 0xFD009C, "i16x8.extmul_low_i8x16_s", ImmNone, true, v(V128, V128), v(V128)},
		{OpI32x4DotI16x8S, 0xFD00BA, "i32x4.dot_i16x8_s", ImmNone, true, v(V128, V128), v(V128)},
		{OpI64x2Bitmask, 0xFD00C4, "i64x2.bitmask", ImmNone, true, v(V128), v(I32)},
		{OpI32x4TruncSatF64x2UZero, 0xFD00FD, "i32x4.trunc_sat_f64x2_u_zero", ImmNone, true, v(V128), v(V128)},
		{OpF64x2ConvertLowI32x4U, 0xFD00FF, "f64x2.convert_low_i32x4_u", ImmNone, true, v(V128), v(V128)},
		{OpI8x16RelaxedSwizzle, 0xFD0100, "i8x16.relaxed_swizzle", ImmNone, true, v(V128, V128), v(V128)},
		{OpI32x4RelaxedTruncF64x2SZero, 0xFD0103, "i32x4.relaxed_trunc_f64x2_s_zero", ImmNone, true, v(V128), v(V128)},
		{OpF32x4RelaxedMadd, 0xFD0105, "f32x4.relaxed_madd", ImmNone, true, v(V128, V128, V128), v(V128)},
		{OpI64x2RelaxedLaneselect, 0xFD010C, "i64x2.relaxed_laneselect", ImmNone, true, v(V128, V128, V128), v(V128)},
		{OpI16x8RelaxedQ15mulrS, 0xFD0111, "i16x8.relaxed_q15mulr_s", ImmNone, true, v(V128, V128), v(V128)},
		{OpI32x4RelaxedDotI8x16I7x16AddS, 0xFD0113, "i32x4.relaxed_dot_i8x16_i7x16_add_s", ImmNone, true, v(V128, V128, V128), v(V128)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if uint32(tt.op) != tt.code {
				t.Errorf("opcode = %#x, want %#x", uint32(tt.op), tt.code)
			}
			info := tt.op.Info()
			if info == nil {
				t.Fatalf("Info() = nil")
			}
			if info.Name != tt.name || tt.op.String() != tt.name {
				t.Errorf("Name = %q, String() = %q, want %q", info.Name, tt.op.String(), tt.name)
			}
			if info.Imm != tt.imm {
				t.Errorf("Imm = %d, want %d", info.Imm, tt.imm)
			}
			if info.Simple != tt.simple {
				t.Errorf("Simple = %v, want %v", info.Simple, tt.simple)
			}
			if !reflect.DeepEqual(info.Params, tt.params) || !reflect.DeepEqual(info.Results, tt.results) {
				t.Errorf("signature = %v -> %v, want %v -> %v", info.Params, info.Results, tt.params, tt.results)
			}
		})
	}
}

func TestOpcodeCounts(t *testing.T) {
	counts := map[byte]int{}
	for _, op := range Opcodes() {
		counts[op.Prefix()]++
	}
	// 0xFB: 31 GC instructions; 0xFC: 8 saturating truncations + 10 bulk
	// memory and table instructions; 0xFD: 236 SIMD + 20 relaxed SIMD.
	want := map[byte]int{0: 199, 0xFB: 31, 0xFC: 18, 0xFD: 256}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("opcodes per prefix = %v, want %v", counts, want)
	}
}

func TestOpcodeTableConsistency(t *testing.T) {
	ops := Opcodes()
	if !slices.IsSorted(ops) {
		t.Errorf("Opcodes() is not sorted")
	}
	seen := map[string]Opcode{}
	for _, op := range ops {
		info := op.Info()
		if info == nil {
			t.Errorf("%#x: Info() = nil for a listed opcode", uint32(op))
			continue
		}
		if prev, dup := seen[info.Name]; dup {
			t.Errorf("%#x and %#x share the mnemonic %q", uint32(prev), uint32(op), info.Name)
		}
		seen[info.Name] = op
		back, ok := LookupOpcode(op.String())
		if !ok || back != op {
			t.Errorf("LookupOpcode(%q) = %#x, %v; want %#x", op.String(), uint32(back), ok, uint32(op))
		}
		if info.Simple != (info.Params != nil && info.Results != nil) {
			t.Errorf("%s: Simple = %v but signature %v -> %v", info.Name, info.Simple, info.Params, info.Results)
		}
	}
	if _, ok := LookupOpcode("i32.bogus"); ok {
		t.Errorf("LookupOpcode accepted an unknown mnemonic")
	}
}

func TestOpcodeUnknown(t *testing.T) {
	for _, op := range []Opcode{
		0x16, 0x1D, 0x27, 0xC5, 0xD7, 0xFA, 0xFB, 0xFC, 0xFD, 0xFF, 0x100,
		PrefixedOp(0xFB, 0x1F), PrefixedOp(0xFB, 0x200),
		PrefixedOp(0xFC, 0x12), PrefixedOp(0xFC, 0xFFFF),
		PrefixedOp(0xFD, 0x9A), PrefixedOp(0xFD, 0xA2), PrefixedOp(0xFD, 0x114), PrefixedOp(0xFD, 0xFFFF),
		PrefixedOp(0xFE, 0x00), PrefixedOp(0x41, 0x00), 0xFFFFFFFF, 0x01FD0000,
	} {
		if info := op.Info(); info != nil {
			t.Errorf("%#x: Info() = %q, want nil", uint32(op), info.Name)
		}
		if s := op.String(); !strings.HasPrefix(s, "opcode(") {
			t.Errorf("%#x: String() = %q", uint32(op), s)
		}
	}
}

// constName applies the TEAM.md naming convention to a mnemonic.
func constName(mnemonic string) string {
	var b strings.Builder
	b.WriteString("Op")
	for _, part := range strings.FieldsFunc(mnemonic, func(r rune) bool { return r == '.' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// TestOpcodeConstNames parses opcodes_consts.go and checks that every
// constant is named after its mnemonic per the team convention and that
// its trailing comment is the mnemonic.
func TestOpcodeConstNames(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "opcodes_consts.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			name := vs.Names[0].Name
			tv, err := types.Eval(fset, nil, token.NoPos, types.ExprString(vs.Values[0]))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			code, err := strconv.ParseUint(tv.Value.ExactString(), 10, 32)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			op := Opcode(code)
			if want := constName(op.String()); name != want {
				t.Errorf("constant %s = %#x (%s): want name %s", name, code, op, want)
			}
			if vs.Comment == nil || strings.TrimSpace(vs.Comment.Text()) != op.String() {
				t.Errorf("constant %s: comment does not name %q", name, op.String())
			}
			n++
		}
	}
	if n != len(Opcodes()) {
		t.Errorf("%d constants, %d opcodes", n, len(Opcodes()))
	}
}

// specWastFiles returns the .wast files directly inside the given
// directory of the official test suite (e.g. "wasm-2.0"), skipping the test
// (or failing it under CI=true) when the shared data is missing.
func specWastFiles(t *testing.T, version string) []string {
	t.Helper()
	dir := testenv.Require(t, filepath.Join("spec", version))
	files, _ := filepath.Glob(filepath.Join(dir, "*.wast"))
	if len(files) == 0 {
		t.Fatalf("no .wast files in %s", dir)
	}
	return files
}

// wastWord is a keyword-like token of a .wast file.
type wastWord struct {
	text     string
	afterPar bool // directly follows '('
	line     int
}

// wastWords returns the keyword-like tokens of a .wast script, outside
// comments, strings and annotations.
func wastWords(src []byte) []wastWord {
	var out []wastWord
	line := 1
	afterPar := false
	annot := 0 // depth inside an (@annotation ...)
	for i := 0; i < len(src); {
		if end, newlines, ok := wastexpr.SkipComment(src, i); ok {
			i, line = end, line+newlines
			continue
		}
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '"':
			i++
			for i < len(src) && src[i] != '"' {
				if src[i] == '\\' {
					i++
				}
				if i < len(src) && src[i] == '\n' {
					line++
				}
				i++
			}
			i++
			afterPar = false
		case c == '(':
			i++
			if annot > 0 {
				annot++
			} else if i < len(src) && src[i] == '@' {
				annot = 1
			}
			afterPar = true
		case c == ')':
			if annot > 0 {
				annot--
			}
			i++
			afterPar = false
		default:
			j := i
			for j < len(src) && !strings.ContainsRune(" \t\r\n()\";", rune(src[j])) {
				j++
			}
			if j == i {
				j++
			}
			if annot == 0 {
				out = append(out, wastWord{string(src[i:j]), afterPar, line})
			}
			i = j
			afterPar = false
		}
	}
	return out
}

// wastNonInstr lists the words of .wast scripts that look like mnemonics
// but are not instructions.
var wastNonInstr = map[string]bool{
	// Result patterns of assert_return (reference values).
	"ref.extern": true, "ref.host": true, "ref.struct": true, "ref.array": true, "ref.exn": true,
	// Module fields, types and script commands found directly after '('.
	"module": true, "func": true, "param": true, "result": true, "local": true, "type": true,
	"import": true, "export": true, "table": true, "memory": true, "global": true, "elem": true,
	"data": true, "start": true, "offset": true, "item": true, "mut": true, "ref": true,
	"then": true, "rec": true, "sub": true, "struct": true, "array": true, "field": true,
	"tag": true, "do": true, "catch_ref": true, "catch_all_ref": true, "either": true, "register": true,
	"invoke": true, "get": true, "assert_return": true, "assert_trap": true,
	"assert_exhaustion": true, "assert_invalid": true, "assert_malformed": true,
	"assert_unlinkable": true, "assert_exception": true,
}

func isMnemonicLike(w string) bool {
	if w == "" || w[0] < 'a' || w[0] > 'z' {
		return false
	}
	for _, r := range w {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// TestSpecTestMnemonics checks that every instruction word of the official
// spec tests resolves: dotted words anywhere (i32.add, v128.load8_lane...)
// and plain words directly after '(' (br_table, select, return_call_ref...),
// except the documented non-instruction words in wastNonInstr. It covers
// the top levels of wasm-2.0 and wasm-3.0 and wasm-3.0/legacy (the legacy
// exception-handling instructions).
func TestSpecTestMnemonics(t *testing.T) {
	for _, version := range []string{"wasm-2.0", "wasm-3.0", "wasm-3.0/legacy"} {
		t.Run(version, func(t *testing.T) {
			files := specWastFiles(t, version)
			found := map[Opcode]bool{}
			checked := 0
			for _, file := range files {
				src, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				for _, w := range wastWords(src) {
					if !isMnemonicLike(w.text) || wastNonInstr[w.text] {
						continue
					}
					if !strings.Contains(w.text, ".") && !w.afterPar {
						continue
					}
					checked++
					op, ok := LookupOpcode(w.text)
					if !ok {
						t.Errorf("%s:%d: unknown instruction %q", filepath.Base(file), w.line, w.text)
						continue
					}
					found[op] = true
				}
			}
			t.Logf("%s: %d files, %d instruction words checked, %d distinct opcodes", version, len(files), checked, len(found))
		})
	}
}

func BenchmarkOpcodeInfo(b *testing.B) {
	ops := Opcodes()
	for i := 0; b.Loop(); i++ {
		if ops[i%len(ops)].Info() == nil {
			b.Fatal("nil")
		}
	}
}
