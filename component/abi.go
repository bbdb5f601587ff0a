package component

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasm"
)

// The canonical ABI's flattening limits.
const (
	maxFlatParams  = 16
	maxFlatResults = 1
)

// The canonical ABI's limits on the byte length of a string or list in
// linear memory (MAX_STRING_BYTE_LENGTH and MAX_LIST_BYTE_LENGTH of
// CanonicalABI.md). They apply when lifting, and when lowering host
// values, so that every value that crosses the boundary obeys them.
const (
	maxStringByteLength = 1<<28 - 1
	maxListByteLength   = 1<<28 - 1
)

// utf16Tag is the bit of a latin1+utf16 string's length that marks UTF-16.
const utf16Tag = 1 << 31

// flatCap is the number of flat values kept for a type: one more than
// the parameter limit, so that a longer flattening is recognised.
const flatCap = maxFlatParams + 1

// tooLarge is the size recorded for types whose size exceeds 2^32.
const tooLarge = 1 << 32

// layout is the canonical ABI layout of a type, computed once per Type
// node so that types shaped as DAGs cost linear time.
type layout struct {
	size, align uint64
	flat        []wasm.ValType // at most flatCap entries
	joined      []wasm.ValType // variants, options, results: the joined payload
	// payOff is the offset of the payload of a variant, option, result
	// or enum in memory (after the discriminant, aligned for every case).
	payOff uint32
}

// lay returns t's layout, computing it on first use.
func (t *Type) lay() *layout {
	if t.li == nil {
		t.li = computeLayout(t)
	}
	return t.li
}

func capFlat(f []wasm.ValType) []wasm.ValType {
	if len(f) > flatCap {
		return f[:flatCap]
	}
	return f
}

func computeLayout(t *Type) *layout {
	li := &layout{size: 0, align: 1}
	scalar := func(n uint64, vt wasm.ValType) {
		li.size, li.align, li.flat = n, n, []wasm.ValType{vt}
	}
	switch t.Kind {
	case KindBool, KindS8, KindU8:
		scalar(1, wasm.I32)
	case KindS16, KindU16:
		scalar(2, wasm.I32)
	case KindS32, KindU32, KindChar, KindOwn, KindBorrow, KindStream, KindFuture, KindErrorContext:
		scalar(4, wasm.I32)
	case KindF32:
		scalar(4, wasm.F32)
	case KindS64, KindU64:
		scalar(8, wasm.I64)
	case KindF64:
		scalar(8, wasm.F64)
	case KindString, KindList, KindMap:
		li.size, li.align, li.flat = 8, 4, []wasm.ValType{wasm.I32, wasm.I32}
	case KindFixedList:
		e := t.Elem.lay()
		li.align = e.align
		li.size = min(e.size*uint64(t.Len), tooLarge)
		for i := 0; i < t.Len && len(e.flat) > 0 && len(li.flat) < flatCap; i++ {
			li.flat = append(li.flat, e.flat...)
		}
	case KindRecord, KindTuple:
		var s uint64
		for _, ft := range fieldTypes(t) {
			e := ft.lay()
			s = min(alignTo64(s, e.align)+e.size, tooLarge)
			li.align = max(li.align, e.align)
			if len(li.flat) < flatCap {
				li.flat = append(li.flat, e.flat...)
			}
		}
		li.size = min(alignTo64(s, li.align), tooLarge)
	case KindVariant, KindOption, KindResult, KindEnum:
		ds := uint64(discSize(t))
		var ma, ms uint64 = 1, 0
		for _, c := range cases(t) {
			if c == nil {
				continue
			}
			e := c.lay()
			ma, ms = max(ma, e.align), max(ms, e.size)
			for i, ft := range e.flat {
				if i < len(li.joined) {
					li.joined[i] = join(li.joined[i], ft)
				} else if len(li.joined) < flatCap {
					li.joined = append(li.joined, ft)
				}
			}
		}
		li.align = max(ds, ma)
		li.payOff = uint32(alignTo64(ds, ma))
		li.size = min(alignTo64(alignTo64(ds, ma)+ms, li.align), tooLarge)
		li.flat = append([]wasm.ValType{wasm.I32}, li.joined...)
	case KindFlags:
		n := uint64(flagsSize(len(t.Labels)))
		li.size, li.align = n, max(n, 1)
		if n > 0 {
			li.flat = []wasm.ValType{wasm.I32}
		}
	}
	li.flat = capFlat(li.flat)
	return li
}

func alignTo64(x, a uint64) uint64 { return (x + a - 1) / a * a }

func alignTo(x, a uint32) uint32 { return (x + a - 1) / a * a }

// alignOf returns the alignment of t in memory.
func alignOf(t *Type) uint32 { return uint32(t.lay().align) }

// sizeOf returns the size of t in memory (math.MaxUint32 when it does not
// fit in 32 bits, so that any access fails its bounds check).
func sizeOf(t *Type) uint32 {
	s := t.lay().size
	if s >= tooLarge {
		return math.MaxUint32
	}
	return uint32(s)
}

func flagsSize(n int) uint32 {
	switch {
	case n == 0:
		return 0
	case n <= 8:
		return 1
	case n <= 16:
		return 2
	}
	return 4
}

// fieldTypes returns the member types of a record or tuple.
func fieldTypes(t *Type) []*Type {
	if t.Kind == KindTuple {
		return t.Types
	}
	out := make([]*Type, len(t.Fields))
	for i, f := range t.Fields {
		out[i] = f.Type
	}
	return out
}

// cases returns the payload types of the cases of a variant, option,
// result or enum (nil for no payload).
func cases(t *Type) []*Type {
	switch t.Kind {
	case KindOption:
		return []*Type{nil, t.Elem}
	case KindResult:
		return []*Type{t.OK, t.Err}
	case KindEnum:
		return make([]*Type, len(t.Labels))
	}
	out := make([]*Type, len(t.Cases))
	for i, c := range t.Cases {
		out[i] = c.Type
	}
	return out
}

// numFields returns the number of members of a record or tuple, and
// fieldType member i: fieldTypes without allocating.
func numFields(t *Type) int {
	if t.Kind == KindTuple {
		return len(t.Types)
	}
	return len(t.Fields)
}

// fieldType returns the type of member i of a record or tuple.
func fieldType(t *Type, i int) *Type {
	if t.Kind == KindTuple {
		return t.Types[i]
	}
	return t.Fields[i].Type
}

// numCases returns the number of cases of a variant, option, result or
// enum, and caseType the payload type of case i (nil for none): cases
// without allocating.
func numCases(t *Type) int {
	switch t.Kind {
	case KindOption, KindResult:
		return 2
	case KindEnum:
		return len(t.Labels)
	}
	return len(t.Cases)
}

// caseType returns the payload type of case i (see numCases).
func caseType(t *Type, i int) *Type {
	switch t.Kind {
	case KindOption:
		if i == 0 {
			return nil
		}
		return t.Elem
	case KindResult:
		if i == 0 {
			return t.OK
		}
		return t.Err
	case KindEnum:
		return nil
	}
	return t.Cases[i].Type
}

func discSize(t *Type) uint32 {
	var n int
	switch t.Kind {
	case KindOption, KindResult:
		n = 2
	case KindEnum:
		n = len(t.Labels)
	default:
		n = len(t.Cases)
	}
	switch {
	case n <= 1<<8:
		return 1
	case n <= 1<<16:
		return 2
	}
	return 4
}

// flatten appends the flat core types of t (at most flatCap of them).
func flatten(t *Type, out []wasm.ValType) []wasm.ValType {
	if len(out) >= flatCap {
		return out
	}
	return capFlat(append(out, t.lay().flat...))
}

func join(a, b wasm.ValType) wasm.ValType {
	if a == b {
		return a
	}
	if (a == wasm.I32 && b == wasm.F32) || (a == wasm.F32 && b == wasm.I32) {
		return wasm.I32
	}
	return wasm.I64
}

func joinedPayload(t *Type) []wasm.ValType { return t.lay().joined }

// coreSig returns the core function type of a component function type
// for a lift (lower=false) or lower (lower=true), and whether params and
// results are passed through memory.
func coreSig(ft *FuncType, lower bool) (sig wasm.FuncType, spillParams, spillResults bool) {
	var ps, rs []wasm.ValType
	for _, p := range ft.Params {
		ps = flatten(p.Type, ps)
	}
	for _, r := range ft.Results {
		rs = flatten(r.Type, rs)
	}
	if len(ps) > maxFlatParams {
		ps, spillParams = []wasm.ValType{wasm.I32}, true
	}
	if len(rs) > maxFlatResults {
		spillResults = true
		if lower {
			ps, rs = append(ps, wasm.I32), nil
		} else {
			rs = []wasm.ValType{wasm.I32}
		}
	}
	if ps == nil {
		ps = []wasm.ValType{}
	}
	if rs == nil {
		rs = []wasm.ValType{}
	}
	return wasm.FuncType{Params: ps, Results: rs}, spillParams, spillResults
}

// liveOpts are canonical options resolved to run-time entities.
type liveOpts struct {
	enc        StringEncoding
	mem        *interp.Memory
	realloc    *interp.Func
	postReturn *interp.Func
	callback   *interp.Func
	async      bool
}

// callCx is the context of one lift or lower.
type callCx struct {
	ctx  context.Context
	opts *liveOpts
	inst *instState // the component instance whose memory and handles are used
	// borrows are the borrow handles a lifted call's callee received; it
	// must drop them before returning.
	borrows []uint32
	// call identifies the lifted call (its borrow scope), or 0.
	call uint64
	// lent are own handles of the instance lent as borrows to a lowered
	// call, returned at its end.
	lent []uint32
	// lifted is the part of the lift budget used so far (see charge).
	lifted uint64
}

// liftSlack is the number of lift budget units a lift may use beyond the
// byte length of the memory it reads from: room for values of zero-size
// types (which cost a unit each but occupy no memory) and for lifts
// without a memory.
const liftSlack = 1 << 12

// charge takes n units from the lift budget of cx and traps when the
// budget is exhausted.
//
// The budget bounds what a single lift (all the arguments of a call, or
// all its results; a callCx performs at most one lift) can make the host
// allocate by the size of the guest memory it reads from, whatever
// aliasing the guest sets up. Lifting charges:
//   - a list of n elements of size s: n*max(s, 1) units, before its
//     elements are allocated;
//   - a string: its byte length in memory;
//   - a value of a zero-size type (tuple<>, and records, tuples and
//     fixed-length lists made of such): 1 unit, and a fixed-length list
//     of zero-size elements its length, before its elements are
//     allocated. (So a list of n zero-size elements costs 2n. The
//     specification forbids empty types; they come from host-built
//     types, or from components declaring tuple<>.)
//
// The budget is the memory's current byte length (lifting runs no guest
// code, so it cannot change during the lift) plus liftSlack. In an
// honest value the element arrays of its lists and the bytes of its
// strings are disjoint ranges of memory, so their charges add up to at
// most the memory's length, and honest values always fit. Lists whose
// elements, or strings, point at the same bytes can describe a value
// far larger than the memory (ten million strings all pointing at the
// same 60 KB); such a lift traps instead of allocating it. Scalars and
// aggregates of fixed size are covered: they are bounded by the flat
// value count, or by the element size of the list or string holding
// them.
func (cx *callCx) charge(n uint64) error {
	cx.lifted += n
	if cx.lifted <= liftSlack {
		return nil
	}
	limit := uint64(liftSlack)
	if cx.opts.mem != nil {
		limit += uint64(len(cx.opts.mem.Bytes()))
	}
	if cx.lifted > limit {
		return trapf("lifted value exceeds guest memory size (aliased lists or strings?): %d budget units used, limit %d (memory size + %d)", cx.lifted, limit, liftSlack)
	}
	return nil
}

// trapErr is an error raised by the canonical ABI (a trap).
type trapErr struct{ msg string }

func (e *trapErr) Error() string { return "component trap: " + e.msg }

func trapf(format string, args ...any) error { return &trapErr{fmt.Sprintf(format, args...)} }

func (cx *callCx) memory() ([]byte, error) {
	if cx.opts.mem == nil {
		return nil, trapf("canonical option memory is required")
	}
	return cx.opts.mem.Bytes(), nil
}

func (cx *callCx) bytes(ptr, n uint32) ([]byte, error) {
	m, err := cx.memory()
	if err != nil {
		return nil, err
	}
	if uint64(ptr)+uint64(n) > uint64(len(m)) {
		return nil, trapf("out of bounds memory access at %#x+%d", ptr, n)
	}
	return m[ptr : ptr+n], nil
}

func (cx *callCx) realloc(oldPtr, oldSize, align, newSize uint32) (uint32, error) {
	if cx.opts.realloc == nil {
		return 0, trapf("canonical option realloc is required")
	}
	res, err := cx.opts.realloc.Call(cx.ctx, i32v(oldPtr), i32v(oldSize), i32v(align), i32v(newSize))
	if err != nil {
		return 0, err
	}
	if len(res) != 1 {
		return 0, trapf("realloc returned %d values", len(res))
	}
	p := uint32(res[0].Lo)
	if p%align != 0 {
		return 0, trapf("realloc returned unaligned pointer %#x (alignment %d)", p, align)
	}
	if _, err := cx.bytes(p, newSize); err != nil {
		return 0, err
	}
	return p, nil
}

func i32v(x uint32) interp.Value { return interp.Value{Type: wasm.I32, Lo: uint64(x)} }

// ---- loading from memory ----

func (cx *callCx) load(t *Type, ptr uint32, depth int) (Val, error) {
	if depth > 1000 {
		return Val{}, trapf("value nested too deeply")
	}
	if ptr%alignOf(t) != 0 {
		return Val{}, trapf("unaligned pointer %#x for %v", ptr, t)
	}
	size := sizeOf(t)
	b, err := cx.bytes(ptr, size)
	if err != nil {
		return Val{}, err
	}
	if size == 0 {
		if err := cx.charge(1); err != nil {
			return Val{}, err
		}
	}
	le := binary.LittleEndian
	switch t.Kind {
	case KindBool:
		return Bool(b[0] != 0), nil
	case KindS8:
		return S8(int8(b[0])), nil
	case KindU8:
		return U8(b[0]), nil
	case KindS16:
		return S16(int16(le.Uint16(b))), nil
	case KindU16:
		return U16(le.Uint16(b)), nil
	case KindS32:
		return S32(int32(le.Uint32(b))), nil
	case KindU32:
		return U32(le.Uint32(b)), nil
	case KindS64:
		return S64(int64(le.Uint64(b))), nil
	case KindU64:
		return U64(le.Uint64(b)), nil
	case KindF32:
		return canonF32(le.Uint32(b)), nil
	case KindF64:
		return canonF64(le.Uint64(b)), nil
	case KindChar:
		return liftChar(le.Uint32(b))
	case KindString:
		return cx.liftString(le.Uint32(b), le.Uint32(b[4:]))
	case KindList:
		return cx.liftList(t, le.Uint32(b), le.Uint32(b[4:]), depth)
	case KindFixedList:
		es := sizeOf(t.Elem)
		if err := cx.chargeFixedList(t); err != nil {
			return Val{}, err
		}
		out := make([]Val, t.Len)
		for i := range out {
			if out[i], err = cx.load(t.Elem, ptr+uint32(i)*es, depth+1); err != nil {
				return Val{}, err
			}
		}
		return Val{Kind: KindFixedList, elems: out}, nil
	case KindRecord, KindTuple:
		out := make([]Val, numFields(t))
		off := ptr
		for i := range out {
			ft := fieldType(t, i)
			off = alignTo(off, alignOf(ft))
			if out[i], err = cx.load(ft, off, depth+1); err != nil {
				return Val{}, err
			}
			off += sizeOf(ft)
		}
		return makeAggregate(t, out), nil
	case KindVariant, KindOption, KindResult, KindEnum:
		var disc uint32
		switch discSize(t) {
		case 1:
			disc = uint32(b[0])
		case 2:
			disc = uint32(le.Uint16(b))
		default:
			disc = le.Uint32(b)
		}
		if disc >= uint32(numCases(t)) {
			return Val{}, trapf("invalid discriminant %d for %v", disc, t)
		}
		var payload *Val
		if c := caseType(t, int(disc)); c != nil {
			pv, err := cx.load(c, ptr+t.lay().payOff, depth+1)
			if err != nil {
				return Val{}, err
			}
			payload = &pv
		}
		return makeCase(t, disc, payload), nil
	case KindFlags:
		var bits uint32
		switch len(b) {
		case 1:
			bits = uint32(b[0])
		case 2:
			bits = uint32(le.Uint16(b))
		case 4:
			bits = le.Uint32(b)
		}
		return makeFlags(t, bits), nil
	case KindOwn, KindBorrow:
		return cx.liftHandle(t, le.Uint32(b))
	}
	return Val{}, trapf("cannot lift values of type %v", t)
}

// The canonical NaNs of CanonicalABI.md (CANONICAL_FLOAT32_NAN and
// CANONICAL_FLOAT64_NAN): lifting replaces every NaN by them.
const (
	canonicalNaN32 = 0x7fc00000
	canonicalNaN64 = 0x7ff8000000000000
)

// canonF32 returns the f32 with bits b, NaNs canonicalised.
func canonF32(b uint32) Val {
	if b&0x7f800000 == 0x7f800000 && b&0x007fffff != 0 {
		b = canonicalNaN32
	}
	return Val{Kind: KindF32, bits: uint64(b)}
}

// canonF64 returns the f64 with bits b, NaNs canonicalised.
func canonF64(b uint64) Val {
	if b&0x7ff0000000000000 == 0x7ff0000000000000 && b&0x000fffffffffffff != 0 {
		b = canonicalNaN64
	}
	return Val{Kind: KindF64, bits: b}
}

// chargeFixedList charges the lift budget for the elements of a
// fixed-length list of zero-size elements, before they are allocated
// (elements of non-zero size are paid for by the memory holding them, or
// bounded by the flat value count).
func (cx *callCx) chargeFixedList(t *Type) error {
	if sizeOf(t.Elem) != 0 {
		return nil
	}
	return cx.charge(uint64(t.Len))
}

func liftChar(c uint32) (Val, error) {
	if c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) {
		return Val{}, trapf("invalid char %#x", c)
	}
	return Char(rune(c)), nil
}

func makeAggregate(t *Type, vals []Val) Val {
	if t.Kind == KindTuple {
		return Tuple(vals...)
	}
	v := Val{Kind: KindRecord, elems: vals, names: make([]string, len(t.Fields))}
	for i, f := range t.Fields {
		v.names[i] = f.Name
	}
	return v
}

func makeCase(t *Type, disc uint32, payload *Val) Val {
	switch t.Kind {
	case KindOption:
		if disc == 0 {
			return None()
		}
		return Some(*payload)
	case KindResult:
		if disc == 0 {
			return Ok(payload)
		}
		return Err(payload)
	case KindEnum:
		return Enum(t.Labels[disc])
	}
	return Variant(t.Cases[disc].Name, payload)
}

func makeFlags(t *Type, bits uint32) Val {
	set := []string{}
	for i, l := range t.Labels {
		if bits&(1<<i) != 0 {
			set = append(set, l)
		}
	}
	return Flags(set...)
}

// liftString lifts the string of n (tagged) code units at ptr in the
// string encoding of cx (load_string_from_range).
func (cx *callCx) liftString(ptr, n uint32) (Val, error) {
	var align, byteLen uint64
	wide := false // UTF-16 code units
	switch cx.opts.enc {
	case UTF16:
		align, byteLen, wide = 2, 2*uint64(n), true
	case Latin1UTF16:
		align, byteLen = 2, uint64(n)
		if n&utf16Tag != 0 {
			byteLen, wide = 2*uint64(n&^utf16Tag), true
		}
	default:
		align, byteLen = 1, uint64(n)
	}
	if byteLen > maxStringByteLength {
		return Val{}, trapf("string too long: %d bytes (limit %d)", byteLen, maxStringByteLength)
	}
	if uint64(ptr)%align != 0 {
		return Val{}, trapf("unaligned string pointer %#x (alignment %d)", ptr, align)
	}
	b, err := cx.bytes(ptr, uint32(byteLen))
	if err != nil {
		return Val{}, err
	}
	if err := cx.charge(byteLen); err != nil {
		return Val{}, err
	}
	switch {
	case wide:
		return decodeUTF16(b)
	case cx.opts.enc == Latin1UTF16:
		return String(decodeLatin1(b)), nil
	}
	if !utf8.Valid(b) {
		return Val{}, trapf("string is not valid UTF-8")
	}
	return String(string(b)), nil
}

// decodeLatin1 converts Latin-1 bytes to a Go (UTF-8) string.
func decodeLatin1(b []byte) string {
	extra := 0
	for _, c := range b {
		if c >= utf8.RuneSelf {
			extra++
		}
	}
	if extra == 0 {
		return string(b)
	}
	out := make([]byte, 0, len(b)+extra)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return string(out)
}

// decodeUTF16 converts little-endian UTF-16 bytes (an even number) to a
// Go string, trapping on unpaired surrogates.
func decodeUTF16(b []byte) (Val, error) {
	le := binary.LittleEndian
	out := make([]byte, 0, len(b)+len(b)/2)
	for i := 0; i < len(b); i += 2 {
		r := rune(le.Uint16(b[i:]))
		if utf16.IsSurrogate(r) {
			if r >= 0xDC00 || i+4 > len(b) {
				return Val{}, trapf("string is not valid UTF-16")
			}
			r2 := rune(le.Uint16(b[i+2:]))
			if r2 < 0xDC00 || r2 > 0xDFFF {
				return Val{}, trapf("string is not valid UTF-16")
			}
			r = utf16.DecodeRune(r, r2)
			i += 2
		}
		out = utf8.AppendRune(out, r)
	}
	return String(string(out)), nil
}

// liftList lifts the list of n elements at ptr (load_list_from_range).
func (cx *callCx) liftList(t *Type, ptr, n uint32, depth int) (Val, error) {
	es := sizeOf(t.Elem)
	if uint64(es)*uint64(n) > maxListByteLength {
		return Val{}, trapf("list too long: %d elements of %d bytes (limit %d bytes)", n, es, maxListByteLength)
	}
	if ptr%alignOf(t.Elem) != 0 {
		return Val{}, trapf("unaligned list pointer %#x (alignment %d)", ptr, alignOf(t.Elem))
	}
	src, err := cx.bytes(ptr, es*n)
	if err != nil {
		return Val{}, err
	}
	if err := cx.charge(uint64(n) * uint64(max(es, 1))); err != nil {
		return Val{}, err
	}
	if t.Elem.Kind == KindU8 {
		return Bytes(append([]byte{}, src...)), nil
	}
	out := make([]Val, n)
	for i := range out {
		var err error
		if out[i], err = cx.load(t.Elem, ptr+uint32(i)*es, depth+1); err != nil {
			return Val{}, err
		}
	}
	return List(out...), nil
}

// ---- storing into memory ----

func (cx *callCx) store(t *Type, v Val, ptr uint32, depth int) error {
	if depth > 1000 {
		return trapf("value nested too deeply")
	}
	if ptr%alignOf(t) != 0 {
		return trapf("unaligned pointer %#x for %v", ptr, t)
	}
	size := sizeOf(t)
	if _, err := cx.bytes(ptr, size); err != nil {
		return err
	}
	put := func(f func(b []byte)) error {
		b, err := cx.bytes(ptr, size) // memory may have grown
		if err != nil {
			return err
		}
		f(b)
		return nil
	}
	le := binary.LittleEndian
	switch t.Kind {
	case KindBool, KindS8, KindU8:
		return put(func(b []byte) { b[0] = byte(v.bits) })
	case KindS16, KindU16:
		return put(func(b []byte) { le.PutUint16(b, uint16(v.bits)) })
	case KindS32, KindU32, KindF32, KindChar:
		bits := uint32(v.bits)
		if t.Kind == KindF32 {
			bits = canonF32(bits).Lo32()
		}
		return put(func(b []byte) { le.PutUint32(b, bits) })
	case KindS64, KindU64, KindF64:
		bits := v.bits
		if t.Kind == KindF64 {
			bits = canonF64(bits).bits
		}
		return put(func(b []byte) { le.PutUint64(b, bits) })
	case KindString:
		p, n, err := cx.lowerString(v.str)
		if err != nil {
			return err
		}
		return put(func(b []byte) { le.PutUint32(b, p); le.PutUint32(b[4:], n) })
	case KindList:
		p, n, err := cx.lowerList(t, v, depth)
		if err != nil {
			return err
		}
		return put(func(b []byte) { le.PutUint32(b, p); le.PutUint32(b[4:], n) })
	case KindFixedList:
		es := sizeOf(t.Elem)
		for i, e := range v.elems {
			if err := cx.store(t.Elem, e, ptr+uint32(i)*es, depth+1); err != nil {
				return err
			}
		}
		return nil
	case KindRecord, KindTuple:
		off := ptr
		for i, n := 0, numFields(t); i < n; i++ {
			ft := fieldType(t, i)
			off = alignTo(off, alignOf(ft))
			if err := cx.store(ft, v.elems[i], off, depth+1); err != nil {
				return err
			}
			off += sizeOf(ft)
		}
		return nil
	case KindVariant, KindOption, KindResult, KindEnum:
		disc := discOf(t, v)
		ds := discSize(t)
		if err := put(func(b []byte) {
			switch ds {
			case 1:
				b[0] = byte(disc)
			case 2:
				le.PutUint16(b, uint16(disc))
			default:
				le.PutUint32(b, disc)
			}
		}); err != nil {
			return err
		}
		if c := caseType(t, int(disc)); c != nil {
			return cx.store(c, v.elems[0], ptr+t.lay().payOff, depth+1)
		}
		return nil
	case KindFlags:
		bits := flagBits(t, v)
		return put(func(b []byte) {
			switch len(b) {
			case 1:
				b[0] = byte(bits)
			case 2:
				le.PutUint16(b, uint16(bits))
			case 4:
				le.PutUint32(b, bits)
			}
		})
	case KindOwn, KindBorrow:
		h, err := cx.lowerHandle(t, v)
		if err != nil {
			return err
		}
		return put(func(b []byte) { le.PutUint32(b, h) })
	}
	return trapf("cannot lower values of type %v", t)
}

// Lo32 returns the low 32 bits of a scalar value's bits.
func (v Val) Lo32() uint32 { return uint32(v.bits) }

func discOf(t *Type, v Val) uint32 {
	switch t.Kind {
	case KindOption, KindResult:
		return uint32(v.bits)
	case KindEnum:
		return uint32(labelIndex(t.Labels, v.str))
	}
	return uint32(caseIndex(t, v.str))
}

func flagBits(t *Type, v Val) uint32 {
	var bits uint32
	for _, n := range v.names {
		if i := labelIndex(t.Labels, n); i >= 0 {
			bits |= 1 << i
		}
	}
	return bits
}

// lowerString stores s into memory allocated with realloc, in the string
// encoding of cx, and returns its pointer and (tagged) length in code
// units. Strings of more than maxStringByteLength bytes (in the target
// encoding) trap, as they could not be lifted back.
func (cx *callCx) lowerString(s string) (uint32, uint32, error) {
	switch cx.opts.enc {
	case UTF16, Latin1UTF16:
		latin1 := cx.opts.enc == Latin1UTF16
		units := 0 // UTF-16 code units
		for _, r := range s {
			if r > 0xFF {
				latin1 = false
			}
			units++
			if r >= 0x10000 {
				units++
			}
		}
		if latin1 {
			if units > maxStringByteLength {
				return 0, 0, trapf("string too long: %d bytes (limit %d)", units, maxStringByteLength)
			}
			n := uint32(units)
			p, err := cx.realloc(0, 0, 2, n)
			if err != nil {
				return 0, 0, err
			}
			b, err := cx.bytes(p, n)
			if err != nil {
				return 0, 0, err
			}
			i := 0
			for _, r := range s {
				b[i] = byte(r)
				i++
			}
			return p, n, nil
		}
		if 2*units > maxStringByteLength {
			return 0, 0, trapf("string too long: %d bytes (limit %d)", 2*units, maxStringByteLength)
		}
		n := uint32(units)
		p, err := cx.realloc(0, 0, 2, n*2)
		if err != nil {
			return 0, 0, err
		}
		b, err := cx.bytes(p, n*2)
		if err != nil {
			return 0, 0, err
		}
		le := binary.LittleEndian
		i := 0
		for _, r := range s {
			if r >= 0x10000 {
				r1, r2 := utf16.EncodeRune(r)
				le.PutUint16(b[i:], uint16(r1))
				le.PutUint16(b[i+2:], uint16(r2))
				i += 4
				continue
			}
			le.PutUint16(b[i:], uint16(r))
			i += 2
		}
		if cx.opts.enc == Latin1UTF16 {
			n |= utf16Tag
		}
		return p, n, nil
	}
	if len(s) > maxStringByteLength {
		return 0, 0, trapf("string too long: %d bytes (limit %d)", len(s), maxStringByteLength)
	}
	n := uint32(len(s))
	p, err := cx.realloc(0, 0, 1, n)
	if err != nil {
		return 0, 0, err
	}
	b, err := cx.bytes(p, n)
	if err != nil {
		return 0, 0, err
	}
	copy(b, s)
	return p, n, nil
}

func (cx *callCx) lowerList(t *Type, v Val, depth int) (uint32, uint32, error) {
	es := sizeOf(t.Elem)
	if t.Elem.Kind == KindU8 {
		if b, ok := v.AsBytes(); ok {
			if len(b) > maxListByteLength {
				return 0, 0, trapf("list too long: %d elements of 1 byte (limit %d bytes)", len(b), maxListByteLength)
			}
			n := uint32(len(b))
			p, err := cx.realloc(0, 0, 1, n)
			if err != nil {
				return 0, 0, err
			}
			dst, err := cx.bytes(p, n)
			if err != nil {
				return 0, 0, err
			}
			copy(dst, b)
			return p, n, nil
		}
	}
	v = v.expand()
	n := uint64(len(v.elems))
	if n > math.MaxUint32 || n*uint64(es) > maxListByteLength {
		return 0, 0, trapf("list too long: %d elements of %d bytes (limit %d bytes)", n, es, maxListByteLength)
	}
	p, err := cx.realloc(0, 0, alignOf(t.Elem), uint32(n)*es)
	if err != nil {
		return 0, 0, err
	}
	for i, e := range v.elems {
		if err := cx.store(t.Elem, e, p+uint32(i)*es, depth+1); err != nil {
			return 0, 0, err
		}
	}
	return p, uint32(n), nil
}

// ---- flat lowering ----

// lowerFlat appends the flat core values of v.
func (cx *callCx) lowerFlat(t *Type, v Val, out []interp.Value, depth int) ([]interp.Value, error) {
	if depth > 1000 {
		return nil, trapf("value nested too deeply")
	}
	switch t.Kind {
	case KindBool, KindS8, KindU8, KindS16, KindU16, KindS32, KindU32, KindChar, KindS64, KindU64, KindF32, KindF64:
		return append(out, lowerScalar(t.Kind, v.bits)), nil
	case KindString:
		p, n, err := cx.lowerString(v.str)
		if err != nil {
			return nil, err
		}
		return append(out, i32v(p), i32v(n)), nil
	case KindList:
		p, n, err := cx.lowerList(t, v, depth)
		if err != nil {
			return nil, err
		}
		return append(out, i32v(p), i32v(n)), nil
	case KindFixedList:
		var err error
		for _, e := range v.elems {
			if out, err = cx.lowerFlat(t.Elem, e, out, depth+1); err != nil {
				return nil, err
			}
		}
		return out, nil
	case KindRecord, KindTuple:
		var err error
		for i, n := 0, numFields(t); i < n; i++ {
			if out, err = cx.lowerFlat(fieldType(t, i), v.elems[i], out, depth+1); err != nil {
				return nil, err
			}
		}
		return out, nil
	case KindEnum:
		return append(out, i32v(discOf(t, v))), nil
	case KindVariant, KindOption, KindResult:
		disc := discOf(t, v)
		out = append(out, i32v(disc))
		joined := joinedPayload(t)
		start := len(out)
		if c := caseType(t, int(disc)); c != nil {
			var err error
			if out, err = cx.lowerFlat(c, v.elems[0], out, depth+1); err != nil {
				return nil, err
			}
		}
		for i := start; i < len(out); i++ {
			out[i] = coerceTo(out[i], joined[i-start])
		}
		for len(out) < start+len(joined) {
			out = append(out, interp.Value{Type: joined[len(out)-start]})
		}
		return out, nil
	case KindFlags:
		if len(t.Labels) == 0 {
			return out, nil
		}
		return append(out, i32v(flagBits(t, v))), nil
	case KindOwn, KindBorrow:
		h, err := cx.lowerHandle(t, v)
		if err != nil {
			return nil, err
		}
		return append(out, i32v(h)), nil
	}
	return nil, trapf("cannot lower values of type %v", t)
}

// lowerScalar returns the flat value of the scalar (see isScalar) of
// kind k with bits bits (lower_flat for bool, integers, floats, char).
func lowerScalar(k ValKind, bits uint64) interp.Value {
	switch k {
	case KindS64, KindU64:
		return interp.Value{Type: wasm.I64, Lo: bits}
	case KindF32:
		return interp.Value{Type: wasm.F32, Lo: uint64(canonF32(uint32(bits)).Lo32())}
	case KindF64:
		return interp.Value{Type: wasm.F64, Lo: canonF64(bits).bits}
	}
	return interp.Value{Type: wasm.I32, Lo: uint64(uint32(bits))}
}

// coerceTo reinterprets v as the joined type want.
func coerceTo(v interp.Value, want wasm.ValType) interp.Value {
	if v.Type == want {
		return v
	}
	lo := v.Lo
	if v.Type == wasm.I32 || v.Type == wasm.F32 {
		lo = uint64(uint32(lo))
	}
	return interp.Value{Type: want, Lo: lo}
}

// coerceFrom reinterprets a joined value as the case type want.
func coerceFrom(v interp.Value, want wasm.ValType) interp.Value {
	if v.Type == want {
		return v
	}
	lo := v.Lo
	if want == wasm.I32 || want == wasm.F32 {
		lo = uint64(uint32(lo))
	}
	return interp.Value{Type: want, Lo: lo}
}

// ---- flat lifting ----

type flatReader struct {
	vals []interp.Value
	i    int
}

func (r *flatReader) next() (interp.Value, error) {
	if r.i >= len(r.vals) {
		return interp.Value{}, trapf("too few flat values")
	}
	v := r.vals[r.i]
	r.i++
	return v, nil
}

// isScalar reports whether a value of kind k is a single flat value
// lifted without memory or handle tables: bool, integers, floats, char.
func isScalar(k ValKind) bool {
	switch k {
	case KindBool, KindS8, KindU8, KindS16, KindU16, KindS32, KindU32, KindChar, KindS64, KindU64, KindF32, KindF64:
		return true
	}
	return false
}

// liftScalarBits returns the bits of the value of scalar kind k (see
// isScalar) lifted from the flat value lo: the value is Val{Kind: k,
// bits: bits}, as built by its constructor (Bool, S8...).
func liftScalarBits(k ValKind, lo uint64) (uint64, error) {
	switch k {
	case KindBool:
		return Bool(uint32(lo) != 0).bits, nil
	case KindS8:
		return S8(int8(lo)).bits, nil
	case KindU8:
		return U8(uint8(lo)).bits, nil
	case KindS16:
		return S16(int16(lo)).bits, nil
	case KindU16:
		return U16(uint16(lo)).bits, nil
	case KindS32:
		return S32(int32(lo)).bits, nil
	case KindU32:
		return U32(uint32(lo)).bits, nil
	case KindS64:
		return S64(int64(lo)).bits, nil
	case KindU64:
		return U64(lo).bits, nil
	case KindF32:
		return canonF32(uint32(lo)).bits, nil
	case KindF64:
		return canonF64(lo).bits, nil
	case KindChar:
		v, err := liftChar(uint32(lo))
		return v.bits, err
	}
	return 0, trapf("cannot lift values of type %v as a scalar", k)
}

// liftFlatTo lifts a value of type t from r into *dst, which holds the
// zero Val: a scalar only sets Kind and bits, so that filling a slice on
// the heap does not copy whole Vals (with their write barriers).
func (cx *callCx) liftFlatTo(dst *Val, t *Type, r *flatReader) error {
	if isScalar(t.Kind) {
		x, err := r.next()
		if err != nil {
			return err
		}
		bits, err := liftScalarBits(t.Kind, x.Lo)
		if err != nil {
			return err
		}
		dst.Kind, dst.bits = t.Kind, bits
		return nil
	}
	v, err := cx.liftFlat(t, r, 0)
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

func (cx *callCx) liftFlat(t *Type, r *flatReader, depth int) (Val, error) {
	if depth > 1000 {
		return Val{}, trapf("value nested too deeply")
	}
	if t.lay().size == 0 {
		if err := cx.charge(1); err != nil {
			return Val{}, err
		}
	}
	switch t.Kind {
	case KindBool, KindS8, KindU8, KindS16, KindU16, KindS32, KindU32, KindChar, KindS64, KindU64, KindF32, KindF64:
		x, err := r.next()
		if err != nil {
			return Val{}, err
		}
		bits, err := liftScalarBits(t.Kind, x.Lo)
		if err != nil {
			return Val{}, err
		}
		return Val{Kind: t.Kind, bits: bits}, nil
	case KindString, KindList:
		p, err := r.next()
		if err != nil {
			return Val{}, err
		}
		n, err := r.next()
		if err != nil {
			return Val{}, err
		}
		if t.Kind == KindString {
			return cx.liftString(uint32(p.Lo), uint32(n.Lo))
		}
		return cx.liftList(t, uint32(p.Lo), uint32(n.Lo), depth)
	case KindFixedList:
		if err := cx.chargeFixedList(t); err != nil {
			return Val{}, err
		}
		out := make([]Val, t.Len)
		for i := range out {
			var err error
			if out[i], err = cx.liftFlat(t.Elem, r, depth+1); err != nil {
				return Val{}, err
			}
		}
		return Val{Kind: KindFixedList, elems: out}, nil
	case KindRecord, KindTuple:
		out := make([]Val, numFields(t))
		for i := range out {
			var err error
			if out[i], err = cx.liftFlat(fieldType(t, i), r, depth+1); err != nil {
				return Val{}, err
			}
		}
		return makeAggregate(t, out), nil
	case KindEnum, KindVariant, KindOption, KindResult:
		d, err := r.next()
		if err != nil {
			return Val{}, err
		}
		disc := uint32(d.Lo)
		if disc >= uint32(numCases(t)) {
			return Val{}, trapf("invalid discriminant %d for %v", disc, t)
		}
		if t.Kind == KindEnum {
			return makeCase(t, disc, nil), nil
		}
		joined := joinedPayload(t)
		if r.i+len(joined) > len(r.vals) {
			return Val{}, trapf("too few flat values")
		}
		var payload *Val
		if c := caseType(t, int(disc)); c != nil {
			var buf [flatBuf]interp.Value
			sub := buf[:0]
			for i, ft := range c.lay().flat {
				sub = append(sub, coerceFrom(r.vals[r.i+i], ft))
			}
			pv, err := cx.liftFlat(c, &flatReader{vals: sub}, depth+1)
			if err != nil {
				return Val{}, err
			}
			payload = &pv
		}
		r.i += len(joined)
		return makeCase(t, disc, payload), nil
	case KindFlags:
		if len(t.Labels) == 0 {
			return Flags(), nil
		}
		x, err := r.next()
		if err != nil {
			return Val{}, err
		}
		bits := uint32(x.Lo)
		if len(t.Labels) < 32 {
			bits &= 1<<len(t.Labels) - 1
		}
		return makeFlags(t, bits), nil
	case KindOwn, KindBorrow:
		x, err := r.next()
		if err != nil {
			return Val{}, err
		}
		return cx.liftHandle(t, uint32(x.Lo))
	}
	return Val{}, trapf("cannot lift values of type %v", t)
}
