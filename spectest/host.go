package spectest

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasm"
)

// hostModule is the standard "spectest" module of the specification
// tests. Its entities are created in the run's store on first import and
// then shared by every module that imports them.
type hostModule struct {
	store   *interp.Store
	out     io.Writer
	exports map[string]interp.Extern
}

func newHostModule(s *interp.Store, out io.Writer) *hostModule {
	return &hostModule{store: s, out: out, exports: make(map[string]interp.Extern)}
}

// lookup returns the spectest export name, or nil when there is none (so
// that an import of it fails to link).
func (h *hostModule) lookup(name string) interp.Extern {
	if e, ok := h.exports[name]; ok {
		return e
	}
	e := h.create(name)
	if e == nil {
		return nil
	}
	h.exports[name] = e
	return e
}

// printFuncs gives the parameter types of the print functions.
var printFuncs = map[string][]wasm.ValType{
	"print":         nil,
	"print_i32":     {wasm.I32},
	"print_i64":     {wasm.I64},
	"print_f32":     {wasm.F32},
	"print_f64":     {wasm.F64},
	"print_i32_f32": {wasm.I32, wasm.F32},
	"print_f64_f64": {wasm.F64, wasm.F64},
}

// create makes the entity exported as name.
func (h *hostModule) create(name string) interp.Extern {
	if params, ok := printFuncs[name]; ok {
		typ := wasm.FuncType{Params: params}
		return h.store.NewHostFunc(typ, h.print)
	}
	switch name {
	case "global_i32":
		return h.global(wasm.I32, 666)
	case "global_i64":
		return h.global(wasm.I64, 666)
	case "global_f32":
		return h.global(wasm.F32, uint64(math.Float32bits(666.6)))
	case "global_f64":
		return h.global(wasm.F64, math.Float64bits(666.6))
	case "table", "table64":
		typ := wasm.TableType{
			Elem:   wasm.FuncRef,
			Limits: wasm.Limits{Min: 10, Max: 20, HasMax: true},
			Is64:   name == "table64",
		}
		t, err := h.store.NewTable(typ, interp.Value{Type: wasm.FuncRef})
		if err != nil || t == nil {
			return nil
		}
		return t
	case "memory", "shared_memory":
		typ := wasm.MemoryType{
			Limits: wasm.Limits{Min: 1, Max: 2, HasMax: true},
			Shared: name == "shared_memory",
		}
		m, err := h.store.NewMemory(typ)
		if err != nil || m == nil {
			return nil
		}
		return m
	}
	return nil
}

func (h *hostModule) global(t wasm.ValType, bits uint64) interp.Extern {
	g := h.store.NewGlobal(wasm.GlobalType{Type: t}, interp.Value{Type: t, Lo: bits})
	if g == nil {
		return nil
	}
	return g
}

// print writes each argument as "value : type" on its own line, as the
// reference interpreter does.
func (h *hostModule) print(_ context.Context, args []interp.Value) ([]interp.Value, error) {
	var b strings.Builder
	for _, a := range args {
		switch a.Type.Kind {
		case wasm.KindI32:
			fmt.Fprintf(&b, "%d : i32\n", int32(uint32(a.Lo)))
		case wasm.KindI64:
			fmt.Fprintf(&b, "%d : i64\n", int64(a.Lo))
		case wasm.KindF32:
			fmt.Fprintf(&b, "%s : f32\n", fmtFloat(float64(math.Float32frombits(uint32(a.Lo))), 32))
		case wasm.KindF64:
			fmt.Fprintf(&b, "%s : f64\n", fmtFloat(math.Float64frombits(a.Lo), 64))
		default:
			fmt.Fprintf(&b, "%s\n", formatValue(&a))
		}
	}
	if b.Len() > 0 {
		io.WriteString(h.out, b.String())
	}
	return nil, nil
}
