// Package validate implements validation of WebAssembly modules as defined
// by the core specification.
//
// Module applies the Wasm 2.0 rules, with the Wasm 3.0 extensions that do
// not conflict with them: a memory index on every memory instruction,
// 64-bit address types for memories and tables (memory64, table64), typed
// select, tail calls, typed function references, exception handling (tags,
// throw, throw_ref, try_table), garbage collection instructions,
// non-defaultable locals with initialisation tracking, subtyping of
// reference types and iso-recursive type equivalence. ModuleOptions with
// Options{Features: wasm.Wasm3} applies the Wasm 3.0 rules where they differ:
// several memories, extended and GC constant expressions, constant
// expressions reading any preceding immutable global, and precise types
// for ref.func.
//
// Function bodies and constant expressions are kept in the binary format in
// a wasm.Module; the validator walks them instruction by instruction with
// binary.ReadInstrTo (and a fast path for the common one-byte forms),
// using the operand and control stacks of the algorithm in the
// specification's appendix. Stacks are reused across functions, so
// validation does not allocate per instruction.
package validate

import (
	"fmt"

	"github.com/gowasm/gowasm/wasm"
)

// Error is a validation error.
type Error struct {
	// Func is the index of the function, in the function index space
	// (imports first), whose body is invalid, or -1 when the error is not
	// in a function body.
	Func int
	// Offset is the byte offset of the offending instruction: within the
	// module binary when the function's Code.BodyOffset is known (>= 0),
	// else within the body. It is -1 when there is no instruction.
	Offset int
	// Msg describes the problem, starting with the words the
	// specification's tests use, e.g. "type mismatch" or "unknown local".
	Msg string
}

// Error returns e.g.
// "validate: function 3, offset 0x1a2b: type mismatch: expected i32, got f64".
func (e *Error) Error() string {
	switch {
	case e.Func >= 0 && e.Offset >= 0:
		return fmt.Sprintf("validate: function %d, offset 0x%x: %s", e.Func, e.Offset, e.Msg)
	case e.Func >= 0:
		return fmt.Sprintf("validate: function %d: %s", e.Func, e.Msg)
	case e.Offset >= 0:
		return fmt.Sprintf("validate: offset 0x%x: %s", e.Offset, e.Msg)
	}
	return "validate: " + e.Msg
}

// Options configure validation. The zero value validates Wasm 2.0.
type Options struct {
	// Features selects the Wasm 3.0 rules where they differ from 2.0.
	Features wasm.Features
}

// Module validates m under the Wasm 2.0 rules. The returned error, if
// any, is a *Error.
func Module(m *wasm.Module) error {
	return ModuleOptions(m, Options{})
}

// ModuleOptions validates m under the rules selected by opt. The returned
// error, if any, is a *Error.
func ModuleOptions(m *wasm.Module, opt Options) error {
	v := newValidator(m, opt)
	if err := v.module(); err != nil {
		return err
	}
	return nil
}
