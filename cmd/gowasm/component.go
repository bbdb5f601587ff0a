package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/interp"
)

// isComponent reports whether b is a component binary: the magic number
// followed by the component model's version and layer.
func isComponent(b []byte) bool {
	return len(b) >= 8 && string(b[:4]) == wasmMagic && b[6] == 0x01 && b[7] == 0x00
}

// runComponent runs gowasm run for a component: --invoke calls an export
// with arguments in WAVE and prints the results in WAVE.
func runComponent(ctx context.Context, path string, src []byte, cfg interp.Config, opt runOptions, args []string, stdout, stderr io.Writer) int {
	c, err := component.Compile(ctx, src)
	if err != nil {
		return failf(stderr, "%s: %v", path, err)
	}
	if opt.invoke == "" {
		return failf(stderr, "%s: running a component needs --invoke (the WASIp2 host for wasi:cli/run comes later)", path)
	}
	if len(args) > 0 {
		return failf(stderr, "%s: with a component, arguments go inside the --invoke call", path)
	}
	l := component.NewLinker()
	inst, err := l.Instantiate(ctx, interp.NewStore(cfg), c)
	if err != nil {
		return failf(stderr, "%s: %v", path, err)
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
		return reportCallError(stderr, fmt.Sprintf("invoking %q", name), err)
	}
	for _, r := range results {
		fmt.Fprintln(stdout, component.FormatWAVE(r))
	}
	return exitOK
}
