package bench

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

// WazeroInterp is wazero's interpreter.
type WazeroInterp struct{}

// Name returns "wazero-interp".
func (WazeroInterp) Name() string { return "wazero-interp" }

// Compile compiles bin in a fresh wazero runtime (so that nothing is
// cached between measurements).
func (WazeroInterp) Compile(ctx context.Context, bin []byte) (Compiled, error) {
	return wazeroCompile(ctx, wazero.NewRuntimeConfigInterpreter(), bin)
}

// WazeroCompiler is wazero's optimising compiler.
type WazeroCompiler struct{}

// Name returns "wazero-compiler".
func (WazeroCompiler) Name() string { return "wazero-compiler" }

// Compile compiles bin in a fresh wazero runtime.
func (WazeroCompiler) Compile(ctx context.Context, bin []byte) (Compiled, error) {
	return wazeroCompile(ctx, wazero.NewRuntimeConfigCompiler(), bin)
}

type wazeroModule struct {
	r   wazero.Runtime
	cm  wazero.CompiledModule
	seq int
}

func wazeroCompile(ctx context.Context, cfg wazero.RuntimeConfig, bin []byte) (Compiled, error) {
	r := wazero.NewRuntimeWithConfig(ctx, cfg)
	cm, err := r.CompileModule(ctx, bin)
	if err != nil {
		r.Close(ctx)
		return nil, fmt.Errorf("wazero: compile: %w", err)
	}
	return &wazeroModule{r: r, cm: cm}, nil
}

func (m *wazeroModule) nextName() string {
	m.seq++
	return fmt.Sprintf("m%d", m.seq)
}

func (m *wazeroModule) Instantiate(ctx context.Context) (Instance, error) {
	mod, err := m.r.InstantiateModule(ctx, m.cm, wazero.NewModuleConfig().WithName(m.nextName()))
	if err != nil {
		return nil, fmt.Errorf("wazero: instantiate: %w", err)
	}
	f := mod.ExportedFunction("run")
	if f == nil {
		return nil, errors.New("wazero: no export run")
	}
	return wazeroInstance{f}, nil
}

type wazeroInstance struct{ f api.Function }

func (i wazeroInstance) Run(ctx context.Context, n int32) (uint64, error) {
	res, err := i.f.Call(ctx, api.EncodeI32(n))
	if err != nil {
		return 0, err
	}
	if len(res) != 1 {
		return 0, fmt.Errorf("wazero: run returned %d results", len(res))
	}
	if t := i.f.Definition().ResultTypes()[0]; t == api.ValueTypeI32 {
		return uint64(uint32(res[0])), nil
	}
	return res[0], nil
}

func (m *wazeroModule) RunWASI(ctx context.Context, args []string, stdout io.Writer) error {
	if m.r.Module(wasi_snapshot_preview1.ModuleName) == nil {
		if _, err := wasi_snapshot_preview1.Instantiate(ctx, m.r); err != nil {
			return fmt.Errorf("wazero: WASI: %w", err)
		}
	}
	cfg := wazero.NewModuleConfig().
		WithName(m.nextName()).
		WithArgs(args...).
		WithStdout(stdout).
		WithSysWalltime().
		WithSysNanotime().
		WithSysNanosleep()
	mod, err := m.r.InstantiateModule(ctx, m.cm, cfg)
	if mod != nil {
		defer mod.Close(ctx)
	}
	var ee *sys.ExitError
	if errors.As(err, &ee) {
		if ee.ExitCode() == 0 {
			return nil
		}
		return fmt.Errorf("wazero: exit code %d", ee.ExitCode())
	}
	return err
}

func (m *wazeroModule) Close(ctx context.Context) error { return m.r.Close(ctx) }
