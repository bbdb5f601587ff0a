package preview2

import (
	"context"
	"fmt"
	"strings"

	"github.com/gowasm/gowasm/component"
)

// ExitError reports that a guest exited with a non-zero status: it
// called wasi:cli/exit#exit with an error (Code 1) or exit-with-code, or
// its wasi:cli/run#run export returned an error (Code 1).
//
// The exit functions unwind the guest by failing: their host function
// returns an *ExitError, which aborts the running call like a trap (the
// instance cannot be entered again) and reaches the caller of the
// export wrapped in the call's error. Run recognises it with errors.As
// and returns nil for code 0; callers of other exports can do the same.
type ExitError struct {
	Code int
}

// Error returns "exit status N".
func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// defineCLI defines wasi:cli environment, exit, stdin, stdout, stderr and
// the terminal interfaces (the guest has no terminal).
func (h *Host) defineCLI(l linker) error {
	strT := component.Prim(component.KindString)
	t := h.ioTypes()

	d := &definer{l: l, iface: "wasi:cli/environment"}
	d.fn("get-environment", nil, component.ListOf(component.TupleOf(strT, strT)),
		func(context.Context, []component.Val) ([]component.Val, error) {
			env := make([]component.Val, 0, len(h.cfg.Env))
			for _, kv := range h.cfg.Env {
				k, v, _ := strings.Cut(kv, "=")
				env = append(env, component.Tuple(component.String(k), component.String(v)))
			}
			return []component.Val{component.List(env...)}, nil
		})
	d.fn("get-arguments", nil, component.ListOf(strT),
		func(context.Context, []component.Val) ([]component.Val, error) {
			args := make([]component.Val, len(h.cfg.Args))
			for i, a := range h.cfg.Args {
				args[i] = component.String(a)
			}
			return []component.Val{component.List(args...)}, nil
		})
	d.fn("initial-cwd", nil, component.OptionOf(strT),
		func(context.Context, []component.Val) ([]component.Val, error) {
			if h.cfg.InitialCwd == "" {
				return []component.Val{component.None()}, nil
			}
			return []component.Val{component.Some(component.String(h.cfg.InitialCwd))}, nil
		})
	if d.err != nil {
		return d.err
	}

	d = &definer{l: l, iface: "wasi:cli/exit"}
	d.fn("exit", params(param("status", component.ResultOf(nil, nil))), nil,
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			if a[0].IsErr() {
				return nil, &ExitError{Code: 1}
			}
			return nil, &ExitError{Code: 0}
		})
	d.fn("exit-with-code", params(param("status-code", component.Prim(component.KindU8))), nil,
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			return nil, &ExitError{Code: int(a[0].AsUint())}
		})
	if d.err != nil {
		return d.err
	}

	for _, std := range []struct {
		name string
		typ  *component.Type
		new  func() component.Val
	}{
		{"stdin", t.ownIn, func() component.Val { return h.newInputStream(h.io.stdin) }},
		{"stdout", t.ownOut, func() component.Val { return h.newOutputStream(h.cfg.Stdout) }},
		{"stderr", t.ownOut, func() component.Val { return h.newOutputStream(h.cfg.Stderr) }},
	} {
		d = &definer{l: l, iface: "wasi:cli/" + std.name}
		d.fn("get-"+std.name, nil, std.typ, func(context.Context, []component.Val) ([]component.Val, error) {
			return []component.Val{std.new()}, nil
		})
		if d.err != nil {
			return d.err
		}
	}

	// No terminals: the resources exist for the types, no handle is ever
	// made, every get-terminal-* returns none.
	termIn := component.NewResourceType("terminal-input", nil)
	termOut := component.NewResourceType("terminal-output", nil)
	(&definer{l: l, iface: "wasi:cli/terminal-input"}).resource("terminal-input", termIn)
	(&definer{l: l, iface: "wasi:cli/terminal-output"}).resource("terminal-output", termOut)
	for _, term := range []struct {
		name string
		rt   *component.ResourceType
	}{{"stdin", termIn}, {"stdout", termOut}, {"stderr", termOut}} {
		d = &definer{l: l, iface: "wasi:cli/terminal-" + term.name}
		d.fn("get-terminal-"+term.name, nil, component.OptionOf(&component.Type{Kind: component.KindOwn, Resource: term.rt}),
			func(context.Context, []component.Val) ([]component.Val, error) {
				return []component.Val{component.None()}, nil
			})
		if d.err != nil {
			return d.err
		}
	}
	return nil
}
