package component

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/gowasm/gowasm/wasm"
)

// Component is a decoded component binary: its definitions in order, as
// the sections list them (each section's vector flattened), plus custom
// sections.
type Component struct {
	// Defs holds every definition in binary order. Index spaces are built
	// by walking Defs from the start.
	Defs []Def
	// Customs holds the custom sections.
	Customs []Custom
	// Raw is the component's encoding (sharing the input slice).
	Raw []byte
	// Offset is the absolute offset of Raw in the outermost binary.
	Offset int

	// pos holds the section and absolute offset of each definition
	// (parallel to Defs) when the component was decoded, for messages.
	pos []defPos

	// rt holds the run-time state built by Compile (or by the first
	// instantiation of a decoded component), or nil; mu guards it.
	mu sync.Mutex
	rt *compiled
	// typ caches the component's type, computed by validation.
	typ atomic.Pointer[ComponentType]
}

// defPos is where a definition was decoded.
type defPos struct {
	section, offset int
}

// where names the place of definition i for messages: "section 8
// (canon), offset 0x1a2b, definition 12", or "definition 12" when the
// component was not decoded.
func (c *Component) where(i int) string {
	if i < len(c.pos) {
		p := c.pos[i]
		name := ""
		if p.section >= 0 && p.section < len(sectionNames) {
			name = " (" + sectionNames[p.section] + ")"
		}
		return fmt.Sprintf("section %d%s, offset 0x%x, definition %d", p.section, name, p.offset, i)
	}
	return fmt.Sprintf("definition %d", i)
}

// Custom is a custom section.
type Custom struct {
	Name string
	Data []byte
}

// Def is one definition of a component: *CoreModule, *CoreInstance,
// *CoreTypeDef, *Component, *InstanceDef, *Alias, *TypeDef, *Canon,
// *Start, *Import, *Export or *ValueDef.
type Def interface{ isDef() }

func (*CoreModule) isDef()   {}
func (*CoreInstance) isDef() {}
func (*CoreTypeDef) isDef()  {}
func (*Component) isDef()    {}
func (*InstanceDef) isDef()  {}
func (*Alias) isDef()        {}
func (*TypeDef) isDef()      {}
func (*Canon) isDef()        {}
func (*Start) isDef()        {}
func (*Import) isDef()       {}
func (*Export) isDef()       {}
func (*ValueDef) isDef()     {}

// CoreModule is a nested core module.
type CoreModule struct {
	Module *wasm.Module
	Raw    []byte // the module's binary
	Offset int    // absolute offset of Raw
}

// Sort is the kind of an entity in an index space. Core sorts have the
// bit SortCore set.
type Sort byte

// The sorts. The component sorts use their binary codes; the core sorts
// are SortCore plus their core:sort code.
const (
	SortFunc      Sort = 0x01
	SortValue     Sort = 0x02
	SortType      Sort = 0x03
	SortComponent Sort = 0x04
	SortInstance  Sort = 0x05

	SortCore         Sort = 0x80
	SortCoreFunc     Sort = SortCore | 0x00
	SortCoreTable    Sort = SortCore | 0x01
	SortCoreMemory   Sort = SortCore | 0x02
	SortCoreGlobal   Sort = SortCore | 0x03
	SortCoreTag      Sort = SortCore | 0x04
	SortCoreType     Sort = SortCore | 0x10
	SortCoreModule   Sort = SortCore | 0x11
	SortCoreInstance Sort = SortCore | 0x12
)

// String returns the sort's text-format spelling.
func (s Sort) String() string {
	switch s {
	case SortFunc:
		return "func"
	case SortValue:
		return "value"
	case SortType:
		return "type"
	case SortComponent:
		return "component"
	case SortInstance:
		return "instance"
	case SortCoreFunc:
		return "core func"
	case SortCoreTable:
		return "core table"
	case SortCoreMemory:
		return "core memory"
	case SortCoreGlobal:
		return "core global"
	case SortCoreTag:
		return "core tag"
	case SortCoreType:
		return "core type"
	case SortCoreModule:
		return "core module"
	case SortCoreInstance:
		return "core instance"
	}
	return "sort(?)"
}

// SortIdx names an entity: a sort and an index in its index space.
type SortIdx struct {
	Sort  Sort
	Index uint32
}

// CoreInstance is a core instance definition: either the instantiation
// of a core module (Exports nil) or a bag of inline exports.
type CoreInstance struct {
	Instantiate bool
	Module      uint32
	Args        []CoreInstantiateArg
	Exports     []CoreInlineExport
}

// CoreInstantiateArg supplies the core instance Instance for the import
// module name Name.
type CoreInstantiateArg struct {
	Name     string
	Instance uint32
}

// CoreInlineExport is an export of an inline core instance.
type CoreInlineExport struct {
	Name string
	Ref  SortIdx
}

// CoreTypeDef is a core type definition: a GC recursion group of sub
// types (one element for a plain function type) or a module type.
type CoreTypeDef struct {
	Rec    []wasm.SubType // nil for a module type
	Module *CoreModuleType
}

// CoreModuleType is a core module type.
type CoreModuleType struct {
	Decls []CoreModuleDecl
}

// CoreModuleDecl is a declarator of a core module type. Kind is 0x00
// (import), 0x01 (type), 0x02 (outer alias) or 0x03 (export).
type CoreModuleDecl struct {
	Kind   byte
	Import wasm.Import // Kind 0x00 (an export uses Name and the type fields)
	Type   *CoreTypeDef
	Outer  OuterAlias // Kind 0x02
}

// OuterAlias names entity Index of the scope Count levels out.
type OuterAlias struct {
	Count uint32
	Index uint32
}

// InstanceDef is a component instance definition: either the
// instantiation of a component or a bag of inline exports.
type InstanceDef struct {
	Instantiate bool
	Component   uint32
	Args        []InstantiateArg
	Exports     []InlineExport
}

// InstantiateArg supplies Ref for the import named Name.
type InstantiateArg struct {
	Name string
	Ref  SortIdx
}

// InlineExport is an export of an inline component instance.
type InlineExport struct {
	Name ExternName
	Ref  SortIdx
}

// AliasKind tells what an alias names.
type AliasKind byte

// The alias kinds, by their binary codes.
const (
	AliasExport     AliasKind = 0x00 // an export of a component instance
	AliasCoreExport AliasKind = 0x01 // an export of a core instance
	AliasOuter      AliasKind = 0x02 // a definition of an enclosing scope
)

// Alias is an alias definition or declarator.
type Alias struct {
	Sort     Sort
	Kind     AliasKind
	Instance uint32 // export aliases
	Name     string // export aliases
	Outer    OuterAlias
}

// TypeDef is a component type definition. Exactly one field is set.
type TypeDef struct {
	Val       *DefValType
	Func      *FuncTypeDef
	Component *ComponentTypeDef
	Instance  *InstanceTypeDef
	Resource  *ResourceTypeDef
}

// ValKind is the kind of a component value type.
type ValKind byte

// The value kinds. The primitive ones use their binary codes.
const (
	KindBool         ValKind = 0x7f
	KindS8           ValKind = 0x7e
	KindU8           ValKind = 0x7d
	KindS16          ValKind = 0x7c
	KindU16          ValKind = 0x7b
	KindS32          ValKind = 0x7a
	KindU32          ValKind = 0x79
	KindS64          ValKind = 0x78
	KindU64          ValKind = 0x77
	KindF32          ValKind = 0x76
	KindF64          ValKind = 0x75
	KindChar         ValKind = 0x74
	KindString       ValKind = 0x73
	KindErrorContext ValKind = 0x64
	KindRecord       ValKind = 0x72
	KindVariant      ValKind = 0x71
	KindList         ValKind = 0x70
	KindFixedList    ValKind = 0x67
	KindTuple        ValKind = 0x6f
	KindFlags        ValKind = 0x6e
	KindEnum         ValKind = 0x6d
	KindOption       ValKind = 0x6b
	KindResult       ValKind = 0x6a
	KindOwn          ValKind = 0x69
	KindBorrow       ValKind = 0x68
	KindStream       ValKind = 0x66
	KindFuture       ValKind = 0x65
	KindMap          ValKind = 0x63
)

// IsPrimitive reports whether k is a primitive value type.
func (k ValKind) IsPrimitive() bool {
	return (k >= KindString && k <= KindBool) || k == KindErrorContext
}

// String returns the WIT spelling of the kind.
func (k ValKind) String() string {
	switch k {
	case KindBool:
		return "bool"
	case KindS8:
		return "s8"
	case KindU8:
		return "u8"
	case KindS16:
		return "s16"
	case KindU16:
		return "u16"
	case KindS32:
		return "s32"
	case KindU32:
		return "u32"
	case KindS64:
		return "s64"
	case KindU64:
		return "u64"
	case KindF32:
		return "f32"
	case KindF64:
		return "f64"
	case KindChar:
		return "char"
	case KindString:
		return "string"
	case KindErrorContext:
		return "error-context"
	case KindRecord:
		return "record"
	case KindVariant:
		return "variant"
	case KindList:
		return "list"
	case KindFixedList:
		return "fixed-list"
	case KindTuple:
		return "tuple"
	case KindFlags:
		return "flags"
	case KindEnum:
		return "enum"
	case KindOption:
		return "option"
	case KindResult:
		return "result"
	case KindOwn:
		return "own"
	case KindBorrow:
		return "borrow"
	case KindStream:
		return "stream"
	case KindFuture:
		return "future"
	case KindMap:
		return "map"
	case KindResource:
		return "resource"
	}
	return "kind(?)"
}

// TypeRef is a value type as written in the binary: a primitive type
// (Prim non-zero) or a type index.
type TypeRef struct {
	Prim  ValKind
	Index uint32
}

// LabeledType is a record field or named parameter.
type LabeledType struct {
	Name string
	Type TypeRef
}

// CaseDef is a variant case; Type is nil when the case has no payload.
type CaseDef struct {
	Name string
	Type *TypeRef
}

// DefValType is a defined value type.
type DefValType struct {
	Kind   ValKind
	Fields []LabeledType // record
	Cases  []CaseDef     // variant
	Elem   *TypeRef      // list, fixed list, option, stream, future; map key; result ok
	Value  *TypeRef      // map value; result err
	Len    uint32        // fixed list
	Types  []TypeRef     // tuple
	Labels []string      // flags, enum
	Res    uint32        // own, borrow: resource type index
}

// FuncTypeDef is a component function type.
type FuncTypeDef struct {
	Async  bool
	Params []LabeledType
	// Result is the single unnamed result, or nil.
	Result *TypeRef
	// Results holds named results (an older encoding), if any.
	Results []LabeledType
}

// ComponentTypeDef is a component type: its declarators.
type ComponentTypeDef struct {
	Decls []Decl
}

// InstanceTypeDef is an instance type: its declarators.
type InstanceTypeDef struct {
	Decls []Decl
}

// Decl is a declarator of a component or instance type. Exactly one field
// is set.
type Decl struct {
	CoreType *CoreTypeDef
	Type     *TypeDef
	Alias    *Alias
	Import   *ImportDecl
	Export   *ImportDecl
}

// ImportDecl is an import or export declarator: a name and an extern type.
type ImportDecl struct {
	Name ExternName
	Type ExternType
}

// ResourceTypeDef is a resource type definition.
type ResourceTypeDef struct {
	Rep      wasm.ValType
	Dtor     uint32 // core function index, when HasDtor
	HasDtor  bool
	Callback uint32 // async destructor callback (older encoding), when HasCallback
	HasCB    bool
}

// ExternKind is the kind of an extern type, by its binary code.
type ExternKind byte

// The extern kinds.
const (
	ExternCoreModule ExternKind = 0x00
	ExternFunc       ExternKind = 0x01
	ExternValue      ExternKind = 0x02
	ExternTypeBound  ExternKind = 0x03
	ExternComponent  ExternKind = 0x04
	ExternInstance   ExternKind = 0x05
)

// ExternType is the type of an import or export.
type ExternType struct {
	Kind ExternKind
	// Index is the (core) type index for core modules, funcs, components
	// and instances; the bounded type for an (eq i) type bound; the value
	// index for an (eq i) value bound.
	Index uint32
	// SubResource is set for a (sub resource) type bound.
	SubResource bool
	// ValType is set for a value bound by type.
	ValType *TypeRef
}

// ExternName is an import or export name with its attributes.
type ExternName struct {
	Name          string
	Prefix        byte   // 0x00, 0x01 or 0x02
	Implements    string // implements attribute
	VersionSuffix string
	ExternalID    string
}

// Canon is a canonical definition. Op is the binary opcode; the other
// fields are set as the opcode requires.
type Canon struct {
	Op       CanonOp
	Func     uint32 // lift: core func; lower: component func
	Type     uint32 // lift: func type; resource/stream/future: type
	Opts     CanonOpts
	Async    bool
	Cancel   bool
	Shared   bool
	CoreType wasm.ValType // context.get/set
	Index    uint32       // context.get/set slot; thread tables
	Result   *TypeRef     // task.return
	Results  []LabeledType
	Memory   uint32 // waitable-set.wait/poll
}

// CanonOp is a canon opcode.
type CanonOp byte

// The canon opcodes used at run time.
const (
	CanonLift              CanonOp = 0x00
	CanonLower             CanonOp = 0x01
	CanonResourceNew       CanonOp = 0x02
	CanonResourceDrop      CanonOp = 0x03
	CanonResourceRep       CanonOp = 0x04
	CanonResourceDropAsync CanonOp = 0x07
)

// StringEncoding is a canonical string encoding.
type StringEncoding byte

// The string encodings.
const (
	UTF8        StringEncoding = 0
	UTF16       StringEncoding = 1
	Latin1UTF16 StringEncoding = 2
)

// CanonOpts are canonical options.
type CanonOpts struct {
	StringEncoding StringEncoding
	Memory         uint32
	HasMemory      bool
	Realloc        uint32
	HasRealloc     bool
	PostReturn     uint32
	HasPostReturn  bool
	Async          bool
	Callback       uint32
	HasCallback    bool
}

// Start is a start definition (values).
type Start struct {
	Func    uint32
	Args    []uint32
	Results uint32
}

// Import is an import definition.
type Import struct {
	Name ExternName
	Type ExternType
}

// Export is an export definition; Type is the optional ascribed type.
type Export struct {
	Name ExternName
	Ref  SortIdx
	Type *ExternType
}

// ValueDef is a value definition (kept encoded).
type ValueDef struct {
	Type TypeRef
	Data []byte
}

// KindResource is the kind of a resource type (not a value type; it
// appears in the run-time type model for resource types).
const KindResource ValKind = 0x3f
