package component

// resourceMap maps the abstract resource types of an instance or
// component type to the resource types that an instantiation supplies.
type resourceMap map[*ResourceType]*ResourceType

// substituter rewrites types, replacing the resources of a resourceMap.
// Types that mention none of them are returned as they are; the others
// are copied once each (memo), so DAG-shaped types stay linear.
type substituter struct {
	m    resourceMap
	memo map[*Type]*Type
}

func newSubstituter(m resourceMap) *substituter {
	return &substituter{m: m, memo: map[*Type]*Type{}}
}

// typ returns t with the mapped resources replaced.
func (s *substituter) typ(t *Type) *Type {
	if t == nil || len(s.m) == 0 {
		return t
	}
	if r, ok := s.memo[t]; ok {
		return r
	}
	s.memo[t] = t // a type does not refer to itself; guards against cycles anyway
	var out *Type
	switch t.Kind {
	case KindOwn, KindBorrow:
		if r, ok := s.m[t.Resource]; ok {
			c := *t
			c.Resource = r
			out = &c
		}
	case KindStream, KindFuture:
		// element types are not part of the value; leave them
	default:
		changed := false
		c := *t
		sub := func(x *Type) *Type {
			y := s.typ(x)
			if y != x {
				changed = true
			}
			return y
		}
		c.Elem, c.OK, c.Err = sub(t.Elem), sub(t.OK), sub(t.Err)
		if len(t.Types) > 0 {
			c.Types = make([]*Type, len(t.Types))
			for i, x := range t.Types {
				c.Types[i] = sub(x)
			}
		}
		if len(t.Fields) > 0 {
			c.Fields = make([]Field, len(t.Fields))
			for i, f := range t.Fields {
				c.Fields[i] = Field{f.Name, sub(f.Type)}
			}
		}
		if len(t.Cases) > 0 {
			c.Cases = make([]Case, len(t.Cases))
			for i, k := range t.Cases {
				c.Cases[i] = Case{k.Name, sub(k.Type)}
			}
		}
		if changed {
			out = &c
		}
	}
	if out == nil {
		out = t
	}
	s.memo[t] = out
	return out
}

func (s *substituter) params(ps []Param) ([]Param, bool) {
	out := make([]Param, len(ps))
	changed := false
	for i, p := range ps {
		out[i] = Param{p.Name, s.typ(p.Type)}
		changed = changed || out[i].Type != p.Type
	}
	return out, changed
}

// funcType returns ft with the mapped resources replaced.
func (s *substituter) funcType(ft *FuncType) *FuncType {
	if ft == nil || len(s.m) == 0 {
		return ft
	}
	ps, c1 := s.params(ft.Params)
	rs, c2 := s.params(ft.Results)
	if !c1 && !c2 {
		return ft
	}
	c := *ft
	c.Params, c.Results = ps, rs
	return &c
}

// desc returns d with the mapped resources replaced, recursively in
// instance types.
func (s *substituter) desc(d ExternDesc) ExternDesc {
	if len(s.m) == 0 {
		return d
	}
	switch d.Kind {
	case ExternFunc:
		d.Func = s.funcType(d.Func)
	case ExternTypeBound:
		switch t := d.TypeVal.(type) {
		case *ResourceType:
			if r, ok := s.m[t]; ok {
				d.TypeVal = r
			}
		case *Type:
			d.TypeVal = s.typ(t)
		}
	case ExternInstance:
		if d.Instance != nil {
			it := &InstanceType{Exports: make(map[string]ExternDesc, len(d.Instance.Exports)), Names: d.Instance.Names}
			for n, e := range d.Instance.Exports {
				it.Exports[n] = s.desc(e)
			}
			d.Instance = it
		}
	}
	return d
}
