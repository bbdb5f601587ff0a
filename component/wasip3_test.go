package component

import (
	"context"
	"os"
	"path/filepath"
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
