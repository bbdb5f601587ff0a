package preview2

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	mrand "math/rand/v2"

	"github.com/gowasm/gowasm/component"
)

// maxRandom bounds the bytes one get-random-bytes or
// get-insecure-random-bytes call returns; a guest asking for more traps.
const maxRandom = 64 << 20

// defineRandom defines wasi:random random, insecure and insecure-seed.
func (h *Host) defineRandom(l linker) error {
	u8list := component.ListOf(component.Prim(component.KindU8))
	src := h.cfg.Random
	if src == nil {
		src = rand.Reader
	}
	bytesFn := func(read func([]byte) error) component.HostFunc {
		return func(_ context.Context, a []component.Val) ([]component.Val, error) {
			n := a[0].AsUint()
			if n > maxRandom {
				return nil, fmt.Errorf("wasi:random: %d random bytes requested, at most %d allowed", n, maxRandom)
			}
			b := make([]byte, n)
			if err := read(b); err != nil {
				return nil, err
			}
			return []component.Val{component.Bytes(b)}, nil
		}
	}
	u64Fn := func(read func([]byte) error) component.HostFunc {
		return func(context.Context, []component.Val) ([]component.Val, error) {
			var b [8]byte
			if err := read(b[:]); err != nil {
				return nil, err
			}
			return []component.Val{component.U64(binary.LittleEndian.Uint64(b[:]))}, nil
		}
	}
	secure := func(b []byte) error {
		if _, err := io.ReadFull(src, b); err != nil {
			return fmt.Errorf("wasi:random: %w", err)
		}
		return nil
	}
	insecure := func(b []byte) error {
		for i := 0; i < len(b); i += 8 {
			var w [8]byte
			binary.LittleEndian.PutUint64(w[:], mrand.Uint64())
			copy(b[i:], w[:])
		}
		return nil
	}

	d := &definer{l: l, iface: "wasi:random/random"}
	d.fn("get-random-bytes", params(param("len", u64T)), u8list, bytesFn(secure))
	d.fn("get-random-u64", nil, u64T, u64Fn(secure))
	if d.err != nil {
		return d.err
	}
	d = &definer{l: l, iface: "wasi:random/insecure"}
	d.fn("get-insecure-random-bytes", params(param("len", u64T)), u8list, bytesFn(insecure))
	d.fn("get-insecure-random-u64", nil, u64T, u64Fn(insecure))
	if d.err != nil {
		return d.err
	}
	// The seed is fixed for the host, as the interface asks: drawn once.
	var seed [16]byte
	if err := secure(seed[:]); err != nil {
		return err
	}
	d = &definer{l: l, iface: "wasi:random/insecure-seed"}
	d.fn("insecure-seed", nil, component.TupleOf(u64T, u64T), func(context.Context, []component.Val) ([]component.Val, error) {
		return []component.Val{component.Tuple(
			component.U64(binary.LittleEndian.Uint64(seed[:8])),
			component.U64(binary.LittleEndian.Uint64(seed[8:])))}, nil
	})
	return d.err
}
