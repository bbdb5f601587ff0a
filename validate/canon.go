package validate

import (
	"strconv"
	"strings"

	"github.com/gowasm/gowasm/wasm"
)

// This file implements the iso-recursive type equivalence of Wasm 3.0:
// two defined types are equivalent when their recursion groups are
// structurally identical (references inside a group compared by relative
// position, references to earlier groups by equivalence) and they are at
// the same position in them.

// RecGroups returns the module's recursion groups, falling back to one
// group per type when the module does not list them (or lists them
// inconsistently).
func RecGroups(m *wasm.Module) []wasm.RecGroup { return recGroups(m) }

// recGroups returns the module's recursion groups, falling back to one
// group per type when the module does not list them (or lists them
// inconsistently).
func recGroups(m *wasm.Module) []wasm.RecGroup {
	n := uint64(len(m.Types))
	var next uint64
	ok := len(m.RecGroups) > 0
	for _, g := range m.RecGroups {
		if uint64(g.First) != next {
			ok = false
			break
		}
		next += uint64(g.Count)
	}
	if ok && next == n {
		return m.RecGroups
	}
	gs := make([]wasm.RecGroup, n)
	for i := range gs {
		gs[i] = wasm.RecGroup{First: uint32(i), Count: 1}
	}
	return gs
}

// canonicalize computes v.canon: for each type index, the smallest index
// of an equivalent type. It also checks that types refer only to types of
// their own or earlier groups.
func (v *validator) canonicalize() *Error {
	m := v.m
	v.canon = make([]uint32, len(m.Types))
	v.groupEnd = make([]uint32, len(m.Types))
	seen := make(map[string]uint32)
	var b strings.Builder
	outer := func(x uint32) uint64 { return uint64(v.canon[x]) }
	for _, g := range recGroups(m) {
		end := g.First + g.Count
		b.Reset()
		for i := g.First; i < end; i++ {
			v.groupEnd[i] = end
		}
		if i, x, bad := WriteRecGroupKey(&b, m, g, outer); bad {
			return modErr("type %d: unknown type %d", i, x)
		}
		key := b.String()
		first, dup := seen[key]
		if !dup {
			first = g.First
			seen[key] = first
		}
		for i := g.First; i < end; i++ {
			v.canon[i] = first + (i - g.First)
		}
	}
	return nil
}

// WriteRecGroupKey appends to b a structural key of the recursion group g
// of m: two groups are equivalent (iso-recursive type equivalence) when
// their keys are equal. References to types inside the group are written
// by relative position; a reference to an earlier type x is written as
// outer(x), which must identify x's equivalence class (the validator uses
// the smallest equivalent index, the interpreter a store-wide identity).
// When a type i refers to a type x at or past the end of the group, it
// stops and reports bad (the module is invalid).
func WriteRecGroupKey(b *strings.Builder, m *wasm.Module, g wasm.RecGroup, outer func(x uint32) uint64) (i, x uint32, bad bool) {
	k := keyWriter{b: b, first: g.First, end: g.First + g.Count, outer: outer}
	for i := g.First; i < k.end; i++ {
		k.subType(&m.Types[i])
		if k.bad {
			return i, k.badX, true
		}
		b.WriteByte(';')
	}
	return 0, 0, false
}

// keyWriter writes the structural keys of rec groups.
type keyWriter struct {
	b          *strings.Builder
	first, end uint32
	outer      func(uint32) uint64
	bad        bool
	badX       uint32
}

func (k *keyWriter) subType(st *wasm.SubType) {
	b := k.b
	if st.Final {
		b.WriteByte('F')
	}
	for _, s := range st.Supers {
		k.index(s)
	}
	b.WriteByte(byte(st.Comp.Kind))
	switch st.Comp.Kind {
	case wasm.CompFunc:
		for _, t := range st.Comp.Func.Params {
			k.valType(t)
		}
		b.WriteByte('>')
		for _, t := range st.Comp.Func.Results {
			k.valType(t)
		}
	case wasm.CompStruct:
		for _, f := range st.Comp.Fields {
			k.field(f)
		}
	case wasm.CompArray:
		k.field(st.Comp.Elem)
	}
}

func (k *keyWriter) field(f wasm.FieldType) {
	if f.Mutable {
		k.b.WriteByte('M')
	}
	if f.Storage.Packed != 0 {
		k.b.WriteByte(f.Storage.Packed)
		return
	}
	k.valType(f.Storage.Val)
}

func (k *keyWriter) valType(t wasm.ValType) {
	b := k.b
	b.WriteByte(byte(t.Kind))
	if t.Kind != wasm.KindRef {
		return
	}
	if t.Nullable {
		b.WriteByte('?')
	}
	if t.Heap.Kind != wasm.HeapIndex {
		b.WriteByte(byte(t.Heap.Kind))
		return
	}
	k.index(t.Heap.Index)
}

// index writes a type reference: relative inside the group, outer(x)
// outside it.
func (k *keyWriter) index(x uint32) {
	b := k.b
	switch {
	case x >= k.end:
		if !k.bad {
			k.bad, k.badX = true, x
		}
		return
	case x >= k.first:
		b.WriteByte('r')
		b.WriteString(strconv.FormatUint(uint64(x-k.first), 10))
	default:
		b.WriteByte('c')
		b.WriteString(strconv.FormatUint(k.outer(x), 10))
	}
	b.WriteByte(',')
}

// sameType reports whether type indices a and b denote equivalent types.
func (v *validator) sameType(a, b uint32) bool {
	if a == b {
		return true
	}
	if int64(a) >= int64(len(v.canon)) || int64(b) >= int64(len(v.canon)) {
		return false
	}
	return v.canon[a] == v.canon[b]
}

// checkSupers checks the declared supertype of type i: it must be an
// earlier, non-final type of the same kind whose structure i matches.
func (v *validator) checkSupers(i uint32) *Error {
	st := &v.m.Types[i]
	if len(st.Supers) == 0 {
		return nil
	}
	if len(st.Supers) > 1 {
		return modErr("type %d: sub type with more than one super type", i)
	}
	s := st.Supers[0]
	if s >= i {
		return modErr("type %d: unknown type %d", i, s)
	}
	sup := &v.m.Types[s]
	if sup.Final {
		return modErr("type %d: sub type of final type %d", i, s)
	}
	if !v.compMatches(&st.Comp, &sup.Comp) {
		return modErr("type %d: sub type does not match super type %d", i, s)
	}
	return nil
}

// compMatches reports whether composite type a matches (is a structural
// subtype of) b.
func (v *validator) compMatches(a, b *wasm.CompType) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case wasm.CompFunc:
		if len(a.Func.Params) != len(b.Func.Params) || len(a.Func.Results) != len(b.Func.Results) {
			return false
		}
		for i := range a.Func.Params {
			if !v.matches(b.Func.Params[i], a.Func.Params[i]) {
				return false
			}
		}
		return v.matchesSeq(a.Func.Results, b.Func.Results)
	case wasm.CompStruct:
		if len(a.Fields) < len(b.Fields) {
			return false
		}
		for i := range b.Fields {
			if !v.fieldMatches(a.Fields[i], b.Fields[i]) {
				return false
			}
		}
		return true
	case wasm.CompArray:
		return v.fieldMatches(a.Elem, b.Elem)
	}
	return false
}

func (v *validator) fieldMatches(a, b wasm.FieldType) bool {
	if a.Mutable != b.Mutable || !v.storageMatches(a.Storage, b.Storage) {
		return false
	}
	return !a.Mutable || v.storageMatches(b.Storage, a.Storage)
}
