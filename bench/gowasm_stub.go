//go:build !gowasm

package bench

import (
	"context"
	"fmt"
)

// Gowasm stands for gowasm's interpreter. This build leaves the engine
// out (build with -tags gowasm to include it, once the binary decoder and
// the interp package are in place), so every measurement is n/a.
type Gowasm struct{}

// Name returns "gowasm".
func (Gowasm) Name() string { return "gowasm" }

// Compile reports that the engine is not built in.
func (Gowasm) Compile(ctx context.Context, bin []byte) (Compiled, error) {
	return nil, fmt.Errorf("gowasm engine not built in (use -tags gowasm): %w", ErrNotAvailable)
}
