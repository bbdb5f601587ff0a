// Package interp is gowasm's WebAssembly engine and its core embedding
// API: an interpreter that translates each function once into compact
// register-style bytecode and runs it with a dense switch, with no cgo,
// no JIT and no unsafe tricks (see docs/interpreter.md).
//
// # Compiling
//
// CompileBinary turns .wasm bytes into a Module (decode, validate with the
// Wasm 3.0 rules); Compile and CompileWith take an already decoded
// wasm.Module and a wasm.Features set. Validation happens at compile
// time; a function is translated on its first call. A Module is immutable
// and safe to share between goroutines: instantiate it any number of
// times.
//
// # Instantiating and calling
//
// A Store holds instances and their memories, tables and globals, with
// the limits of its Config: memory (pages or bytes), table size, call
// depth and fuel. It is used by one goroutine at a time. Imports come from
// a Resolver, usually a Linker's: host definitions made in Go and the
// exports of other instances. Instance.Export looks up exports by name;
// Func.Call takes a context first and returns an error last. Cancelling
// the context or passing its deadline stops a running guest with
// TrapInterrupted; running out of fuel stops it with TrapOutOfFuel.
//
// # Host functions
//
// Three ways to implement imports in Go, from the most convenient to the
// most general:
//
//   - Func0…Func3 and Proc0…Proc3 wrap typed Go functions
//     (func(ctx, *Caller, int32, float64) (int64, error) and the like):
//     the wasm type comes from the Go types, calls convert raw slots
//     directly, with no reflection and no allocation;
//   - Store.NewRawHostFunc takes a function on raw []uint64 slots;
//   - Store.NewHostFunc takes a function on []Value, which also carries
//     references.
//
// Host functions reach the calling instance's memory through
// Caller.Memory. A host function's error aborts the guest: a *Trap stays a
// trap, any other error becomes a TrapHost trap wrapping it.
//
// # Traps
//
// A guest trap is returned as *Trap: its Kind (unreachable, out-of-bounds
// memory or table access, divide by zero, stack exhausted…) and a wasm
// backtrace with function names from the name section. Nothing panics
// across the API: a panicking host function becomes an error too.
//
// # Values
//
// Value holds one wasm value: numbers as bits (build them with I32, I64,
// F32, F64 or ValueOf), v128 as two halves, references in Ref (a *Func for
// funcref, any Go value for externref, nil for null) where the garbage
// collector sees them.
package interp
