package bench

import (
	"context"
	"errors"
	"io"
)

// ErrNotAvailable marks a measurement a runtime cannot make yet (reported
// as "n/a" rather than as a failure).
var ErrNotAvailable = errors.New("n/a")

// Runtime is one WebAssembly engine under comparison.
type Runtime interface {
	// Name is the runtime's column name.
	Name() string
	// Compile decodes, validates and translates (or compiles) a module.
	Compile(ctx context.Context, bin []byte) (Compiled, error)
}

// Compiled is a module compiled by a Runtime.
type Compiled interface {
	// Instantiate makes an instance of a reactor workload (run(n) export).
	Instantiate(ctx context.Context) (Instance, error)
	// RunWASI runs the module as a WASI preview 1 command with the given
	// arguments (args[0] being the program name), writing its standard
	// output to stdout.
	RunWASI(ctx context.Context, args []string, stdout io.Writer) error
	// Close releases the module.
	Close(ctx context.Context) error
}

// Instance is an instance of a reactor workload.
type Instance interface {
	// Run calls run(n) and returns its result zero-extended to 64 bits.
	Run(ctx context.Context, n int32) (uint64, error)
}

// Runtimes returns the runtimes under comparison, gowasm first.
func Runtimes() []Runtime {
	return []Runtime{Gowasm{}, WazeroInterp{}, WazeroCompiler{}}
}

// RuntimeByName returns the runtime named name, or nil.
func RuntimeByName(name string) Runtime {
	for _, r := range Runtimes() {
		if r.Name() == name {
			return r
		}
	}
	return nil
}
