package validate

import (
	"errors"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/wasm"
)

// Opcode bytes used to write bodies.
const (
	unreachable  = 0x00
	nop          = 0x01
	block        = 0x02
	loop         = 0x03
	ifOp         = 0x04
	elseOp       = 0x05
	end          = 0x0B
	br           = 0x0C
	brIf         = 0x0D
	brTable      = 0x0E
	ret          = 0x0F
	call         = 0x10
	callIndirect = 0x11
	returnCall   = 0x12
	drop         = 0x1A
	sel          = 0x1B
	selT         = 0x1C
	localGet     = 0x20
	localSet     = 0x21
	localTee     = 0x22
	globalGet    = 0x23
	globalSet    = 0x24
	tableGet     = 0x25
	i32Load      = 0x28
	i64Load      = 0x29
	i32Store     = 0x36
	memorySize   = 0x3F
	memoryGrow   = 0x40
	i32Const     = 0x41
	i64Const     = 0x42
	f32Const     = 0x43
	f64Const     = 0x44
	i32Add       = 0x6A
	i64Add       = 0x7C
	refNull      = 0xD0
	refIsNull    = 0xD1
	refFunc      = 0xD2
	fc           = 0xFC
	fd           = 0xFD
	tI32         = 0x7F
	tI64         = 0x7E
	tF32         = 0x7D
	tF64         = 0x7C
	tV128        = 0x7B
	tFuncRef     = 0x70
	tExternRef   = 0x6F
	tEmpty       = 0x40
)

var (
	i32 = wasm.I32
	i64 = wasm.I64
	f32 = wasm.F32
	f64 = wasm.F64
)

func functype(params, results []wasm.ValType) wasm.SubType {
	return wasm.SubType{Final: true, Comp: wasm.CompType{Kind: wasm.CompFunc, Func: wasm.FuncType{Params: params, Results: results}}}
}

// mod builds a module with one function of type params -> results, the
// given locals and body (the final end is appended).
func mod(params, results []wasm.ValType, locals []wasm.LocalDecl, body ...byte) *wasm.Module {
	return &wasm.Module{
		Types: []wasm.SubType{functype(params, results)},
		Funcs: []uint32{0},
		Code:  []wasm.Code{{Locals: locals, Body: append(body, end), BodyOffset: -1}},
	}
}

// with applies changes to a module.
func with(m *wasm.Module, f func(m *wasm.Module)) *wasm.Module {
	f(m)
	return m
}

func withMem(m *wasm.Module) *wasm.Module {
	m.Memories = append(m.Memories, wasm.MemoryType{Limits: wasm.Limits{Min: 1}})
	return m
}

func withTable(m *wasm.Module) *wasm.Module {
	m.Tables = append(m.Tables, wasm.Table{Type: wasm.TableType{Elem: wasm.FuncRef, Limits: wasm.Limits{Min: 1}}})
	return m
}

func ts(t ...wasm.ValType) []wasm.ValType { return t }

func i32c(v byte) []byte { return []byte{i32Const, v} }

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// moduleTest is a module with its expected validation outcome.
type moduleTest struct {
	name string
	m    *wasm.Module
	opt  Options
	want string // substring of the error, "" when valid
}

func moduleTests() []moduleTest {
	constI32 := wasm.Expr{i32Const, 0, end}
	return []moduleTest{
		{"empty", &wasm.Module{}, Options{}, ""},
		{"add", mod(ts(i32, i32), ts(i32), nil, localGet, 0, localGet, 1, i32Add), Options{}, ""},
		{"add mismatch", mod(ts(i32, f64), ts(i32), nil, localGet, 0, localGet, 1, i32Add), Options{}, "type mismatch: expected i32, got f64"},
		{"empty stack", mod(nil, ts(i32), nil), Options{}, "type mismatch"},
		{"extra value", mod(nil, nil, nil, i32Const, 1), Options{}, "type mismatch"},
		{"unknown local", mod(ts(i32), nil, nil, localGet, 1, drop), Options{}, "unknown local"},
		{"locals", mod(ts(i32), ts(i64), []wasm.LocalDecl{{Count: 2, Type: f32}, {Count: 1, Type: i64}}, localGet, 3), Options{}, ""},
		{"local set", mod(nil, nil, []wasm.LocalDecl{{Count: 1, Type: f32}}, i32Const, 0, localSet, 0), Options{}, "type mismatch"},
		{"local tee", mod(nil, ts(f32), []wasm.LocalDecl{{Count: 1, Type: f32}}, f32Const, 0, 0, 0, 0, localTee, 0), Options{}, ""},
		{"block", mod(nil, ts(i32), nil, block, tI32, i32Const, 1, end), Options{}, ""},
		{"block mismatch", mod(nil, ts(i32), nil, block, tI64, i32Const, 1, end, drop, i32Const, 0), Options{}, "type mismatch"},
		{"block type index", with(mod(nil, ts(i32), nil, i32Const, 1, block, 1, i32Const, 2, i32Add, end), func(m *wasm.Module) {
			m.Types = append(m.Types, functype(ts(i32), ts(i32)))
		}), Options{}, ""},
		{"block unknown type", mod(nil, nil, nil, block, 5, end), Options{}, "unknown type"},
		{"loop br", mod(nil, nil, nil, loop, tEmpty, br, 0, end), Options{}, ""},
		{"unknown label", mod(nil, nil, nil, block, tEmpty, br, 2, end), Options{}, "unknown label"},
		{"br value", mod(nil, ts(i32), nil, block, tI32, i32Const, 1, br, 0, end), Options{}, ""},
		{"br missing value", mod(nil, ts(i32), nil, block, tI32, br, 0, end), Options{}, "type mismatch"},
		{"br_if", mod(nil, ts(i32), nil, block, tI32, i32Const, 1, i32Const, 0, brIf, 0, end), Options{}, ""},
		{"br_table", mod(ts(i32), ts(i32), nil, block, tI32, block, tI32, i32Const, 7, localGet, 0, brTable, 1, 0, 1, end, end), Options{}, ""},
		{"br_table arity", mod(ts(i32), nil, nil, block, tEmpty, block, tI32, i32Const, 7, localGet, 0, brTable, 1, 0, 1, end, drop, end), Options{}, "type mismatch"},
		{"br_table unreachable", mod(nil, nil, nil, block, tF32, block, tI32, unreachable, brTable, 1, 0, 1, unreachable, end, drop, end, drop), Options{}, "type mismatch"},
		{"br_table unreachable ok", mod(nil, nil, nil, block, tI32, block, tI32, unreachable, brTable, 1, 0, 1, end, drop, i32Const, 0, end, drop), Options{}, ""},
		{"unreachable", mod(nil, ts(i32), nil, unreachable, i32Add), Options{}, ""},
		{"unreachable mismatch", mod(nil, ts(i32), nil, unreachable, i64Const, 0, i32Add), Options{}, "type mismatch"},
		{"return", mod(nil, ts(i32), nil, i32Const, 0, ret, f32Const, 0, 0, 0, 0), Options{}, "type mismatch"},
		{"if else", mod(ts(i32), ts(i32), nil, localGet, 0, ifOp, tI32, i32Const, 1, elseOp, i32Const, 2, end), Options{}, ""},
		{"if no else", mod(ts(i32), ts(i32), nil, localGet, 0, ifOp, tI32, i32Const, 1, end), Options{}, "type mismatch"},
		{"if params", with(mod(ts(i32), ts(i32), nil, i32Const, 3, localGet, 0, ifOp, 1, end), func(m *wasm.Module) {
			m.Types = append(m.Types, functype(ts(i32), ts(i32)))
		}), Options{}, ""},
		{"else without if", mod(nil, nil, nil, block, tEmpty, elseOp, end), Options{}, "else"},
		{"missing end", &wasm.Module{Types: []wasm.SubType{functype(nil, nil)}, Funcs: []uint32{0}, Code: []wasm.Code{{Body: []byte{nop}, BodyOffset: -1}}}, Options{}, "END opcode expected"},
		{"after end", &wasm.Module{Types: []wasm.SubType{functype(nil, nil)}, Funcs: []uint32{0}, Code: []wasm.Code{{Body: []byte{end, nop}, BodyOffset: -1}}}, Options{}, "after end"},
		{"call", with(mod(nil, ts(i32), nil, i32Const, 1, call, 0), func(m *wasm.Module) {
			m.Types = append(m.Types, functype(ts(i32), ts(i32)))
			m.Imports = []wasm.Import{{Module: "m", Name: "f", Kind: wasm.ExternFunc, Func: 1}}
		}), Options{}, ""},
		{"unknown function", mod(nil, nil, nil, call, 3), Options{}, "unknown function"},
		{"call_indirect", withTable(mod(nil, nil, nil, i32Const, 0, callIndirect, 0, 0)), Options{}, ""},
		{"call_indirect no table", mod(nil, nil, nil, i32Const, 0, callIndirect, 0, 0), Options{}, "unknown table"},
		{"call_indirect bad type", withTable(mod(nil, nil, nil, i32Const, 0, callIndirect, 4, 0)), Options{}, "unknown type"},
		{"return_call", mod(nil, nil, nil, returnCall, 0), Options{}, ""},
		{"return_call mismatch", with(mod(nil, nil, nil, returnCall, 1), func(m *wasm.Module) {
			m.Types = append(m.Types, functype(nil, ts(i32)))
			m.Funcs = append(m.Funcs, 1)
			m.Code = append(m.Code, wasm.Code{Body: []byte{i32Const, 0, end}, BodyOffset: -1})
		}), Options{}, "type mismatch"},
		{"select", mod(nil, ts(f64), nil, f64Const, 0, 0, 0, 0, 0, 0, 0, 0, f64Const, 0, 0, 0, 0, 0, 0, 0, 0, i32Const, 1, sel), Options{}, ""},
		{"select mismatch", mod(nil, ts(i32), nil, i32Const, 0, i64Const, 0, i32Const, 1, sel), Options{}, "type mismatch"},
		{"select ref", mod(nil, nil, nil, refNull, tFuncRef, refNull, tFuncRef, i32Const, 1, sel, drop), Options{}, "type mismatch"},
		{"select unreachable", mod(nil, ts(i32), nil, unreachable, sel), Options{}, ""},
		{"select unreachable ref", mod(nil, nil, nil, unreachable, refNull, tFuncRef, i32Const, 1, sel, drop), Options{}, "type mismatch"},
		{"select typed", mod(nil, nil, nil, refNull, tFuncRef, refNull, tFuncRef, i32Const, 1, selT, 1, tFuncRef, drop), Options{}, ""},
		{"select typed arity", mod(nil, nil, nil, i32Const, 0, i32Const, 0, i32Const, 1, selT, 2, tI32, tI32, drop), Options{}, "invalid result arity"},
		{"global", with(mod(nil, ts(i32), nil, globalGet, 0), func(m *wasm.Module) {
			m.Globals = []wasm.Global{{Type: wasm.GlobalType{Type: i32}, Init: constI32}}
		}), Options{}, ""},
		{"unknown global", mod(nil, ts(i32), nil, globalGet, 0), Options{}, "unknown global"},
		{"global immutable", with(mod(nil, nil, nil, i32Const, 0, globalSet, 0), func(m *wasm.Module) {
			m.Globals = []wasm.Global{{Type: wasm.GlobalType{Type: i32}, Init: constI32}}
		}), Options{}, "global is immutable"},
		{"global init type", &wasm.Module{Globals: []wasm.Global{{Type: wasm.GlobalType{Type: i64}, Init: constI32}}}, Options{}, "type mismatch"},
		{"global init not const", &wasm.Module{Globals: []wasm.Global{{Type: wasm.GlobalType{Type: i32}, Init: wasm.Expr{i32Const, 0, i32Const, 0, i32Add, end}}}}, Options{}, "constant expression required"},
		{"global init extended", &wasm.Module{Globals: []wasm.Global{{Type: wasm.GlobalType{Type: i32}, Init: wasm.Expr{i32Const, 0, i32Const, 0, i32Add, end}}}}, Options{Features: wasm.ExtendedConst}, ""},
		{"global init local global", &wasm.Module{Globals: []wasm.Global{
			{Type: wasm.GlobalType{Type: i32}, Init: constI32},
			{Type: wasm.GlobalType{Type: i32}, Init: wasm.Expr{globalGet, 0, end}},
		}}, Options{}, "unknown global"},
		{"global init local global 3.0", &wasm.Module{Globals: []wasm.Global{
			{Type: wasm.GlobalType{Type: i32}, Init: constI32},
			{Type: wasm.GlobalType{Type: i32}, Init: wasm.Expr{globalGet, 0, end}},
		}}, Options{Features: wasm.GlobalsInConst}, ""},
		{"global init imported", &wasm.Module{
			Imports: []wasm.Import{{Module: "m", Name: "g", Kind: wasm.ExternGlobal, Global: wasm.GlobalType{Type: i32}}},
			Globals: []wasm.Global{{Type: wasm.GlobalType{Type: i32}, Init: wasm.Expr{globalGet, 0, end}}},
		}, Options{}, ""},
		{"global init mutable import", &wasm.Module{
			Imports: []wasm.Import{{Module: "m", Name: "g", Kind: wasm.ExternGlobal, Global: wasm.GlobalType{Type: i32, Mutable: true}}},
			Globals: []wasm.Global{{Type: wasm.GlobalType{Type: i32}, Init: wasm.Expr{globalGet, 0, end}}},
		}, Options{}, "constant expression required"},
		{"global init empty", &wasm.Module{Globals: []wasm.Global{{Type: wasm.GlobalType{Type: i32}, Init: wasm.Expr{end}}}}, Options{}, "type mismatch"},
		{"load", withMem(mod(nil, ts(i32), nil, i32Const, 0, i32Load, 2, 0)), Options{}, ""},
		{"load no memory", mod(nil, ts(i32), nil, i32Const, 0, i32Load, 2, 0), Options{}, "unknown memory"},
		{"load align", withMem(mod(nil, ts(i32), nil, i32Const, 0, i32Load, 3, 0)), Options{}, "alignment must not be larger than natural"},
		{"load64", with(mod(nil, ts(i64), nil, i64Const, 0, i64Load, 3, 0), func(m *wasm.Module) {
			m.Memories = []wasm.MemoryType{{Is64: true}}
		}), Options{}, ""},
		{"load64 i32 address", with(mod(nil, ts(i64), nil, i32Const, 0, i64Load, 3, 0), func(m *wasm.Module) {
			m.Memories = []wasm.MemoryType{{Is64: true}}
		}), Options{}, "type mismatch"},
		{"memory.size 64", with(mod(nil, ts(i64), nil, memorySize, 0), func(m *wasm.Module) {
			m.Memories = []wasm.MemoryType{{Is64: true}}
		}), Options{}, ""},
		{"store", withMem(mod(nil, nil, nil, i32Const, 0, i32Const, 0, i32Store, 2, 0)), Options{}, ""},
		{"multi memory", with(mod(nil, ts(i32), nil, i32Const, 0, i32Load, 0x42, 1, 0), func(m *wasm.Module) {
			m.Memories = []wasm.MemoryType{{}, {}}
		}), Options{Features: wasm.MultiMemory}, ""},
		{"multiple memories", &wasm.Module{Memories: []wasm.MemoryType{{}, {}}}, Options{}, "multiple memories"},
		{"memory.grow", withMem(mod(nil, ts(i32), nil, i32Const, 0, memoryGrow, 0)), Options{}, ""},
		{"memory limits", &wasm.Module{Memories: []wasm.MemoryType{{Limits: wasm.Limits{Min: 2, Max: 1, HasMax: true}}}}, Options{}, "size minimum must not be greater than maximum"},
		{"memory size", &wasm.Module{Memories: []wasm.MemoryType{{Limits: wasm.Limits{Min: 65537}}}}, Options{}, "memory size must be at most 65536 pages (4GiB)"},
		{"table limits", &wasm.Module{Tables: []wasm.Table{{Type: wasm.TableType{Elem: wasm.FuncRef, Limits: wasm.Limits{Min: 2, Max: 1, HasMax: true}}}}}, Options{}, "size minimum must not be greater than maximum"},
		{"memory.init", with(withMem(mod(nil, nil, nil, i32Const, 0, i32Const, 0, i32Const, 0, fc, 8, 0, 0)), func(m *wasm.Module) {
			m.Data = []wasm.Data{{Mode: wasm.SegmentPassive}}
			m.HasDataCnt, m.DataCount = true, 1
		}), Options{}, ""},
		{"memory.init unknown data", with(withMem(mod(nil, nil, nil, i32Const, 0, i32Const, 0, i32Const, 0, fc, 8, 1, 0)), func(m *wasm.Module) {
			m.Data = []wasm.Data{{Mode: wasm.SegmentPassive}}
			m.HasDataCnt, m.DataCount = true, 1
		}), Options{}, "unknown data segment"},
		{"data.drop needs count", with(mod(nil, nil, nil, fc, 9, 0), func(m *wasm.Module) {
			m.Data = []wasm.Data{{Mode: wasm.SegmentPassive}}
			m.Code[0].BodyOffset = 100
		}), Options{}, "data count section required"},
		{"data memory", &wasm.Module{Data: []wasm.Data{{Mode: wasm.SegmentActive, Offset: constI32}}}, Options{}, "unknown memory"},
		{"data offset type", withMem(&wasm.Module{Data: []wasm.Data{{Mode: wasm.SegmentActive, Offset: wasm.Expr{i64Const, 0, end}}}}), Options{}, "type mismatch"},
		{"elem", withTable(&wasm.Module{Types: []wasm.SubType{functype(nil, nil)}, Funcs: []uint32{0}, Code: []wasm.Code{{Body: []byte{end}, BodyOffset: -1}},
			Elems: []wasm.Elem{{Mode: wasm.SegmentActive, Offset: constI32, Type: wasm.FuncRef, Indices: []uint32{0}}}}), Options{}, ""},
		{"elem unknown func", withTable(&wasm.Module{Elems: []wasm.Elem{{Mode: wasm.SegmentActive, Offset: constI32, Type: wasm.FuncRef, Indices: []uint32{0}}}}), Options{}, "unknown function"},
		{"elem unknown table", &wasm.Module{Elems: []wasm.Elem{{Mode: wasm.SegmentActive, Offset: constI32, Type: wasm.FuncRef, Indices: []uint32{}}}}, Options{}, "unknown table"},
		{"elem table type", withTable(&wasm.Module{Elems: []wasm.Elem{{Mode: wasm.SegmentActive, Offset: constI32, Type: wasm.ExternRef, Exprs: []wasm.Expr{}}}}), Options{}, "type mismatch"},
		{"elem expr type", &wasm.Module{Elems: []wasm.Elem{{Mode: wasm.SegmentPassive, Type: wasm.ExternRef, Exprs: []wasm.Expr{{refNull, tFuncRef, end}}}}}, Options{}, "type mismatch"},
		{"table.init", withTable(with(mod(nil, nil, nil, i32Const, 0, i32Const, 0, i32Const, 0, fc, 12, 0, 0), func(m *wasm.Module) {
			m.Elems = []wasm.Elem{{Mode: wasm.SegmentPassive, Type: wasm.FuncRef, Indices: []uint32{}}}
		})), Options{}, ""},
		{"table.init unknown elem", withTable(mod(nil, nil, nil, i32Const, 0, i32Const, 0, i32Const, 0, fc, 12, 0, 0)), Options{}, "unknown elem segment"},
		{"elem.drop", mod(nil, nil, nil, fc, 13, 0), Options{}, "unknown elem segment"},
		{"table.get", withTable(mod(nil, ts(wasm.FuncRef), nil, i32Const, 0, tableGet, 0)), Options{}, ""},
		{"table.get unknown", mod(nil, ts(wasm.FuncRef), nil, i32Const, 0, tableGet, 0), Options{}, "unknown table"},
		{"table.copy types", with(mod(nil, nil, nil, i32Const, 0, i32Const, 0, i32Const, 0, fc, 14, 0, 1), func(m *wasm.Module) {
			m.Tables = []wasm.Table{{Type: wasm.TableType{Elem: wasm.FuncRef}}, {Type: wasm.TableType{Elem: wasm.ExternRef}}}
		}), Options{}, "type mismatch"},
		{"ref.func undeclared", mod(nil, nil, nil, refFunc, 0, drop), Options{}, "undeclared function reference"},
		{"ref.func exported", with(mod(nil, nil, nil, refFunc, 0, drop), func(m *wasm.Module) {
			m.Exports = []wasm.Export{{Name: "f", Kind: wasm.ExternFunc}}
		}), Options{}, ""},
		{"ref.func in global", with(mod(nil, nil, nil, refFunc, 0, drop), func(m *wasm.Module) {
			m.Globals = []wasm.Global{{Type: wasm.GlobalType{Type: wasm.FuncRef}, Init: wasm.Expr{refFunc, 0, end}}}
		}), Options{}, ""},
		{"ref.is_null", mod(nil, ts(i32), nil, refNull, tExternRef, refIsNull), Options{}, ""},
		{"ref.is_null num", mod(nil, ts(i32), nil, i32Const, 0, refIsNull), Options{}, "type mismatch"},
		{"ref.null bad", mod(nil, nil, nil, refNull, 7, drop), Options{}, "unknown type"},
		{"funcref to externref", mod(nil, ts(wasm.ExternRef), nil, refNull, tFuncRef), Options{}, "type mismatch"},
		{"duplicate export", with(mod(nil, nil, nil), func(m *wasm.Module) {
			m.Exports = []wasm.Export{{Name: "f", Kind: wasm.ExternFunc}, {Name: "f", Kind: wasm.ExternFunc}}
		}), Options{}, "duplicate export name"},
		{"export unknown memory", &wasm.Module{Exports: []wasm.Export{{Name: "m", Kind: wasm.ExternMemory}}}, Options{}, "unknown memory"},
		{"start", with(mod(nil, nil, nil), func(m *wasm.Module) { m.HasStart = true }), Options{}, ""},
		{"start type", with(mod(nil, ts(i32), nil, i32Const, 0), func(m *wasm.Module) { m.HasStart = true }), Options{}, "start function"},
		{"start unknown", with(mod(nil, nil, nil), func(m *wasm.Module) { m.HasStart, m.Start = true, 1 }), Options{}, "unknown function"},
		{"import unknown type", &wasm.Module{Imports: []wasm.Import{{Kind: wasm.ExternFunc, Func: 0}}}, Options{}, "unknown type"},
		{"lane", mod(nil, ts(i32), nil, fd, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, fd, 0x15, 15), Options{}, ""},
		{"lane index", mod(nil, ts(i32), nil, fd, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, fd, 0x1B, 4), Options{}, "invalid lane index"},
		{"shuffle", mod(nil, ts(wasm.V128), nil, cat(
			[]byte{fd, 0x0C}, make([]byte, 16), []byte{fd, 0x0C}, make([]byte, 16),
			[]byte{fd, 0x0D, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 32})...), Options{}, "invalid lane index"},
		{"load lane", withMem(mod(nil, ts(wasm.V128), nil, cat(i32c(0), []byte{fd, 0x0C}, make([]byte, 16), []byte{fd, 0x55, 1, 0, 8})...)), Options{}, "invalid lane index"},
		{"func type unknown", &wasm.Module{Funcs: []uint32{0}, Code: []wasm.Code{{Body: []byte{end}}}}, Options{}, "unknown type"},
		{"code count", &wasm.Module{Types: []wasm.SubType{functype(nil, nil)}, Funcs: []uint32{0}}, Options{}, "inconsistent lengths"},
		{"many locals", mod(nil, ts(i64), []wasm.LocalDecl{{Count: 1 << 20, Type: i32}, {Count: 5, Type: i64}}, localGet, 0x84, 0x80, 0x40, localGet, 0xFF, 0xFF, 0x3F, drop), Options{}, ""},
		{"many locals unknown", mod(nil, nil, []wasm.LocalDecl{{Count: 1 << 20, Type: i32}}, localGet, 0x80, 0x80, 0x40, drop), Options{}, "unknown local"},
		{"too many locals", mod(nil, nil, []wasm.LocalDecl{{Count: 1<<32 - 1, Type: i32}, {Count: 2, Type: i32}}), Options{}, "too many locals"},
		{"nested unreachable", mod(nil, ts(i32), nil, block, tI32, unreachable, end), Options{}, ""},
		{"unreachable then end extra", mod(nil, nil, nil, unreachable, i32Const, 0), Options{}, "type mismatch"},
		{"illegal opcode", mod(nil, nil, nil, 0xFF), Options{}, "illegal opcode"},
	}
}

func TestModule(t *testing.T) {
	for _, tt := range moduleTests() {
		t.Run(tt.name, func(t *testing.T) {
			err := ModuleOptions(tt.m, tt.opt)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			var ve *Error
			if !errors.As(err, &ve) {
				t.Fatalf("error %T is not a *Error: %v", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	m := mod(ts(f64), ts(i32), nil, localGet, 0)
	m.Imports = []wasm.Import{{Module: "a", Name: "b", Kind: wasm.ExternFunc, Func: 0}}
	m.Code[0].BodyOffset = 0x1a20
	err := Module(m)
	want := "validate: function 1, offset 0x1a22: type mismatch: expected i32, got f64"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	ve := err.(*Error)
	if ve.Func != 1 || ve.Offset != 0x1a22 {
		t.Fatalf("got Func %d Offset %#x", ve.Func, ve.Offset)
	}
	// Without a binary offset, offsets are within the body.
	m.Code[0].BodyOffset = -1
	if err := Module(m).(*Error); err.Offset != 2 {
		t.Fatalf("body-relative offset = %d, want 2", err.Offset)
	}
	if got := (&Error{Func: -1, Offset: -1, Msg: "x"}).Error(); got != "validate: x" {
		t.Fatalf("module-level error = %q", got)
	}
}

func TestSubtyping(t *testing.T) {
	m := &wasm.Module{Types: []wasm.SubType{
		functype(nil, nil),
		{Comp: wasm.CompType{Kind: wasm.CompStruct}},
		{Supers: []uint32{1}, Comp: wasm.CompType{Kind: wasm.CompStruct}},
		{Comp: wasm.CompType{Kind: wasm.CompArray}},
	}}
	v := newValidator(m, Options{})
	ref := func(null bool, k wasm.HeapKind, idx uint32) wasm.ValType {
		return wasm.RefType(null, wasm.HeapType{Kind: k, Index: idx})
	}
	tests := []struct {
		a, b wasm.ValType
		want bool
	}{
		{i32, i32, true},
		{i32, i64, false},
		{wasm.ValType{}, i64, true},
		{wasm.FuncRef, wasm.FuncRef, true},
		{wasm.FuncRef, wasm.ExternRef, false},
		{ref(false, wasm.HeapFunc, 0), wasm.FuncRef, true},
		{wasm.FuncRef, ref(false, wasm.HeapFunc, 0), false},
		{ref(true, wasm.HeapNoFunc, 0), wasm.FuncRef, true},
		{ref(true, wasm.HeapNoFunc, 0), wasm.ExternRef, false},
		{ref(true, wasm.HeapIndex, 0), wasm.FuncRef, true},
		{ref(true, wasm.HeapIndex, 0), ref(true, wasm.HeapAny, 0), false},
		{ref(true, wasm.HeapIndex, 1), ref(true, wasm.HeapEq, 0), true},
		{ref(true, wasm.HeapIndex, 1), ref(true, wasm.HeapStruct, 0), true},
		{ref(true, wasm.HeapIndex, 3), ref(true, wasm.HeapStruct, 0), false},
		{ref(true, wasm.HeapIndex, 3), ref(true, wasm.HeapArray, 0), true},
		{ref(true, wasm.HeapIndex, 2), ref(true, wasm.HeapIndex, 1), true},
		{ref(true, wasm.HeapIndex, 1), ref(true, wasm.HeapIndex, 2), false},
		{ref(true, wasm.HeapNone, 0), ref(true, wasm.HeapIndex, 2), true},
		{ref(true, wasm.HeapI31, 0), ref(true, wasm.HeapAny, 0), true},
		{ref(true, wasm.HeapNoExn, 0), wasm.ExnRef, true},
		{ref(true, wasm.HeapIndex, 9), wasm.FuncRef, false},
	}
	for _, tt := range tests {
		if got := v.matches(tt.a, tt.b); got != tt.want {
			t.Errorf("matches(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
