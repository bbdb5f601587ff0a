package bench

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Workload is one benchmark program in workloads/.
type Workload struct {
	// Name identifies the workload (the .wasm file's base name).
	Name string
	// N is the default size argument, chosen so that one run takes a few
	// hundred milliseconds under wazero's interpreter.
	N int
	// WASI tells that the workload is a WASI preview 1 command (run by
	// _start, size passed as argv[1], checksum printed on stdout) rather
	// than a reactor exporting run(n).
	WASI bool
	// What says what the workload stresses.
	What string
}

// Workloads lists the benchmark programs.
var Workloads = []Workload{
	{Name: "fib", N: 28, What: "recursive calls"},
	{Name: "sieve", N: 160, What: "byte loads/stores, loops"},
	{Name: "matmul", N: 90, What: "f64 multiply-add"},
	{Name: "sha256", N: 8, What: "i32 rotates, shifts, adds"},
	{Name: "nbody", N: 15000, What: "f64 arithmetic, sqrt"},
	{Name: "qsort", N: 60000, What: "compares, branches, i32 memory"},
	{Name: "vm", N: 15000, What: "switch dispatch (br_table)"},
	{Name: "memops", N: 50, What: "memory.copy/fill, small copies"},
	{Name: "hash64", N: 80, What: "i64 mul/rotl/xor"},
	{Name: "gowork", N: 4000, WASI: true, What: "Go: goroutines, maps, strings (WASI)"},
}

// Size returns the size argument for w scaled by scale (at least 1).
func (w Workload) Size(scale float64) int {
	n := int(float64(w.N)*scale + 0.5)
	if w.Name == "fib" && scale != 1 {
		// fib's cost grows by ~1.618 per unit of n: scale the work, not n.
		n = w.N
		for s := scale; s >= 1.618; s /= 1.618 {
			n++
		}
		for s := scale; s <= 1/1.618; s *= 1.618 {
			n--
		}
	}
	if n < 1 {
		n = 1
	}
	return n
}

// Lookup returns the workload named name.
func Lookup(name string) (Workload, bool) {
	for _, w := range Workloads {
		if w.Name == name {
			return w, true
		}
	}
	return Workload{}, false
}

// Dir returns the bench module's directory: $GOWASM_BENCH_DIR, or the
// first directory holding workloads/build.sh found by walking up from the
// working directory (also trying a bench/ subdirectory), or the directory
// of this source file.
func Dir() (string, error) {
	if d := os.Getenv("GOWASM_BENCH_DIR"); d != "" {
		return d, nil
	}
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			for _, c := range []string{d, filepath.Join(d, "bench")} {
				if _, err := os.Stat(filepath.Join(c, "workloads", "build.sh")); err == nil {
					return c, nil
				}
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		d := filepath.Dir(file)
		if _, err := os.Stat(filepath.Join(d, "workloads", "build.sh")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("bench: cannot find the bench directory (set GOWASM_BENCH_DIR)")
}

// Load reads the workload's module.
func (w Workload) Load() ([]byte, error) {
	d, err := Dir()
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(d, "workloads", w.Name+".wasm"))
	if err != nil {
		return nil, fmt.Errorf("bench: load workload %s: %w", w.Name, err)
	}
	return b, nil
}

// HelloPath returns the path of testdata/go-hello/hello.wasm.
func HelloPath() (string, error) {
	d, err := Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(d), "testdata", "go-hello", "hello.wasm"), nil
}

// ParseChecksum parses the checksum a WASI workload printed.
func ParseChecksum(out string) (uint64, error) {
	var v uint64
	s := strings.TrimSpace(out)
	if _, err := fmt.Sscan(s, &v); err != nil {
		return 0, fmt.Errorf("bench: bad checksum output %q: %w", s, err)
	}
	return v, nil
}
