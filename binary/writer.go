package binary

import (
	"encoding/binary"

	"github.com/gowasm/gowasm/wasm"
)

// AppendU32 appends the unsigned LEB128 encoding of v.
func AppendU32(dst []byte, v uint32) []byte { return AppendU64(dst, uint64(v)) }

// AppendU64 appends the unsigned LEB128 encoding of v.
func AppendU64(dst []byte, v uint64) []byte {
	for v >= 0x80 {
		dst = append(dst, byte(v)|0x80)
		v >>= 7
	}
	return append(dst, byte(v))
}

// AppendS32 appends the signed LEB128 encoding of v.
func AppendS32(dst []byte, v int32) []byte { return AppendS64(dst, int64(v)) }

// AppendS33 appends the signed LEB128 encoding of v, which must fit in 33
// bits (block type and heap type indices).
func AppendS33(dst []byte, v int64) []byte { return AppendS64(dst, v) }

// AppendS64 appends the signed LEB128 encoding of v.
func AppendS64(dst []byte, v int64) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(dst, c)
		}
		dst = append(dst, c|0x80)
	}
}

// AppendF32 appends the 4 bytes of an f32 given by its bits.
func AppendF32(dst []byte, bits uint32) []byte { return binary.LittleEndian.AppendUint32(dst, bits) }

// AppendF64 appends the 8 bytes of an f64 given by its bits.
func AppendF64(dst []byte, bits uint64) []byte { return binary.LittleEndian.AppendUint64(dst, bits) }

// AppendName appends a name: its length as u32 then its bytes.
func AppendName(dst []byte, s string) []byte {
	dst = AppendU32(dst, uint32(len(s)))
	return append(dst, s...)
}

// AppendByteVec appends a byte vector: its length as u32 then the bytes.
func AppendByteVec(dst []byte, b []byte) []byte {
	dst = AppendU32(dst, uint32(len(b)))
	return append(dst, b...)
}

// AppendHeapType appends a heap type: its abstract code, or its type index
// as an s33.
func AppendHeapType(dst []byte, h wasm.HeapType) []byte {
	if h.Kind == wasm.HeapIndex {
		return AppendS33(dst, int64(h.Index))
	}
	return append(dst, byte(h.Kind))
}

// AppendValType appends a value type, using the one-byte short forms for
// nullable references to abstract heap types.
func AppendValType(dst []byte, t wasm.ValType) []byte {
	if t.Kind != wasm.KindRef {
		return append(dst, byte(t.Kind))
	}
	if t.Nullable && t.Heap.Kind != wasm.HeapIndex {
		return append(dst, byte(t.Heap.Kind))
	}
	if t.Nullable {
		dst = append(dst, 0x63)
	} else {
		dst = append(dst, 0x64)
	}
	return AppendHeapType(dst, t.Heap)
}

// AppendBlockType appends a block type.
func AppendBlockType(dst []byte, bt wasm.BlockType) []byte {
	switch bt.Kind {
	case wasm.BlockValue:
		return AppendValType(dst, bt.Val)
	case wasm.BlockIndex:
		return AppendS33(dst, int64(bt.Index))
	}
	return append(dst, 0x40)
}

// AppendLimits appends limits with the given flag bits: 0x02 shared,
// 0x04 64-bit, 0x08 custom page size (pageLog2 follows). The max flag
// (0x01) is set from lim.HasMax.
func AppendLimits(dst []byte, lim wasm.Limits, is64, shared bool, pageLog2 uint8) []byte {
	var flags byte
	if lim.HasMax {
		flags |= limHasMax
	}
	if shared {
		flags |= limShared
	}
	if is64 {
		flags |= limIs64
	}
	if pageLog2 != 0 {
		flags |= limPageSize
	}
	dst = append(dst, flags)
	dst = AppendU64(dst, lim.Min)
	if lim.HasMax {
		dst = AppendU64(dst, lim.Max)
	}
	if pageLog2 != 0 {
		dst = AppendU32(dst, uint32(pageLog2))
	}
	return dst
}

// AppendMemoryType appends a memory type.
func AppendMemoryType(dst []byte, m wasm.MemoryType) []byte {
	return AppendLimits(dst, m.Limits, m.Is64, m.Shared, m.PageSizeLog2)
}

// AppendTableType appends a table type.
func AppendTableType(dst []byte, t wasm.TableType) []byte {
	dst = AppendValType(dst, t.Elem)
	return AppendLimits(dst, t.Limits, t.Is64, false, 0)
}

// AppendGlobalType appends a global type.
func AppendGlobalType(dst []byte, g wasm.GlobalType) []byte {
	dst = AppendValType(dst, g.Type)
	if g.Mutable {
		return append(dst, 1)
	}
	return append(dst, 0)
}
