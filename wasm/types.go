// Package wasm defines the abstract syntax of core WebAssembly modules: value,
// reference, function, table, memory and global types, the module structure
// and the instruction set (opcodes, mnemonics, immediates and simple
// signatures).
//
// It is shared by the binary decoder and encoder (package binary), the text
// format (package text), the validator (package validate) and the
// interpreter (package interp). It holds no behaviour beyond small helpers.
//
// The structures are shaped for Wasm 3.0 from the start: every memory and
// table access carries an index (multi-memory), limits are 64-bit
// (memory64, table64), reference types carry a heap type that may name a
// defined type (typed function references, GC), and the type section is a
// list of recursion groups of sub types (GC).
package wasm

import (
	"fmt"
	"slices"
	"strings"
)

// ValKind classifies a value type. The numbering follows the binary
// encoding's type codes for the number and vector types.
type ValKind byte

// The value kinds.
const (
	KindI32  ValKind = 0x7F
	KindI64  ValKind = 0x7E
	KindF32  ValKind = 0x7D
	KindF64  ValKind = 0x7C
	KindV128 ValKind = 0x7B
	KindRef  ValKind = 0x64
	// KindBot is the bottom type used by the validator for unknown operands
	// of unreachable code. It never appears in a module.
	KindBot ValKind = 0x00
)

// HeapKind classifies a heap type: either an abstract heap type or a
// reference to a defined type by index (HeapIndex).
type HeapKind byte

// The heap kinds. The abstract ones use their binary type codes.
const (
	HeapIndex    HeapKind = 0x00 // a concrete type, ValType.Heap.Index
	HeapExn      HeapKind = 0x69
	HeapArray    HeapKind = 0x6A
	HeapStruct   HeapKind = 0x6B
	HeapI31      HeapKind = 0x6C
	HeapEq       HeapKind = 0x6D
	HeapAny      HeapKind = 0x6E
	HeapExtern   HeapKind = 0x6F
	HeapFunc     HeapKind = 0x70
	HeapNone     HeapKind = 0x71
	HeapNoExtern HeapKind = 0x72
	HeapNoFunc   HeapKind = 0x73
	HeapNoExn    HeapKind = 0x74
)

// Top returns the top of the heap type hierarchy (any, func, extern or
// exn) that the abstract heap type kind k belongs to, and false for
// HeapIndex (see CompKind.Top) or an unknown kind.
func (k HeapKind) Top() (HeapKind, bool) {
	switch k {
	case HeapAny, HeapEq, HeapI31, HeapStruct, HeapArray, HeapNone:
		return HeapAny, true
	case HeapFunc, HeapNoFunc:
		return HeapFunc, true
	case HeapExtern, HeapNoExtern:
		return HeapExtern, true
	case HeapExn, HeapNoExn:
		return HeapExn, true
	}
	return 0, false
}

// HeapType is the type of the object a reference points to.
type HeapType struct {
	Kind  HeapKind
	Index uint32 // the type index when Kind is HeapIndex
}

// String returns the text-format spelling of the heap type.
func (h HeapType) String() string {
	switch h.Kind {
	case HeapIndex:
		return fmt.Sprint(h.Index)
	case HeapExn:
		return "exn"
	case HeapArray:
		return "array"
	case HeapStruct:
		return "struct"
	case HeapI31:
		return "i31"
	case HeapEq:
		return "eq"
	case HeapAny:
		return "any"
	case HeapExtern:
		return "extern"
	case HeapFunc:
		return "func"
	case HeapNone:
		return "none"
	case HeapNoExtern:
		return "noextern"
	case HeapNoFunc:
		return "nofunc"
	case HeapNoExn:
		return "noexn"
	}
	return fmt.Sprintf("heaptype(0x%x)", byte(h.Kind))
}

// ValType is a value type. It is comparable: two equal ValTypes denote the
// same syntactic type (type indices are not canonicalised here).
type ValType struct {
	Kind     ValKind
	Nullable bool     // for references: (ref null ht)
	Heap     HeapType // for references
}

// The common value types.
var (
	I32       = ValType{Kind: KindI32}
	I64       = ValType{Kind: KindI64}
	F32       = ValType{Kind: KindF32}
	F64       = ValType{Kind: KindF64}
	V128      = ValType{Kind: KindV128}
	FuncRef   = ValType{Kind: KindRef, Nullable: true, Heap: HeapType{Kind: HeapFunc}}
	ExternRef = ValType{Kind: KindRef, Nullable: true, Heap: HeapType{Kind: HeapExtern}}
	ExnRef    = ValType{Kind: KindRef, Nullable: true, Heap: HeapType{Kind: HeapExn}}
)

// RefType returns the reference type (ref null? ht).
func RefType(nullable bool, ht HeapType) ValType {
	return ValType{Kind: KindRef, Nullable: nullable, Heap: ht}
}

// IsRef reports whether t is a reference type.
func (t ValType) IsRef() bool { return t.Kind == KindRef }

// IsNum reports whether t is a number type (i32, i64, f32, f64).
func (t ValType) IsNum() bool {
	return t.Kind == KindI32 || t.Kind == KindI64 || t.Kind == KindF32 || t.Kind == KindF64
}

// String returns the text-format spelling of the value type, using the
// short forms funcref, externref... where they exist.
func (t ValType) String() string {
	switch t.Kind {
	case KindI32:
		return "i32"
	case KindI64:
		return "i64"
	case KindF32:
		return "f32"
	case KindF64:
		return "f64"
	case KindV128:
		return "v128"
	case KindBot:
		return "bot"
	case KindRef:
		if t.Nullable && t.Heap.Kind != HeapIndex {
			switch t.Heap.Kind {
			case HeapNone:
				return "nullref"
			case HeapNoFunc:
				return "nullfuncref"
			case HeapNoExtern:
				return "nullexternref"
			case HeapNoExn:
				return "nullexnref"
			}
			return t.Heap.String() + "ref"
		}
		if t.Nullable {
			return "(ref null " + t.Heap.String() + ")"
		}
		return "(ref " + t.Heap.String() + ")"
	}
	return fmt.Sprintf("valtype(0x%x)", byte(t.Kind))
}

// FuncType is a function type [Params] -> [Results].
type FuncType struct {
	Params  []ValType
	Results []ValType
}

// Equal reports whether f and g have the same parameters and results.
func (f *FuncType) Equal(g *FuncType) bool {
	return slices.Equal(f.Params, g.Params) && slices.Equal(f.Results, g.Results)
}

// String returns the type as "[i32 i32] -> [i64]".
func (f *FuncType) String() string {
	var b strings.Builder
	b.WriteByte('[')
	for i, p := range f.Params {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p.String())
	}
	b.WriteString("] -> [")
	for i, r := range f.Results {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(r.String())
	}
	b.WriteByte(']')
	return b.String()
}

// StorageType is the type of a struct field or array element (GC): a value
// type or a packed type.
type StorageType struct {
	Val    ValType
	Packed byte // 0 for a value type, 0x78 for i8, 0x77 for i16
}

// FieldType is a possibly mutable storage type (GC).
type FieldType struct {
	Storage StorageType
	Mutable bool
}

// CompKind classifies a composite type.
type CompKind byte

// Top returns the top of the heap type hierarchy that references to a
// composite type of kind k belong to: func for functions, any for structs
// and arrays; false for an unknown kind.
func (k CompKind) Top() (HeapKind, bool) {
	switch k {
	case CompFunc:
		return HeapFunc, true
	case CompStruct, CompArray:
		return HeapAny, true
	}
	return 0, false
}

// The composite type kinds, by their binary codes.
const (
	CompFunc   CompKind = 0x60
	CompStruct CompKind = 0x5F
	CompArray  CompKind = 0x5E
)

// CompType is a composite type: a function, struct or array type.
type CompType struct {
	Kind   CompKind
	Func   FuncType    // Kind == CompFunc
	Fields []FieldType // Kind == CompStruct
	Elem   FieldType   // Kind == CompArray
}

// SubType is an entry of the type index space: a composite type with its
// declared super types (GC). Wasm 2.0 function types are final sub types
// with no supers.
type SubType struct {
	Final  bool
	Supers []uint32
	Comp   CompType
}

// RecGroup is a recursion group: a run of consecutive entries of the type
// index space, starting at First. In Wasm 2.0 every type is its own group.
type RecGroup struct {
	First uint32
	Count uint32
}

// Limits are the size limits of a memory or table, in pages or elements.
type Limits struct {
	Min    uint64
	Max    uint64
	HasMax bool
}

// MemoryType is the type of a linear memory.
type MemoryType struct {
	Limits
	Is64         bool  // memory64: addresses are i64
	Shared       bool  // threads
	PageSizeLog2 uint8 // custom-page-sizes; 0 means the default 65536 (16)
}

// TableType is the type of a table.
type TableType struct {
	Elem ValType
	Limits
	Is64 bool // table64: indices are i64
}

// GlobalType is the type of a global.
type GlobalType struct {
	Type    ValType
	Mutable bool
}

// ExternKind classifies imports and exports, by their binary codes.
type ExternKind byte

// The extern kinds.
const (
	ExternFunc   ExternKind = 0x00
	ExternTable  ExternKind = 0x01
	ExternMemory ExternKind = 0x02
	ExternGlobal ExternKind = 0x03
	ExternTag    ExternKind = 0x04
)

// String returns "func", "table", "memory", "global" or "tag".
func (k ExternKind) String() string {
	switch k {
	case ExternFunc:
		return "func"
	case ExternTable:
		return "table"
	case ExternMemory:
		return "memory"
	case ExternGlobal:
		return "global"
	case ExternTag:
		return "tag"
	}
	return fmt.Sprintf("externkind(%d)", byte(k))
}

// Import is an entry of the import section. Exactly the field that matches
// Kind is meaningful.
type Import struct {
	Module string
	Name   string
	Kind   ExternKind
	Func   uint32 // type index, for ExternFunc and ExternTag
	Table  TableType
	Memory MemoryType
	Global GlobalType
}

// Export is an entry of the export section.
type Export struct {
	Name  string
	Kind  ExternKind
	Index uint32
}

// Expr is an encoded constant expression: instructions in the binary
// format, ending with the end opcode (0x0B).
type Expr []byte

// Table is a table defined by the module.
type Table struct {
	Type TableType
	Init Expr // typed function references: explicit initialiser, or nil
}

// Global is a global defined by the module.
type Global struct {
	Type GlobalType
	Init Expr
}

// SegmentMode is the mode of an element or data segment.
type SegmentMode byte

// The segment modes.
const (
	SegmentActive SegmentMode = iota
	SegmentPassive
	SegmentDeclarative // element segments only
)

// Elem is an element segment. Its items are either function indices
// (Indices non-nil, the compact encoding) or constant expressions (Exprs).
type Elem struct {
	Mode    SegmentMode
	Table   uint32 // active segments
	Offset  Expr   // active segments
	Type    ValType
	Indices []uint32
	Exprs   []Expr
}

// Len returns the number of items in the segment.
func (e *Elem) Len() int {
	if e.Indices != nil {
		return len(e.Indices)
	}
	return len(e.Exprs)
}

// Data is a data segment.
type Data struct {
	Mode   SegmentMode
	Memory uint32 // active segments
	Offset Expr   // active segments
	Init   []byte
}

// LocalDecl declares Count locals of one type.
type LocalDecl struct {
	Count uint32
	Type  ValType
}

// Code is the body of a defined function.
type Code struct {
	Locals []LocalDecl
	// Body holds the function's instructions in the binary format,
	// ending with the final end opcode.
	Body []byte
	// BodyOffset is the offset of Body in the module's binary, or -1 when
	// the module did not come from a binary. It is used in error messages.
	BodyOffset int
}

// Tag is an exception tag (exception handling): a function type index
// whose results are empty.
type Tag struct {
	Type uint32
}

// CustomSection is a custom section kept verbatim.
type CustomSection struct {
	Name string
	Data []byte
	// After is the id of the last known section that precedes this one
	// (0 when it comes before all of them), so an encoder can put it back.
	After byte
}

// Names is the content of the "name" custom section.
type Names struct {
	Module string
	Funcs  map[uint32]string
	Locals map[uint32]map[uint32]string
}

// Module is a decoded or parsed core module. Index spaces put imports
// first: function i < NumImportedFuncs() is an import.
type Module struct {
	Types      []SubType
	RecGroups  []RecGroup
	Imports    []Import
	Funcs      []uint32 // type index of each defined function
	Tables     []Table
	Memories   []MemoryType
	Tags       []Tag
	Globals    []Global
	Exports    []Export
	Start      uint32
	HasStart   bool
	Elems      []Elem
	DataCount  uint32
	HasDataCnt bool
	Code       []Code
	Data       []Data
	Customs    []CustomSection
	Names      *Names // decoded "name" section, or nil
	// ID is the module's text-format identifier ($name), if any.
	ID string
}

// NumImported returns how many imports of kind k the module has.
func (m *Module) NumImported(k ExternKind) int {
	n := 0
	for i := range m.Imports {
		if m.Imports[i].Kind == k {
			n++
		}
	}
	return n
}

// FuncTypeAt returns the function type at type index idx, or nil when idx
// is out of range or names a non-function type.
func (m *Module) FuncTypeAt(idx uint32) *FuncType {
	if int64(idx) >= int64(len(m.Types)) {
		return nil
	}
	t := &m.Types[idx]
	if t.Comp.Kind != CompFunc {
		return nil
	}
	return &t.Comp.Func
}

// FuncTypeIndices returns the type index of every function in the function
// index space: imported functions first, then defined ones.
func (m *Module) FuncTypeIndices() []uint32 {
	out := make([]uint32, 0, len(m.Funcs)+len(m.Imports))
	for i := range m.Imports {
		if m.Imports[i].Kind == ExternFunc {
			out = append(out, m.Imports[i].Func)
		}
	}
	return append(out, m.Funcs...)
}

// FuncName returns the name of function idx from the name section, or "".
func (m *Module) FuncName(idx uint32) string {
	if m.Names == nil {
		return ""
	}
	return m.Names.Funcs[idx]
}
