package spectest

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/text"
	"github.com/gowasm/gowasm/wasm"
)

// externValue is the host value a script's (ref.extern N) and (ref.host
// N) stand for: the same host value seen as an external reference or,
// after any.convert_extern, as an internal one (so that converting
// (ref.extern 1) gives (ref.host 1), as in the reference interpreter).
type externValue uint32

// hostValue is the host value of (ref.host N): an externValue.
type hostValue = externValue

// anyRef is the type of (ref.host N) arguments.
var anyRef = wasm.RefType(true, wasm.HeapType{Kind: wasm.HeapAny})

// constValue converts a script constant to an engine value.
func constValue(c *text.Const) (interp.Value, error) {
	switch c.Kind {
	case text.ConstNum:
		v := interp.Value{Type: c.Type, Lo: c.Lo, Hi: c.Hi}
		switch c.Type.Kind {
		case wasm.KindI32, wasm.KindF32:
			v.Lo &= math.MaxUint32
			v.Hi = 0
		case wasm.KindI64, wasm.KindF64:
			v.Hi = 0
		case wasm.KindV128:
		default:
			return interp.Value{}, fmt.Errorf("constant of type %v", c.Type)
		}
		return v, nil
	case text.ConstRefNull:
		t := c.Type
		if t.Kind != wasm.KindRef {
			return interp.Value{}, fmt.Errorf("ref.null of non-reference type %v", t)
		}
		return interp.Value{Type: t}, nil
	case text.ConstRefExtern:
		if !c.HasExtern {
			return interp.Value{}, fmt.Errorf("ref.extern without a value")
		}
		return interp.Value{Type: wasm.ExternRef, Ref: externValue(c.Extern)}, nil
	case text.ConstRefHost:
		return interp.Value{Type: anyRef, Ref: hostValue(c.Extern)}, nil
	}
	return interp.Value{}, fmt.Errorf("unsupported argument %s", formatPattern(c))
}

// matchAll reports whether vals match the patterns one to one.
func matchAll(vals []interp.Value, pats []text.Const) bool {
	if len(vals) != len(pats) {
		return false
	}
	for i := range pats {
		if !match(&vals[i], &pats[i]) {
			return false
		}
	}
	return true
}

// isNull reports whether a reference is null, including typed nil
// pointers, maps, slices, funcs and interfaces.
func isNull(ref any) bool {
	if ref == nil {
		return true
	}
	rv := reflect.ValueOf(ref)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Interface, reflect.Chan:
		return rv.IsNil()
	}
	return false
}

// match reports whether v matches the pattern p, bit-exactly.
func match(v *interp.Value, p *text.Const) bool {
	switch p.Kind {
	case text.ConstNum:
		if v.Type.Kind != p.Type.Kind {
			return false
		}
		switch p.Type.Kind {
		case wasm.KindI32, wasm.KindF32:
			return uint32(v.Lo) == uint32(p.Lo)
		case wasm.KindI64, wasm.KindF64:
			return v.Lo == p.Lo
		case wasm.KindV128:
			return v.Lo == p.Lo && v.Hi == p.Hi
		}
		return false
	case text.ConstNaNCanonical, text.ConstNaNArithmetic:
		if v.Type.Kind != p.Type.Kind {
			return false
		}
		return nanMatches(p.Type.Kind, v.Lo, p.Kind == text.ConstNaNCanonical)
	case text.ConstV128Lanes:
		if v.Type.Kind != wasm.KindV128 {
			return false
		}
		width, kind, ok := shapeOf(p.Shape)
		if !ok || len(p.Lanes)*width != 128 {
			return false
		}
		for i := range p.Lanes {
			if !laneMatches(laneBits(v.Lo, v.Hi, i, width), width, kind, &p.Lanes[i]) {
				return false
			}
		}
		return true
	case text.ConstRefNull:
		if v.Type.Kind != wasm.KindRef || !isNull(v.Ref) {
			return false
		}
		// A null of another hierarchy (ref.null extern for a funcref) is a
		// different value; concrete heap types are not checked.
		ht, pt := heapTop(v.Type.Heap.Kind), heapTop(p.Type.Heap.Kind)
		return ht == 0 || pt == 0 || ht == pt
	case text.ConstRefExtern:
		if isNull(v.Ref) {
			return false
		}
		if !p.HasExtern {
			return true
		}
		ev, ok := v.Ref.(externValue)
		return ok && uint32(ev) == p.Extern
	case text.ConstRefHost:
		hv, ok := v.Ref.(hostValue)
		return ok && uint32(hv) == p.Extern
	case text.ConstRefFunc:
		f, ok := v.Ref.(*interp.Func)
		return ok && f != nil
	case text.ConstRefAny:
		if isNull(v.Ref) {
			return false
		}
		switch v.Ref.(type) {
		case *interp.Struct:
			return p.RefKind == "struct" || p.RefKind == "eq" || p.RefKind == "any"
		case *interp.Array:
			return p.RefKind == "array" || p.RefKind == "eq" || p.RefKind == "any"
		case interp.I31:
			return p.RefKind == "i31" || p.RefKind == "eq" || p.RefKind == "any"
		case *interp.Func:
			return false
		}
		return p.RefKind == "any"
	case text.ConstEither:
		for i := range p.Alts {
			if match(v, &p.Alts[i]) {
				return true
			}
		}
		return false
	}
	return false
}

// heapTop returns the top of the hierarchy of an abstract heap type, or 0
// for a concrete type index.
func heapTop(k wasm.HeapKind) wasm.HeapKind {
	switch k {
	case wasm.HeapFunc, wasm.HeapNoFunc:
		return wasm.HeapFunc
	case wasm.HeapExtern, wasm.HeapNoExtern:
		return wasm.HeapExtern
	case wasm.HeapExn, wasm.HeapNoExn:
		return wasm.HeapExn
	case wasm.HeapAny, wasm.HeapEq, wasm.HeapI31, wasm.HeapStruct, wasm.HeapArray, wasm.HeapNone:
		return wasm.HeapAny
	}
	return 0
}

// nanMatches reports whether bits are a canonical (only the quiet bit set
// in the payload) or an arithmetic (quiet bit set) NaN of kind f32/f64.
func nanMatches(kind wasm.ValKind, bits uint64, canonical bool) bool {
	switch kind {
	case wasm.KindF32:
		b := uint32(bits)
		if canonical {
			return b&0x7FFFFFFF == 0x7FC00000
		}
		return b&0x7FC00000 == 0x7FC00000
	case wasm.KindF64:
		if canonical {
			return bits&0x7FFFFFFFFFFFFFFF == 0x7FF8000000000000
		}
		return bits&0x7FF8000000000000 == 0x7FF8000000000000
	}
	return false
}

// shapeOf returns the lane width in bits and the lane kind of a v128
// shape.
func shapeOf(shape string) (int, wasm.ValKind, bool) {
	switch shape {
	case "i8x16":
		return 8, wasm.KindI32, true
	case "i16x8":
		return 16, wasm.KindI32, true
	case "i32x4":
		return 32, wasm.KindI32, true
	case "i64x2":
		return 64, wasm.KindI64, true
	case "f32x4":
		return 32, wasm.KindF32, true
	case "f64x2":
		return 64, wasm.KindF64, true
	}
	return 0, 0, false
}

// laneBits returns lane i of width bits of the v128 (lo, hi).
func laneBits(lo, hi uint64, i, width int) uint64 {
	off := i * width
	w := lo
	if off >= 64 {
		w, off = hi, off-64
	}
	if width == 64 {
		return w
	}
	return (w >> off) & (1<<width - 1)
}

// laneMatches reports whether lane bits of width match pattern p.
func laneMatches(bits uint64, width int, kind wasm.ValKind, p *text.Const) bool {
	switch p.Kind {
	case text.ConstNum:
		mask := uint64(math.MaxUint64)
		if width < 64 {
			mask = 1<<width - 1
		}
		return bits == p.Lo&mask
	case text.ConstNaNCanonical, text.ConstNaNArithmetic:
		return nanMatches(kind, bits, p.Kind == text.ConstNaNCanonical)
	case text.ConstEither:
		for i := range p.Alts {
			if laneMatches(bits, width, kind, &p.Alts[i]) {
				return true
			}
		}
	}
	return false
}

// formatValues formats results as "[i32:1 f32:0x3f800000 (1)]".
func formatValues(vals []interp.Value) string {
	parts := make([]string, len(vals))
	for i := range vals {
		parts[i] = formatValue(&vals[i])
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// formatValue formats one engine value.
func formatValue(v *interp.Value) string {
	switch v.Type.Kind {
	case wasm.KindI32:
		return fmt.Sprintf("i32:%d", int32(uint32(v.Lo)))
	case wasm.KindI64:
		return fmt.Sprintf("i64:%d", int64(v.Lo))
	case wasm.KindF32:
		return fmt.Sprintf("f32:0x%08x(%s)", uint32(v.Lo), fmtFloat(float64(math.Float32frombits(uint32(v.Lo))), 32))
	case wasm.KindF64:
		return fmt.Sprintf("f64:0x%016x(%s)", v.Lo, fmtFloat(math.Float64frombits(v.Lo), 64))
	case wasm.KindV128:
		return fmt.Sprintf("v128:0x%016x%016x", v.Hi, v.Lo)
	case wasm.KindRef:
		return formatRef(v.Type, v.Ref)
	}
	return fmt.Sprintf("%v:lo=0x%x,hi=0x%x,ref=%v", v.Type, v.Lo, v.Hi, v.Ref)
}

func formatRef(t wasm.ValType, ref any) string {
	if isNull(ref) {
		return "(ref.null " + t.Heap.String() + ")"
	}
	switch r := ref.(type) {
	case externValue:
		if heapTop(t.Heap.Kind) == wasm.HeapAny {
			return fmt.Sprintf("(ref.host %d)", uint32(r))
		}
		return fmt.Sprintf("(ref.extern %d)", uint32(r))
	case *interp.Struct:
		return "(ref.struct)"
	case *interp.Array:
		return "(ref.array)"
	case interp.I31:
		return fmt.Sprintf("(ref.i31 %d)", uint32(r))
	case *interp.Func:
		return "(ref.func)"
	}
	return fmt.Sprintf("(ref %T)", ref)
}

func fmtFloat(f float64, bits int) string {
	return strconv.FormatFloat(f, 'g', -1, bits)
}

// formatPatterns formats expected results.
func formatPatterns(ps []text.Const) string {
	parts := make([]string, len(ps))
	for i := range ps {
		parts[i] = formatPattern(&ps[i])
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// formatPattern formats one expected result.
func formatPattern(p *text.Const) string {
	switch p.Kind {
	case text.ConstNum:
		v := interp.Value{Type: p.Type, Lo: p.Lo, Hi: p.Hi}
		return formatValue(&v)
	case text.ConstRefNull:
		return "(ref.null " + p.Type.Heap.String() + ")"
	case text.ConstRefExtern:
		if !p.HasExtern {
			return "(ref.extern)"
		}
		return fmt.Sprintf("(ref.extern %d)", p.Extern)
	case text.ConstRefHost:
		return fmt.Sprintf("(ref.host %d)", p.Extern)
	case text.ConstRefFunc:
		return "(ref.func)"
	case text.ConstRefAny:
		return "(ref." + p.RefKind + ")"
	case text.ConstNaNCanonical:
		return p.Type.String() + ":nan:canonical"
	case text.ConstNaNArithmetic:
		return p.Type.String() + ":nan:arithmetic"
	case text.ConstV128Lanes:
		parts := make([]string, len(p.Lanes))
		for i := range p.Lanes {
			l := &p.Lanes[i]
			switch l.Kind {
			case text.ConstNaNCanonical:
				parts[i] = "nan:canonical"
			case text.ConstNaNArithmetic:
				parts[i] = "nan:arithmetic"
			case text.ConstNum:
				parts[i] = fmt.Sprintf("0x%x", l.Lo)
			default:
				parts[i] = formatPattern(l)
			}
		}
		return "v128:" + p.Shape + "(" + strings.Join(parts, " ") + ")"
	case text.ConstEither:
		parts := make([]string, len(p.Alts))
		for i := range p.Alts {
			parts[i] = formatPattern(&p.Alts[i])
		}
		return "(either " + strings.Join(parts, " ") + ")"
	}
	return fmt.Sprintf("pattern(%d)", p.Kind)
}

// trapMessages lists the spec-test messages of each trap kind.
var trapMessages = map[interp.TrapKind][]string{
	interp.TrapUnreachable:              {"unreachable"},
	interp.TrapMemoryOutOfBounds:        {"out of bounds memory access", "memory access out of bounds"},
	interp.TrapTableOutOfBounds:         {"out of bounds table access", "undefined element", "table index out of bounds"},
	interp.TrapIndirectCallTypeMismatch: {"indirect call type mismatch"},
	interp.TrapNullReference:            {"null reference", "null function reference", "uninitialized element", "null structure reference", "null array reference", "null i31 reference"},
	interp.TrapUninitializedElement:     {"uninitialized element", "undefined element"},
	interp.TrapIntegerDivideByZero:      {"integer divide by zero"},
	interp.TrapIntegerOverflow:          {"integer overflow"},
	interp.TrapInvalidConversion:        {"invalid conversion to integer"},
	interp.TrapStackExhausted:           {"call stack exhausted", "stack overflow"},
	interp.TrapOutOfFuel:                {"out of fuel"},
	interp.TrapInterrupted:              {"interrupted"},
	interp.TrapHost:                     {"host"},
	interp.TrapArrayOutOfBounds:         {"out of bounds array access"},
	interp.TrapCastFailure:              {"cast failure"},
	interp.TrapAllocationTooLarge:       {"allocation too large", "out of memory"},
}

// trapMatches reports whether a trap of kind k fits the message a script
// expects.
func trapMatches(k interp.TrapKind, want string) bool {
	for _, m := range trapMessages[k] {
		if strings.Contains(want, m) {
			return true
		}
	}
	return false
}
