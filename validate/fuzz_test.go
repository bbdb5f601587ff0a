package validate

import (
	"github.com/gowasm/gowasm/wasm"
	"os"
	"path/filepath"
	"testing"

	"github.com/gowasm/gowasm/binary"
)

// FuzzValidate decodes arbitrary bytes and validates the module under the
// Wasm 2.0 and the Wasm 3.0 rules; it must never panic. The seeds are the
// modules of TestModule and TestWasm3, encoded.
func FuzzValidate(f *testing.F) {
	for _, tt := range moduleTests() {
		if b, err := binary.Encode(tt.m); err == nil {
			f.Add(b)
		}
	}
	for _, tt := range wasm3Tests() {
		if b, err := binary.Encode(tt.m); err == nil {
			f.Add(b)
		}
	}
	// More seeds, e.g. wast2json output, from a directory of .wasm files.
	if dir := os.Getenv("GOWASM_FUZZ_SEEDS"); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*.wasm"))
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil && len(b) < 1<<16 {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := binary.Decode(b)
		if err != nil {
			return
		}
		err2 := Module(m)
		err3 := ModuleOptions(m, Options{Features: wasm.Wasm3})
		// The fast decoding path must not change the outcome.
		slow := newValidator(m, Options{})
		slow.noQuick = true
		if errSlow := slow.module(); (errSlow == nil) != (err2 == nil) ||
			errSlow != nil && errSlow.Error() != err2.Error() {
			t.Fatalf("fast path: %v, slow path: %v", err2, errSlow)
		}
		for _, err := range []error{err2, err3} {
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("error %T is not a *Error: %v", err, err)
				}
			}
		}
	})
}
