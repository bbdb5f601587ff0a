package preview1

import "encoding/binary"

// mem is a view of the guest's linear memory. Every accessor checks
// bounds; a failed check makes the call return EFAULT.
type mem []byte

func (m mem) ok(ptr, n uint32) bool { return uint64(ptr)+uint64(n) <= uint64(len(m)) }

func (m mem) slice(ptr, n uint32) ([]byte, bool) {
	if !m.ok(ptr, n) {
		return nil, false
	}
	return m[ptr : ptr+n], true
}

func (m mem) u32(ptr uint32) (uint32, bool) {
	if !m.ok(ptr, 4) {
		return 0, false
	}
	return binary.LittleEndian.Uint32(m[ptr:]), true
}

func (m mem) putU8(ptr uint32, v uint8) bool {
	if !m.ok(ptr, 1) {
		return false
	}
	m[ptr] = v
	return true
}

func (m mem) putU16(ptr uint32, v uint16) bool {
	if !m.ok(ptr, 2) {
		return false
	}
	binary.LittleEndian.PutUint16(m[ptr:], v)
	return true
}

func (m mem) putU32(ptr uint32, v uint32) bool {
	if !m.ok(ptr, 4) {
		return false
	}
	binary.LittleEndian.PutUint32(m[ptr:], v)
	return true
}

func (m mem) putU64(ptr uint32, v uint64) bool {
	if !m.ok(ptr, 8) {
		return false
	}
	binary.LittleEndian.PutUint64(m[ptr:], v)
	return true
}

// iovecs reads an array of n (ptr, len) pairs and returns the buffers.
func (m mem) iovecs(iovs, n uint32) ([][]byte, bool) {
	if n > 1<<20 || !m.ok(iovs, n*8) {
		return nil, false
	}
	out := make([][]byte, 0, n)
	for i := uint32(0); i < n; i++ {
		p, _ := m.u32(iovs + 8*i)
		l, _ := m.u32(iovs + 8*i + 4)
		b, ok := m.slice(p, l)
		if !ok {
			return nil, false
		}
		out = append(out, b)
	}
	return out, true
}

// str reads a string of n bytes at ptr.
func (m mem) str(ptr, n uint32) (string, bool) {
	b, ok := m.slice(ptr, n)
	return string(b), ok
}
