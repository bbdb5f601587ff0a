package validate

import (
	"strings"
	"testing"

	"github.com/gowasm/gowasm/wasm"
)

func structType(fields ...wasm.FieldType) wasm.SubType {
	return wasm.SubType{Final: true, Comp: wasm.CompType{Kind: wasm.CompStruct, Fields: fields}}
}

// wasm3Test is a module with its expected outcome under wasm.Wasm3.
type wasm3Test struct {
	name string
	m    *wasm.Module
	want string
}

func wasm3Tests() []wasm3Test {
	const (
		throw      = 0x08
		throwRef   = 0x0A
		callRef    = 0x14
		tryTable   = 0x1F
		asNonNull  = 0xD4
		brOnNull   = 0xD5
		gc         = 0xFB
		structNew  = 0x00
		structGet  = 0x02
		structSet  = 0x05
		refI31     = 0x1C
		i31GetS    = 0x1D
		catchPlain = 0x00
	)
	nonNullFunc := wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapFunc})
	ref0 := wasm.RefType(true, wasm.HeapType{Kind: wasm.HeapIndex, Index: 0})
	exported := func(m *wasm.Module) *wasm.Module {
		m.Exports = append(m.Exports, wasm.Export{Name: "f", Kind: wasm.ExternFunc, Index: 0})
		return m
	}
	withStruct := func(mutable bool) func(m *wasm.Module) {
		return func(m *wasm.Module) {
			m.Types = append(m.Types, structType(wasm.FieldType{Storage: wasm.StorageType{Val: i32}, Mutable: mutable}))
		}
	}
	return []wasm3Test{
		{"call_ref", exported(mod(nil, nil, nil, refFunc, 0, callRef, 0)), ""},
		{"call_ref wrong type", exported(with(mod(nil, nil, nil, refFunc, 0, callRef, 1), func(m *wasm.Module) {
			m.Types = append(m.Types, functype(ts(i32), nil))
		})), "type mismatch"},
		{"ref.func typed", exported(mod(nil, ts(nonNullFunc), nil, refFunc, 0)), ""},
		{"ref.func typed concrete", exported(mod(nil, ts(wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapIndex})), nil, refFunc, 0)), ""},
		{"ref.as_non_null", mod(nil, ts(nonNullFunc), nil, refNull, tFuncRef, asNonNull), ""},
		{"nullable result", mod(nil, ts(nonNullFunc), nil, refNull, tFuncRef), "type mismatch"},
		{"br_on_null", mod(nil, ts(nonNullFunc), nil, block, tEmpty, refNull, tFuncRef, brOnNull, 0, ret, end, unreachable), ""},
		{"uninitialized local", mod(nil, nil, []wasm.LocalDecl{{Count: 1, Type: nonNullFunc}}, localGet, 0, drop), "uninitialized local"},
		{"initialized local", exported(mod(nil, nil, []wasm.LocalDecl{{Count: 1, Type: nonNullFunc}}, refFunc, 0, localSet, 0, localGet, 0, drop)), ""},
		{"local init scoped", exported(mod(nil, nil, []wasm.LocalDecl{{Count: 1, Type: nonNullFunc}},
			block, tEmpty, refFunc, 0, localSet, 0, end, localGet, 0, drop)), "uninitialized local"},
		{"throw", with(mod(nil, nil, nil, i32Const, 1, throw, 0), func(m *wasm.Module) {
			m.Types = append(m.Types, functype(ts(i32), nil))
			m.Tags = []wasm.Tag{{Type: 1}}
		}), ""},
		{"throw unknown tag", mod(nil, nil, nil, throw, 0), "unknown tag"},
		{"tag results", with(mod(nil, nil, nil), func(m *wasm.Module) {
			m.Types = append(m.Types, functype(nil, ts(i32)))
			m.Tags = []wasm.Tag{{Type: 1}}
		}), "non-empty tag result type"},
		{"try_table catch", with(mod(nil, ts(i32), nil, block, tI32, tryTable, tEmpty, 1, catchPlain, 0, 0, end, unreachable, end), func(m *wasm.Module) {
			m.Types = append(m.Types, functype(ts(i32), nil))
			m.Tags = []wasm.Tag{{Type: 1}}
		}), ""},
		{"try_table catch mismatch", with(mod(nil, ts(i64), nil, block, tI64, tryTable, tEmpty, 1, catchPlain, 0, 0, end, unreachable, end), func(m *wasm.Module) {
			m.Types = append(m.Types, functype(ts(i32), nil))
			m.Tags = []wasm.Tag{{Type: 1}}
		}), "type mismatch"},
		{"legacy try catch", with(mod(nil, ts(i32), nil, 0x06, tI32, i32Const, 1, 0x07, 0, 0x19, i32Const, 2, end), func(m *wasm.Module) {
			m.Types = append(m.Types, functype(ts(i32), nil))
			m.Tags = []wasm.Tag{{Type: 1}}
		}), ""},
		{"legacy catch mismatch", with(mod(nil, ts(i64), nil, 0x06, tI64, i64Const, 1, 0x07, 0, end), func(m *wasm.Module) {
			m.Types = append(m.Types, functype(ts(i32), nil))
			m.Tags = []wasm.Tag{{Type: 1}}
		}), "type mismatch"},
		{"legacy rethrow", mod(nil, nil, nil, 0x06, tEmpty, 0x19, 0x09, 0, end), ""},
		{"legacy rethrow label", mod(nil, nil, nil, 0x06, tEmpty, 0x19, block, tEmpty, 0x09, 0, end, end), "invalid rethrow label"},
		{"legacy delegate", mod(nil, nil, nil, block, tEmpty, 0x06, tEmpty, 0x18, 0, end), ""},
		{"legacy delegate label", mod(nil, nil, nil, 0x06, tEmpty, 0x18, 1), "unknown label"},
		{"legacy catch after catch_all", mod(nil, nil, nil, 0x06, tEmpty, 0x19, 0x19, end), "without matching try"},
		{"throw_ref", mod(nil, nil, nil, refNull, 0x69, throwRef), ""},
		{"struct", with(mod(nil, ts(i32), nil, i32Const, 5, gc, structNew, 1, gc, structGet, 1, 0), withStruct(false)), ""},
		{"struct.set immutable", with(mod(nil, nil, nil, i32Const, 5, gc, structNew, 1, i32Const, 1, gc, structSet, 1, 0), withStruct(false)), "immutable field"},
		{"struct.set", with(mod(nil, nil, nil, i32Const, 5, gc, structNew, 1, i32Const, 1, gc, structSet, 1, 0), withStruct(true)), ""},
		{"struct unknown field", with(mod(nil, ts(i32), nil, i32Const, 5, gc, structNew, 1, gc, structGet, 1, 1), withStruct(false)), "unknown field"},
		{"struct.new not a struct", mod(nil, nil, nil, gc, structNew, 0, drop), "type mismatch"},
		{"i31", mod(nil, ts(i32), nil, i32Const, 1, gc, refI31, gc, i31GetS), ""},
		{"const extended", &wasm.Module{Globals: []wasm.Global{{Type: wasm.GlobalType{Type: i32}, Init: wasm.Expr{i32Const, 1, i32Const, 2, i32Add, end}}}}, ""},
		{"const gc", &wasm.Module{Globals: []wasm.Global{{Type: wasm.GlobalType{Type: wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapI31})}, Init: wasm.Expr{i32Const, 1, gc, refI31, end}}}}, ""},
		{"multi memory", &wasm.Module{Memories: []wasm.MemoryType{{}, {}}}, ""},
		{"equivalent types", &wasm.Module{
			Types: []wasm.SubType{functype(nil, nil), functype(nil, nil), functype(nil, ts(ref0))},
			Funcs: []uint32{2},
			Code:  []wasm.Code{{Body: []byte{refNull, 1, end}, BodyOffset: -1}},
		}, ""},
		{"distinct types", &wasm.Module{
			Types: []wasm.SubType{functype(nil, nil), functype(ts(i32), nil), functype(nil, ts(ref0))},
			Funcs: []uint32{2},
			Code:  []wasm.Code{{Body: []byte{refNull, 1, end}, BodyOffset: -1}},
		}, "type mismatch"},
		{"sub type of final", &wasm.Module{Types: []wasm.SubType{
			structType(), {Supers: []uint32{0}, Comp: wasm.CompType{Kind: wasm.CompStruct}},
		}}, "sub type"},
		{"sub type mismatch", &wasm.Module{Types: []wasm.SubType{
			{Comp: wasm.CompType{Kind: wasm.CompStruct, Fields: []wasm.FieldType{{Storage: wasm.StorageType{Val: i32}}}}},
			{Supers: []uint32{0}, Comp: wasm.CompType{Kind: wasm.CompStruct, Fields: []wasm.FieldType{{Storage: wasm.StorageType{Val: i64}}}}},
		}}, "sub type"},
		{"sub type ok", &wasm.Module{Types: []wasm.SubType{
			{Comp: wasm.CompType{Kind: wasm.CompStruct, Fields: []wasm.FieldType{{Storage: wasm.StorageType{Val: i32}}}}},
			{Supers: []uint32{0}, Comp: wasm.CompType{Kind: wasm.CompStruct, Fields: []wasm.FieldType{{Storage: wasm.StorageType{Val: i32}}, {Storage: wasm.StorageType{Val: i64}}}}},
		}}, ""},
		{"forward type reference", &wasm.Module{Types: []wasm.SubType{functype(ts(wasm.RefType(true, wasm.HeapType{Kind: wasm.HeapIndex, Index: 1})), nil), functype(nil, nil)}}, "unknown type"},
		{"recursive group", &wasm.Module{
			Types:     []wasm.SubType{functype(ts(wasm.RefType(true, wasm.HeapType{Kind: wasm.HeapIndex, Index: 1})), nil), functype(ts(ref0), nil)},
			RecGroups: []wasm.RecGroup{{First: 0, Count: 2}},
		}, ""},
		{"table64", with(mod(nil, ts(wasm.FuncRef), nil, i64Const, 0, tableGet, 0), func(m *wasm.Module) {
			m.Tables = []wasm.Table{{Type: wasm.TableType{Elem: wasm.FuncRef, Is64: true}}}
		}), ""},
		{"non-nullable table needs init", &wasm.Module{Tables: []wasm.Table{{Type: wasm.TableType{Elem: nonNullFunc}}}}, "type mismatch"},
	}
}

// TestWasm3 covers the Wasm 3.0 instructions and rules (Options wasm.Wasm3).
func TestWasm3(t *testing.T) {
	for _, tt := range wasm3Tests() {
		t.Run(tt.name, func(t *testing.T) {
			err := ModuleOptions(tt.m, Options{Features: wasm.Wasm3})
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("no error, want %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}
