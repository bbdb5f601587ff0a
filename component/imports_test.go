package component

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFixtureImports lists the imports of the runtime fixtures (with -v).
func TestFixtureImports(t *testing.T) {
	if os.Getenv("COMPONENT_LIST_IMPORTS") == "" {
		t.Skip("set COMPONENT_LIST_IMPORTS=1 to list fixture imports")
	}
	files, _ := filepath.Glob(filepath.Join(sharedDir(t), "components/jco-fixtures/*/*.wasm"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if !IsComponent(b) {
			continue
		}
		c, err := Decode(b)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		var imps, exps []string
		for _, d := range c.Defs {
			switch d := d.(type) {
			case *Import:
				imps = append(imps, d.Name.Name)
			case *Export:
				exps = append(exps, d.Name.Name)
			}
		}
		t.Logf("%s\n   imports %v\n   exports %v", filepath.Base(f), imps, exps)
	}
}
