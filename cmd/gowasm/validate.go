package main

import (
	"io"

	"github.com/gowasm/gowasm/validate"
	"github.com/gowasm/gowasm/wasm"
)

func cmdValidate(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("validate", "FILE",
		"Validate a WebAssembly module in the binary (.wasm) or text (.wat) format.\n"+
			"Prints nothing and exits with 0 when the module is valid.", stderr)
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return usageError(fs, stderr, "expected one FILE, got %d arguments", len(pos))
	}
	m, err := loadModule(pos[0])
	if err != nil {
		return failf(stderr, "%v", err)
	}
	if err := validate.ModuleOptions(m, validate.Options{Features: wasm.Wasm3}); err != nil {
		return failf(stderr, "%s: invalid module: %v", pos[0], err)
	}
	return exitOK
}
