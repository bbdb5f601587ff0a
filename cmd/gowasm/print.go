package main

import (
	"bufio"
	"io"

	"github.com/gowasm/gowasm/text"
)

func cmdPrint(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("print", "[--folded] IN.wasm",
		"Print a module in the text format. The input may be binary (.wasm) or text (.wat).", stderr)
	folded := fs.Bool("folded", false, "print instructions in the folded (S-expression) form")
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
	w := bufio.NewWriter(stdout)
	if err := text.Print(w, m, text.PrintOptions{Folded: *folded}); err != nil {
		w.Flush()
		return failf(stderr, "%s: %v", pos[0], err)
	}
	if err := w.Flush(); err != nil {
		return failf(stderr, "%v", err)
	}
	return exitOK
}
