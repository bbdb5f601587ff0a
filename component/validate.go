package component

import (
	"fmt"

	"github.com/gowasm/gowasm/wasm"
)

// coreInstShape is what validation knows of a core instance: the kind of
// each export and the type of each exported function; nil when unknown.
type coreInstShape struct {
	kinds map[string]wasm.ExternKind
	funcs map[string]*wasm.FuncType
}

// unknownType stands for a type that validation cannot know statically;
// it is accepted both as a value type and as a resource type. Validation
// now knows the type of every instance and component (the exports of an
// instance of a component come from instantiateType), so it remains only
// as a guard for an instance whose type is missing (nil).
type unknownType struct{}

// vscope is the static state of one component during validation.
type vscope struct {
	parent *vscope
	ty     *typeScope

	coreFuncs     []*wasm.FuncType // nil entries: type unknown
	coreTables    int
	coreMems      int
	coreGlobals   int
	coreModules   []*wasm.Module // nil for imported modules
	coreInstances []*coreInstShape

	funcs      []*FuncType
	instances  []*InstanceType  // nil when unknown
	components []*ComponentType // nil when unknown
	values     []*Type          // nil when unknown

	// ct is the type of the component: its imports and exports, in
	// order, as they are seen from outside.
	ct *ComponentType
}

// Validate checks the component statically: every index of every index
// space is in range and of the right sort, types resolve, exports of
// core instances and typed instances exist with the right kind, canonical
// definitions have well-typed options and lifted functions have the core
// type the canonical ABI requires, import and export names are unique,
// instantiations of components supply every import with an entity of
// its kind, value definitions decode, and the start function's
// arguments and results agree with its type. Instantiate performs the
// same checks, and more, at run time. Validation computes the type of
// the component (see Type).
func (c *Component) Validate() error {
	_, err := c.Type()
	return err
}

// validateComponent validates c, nested in the component parent (nil at
// the top level), and returns its type: the types of its imports and
// exports.
func validateComponent(c *Component, parent *vscope, depth int) (*ComponentType, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("components nested too deeply")
	}
	v := &vscope{parent: parent, ty: &typeScope{},
		ct: &ComponentType{Imports: map[string]ExternDesc{}, Exports: map[string]ExternDesc{}}}
	if parent != nil {
		v.ty.parent = parent.ty
	}
	for i, d := range c.Defs {
		if err := v.def(d, depth); err != nil {
			return nil, fmt.Errorf("%s (%s): %w", c.where(i), defName(d), err)
		}
	}
	return v.ct, nil
}

func defName(d Def) string {
	switch d.(type) {
	case *CoreModule:
		return "core module"
	case *CoreInstance:
		return "core instance"
	case *CoreTypeDef:
		return "core type"
	case *Component:
		return "component"
	case *InstanceDef:
		return "instance"
	case *Alias:
		return "alias"
	case *TypeDef:
		return "type"
	case *Canon:
		return "canon"
	case *Start:
		return "start"
	case *Import:
		return "import"
	case *Export:
		return "export"
	}
	return "value"
}

func idx(i uint32, n int, what string) error {
	if int64(i) >= int64(n) {
		return fmt.Errorf("%s index %d out of range (%d defined)", what, i, n)
	}
	return nil
}

func (v *vscope) def(d Def, depth int) error {
	switch d := d.(type) {
	case *CoreModule:
		v.coreModules = append(v.coreModules, d.Module)
	case *Component:
		ct, err := validateComponent(d, v, depth+1)
		if err != nil {
			return err
		}
		v.components = append(v.components, ct)
	case *CoreTypeDef:
		v.ty.coreTypes = append(v.ty.coreTypes, d)
	case *TypeDef:
		if d.Resource != nil {
			if d.Resource.HasDtor {
				if err := idx(d.Resource.Dtor, len(v.coreFuncs), "core function"); err != nil {
					return err
				}
				want := wasm.FuncType{Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{}}
				if ft := v.coreFuncs[d.Resource.Dtor]; ft != nil && !ft.Equal(&want) {
					return fmt.Errorf("resource destructor has type %v, want [i32] -> []", ft)
				}
			}
			v.ty.types = append(v.ty.types, &ResourceType{})
			return nil
		}
		t, err := v.ty.defType(d, 0)
		if err != nil {
			return err
		}
		v.ty.types = append(v.ty.types, t)
	case *Import:
		if _, dup := v.ct.Imports[d.Name.Name]; dup {
			return fmt.Errorf("duplicate import name %q", d.Name.Name)
		}
		desc, err := v.ty.externDesc(d.Type, d.Name.Name)
		if err != nil {
			return err
		}
		if desc.Kind == ExternValue && d.Type.ValType == nil {
			// (eq i): the type of value i.
			if err := idx(d.Type.Index, len(v.values), "value"); err != nil {
				return err
			}
			desc.Value = v.values[d.Type.Index]
		}
		v.ct.Imports[d.Name.Name] = desc
		v.ct.ImportNames = append(v.ct.ImportNames, d.Name.Name)
		return v.pushDesc(desc)
	case *CoreInstance:
		return v.coreInstance(d)
	case *InstanceDef:
		return v.instance(d)
	case *Alias:
		return v.alias(d)
	case *Canon:
		return v.canon(d)
	case *Export:
		if _, dup := v.ct.Exports[d.Name.Name]; dup {
			return fmt.Errorf("duplicate export name %q", d.Name.Name)
		}
		desc, err := v.sortDesc(d.Ref)
		if err != nil {
			return err
		}
		if d.Type != nil {
			want, err := v.ty.externDesc(*d.Type, d.Name.Name)
			if err != nil {
				return err
			}
			if want.Kind != desc.Kind {
				return fmt.Errorf("export %q: ascribed type is a %v, the entity a %v", d.Name.Name, want, desc)
			}
			if want.Func != nil && desc.Func != nil {
				if err := funcTypeMatches(want.Func, desc.Func); err != nil {
					return fmt.Errorf("export %q: %w", d.Name.Name, err)
				}
			}
			if want.Value != nil && desc.Value != nil && !typeMatches(want.Value, desc.Value, 0) {
				return fmt.Errorf("export %q: ascribed type %v, the value is a %v", d.Name.Name, want.Value, desc.Value)
			}
			switch want.Kind {
			case ExternFunc:
				// The ascribed type is the one seen from outside (and the
				// one instantiation gives the exported function).
				if want.Func != nil {
					desc.Func = want.Func
				}
			case ExternTypeBound:
				// A (sub resource) bound exports the resource itself, as
				// instantiation does; an (eq t) bound is t.
				if r, ok := want.TypeVal.(*ResourceType); !ok || !r.abstract {
					desc = want
				}
			case ExternValue:
				if desc.Value == nil {
					desc.Value = want.Value
				}
			}
		}
		nameResource(desc, d.Name.Name)
		v.ct.Exports[d.Name.Name] = desc
		v.ct.ExportNames = append(v.ct.ExportNames, d.Name.Name)
		return v.pushDesc(desc)
	case *Start:
		return v.start(d)
	case *ValueDef:
		t, err := v.ty.valType(d.Type)
		if err != nil {
			return err
		}
		if t.Kind != kindUnknown {
			if _, err := decodeValue(t, d.Data); err != nil {
				return err
			}
		}
		v.values = append(v.values, t)
	}
	return nil
}

// start checks a start definition against the type of its function and
// appends the function's results to the value index space.
func (v *vscope) start(d *Start) error {
	if err := idx(d.Func, len(v.funcs), "function"); err != nil {
		return err
	}
	ft := v.funcs[d.Func]
	if ft == nil {
		return fmt.Errorf("start function of unknown type")
	}
	if len(d.Args) != len(ft.Params) {
		return fmt.Errorf("start function takes %d arguments, %d given", len(ft.Params), len(d.Args))
	}
	if int64(d.Results) != int64(len(ft.Results)) {
		return fmt.Errorf("start function returns %d results, %d declared", len(ft.Results), d.Results)
	}
	for i, a := range d.Args {
		if err := idx(a, len(v.values), "value"); err != nil {
			return err
		}
		want, have := ft.Params[i].Type, v.values[a]
		if have != nil && !hasUnknown(have, 0) && !hasUnknown(want, 0) && !typeMatches(want, have, 0) {
			return fmt.Errorf("start argument %d: value %d is a %v, the parameter a %v", i, a, have, want)
		}
	}
	for _, r := range ft.Results {
		v.values = append(v.values, r.Type)
	}
	return nil
}

// pushDesc appends an imported or exported entity of type d.
func (v *vscope) pushDesc(d ExternDesc) error {
	switch d.Kind {
	case ExternFunc:
		v.funcs = append(v.funcs, d.Func)
	case ExternInstance:
		v.instances = append(v.instances, d.Instance)
	case ExternTypeBound:
		v.ty.types = append(v.ty.types, d.TypeVal)
	case ExternComponent:
		v.components = append(v.components, d.Component)
	case ExternCoreModule:
		v.coreModules = append(v.coreModules, nil)
	case ExternValue:
		v.values = append(v.values, d.Value)
	}
	return nil
}

// sortDesc returns the type of the entity a sort index names.
func (v *vscope) sortDesc(si SortIdx) (ExternDesc, error) {
	switch si.Sort {
	case SortFunc:
		if err := idx(si.Index, len(v.funcs), "function"); err != nil {
			return ExternDesc{}, err
		}
		return ExternDesc{Kind: ExternFunc, Func: v.funcs[si.Index]}, nil
	case SortInstance:
		if err := idx(si.Index, len(v.instances), "instance"); err != nil {
			return ExternDesc{}, err
		}
		return ExternDesc{Kind: ExternInstance, Instance: v.instances[si.Index]}, nil
	case SortType:
		if err := idx(si.Index, len(v.ty.types), "type"); err != nil {
			return ExternDesc{}, err
		}
		return ExternDesc{Kind: ExternTypeBound, TypeVal: v.ty.types[si.Index]}, nil
	case SortComponent:
		if err := idx(si.Index, len(v.components), "component"); err != nil {
			return ExternDesc{}, err
		}
		return ExternDesc{Kind: ExternComponent, Component: v.components[si.Index]}, nil
	case SortCoreModule:
		if err := idx(si.Index, len(v.coreModules), "core module"); err != nil {
			return ExternDesc{}, err
		}
		return ExternDesc{Kind: ExternCoreModule}, nil
	case SortValue:
		if err := idx(si.Index, len(v.values), "value"); err != nil {
			return ExternDesc{}, err
		}
		return ExternDesc{Kind: ExternValue, Value: v.values[si.Index]}, nil
	}
	return ExternDesc{}, fmt.Errorf("sort %v cannot be used here", si.Sort)
}

func (v *vscope) coreCount(s Sort) (int, error) {
	switch s {
	case SortCoreFunc:
		return len(v.coreFuncs), nil
	case SortCoreTable:
		return v.coreTables, nil
	case SortCoreMemory:
		return v.coreMems, nil
	case SortCoreGlobal:
		return v.coreGlobals, nil
	}
	return 0, fmt.Errorf("core sort %v cannot be exported from a core instance", s)
}

func coreSortKind(s Sort) (wasm.ExternKind, bool) {
	switch s {
	case SortCoreFunc:
		return wasm.ExternFunc, true
	case SortCoreTable:
		return wasm.ExternTable, true
	case SortCoreMemory:
		return wasm.ExternMemory, true
	case SortCoreGlobal:
		return wasm.ExternGlobal, true
	case SortCoreTag:
		return wasm.ExternTag, true
	}
	return 0, false
}

func (v *vscope) coreInstance(d *CoreInstance) error {
	shape := &coreInstShape{kinds: map[string]wasm.ExternKind{}, funcs: map[string]*wasm.FuncType{}}
	if !d.Instantiate {
		for _, e := range d.Exports {
			n, err := v.coreCount(e.Ref.Sort)
			if err != nil {
				return err
			}
			if err := idx(e.Ref.Index, n, e.Ref.Sort.String()); err != nil {
				return err
			}
			k, _ := coreSortKind(e.Ref.Sort)
			shape.kinds[e.Name] = k
			if k == wasm.ExternFunc {
				shape.funcs[e.Name] = v.coreFuncs[e.Ref.Index]
			}
		}
		v.coreInstances = append(v.coreInstances, shape)
		return nil
	}
	if err := idx(d.Module, len(v.coreModules), "core module"); err != nil {
		return err
	}
	args := map[string]*coreInstShape{}
	for _, a := range d.Args {
		if err := idx(a.Instance, len(v.coreInstances), "core instance"); err != nil {
			return err
		}
		if _, dup := args[a.Name]; dup {
			return fmt.Errorf("duplicate core instantiation argument %q", a.Name)
		}
		args[a.Name] = v.coreInstances[a.Instance]
	}
	m := v.coreModules[d.Module]
	if m == nil {
		v.coreInstances = append(v.coreInstances, nil)
		return nil
	}
	for _, im := range m.Imports {
		a, ok := args[im.Module]
		if !ok {
			return fmt.Errorf("core module import %q.%q: no instantiation argument %q", im.Module, im.Name, im.Module)
		}
		if a == nil {
			continue
		}
		k, ok := a.kinds[im.Name]
		if !ok {
			return fmt.Errorf("core module import %q.%q: argument instance has no export %q", im.Module, im.Name, im.Name)
		}
		if k != im.Kind {
			return fmt.Errorf("core module import %q.%q: want a %v, got a %v", im.Module, im.Name, im.Kind, k)
		}
		if k == wasm.ExternFunc {
			if have, want := a.funcs[im.Name], m.FuncTypeAt(im.Func); have != nil && want != nil && !have.Equal(want) {
				return fmt.Errorf("core module import %q.%q: want type %v, got %v", im.Module, im.Name, want, have)
			}
		}
	}
	ftis := m.FuncTypeIndices()
	for _, e := range m.Exports {
		shape.kinds[e.Name] = e.Kind
		if e.Kind == wasm.ExternFunc && int64(e.Index) < int64(len(ftis)) {
			shape.funcs[e.Name] = m.FuncTypeAt(ftis[e.Index])
		}
	}
	v.coreInstances = append(v.coreInstances, shape)
	return nil
}

func (v *vscope) instance(d *InstanceDef) error {
	if !d.Instantiate {
		it := &InstanceType{Exports: map[string]ExternDesc{}}
		for _, e := range d.Exports {
			desc, err := v.sortDesc(e.Ref)
			if err != nil {
				return err
			}
			if _, dup := it.Exports[e.Name.Name]; dup {
				return fmt.Errorf("duplicate export name %q", e.Name.Name)
			}
			nameResource(desc, e.Name.Name)
			it.Exports[e.Name.Name] = desc
			it.Names = append(it.Names, e.Name.Name)
		}
		v.instances = append(v.instances, it)
		return nil
	}
	if err := idx(d.Component, len(v.components), "component"); err != nil {
		return err
	}
	args := map[string]ExternDesc{}
	for _, a := range d.Args {
		if _, dup := args[a.Name]; dup {
			return fmt.Errorf("duplicate instantiation argument %q", a.Name)
		}
		desc, err := v.sortDesc(a.Ref)
		if err != nil {
			return err
		}
		args[a.Name] = desc
	}
	var it *InstanceType
	if ct := v.components[d.Component]; ct != nil {
		m := argResources(ct, args)
		for _, n := range ct.ImportNames {
			a, ok := args[n]
			if !ok {
				return fmt.Errorf("missing instantiation argument %q", n)
			}
			if err := checkArg(m, ct.Imports[n], a, 0); err != nil {
				return fmt.Errorf("instantiation argument %q: %w", n, err)
			}
		}
		it = instantiateTypeIn(m, ct)
	}
	v.instances = append(v.instances, it)
	return nil
}

func sortExternKind(s Sort) ExternKind {
	switch s {
	case SortFunc:
		return ExternFunc
	case SortInstance:
		return ExternInstance
	case SortType:
		return ExternTypeBound
	case SortComponent:
		return ExternComponent
	case SortCoreModule:
		return ExternCoreModule
	}
	return ExternValue
}

func (v *vscope) alias(a *Alias) error {
	switch a.Kind {
	case AliasCoreExport:
		if err := idx(a.Instance, len(v.coreInstances), "core instance"); err != nil {
			return err
		}
		want, ok := coreSortKind(a.Sort)
		if !ok {
			return fmt.Errorf("core export alias of sort %v", a.Sort)
		}
		var ft *wasm.FuncType
		if sh := v.coreInstances[a.Instance]; sh != nil {
			k, ok := sh.kinds[a.Name]
			if !ok {
				return fmt.Errorf("core instance %d has no export %q", a.Instance, a.Name)
			}
			if k != want {
				return fmt.Errorf("core instance %d export %q is a %v, not a %v", a.Instance, a.Name, k, want)
			}
			ft = sh.funcs[a.Name]
		}
		switch a.Sort {
		case SortCoreFunc:
			v.coreFuncs = append(v.coreFuncs, ft)
		case SortCoreTable:
			v.coreTables++
		case SortCoreMemory:
			v.coreMems++
		case SortCoreGlobal:
			v.coreGlobals++
		}
	case AliasExport:
		if err := idx(a.Instance, len(v.instances), "instance"); err != nil {
			return err
		}
		desc := ExternDesc{Kind: sortExternKind(a.Sort)}
		if it := v.instances[a.Instance]; it != nil {
			d, ok := it.Exports[a.Name]
			if !ok {
				return fmt.Errorf("instance %d has no export %q", a.Instance, a.Name)
			}
			if d.Kind != desc.Kind {
				return fmt.Errorf("instance %d export %q is a %v, not a %v", a.Instance, a.Name, d, a.Sort)
			}
			desc = d
		}
		if desc.Kind == ExternValue && a.Sort != SortValue {
			return fmt.Errorf("export alias of sort %v", a.Sort)
		}
		if desc.Kind == ExternTypeBound && desc.TypeVal == nil {
			desc.TypeVal = &unknownType{} // statically unknown
		}
		return v.pushDesc(desc)
	case AliasOuter:
		o := v
		for n := uint32(0); n < a.Outer.Count; n++ {
			if o.parent == nil {
				return fmt.Errorf("outer alias count %d exceeds the enclosing components", a.Outer.Count)
			}
			o = o.parent
		}
		switch a.Sort {
		case SortType:
			if err := idx(a.Outer.Index, len(o.ty.types), "outer type"); err != nil {
				return err
			}
			if _, ok := o.ty.types[a.Outer.Index].(*ResourceType); ok && a.Outer.Count > 0 {
				return fmt.Errorf("outer alias of a resource type across a component boundary")
			}
			v.ty.types = append(v.ty.types, o.ty.types[a.Outer.Index])
		case SortCoreType:
			if err := idx(a.Outer.Index, len(o.ty.coreTypes), "outer core type"); err != nil {
				return err
			}
			v.ty.coreTypes = append(v.ty.coreTypes, o.ty.coreTypes[a.Outer.Index])
		case SortCoreModule:
			if err := idx(a.Outer.Index, len(o.coreModules), "outer core module"); err != nil {
				return err
			}
			v.coreModules = append(v.coreModules, o.coreModules[a.Outer.Index])
		case SortComponent:
			if err := idx(a.Outer.Index, len(o.components), "outer component"); err != nil {
				return err
			}
			v.components = append(v.components, o.components[a.Outer.Index])
		default:
			return fmt.Errorf("outer alias of sort %v", a.Sort)
		}
	default:
		return fmt.Errorf("bad alias kind %d", a.Kind)
	}
	return nil
}

func (v *vscope) opts(o CanonOpts) error {
	if o.HasMemory {
		if err := idx(o.Memory, v.coreMems, "core memory"); err != nil {
			return err
		}
	}
	check := func(i uint32, what string, want *wasm.FuncType) error {
		if err := idx(i, len(v.coreFuncs), what+" function"); err != nil {
			return err
		}
		if ft := v.coreFuncs[i]; ft != nil && want != nil && !ft.Equal(want) {
			return fmt.Errorf("%s function has type %v, want %v", what, ft, want)
		}
		return nil
	}
	if o.HasRealloc {
		i32 := wasm.I32
		if err := check(o.Realloc, "realloc", &wasm.FuncType{Params: []wasm.ValType{i32, i32, i32, i32}, Results: []wasm.ValType{i32}}); err != nil {
			return err
		}
		if !o.HasMemory {
			return fmt.Errorf("realloc requires the memory option")
		}
	}
	if o.HasPostReturn {
		if err := check(o.PostReturn, "post-return", nil); err != nil {
			return err
		}
	}
	if o.HasCallback {
		if err := check(o.Callback, "callback", nil); err != nil {
			return err
		}
	}
	return nil
}

func (v *vscope) canon(c *Canon) error {
	if err := v.opts(c.Opts); err != nil {
		return err
	}
	switch c.Op {
	case CanonLift:
		if err := idx(c.Func, len(v.coreFuncs), "core function"); err != nil {
			return err
		}
		e, err := v.ty.typeAt(c.Type)
		if err != nil {
			return err
		}
		ft, ok := e.(*FuncType)
		if !ok {
			return fmt.Errorf("type %d is not a function type", c.Type)
		}
		if !c.Opts.Async && !funcHasUnknown(ft) {
			sig, _, _ := coreSig(ft, false)
			if have := v.coreFuncs[c.Func]; have != nil && !have.Equal(&sig) {
				return fmt.Errorf("lifted core function has type %v, the canonical ABI wants %v for %v", have, &sig, ft)
			}
			if needsMemory(ft) && !c.Opts.HasMemory {
				return fmt.Errorf("lifting %v requires the memory option", ft)
			}
		}
		v.funcs = append(v.funcs, ft)
	case CanonLower:
		if err := idx(c.Func, len(v.funcs), "function"); err != nil {
			return err
		}
		var sig *wasm.FuncType
		if ft := v.funcs[c.Func]; ft != nil && !c.Opts.Async && !funcHasUnknown(ft) {
			s, _, _ := coreSig(ft, true)
			sig = &s
			if needsMemory(ft) && !c.Opts.HasMemory {
				return fmt.Errorf("lowering %v requires the memory option", ft)
			}
		}
		v.coreFuncs = append(v.coreFuncs, sig)
	case CanonResourceNew, CanonResourceDrop, CanonResourceRep, CanonResourceDropAsync:
		e, err := v.ty.typeAt(c.Type)
		if err != nil {
			return err
		}
		if _, ok := e.(*ResourceType); !ok {
			return fmt.Errorf("type %d is not a resource type", c.Type)
		}
		i32 := []wasm.ValType{wasm.I32}
		sig := &wasm.FuncType{Params: i32, Results: i32}
		if c.Op == CanonResourceDrop || c.Op == CanonResourceDropAsync {
			sig = &wasm.FuncType{Params: i32, Results: []wasm.ValType{}}
		}
		v.coreFuncs = append(v.coreFuncs, sig)
	default:
		v.coreFuncs = append(v.coreFuncs, nil) // async built-ins: not checked
	}
	return nil
}

// needsMemory reports whether lifting or lowering a function of type ft
// uses linear memory (strings, lists, or spilled parameters or results).
func needsMemory(ft *FuncType) bool {
	_, sp, sr := coreSig(ft, false)
	if sp || sr {
		return true
	}
	for _, p := range append(append([]Param(nil), ft.Params...), ft.Results...) {
		if usesMemory(p.Type, 0) {
			return true
		}
	}
	return false
}

func usesMemory(t *Type, _ int) bool {
	return anyType(t, func(t *Type) bool {
		return t.Kind == KindString || t.Kind == KindList || t.Kind == KindMap
	})
}

// funcHasUnknown reports whether a parameter or result of ft has a type
// validation could not know statically.
func funcHasUnknown(ft *FuncType) bool {
	for _, p := range append(append([]Param(nil), ft.Params...), ft.Results...) {
		if hasUnknown(p.Type, 0) {
			return true
		}
	}
	return false
}

func hasUnknown(t *Type, _ int) bool {
	return anyType(t, func(t *Type) bool { return t.Kind == kindUnknown })
}
