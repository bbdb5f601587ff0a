package validate

import (
	"fmt"

	"github.com/gowasm/gowasm/binary"

	"github.com/gowasm/gowasm/wasm"
)

// validator holds the context of one module's validation and the stacks
// reused across its functions and constant expressions.
type validator struct {
	m   *wasm.Module
	opt Options

	// The index spaces, imports first.
	funcs   []uint32 // type index of each function
	tables  []wasm.TableType
	mems    []wasm.MemoryType
	globals []wasm.GlobalType
	tags    []uint32 // type index of each tag

	// canon maps each type index to the smallest index of an equivalent
	// type; groupEnd to the end of its recursion group.
	canon    []uint32
	groupEnd []uint32

	numImportedGlobals int
	numDatas           int
	// refs marks the functions that may be referenced by ref.func in a
	// function body (C.refs: those occurring outside functions).
	refs []bool

	// Current body: function index (-1 in constant expressions), base for
	// offsets, and the constant-expression mode.
	fn          int
	off         int
	constMode   bool
	constGlobal int   // number of globals visible to a constant expression
	what        place // names the constant expression in errors
	hasDataCnt  bool
	fromBinary  bool

	// Locals of the current function: flat when small, else by
	// declaration ranges.
	locals     []wasm.ValType
	localsFlat bool
	localEnds  []uint64
	localTypes []wasm.ValType
	numLocals  uint64
	localInit  []bool
	nonDef     bool // the function has non-defaultable locals
	inits      []uint32
	ret        []wasm.ValType

	vals    []wasm.ValType
	ctrls   []frame
	scratch []wasm.ValType

	noQuick  bool // disables quickDecode (for tests)
	r        binary.Reader
	in       wasm.Instr      // the instruction being validated, reused
	numTypes [5]wasm.ValType // i32 i64 f32 f64 v128, for singleOf
	single   map[wasm.ValType][]wasm.ValType
}

func newValidator(m *wasm.Module, opt Options) *validator {
	return &validator{
		m:      m,
		opt:    opt,
		fn:     -1,
		vals:   make([]wasm.ValType, 0, 64),
		ctrls:  make([]frame, 0, 16),
		single: make(map[wasm.ValType][]wasm.ValType),

		numTypes: [5]wasm.ValType{wasm.I32, wasm.I64, wasm.F32, wasm.F64, wasm.V128},
	}
}

func (v *validator) has(f wasm.Features) bool { return v.opt.Features&f != 0 }

// modErr returns a module-level error (not in a function body).
func modErr(format string, args ...any) *Error {
	return &Error{Func: -1, Offset: -1, Msg: fmt.Sprintf(format, args...)}
}

// maxTableSize32 is the largest size of a table with 32-bit indices.
const maxTableSize32 = 1<<32 - 1

func (v *validator) module() error {
	m := v.m
	// Types.
	if err := v.canonicalize(); err != nil {
		return err
	}
	for i := range m.Types {
		if err := v.subType(uint32(i), &m.Types[i]); err != nil {
			return err
		}
	}
	for i := range m.Types {
		if err := v.checkSupers(uint32(i)); err != nil {
			return err
		}
	}
	// Imports build the first part of each index space.
	for i := range m.Imports {
		im := &m.Imports[i]
		switch im.Kind {
		case wasm.ExternFunc:
			if v.m.FuncTypeAt(im.Func) == nil {
				return modErr("import %d: unknown type %d", i, im.Func)
			}
			v.funcs = append(v.funcs, im.Func)
		case wasm.ExternTable:
			if err := v.tableType(&im.Table); err != nil {
				return prefix(err, "import %d", i)
			}
			v.tables = append(v.tables, im.Table)
		case wasm.ExternMemory:
			if err := v.memoryType(&im.Memory); err != nil {
				return prefix(err, "import %d", i)
			}
			v.mems = append(v.mems, im.Memory)
		case wasm.ExternGlobal:
			if err := v.valType(im.Global.Type); err != nil {
				return prefix(err, "import %d", i)
			}
			v.globals = append(v.globals, im.Global)
		case wasm.ExternTag:
			if err := v.checkTagType(im.Func); err != nil {
				return prefix(err, "import %d", i)
			}
			v.tags = append(v.tags, im.Func)
		default:
			return modErr("import %d: malformed import kind %d", i, byte(im.Kind))
		}
	}
	v.numImportedGlobals = len(v.globals)
	for _, t := range m.Funcs {
		if m.FuncTypeAt(t) == nil {
			return modErr("function %d: unknown type %d", len(v.funcs), t)
		}
		v.funcs = append(v.funcs, t)
	}
	for i := range m.Tables {
		if err := v.tableType(&m.Tables[i].Type); err != nil {
			return prefix(err, "table %d", len(v.tables))
		}
		v.tables = append(v.tables, m.Tables[i].Type)
	}
	for i := range m.Memories {
		if err := v.memoryType(&m.Memories[i]); err != nil {
			return prefix(err, "memory %d", len(v.mems))
		}
		v.mems = append(v.mems, m.Memories[i])
	}
	if len(v.mems) > 1 && !v.has(wasm.MultiMemory) {
		return modErr("multiple memories")
	}
	for i := range m.Tags {
		if err := v.checkTagType(m.Tags[i].Type); err != nil {
			return prefix(err, "tag %d", len(v.tags))
		}
		v.tags = append(v.tags, m.Tags[i].Type)
	}
	for i := range m.Globals {
		if err := v.valType(m.Globals[i].Type.Type); err != nil {
			return prefix(err, "global %d", len(v.globals))
		}
		v.globals = append(v.globals, m.Globals[i].Type)
	}
	v.refs = make([]bool, len(v.funcs))

	// Data segments and the data count.
	v.numDatas = len(m.Data)
	v.hasDataCnt = m.HasDataCnt
	if m.HasDataCnt && uint64(m.DataCount) != uint64(len(m.Data)) {
		return modErr("data count and data section have inconsistent lengths")
	}
	if len(m.Funcs) != len(m.Code) {
		return modErr("function and code section have inconsistent lengths")
	}

	// Constant expressions: table initialisers, globals, segments.
	nImpTables := len(v.tables) - len(m.Tables)
	for i := range m.Tables {
		t := &m.Tables[i]
		what := place{"table", nImpTables + i, -1}
		if t.Init != nil {
			if err := v.constExpr(t.Init, t.Type.Elem, v.numImportedGlobals, what); err != nil {
				return err
			}
		} else if !defaultable(t.Type.Elem) {
			return modErr("%s: type mismatch: table of non-nullable type %s needs an initializer", what, t.Type.Elem)
		}
	}
	for i := range m.Globals {
		g := &m.Globals[i]
		idx := v.numImportedGlobals + i
		visible := v.numImportedGlobals
		if v.has(wasm.GlobalsInConst) {
			visible = idx
		}
		if err := v.constExpr(g.Init, g.Type.Type, visible, place{"global", idx, -1}); err != nil {
			return err
		}
	}
	segGlobals := v.numImportedGlobals
	if v.has(wasm.GlobalsInConst) {
		segGlobals = len(v.globals)
	}
	for i := range m.Elems {
		if err := v.elem(i, &m.Elems[i], segGlobals); err != nil {
			return err
		}
	}
	for i := range m.Data {
		d := &m.Data[i]
		if d.Mode != wasm.SegmentActive {
			if d.Mode != wasm.SegmentPassive {
				return modErr("data %d: malformed segment mode", i)
			}
			continue
		}
		if int64(d.Memory) >= int64(len(v.mems)) {
			return modErr("data %d: unknown memory %d", i, d.Memory)
		}
		at := wasm.I32
		if v.mems[d.Memory].Is64 {
			at = wasm.I64
		}
		if err := v.constExpr(d.Offset, at, segGlobals, place{"data offset", i, -1}); err != nil {
			return err
		}
	}

	// Exports.
	names := make(map[string]struct{}, len(m.Exports))
	for i := range m.Exports {
		e := &m.Exports[i]
		if _, dup := names[e.Name]; dup {
			return modErr("export %d: duplicate export name %q", i, e.Name)
		}
		names[e.Name] = struct{}{}
		var n int
		switch e.Kind {
		case wasm.ExternFunc:
			n = len(v.funcs)
		case wasm.ExternTable:
			n = len(v.tables)
		case wasm.ExternMemory:
			n = len(v.mems)
		case wasm.ExternGlobal:
			n = len(v.globals)
		case wasm.ExternTag:
			n = len(v.tags)
		default:
			return modErr("export %d: malformed export kind %d", i, byte(e.Kind))
		}
		if int64(e.Index) >= int64(n) {
			kind := e.Kind.String()
			if e.Kind == wasm.ExternFunc {
				kind = "function"
			}
			return modErr("export %d: unknown %s %d", i, kind, e.Index)
		}
		if e.Kind == wasm.ExternFunc {
			v.refs[e.Index] = true
		}
	}

	// Start function.
	if m.HasStart {
		if int64(m.Start) >= int64(len(v.funcs)) {
			return modErr("unknown function %d (start function)", m.Start)
		}
		ft := m.FuncTypeAt(v.funcs[m.Start])
		if len(ft.Params) != 0 || len(ft.Results) != 0 {
			return modErr("start function %d: type %s must be [] -> []", m.Start, ft)
		}
	}

	// Function bodies.
	nImpFuncs := len(v.funcs) - len(m.Funcs)
	for i := range m.Code {
		idx := nImpFuncs + i
		ft := m.FuncTypeAt(v.funcs[idx])
		if err := v.function(idx, ft, &m.Code[i]); err != nil {
			return err
		}
	}
	return nil
}

// prefix adds context to a module-level error message.
func prefix(err *Error, format string, args ...any) *Error {
	err.Msg = fmt.Sprintf(format, args...) + ": " + err.Msg
	return err
}

// subType validates the type definition at index i.
func (v *validator) subType(i uint32, st *wasm.SubType) *Error {
	for _, s := range st.Supers {
		if s >= i {
			return modErr("type %d: unknown type %d", i, s)
		}
	}
	switch st.Comp.Kind {
	case wasm.CompFunc:
		for _, t := range st.Comp.Func.Params {
			if err := v.valType(t); err != nil {
				return prefix(err, "type %d", i)
			}
		}
		for _, t := range st.Comp.Func.Results {
			if err := v.valType(t); err != nil {
				return prefix(err, "type %d", i)
			}
		}
	case wasm.CompStruct:
		for _, f := range st.Comp.Fields {
			if err := v.valType(f.Storage.Val); f.Storage.Packed == 0 && err != nil {
				return prefix(err, "type %d", i)
			}
		}
	case wasm.CompArray:
		if err := v.valType(st.Comp.Elem.Storage.Val); st.Comp.Elem.Storage.Packed == 0 && err != nil {
			return prefix(err, "type %d", i)
		}
	default:
		return modErr("type %d: malformed composite type 0x%x", i, byte(st.Comp.Kind))
	}
	return nil
}

// valType checks that t is well-formed: a reference to a defined type
// must name an existing type.
func (v *validator) valType(t wasm.ValType) *Error {
	switch t.Kind {
	case wasm.KindI32, wasm.KindI64, wasm.KindF32, wasm.KindF64, wasm.KindV128:
		return nil
	case wasm.KindRef:
		return v.heapType(t.Heap)
	}
	return modErr("malformed value type 0x%x", byte(t.Kind))
}

func (v *validator) heapType(h wasm.HeapType) *Error {
	switch h.Kind {
	case wasm.HeapIndex:
		if int64(h.Index) >= int64(len(v.m.Types)) {
			return modErr("unknown type %d", h.Index)
		}
		return nil
	case wasm.HeapExn, wasm.HeapArray, wasm.HeapStruct, wasm.HeapI31, wasm.HeapEq, wasm.HeapAny,
		wasm.HeapExtern, wasm.HeapFunc, wasm.HeapNone, wasm.HeapNoExtern, wasm.HeapNoFunc, wasm.HeapNoExn:
		return nil
	}
	return modErr("malformed heap type 0x%x", byte(h.Kind))
}

func (v *validator) limits(l *wasm.Limits) *Error {
	if l.HasMax && l.Min > l.Max {
		return modErr("size minimum must not be greater than maximum")
	}
	return nil
}

func (v *validator) tableType(t *wasm.TableType) *Error {
	if err := v.valType(t.Elem); err != nil {
		return err
	}
	if !t.Elem.IsRef() {
		return modErr("malformed reference type %s", t.Elem)
	}
	if !t.Is64 && (t.Min > maxTableSize32 || t.HasMax && t.Max > maxTableSize32) {
		return modErr("table size must be at most 2^32-1")
	}
	return v.limits(&t.Limits)
}

func (v *validator) memoryType(t *wasm.MemoryType) *Error {
	// custom-page-sizes allows pages of 1 byte or 64KiB. PageSizeLog2 0
	// means the default, so a 1-byte page size cannot be told apart here.
	pageLog2 := uint(t.PageSizeLog2)
	if pageLog2 == 0 {
		pageLog2 = 16
	} else if pageLog2 != 16 {
		return modErr("invalid custom page size")
	}
	if t.Is64 {
		maxPages := uint64(1) << (64 - pageLog2)
		if t.Min > maxPages || t.HasMax && t.Max > maxPages {
			return modErr("memory size must be at most 2^%d pages", 64-pageLog2)
		}
	} else {
		maxPages := uint64(1) << (32 - pageLog2)
		if t.Min > maxPages || t.HasMax && t.Max > maxPages {
			if pageLog2 == 16 {
				return modErr("memory size must be at most 65536 pages (4GiB)")
			}
			return modErr("memory size must be at most 2^%d pages (4GiB)", 32-pageLog2)
		}
	}
	if t.Shared && !t.HasMax {
		return modErr("shared memory must have maximum")
	}
	return v.limits(&t.Limits)
}

func (v *validator) checkTagType(typeIdx uint32) *Error {
	ft := v.m.FuncTypeAt(typeIdx)
	if ft == nil {
		return modErr("unknown type %d", typeIdx)
	}
	if len(ft.Results) != 0 {
		return modErr("non-empty tag result type")
	}
	return nil
}

// elem validates element segment i.
func (v *validator) elem(i int, e *wasm.Elem, segGlobals int) error {
	what := place{"elem", i, -1}
	if err := v.valType(e.Type); err != nil {
		return prefix(err, "%s", what)
	}
	if !e.Type.IsRef() {
		return modErr("%s: malformed reference type %s", what, e.Type)
	}
	if e.Indices != nil {
		funcRef := wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapFunc})
		if !v.has(wasm.FuncRefTypes) && !v.matches(funcRef, e.Type) {
			return modErr("%s: type mismatch: function indices in a segment of type %s", what, e.Type)
		}
		for j, f := range e.Indices {
			if int64(f) >= int64(len(v.funcs)) {
				return modErr("%s: item %d: unknown function %d", what, j, f)
			}
			if v.has(wasm.FuncRefTypes) && !v.matches(concrete(false, v.funcs[f]), e.Type) {
				return modErr("%s: item %d: type mismatch: function %d in a segment of type %s", what, j, f, e.Type)
			}
			v.refs[f] = true
		}
	} else {
		for j, x := range e.Exprs {
			if err := v.constExpr(x, e.Type, segGlobals, place{"elem", i, j}); err != nil {
				return err
			}
		}
	}
	switch e.Mode {
	case wasm.SegmentActive:
		if int64(e.Table) >= int64(len(v.tables)) {
			return modErr("%s: unknown table %d", what, e.Table)
		}
		tt := &v.tables[e.Table]
		if !v.matches(e.Type, tt.Elem) {
			return modErr("%s: type mismatch: segment of type %s for table of type %s", what, e.Type, tt.Elem)
		}
		at := wasm.I32
		if tt.Is64 {
			at = wasm.I64
		}
		return v.constExpr(e.Offset, at, segGlobals, place{"elem offset", i, -1})
	case wasm.SegmentPassive, wasm.SegmentDeclarative:
		return nil
	}
	return modErr("%s: malformed segment mode", what)
}

// defaultable reports whether locals of type t have a default value.
func defaultable(t wasm.ValType) bool {
	return t.Kind != wasm.KindRef || t.Nullable
}

// place names a constant expression or definition in error messages; it
// is formatted only when an error occurs.
type place struct {
	kind string // "global", "elem", "data offset"...
	idx  int
	item int // element segment item, or -1
}

func (p place) String() string {
	if p.item >= 0 {
		return fmt.Sprintf("%s %d item %d", p.kind, p.idx, p.item)
	}
	return fmt.Sprintf("%s %d", p.kind, p.idx)
}
