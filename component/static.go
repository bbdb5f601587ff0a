package component

import "fmt"

// ImportInfo is an import of a component with its resolved type.
type ImportInfo struct {
	Name string
	Desc ExternDesc
}

// Imports returns the component's imports with their types, resolved
// without instantiating it, so that a host can see what to define.
func (c *Component) Imports() ([]ImportInfo, error) {
	ts := &typeScope{}
	var out []ImportInfo
	var instances []*InstanceType // nil for instances not statically known
	for i, d := range c.Defs {
		switch d := d.(type) {
		case *CoreTypeDef:
			ts.coreTypes = append(ts.coreTypes, d)
		case *TypeDef:
			var t any = &ResourceType{}
			if d.Resource == nil {
				var err error
				if t, err = ts.defType(d, 0); err != nil {
					return out, fmt.Errorf("definition %d: type: %w", i, err)
				}
			}
			ts.types = append(ts.types, t)
		case *Import:
			desc, err := ts.externDesc(d.Type, d.Name.Name)
			if err != nil {
				return out, fmt.Errorf("definition %d: import: %w", i, err)
			}
			out = append(out, ImportInfo{d.Name.Name, desc})
			switch desc.Kind {
			case ExternTypeBound:
				ts.types = append(ts.types, desc.TypeVal)
			case ExternInstance:
				instances = append(instances, desc.Instance)
			}
		case *InstanceDef:
			instances = append(instances, nil)
		case *Alias:
			if d.Sort == SortInstance {
				instances = append(instances, nil)
			}
			if d.Sort != SortType {
				continue
			}
			var t any
			switch d.Kind {
			case AliasOuter:
				// outer types are not known statically at the top level
			case AliasExport:
				if int64(d.Instance) < int64(len(instances)) && instances[d.Instance] != nil {
					t = instances[d.Instance].Exports[d.Name].TypeVal
				}
			}
			ts.types = append(ts.types, t)
		case *Export:
			switch d.Ref.Sort {
			case SortType:
				if int64(d.Ref.Index) < int64(len(ts.types)) {
					ts.types = append(ts.types, ts.types[d.Ref.Index])
				}
			case SortInstance:
				instances = append(instances, nil)
			}
		}
	}
	return out, nil
}
