//go:build nogowasm

package bench

import (
	"context"
	"fmt"
)

// Gowasm stands for gowasm's interpreter. This build (-tags nogowasm)
// leaves the engine out, for measuring the peers while the main module
// does not build, so every gowasm measurement is n/a.
type Gowasm struct{}

// Name returns "gowasm".
func (Gowasm) Name() string { return "gowasm" }

// Compile reports that the engine is not built in.
func (Gowasm) Compile(ctx context.Context, bin []byte) (Compiled, error) {
	return nil, fmt.Errorf("gowasm engine not built in (built with -tags nogowasm): %w", ErrNotAvailable)
}
