package interp

import (
	"github.com/gowasm/gowasm/validate"
	"github.com/gowasm/gowasm/wasm"
)

// CompileOptions configure CompileWith.
type CompileOptions struct {
	// Features selects validation rules beyond Wasm 2.0, e.g.
	// wasm.Wasm3. The engine itself runs multiple memories, 64-bit
	// memories, extended constant expressions and tail calls.
	Features wasm.Features
}

// CompileWith is Compile with options: it validates m under the rules
// selected by opt and translates its functions.
func CompileWith(m *wasm.Module, opt CompileOptions) (*Module, error) {
	return compile(m, opt)
}

// validateModule validates m before translation.
func validateModule(m *wasm.Module, opt CompileOptions) error {
	return validate.ModuleOptions(m, validate.Options{Features: opt.Features})
}
