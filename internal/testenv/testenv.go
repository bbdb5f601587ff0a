// Package testenv locates the conformance data that tests read from
// beside the repository (../shared by default, or $GOWASM_SHARED).
package testenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Upstream names where the shared data comes from, for skip messages.
const Upstream = "see README.md, section \"Test data\", for the upstream repositories and commits " +
	"(WebAssembly/testsuite, WebAssembly/wasi-testsuite, WebAssembly/component-model, WebAssembly/WASI)"

// SharedDir returns the directory of the shared test data: $GOWASM_SHARED,
// or ../shared beside the repository root. It returns "" when there is
// none.
func SharedDir() string {
	if d := os.Getenv("GOWASM_SHARED"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			strings.HasPrefix(string(b), "module github.com/gowasm/gowasm\n") {
			d := filepath.Join(filepath.Dir(dir), "shared")
			if _, err := os.Stat(d); err != nil {
				return ""
			}
			return d
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Require returns the path of sub inside the shared data. When it is
// missing the test is skipped with a message saying how to get it, or
// fails when $CI is "true".
func Require(t testing.TB, sub string) string {
	t.Helper()
	root := SharedDir()
	p := filepath.Join(root, sub)
	if root == "" {
		p = ""
	} else if _, err := os.Stat(p); err != nil {
		p = ""
	}
	if p == "" {
		msg := "shared test data " + sub + " not found (set GOWASM_SHARED or place it at ../shared); " + Upstream
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}
