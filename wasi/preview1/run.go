package preview1

import (
	"context"
	"errors"
	"fmt"

	"github.com/gowasm/gowasm/interp"
)

// Resolver returns a resolver that supplies the wasi_snapshot_preview1
// imports, bound to h, as host functions of store s. Other imports are
// passed to next, which may be nil.
func (h *Host) Resolver(s *interp.Store, next interp.Resolver) interp.Resolver {
	funcs := map[string]*interp.Func{}
	return func(module, name string) interp.Extern {
		if module != ModuleName {
			if next != nil {
				return next(module, name)
			}
			return nil
		}
		if f, ok := funcs[name]; ok {
			return f
		}
		for i := range functions {
			fn := &functions[i]
			if fn.name == name {
				f := s.NewRawHostFunc(fn.typ(), h.bind(fn))
				funcs[name] = f
				return f
			}
		}
		return nil
	}
}

// bind makes the raw host function that runs fn for h.
func (h *Host) bind(fn *function) interp.RawHostFunc {
	if fn.name == "proc_exit" {
		return func(ctx context.Context, c *interp.Caller, stack []uint64) error {
			return &ExitError{Code: uint32(stack[0])}
		}
	}
	call := fn.call
	return func(ctx context.Context, c *interp.Caller, stack []uint64) error {
		var m mem
		if memory := c.Memory(); memory != nil {
			m = memory.Bytes()
		}
		stack[0] = uint64(call(h, ctx, m, stack))
		return nil
	}
}

// RunCommand instantiates the WASI command m in s with h's WASI functions
// (and other imports from extra, which may be nil), runs its _start
// function, and returns the exit status: the code given to proc_exit, or 0
// when _start returns. A trap or other failure is returned as an error.
func RunCommand(ctx context.Context, s *interp.Store, m *interp.Module, h *Host, extra interp.Resolver) (uint32, error) {
	inst, err := s.Instantiate(ctx, m, h.Resolver(s, extra))
	if err != nil {
		var exit *ExitError
		if errors.As(err, &exit) {
			return exit.Code, nil
		}
		return 0, err
	}
	start, ok := inst.Export("_start").(*interp.Func)
	if !ok {
		return 0, fmt.Errorf("wasi: module exports no _start function")
	}
	if t := start.Type(); len(t.Params) != 0 || len(t.Results) != 0 {
		return 0, fmt.Errorf("wasi: _start has type %s, want [] -> []", t)
	}
	if _, err := start.Call(ctx); err != nil {
		var exit *ExitError
		if errors.As(err, &exit) {
			return exit.Code, nil
		}
		return 0, err
	}
	return 0, nil
}
