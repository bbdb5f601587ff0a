package interp

import (
	"fmt"
	"strings"

	"github.com/gowasm/gowasm/validate"
	"github.com/gowasm/gowasm/wasm"
)

// This file gives defined types their run-time identities (Wasm 3.0,
// iso-recursive types): each store keeps one canonical *rtt per
// equivalence class of defined types. Two type indices, of the same or of
// different modules, denote equivalent types exactly when they map to the
// same *rtt, so call_indirect, the casts and import matching compare
// pointers, and subtyping is a lookup in the chain of declared
// supertypes.

// rtt is the canonical identity of a defined type in a store.
type rtt struct {
	id    uint64
	kind  wasm.CompKind
	final bool
	depth int
	// chain lists the declared supertypes from the root down: chain[i] is
	// the supertype of depth i, chain[depth] the type itself.
	chain []*rtt
	// comp is the type's definition in the module that first defined it,
	// and ctx that module's types (resolving the indices in comp).
	comp *wasm.CompType
	ctx  []*rtt
	lay  *layout // struct and array types
}

// sub reports whether t is a subtype of u (declared subtyping, reflexive).
func (t *rtt) sub(u *rtt) bool {
	return t == u || t != nil && u != nil && t.depth > u.depth && t.chain[u.depth] == u
}

// typeRegistry is a store's canonicalisation map.
type typeRegistry struct {
	groups map[string][]*rtt  // group key -> the group's types
	mods   map[*Module][]*rtt // a module's types, by type index
	hostFT map[string]*rtt    // host function types
	next   uint64
	b      strings.Builder
}

// moduleTypes returns the canonical types of mod's type index space in s,
// computing them on the module's first instantiation in the store.
func (s *Store) moduleTypes(mod *Module) []*rtt {
	reg := &s.types
	if ts, ok := reg.mods[mod]; ok {
		return ts
	}
	if reg.groups == nil {
		reg.groups = make(map[string][]*rtt)
		reg.mods = make(map[*Module][]*rtt)
	}
	m := mod.m
	if mod.wasm2 {
		// Under the Wasm 2.0 rules every type is final, whatever a
		// module built in Go says (SubType's zero value is not final).
		for i := range m.Types {
			if !m.Types[i].Final {
				mc := *m
				mc.Types = append([]wasm.SubType(nil), m.Types...)
				for k := range mc.Types {
					mc.Types[k].Final = true
				}
				m = &mc
				break
			}
		}
	}
	ts := make([]*rtt, len(m.Types))
	outer := func(x uint32) uint64 { return ts[x].id }
	for _, g := range validate.RecGroups(m) {
		reg.b.Reset()
		if _, _, bad := validate.WriteRecGroupKey(&reg.b, m, g, outer); bad {
			// Validated modules do not get here; leave the types unique.
			fmt.Fprintf(&reg.b, "#%d", reg.next)
		}
		key := reg.b.String()
		if grp, ok := reg.groups[key]; ok {
			copy(ts[g.First:], grp)
			continue
		}
		grp := make([]*rtt, g.Count)
		for k := range grp {
			reg.next++
			grp[k] = &rtt{id: reg.next}
			ts[g.First+uint32(k)] = grp[k]
		}
		for k, t := range grp {
			st := &m.Types[g.First+uint32(k)]
			t.kind, t.final, t.comp, t.ctx = st.Comp.Kind, st.Final, &st.Comp, ts
			if len(st.Supers) > 0 && int(st.Supers[0]) < len(ts) && ts[st.Supers[0]] != nil {
				sup := ts[st.Supers[0]]
				t.depth = sup.depth + 1
				t.chain = append(append(make([]*rtt, 0, t.depth+1), sup.chain...), t)
			} else {
				t.chain = []*rtt{t}
			}
			if t.kind != wasm.CompFunc {
				t.lay = newLayout(&st.Comp)
			}
		}
		reg.groups[key] = grp
	}
	reg.mods[mod] = ts
	return ts
}

// hostFuncType returns the canonical identity of the type of a host
// function: a final function type with no supertypes. Concrete heap
// types in it have no module to resolve them; they are kept by index.
func (s *Store) hostFuncType(ft *wasm.FuncType) *rtt {
	reg := &s.types
	m := &wasm.Module{Types: []wasm.SubType{{Final: true, Comp: wasm.CompType{Kind: wasm.CompFunc, Func: *ft}}}}
	reg.b.Reset()
	validate.WriteRecGroupKey(&reg.b, m, wasm.RecGroup{First: 0, Count: 1}, func(x uint32) uint64 { return 1<<62 + uint64(x) })
	key := reg.b.String()
	if reg.groups == nil {
		reg.groups = make(map[string][]*rtt)
		reg.mods = make(map[*Module][]*rtt)
	}
	if grp, ok := reg.groups[key]; ok {
		return grp[0]
	}
	reg.next++
	t := &rtt{id: reg.next, kind: wasm.CompFunc, final: true, comp: &m.Types[0].Comp}
	t.chain = []*rtt{t}
	reg.groups[key] = []*rtt{t}
	return t
}

// heapTop returns the top of the hierarchy of heap type h, resolving
// concrete types in ctx.
func heapTop(h wasm.HeapType, ctx []*rtt) wasm.HeapKind {
	t, ok := h.Kind.Top()
	if h.Kind == wasm.HeapIndex {
		ok = false
		if int(h.Index) < len(ctx) {
			t, ok = ctx[h.Index].kind.Top()
		}
	}
	if !ok {
		return 0xFF
	}
	return t
}

// heapSub reports whether heap type a (with its indices in ca) is a
// subtype of b (indices in cb).
func heapSub(a wasm.HeapType, ca []*rtt, b wasm.HeapType, cb []*rtt) bool {
	if a.Kind == wasm.HeapIndex && b.Kind == wasm.HeapIndex {
		if int(a.Index) >= len(ca) || int(b.Index) >= len(cb) {
			return a == b && ca == nil && cb == nil
		}
		return ca[a.Index].sub(cb[b.Index])
	}
	if a == b {
		return true
	}
	ta := heapTop(a, ca)
	if ta == 0xFF || ta != heapTop(b, cb) {
		return false
	}
	switch a.Kind {
	case wasm.HeapNone, wasm.HeapNoFunc, wasm.HeapNoExtern, wasm.HeapNoExn:
		return true
	}
	var ak wasm.CompKind
	if a.Kind == wasm.HeapIndex {
		ak = ca[a.Index].kind
	}
	switch b.Kind {
	case wasm.HeapAny, wasm.HeapFunc, wasm.HeapExtern, wasm.HeapExn:
		return true
	case wasm.HeapEq:
		return a.Kind == wasm.HeapI31 || a.Kind == wasm.HeapStruct || a.Kind == wasm.HeapArray || ak == wasm.CompStruct || ak == wasm.CompArray
	case wasm.HeapStruct:
		return ak == wasm.CompStruct
	case wasm.HeapArray:
		return ak == wasm.CompArray
	}
	return false
}

// valSub reports whether value type a (indices in ca) is a subtype of b
// (indices in cb).
func valSub(a wasm.ValType, ca []*rtt, b wasm.ValType, cb []*rtt) bool {
	if a.Kind != b.Kind {
		return false
	}
	if a.Kind != wasm.KindRef {
		return true
	}
	if a.Nullable && !b.Nullable {
		return false
	}
	return heapSub(a.Heap, ca, b.Heap, cb)
}

// valEq reports whether value types a and b are equivalent.
func valEq(a wasm.ValType, ca []*rtt, b wasm.ValType, cb []*rtt) bool {
	return valSub(a, ca, b, cb) && valSub(b, cb, a, ca)
}
