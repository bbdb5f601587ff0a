package component

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/internal/testenv"
)

// sharedDir returns the shared test data directory (see internal/testenv):
// the test is skipped when it is missing, or fails under CI=true.
func sharedDir(t testing.TB) string {
	t.Helper()
	return testenv.Require(t, ".")
}

func componentFiles(t testing.TB) []string {
	root := sharedDir(t)
	var files []string
	for _, g := range []string{
		"components/jco-fixtures/runtime/*.wasm",
		"components/jco-fixtures/composed/*.wasm",
		"components/jco-fixtures/commands/*.wasm",
		"wasi-testsuite/tests/rust/testsuite/wasm32-wasip3/*.wasm",
	} {
		m, _ := filepath.Glob(filepath.Join(root, g))
		files = append(files, m...)
	}
	if len(files) == 0 {
		msg := "no component fixtures under " + root + " (from github.com/bytecodealliance/jco and github.com/WebAssembly/wasi-testsuite)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return files
}

func countModules(c *Component) (mods, comps int) {
	for _, d := range c.Defs {
		switch d := d.(type) {
		case *CoreModule:
			mods++
		case *Component:
			m, n := countModules(d)
			mods += m
			comps += n + 1
		}
	}
	return
}

func TestDecodeFixtures(t *testing.T) {
	files := componentFiles(t)
	ok, mods, comps, skipped := 0, 0, 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !IsComponent(b) {
			skipped++ // a core module
			continue
		}
		c, err := Decode(b)
		if err != nil {
			t.Errorf("%s: %v", strings.TrimPrefix(f, sharedDir(t)), err)
			continue
		}
		if err := c.Validate(); err != nil {
			t.Errorf("%s: validate: %v", strings.TrimPrefix(f, sharedDir(t)), err)
			continue
		}
		ok++
		m, n := countModules(c)
		mods += m
		comps += n
	}
	t.Logf("decoded and validated %d/%d components (%d core modules, %d nested components; %d core-module files skipped)",
		ok, len(files)-skipped, mods, comps, skipped)
}
