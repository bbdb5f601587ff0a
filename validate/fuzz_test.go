package validate

import (
	"testing"

	"github.com/gowasm/gowasm/binary"
)

// FuzzValidate decodes arbitrary bytes and validates the module under the
// Wasm 2.0 and the Wasm 3.0 rules; it must never panic. The seeds are the
// modules of TestModule, encoded.
func FuzzValidate(f *testing.F) {
	for _, tt := range moduleTests() {
		if b, err := binary.Encode(tt.m); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := binary.Decode(b)
		if err != nil {
			return
		}
		err2 := Module(m)
		err3 := ModuleOptions(m, Options{Features: Wasm3})
		for _, err := range []error{err2, err3} {
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("error %T is not a *Error: %v", err, err)
				}
			}
		}
	})
}
