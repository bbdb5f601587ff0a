package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasi/preview2"
)

// isComponent reports whether b is a component binary: the magic number
// followed by the component model's version and layer.
func isComponent(b []byte) bool {
	return len(b) >= 8 && string(b[:4]) == wasmMagic && b[6] == 0x01 && b[7] == 0x00
}

// runComponent runs gowasm run for a component with the WASIp2 host
// (package wasi/preview2: arguments, --env, --dir, stdio, clocks,
// random). Without --invoke it calls the wasi:cli/run export with ARGS as
// the arguments (after the component's path, as wasmtime does) and exits
// with the guest's status; --invoke calls an export with arguments in
// WAVE and prints the results in WAVE.
func runComponent(ctx context.Context, path string, src []byte, cfg interp.Config, opt runOptions, args []string, stdout, stderr io.Writer) int {
	c, err := component.Compile(ctx, src)
	if err != nil {
		return failf(stderr, "%s: %v", path, err)
	}
	if opt.invoke != "" && len(args) > 0 {
		return failf(stderr, "%s: with a component, arguments go inside the --invoke call", path)
	}
	wcfg, err := wasiConfig(path, args, opt, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\nRun 'gowasm help run' for usage.\n", err)
		return exitUsage
	}
	host := preview2.NewHost(preview2.Config{
		Args: wcfg.Args, Env: wcfg.Env, Preopens: wcfg.Preopens,
		Stdin: wcfg.Stdin, Stdout: wcfg.Stdout, Stderr: wcfg.Stderr,
		AllowTCP: opt.allowNetwork, AllowUDP: opt.allowNetwork, AllowIPNameLookup: opt.allowNetwork,
	})
	defer host.Close()
	l := component.NewLinker()
	if err := host.Define(l); err != nil {
		return failf(stderr, "%v", err)
	}
	// WASI interfaces the host does not implement (unstable ones, WASI
	// 0.3...) fail when called; other missing imports fail to
	// link.
	if _, err := preview2.DefineUnsupported(l, c); err != nil {
		return failf(stderr, "%s: %v", path, err)
	}
	inst, err := l.Instantiate(ctx, interp.NewStore(cfg), c)
	if err != nil {
		if code, ok := componentExit(err); ok {
			return code
		}
		return failf(stderr, "%s: %v", path, err)
	}

	if opt.invoke == "" {
		if preview2.RunExport(inst) == "" {
			return failf(stderr, "%s: the component exports no wasi:cli/run@0.2 interface; calling one of its exports needs --invoke (exports: %s)",
				path, strings.Join(inst.Exports(), ", "))
		}
		err := preview2.Run(ctx, inst)
		if err == nil {
			return exitOK
		}
		if code, ok := componentExit(err); ok {
			return code
		}
		return reportCallError(stderr, "running wasi:cli/run", err)
	}
	name, _, _ := strings.Cut(opt.invoke, "(")
	name = strings.TrimSpace(name)
	f := inst.Func(name)
	if f == nil {
		return failf(stderr, "%s: no exported function %q (exports: %s)", path, name, strings.Join(inst.Exports(), ", "))
	}
	_, vals, err := component.ParseWAVECall(f.Type(), opt.invoke)
	if err != nil {
		return failf(stderr, "--invoke: %v", err)
	}
	results, err := f.Call(ctx, vals...)
	if err != nil {
		if code, ok := componentExit(err); ok {
			return code
		}
		return reportCallError(stderr, fmt.Sprintf("invoking %q", name), err)
	}
	for _, r := range results {
		fmt.Fprintln(stdout, component.FormatWAVE(r))
	}
	return exitOK
}

// componentExit returns the status of a guest that called
// wasi:cli/exit (or whose run returned an error), if err is that exit.
func componentExit(err error) (int, bool) {
	var exit *preview2.ExitError
	if errors.As(err, &exit) {
		return exit.Code, true
	}
	return 0, false
}
