package interp

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/gowasm/gowasm/wasm"
)

// This file holds the objects of the GC proposal (structs, arrays, i31
// references) and the out-of-line execution of the GC instructions.
// Objects are ordinary Go values held in the []any reference slots, so the
// Go garbage collector manages them: a struct or an array is a pointer, an
// i31ref an I31 value.

// Struct is a GC structure. Its numeric fields (packed ones masked to their
// width, v128 ones as two words) are in nums, its reference fields in refs.
type Struct struct {
	t    *rtt
	nums []uint64
	refs []any
}

// Array is a GC array of n elements: numeric elements in nums (two words
// each for v128), reference elements in refs.
type Array struct {
	t    *rtt
	n    uint32
	nums []uint64
	refs []any
}

// Len returns the number of elements of the array.
func (a *Array) Len() int { return int(a.n) }

// I31 is the value of an i31ref: an unboxed 31-bit integer (the low 31
// bits are meaningful).
type I31 uint32

// externAny is an internal (any) reference converted to an external one
// by extern.convert_any. Host values converted with any.convert_extern
// stay as they are, so that converting back gives the same value.
type externAny struct{ v any }

// Storage kinds of a field.
const (
	fNum  = iota // i32, i64, f32, f64, i8, i16: one word
	fV128        // two words
	fRef         // a reference slot
)

// fieldLay is where a field (or an array's elements) lives.
type fieldLay struct {
	kind   uint8
	packed uint8 // 0, 8 or 16 bits
	size   uint8 // bytes in a data segment
	off    int32 // index in nums (numeric) or refs
	arg    int32 // slot of the field's value among struct.new's operands
}

// layout is the layout of a struct type (fields) or an array type (elem).
type layout struct {
	fields     []fieldLay
	elem       fieldLay
	nums, refs int
}

func storageLay(s wasm.StorageType) fieldLay {
	switch s.Packed {
	case 0x78:
		return fieldLay{kind: fNum, packed: 8, size: 1}
	case 0x77:
		return fieldLay{kind: fNum, packed: 16, size: 2}
	}
	switch s.Val.Kind {
	case wasm.KindRef:
		return fieldLay{kind: fRef}
	case wasm.KindV128:
		return fieldLay{kind: fV128, size: 16}
	case wasm.KindI32, wasm.KindF32:
		return fieldLay{kind: fNum, size: 4}
	}
	return fieldLay{kind: fNum, size: 8}
}

// newLayout computes the layout of a struct or array type.
func newLayout(ct *wasm.CompType) *layout {
	l := &layout{}
	if ct.Kind == wasm.CompArray {
		l.elem = storageLay(ct.Elem.Storage)
		return l
	}
	var arg int32
	for _, f := range ct.Fields {
		fl := storageLay(f.Storage)
		fl.arg = arg
		switch fl.kind {
		case fRef:
			fl.off = int32(l.refs)
			l.refs++
			arg++
		case fV128:
			fl.off = int32(l.nums)
			l.nums += 2
			arg += 2
		default:
			fl.off = int32(l.nums)
			l.nums++
			arg++
		}
		l.fields = append(l.fields, fl)
	}
	return l
}

// defaultArrayElems bounds the length of one GC array when neither
// Config.MaxArrayElems nor Config.MaxMemoryBytes says otherwise.
const defaultArrayElems = 1 << 24

// extend sign- or zero-extends a packed value to i32.
func extend(v uint64, packed uint8, signed bool) uint64 {
	switch {
	case packed == 8 && signed:
		return uint64(uint32(int32(int8(v))))
	case packed == 16 && signed:
		return uint64(uint32(int32(int16(v))))
	case packed == 8:
		return v & 0xFF
	case packed == 16:
		return v & 0xFFFF
	}
	return v
}

// wrap truncates a value to a packed width.
func wrap(v uint64, packed uint8) uint64 {
	switch packed {
	case 8:
		return v & 0xFF
	case 16:
		return v & 0xFFFF
	}
	return v
}

// newArray allocates an array of type t with n default elements, or
// records a trap and returns nil when n is beyond the store's limit.
func (e *exec) newArray(t *rtt, n uint64) *Array {
	a := e.store.newArray(t, n)
	if a == nil {
		e.trapKind, e.trapMsg = TrapAllocationTooLarge, ""
	}
	return a
}

// newArray allocates an array of type t with n default elements, or
// returns nil when n is beyond the store's limit.
func (s *Store) newArray(t *rtt, n uint64) *Array {
	l := &t.lay.elem
	per := uint64(8)
	if l.kind != fNum {
		per = 16
	}
	cfg := &s.cfg
	lim := cfg.MaxArrayElems
	if lim == 0 {
		lim = defaultArrayElems
	}
	if cfg.MaxMemoryBytes > 0 && cfg.MaxMemoryBytes/per < lim {
		lim = cfg.MaxMemoryBytes / per
	}
	if n > lim {
		return nil
	}
	a := &Array{t: t, n: uint32(n)}
	switch l.kind {
	case fRef:
		a.refs = make([]any, n)
	case fV128:
		a.nums = make([]uint64, 2*n)
	default:
		a.nums = make([]uint64, n)
	}
	return a
}

// get reads element i of a into slot d (numbers) or refs[base+d].
func (a *Array) get(i uint64, r *regs, refs []any, d int, base int, signed bool) {
	switch l := &a.t.lay.elem; l.kind {
	case fRef:
		refs[base+d] = a.refs[i]
	case fV128:
		r[d], r[d+1] = a.nums[2*i], a.nums[2*i+1]
	default:
		r[d] = extend(a.nums[i], l.packed, signed)
	}
}

// setFrom writes element i of a from slot s (numbers) or refs[base+s].
func (a *Array) setFrom(i uint64, r *regs, refs []any, s int, base int) {
	switch l := &a.t.lay.elem; l.kind {
	case fRef:
		a.refs[i] = refs[base+s]
	case fV128:
		a.nums[2*i], a.nums[2*i+1] = r[s], r[s+1]
	default:
		a.nums[i] = wrap(r[s], l.packed)
	}
}

// fillFromBytes sets elements [d, d+n) of a from the little-endian bytes b.
func (a *Array) fillFromBytes(d uint64, b []byte) {
	l := &a.t.lay.elem
	sz := uint64(l.size)
	n := uint64(len(b)) / sz
	for k := uint64(0); k < n; k++ {
		p := b[k*sz:]
		switch sz {
		case 1:
			a.nums[d+k] = uint64(p[0])
		case 2:
			a.nums[d+k] = uint64(binary.LittleEndian.Uint16(p))
		case 4:
			a.nums[d+k] = uint64(binary.LittleEndian.Uint32(p))
		case 8:
			a.nums[d+k] = binary.LittleEndian.Uint64(p)
		case 16:
			a.nums[2*(d+k)] = binary.LittleEndian.Uint64(p)
			a.nums[2*(d+k)+1] = binary.LittleEndian.Uint64(p[8:])
		}
	}
}

// Heap type immediates of the casts: the type index or abstract heap
// kind, with flags.
const (
	castConcrete = 1 << 30
	castNullable = 1 << 31
)

// castInfo encodes a reference type for refTest.
func castInfo(nullable bool, h wasm.HeapType) uint32 {
	var x uint32
	if h.Kind == wasm.HeapIndex {
		x = h.Index | castConcrete
	} else {
		x = uint32(h.Kind)
	}
	if nullable {
		x |= castNullable
	}
	return x
}

// refTest reports whether reference v has the reference type encoded in
// info (see castInfo), type indices resolved in inst. Validation
// guarantees that v belongs to the hierarchy of the type.
func refTest(inst *Instance, v any, info uint32) bool {
	if v == nil {
		return info&castNullable != 0
	}
	if info&castConcrete != 0 {
		want := inst.types[info&(castConcrete-1)]
		switch o := v.(type) {
		case *Struct:
			return o.t.sub(want)
		case *Array:
			return o.t.sub(want)
		case *Func:
			return o.rt.sub(want)
		}
		return false
	}
	switch wasm.HeapKind(info & 0xFF) {
	case wasm.HeapAny, wasm.HeapFunc, wasm.HeapExtern, wasm.HeapExn:
		return true
	case wasm.HeapEq:
		switch v.(type) {
		case *Struct, *Array, I31:
			return true
		}
	case wasm.HeapI31:
		_, ok := v.(I31)
		return ok
	case wasm.HeapStruct:
		_, ok := v.(*Struct)
		return ok
	case wasm.HeapArray:
		_, ok := v.(*Array)
		return ok
	}
	return false
}

// GC operations, run out of line by exec.gc. Operands: a is the
// destination, b and c sources, unless said otherwise.
const (
	opStructNew        = opGC + iota // a = new struct imm (type) from the slots at b
	opStructNewDefault               // a = new struct imm
	opStructGet                      // a = field of refs[b]: c = layout field index, imm type|signed<<32
	opStructSet                      // field c of refs[a] = slot b, imm type
	opArrayNew                       // a = new array imm of length r[c] with value b
	opArrayNewDefault                // a = new array imm of length r[c]
	opArrayNewFixed                  // a = new array uint32(imm) of imm>>32 values from b
	opArrayNewData                   // a = new array uint32(imm) from data imm>>32: s=r[b], n=r[b+1]
	opArrayNewElem                   // a = ... from elem segment imm>>32
	opArrayGet                       // a = refs[b][r[c]]; imm type|signed<<32
	opArraySet                       // refs[a][r[b]] = c
	opArrayLen                       // r[a] = len(refs[b])
	opArrayFill                      // at a: ref, off, val, n; imm type
	opArrayCopy                      // at a: dst, doff, src, soff, n
	opArrayInitData                  // at a: ref, d, s, n; imm type|seg<<32
	opArrayInitElem                  //
	opRefI31                         // refs[a] = i31(r[b])
	opI31Get                         // r[a] = refs[b] as i32; c signed
	opRefEq                          // r[a] = refs[b] == refs[c]
	opRefTest                        // r[a] = refs[b] has type uint32(imm)
	opRefCast                        // refs[a] = refs[b], trapping unless of type uint32(imm)
	opBrOnCast                       // jump to uint32(imm) if refs[b] has type imm>>32
	opBrOnCastFail                   // jump to uint32(imm) unless refs[b] has type imm>>32
	opAnyConvertExtern               // refs[a] = internalize(refs[b])
	opExternConvertAny               // refs[a] = externalize(refs[b])
)

// gc runs the GC instruction in. It returns jump when a branch is taken
// (to uint32(in.imm)) and !ok after recording a trap.
func (e *exec) gc(in *instr, r *regs) (jump, ok bool) {
	refs := e.refs
	base := e.base
	inst := e.inst
	switch in.op {
	case opStructNew:
		t := inst.types[in.imm]
		s := &Struct{t: t, nums: make([]uint64, t.lay.nums), refs: make([]any, t.lay.refs)}
		src := int(in.b)
		for i := range t.lay.fields {
			f := &t.lay.fields[i]
			p := src + int(f.arg)
			switch f.kind {
			case fRef:
				s.refs[f.off] = refs[base+p]
			case fV128:
				s.nums[f.off], s.nums[f.off+1] = r[p], r[p+1]
			default:
				s.nums[f.off] = wrap(r[p], f.packed)
			}
		}
		refs[base+int(in.a)] = s
	case opStructNewDefault:
		t := inst.types[in.imm]
		refs[base+int(in.a)] = &Struct{t: t, nums: make([]uint64, t.lay.nums), refs: make([]any, t.lay.refs)}
	case opStructGet:
		s, _ := refs[base+int(in.b)].(*Struct)
		if s == nil {
			e.trapKind, e.trapMsg = TrapNullReference, "null structure reference"
			return false, false
		}
		f := &s.t.lay.fields[in.c]
		switch f.kind {
		case fRef:
			refs[base+int(in.a)] = s.refs[f.off]
		case fV128:
			r[in.a], r[in.a+1] = s.nums[f.off], s.nums[f.off+1]
		default:
			r[in.a] = extend(s.nums[f.off], f.packed, in.imm>>32 != 0)
		}
	case opStructSet:
		s, _ := refs[base+int(in.a)].(*Struct)
		if s == nil {
			e.trapKind, e.trapMsg = TrapNullReference, "null structure reference"
			return false, false
		}
		f := &s.t.lay.fields[in.c]
		switch f.kind {
		case fRef:
			s.refs[f.off] = refs[base+int(in.b)]
		case fV128:
			s.nums[f.off], s.nums[f.off+1] = r[in.b], r[in.b+1]
		default:
			s.nums[f.off] = wrap(r[in.b], f.packed)
		}
	case opArrayNew, opArrayNewDefault:
		t := inst.types[in.imm]
		a := e.newArray(t, uint64(uint32(r[in.c])))
		if a == nil {
			return false, false
		}
		if in.op == opArrayNew {
			for i := uint64(0); i < uint64(a.n); i++ {
				a.setFrom(i, r, refs, int(in.b), base)
			}
		}
		refs[base+int(in.a)] = a
	case opArrayNewFixed:
		t := inst.types[uint32(in.imm)]
		n := in.imm >> 32
		a := e.newArray(t, n)
		if a == nil {
			return false, false
		}
		w := 1
		if t.lay.elem.kind == fV128 {
			w = 2
		}
		for i := uint64(0); i < n; i++ {
			a.setFrom(i, r, refs, int(in.b)+int(i)*w, base)
		}
		refs[base+int(in.a)] = a
	case opArrayNewData:
		t := inst.types[uint32(in.imm)]
		s, n := uint64(uint32(r[in.b])), uint64(uint32(r[in.b+1]))
		var data []byte
		if inst.datas != nil {
			data = inst.datas[in.imm>>32]
		}
		sz := uint64(t.lay.elem.size)
		if s > uint64(len(data)) || n*sz > uint64(len(data))-s {
			e.trapKind, e.trapMsg = TrapMemoryOutOfBounds, ""
			return false, false
		}
		a := e.newArray(t, n)
		if a == nil {
			return false, false
		}
		a.fillFromBytes(0, data[s:s+n*sz])
		refs[base+int(in.a)] = a
	case opArrayNewElem:
		t := inst.types[uint32(in.imm)]
		s, n := uint64(uint32(r[in.b])), uint64(uint32(r[in.b+1]))
		el := inst.elems[in.imm>>32]
		if s > uint64(len(el)) || n > uint64(len(el))-s {
			e.trapKind, e.trapMsg = TrapTableOutOfBounds, ""
			return false, false
		}
		a := e.newArray(t, n)
		if a == nil {
			return false, false
		}
		copy(a.refs, el[s:s+n])
		refs[base+int(in.a)] = a
	case opArrayGet:
		a, _ := refs[base+int(in.b)].(*Array)
		if a == nil {
			e.trapKind, e.trapMsg = TrapNullReference, "null array reference"
			return false, false
		}
		i := uint64(uint32(r[in.c]))
		if i >= uint64(a.n) {
			e.trapKind, e.trapMsg = TrapArrayOutOfBounds, ""
			return false, false
		}
		a.get(i, r, refs, int(in.a), base, in.imm>>32 != 0)
	case opArraySet:
		a, _ := refs[base+int(in.a)].(*Array)
		if a == nil {
			e.trapKind, e.trapMsg = TrapNullReference, "null array reference"
			return false, false
		}
		i := uint64(uint32(r[in.b]))
		if i >= uint64(a.n) {
			e.trapKind, e.trapMsg = TrapArrayOutOfBounds, ""
			return false, false
		}
		a.setFrom(i, r, refs, int(in.c), base)
	case opArrayLen:
		a, _ := refs[base+int(in.b)].(*Array)
		if a == nil {
			e.trapKind, e.trapMsg = TrapNullReference, "null array reference"
			return false, false
		}
		r[in.a] = uint64(a.n)
	case opArrayFill:
		p := int(in.a)
		a, _ := refs[base+p].(*Array)
		if a == nil {
			e.trapKind, e.trapMsg = TrapNullReference, "null array reference"
			return false, false
		}
		d := uint64(uint32(r[p+1]))
		w := 1
		if a.t.lay.elem.kind == fV128 {
			w = 2
		}
		n := uint64(uint32(r[p+2+w]))
		if d > uint64(a.n) || n > uint64(a.n)-d {
			e.trapKind, e.trapMsg = TrapArrayOutOfBounds, ""
			return false, false
		}
		for i := d; i < d+n; i++ {
			a.setFrom(i, r, refs, p+2, base)
		}
	case opArrayCopy:
		p := int(in.a)
		da, _ := refs[base+p].(*Array)
		sa, _ := refs[base+p+2].(*Array)
		if da == nil || sa == nil {
			e.trapKind, e.trapMsg = TrapNullReference, "null array reference"
			return false, false
		}
		d, s, n := uint64(uint32(r[p+1])), uint64(uint32(r[p+3])), uint64(uint32(r[p+4]))
		if d > uint64(da.n) || n > uint64(da.n)-d || s > uint64(sa.n) || n > uint64(sa.n)-s {
			e.trapKind, e.trapMsg = TrapArrayOutOfBounds, ""
			return false, false
		}
		switch da.t.lay.elem.kind {
		case fRef:
			copy(da.refs[d:d+n], sa.refs[s:s+n])
		case fV128:
			copy(da.nums[2*d:2*(d+n)], sa.nums[2*s:2*(s+n)])
		default:
			copy(da.nums[d:d+n], sa.nums[s:s+n])
		}
	case opArrayInitData, opArrayInitElem:
		p := int(in.a)
		a, _ := refs[base+p].(*Array)
		if a == nil {
			e.trapKind, e.trapMsg = TrapNullReference, "null array reference"
			return false, false
		}
		d, s, n := uint64(uint32(r[p+1])), uint64(uint32(r[p+2])), uint64(uint32(r[p+3]))
		if d > uint64(a.n) || n > uint64(a.n)-d {
			e.trapKind, e.trapMsg = TrapArrayOutOfBounds, ""
			return false, false
		}
		if in.op == opArrayInitData {
			var data []byte
			if inst.datas != nil {
				data = inst.datas[in.imm>>32]
			}
			sz := uint64(a.t.lay.elem.size)
			if s > uint64(len(data)) || n*sz > uint64(len(data))-s {
				e.trapKind, e.trapMsg = TrapMemoryOutOfBounds, ""
				return false, false
			}
			a.fillFromBytes(d, data[s:s+n*sz])
		} else {
			el := inst.elems[in.imm>>32]
			if s > uint64(len(el)) || n > uint64(len(el))-s {
				e.trapKind, e.trapMsg = TrapTableOutOfBounds, ""
				return false, false
			}
			copy(a.refs[d:d+n], el[s:s+n])
		}
	case opRefI31:
		refs[base+int(in.a)] = I31(uint32(r[in.b]) & 0x7FFFFFFF)
	case opI31Get:
		v, ok := refs[base+int(in.b)].(I31)
		if !ok {
			e.trapKind, e.trapMsg = TrapNullReference, "null i31 reference"
			return false, false
		}
		x := uint32(v)
		if in.c != 0 {
			x = uint32(int32(x<<1) >> 1)
		}
		r[in.a] = uint64(x)
	case opRefEq:
		r[in.a] = b2u(refs[base+int(in.b)] == refs[base+int(in.c)])
	case opRefTest:
		r[in.a] = b2u(refTest(inst, refs[base+int(in.b)], uint32(in.imm)))
	case opRefCast:
		v := refs[base+int(in.b)]
		if !refTest(inst, v, uint32(in.imm)) {
			e.trapKind, e.trapMsg = TrapCastFailure, ""
			return false, false
		}
		refs[base+int(in.a)] = v
	case opBrOnCast:
		return refTest(inst, refs[base+int(in.b)], uint32(in.imm>>32)), true
	case opBrOnCastFail:
		return !refTest(inst, refs[base+int(in.b)], uint32(in.imm>>32)), true
	case opAnyConvertExtern:
		v := refs[base+int(in.b)]
		if x, ok := v.(externAny); ok {
			v = x.v
		}
		refs[base+int(in.a)] = v
	case opExternConvertAny:
		v := refs[base+int(in.b)]
		switch v.(type) {
		case *Struct, *Array, I31:
			v = externAny{v}
		}
		refs[base+int(in.a)] = v
	default:
		e.trapKind, e.trapMsg = TrapUnreachable, "internal error: bad GC opcode"
		return false, false
	}
	return false, true
}

// setValue writes element i of a from v.
func (a *Array) setValue(i uint64, v Value) {
	switch l := &a.t.lay.elem; l.kind {
	case fRef:
		a.refs[i] = v.Ref
	case fV128:
		a.nums[2*i], a.nums[2*i+1] = v.Lo, v.Hi
	default:
		a.nums[i] = wrap(v.Lo, l.packed)
	}
}

// newStructValues allocates a struct of type t with the field values vs
// (or default values when vs is nil).
func newStructValues(t *rtt, vs []Value) *Struct {
	s := &Struct{t: t, nums: make([]uint64, t.lay.nums), refs: make([]any, t.lay.refs)}
	for i, v := range vs {
		f := &t.lay.fields[i]
		switch f.kind {
		case fRef:
			s.refs[f.off] = v.Ref
		case fV128:
			s.nums[f.off], s.nums[f.off+1] = v.Lo, v.Hi
		default:
			s.nums[f.off] = wrap(v.Lo, f.packed)
		}
	}
	return s
}

// constGC evaluates a GC instruction of a constant expression on the
// stack st.
func (in *Instance) constGC(d *dins, st []Value) ([]Value, error) {
	pop := func(n int) ([]Value, error) {
		if n > len(st) {
			return nil, errors.New("interp: bad constant expression")
		}
		vs := append([]Value(nil), st[len(st)-n:]...)
		st = st[:len(st)-n]
		return vs, nil
	}
	refOf := func(x uint32) wasm.ValType { return concreteRef(false, x) }
	switch d.op.Sub() {
	case 0, 1: // struct.new, struct.new_default
		t := in.types[d.x]
		var vs []Value
		if d.op.Sub() == 0 {
			var err error
			if vs, err = pop(len(t.lay.fields)); err != nil {
				return nil, err
			}
		}
		return append(st, Value{Type: refOf(d.x), Ref: newStructValues(t, vs)}), nil
	case 6, 7, 8: // array.new, array.new_default, array.new_fixed
		t := in.types[d.x]
		var n uint64
		var vs []Value
		var err error
		switch d.op.Sub() {
		case 6:
			vs, err = pop(2)
			n = uint64(uint32(vs[1].Lo))
		case 7:
			vs, err = pop(1)
			n = uint64(uint32(vs[0].Lo))
			vs = nil
		case 8:
			n = uint64(d.y)
			vs, err = pop(int(d.y))
		}
		if err != nil {
			return nil, err
		}
		a := in.store.newArray(t, n)
		if a == nil {
			return nil, &Trap{Kind: TrapAllocationTooLarge}
		}
		for i := uint64(0); i < n && vs != nil; i++ {
			if d.op.Sub() == 6 {
				a.setValue(i, vs[0])
			} else {
				a.setValue(i, vs[i])
			}
		}
		return append(st, Value{Type: refOf(d.x), Ref: a}), nil
	case 26, 27, 28: // any.convert_extern, extern.convert_any, ref.i31
		vs, err := pop(1)
		if err != nil {
			return nil, err
		}
		v := vs[0]
		switch d.op.Sub() {
		case 26:
			if x, ok := v.Ref.(externAny); ok {
				v.Ref = x.v
			}
			v.Type = wasm.RefType(v.Ref == nil, wasm.HeapType{Kind: wasm.HeapAny})
		case 27:
			switch v.Ref.(type) {
			case *Struct, *Array, I31:
				v.Ref = externAny{v.Ref}
			}
			v.Type = wasm.RefType(v.Ref == nil, wasm.HeapType{Kind: wasm.HeapExtern})
		case 28:
			v = Value{Type: wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapI31}), Ref: I31(uint32(v.Lo) & 0x7FFFFFFF)}
		}
		return append(st, v), nil
	}
	return nil, fmt.Errorf("interp: opcode 0xfb %d in a constant expression", d.op.Sub())
}
