package component

import (
	"fmt"
	"math"
	"unicode/utf8"
)

// Val is a component value: bool, integers, floats, char, string, list,
// record, tuple, variant, enum, option, result, flags or a resource
// handle. Kind tells which; build values with the constructors (Bool,
// U32, String, List, Record...) and read them with the accessors. Records,
// variants, enums and flags carry their labels, so a Val prints without
// its type.
type Val struct {
	Kind  ValKind
	bits  uint64   // bool, integers, floats (bits), char, case index, flag bits, handle
	str   string   // string; variant/enum case name
	elems []Val    // list, fixed list, tuple, record fields; payload of variant/option/result (0 or 1)
	names []string // record field names; flags: the names of the set flags
	res   *ResourceType
	// bytes holds the elements of a list<u8> in compact form (elems is
	// then nil).
	bytes []byte
	// tok tracks a handle lifted out of a component instance (nil for
	// handles the host made itself).
	tok *handleToken
}

// handleToken tracks a handle lifted out of a component instance, shared
// by the copies of its Val: an owned handle is consumed when it is
// lowered again (moved) or dropped, so that it is used once, and its
// borrows (Borrowed) are refused afterwards.
type handleToken struct{ consumed bool }

// Bytes returns a list<u8> value holding b (which it keeps; do not
// modify b afterwards).
func Bytes(b []byte) Val {
	if b == nil {
		b = []byte{}
	}
	return Val{Kind: KindList, bytes: b}
}

// AsBytes returns the elements of a list of u8 as bytes, and whether v is
// such a list.
func (v Val) AsBytes() ([]byte, bool) {
	if v.bytes != nil {
		return v.bytes, true
	}
	if v.Kind != KindList {
		return nil, false
	}
	b := make([]byte, len(v.elems))
	for i, e := range v.elems {
		if e.Kind != KindU8 {
			return nil, false
		}
		b[i] = byte(e.bits)
	}
	return b, true
}

// expand returns v with a compact list<u8> turned into elements.
func (v Val) expand() Val {
	if v.bytes == nil {
		return v
	}
	elems := make([]Val, len(v.bytes))
	for i, c := range v.bytes {
		elems[i] = U8(c)
	}
	v.elems, v.bytes = elems, nil
	return v
}

// Bool returns a bool value.
func Bool(b bool) Val {
	v := Val{Kind: KindBool}
	if b {
		v.bits = 1
	}
	return v
}

// S8 returns an s8 value.
func S8(x int8) Val { return Val{Kind: KindS8, bits: uint64(int64(x))} }

// U8 returns a u8 value.
func U8(x uint8) Val { return Val{Kind: KindU8, bits: uint64(x)} }

// S16 returns an s16 value.
func S16(x int16) Val { return Val{Kind: KindS16, bits: uint64(int64(x))} }

// U16 returns a u16 value.
func U16(x uint16) Val { return Val{Kind: KindU16, bits: uint64(x)} }

// S32 returns an s32 value.
func S32(x int32) Val { return Val{Kind: KindS32, bits: uint64(int64(x))} }

// U32 returns a u32 value.
func U32(x uint32) Val { return Val{Kind: KindU32, bits: uint64(x)} }

// S64 returns an s64 value.
func S64(x int64) Val { return Val{Kind: KindS64, bits: uint64(x)} }

// U64 returns a u64 value.
func U64(x uint64) Val { return Val{Kind: KindU64, bits: x} }

// F32 returns an f32 value.
func F32(x float32) Val { return Val{Kind: KindF32, bits: uint64(math.Float32bits(x))} }

// F64 returns an f64 value.
func F64(x float64) Val { return Val{Kind: KindF64, bits: math.Float64bits(x)} }

// Char returns a char value.
func Char(r rune) Val { return Val{Kind: KindChar, bits: uint64(r)} }

// String returns a string value.
func String(s string) Val { return Val{Kind: KindString, str: s} }

// List returns a list value.
func List(elems ...Val) Val { return Val{Kind: KindList, elems: elems} }

// Tuple returns a tuple value.
func Tuple(elems ...Val) Val { return Val{Kind: KindTuple, elems: elems} }

// NamedVal is a labelled value: a record field.
type NamedVal struct {
	Name string
	Val  Val
}

// Record returns a record value with the fields in order.
func Record(fields ...NamedVal) Val {
	v := Val{Kind: KindRecord, elems: make([]Val, len(fields)), names: make([]string, len(fields))}
	for i, f := range fields {
		v.names[i], v.elems[i] = f.Name, f.Val
	}
	return v
}

// Variant returns a variant value of the case named name, with an
// optional payload.
func Variant(name string, payload *Val) Val {
	v := Val{Kind: KindVariant, str: name}
	if payload != nil {
		v.elems = []Val{*payload}
	}
	return v
}

// Enum returns an enum value.
func Enum(name string) Val { return Val{Kind: KindEnum, str: name} }

// Some returns option value some(x).
func Some(x Val) Val { return Val{Kind: KindOption, bits: 1, elems: []Val{x}} }

// None returns the option value none.
func None() Val { return Val{Kind: KindOption} }

// Ok returns result value ok(x), or ok without payload when x is nil.
func Ok(x *Val) Val {
	v := Val{Kind: KindResult}
	if x != nil {
		v.elems = []Val{*x}
	}
	return v
}

// Err returns result value err(x), or err without payload when x is nil.
func Err(x *Val) Val {
	v := Val{Kind: KindResult, bits: 1}
	if x != nil {
		v.elems = []Val{*x}
	}
	return v
}

// Flags returns a flags value with the named flags set.
func Flags(set ...string) Val { return Val{Kind: KindFlags, names: set} }

// Own returns an owned handle to a resource of type r with
// representation rep: for a host resource (NewResourceType) the host's
// own number for it; for a resource a component defines, the value
// lifted from the component (pass it back unchanged).
func Own(r *ResourceType, rep uint32) Val {
	return Val{Kind: KindOwn, bits: uint64(rep), res: r}
}

// Borrow returns a borrowed handle to a resource (see Own).
func Borrow(r *ResourceType, rep uint32) Val {
	return Val{Kind: KindBorrow, bits: uint64(rep), res: r}
}

// AsBool returns a bool value's value.
func (v Val) AsBool() bool { return v.bits != 0 }

// AsInt returns a signed integer value (s8..s64) as int64.
func (v Val) AsInt() int64 { return int64(v.bits) }

// AsUint returns an unsigned integer value (u8..u64) as uint64; for
// other integer kinds it returns the two's complement bits.
func (v Val) AsUint() uint64 { return v.bits }

// AsF32 returns an f32 value.
func (v Val) AsF32() float32 { return math.Float32frombits(uint32(v.bits)) }

// AsF64 returns an f64 value (an f32 is converted).
func (v Val) AsF64() float64 {
	if v.Kind == KindF32 {
		return float64(v.AsF32())
	}
	return math.Float64frombits(v.bits)
}

// AsChar returns a char value.
func (v Val) AsChar() rune { return rune(v.bits) }

// AsString returns a string value.
func (v Val) AsString() string { return v.str }

// Elems returns the elements of a list or tuple, or the field values of a
// record.
func (v Val) Elems() []Val { return v.expand().elems }

// FieldNames returns the field names of a record.
func (v Val) FieldNames() []string { return v.names }

// Field returns the record field named name.
func (v Val) Field(name string) (Val, bool) {
	for i, n := range v.names {
		if n == name {
			return v.elems[i], true
		}
	}
	return Val{}, false
}

// Case returns the case name of a variant or enum.
func (v Val) Case() string { return v.str }

// Payload returns the payload of a variant case, some option or result,
// or nil.
func (v Val) Payload() *Val {
	if len(v.elems) == 0 {
		return nil
	}
	p := v.elems[0]
	return &p
}

// IsSome reports whether an option is some.
func (v Val) IsSome() bool { return v.bits != 0 }

// IsErr reports whether a result is an error.
func (v Val) IsErr() bool { return v.bits != 0 }

// SetFlags returns the names of the flags that are set.
func (v Val) SetFlags() []string { return v.names }

// Handle returns the representation of a resource handle and its
// resource type.
func (v Val) Handle() (uint32, *ResourceType) { return uint32(v.bits), v.res }

// String returns the value in WAVE.
func (v Val) String() string { return FormatWAVE(v) }

// Equal reports whether v and w are the same value (floats compare by
// bits, except that all NaNs are equal).
func (v Val) Equal(w Val) bool {
	if v.bytes != nil && w.bytes != nil {
		return string(v.bytes) == string(w.bytes)
	}
	v, w = v.expand(), w.expand()
	if v.Kind != w.Kind || v.str != w.str || len(v.elems) != len(w.elems) || len(v.names) != len(w.names) || v.res != w.res {
		return false
	}
	switch v.Kind {
	case KindF32:
		if math.IsNaN(float64(v.AsF32())) && math.IsNaN(float64(w.AsF32())) {
			return true
		}
	case KindF64:
		if math.IsNaN(v.AsF64()) && math.IsNaN(w.AsF64()) {
			return true
		}
	case KindFlags:
		set := map[string]bool{}
		for _, n := range v.names {
			set[n] = true
		}
		for _, n := range w.names {
			if !set[n] {
				return false
			}
		}
		return true
	}
	if v.bits != w.bits {
		return false
	}
	for i := range v.names {
		if v.names[i] != w.names[i] {
			return false
		}
	}
	for i := range v.elems {
		if !v.elems[i].Equal(w.elems[i]) {
			return false
		}
	}
	return true
}

// checkVal reports whether v is a value of type t.
func checkVal(t *Type, v Val, depth int) error {
	if depth > 1000 {
		return fmt.Errorf("value nested too deeply")
	}
	want := t.Kind
	if want == KindFixedList && v.Kind == KindList {
		v.Kind = KindFixedList
	}
	if v.Kind != want {
		return fmt.Errorf("expected a %v value, got %v", t, v.Kind)
	}
	switch t.Kind {
	case KindChar:
		if !utf8.ValidRune(rune(v.bits)) || v.bits > 0x10FFFF {
			return fmt.Errorf("invalid char %#x", v.bits)
		}
	case KindString:
		if !utf8.ValidString(v.str) {
			return fmt.Errorf("string is not valid UTF-8")
		}
	case KindList, KindFixedList:
		if v.bytes != nil {
			if t.Kind == KindList && t.Elem.Kind == KindU8 {
				return nil
			}
			v = v.expand()
		}
		if t.Kind == KindFixedList && len(v.elems) != t.Len {
			return fmt.Errorf("expected %d elements, got %d", t.Len, len(v.elems))
		}
		for i := range v.elems {
			if err := checkVal(t.Elem, v.elems[i], depth+1); err != nil {
				return fmt.Errorf("element %d: %w", i, err)
			}
		}
	case KindTuple:
		if len(v.elems) != len(t.Types) {
			return fmt.Errorf("expected a tuple of %d, got %d", len(t.Types), len(v.elems))
		}
		for i := range v.elems {
			if err := checkVal(t.Types[i], v.elems[i], depth+1); err != nil {
				return fmt.Errorf("element %d: %w", i, err)
			}
		}
	case KindRecord:
		if len(v.elems) != len(t.Fields) {
			return fmt.Errorf("expected %d record fields, got %d", len(t.Fields), len(v.elems))
		}
		for i, f := range t.Fields {
			if v.names[i] != f.Name {
				return fmt.Errorf("expected field %q, got %q", f.Name, v.names[i])
			}
			if err := checkVal(f.Type, v.elems[i], depth+1); err != nil {
				return fmt.Errorf("field %s: %w", f.Name, err)
			}
		}
	case KindVariant:
		i := caseIndex(t, v.str)
		if i < 0 {
			return fmt.Errorf("no case %q in %v", v.str, t)
		}
		c := t.Cases[i]
		if (c.Type == nil) != (len(v.elems) == 0) {
			return fmt.Errorf("case %q: payload mismatch", c.Name)
		}
		if c.Type != nil {
			return checkVal(c.Type, v.elems[0], depth+1)
		}
	case KindEnum:
		if labelIndex(t.Labels, v.str) < 0 {
			return fmt.Errorf("no case %q in %v", v.str, t)
		}
	case KindFlags:
		for _, n := range v.names {
			if labelIndex(t.Labels, n) < 0 {
				return fmt.Errorf("no flag %q in %v", n, t)
			}
		}
	case KindOption:
		if v.bits != 0 {
			if len(v.elems) != 1 {
				return fmt.Errorf("some without payload")
			}
			return checkVal(t.Elem, v.elems[0], depth+1)
		}
	case KindResult:
		pt := t.OK
		if v.bits != 0 {
			pt = t.Err
		}
		if (pt == nil) != (len(v.elems) == 0) {
			return fmt.Errorf("result payload mismatch for %v", t)
		}
		if pt != nil {
			return checkVal(pt, v.elems[0], depth+1)
		}
	case KindOwn, KindBorrow:
		want, have := t.Resource, v.res
		if want != nil && have != nil && want != have && !want.abstract && !have.abstract {
			return fmt.Errorf("expected a handle of %s, got one of %s", resName(want), resName(have))
		}
		if want != nil && want.owner != nil && have == nil {
			// Only the defining component makes handles of its
			// resources: an untyped one cannot stand for them.
			return fmt.Errorf("expected a handle of %s, got an untyped handle", resName(want))
		}
		if v.tok == nil && have != nil && have.owner != nil {
			return fmt.Errorf("a handle of %s must come from a component, not be made by the host", resName(have))
		}
		if v.tok != nil && v.tok.consumed {
			return fmt.Errorf("the owned handle of %s was already moved or dropped", resName(have))
		}
	}
	return nil
}

func caseIndex(t *Type, name string) int {
	for i, c := range t.Cases {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func labelIndex(ls []string, name string) int {
	for i, l := range ls {
		if l == name {
			return i
		}
	}
	return -1
}

// Borrowed returns a borrow handle to the resource an own handle holds,
// to pass it to a function that takes borrow<T>.
func (v Val) Borrowed() Val {
	return Val{Kind: KindBorrow, bits: v.bits, res: v.res, tok: v.tok}
}

// Zero returns the zero value of type t: false, 0, "", empty lists, the
// first case of variants and enums, none, ok with a zero payload, no
// flags. It fails for handles and the asynchronous types, which have no
// zero value.
func Zero(t *Type) (Val, error) { return zero(t, 0) }

func zero(t *Type, depth int) (Val, error) {
	if t == nil {
		return Val{}, fmt.Errorf("no type")
	}
	if depth > 1000 {
		return Val{}, fmt.Errorf("type nested too deeply")
	}
	switch t.Kind {
	case KindBool, KindS8, KindU8, KindS16, KindU16, KindS32, KindU32, KindS64, KindU64, KindF32, KindF64, KindChar, KindString:
		return Val{Kind: t.Kind}, nil
	case KindList:
		return List(), nil
	case KindFixedList:
		e, err := zero(t.Elem, depth+1)
		if err != nil {
			return Val{}, err
		}
		elems := make([]Val, t.Len)
		for i := range elems {
			elems[i] = e
		}
		return Val{Kind: KindFixedList, elems: elems}, nil
	case KindRecord, KindTuple:
		fts := fieldTypes(t)
		vals := make([]Val, len(fts))
		for i, ft := range fts {
			v, err := zero(ft, depth+1)
			if err != nil {
				return Val{}, err
			}
			vals[i] = v
		}
		return makeAggregate(t, vals), nil
	case KindVariant, KindResult:
		c := cases(t)[0]
		var payload *Val
		if c != nil {
			v, err := zero(c, depth+1)
			if err != nil {
				return Val{}, err
			}
			payload = &v
		}
		return makeCase(t, 0, payload), nil
	case KindEnum:
		return Enum(t.Labels[0]), nil
	case KindOption:
		return None(), nil
	case KindFlags:
		return Flags(), nil
	}
	return Val{}, fmt.Errorf("type %v has no zero value", t)
}
