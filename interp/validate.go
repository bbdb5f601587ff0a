package interp

import (
	"github.com/gowasm/gowasm/validate"
	"github.com/gowasm/gowasm/wasm"
)

// validateModule validates m before translation.
func validateModule(m *wasm.Module) error { return validate.Module(m) }
