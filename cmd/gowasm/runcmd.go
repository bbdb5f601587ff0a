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
	"time"

	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasi/preview1"
	"github.com/gowasm/gowasm/wasm"
)

// runOptions are the flags of gowasm run, named as wasmtime names them.
type runOptions struct {
	invoke    string
	dirs      listFlag
	envs      listFlag
	fuel      uint64
	maxMemory string
	timeout   time.Duration
	// allowNetwork lets components use wasi:sockets (TCP, UDP and name
	// lookups); they are denied by default.
	allowNetwork bool
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func cmdRun(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("run", "[OPTIONS] FILE [ARGS]...",
		"Run a WebAssembly core module (binary .wasm or text .wat) or component.\n\n"+
			"A core module is a WASI preview1 command: it is instantiated with the\n"+
			"wasi_snapshot_preview1 functions and its _start export runs with ARGS as its\n"+
			"arguments; the exit status is the one it passes to proc_exit. With --invoke NAME\n"+
			"the exported function NAME is called instead with ARGS parsed by its parameter\n"+
			"types (i32/i64: decimal or 0x hex integers; f32/f64: decimal floats, inf, nan),\n"+
			"and each result is printed on its own line.\n\n"+
			"A component runs with the WASI 0.2 host (wasi:cli, io, clocks, random,\n"+
			"filesystem, http, whose outgoing requests are refused, and sockets, refused\n"+
			"unless --allow-network; --dir, --env and stdio as for modules; other wasi:\n"+
			"imports fail when called): its wasi:cli/run export runs with ARGS as its\n"+
			"arguments, and the exit status is the one it passes\n"+
			"to wasi:cli/exit (1 for an error, as when run returns one). With --invoke it\n"+
			"takes a call in WAVE syntax instead, e.g. --invoke\n"+
			"'add(1, 2)' or --invoke 'ns:pkg/iface#f(\"x\")', and prints the result in WAVE.\n\n"+
			"A trap prints its message and wasm backtrace and exits with status 134.\n"+
			"Options must come before FILE; everything after FILE goes to the program.", stderr)
	var opt runOptions
	fs.StringVar(&opt.invoke, "invoke", "", "call the exported function `NAME` (a WAVE call for components) instead of _start (wasi:cli/run)")
	opt.addGuestFlags(fs)
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() == 0 {
		return usageError(fs, stderr, "expected a FILE")
	}
	path, fargs := fs.Arg(0), fs.Args()[1:]
	cfg, err := opt.storeConfig()
	if err != nil {
		return usageError(fs, stderr, "%v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if opt.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opt.timeout)
		defer cancel()
	}

	src, err := os.ReadFile(path)
	if err != nil {
		return failf(stderr, "%v", err)
	}
	if isComponent(src) {
		return runComponent(ctx, path, src, cfg, opt, fargs, stdout, stderr)
	}
	m, err := decodeModule(src, path)
	if err != nil {
		return failf(stderr, "%v", err)
	}
	cm, err := interp.CompileWith(m, interp.CompileOptions{Features: wasm.Wasm3})
	if err != nil {
		return failf(stderr, "%s: %v", path, err)
	}
	wcfg, err := wasiConfig(path, fargs, opt, stdout, stderr)
	if err != nil {
		return usageError(fs, stderr, "%v", err)
	}
	host := preview1.NewHost(wcfg)
	defer host.Close()

	store := interp.NewStore(cfg)
	inst, err := store.Instantiate(ctx, cm, host.Resolver(store, nil))
	if err != nil {
		if code, ok := exitStatus(err); ok {
			return code
		}
		var le *interp.LinkError
		if errors.As(err, &le) {
			return failf(stderr, "%s: %v", path, err)
		}
		return reportCallError(stderr, fmt.Sprintf("instantiating %s", path), err)
	}

	if opt.invoke == "" {
		start, ok := inst.Export("_start").(*interp.Func)
		if !ok {
			return exitOK // a module without _start: instantiating it was the run
		}
		if _, err := start.Call(ctx); err != nil {
			if code, ok := exitStatus(err); ok {
				return code
			}
			return reportCallError(stderr, "running _start", err)
		}
		return exitOK
	}
	f, ok := inst.Export(opt.invoke).(*interp.Func)
	if !ok || f == nil {
		return failf(stderr, "%s: no exported function %q", path, opt.invoke)
	}
	typ := f.Type()
	if len(fargs) != len(typ.Params) {
		return usageError(fs, stderr, "function %q takes %d arguments %s, got %d", opt.invoke, len(typ.Params), typ, len(fargs))
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
		if code, ok := exitStatus(err); ok {
			return code
		}
		return reportCallError(stderr, fmt.Sprintf("invoking %q", opt.invoke), err)
	}
	for i := range results {
		fmt.Fprintln(stdout, formatResult(&results[i]))
	}
	return exitOK
}

// addGuestFlags defines the flags run and serve share: --dir and --env
// (the guest's WASI environment), --allow-network (wasi:sockets for
// components) and --fuel, --max-memory and --timeout (its limits).
func (opt *runOptions) addGuestFlags(fs *flag.FlagSet) {
	fs.Var(&opt.dirs, "dir", "preopen the host directory `HOST[::GUEST]` (repeatable)")
	fs.Var(&opt.envs, "env", "set `NAME=VALUE` in the guest's environment, or pass NAME through from the host (repeatable)")
	fs.Uint64Var(&opt.fuel, "fuel", 0, "stop the guest after `N` units of fuel (calls and loop iterations); 0: unlimited")
	fs.StringVar(&opt.maxMemory, "max-memory", "", "cap each linear memory at `SIZE` bytes (suffixes K, M, G, Ki, Mi, Gi)")
	fs.DurationVar(&opt.timeout, "timeout", 0, "stop the guest after `DURATION` (e.g. 500ms, 10s); 0: none")
	fs.BoolVar(&opt.allowNetwork, "allow-network", false, "let components use wasi:sockets: TCP and UDP sockets to any address, and name lookups (denied by default)")
}

// storeConfig returns the store configuration of --fuel and
// --max-memory.
func (opt *runOptions) storeConfig() (interp.Config, error) {
	cfg := interp.Config{Fuel: opt.fuel}
	if opt.maxMemory != "" {
		n, err := parseSize(opt.maxMemory)
		if err != nil {
			return cfg, fmt.Errorf("--max-memory: %v", err)
		}
		cfg.MaxMemoryBytes = n
	}
	return cfg, nil
}

// exitStatus returns the status a guest passed to proc_exit, if err is
// that exit.
func exitStatus(err error) (int, bool) {
	var exit *preview1.ExitError
	if errors.As(err, &exit) {
		return int(exit.Code), true
	}
	return 0, false
}

// wasiConfig builds the guest's WASI environment from the flags: argv[0]
// is the module's path, as in wasmtime.
func wasiConfig(path string, args []string, opt runOptions, stdout, stderr io.Writer) (preview1.Config, error) {
	cfg := preview1.Config{
		Args:   append([]string{path}, args...),
		Stdin:  os.Stdin,
		Stdout: stdout,
		Stderr: stderr,
	}
	for _, e := range opt.envs {
		if strings.Contains(e, "=") {
			cfg.Env = append(cfg.Env, e)
		} else if v, ok := os.LookupEnv(e); ok {
			cfg.Env = append(cfg.Env, e+"="+v)
		}
	}
	for _, d := range opt.dirs {
		host, guest, ok := strings.Cut(d, "::")
		if !ok {
			guest = host
		}
		fsys, err := preview1.DirFS(host)
		if err != nil {
			return cfg, fmt.Errorf("--dir %s: %w", d, err)
		}
		cfg.Preopens = append(cfg.Preopens, preview1.Preopen{GuestPath: guest, FS: fsys})
	}
	return cfg, nil
}

// parseSize parses a byte count with an optional K, M, G (powers of 1000)
// or Ki, Mi, Gi (powers of 1024) suffix, and an optional trailing B.
func parseSize(s string) (uint64, error) {
	t := strings.TrimSuffix(strings.TrimSpace(s), "B")
	mult := uint64(1)
	for _, u := range []struct {
		suffix string
		mult   uint64
	}{{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSuffix(t, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseUint(t, 10, 64)
	if err != nil || n > math.MaxUint64/mult {
		return 0, fmt.Errorf("invalid size %q", s)
	}
	return n * mult, nil
}

// flagExit returns the exit code of a flag parse error.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// reportCallError prints a failed call or instantiation (a trap's message
// includes its wasm backtrace) and returns the exit status: exitTrap for a
// trap.
func reportCallError(stderr io.Writer, what string, err error) int {
	fmt.Fprintf(stderr, "error: %s: %v\n", what, err)
	var tr *interp.Trap
	if errors.As(err, &tr) {
		return exitTrap
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
