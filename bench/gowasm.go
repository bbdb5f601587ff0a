//go:build !nogowasm

package bench

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasi/preview1"
	"github.com/gowasm/gowasm/wasm"
)

// Gowasm is gowasm's interpreter (binary.Decode + interp.Compile).
type Gowasm struct{}

// Name returns "gowasm".
func (Gowasm) Name() string { return "gowasm" }

// Compile decodes bin and validates and translates it with
// interp.Compile.
func (Gowasm) Compile(ctx context.Context, bin []byte) (Compiled, error) {
	m, err := binary.Decode(bin)
	if err != nil {
		return nil, fmt.Errorf("gowasm: decode: %w", err)
	}
	cm, err := interp.Compile(m)
	if err != nil {
		return nil, fmt.Errorf("gowasm: compile: %w", err)
	}
	return gowasmModule{cm}, nil
}

type gowasmModule struct{ m *interp.Module }

func (m gowasmModule) Instantiate(ctx context.Context) (Instance, error) {
	s := interp.NewStore(interp.Config{})
	inst, err := s.Instantiate(ctx, m.m, nil)
	if err != nil {
		return nil, fmt.Errorf("gowasm: instantiate: %w", err)
	}
	f, ok := inst.Export("run").(*interp.Func)
	if !ok || f == nil {
		return nil, errors.New("gowasm: no exported function run")
	}
	return gowasmInstance{f}, nil
}

type gowasmInstance struct{ f *interp.Func }

func (i gowasmInstance) Run(ctx context.Context, n int32) (uint64, error) {
	res, err := i.f.Call(ctx, interp.Value{Type: wasm.I32, Lo: uint64(uint32(n))})
	if err != nil {
		return 0, err
	}
	if len(res) != 1 {
		return 0, fmt.Errorf("gowasm: run returned %d results", len(res))
	}
	if res[0].Type == wasm.I32 {
		return uint64(uint32(res[0].Lo)), nil
	}
	return res[0].Lo, nil
}

// RunWASI runs the module as a WASI command with wasi/preview1 in a new
// store.
func (m gowasmModule) RunWASI(ctx context.Context, args []string, stdout io.Writer) error {
	h := preview1.NewHost(preview1.Config{Args: args, Stdout: stdout})
	defer h.Close()
	code, err := preview1.RunCommand(ctx, interp.NewStore(interp.Config{}), m.m, h, nil)
	if err != nil {
		return fmt.Errorf("gowasm: %w", err)
	}
	if code != 0 {
		return fmt.Errorf("gowasm: exit status %d", code)
	}
	return nil
}

func (m gowasmModule) Close(ctx context.Context) error { return nil }
