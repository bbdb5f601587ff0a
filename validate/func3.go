package validate

import "github.com/gowasm/gowasm/wasm"

// This file validates the instructions Wasm 3.0 adds beyond the simple
// ones: typed function references, exception handling and garbage
// collection.

// refTop returns the nullable top reference type of h's hierarchy.
func (v *validator) refTop(h wasm.HeapType) wasm.ValType {
	return wasm.RefType(true, wasm.HeapType{Kind: v.top(h)})
}

// popRef pops a reference operand (or the unknown type).
func (v *validator) popRef() (wasm.ValType, error) {
	t, err := v.popAny()
	if err != nil {
		return t, err
	}
	if t.Kind != wasm.KindRef && t.Kind != wasm.KindBot {
		return t, v.errf("type mismatch: expected a reference, got %s", t)
	}
	return t, nil
}

// subTypeAt returns the type definition x.
func (v *validator) subTypeAt(x uint32) (*wasm.SubType, error) {
	if int64(x) >= int64(len(v.m.Types)) {
		return nil, v.errf("unknown type %d", x)
	}
	return &v.m.Types[x], nil
}

// compAt returns the composite type x, which must be of kind k.
func (v *validator) compAt(x uint32, k wasm.CompKind) (*wasm.CompType, error) {
	st, err := v.subTypeAt(x)
	if err != nil {
		return nil, err
	}
	if st.Comp.Kind != k {
		name := map[wasm.CompKind]string{wasm.CompFunc: "function", wasm.CompStruct: "struct", wasm.CompArray: "array"}[k]
		return nil, v.errf("type mismatch: type %d is not a %s type", x, name)
	}
	return &st.Comp, nil
}

// unpack returns the value type of a storage type: i32 for packed types.
func unpack(s wasm.StorageType) wasm.ValType {
	if s.Packed != 0 {
		return wasm.I32
	}
	return s.Val
}

// concrete returns (ref null? x).
func concrete(nullable bool, x uint32) wasm.ValType {
	return wasm.RefType(nullable, wasm.HeapType{Kind: wasm.HeapIndex, Index: x})
}

// refTypeImm checks a reference type immediate.
func (v *validator) refTypeImm(t wasm.ValType) error {
	if err := v.heapType(t.Heap); err != nil {
		return v.errf("%s", err.Msg)
	}
	return nil
}

// extended validates the non-simple instructions beyond Wasm 2.0.
func (v *validator) extended(in *wasm.Instr, info *wasm.OpInfo) error {
	switch in.Op {
	// Typed function references.
	case wasm.OpCallRef, wasm.OpReturnCallRef:
		ct, err := v.compAt(in.X, wasm.CompFunc)
		if err != nil {
			return err
		}
		if _, err := v.pop(concrete(true, in.X)); err != nil {
			return err
		}
		ft := &ct.Func
		if in.Op == wasm.OpReturnCallRef {
			return v.tailCall(ft)
		}
		if err := v.popVals(ft.Params...); err != nil {
			return err
		}
		v.pushVals(ft.Results)
	case wasm.OpRefAsNonNull:
		t, err := v.popRef()
		if err != nil {
			return err
		}
		if t.Kind == wasm.KindRef {
			t.Nullable = false
		}
		v.push(t)
	case wasm.OpBrOnNull:
		f, err := v.label(in.X)
		if err != nil {
			return err
		}
		t, err := v.popRef()
		if err != nil {
			return err
		}
		lt := f.labelTypes()
		if err := v.popVals(lt...); err != nil {
			return err
		}
		v.pushVals(lt)
		if t.Kind == wasm.KindRef {
			t.Nullable = false
		}
		v.push(t)
	case wasm.OpBrOnNonNull:
		f, err := v.label(in.X)
		if err != nil {
			return err
		}
		lt := f.labelTypes()
		n := len(lt)
		if n == 0 || lt[n-1].Kind != wasm.KindRef {
			return v.errf("type mismatch: br_on_non_null to a label without a reference type")
		}
		if _, err := v.pop(wasm.RefType(true, lt[n-1].Heap)); err != nil {
			return err
		}
		if err := v.popVals(lt[:n-1]...); err != nil {
			return err
		}
		v.pushVals(lt[:n-1])

	// Exception handling.
	case wasm.OpThrow:
		ft, err := v.tagType(in.X)
		if err != nil {
			return err
		}
		if err := v.popVals(ft.Params...); err != nil {
			return err
		}
		v.setUnreachable()
	case wasm.OpThrowRef:
		if _, err := v.pop(wasm.ExnRef); err != nil {
			return err
		}
		v.setUnreachable()
	case wasm.OpTryTable:
		params, results, err := v.blockType(in.Block)
		if err != nil {
			return err
		}
		for i := range in.Catches {
			if err := v.catchClause(&in.Catches[i]); err != nil {
				return err
			}
		}
		if err := v.popVals(params...); err != nil {
			return err
		}
		v.pushCtrl(wasm.OpTryTable, params, results)

	// Legacy exception handling (try, catch, catch_all, delegate,
	// rethrow).
	case wasm.OpTry:
		params, results, err := v.blockType(in.Block)
		if err != nil {
			return err
		}
		if err := v.popVals(params...); err != nil {
			return err
		}
		v.pushCtrl(wasm.OpTry, params, results)
	case wasm.OpCatch, wasm.OpCatchAll:
		if op := v.ctrls[len(v.ctrls)-1].op; op != wasm.OpTry && op != wasm.OpCatch {
			return v.errf("%s without matching try", info.Name)
		}
		var params []wasm.ValType
		if in.Op == wasm.OpCatch {
			ft, err := v.tagType(in.X)
			if err != nil {
				return err
			}
			params = ft.Params
		}
		f, err := v.popCtrl()
		if err != nil {
			return err
		}
		v.pushCtrl(in.Op, params, f.results)
	case wasm.OpDelegate:
		if v.ctrls[len(v.ctrls)-1].op != wasm.OpTry || len(v.ctrls) < 2 {
			return v.errf("delegate without matching try")
		}
		f, err := v.popCtrl()
		if err != nil {
			return err
		}
		if _, err := v.label(in.X); err != nil {
			return err
		}
		v.pushVals(f.results)
	case wasm.OpRethrow:
		f, err := v.label(in.X)
		if err != nil {
			return err
		}
		if f.op != wasm.OpCatch && f.op != wasm.OpCatchAll {
			return v.errf("invalid rethrow label %d", in.X)
		}
		v.setUnreachable()

	// References (GC).
	case wasm.OpRefTest, wasm.OpRefTestNull, wasm.OpRefCast, wasm.OpRefCastNull:
		rt := wasm.RefType(in.Flags&1 != 0, in.Heap)
		if err := v.refTypeImm(rt); err != nil {
			return err
		}
		if _, err := v.pop(v.refTop(rt.Heap)); err != nil {
			return err
		}
		if in.Op == wasm.OpRefTest || in.Op == wasm.OpRefTestNull {
			v.push(wasm.I32)
		} else {
			v.push(rt)
		}
	case wasm.OpBrOnCast, wasm.OpBrOnCastFail:
		return v.brOnCast(in)
	case wasm.OpRefI31:
		if _, err := v.pop(wasm.I32); err != nil {
			return err
		}
		v.push(wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapI31}))
	case wasm.OpI31GetS, wasm.OpI31GetU:
		if _, err := v.pop(wasm.RefType(true, wasm.HeapType{Kind: wasm.HeapI31})); err != nil {
			return err
		}
		v.push(wasm.I32)
	case wasm.OpAnyConvertExtern, wasm.OpExternConvertAny:
		from, to := wasm.HeapExtern, wasm.HeapAny
		if in.Op == wasm.OpExternConvertAny {
			from, to = wasm.HeapAny, wasm.HeapExtern
		}
		t, err := v.pop(wasm.RefType(true, wasm.HeapType{Kind: from}))
		if err != nil {
			return err
		}
		v.push(wasm.RefType(t.Kind == wasm.KindRef && t.Nullable, wasm.HeapType{Kind: to}))

	// Structures.
	case wasm.OpStructNew, wasm.OpStructNewDefault:
		ct, err := v.compAt(in.X, wasm.CompStruct)
		if err != nil {
			return err
		}
		if in.Op == wasm.OpStructNew {
			for i := len(ct.Fields) - 1; i >= 0; i-- {
				if _, err := v.pop(unpack(ct.Fields[i].Storage)); err != nil {
					return err
				}
			}
		} else {
			for _, f := range ct.Fields {
				if !defaultable(unpack(f.Storage)) {
					return v.errf("type mismatch: field of type %s is not defaultable", f.Storage.Val)
				}
			}
		}
		v.push(concrete(false, in.X))
	case wasm.OpStructGet, wasm.OpStructGetS, wasm.OpStructGetU, wasm.OpStructSet:
		ct, err := v.compAt(in.X, wasm.CompStruct)
		if err != nil {
			return err
		}
		if int64(in.Y) >= int64(len(ct.Fields)) {
			return v.errf("unknown field %d", in.Y)
		}
		f := &ct.Fields[in.Y]
		if in.Op == wasm.OpStructSet {
			if !f.Mutable {
				return v.errf("immutable field %d", in.Y)
			}
			if err := v.popVals(concrete(true, in.X), unpack(f.Storage)); err != nil {
				return err
			}
			return nil
		}
		if (in.Op == wasm.OpStructGet) != (f.Storage.Packed == 0) {
			return v.errf("type mismatch: %s on a field of storage type %s", info.Name, storageName(f.Storage))
		}
		if _, err := v.pop(concrete(true, in.X)); err != nil {
			return err
		}
		v.push(unpack(f.Storage))

	// Arrays.
	case wasm.OpArrayNew, wasm.OpArrayNewDefault, wasm.OpArrayNewFixed, wasm.OpArrayNewData, wasm.OpArrayNewElem:
		return v.arrayNew(in)
	case wasm.OpArrayGet, wasm.OpArrayGetS, wasm.OpArrayGetU:
		ct, err := v.compAt(in.X, wasm.CompArray)
		if err != nil {
			return err
		}
		if (in.Op == wasm.OpArrayGet) != (ct.Elem.Storage.Packed == 0) {
			return v.errf("type mismatch: %s on an array of storage type %s", info.Name, storageName(ct.Elem.Storage))
		}
		if err := v.popVals(concrete(true, in.X), wasm.I32); err != nil {
			return err
		}
		v.push(unpack(ct.Elem.Storage))
	case wasm.OpArraySet, wasm.OpArrayFill:
		ct, err := v.mutableArray(in.X)
		if err != nil {
			return err
		}
		if in.Op == wasm.OpArrayFill {
			if _, err := v.pop(wasm.I32); err != nil {
				return err
			}
		}
		if err := v.popVals(concrete(true, in.X), wasm.I32, unpack(ct.Elem.Storage)); err != nil {
			return err
		}
	case wasm.OpArrayLen:
		if _, err := v.pop(wasm.RefType(true, wasm.HeapType{Kind: wasm.HeapArray})); err != nil {
			return err
		}
		v.push(wasm.I32)
	case wasm.OpArrayCopy:
		dst, err := v.mutableArray(in.X)
		if err != nil {
			return err
		}
		src, err := v.compAt(in.Y, wasm.CompArray)
		if err != nil {
			return err
		}
		if !v.storageMatches(src.Elem.Storage, dst.Elem.Storage) {
			return v.errf("array types do not match: type mismatch: array.copy from %s to %s",
				storageName(src.Elem.Storage), storageName(dst.Elem.Storage))
		}
		for _, t := range [...]wasm.ValType{wasm.I32, wasm.I32, concrete(true, in.Y), wasm.I32, concrete(true, in.X)} {
			if _, err := v.pop(t); err != nil {
				return err
			}
		}
	case wasm.OpArrayInitData, wasm.OpArrayInitElem:
		ct, err := v.mutableArray(in.X)
		if err != nil {
			return err
		}
		if in.Op == wasm.OpArrayInitData {
			if err := v.arrayDataOK(ct); err != nil {
				return err
			}
			if err := v.data(in.Y); err != nil {
				return err
			}
		} else {
			et, err := v.elemType(in.Y)
			if err != nil {
				return err
			}
			if ct.Elem.Storage.Packed != 0 || !v.matches(et, ct.Elem.Storage.Val) {
				return v.errf("type mismatch: array.init_elem of a segment of %s into an array of %s", et, storageName(ct.Elem.Storage))
			}
		}
		for _, t := range [...]wasm.ValType{wasm.I32, wasm.I32, wasm.I32, concrete(true, in.X)} {
			if _, err := v.pop(t); err != nil {
				return err
			}
		}
	default:
		return v.errf("unsupported instruction %s", info.Name)
	}
	return nil
}

// tagType returns the function type of tag x.
func (v *validator) tagType(x uint32) (*wasm.FuncType, error) {
	if int64(x) >= int64(len(v.tags)) {
		return nil, v.errf("unknown tag %d", x)
	}
	return v.m.FuncTypeAt(v.tags[x]), nil
}

// catchClause validates a catch clause of try_table: the values it
// delivers must match the types of its label.
func (v *validator) catchClause(c *wasm.CatchClause) error {
	f, err := v.label(c.Label)
	if err != nil {
		return err
	}
	lt := f.labelTypes()
	var params []wasm.ValType
	if c.Kind == wasm.Catch || c.Kind == wasm.CatchRef {
		ft, err := v.tagType(c.Tag)
		if err != nil {
			return err
		}
		params = ft.Params
	}
	exn := c.Kind == wasm.CatchRef || c.Kind == wasm.CatchAllRef
	n := len(params)
	if exn {
		n++
	}
	ok := len(lt) == n && v.matchesSeq(params, lt[:len(params)])
	if ok && exn {
		ok = v.matches(wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapExn}), lt[n-1])
	}
	if !ok {
		return v.errf("type mismatch: catch clause values do not match label %d of type %v", c.Label, lt)
	}
	return nil
}

// brOnCast validates br_on_cast and br_on_cast_fail.
func (v *validator) brOnCast(in *wasm.Instr) error {
	rt1 := wasm.RefType(in.Flags&1 != 0, in.Heap)
	rt2 := wasm.RefType(in.Flags&2 != 0, in.Heap2)
	if err := v.refTypeImm(rt1); err != nil {
		return err
	}
	if err := v.refTypeImm(rt2); err != nil {
		return err
	}
	if !v.matches(rt2, rt1) {
		return v.errf("type mismatch: cast target %s is not a subtype of %s", rt2, rt1)
	}
	f, err := v.label(in.X)
	if err != nil {
		return err
	}
	lt := f.labelTypes()
	n := len(lt)
	if n == 0 {
		return v.errf("type mismatch: branch target of a cast has no values")
	}
	diff := rt1
	diff.Nullable = rt1.Nullable && !rt2.Nullable
	branch, fall := rt2, diff
	if in.Op == wasm.OpBrOnCastFail {
		branch, fall = diff, rt2
	}
	if !v.matches(branch, lt[n-1]) {
		return v.errf("type mismatch: cast result %s does not match the label's %s", branch, lt[n-1])
	}
	if _, err := v.pop(rt1); err != nil {
		return err
	}
	if err := v.popVals(lt[:n-1]...); err != nil {
		return err
	}
	v.pushVals(lt[:n-1])
	v.push(fall)
	return nil
}

// mutableArray returns array type x, which must have a mutable element.
func (v *validator) mutableArray(x uint32) (*wasm.CompType, error) {
	ct, err := v.compAt(x, wasm.CompArray)
	if err != nil {
		return nil, err
	}
	if !ct.Elem.Mutable {
		return nil, v.errf("immutable array %d", x)
	}
	return ct, nil
}

// arrayDataOK checks that an array can be initialised from a data
// segment: its elements must be numeric or vectors.
func (v *validator) arrayDataOK(ct *wasm.CompType) error {
	t := unpack(ct.Elem.Storage)
	if !t.IsNum() && t.Kind != wasm.KindV128 {
		return v.errf("array type is not numeric or vector")
	}
	return nil
}

// arrayNew validates the array allocation instructions.
func (v *validator) arrayNew(in *wasm.Instr) error {
	ct, err := v.compAt(in.X, wasm.CompArray)
	if err != nil {
		return err
	}
	et := unpack(ct.Elem.Storage)
	switch in.Op {
	case wasm.OpArrayNew:
		if err := v.popVals(et, wasm.I32); err != nil {
			return err
		}
	case wasm.OpArrayNewDefault:
		if !defaultable(et) {
			return v.errf("type mismatch: array of %s is not defaultable", et)
		}
		if _, err := v.pop(wasm.I32); err != nil {
			return err
		}
	case wasm.OpArrayNewFixed:
		for i := uint32(0); i < in.Y; i++ {
			if _, err := v.pop(et); err != nil {
				return err
			}
		}
	case wasm.OpArrayNewData:
		if err := v.arrayDataOK(ct); err != nil {
			return err
		}
		if err := v.data(in.Y); err != nil {
			return err
		}
		if err := v.popVals(wasm.I32, wasm.I32); err != nil {
			return err
		}
	case wasm.OpArrayNewElem:
		t, err := v.elemType(in.Y)
		if err != nil {
			return err
		}
		if ct.Elem.Storage.Packed != 0 || !v.matches(t, ct.Elem.Storage.Val) {
			return v.errf("type mismatch: array.new_elem of a segment of %s into an array of %s", t, storageName(ct.Elem.Storage))
		}
		if err := v.popVals(wasm.I32, wasm.I32); err != nil {
			return err
		}
	}
	v.push(concrete(false, in.X))
	return nil
}

// storageMatches reports whether storage type a is a subtype of b.
func (v *validator) storageMatches(a, b wasm.StorageType) bool {
	if a.Packed != 0 || b.Packed != 0 {
		return a.Packed == b.Packed
	}
	return v.matches(a.Val, b.Val)
}

func storageName(s wasm.StorageType) string {
	switch s.Packed {
	case 0x78:
		return "i8"
	case 0x77:
		return "i16"
	}
	return s.Val.String()
}
