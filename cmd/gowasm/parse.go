package main

import (
	"io"
	"os"

	"github.com/gowasm/gowasm/binary"
)

func cmdParse(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("parse", "IN.wat [-o OUT.wasm]",
		"Convert a module in the text format to the binary format.\n"+
			"Writes to standard output unless -o is given. The module is not validated.", stderr)
	out := fs.String("o", "", "write the binary to `FILE`")
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return usageError(fs, stderr, "expected one input FILE, got %d arguments", len(pos))
	}
	m, err := loadModule(pos[0])
	if err != nil {
		return failf(stderr, "%v", err)
	}
	b, err := binary.Encode(m)
	if err != nil {
		return failf(stderr, "%s: encoding: %v", pos[0], err)
	}
	if *out == "" {
		if _, err := stdout.Write(b); err != nil {
			return failf(stderr, "%v", err)
		}
		return exitOK
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return failf(stderr, "%v", err)
	}
	return exitOK
}
