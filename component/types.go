package component

import (
	"context"
	"fmt"
	"strings"
)

// Type is a component value type at run time, with its referenced types
// resolved. Types are immutable once built: build them with Prim and the
// constructors (ListOf, RecordOf...), which also compute their canonical
// ABI layout; a Type written as a literal computes it on first use, so
// use it once before sharing it between goroutines.
type Type struct {
	Kind   ValKind
	Fields []Field  // record
	Cases  []Case   // variant
	Elem   *Type    // list, fixed list, option, stream, future (may be nil), map key
	Len    int      // fixed list
	Types  []*Type  // tuple
	Labels []string // flags, enum
	OK     *Type    // result: ok payload or nil
	Err    *Type    // result: error payload or nil; map: value type
	// Resource is the resource of an own or borrow handle.
	Resource *ResourceType

	// li caches the canonical ABI layout (see lay).
	li *layout
}

// Field is a record field.
type Field struct {
	Name string
	Type *Type
}

// Case is a variant case; Type is nil when it has no payload.
type Case struct {
	Name string
	Type *Type
}

// ResourceType is a resource type. Each definition (and each abstract
// imported resource) has its own identity: two *ResourceType are the same
// type only when they are the same pointer.
type ResourceType struct {
	// Name is the label under which the resource was imported or
	// exported, for messages.
	Name string
	// dtor is the destructor (a core function), or nil; inst is the
	// defining component instance (nil for host or abstract resources).
	dtor  coreFunc
	owner *instState
	// hostDtor is the destructor of a host resource, or nil.
	hostDtor func(ctx context.Context, rep uint32) error
	// abstract marks a resource type bound by (sub resource) in an
	// instance or component type: it stands for whichever resource the
	// instance or import supplying the type provides.
	abstract bool
	// importName is set while Name is a label the resource was imported
	// under (an export's name replaces it).
	importName bool
	// definedAs is the name under which a host resource was first
	// defined in a Linker, for messages.
	definedAs string
}

// NewResourceType returns a new host resource type named name whose
// destructor dtor (which may be nil) is called with the representation
// when a component drops an owned handle.
func NewResourceType(name string, dtor func(ctx context.Context, rep uint32) error) *ResourceType {
	return &ResourceType{Name: name, hostDtor: dtor}
}

// kindUnknown is the kind of a type validation cannot know statically.
const kindUnknown ValKind = 0

// primTypes holds the primitive types, made by a function call in the
// variable's initialiser so that they exist before any other package-level
// variable (or init function) of the package can call Prim.
var primTypes = makePrimTypes()

func makePrimTypes() map[ValKind]*Type {
	m := map[ValKind]*Type{}
	for _, k := range []ValKind{KindBool, KindS8, KindU8, KindS16, KindU16, KindS32, KindU32, KindS64, KindU64,
		KindF32, KindF64, KindChar, KindString, KindErrorContext} {
		t := &Type{Kind: k}
		t.lay()
		m[k] = t
	}
	return m
}

// Prim returns the primitive type of kind k (bool, s8... string), or nil.
func Prim(k ValKind) *Type { return primTypes[k] }

// laid computes t's layout and returns t.
func laid(t *Type) *Type {
	t.lay()
	return t
}

// ListOf returns the type list<elem>.
func ListOf(elem *Type) *Type { return laid(&Type{Kind: KindList, Elem: elem}) }

// OptionOf returns the type option<elem>.
func OptionOf(elem *Type) *Type { return laid(&Type{Kind: KindOption, Elem: elem}) }

// ResultOf returns the type result<ok, err> (either may be nil).
func ResultOf(ok, err *Type) *Type { return laid(&Type{Kind: KindResult, OK: ok, Err: err}) }

// TupleOf returns the tuple of the given types.
func TupleOf(ts ...*Type) *Type { return laid(&Type{Kind: KindTuple, Types: ts}) }

// RecordOf returns a record type.
func RecordOf(fields ...Field) *Type { return laid(&Type{Kind: KindRecord, Fields: fields}) }

// VariantOf returns a variant type.
func VariantOf(cases ...Case) *Type { return laid(&Type{Kind: KindVariant, Cases: cases}) }

// EnumOf returns an enum type.
func EnumOf(labels ...string) *Type { return laid(&Type{Kind: KindEnum, Labels: labels}) }

// FlagsOf returns a flags type.
func FlagsOf(labels ...string) *Type { return laid(&Type{Kind: KindFlags, Labels: labels}) }

// maxTypeString bounds the length of a type's printed form.
const maxTypeString = 2000

// String returns the type in WIT syntax (abbreviated with "..." when
// very long).
func (t *Type) String() string {
	budget := maxTypeString
	return t.str(&budget)
}

func (t *Type) str(budget *int) string {
	if t == nil {
		return "_"
	}
	if *budget <= 0 {
		return "..."
	}
	*budget -= 8
	s := t.str1(budget)
	*budget -= len(s)
	return s
}

func (t *Type) str1(budget *int) string {
	switch t.Kind {
	case KindList:
		return "list<" + t.Elem.str(budget) + ">"
	case KindFixedList:
		return fmt.Sprintf("list<%s, %d>", t.Elem.str(budget), t.Len)
	case KindOption:
		return "option<" + t.Elem.str(budget) + ">"
	case KindResult:
		switch {
		case t.OK == nil && t.Err == nil:
			return "result"
		case t.Err == nil:
			return "result<" + t.OK.str(budget) + ">"
		}
		return "result<" + t.OK.str(budget) + ", " + t.Err.str(budget) + ">"
	case KindTuple:
		s := make([]string, len(t.Types))
		for i, e := range t.Types {
			s[i] = e.str(budget)
		}
		return "tuple<" + strings.Join(s, ", ") + ">"
	case KindRecord:
		s := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			s[i] = f.Name + ": " + f.Type.str(budget)
		}
		return "record { " + strings.Join(s, ", ") + " }"
	case KindVariant:
		s := make([]string, len(t.Cases))
		for i, c := range t.Cases {
			s[i] = c.Name
			if c.Type != nil {
				s[i] += "(" + c.Type.str(budget) + ")"
			}
		}
		return "variant { " + strings.Join(s, ", ") + " }"
	case KindEnum:
		return "enum { " + strings.Join(t.Labels, ", ") + " }"
	case KindFlags:
		return "flags { " + strings.Join(t.Labels, ", ") + " }"
	case KindOwn, KindBorrow:
		n := "resource"
		if t.Resource != nil && t.Resource.Name != "" {
			n = t.Resource.Name
		}
		if t.Kind == KindBorrow {
			return "borrow<" + n + ">"
		}
		return "own<" + n + ">"
	case KindStream, KindFuture:
		if t.Elem == nil {
			return t.Kind.String()
		}
		return t.Kind.String() + "<" + t.Elem.str(budget) + ">"
	case KindMap:
		return "map<" + t.Elem.str(budget) + ", " + t.Err.str(budget) + ">"
	}
	return t.Kind.String()
}

// Param is a named function parameter or result.
type Param struct {
	Name string
	Type *Type
}

// FuncType is a component function type.
type FuncType struct {
	Async   bool
	Params  []Param
	Results []Param // zero or one unnamed result (or named results, older encoding)
}

// String returns the type in WIT syntax.
func (f *FuncType) String() string {
	var b strings.Builder
	if f.Async {
		b.WriteString("async ")
	}
	b.WriteString("func(")
	for i, p := range f.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Name + ": " + p.Type.String())
	}
	b.WriteString(")")
	if len(f.Results) == 1 && f.Results[0].Name == "" {
		b.WriteString(" -> " + f.Results[0].Type.String())
	} else if len(f.Results) > 0 {
		b.WriteString(" -> (")
		for i, p := range f.Results {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(p.Name + ": " + p.Type.String())
		}
		b.WriteString(")")
	}
	return b.String()
}

// ExternDesc describes an import or export: its kind and type.
type ExternDesc struct {
	Kind      ExternKind
	Func      *FuncType
	Instance  *InstanceType
	Component *ComponentType
	// TypeVal is the type of a type import or export (*Type or
	// *ResourceType).
	TypeVal any
	// Value is the type of a value import or export, nil when it is
	// bound to another value ((eq i)).
	Value *Type
}

// String describes the extern in a WIT-like syntax, e.g.
// "func(a: u32) -> u32" or "instance { add: func(...) -> u32 }".
func (d ExternDesc) String() string {
	switch d.Kind {
	case ExternFunc:
		if d.Func == nil {
			return "func"
		}
		return d.Func.String()
	case ExternInstance:
		if d.Instance == nil {
			return "instance"
		}
		if len(d.Instance.Names) == 0 {
			return "instance {}"
		}
		return "instance { " + describe(d.Instance.Names, d.Instance.Exports) + " }"
	case ExternComponent:
		if d.Component == nil {
			return "component"
		}
		return "component { import " + describe(d.Component.ImportNames, d.Component.Imports) +
			"; export " + describe(d.Component.ExportNames, d.Component.Exports) + " }"
	case ExternTypeBound:
		switch t := d.TypeVal.(type) {
		case *ResourceType:
			return "resource"
		case *Type:
			return "type " + t.String()
		}
		return "type"
	case ExternCoreModule:
		return "core module"
	}
	if d.Value != nil {
		return "value " + d.Value.String()
	}
	return "value"
}

func describe(names []string, m map[string]ExternDesc) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + ": " + m[n].String()
	}
	return strings.Join(parts, ", ")
}

// InstanceType is a component instance type: its exports.
type InstanceType struct {
	Exports map[string]ExternDesc
	Names   []string // export names in order
}

// ComponentType is a component type: its imports and exports.
type ComponentType struct {
	Imports     map[string]ExternDesc
	ImportNames []string
	Exports     map[string]ExternDesc
	ExportNames []string
}

// typeScope is a type index space being built, for resolution of type
// definitions, component types and instance types.
type typeScope struct {
	parent    *typeScope
	types     []any // *Type, *FuncType, *InstanceType, *ComponentType, *ResourceType
	coreTypes []any
	// instances of a component type (imports, for export aliases)
	instances []*InstanceType
}

func (s *typeScope) typeAt(i uint32) (any, error) {
	if int64(i) >= int64(len(s.types)) {
		return nil, fmt.Errorf("type index %d out of range (%d types)", i, len(s.types))
	}
	return s.types[i], nil
}

// valType resolves a written value type.
func (s *typeScope) valType(r TypeRef) (*Type, error) {
	if r.Prim != 0 {
		t := Prim(r.Prim)
		if t == nil {
			return nil, fmt.Errorf("bad primitive type 0x%02x", byte(r.Prim))
		}
		return t, nil
	}
	e, err := s.typeAt(r.Index)
	if err != nil {
		return nil, err
	}
	switch t := e.(type) {
	case *Type:
		return t, nil
	case *unknownType:
		return &Type{Kind: kindUnknown}, nil
	}
	return nil, fmt.Errorf("type %d is not a value type", r.Index)
}

func (s *typeScope) optValType(r *TypeRef) (*Type, error) {
	if r == nil {
		return nil, nil
	}
	return s.valType(*r)
}

// defType resolves a type definition.
func (s *typeScope) defType(td *TypeDef, depth int) (any, error) {
	switch {
	case td.Val != nil:
		return s.defValType(td.Val)
	case td.Func != nil:
		return s.funcType(td.Func)
	case td.Instance != nil:
		return s.instanceType(td.Instance.Decls, depth)
	case td.Component != nil:
		return s.componentType(td.Component.Decls, depth)
	case td.Resource != nil:
		return &ResourceType{}, nil
	}
	return nil, fmt.Errorf("empty type definition")
}

func (s *typeScope) defValType(d *DefValType) (*Type, error) {
	if d.Kind.IsPrimitive() {
		return Prim(d.Kind), nil
	}
	t := &Type{Kind: d.Kind}
	var err error
	seen := map[string]bool{}
	unique := func(l string) error {
		if seen[l] {
			return fmt.Errorf("duplicate label %q in %v", l, d.Kind)
		}
		seen[l] = true
		return nil
	}
	switch d.Kind {
	case KindRecord:
		t.Fields = make([]Field, len(d.Fields))
		for i, f := range d.Fields {
			if err := unique(f.Name); err != nil {
				return nil, err
			}
			t.Fields[i].Name = f.Name
			if t.Fields[i].Type, err = s.valType(f.Type); err != nil {
				return nil, err
			}
		}
	case KindVariant:
		t.Cases = make([]Case, len(d.Cases))
		for i, c := range d.Cases {
			if err := unique(c.Name); err != nil {
				return nil, err
			}
			t.Cases[i].Name = c.Name
			if t.Cases[i].Type, err = s.optValType(c.Type); err != nil {
				return nil, err
			}
		}
	case KindList, KindOption, KindFixedList, KindStream, KindFuture:
		if t.Elem, err = s.optValType(d.Elem); err != nil {
			return nil, err
		}
		t.Len = int(d.Len)
	case KindTuple:
		t.Types = make([]*Type, len(d.Types))
		for i, e := range d.Types {
			if t.Types[i], err = s.valType(e); err != nil {
				return nil, err
			}
		}
	case KindFlags, KindEnum:
		for _, l := range d.Labels {
			if err := unique(l); err != nil {
				return nil, err
			}
		}
		t.Labels = d.Labels
	case KindResult:
		if t.OK, err = s.optValType(d.Elem); err != nil {
			return nil, err
		}
		if t.Err, err = s.optValType(d.Value); err != nil {
			return nil, err
		}
	case KindMap:
		if t.Elem, err = s.valType(*d.Elem); err != nil {
			return nil, err
		}
		if t.Err, err = s.valType(*d.Value); err != nil {
			return nil, err
		}
	case KindOwn, KindBorrow:
		e, err := s.typeAt(d.Res)
		if err != nil {
			return nil, err
		}
		r, ok := e.(*ResourceType)
		if _, unknown := e.(*unknownType); unknown {
			r, ok = &ResourceType{}, true
		}
		if !ok {
			return nil, fmt.Errorf("%v of type %d, which is not a resource", d.Kind, d.Res)
		}
		t.Resource = r
	default:
		return nil, fmt.Errorf("unknown value type kind 0x%02x", byte(d.Kind))
	}
	if t.lay().size >= 1<<28 {
		return nil, fmt.Errorf("type %v is too large (2^28 bytes or more)", t.Kind)
	}
	return t, nil
}

func (s *typeScope) funcType(d *FuncTypeDef) (*FuncType, error) {
	f := &FuncType{Async: d.Async}
	seen := map[string]bool{}
	for _, p := range d.Params {
		if seen[p.Name] {
			return nil, fmt.Errorf("duplicate parameter %q", p.Name)
		}
		seen[p.Name] = true
		t, err := s.valType(p.Type)
		if err != nil {
			return nil, err
		}
		f.Params = append(f.Params, Param{p.Name, t})
	}
	if d.Result != nil {
		t, err := s.valType(*d.Result)
		if err != nil {
			return nil, err
		}
		f.Results = []Param{{"", t}}
	}
	for _, p := range d.Results {
		t, err := s.valType(p.Type)
		if err != nil {
			return nil, err
		}
		f.Results = append(f.Results, Param{p.Name, t})
	}
	for _, r := range f.Results {
		if containsBorrow(r.Type, 0) {
			return nil, fmt.Errorf("function result contains a borrow")
		}
	}
	return f, nil
}

func containsBorrow(t *Type, _ int) bool {
	return anyType(t, func(t *Type) bool { return t.Kind == KindBorrow })
}

// children returns the types t refers to directly.
func (t *Type) children() []*Type {
	out := append([]*Type{t.Elem, t.OK, t.Err}, t.Types...)
	for _, f := range t.Fields {
		out = append(out, f.Type)
	}
	for _, c := range t.Cases {
		out = append(out, c.Type)
	}
	return out
}

// anyType reports whether pred holds for t or a type it refers to,
// visiting each type node once.
func anyType(t *Type, pred func(*Type) bool) bool {
	seen := map[*Type]bool{}
	var walk func(t *Type) bool
	walk = func(t *Type) bool {
		if t == nil || seen[t] {
			return false
		}
		seen[t] = true
		if pred(t) {
			return true
		}
		if t.Kind == KindStream || t.Kind == KindFuture {
			return false // their element types are not part of the value
		}
		for _, c := range t.children() {
			if walk(c) {
				return true
			}
		}
		return false
	}
	return walk(t)
}

// externDesc resolves an extern type in scope s.
func (s *typeScope) externDesc(et ExternType, name string) (ExternDesc, error) {
	d := ExternDesc{Kind: et.Kind}
	switch et.Kind {
	case ExternCoreModule:
		return d, nil
	case ExternFunc:
		e, err := s.typeAt(et.Index)
		if err != nil {
			return d, err
		}
		f, ok := e.(*FuncType)
		if !ok {
			return d, fmt.Errorf("%q: type %d is not a function type", name, et.Index)
		}
		d.Func = f
	case ExternInstance:
		e, err := s.typeAt(et.Index)
		if err != nil {
			return d, err
		}
		it, ok := e.(*InstanceType)
		if !ok {
			return d, fmt.Errorf("%q: type %d is not an instance type", name, et.Index)
		}
		d.Instance = it
	case ExternComponent:
		e, err := s.typeAt(et.Index)
		if err != nil {
			return d, err
		}
		ct, ok := e.(*ComponentType)
		if !ok {
			return d, fmt.Errorf("%q: type %d is not a component type", name, et.Index)
		}
		d.Component = ct
	case ExternTypeBound:
		if et.SubResource {
			d.TypeVal = &ResourceType{Name: name, abstract: true}
		} else {
			e, err := s.typeAt(et.Index)
			if err != nil {
				return d, err
			}
			d.TypeVal = e
		}
	case ExternValue:
		if et.ValType != nil {
			t, err := s.valType(*et.ValType)
			if err != nil {
				return d, err
			}
			d.Value = t
		}
	default:
		return d, fmt.Errorf("bad extern kind %d", et.Kind)
	}
	return d, nil
}

// outer returns the scope count levels out.
func (s *typeScope) outer(count uint32) (*typeScope, error) {
	o := s
	for i := uint32(0); i < count; i++ {
		if o.parent == nil {
			return nil, fmt.Errorf("outer alias count %d exceeds the enclosing scopes", count)
		}
		o = o.parent
	}
	return o, nil
}

// decls resolves the declarators of a component or instance type.
func (s *typeScope) decls(decls []Decl, depth int, imports, exports *map[string]ExternDesc, importNames, exportNames *[]string) error {
	if depth > maxDepth {
		return fmt.Errorf("types nested too deeply")
	}
	inner := &typeScope{parent: s}
	for i, dc := range decls {
		var err error
		switch {
		case dc.CoreType != nil:
			inner.coreTypes = append(inner.coreTypes, dc.CoreType)
		case dc.Type != nil:
			var t any
			if dc.Type.Resource != nil {
				return fmt.Errorf("declarator %d: resource type definition inside a type", i)
			}
			if t, err = inner.defType(dc.Type, depth+1); err != nil {
				return fmt.Errorf("declarator %d: %w", i, err)
			}
			inner.types = append(inner.types, t)
		case dc.Alias != nil:
			a := dc.Alias
			switch a.Kind {
			case AliasOuter:
				o, err := inner.outer(a.Outer.Count)
				if err != nil {
					return fmt.Errorf("declarator %d: %w", i, err)
				}
				switch a.Sort {
				case SortType:
					t, err := o.typeAt(a.Outer.Index)
					if err != nil {
						return fmt.Errorf("declarator %d: %w", i, err)
					}
					inner.types = append(inner.types, t)
				case SortCoreType:
					if int64(a.Outer.Index) >= int64(len(o.coreTypes)) {
						return fmt.Errorf("declarator %d: core type index out of range", i)
					}
					inner.coreTypes = append(inner.coreTypes, o.coreTypes[a.Outer.Index])
				default:
					return fmt.Errorf("declarator %d: outer alias of sort %v", i, a.Sort)
				}
			case AliasExport:
				if int64(a.Instance) >= int64(len(inner.instances)) {
					return fmt.Errorf("declarator %d: instance index %d out of range", i, a.Instance)
				}
				ed, ok := inner.instances[a.Instance].Exports[a.Name]
				if !ok {
					return fmt.Errorf("declarator %d: instance %d has no export %q", i, a.Instance, a.Name)
				}
				switch a.Sort {
				case SortType:
					if ed.Kind != ExternTypeBound {
						return fmt.Errorf("declarator %d: export %q is not a type", i, a.Name)
					}
					inner.types = append(inner.types, ed.TypeVal)
				case SortInstance:
					if ed.Kind != ExternInstance {
						return fmt.Errorf("declarator %d: export %q is not an instance", i, a.Name)
					}
					inner.instances = append(inner.instances, ed.Instance)
				default:
					return fmt.Errorf("declarator %d: export alias of sort %v", i, a.Sort)
				}
			default:
				return fmt.Errorf("declarator %d: core export alias in a type", i)
			}
		case dc.Import != nil || dc.Export != nil:
			id := dc.Import
			m, names := imports, importNames
			if id == nil {
				id = dc.Export
				m, names = exports, exportNames
			}
			ed, err := inner.externDesc(id.Type, id.Name.Name)
			if err != nil {
				return fmt.Errorf("declarator %d: %w", i, err)
			}
			if _, dup := (*m)[id.Name.Name]; dup {
				return fmt.Errorf("declarator %d: duplicate name %q", i, id.Name.Name)
			}
			(*m)[id.Name.Name] = ed
			*names = append(*names, id.Name.Name)
			switch ed.Kind {
			case ExternTypeBound:
				inner.types = append(inner.types, ed.TypeVal)
			case ExternInstance:
				inner.instances = append(inner.instances, ed.Instance)
			}
		}
	}
	return nil
}

func (s *typeScope) instanceType(decls []Decl, depth int) (*InstanceType, error) {
	it := &InstanceType{Exports: map[string]ExternDesc{}}
	var none map[string]ExternDesc
	var noneNames []string
	if err := s.decls(decls, depth, &none, &it.Exports, &noneNames, &it.Names); err != nil {
		return nil, err
	}
	return it, nil
}

func (s *typeScope) componentType(decls []Decl, depth int) (*ComponentType, error) {
	ct := &ComponentType{Imports: map[string]ExternDesc{}, Exports: map[string]ExternDesc{}}
	if err := s.decls(decls, depth, &ct.Imports, &ct.Exports, &ct.ImportNames, &ct.ExportNames); err != nil {
		return nil, err
	}
	return ct, nil
}
