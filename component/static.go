package component

import "fmt"

// ImportInfo is an import of a component with its resolved type.
type ImportInfo struct {
	Name string
	Desc ExternDesc
}

// ExportInfo is an export of a component with its resolved type.
type ExportInfo struct {
	Name string
	Desc ExternDesc
}

// Type returns the component's type: its imports and exports in order,
// with their types resolved without instantiating it. It validates the
// component (see Validate) and fails if it is invalid.
//
// The types are those validation computes. An imported resource is
// abstract: a *ResourceType with the import's name, which stands for
// whatever resource the host supplies (DefineResource). The exports of
// an instance created inside the component are computed from the
// instantiated component's type, with the resources of its imports
// replaced by those the instantiation arguments supply, so an exported
// interface's functions use the resources the interface exports. A
// resource the component defines (or a component it instantiates) is
// one *ResourceType per definition, named after its first export (at
// run time each instantiation creates its own resources). A value has
// its type (Desc.Value; nil only if it is not known statically); a core
// module has no type (Kind ExternCoreModule only).
//
// The type is computed once (by Compile, or by the first call) and
// shared by later calls and by Imports and Exports, so resources are the
// same pointers in all of them; do not modify it.
func (c *Component) Type() (*ComponentType, error) {
	if ct := c.typ.Load(); ct != nil {
		return ct, nil
	}
	ct, err := validateComponent(c, nil, 0)
	if err != nil {
		return nil, fmt.Errorf("component: invalid: %w", err)
	}
	if !c.typ.CompareAndSwap(nil, ct) {
		ct = c.typ.Load()
	}
	return ct, nil
}

// Imports returns the component's imports with their types, resolved
// without instantiating it, so that a host can see what to define. It is
// the import half of Type.
func (c *Component) Imports() ([]ImportInfo, error) {
	ct, err := c.Type()
	if err != nil {
		return nil, err
	}
	out := make([]ImportInfo, len(ct.ImportNames))
	for i, n := range ct.ImportNames {
		out[i] = ImportInfo{n, ct.Imports[n]}
	}
	return out, nil
}

// Exports returns the component's exports with their types, resolved
// without instantiating it: functions (Desc.Func), instances such as
// exported interfaces (Desc.Instance, with their functions, resources
// and types), resources and value types (Desc.TypeVal), components
// (Desc.Component), values (Desc.Value) and core modules. It is the
// export half of Type. The
// names, with "iface#f" for each function f of an exported instance
// iface, are those (*Instance).Exports lists after instantiation.
func (c *Component) Exports() ([]ExportInfo, error) {
	ct, err := c.Type()
	if err != nil {
		return nil, err
	}
	out := make([]ExportInfo, len(ct.ExportNames))
	for i, n := range ct.ExportNames {
		out[i] = ExportInfo{n, ct.Exports[n]}
	}
	return out, nil
}

// instantiateType returns the type of an instance of a component of
// type ct instantiated with arguments of the given types: ct's exports,
// with the abstract resources of its imports replaced by the resources
// the arguments supply. Resources the component defines stay as they
// are (one per definition, whatever the number of instances). The
// types of exported components are left as they are (a component cannot
// refer to the resources of the component that encloses it).
func instantiateType(ct *ComponentType, args map[string]ExternDesc) *InstanceType {
	return instantiateTypeIn(argResources(ct, args), ct)
}

// argResources returns the resources that instantiation arguments of the
// given types supply for the abstract resources of ct's imports.
func argResources(ct *ComponentType, args map[string]ExternDesc) resourceMap {
	m := resourceMap{}
	for _, n := range ct.ImportNames {
		if a, ok := args[n]; ok {
			bindResources(m, ct.Imports[n], a, 0)
		}
	}
	return m
}

// checkArg checks the type have of an instantiation argument against the
// type want of the import it is for, with the resources bound by m
// (argResources): functions and value types structurally, resources by
// identity (an abstract resource, imported from outside, matches any),
// instances export by export. Kinds must agree; component arguments are
// not compared further.
func checkArg(m resourceMap, want, have ExternDesc, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("instance types nested too deeply")
	}
	if want.Kind != have.Kind {
		return fmt.Errorf("want a %s, got a %s", externKindName(want.Kind), externKindName(have.Kind))
	}
	known := func(t *Type) bool { return t != nil && !hasUnknown(t, 0) }
	switch want.Kind {
	case ExternFunc:
		if want.Func != nil && have.Func != nil && !funcHasUnknown(want.Func) && !funcHasUnknown(have.Func) {
			return funcTypeMatchesIn(m, want.Func, have.Func)
		}
	case ExternInstance:
		if want.Instance == nil || have.Instance == nil {
			return nil
		}
		for _, n := range want.Instance.Names {
			h, ok := have.Instance.Exports[n]
			if !ok {
				return fmt.Errorf("instance has no export %q", n)
			}
			if err := checkArg(m, want.Instance.Exports[n], h, depth+1); err != nil {
				return fmt.Errorf("export %q: %w", n, err)
			}
		}
	case ExternTypeBound:
		switch w := want.TypeVal.(type) {
		case *ResourceType:
			switch h := have.TypeVal.(type) {
			case *ResourceType:
				if !m.same(w, h) {
					return fmt.Errorf("resource type mismatch: want %s, got %s", resName(w), resName(h))
				}
			case *Type:
				return fmt.Errorf("want a resource type, got %v", h)
			}
		case *Type:
			switch h := have.TypeVal.(type) {
			case *ResourceType:
				return fmt.Errorf("want a value type, got a resource")
			case *Type:
				if known(w) && known(h) && !(&matcher{assumed: map[[2]*Type]bool{}, res: m}).match(w, h) {
					return fmt.Errorf("type mismatch: want %v, got %v", w, h)
				}
			}
		}
	case ExternValue:
		if known(want.Value) && known(have.Value) && !(&matcher{assumed: map[[2]*Type]bool{}, res: m}).match(want.Value, have.Value) {
			return fmt.Errorf("value type mismatch: want %v, got %v", want.Value, have.Value)
		}
	}
	return nil
}

// instantiateTypeIn is instantiateType with the resources of the
// arguments already bound in m.
func instantiateTypeIn(m resourceMap, ct *ComponentType) *InstanceType {
	s := newSubstituter(m)
	it := &InstanceType{Exports: make(map[string]ExternDesc, len(ct.ExportNames)), Names: ct.ExportNames}
	for _, n := range ct.ExportNames {
		d := substDesc(s, ct.Exports[n], 0)
		nameResource(d, n)
		it.Exports[n] = d
	}
	return it
}

// substDesc is s.desc, also replacing the resources in the types of
// values (at any depth of instances).
func substDesc(s *substituter, d ExternDesc, depth int) ExternDesc {
	if len(s.m) == 0 || depth > maxDepth {
		return d
	}
	switch d.Kind {
	case ExternValue:
		d.Value = s.typ(d.Value)
		return d
	case ExternInstance:
		if d.Instance == nil {
			return d
		}
		it := &InstanceType{Exports: make(map[string]ExternDesc, len(d.Instance.Exports)), Names: d.Instance.Names}
		for n, e := range d.Instance.Exports {
			it.Exports[n] = substDesc(s, e, depth+1)
		}
		d.Instance = it
		return d
	}
	return s.desc(d)
}

// bindResources records in m, for each abstract resource of the import
// type want, the resource that the argument type have supplies in its
// place (following the exports of instances).
func bindResources(m resourceMap, want, have ExternDesc, depth int) {
	if depth > maxDepth {
		return
	}
	switch want.Kind {
	case ExternTypeBound:
		w, ok := want.TypeVal.(*ResourceType)
		if !ok || !w.abstract {
			return
		}
		if h, ok := have.TypeVal.(*ResourceType); ok && h != w {
			m[w] = h
		}
	case ExternInstance:
		if want.Instance == nil || have.Instance == nil {
			return
		}
		for _, n := range want.Instance.Names {
			if h, ok := have.Instance.Exports[n]; ok {
				bindResources(m, want.Instance.Exports[n], h, depth+1)
			}
		}
	}
}

// nameResource gives an unnamed resource exported as name that name,
// for messages and String: a resource is named after its first export.
func nameResource(d ExternDesc, name string) {
	if d.Kind != ExternTypeBound {
		return
	}
	if r, ok := d.TypeVal.(*ResourceType); ok && r.Name == "" {
		r.Name = name
	}
}

// externKindName returns the name of an extern kind, for messages.
func externKindName(k ExternKind) string {
	switch k {
	case ExternCoreModule:
		return "core module"
	case ExternFunc:
		return "function"
	case ExternValue:
		return "value"
	case ExternTypeBound:
		return "type"
	case ExternComponent:
		return "component"
	case ExternInstance:
		return "instance"
	}
	return fmt.Sprintf("extern kind 0x%02x", byte(k))
}
