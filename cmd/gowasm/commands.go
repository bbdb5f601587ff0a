package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/text"
	"github.com/gowasm/gowasm/wasm"
)

// Exit codes.
const (
	exitOK      = 0 // success
	exitFailure = 1 // a trap, an invalid module, failed tests, an I/O error
	exitUsage   = 2 // bad command line
	// exitTrap is the status of a guest that trapped: 128 + SIGABRT, as
	// wasmtime reports it on Unix.
	exitTrap = 134
)

// command is a subcommand.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands returns the subcommands in the order help lists them.
func commands() []command {
	return []command{
		{"run", "Run a WebAssembly module", cmdRun},
		{"serve", "Serve HTTP with a wasi:http component", cmdServe},
		{"validate", "Validate a WebAssembly module", cmdValidate},
		{"parse", "Convert a module from the text format to the binary format", cmdParse},
		{"print", "Print a module in the text format", cmdPrint},
		{"wast", "Run WebAssembly script (.wast) tests", cmdWast},
		{"version", "Print the version", cmdVersion},
		{"help", "Print help for gowasm or one of its commands", cmdHelp},
	}
}

// exitCodesHelp documents the exit status.
const exitCodesHelp = `Exit status:
  0    success
  1    failure: the module is malformed or invalid, tests failed, or a file could not be read
  2    usage error: unknown command or option, missing or bad arguments
  134  run: the guest trapped (the message and wasm backtrace go to stderr)
  N    run: the guest called proc_exit(N), or a component wasi:cli/exit (exit-with-code N; exit(err) is 1)
`

// run runs gowasm with the command-line arguments args (without the
// program name) and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		mainUsage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		mainUsage(stdout)
		return exitOK
	case "-V", "--version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "error: unknown command %q\n\n", name)
	mainUsage(stderr)
	return exitUsage
}

// mainUsage writes the top-level help.
func mainUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString("gowasm: a WebAssembly runtime in pure Go\n\nUsage: gowasm <COMMAND> [OPTIONS] [ARGS]...\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun 'gowasm help COMMAND' for the options of a command.\n\n")
	b.WriteString(exitCodesHelp)
	io.WriteString(w, b.String())
}

func cmdHelp(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		mainUsage(stdout)
		return exitOK
	case 1:
		if strings.HasPrefix(args[0], "-") {
			fmt.Fprintln(stdout, "Print help for gowasm or one of its commands.\n\nUsage: gowasm help [COMMAND]")
			return exitOK
		}
		for _, c := range commands() {
			if c.name == args[0] {
				return c.run([]string{"-h"}, stdout, stdout)
			}
		}
		fmt.Fprintf(stderr, "error: unknown command %q\n", args[0])
		return exitUsage
	}
	fmt.Fprintln(stderr, "Usage: gowasm help [COMMAND]")
	return exitUsage
}

// newFlagSet returns the flag set of a command, whose usage text is
// "Usage: gowasm NAME ARGS", the description and the options.
func newFlagSet(name, args, desc string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "%s\n\nUsage: gowasm %s %s\n", desc, name, args)
		var opts [][2]string
		width := 0
		fs.VisitAll(func(f *flag.Flag) {
			arg, usage := flag.UnquoteUsage(f)
			spell := "--" + f.Name
			if len(f.Name) == 1 {
				spell = "-" + f.Name
			}
			if arg != "" && arg != "value" || !isBoolFlag(f) {
				spell += " <" + arg + ">"
			}
			opts = append(opts, [2]string{spell, usage})
			width = max(width, len(spell))
		})
		if len(opts) > 0 {
			fmt.Fprintf(w, "\nOptions:\n")
			for _, o := range opts {
				fmt.Fprintf(w, "  %-*s  %s\n", width, o[0], o[1])
			}
		}
		fmt.Fprintf(w, "\n%s", exitCodesHelp)
	}
	return fs
}

// isBoolFlag reports whether f needs no value.
func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// parseFlags parses args with fs, allowing options after positional
// arguments, and returns the positional arguments. ok is false when the
// command should stop with code.
func parseFlags(fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, 0, true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// usageError reports a bad command line.
func usageError(fs *flag.FlagSet, stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "error: "+format+"\n", args...)
	fmt.Fprintf(stderr, "Run 'gowasm help %s' for usage.\n", fs.Name())
	return exitUsage
}

// failf reports a failure on stderr and returns exitFailure.
func failf(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "error: "+format+"\n", args...)
	return exitFailure
}

// wasmMagic starts every binary module.
const wasmMagic = "\x00asm"

// loadModule reads a module in the binary format (recognised by its
// magic bytes) or the text format.
func loadModule(path string) (*wasm.Module, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return decodeModule(b, path)
}

// decodeModule decodes a binary module or parses a text one.
func decodeModule(b []byte, path string) (*wasm.Module, error) {
	if len(b) >= 4 && string(b[:4]) == wasmMagic {
		m, err := binary.DecodeWith(b, binary.Options{Features: wasm.Wasm3})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return m, nil
	}
	m, err := text.ParseModuleOptions(b, path, text.Options{Features: wasm.Wasm3})
	if err != nil {
		// Text parse errors already start with file:line:col.
		if !strings.HasPrefix(err.Error(), path) {
			err = fmt.Errorf("%s: %w", path, err)
		}
		return nil, err
	}
	return m, nil
}
