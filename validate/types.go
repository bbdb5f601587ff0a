package validate

import "github.com/gowasm/gowasm/wasm"

// matches reports whether a value of type got may be used where want is
// expected: got is a subtype of want (or the unknown type of unreachable
// code).
func (v *validator) matches(got, want wasm.ValType) bool {
	if got == want || got.Kind == wasm.KindBot {
		return true
	}
	if got.Kind != wasm.KindRef || want.Kind != wasm.KindRef {
		return false
	}
	if got.Nullable && !want.Nullable {
		return false
	}
	return v.heapMatches(got.Heap, want.Heap)
}

// matchesSeq reports whether each type of got matches the corresponding
// type of want.
func (v *validator) matchesSeq(got, want []wasm.ValType) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !v.matches(got[i], want[i]) {
			return false
		}
	}
	return true
}

// top returns the top of the heap type hierarchy h belongs to (any, func,
// extern or exn), or 0xFF for a malformed heap type.
func (v *validator) top(h wasm.HeapType) wasm.HeapKind {
	t, ok := h.Kind.Top()
	if h.Kind == wasm.HeapIndex {
		t, ok = v.compKind(h.Index).Top()
	}
	if !ok {
		return 0xFF // malformed: matches nothing
	}
	return t
}

// compKind returns the kind of the composite type at index i, or 0 when i
// is out of range.
func (v *validator) compKind(i uint32) wasm.CompKind {
	if int64(i) >= int64(len(v.m.Types)) {
		return 0
	}
	return v.m.Types[i].Comp.Kind
}

// heapMatches reports whether heap type a is a subtype of b.
func (v *validator) heapMatches(a, b wasm.HeapType) bool {
	if a == b {
		return true
	}
	ta := v.top(a)
	if ta == 0xFF || ta != v.top(b) {
		return false
	}
	switch a.Kind {
	case wasm.HeapNone, wasm.HeapNoFunc, wasm.HeapNoExtern, wasm.HeapNoExn:
		return true // bottoms match everything in their hierarchy
	}
	switch b.Kind {
	case wasm.HeapAny, wasm.HeapFunc, wasm.HeapExtern, wasm.HeapExn:
		return true // tops
	case wasm.HeapEq:
		switch a.Kind {
		case wasm.HeapI31, wasm.HeapStruct, wasm.HeapArray:
			return true
		case wasm.HeapIndex:
			return true // a concrete struct or array type (same hierarchy as any)
		}
		return false
	case wasm.HeapStruct:
		return a.Kind == wasm.HeapIndex && v.compKind(a.Index) == wasm.CompStruct
	case wasm.HeapArray:
		return a.Kind == wasm.HeapIndex && v.compKind(a.Index) == wasm.CompArray
	case wasm.HeapIndex:
		if a.Kind != wasm.HeapIndex {
			return false
		}
		// Walk the declared supertypes; they have smaller indices, so the
		// walk ends.
		i := a.Index
		for {
			if v.sameType(i, b.Index) {
				return true
			}
			if int64(i) >= int64(len(v.m.Types)) {
				return false
			}
			sup := v.m.Types[i].Supers
			if len(sup) == 0 || sup[0] >= i {
				return false
			}
			i = sup[0]
		}
	}
	return false
}

// isNumOrVec reports whether t is a number or vector type, or unknown.
func isNumOrVec(t wasm.ValType) bool {
	switch t.Kind {
	case wasm.KindI32, wasm.KindI64, wasm.KindF32, wasm.KindF64, wasm.KindV128, wasm.KindBot:
		return true
	}
	return false
}
