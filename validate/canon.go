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
	for _, g := range recGroups(m) {
		end := g.First + g.Count
		b.Reset()
		for i := g.First; i < end; i++ {
			v.groupEnd[i] = end
			if err := v.writeSubType(&b, i, g.First, end); err != nil {
				return err
			}
			b.WriteByte(';')
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

// writeSubType appends a structural key of type i of the group [first,end).
func (v *validator) writeSubType(b *strings.Builder, i, first, end uint32) *Error {
	st := &v.m.Types[i]
	if st.Final {
		b.WriteByte('F')
	}
	for _, s := range st.Supers {
		if err := v.writeIndex(b, s, first, end); err != nil {
			return prefix(err, "type %d", i)
		}
	}
	b.WriteByte(byte(st.Comp.Kind))
	var err *Error
	switch st.Comp.Kind {
	case wasm.CompFunc:
		for _, t := range st.Comp.Func.Params {
			if err == nil {
				err = v.writeValType(b, t, first, end)
			}
		}
		b.WriteByte('>')
		for _, t := range st.Comp.Func.Results {
			if err == nil {
				err = v.writeValType(b, t, first, end)
			}
		}
	case wasm.CompStruct:
		for _, f := range st.Comp.Fields {
			if err == nil {
				err = v.writeField(b, f, first, end)
			}
		}
	case wasm.CompArray:
		err = v.writeField(b, st.Comp.Elem, first, end)
	}
	if err != nil {
		return prefix(err, "type %d", i)
	}
	return nil
}

func (v *validator) writeField(b *strings.Builder, f wasm.FieldType, first, end uint32) *Error {
	if f.Mutable {
		b.WriteByte('M')
	}
	if f.Storage.Packed != 0 {
		b.WriteByte(f.Storage.Packed)
		return nil
	}
	return v.writeValType(b, f.Storage.Val, first, end)
}

func (v *validator) writeValType(b *strings.Builder, t wasm.ValType, first, end uint32) *Error {
	b.WriteByte(byte(t.Kind))
	if t.Kind != wasm.KindRef {
		return nil
	}
	if t.Nullable {
		b.WriteByte('?')
	}
	if t.Heap.Kind != wasm.HeapIndex {
		b.WriteByte(byte(t.Heap.Kind))
		return nil
	}
	return v.writeIndex(b, t.Heap.Index, first, end)
}

// writeIndex writes a type reference: relative inside the group,
// canonical outside it.
func (v *validator) writeIndex(b *strings.Builder, x, first, end uint32) *Error {
	switch {
	case x >= end:
		return modErr("unknown type %d", x)
	case x >= first:
		b.WriteByte('r')
		b.WriteString(strconv.FormatUint(uint64(x-first), 10))
	default:
		b.WriteByte('c')
		b.WriteString(strconv.FormatUint(uint64(v.canon[x]), 10))
	}
	b.WriteByte(',')
	return nil
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
