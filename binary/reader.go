// Package binary decodes and encodes the binary format of core WebAssembly
// modules.
//
// Decode turns a module's bytes into a *wasm.Module and Encode writes one
// back. The decoder implements the Wasm 3.0 binary format (GC types,
// typed references, exception handling, multi-memory, memory64, table64)
// plus the legacy exception-handling instructions, shared memories and
// custom page sizes; DecodeWith without wasm.MultiMemory applies the few
// stricter Wasm 2.0 rules instead. Function bodies and constant expressions stay in the binary format
// (wasm.Code.Body, wasm.Expr): ReadInstr decodes them one instruction at a
// time and AppendInstr encodes instructions. Reader gives strict access to
// the primitive encodings (LEB128 integers, names, types) and the Append
// functions write them.
//
// Every error returned by this package is a *Error naming the absolute byte
// offset, and, when known, the section and function where it happened.
// Decoding never panics on malformed input and never allocates in
// proportion to a declared count before checking it against the bytes
// that remain.
package binary

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"

	"github.com/gowasm/gowasm/wasm"
)

// Error is the error type of the package. Msg follows the wording of the
// WebAssembly specification's reference interpreter where one exists
// (e.g. "unexpected end", "integer too large"), so that test scripts can
// match it as a substring of Error().
type Error struct {
	// Section is the id of the section being decoded, or -1 when the error
	// is not inside a section (the header, or a standalone Reader).
	Section int
	// SectionName is the name of the section ("code", "name"...), or "".
	SectionName string
	// Func is the index, in the function index space, of the function whose
	// body was being decoded, or -1.
	Func int
	// Offset is the absolute byte offset of the error.
	Offset int
	// Msg describes the problem.
	Msg string
	// Err is an underlying error, if any.
	Err error
}

// Error formats the error as
// "binary: section 10 (code), function 3, offset 0x1a2b: message".
func (e *Error) Error() string {
	s := "binary: "
	if e.Section >= 0 {
		s += fmt.Sprintf("section %d", e.Section)
		if e.SectionName != "" {
			s += " (" + e.SectionName + ")"
		}
		s += ", "
	}
	if e.Func >= 0 {
		s += fmt.Sprintf("function %d, ", e.Func)
	}
	s += fmt.Sprintf("offset 0x%x: %s", e.Offset, e.Msg)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Messages used in several places.
const (
	msgUnexpectedEnd = "unexpected end"
	msgTooLong       = "integer representation too long"
	msgTooLarge      = "integer too large"
	msgUTF8          = "malformed UTF-8 encoding"
	msgLength        = "length out of bounds"
)

// Reader reads the primitive encodings of the binary format from a byte
// slice. Offsets in its errors are absolute: the position in the slice
// plus the base given to NewReader. The zero Reader is empty.
type Reader struct {
	b      []byte
	pos    int
	base   int
	eofMsg string // message for reading past the end; "" means "unexpected end"
}

// NewReader returns a Reader over b, whose first byte is at absolute
// offset base.
func NewReader(b []byte, base int) *Reader { return &Reader{b: b, base: base} }

// Reset makes r read b, whose first byte is at absolute offset base.
func (r *Reader) Reset(b []byte, base int) { *r = Reader{b: b, base: base} }

// Offset returns the absolute offset of the next byte.
func (r *Reader) Offset() int { return r.base + r.pos }

// Pos returns the position of the next byte relative to the start of the
// slice given to NewReader.
func (r *Reader) Pos() int { return r.pos }

// Len returns the number of bytes that remain.
func (r *Reader) Len() int { return len(r.b) - r.pos }

// Rest returns the bytes that remain, without consuming them.
func (r *Reader) Rest() []byte { return r.b[r.pos:] }

// Errorf returns a *Error at the reader's current offset.
func (r *Reader) Errorf(format string, args ...any) error {
	return r.errAt(r.pos, fmt.Sprintf(format, args...))
}

func (r *Reader) errAt(pos int, msg string) *Error {
	return &Error{Section: -1, Func: -1, Offset: r.base + pos, Msg: msg}
}

func (r *Reader) eof() error {
	if r.eofMsg != "" {
		return r.errAt(r.pos, r.eofMsg)
	}
	return r.errAt(r.pos, msgUnexpectedEnd)
}

// Peek returns the next byte without consuming it; ok is false at the end.
func (r *Reader) Peek() (c byte, ok bool) {
	if r.pos < len(r.b) {
		return r.b[r.pos], true
	}
	return 0, false
}

// Byte reads one byte.
func (r *Reader) Byte() (byte, error) {
	if r.pos < len(r.b) {
		c := r.b[r.pos]
		r.pos++
		return c, nil
	}
	return 0, r.eof()
}

// Bytes reads n bytes and returns them as a sub-slice of the input (not a
// copy). A negative n or one larger than what remains is an error.
func (r *Reader) Bytes(n int) ([]byte, error) {
	if n < 0 || n > len(r.b)-r.pos {
		return nil, r.eof()
	}
	s := r.b[r.pos : r.pos+n : r.pos+n]
	r.pos += n
	return s, nil
}

// Skip skips n bytes.
func (r *Reader) Skip(n int) error {
	if n < 0 || n > len(r.b)-r.pos {
		return r.eof()
	}
	r.pos += n
	return nil
}

// U32 reads an unsigned LEB128 integer of at most 32 bits.
func (r *Reader) U32() (uint32, error) {
	if p := r.pos; p < len(r.b) && r.b[p] < 0x80 {
		r.pos = p + 1
		return uint32(r.b[p]), nil
	}
	return r.u32Slow()
}

func (r *Reader) u32Slow() (uint32, error) {
	v, err := r.uleb(32)
	return uint32(v), err
}

// U64 reads an unsigned LEB128 integer of at most 64 bits.
func (r *Reader) U64() (uint64, error) {
	if p := r.pos; p < len(r.b) && r.b[p] < 0x80 {
		r.pos = p + 1
		return uint64(r.b[p]), nil
	}
	return r.uleb(64)
}

// uleb reads an unsigned LEB128 integer of at most bits bits: at most
// ceil(bits/7) bytes, and the unused high bits of the last possible byte
// must be zero.
func (r *Reader) uleb(bits int) (uint64, error) {
	start := r.pos
	maxBytes := (bits + 6) / 7
	var v uint64
	for i := 0; ; i++ {
		if r.pos >= len(r.b) {
			return 0, r.lebEOF(start, bits, false)
		}
		c := r.b[r.pos]
		r.pos++
		if i == maxBytes-1 {
			if c&0x80 != 0 {
				return 0, r.errAt(start, msgTooLong)
			}
			k := bits - 7*i // value bits in the last byte
			if c>>k != 0 {
				return 0, r.errAt(start, msgTooLarge)
			}
		}
		v |= uint64(c&0x7F) << (7 * i)
		if c&0x80 == 0 {
			return v, nil
		}
	}
}

// lebEOF returns the error for a LEB128 integer cut short by the end of
// the reader. Inside a module (a section or body reader made by Decode,
// whose slice is part of the whole module), the reference interpreter
// reads on past the end of the section: if that would find an overlong or
// too large integer, report that instead, to match its message.
func (r *Reader) lebEOF(start, bits int, signed bool) error {
	if r.eofMsg != "" && cap(r.b) > len(r.b) {
		x := Reader{b: r.b[:cap(r.b)], pos: start, base: r.base}
		var err error
		if signed {
			_, err = x.sleb(bits)
		} else {
			_, err = x.uleb(bits)
		}
		if e, ok := err.(*Error); ok && (e.Msg == msgTooLong || e.Msg == msgTooLarge) {
			return e
		}
	}
	return r.eof()
}

// S32 reads a signed LEB128 integer of at most 32 bits.
func (r *Reader) S32() (int32, error) {
	if p := r.pos; p < len(r.b) && r.b[p] < 0x80 {
		r.pos = p + 1
		return int32(int8(r.b[p]<<1) >> 1), nil
	}
	return r.s32Slow()
}

func (r *Reader) s32Slow() (int32, error) {
	v, err := r.sleb(32)
	return int32(v), err
}

// S33 reads a signed LEB128 integer of at most 33 bits (block types and
// heap types).
func (r *Reader) S33() (int64, error) {
	if p := r.pos; p < len(r.b) && r.b[p] < 0x80 {
		r.pos = p + 1
		return int64(int8(r.b[p]<<1) >> 1), nil
	}
	return r.sleb(33)
}

// S64 reads a signed LEB128 integer of at most 64 bits.
func (r *Reader) S64() (int64, error) {
	if p := r.pos; p < len(r.b) && r.b[p] < 0x80 {
		r.pos = p + 1
		return int64(int8(r.b[p]<<1) >> 1), nil
	}
	return r.sleb(64)
}

// sleb reads a signed LEB128 integer of at most bits bits. In the last
// possible byte, the bits above the sign bit must equal the sign bit.
func (r *Reader) sleb(bits int) (int64, error) {
	start := r.pos
	maxBytes := (bits + 6) / 7
	var v int64
	var shift uint
	for i := 0; ; i++ {
		if r.pos >= len(r.b) {
			return 0, r.lebEOF(start, bits, true)
		}
		c := r.b[r.pos]
		r.pos++
		if i == maxBytes-1 {
			if c&0x80 != 0 {
				return 0, r.errAt(start, msgTooLong)
			}
			k := bits - 7*i // value bits in the last byte, the top one is the sign
			rest := (c & 0x7F) >> (k - 1)
			if rest != 0 && rest != 0x7F>>(k-1) {
				return 0, r.errAt(start, msgTooLarge)
			}
		}
		v |= int64(c&0x7F) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, nil
		}
	}
}

// F32 reads the 4 bytes of an f32 and returns its bits.
func (r *Reader) F32() (uint32, error) {
	if len(r.b)-r.pos < 4 {
		return 0, r.eof()
	}
	v := binary.LittleEndian.Uint32(r.b[r.pos:])
	r.pos += 4
	return v, nil
}

// F64 reads the 8 bytes of an f64 and returns its bits.
func (r *Reader) F64() (uint64, error) {
	if len(r.b)-r.pos < 8 {
		return 0, r.eof()
	}
	v := binary.LittleEndian.Uint64(r.b[r.pos:])
	r.pos += 8
	return v, nil
}

// Count reads a vector length (u32) and checks that at least
// n*minSize bytes remain, so that callers may allocate n items safely.
func (r *Reader) Count(minSize int) (int, error) {
	n, err := r.U32()
	if err != nil {
		return 0, err
	}
	if minSize > 0 && uint64(n)*uint64(minSize) > uint64(len(r.b)-r.pos) {
		r.pos = len(r.b)
		return 0, r.eof()
	}
	return int(n), nil
}

// ByteVec reads a vector of bytes (u32 length then the bytes) and returns
// a sub-slice of the input.
func (r *Reader) ByteVec() ([]byte, error) {
	n, err := r.U32()
	if err != nil {
		return nil, err
	}
	if uint64(n) > uint64(len(r.b)-r.pos) {
		r.pos = len(r.b)
		return nil, r.eof()
	}
	return r.Bytes(int(n))
}

// Name reads a name: a byte vector holding valid UTF-8.
func (r *Reader) Name() (string, error) {
	n, err := r.U32()
	if err != nil {
		return "", err
	}
	if uint64(n) > uint64(len(r.b)-r.pos) {
		r.pos = len(r.b)
		return "", r.eof()
	}
	b := r.b[r.pos : r.pos+int(n)]
	if !utf8.Valid(b) {
		return "", r.errAt(r.pos, msgUTF8)
	}
	r.pos += int(n)
	return string(b), nil
}

// IsAbstractHeapType reports whether c is the code of an abstract heap
// type (func, extern, any, eq, i31, struct, array, none, nofunc,
// noextern, exn, noexn).
func IsAbstractHeapType(c byte) bool { return c >= 0x69 && c <= 0x74 }

// HeapType reads a heap type: an abstract heap type code, or a type index
// encoded as a non-negative s33.
func (r *Reader) HeapType() (wasm.HeapType, error) {
	start := r.pos
	if r.pos < len(r.b) && IsAbstractHeapType(r.b[r.pos]) {
		c := r.b[r.pos]
		r.pos++
		return wasm.HeapType{Kind: wasm.HeapKind(c)}, nil
	}
	v, err := r.S33()
	if err != nil {
		return wasm.HeapType{}, err
	}
	if v < 0 {
		return wasm.HeapType{}, r.errAt(start, "malformed heap type")
	}
	return wasm.HeapType{Kind: wasm.HeapIndex, Index: uint32(v)}, nil
}

// RefType reads a reference type: a short form (funcref, externref...) or
// 0x63/0x64 followed by a heap type.
func (r *Reader) RefType() (wasm.ValType, error) {
	start := r.pos
	c, err := r.Byte()
	if err != nil {
		return wasm.ValType{}, err
	}
	switch {
	case IsAbstractHeapType(c):
		return wasm.RefType(true, wasm.HeapType{Kind: wasm.HeapKind(c)}), nil
	case c == 0x63 || c == 0x64:
		ht, err := r.HeapType()
		if err != nil {
			return wasm.ValType{}, err
		}
		return wasm.RefType(c == 0x63, ht), nil
	}
	return wasm.ValType{}, r.errAt(start, "malformed reference type")
}

// ValType reads a value type.
func (r *Reader) ValType() (wasm.ValType, error) {
	if r.pos < len(r.b) {
		switch c := r.b[r.pos]; c {
		case 0x7F, 0x7E, 0x7D, 0x7C, 0x7B:
			r.pos++
			return wasm.ValType{Kind: wasm.ValKind(c)}, nil
		case 0x63, 0x64:
			return r.RefType()
		default:
			if IsAbstractHeapType(c) {
				return r.RefType()
			}
			return wasm.ValType{}, r.errAt(r.pos, "malformed value type")
		}
	}
	return wasm.ValType{}, r.eof()
}

// BlockType reads a block type: 0x40 (empty), a value type, or a type
// index encoded as a non-negative s33.
func (r *Reader) BlockType() (wasm.BlockType, error) {
	if r.pos >= len(r.b) {
		return wasm.BlockType{}, r.eof()
	}
	c := r.b[r.pos]
	switch {
	case c == 0x40:
		r.pos++
		return wasm.BlockType{Kind: wasm.BlockEmpty}, nil
	case c >= 0x7B && c <= 0x7F:
		r.pos++
		return wasm.BlockType{Kind: wasm.BlockValue, Val: wasm.ValType{Kind: wasm.ValKind(c)}}, nil
	case c == 0x63 || c == 0x64 || IsAbstractHeapType(c):
		t, err := r.RefType()
		if err != nil {
			return wasm.BlockType{}, err
		}
		return wasm.BlockType{Kind: wasm.BlockValue, Val: t}, nil
	}
	start := r.pos
	v, err := r.S33()
	if err != nil {
		return wasm.BlockType{}, err
	}
	if v < 0 {
		return wasm.BlockType{}, r.errAt(start, "malformed block type")
	}
	return wasm.BlockType{Kind: wasm.BlockIndex, Index: uint32(v)}, nil
}

// Limits flag bits.
const (
	limHasMax   = 0x01
	limShared   = 0x02
	limIs64     = 0x04
	limPageSize = 0x08
)

// limits reads limits flags and values. allowed is the set of flag bits
// accepted.
func (r *Reader) limits(allowed byte) (lim wasm.Limits, flags byte, pageLog2 uint8, err error) {
	start := r.pos
	flags, err = r.Byte()
	if err != nil {
		return lim, 0, 0, err
	}
	if flags&0x80 != 0 {
		// Wasm 2.0 read the flags as a LEB128 integer of one bit.
		return lim, 0, 0, r.errAt(start, msgTooLong+" (malformed limits flags)")
	}
	if flags&^allowed != 0 {
		return lim, 0, 0, r.errAt(start, msgTooLarge+" (malformed limits flags)")
	}
	if flags&limShared != 0 && flags&limHasMax == 0 {
		// threads: a shared memory must have a maximum; Wasm 2.0 rejects
		// the flag value 2 as malformed.
		return lim, 0, 0, r.errAt(start, msgTooLarge+" (malformed limits flags)")
	}
	read := func() (uint64, error) {
		if flags&limIs64 != 0 {
			return r.U64()
		}
		v, err := r.U32()
		return uint64(v), err
	}
	if lim.Min, err = read(); err != nil {
		return lim, 0, 0, err
	}
	if flags&limHasMax != 0 {
		if lim.Max, err = read(); err != nil {
			return lim, 0, 0, err
		}
		lim.HasMax = true
	}
	if flags&limPageSize != 0 {
		ps, err := r.U32()
		if err != nil {
			return lim, 0, 0, err
		}
		if ps > 64 {
			return lim, 0, 0, r.errAt(start, "malformed memory page size")
		}
		pageLog2 = uint8(ps)
	}
	return lim, flags, pageLog2, nil
}

// MemoryType reads a memory type: limits with flags 0x00-0x0F (bit 0:
// maximum present, bit 1: shared, bit 2: 64-bit, bit 3: custom page size
// follows as a u32 log2).
func (r *Reader) MemoryType() (wasm.MemoryType, error) {
	lim, flags, ps, err := r.limits(limHasMax | limShared | limIs64 | limPageSize)
	if err != nil {
		return wasm.MemoryType{}, err
	}
	return wasm.MemoryType{Limits: lim, Is64: flags&limIs64 != 0, Shared: flags&limShared != 0, PageSizeLog2: ps}, nil
}

// TableType reads a table type: a reference type and limits with flags
// 0x00, 0x01, 0x04 or 0x05.
func (r *Reader) TableType() (wasm.TableType, error) {
	t, err := r.RefType()
	if err != nil {
		return wasm.TableType{}, err
	}
	lim, flags, _, err := r.limits(limHasMax | limIs64)
	if err != nil {
		return wasm.TableType{}, err
	}
	return wasm.TableType{Elem: t, Limits: lim, Is64: flags&limIs64 != 0}, nil
}

// GlobalType reads a global type: a value type and a mutability byte.
func (r *Reader) GlobalType() (wasm.GlobalType, error) {
	t, err := r.ValType()
	if err != nil {
		return wasm.GlobalType{}, err
	}
	c, err := r.Byte()
	if err != nil {
		return wasm.GlobalType{}, err
	}
	if c > 1 {
		return wasm.GlobalType{}, r.errAt(r.pos-1, "malformed mutability")
	}
	return wasm.GlobalType{Type: t, Mutable: c == 1}, nil
}
