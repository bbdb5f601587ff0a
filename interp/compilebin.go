package interp

import (
	"context"
	"fmt"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/wasm"
)

// CompileBinary decodes a module in the binary format, validates it with
// the Wasm 3.0 rules and translates it: the one call an embedder needs to
// turn .wasm bytes into a Module. The bytes are not retained. A malformed
// module's error is a *binary.Error, an invalid one's a *validate.Error
// (both wrapped).
func CompileBinary(ctx context.Context, b []byte) (*Module, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m, err := binary.DecodeWith(b, binary.Options{Features: wasm.Wasm3})
	if err != nil {
		return nil, fmt.Errorf("interp: compile: %w", err)
	}
	cm, err := CompileWith(m, CompileOptions{Features: wasm.Wasm3})
	if err != nil {
		return nil, fmt.Errorf("interp: compile: %w", err)
	}
	return cm, nil
}
