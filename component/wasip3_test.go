package component

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

// TestInstantiateWASIp3 instantiates the WASIp3 test programs (which use
// the async ABI) with every import failing when called.
func TestInstantiateWASIp3(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedDir(t), "wasi-testsuite/tests/rust/testsuite/wasm32-wasip3/*.wasm"))
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("no WASIp3 tests (github.com/WebAssembly/wasi-testsuite)")
		}
		t.Skip("no WASIp3 tests (github.com/WebAssembly/wasi-testsuite)")
	}
	ok := 0
	errs := map[string]int{}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		c, err := Compile(context.Background(), b)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		l := NewLinker()
		l.DefineUnknownImportsAsTraps()
		_, err = l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
		if err != nil {
			s := err.Error()
			if len(s) > 150 {
				s = s[:150]
			}
			errs[s]++
			continue
		}
		ok++
	}
	for e, n := range errs {
		t.Errorf("%d× %s", n, e)
	}
	t.Logf("instantiated %d/%d WASIp3 components", ok, len(files))
}

// exitError is the error the test host's wasi:cli/exit returns.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit with code %d", e.code) }

// TestRunWASIp3 runs WASIp3 programs whose async run function completes
// without waiting.
func TestRunWASIp3(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "wasi-testsuite/tests/rust/testsuite/wasm32-wasip3")
	for _, tc := range []struct {
		name string
		exit int
	}{
		{"cli-exit", 1},
		{"cli-env", 0},
		{"cli-terminal", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, tc.name+".wasm"))
			if err != nil {
				t.Skip(err)
			}
			c, err := Compile(context.Background(), b)
			if err != nil {
				t.Fatal(err)
			}
			imps, err := c.Imports()
			if err != nil {
				t.Fatal(err)
			}
			l := stdioLinker(t, "0.2.0")
			defineStdio(t, l, "0.3.0")
			if tc.name == "cli-env" {
				env := List(Tuple(String("foo"), String("bar")), Tuple(String("baz"), String("42")))
				args := List(String("cli-env.wasm"), String("a"), String("b"), String("42"))
				for _, v := range []string{"0.2.0", "0.3.0"} {
					l.DefineFunc("wasi:cli/environment@"+v+"#get-environment",
						FuncType{Results: []Param{{"", ListOf(TupleOf(Prim(KindString), Prim(KindString)))}}},
						func(context.Context, []Val) ([]Val, error) { return []Val{env}, nil })
					l.DefineFunc("wasi:cli/environment@"+v+"#get-initial-cwd", FuncType{Results: []Param{{"", OptionOf(Prim(KindString))}}},
						func(context.Context, []Val) ([]Val, error) { return []Val{None()}, nil })
					l.DefineFunc("wasi:cli/environment@"+v+"#get-arguments", FuncType{Results: []Param{{"", ListOf(Prim(KindString))}}},
						func(context.Context, []Val) ([]Val, error) { return []Val{args}, nil })
				}
			}
			for _, im := range imps {
				for _, v := range []string{"0.2", "0.3"} {
					if strings.HasPrefix(im.Name, "wasi:cli/exit@"+v) {
						ft := im.Desc.Instance.Exports["exit"].Func
						l.DefineFunc(im.Name+"#exit", *ft, func(_ context.Context, a []Val) ([]Val, error) {
							code := 0
							if a[0].IsErr() {
								code = 1
							}
							return nil, &exitError{code}
						})
					}
				}
			}
			inst, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
			if err != nil {
				t.Fatal(err)
			}
			var run *Func
			for _, n := range inst.Exports() {
				if strings.HasPrefix(n, "wasi:cli/run@") && strings.HasSuffix(n, "#run") {
					run = inst.Func(n)
				}
			}
			if run == nil {
				t.Fatalf("no run export in %v", inst.Exports())
			}
			res, err := run.Call(context.Background())
			code := 0
			var ee *exitError
			switch {
			case errors.As(err, &ee):
				code = ee.code
			case err != nil:
				t.Fatalf("run: %v", err)
			case len(res) == 1 && res[0].IsErr():
				code = 1
			}
			if code != tc.exit {
				t.Fatalf("exit code %d, want %d (run() = %v, %v)", code, tc.exit, res, err)
			}
		})
	}
}
