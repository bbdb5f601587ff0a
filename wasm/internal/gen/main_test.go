package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestUpToDate checks that the generated files of package wasm are what
// the generator makes from the spec checkout named by $WASM_SPEC.
func TestUpToDate(t *testing.T) {
	spec := os.Getenv("WASM_SPEC")
	if spec == "" {
		t.Skip("set WASM_SPEC to a checkout of github.com/WebAssembly/spec to check the generated opcode table")
	}
	files, err := generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("..", "..", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date: run go generate in the wasm directory", name)
		}
	}
}
