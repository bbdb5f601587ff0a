package interp

import (
	"errors"
	"fmt"

	"github.com/gowasm/gowasm/wasm"
)

// unpacked returns the value type of a storage type: i32 for packed ones.
func unpacked(s wasm.StorageType) wasm.ValType {
	if s.Packed != 0 {
		return wasm.I32
	}
	return s.Val
}

// concreteRef returns (ref null? x).
func concreteRef(nullable bool, x uint32) wasm.ValType {
	return wasm.RefType(nullable, wasm.HeapType{Kind: wasm.HeapIndex, Index: x})
}

// comp returns the composite type x of the module.
func (t *translator) comp(x uint32) *wasm.CompType {
	if int(x) >= len(t.m.Types) {
		panic(fmt.Errorf("unknown type %d", x))
	}
	return &t.m.Types[x].Comp
}

// gcInstr translates the GC instructions (prefix 0xFB).
func (t *translator) gcInstr(d *dins) error {
	sub := d.op.Sub()
	if sub >= 20 && sub <= 25 && (d.heap.Kind == wasm.HeapIndex && d.heap.Index >= castConcrete ||
		sub >= 24 && d.heap2.Kind == wasm.HeapIndex && d.heap2.Index >= castConcrete) {
		return errors.New("cast to a type index of 2^30 or more")
	}
	switch sub {
	case 0: // struct.new
		ct := t.comp(d.x)
		a := t.popN(len(ct.Fields))
		dst := t.push(concreteRef(false, d.x))
		t.emit(instr{op: opStructNew, a: u16(dst), b: u16(a), imm: uint64(d.x)})
	case 1: // struct.new_default
		dst := t.push(concreteRef(false, d.x))
		t.emit(instr{op: opStructNewDefault, a: u16(dst), imm: uint64(d.x)})
	case 2, 3, 4: // struct.get, struct.get_s, struct.get_u
		ct := t.comp(d.x)
		if d.y >= 1<<16 || int(d.y) >= len(ct.Fields) {
			return errors.New("struct field index too large")
		}
		v := t.pop()
		dst := t.push(unpacked(ct.Fields[d.y].Storage))
		t.emit(instr{op: opStructGet, a: u16(dst), b: u16(v.src), c: uint16(d.y), imm: b2u(sub == 3) << 32})
	case 5: // struct.set
		if d.y >= 1<<16 {
			return errors.New("struct field index too large")
		}
		v := t.pop()
		ref := t.pop()
		t.emit(instr{op: opStructSet, a: u16(ref.src), b: u16(v.src), c: uint16(d.y)})
	case 6: // array.new
		n := t.pop()
		v := t.pop()
		dst := t.push(concreteRef(false, d.x))
		t.emit(instr{op: opArrayNew, a: u16(dst), b: u16(v.src), c: u16(n.src), imm: uint64(d.x)})
	case 7: // array.new_default
		n := t.pop()
		dst := t.push(concreteRef(false, d.x))
		t.emit(instr{op: opArrayNewDefault, a: u16(dst), c: u16(n.src), imm: uint64(d.x)})
	case 8: // array.new_fixed
		a := t.popN(int(d.y))
		dst := t.push(concreteRef(false, d.x))
		t.emit(instr{op: opArrayNewFixed, a: u16(dst), b: u16(a), imm: uint64(d.x) | uint64(d.y)<<32})
	case 9, 10: // array.new_data, array.new_elem
		a := t.popN(2)
		dst := t.push(concreteRef(false, d.x))
		op := uint16(opArrayNewData)
		if sub == 10 {
			op = opArrayNewElem
		}
		t.emit(instr{op: op, a: u16(dst), b: u16(a), imm: uint64(d.x) | uint64(d.y)<<32})
	case 11, 12, 13: // array.get, array.get_s, array.get_u
		ct := t.comp(d.x)
		i := t.pop()
		ref := t.pop()
		dst := t.push(unpacked(ct.Elem.Storage))
		t.emit(instr{op: opArrayGet, a: u16(dst), b: u16(ref.src), c: u16(i.src), imm: b2u(sub == 12) << 32})
	case 14: // array.set
		v := t.pop()
		i := t.pop()
		ref := t.pop()
		t.emit(instr{op: opArraySet, a: u16(ref.src), b: u16(i.src), c: u16(v.src)})
	case 15: // array.len
		ref := t.pop()
		dst := t.push(wasm.I32)
		t.emit(instr{op: opArrayLen, a: u16(dst), b: u16(ref.src)})
	case 16: // array.fill
		a := t.popN(4)
		t.emit(instr{op: opArrayFill, a: u16(a), imm: uint64(d.x)})
	case 17: // array.copy
		a := t.popN(5)
		t.emit(instr{op: opArrayCopy, a: u16(a)})
	case 18, 19: // array.init_data, array.init_elem
		a := t.popN(4)
		op := uint16(opArrayInitData)
		if sub == 19 {
			op = opArrayInitElem
		}
		t.emit(instr{op: op, a: u16(a), imm: uint64(d.x) | uint64(d.y)<<32})
	case 20, 21: // ref.test
		v := t.pop()
		dst := t.push(wasm.I32)
		t.emit(instr{op: opRefTest, a: u16(dst), b: u16(v.src), imm: uint64(castInfo(sub == 21, d.heap))})
	case 22, 23: // ref.cast
		v := t.pop()
		dst := t.push(wasm.RefType(sub == 23, d.heap))
		t.emit(instr{op: opRefCast, a: u16(dst), b: u16(v.src), imm: uint64(castInfo(sub == 23, d.heap))})
	case 24, 25: // br_on_cast, br_on_cast_fail
		n1, n2 := d.c&1 != 0, d.c&2 != 0
		info := uint64(castInfo(n2, d.heap2)) << 32
		jop, inv := uint16(opBrOnCast), uint16(opBrOnCastFail)
		fall := wasm.RefType(n1 && !n2, d.heap)
		if sub == 25 {
			jop, inv = inv, jop
			fall = wasm.RefType(n2, d.heap2)
		}
		l := &t.ctls[len(t.ctls)-1-int(d.x)]
		types := l.labelTypes()
		if l.op == 0 {
			t.materializeTop(len(types))
		}
		ref := t.stack[len(t.stack)-1]
		if !t.copyTo(l.base, types, true) && l.op != 0 {
			i := t.jump(l, jop)
			t.c.ins[i].b = u16(ref.src)
			t.c.ins[i].imm |= info
		} else {
			skip := t.emit(instr{op: inv, b: u16(ref.src), imm: info})
			t.branch(d.x)
			t.setTarget(skip, t.bind())
		}
		t.stack[len(t.stack)-1].t = fall
	case 26, 27: // any.convert_extern, extern.convert_any
		v := t.pop()
		op, k := uint16(opAnyConvertExtern), wasm.HeapAny
		if sub == 27 {
			op, k = opExternConvertAny, wasm.HeapExtern
		}
		dst := t.push(wasm.RefType(v.t.Nullable, wasm.HeapType{Kind: k}))
		t.emit(instr{op: op, a: u16(dst), b: u16(v.src)})
	case 28: // ref.i31
		v := t.pop()
		dst := t.push(wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapI31}))
		t.emit(instr{op: opRefI31, a: u16(dst), b: u16(v.src)})
	case 29, 30: // i31.get_s, i31.get_u
		v := t.pop()
		dst := t.push(wasm.I32)
		t.emit(instr{op: opI31Get, a: u16(dst), b: u16(v.src), c: uint16(b2u(sub == 29))})
	default:
		return fmt.Errorf("%w: 0xFB %d", errUnsupported, sub)
	}
	return nil
}
