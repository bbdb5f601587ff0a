package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasm"
)

func cmdRun(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("run", "[OPTIONS] FILE [ARGS]...",
		"Run a WebAssembly core module (binary .wasm or text .wat).\n\n"+
			"The module is instantiated (running its start function). With --invoke NAME the\n"+
			"exported function NAME is called with ARGS, parsed by its parameter types (i32/i64:\n"+
			"decimal or 0x hex integers; f32/f64: decimal floats, inf, nan), and each result\n"+
			"is printed on its own line. Without --invoke, the export _start is called if there\n"+
			"is one. Imports are not supported yet (WASI comes later).\n"+
			"Options must come before FILE; everything after FILE is passed to the function.", stderr)
	invoke := fs.String("invoke", "", "call the exported function `NAME` instead of _start")
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() == 0 {
		return usageError(fs, stderr, "expected a FILE")
	}
	path, fargs := fs.Arg(0), fs.Args()[1:]

	m, err := loadModule(path)
	if err != nil {
		return failf(stderr, "%v", err)
	}
	cm, err := interp.Compile(m)
	if err != nil {
		return failf(stderr, "%s: %v", path, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	store := interp.NewStore(interp.Config{})
	inst, err := store.Instantiate(ctx, cm, nil)
	if err != nil {
		var le *interp.LinkError
		if errors.As(err, &le) {
			return failf(stderr, "%s: %v (imports are not supported yet)", path, err)
		}
		return reportCallError(stderr, fmt.Sprintf("instantiating %s", path), err)
	}

	name := *invoke
	if name == "" {
		if _, ok := inst.Export("_start").(*interp.Func); !ok {
			if len(fargs) > 0 {
				return usageError(fs, stderr, "arguments given but the module exports no _start and no --invoke was given")
			}
			return exitOK
		}
		name = "_start"
	}
	f, ok := inst.Export(name).(*interp.Func)
	if !ok || f == nil {
		return failf(stderr, "%s: no exported function %q", path, name)
	}
	typ := f.Type()
	if typ == nil {
		return failf(stderr, "%s: function %q has no type", path, name)
	}
	if len(fargs) != len(typ.Params) {
		return usageError(fs, stderr, "function %q takes %d arguments %s, got %d", name, len(typ.Params), typ, len(fargs))
	}
	vals := make([]interp.Value, len(fargs))
	for i, a := range fargs {
		v, err := parseArg(a, typ.Params[i])
		if err != nil {
			return usageError(fs, stderr, "argument %d: %v", i+1, err)
		}
		vals[i] = v
	}
	results, err := f.Call(ctx, vals...)
	if err != nil {
		return reportCallError(stderr, fmt.Sprintf("invoking %q", name), err)
	}
	for i := range results {
		fmt.Fprintln(stdout, formatResult(&results[i]))
	}
	return exitOK
}

// flagExit returns the exit code of a flag parse error.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// reportCallError prints a failed call or instantiation: a trap with its
// backtrace.
func reportCallError(stderr io.Writer, what string, err error) int {
	msg := err.Error()
	fmt.Fprintf(stderr, "error: %s: %s\n", what, msg)
	var tr *interp.Trap
	if errors.As(err, &tr) && len(tr.Backtrace) > 0 && !strings.Contains(msg, "\n") {
		fmt.Fprintln(stderr, "wasm backtrace:")
		for i, fr := range tr.Backtrace {
			name := fr.FuncName
			if name == "" {
				name = fmt.Sprintf("func[%d]", fr.FuncIndex)
			}
			if fr.Offset >= 0 {
				fmt.Fprintf(stderr, "  %2d: %#x - %s\n", i, fr.Offset, name)
			} else {
				fmt.Fprintf(stderr, "  %2d: %s\n", i, name)
			}
		}
	}
	return exitFailure
}

// parseArg parses a command-line argument as a value of type t.
func parseArg(s string, t wasm.ValType) (interp.Value, error) {
	v := interp.Value{Type: t}
	switch t.Kind {
	case wasm.KindI32:
		n, err := parseInt(s, 32)
		if err != nil {
			return v, err
		}
		v.Lo = n & math.MaxUint32
	case wasm.KindI64:
		n, err := parseInt(s, 64)
		if err != nil {
			return v, err
		}
		v.Lo = n
	case wasm.KindF32:
		f, err := strconv.ParseFloat(s, 32)
		if err != nil {
			return v, fmt.Errorf("invalid f32 %q", s)
		}
		v.Lo = uint64(math.Float32bits(float32(f)))
	case wasm.KindF64:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return v, fmt.Errorf("invalid f64 %q", s)
		}
		v.Lo = math.Float64bits(f)
	default:
		return v, fmt.Errorf("parameters of type %v are not supported on the command line", t)
	}
	return v, nil
}

// parseInt parses a signed or unsigned integer of the given bit size.
func parseInt(s string, bits int) (uint64, error) {
	if n, err := strconv.ParseInt(s, 0, bits); err == nil {
		return uint64(n), nil
	}
	if n, err := strconv.ParseUint(s, 0, bits); err == nil {
		return n, nil
	}
	return 0, fmt.Errorf("invalid i%d %q", bits, s)
}

// formatResult formats a result as wasmtime does: integers signed in
// decimal, floats in the shortest decimal form without an exponent.
func formatResult(v *interp.Value) string {
	switch v.Type.Kind {
	case wasm.KindI32:
		return strconv.FormatInt(int64(int32(uint32(v.Lo))), 10)
	case wasm.KindI64:
		return strconv.FormatInt(int64(v.Lo), 10)
	case wasm.KindF32:
		return formatFloat(float64(math.Float32frombits(uint32(v.Lo))), 32)
	case wasm.KindF64:
		return formatFloat(math.Float64frombits(v.Lo), 64)
	case wasm.KindV128:
		return fmt.Sprintf("0x%016x%016x", v.Hi, v.Lo)
	case wasm.KindRef:
		if v.Ref == nil {
			return "null"
		}
		return "<" + v.Type.Heap.String() + "ref>"
	}
	return fmt.Sprintf("%v", v)
}

func formatFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'f', -1, bits)
}
