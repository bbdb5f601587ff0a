package interp

// This file is the contract between the engine and its users (spectest,
// cmd/gowasm, wasi). The signatures here are fixed; the bodies are
// placeholders until the engine lands.

import (
	"context"
	"errors"

	"github.com/gowasm/gowasm/wasm"
)

// Config bounds what guests may use. The zero value means the defaults.
type Config struct {
	// MaxCallDepth bounds nested wasm calls; exceeding it traps with
	// TrapStackExhausted. 0 means the default (DefaultMaxCallDepth).
	MaxCallDepth int
	// MaxMemoryPages caps every memory's size in 64 KiB pages, below the
	// module's declared maximum. 0 means no cap beyond the spec's.
	MaxMemoryPages uint64
	// MaxTableElems caps every table's size. 0 means the default
	// (DefaultMaxTableElems).
	MaxTableElems uint64
}

// Defaults for Config.
const (
	DefaultMaxCallDepth  = 10000
	DefaultMaxTableElems = 10_000_000
)

// Value is one WebAssembly value.
//
// Numbers are held as bits in Lo: i32 zero-extended (uint64(uint32(v))),
// i64 as is, f32 as uint64(math.Float32bits(v)), f64 as
// math.Float64bits(v). A v128 uses Lo (bytes 0-7) and Hi (bytes 8-15).
// References are held in Ref, nil being the null reference: a funcref is
// a *Func, an externref is any non-nil Go value supplied by the host.
type Value struct {
	Type wasm.ValType
	Lo   uint64
	Hi   uint64
	Ref  any
}

// Extern is an entity an instance imports or exports: *Func, *Table,
// *Memory or *Global.
type Extern interface {
	// ExternKind tells which kind of entity this is.
	ExternKind() wasm.ExternKind
}

// Resolver supplies the import named module.name, or nil when there is
// none.
type Resolver func(module, name string) Extern

// HostFunc is a function implemented in Go. args holds the parameters;
// the function returns the results. A returned error aborts the call and
// is returned, wrapped, by the outermost Call (a *Trap stays a trap).
type HostFunc func(ctx context.Context, args []Value) ([]Value, error)

// TrapKind classifies traps.
type TrapKind int

// The trap kinds.
const (
	TrapUnreachable TrapKind = iota + 1
	TrapMemoryOutOfBounds
	TrapTableOutOfBounds
	TrapIndirectCallTypeMismatch
	TrapNullReference
	TrapUninitializedElement
	TrapIntegerDivideByZero
	TrapIntegerOverflow
	TrapInvalidConversion
	TrapStackExhausted
	TrapOutOfFuel
	TrapInterrupted // the context was cancelled or its deadline passed
	TrapHost        // a host function failed
)

// Frame is one entry of a wasm backtrace.
type Frame struct {
	FuncIndex uint32
	FuncName  string // from the name section, or ""
	Offset    int    // byte offset of the instruction in the module, or -1
}

// Trap is the error returned when a guest traps.
type Trap struct {
	Kind      TrapKind
	Backtrace []Frame // innermost first
	Err       error   // the cause, for TrapHost and TrapInterrupted
}

// errNotImplemented is returned by the placeholders.
var errNotImplemented = errors.New("interp: not implemented yet")

// Module is a validated and translated module, ready to instantiate any
// number of times. It is immutable and safe for concurrent use.
type Module struct {
	m *wasm.Module
}

// Compile validates m and translates its functions. m must not be changed
// afterwards.
func Compile(m *wasm.Module) (*Module, error) { return nil, errNotImplemented }

// Source returns the module's abstract syntax.
func (m *Module) Source() *wasm.Module { return m.m }

// Store holds instances and the entities they create. A Store and what it
// holds are not safe for concurrent use.
type Store struct {
	cfg Config
}

// NewStore returns an empty store with the given limits.
func NewStore(cfg Config) *Store { return &Store{cfg: cfg} }

// Instantiate instantiates m in s, resolving its imports with imports
// (which may be nil when m has none). Import type mismatches and missing
// imports are link errors (*LinkError); a trap during initialisation or in
// the start function is returned as *Trap, the effects made before it
// persisting.
func (s *Store) Instantiate(ctx context.Context, m *Module, imports Resolver) (*Instance, error) {
	return nil, errNotImplemented
}

// LinkError reports an import that cannot be satisfied.
type LinkError struct {
	Module, Name string
	Reason       string
}

func (e *LinkError) Error() string {
	return "link error: import " + e.Module + "." + e.Name + ": " + e.Reason
}

// Instance is an instantiated module.
type Instance struct{}

// Export returns the export named name, or nil.
func (i *Instance) Export(name string) Extern { return nil }

// Func is a function: a wasm function of some instance or a host function.
type Func struct{}

// NewHostFunc returns a function of type typ implemented by fn.
func (s *Store) NewHostFunc(typ wasm.FuncType, fn HostFunc) *Func { return &Func{} }

// ExternKind returns wasm.ExternFunc.
func (f *Func) ExternKind() wasm.ExternKind { return wasm.ExternFunc }

// Type returns the function's type.
func (f *Func) Type() *wasm.FuncType { return nil }

// Call calls f with args and returns its results. A trap is returned as
// *Trap.
func (f *Func) Call(ctx context.Context, args ...Value) ([]Value, error) {
	return nil, errNotImplemented
}

// Global is a global variable.
type Global struct{}

// NewGlobal returns a new global of type typ holding v.
func (s *Store) NewGlobal(typ wasm.GlobalType, v Value) *Global { return &Global{} }

// ExternKind returns wasm.ExternGlobal.
func (g *Global) ExternKind() wasm.ExternKind { return wasm.ExternGlobal }

// Type returns the global's type.
func (g *Global) Type() wasm.GlobalType { return wasm.GlobalType{} }

// Get returns the global's value.
func (g *Global) Get() Value { return Value{} }

// Set sets a mutable global's value.
func (g *Global) Set(v Value) error { return errNotImplemented }

// Memory is a linear memory.
type Memory struct{}

// NewMemory returns a new memory of type typ.
func (s *Store) NewMemory(typ wasm.MemoryType) (*Memory, error) { return nil, errNotImplemented }

// ExternKind returns wasm.ExternMemory.
func (m *Memory) ExternKind() wasm.ExternKind { return wasm.ExternMemory }

// Type returns the memory's current type (its minimum being its current
// size in pages).
func (m *Memory) Type() wasm.MemoryType { return wasm.MemoryType{} }

// Bytes returns the memory's contents. The slice is valid until the
// memory grows.
func (m *Memory) Bytes() []byte { return nil }

// Grow grows the memory by delta pages and returns the previous size in
// pages, or false when the memory cannot grow that much.
func (m *Memory) Grow(delta uint64) (uint64, bool) { return 0, false }

// Table is a table of references.
type Table struct{}

// NewTable returns a new table of type typ with every element set to init.
func (s *Store) NewTable(typ wasm.TableType, init Value) (*Table, error) {
	return nil, errNotImplemented
}

// ExternKind returns wasm.ExternTable.
func (t *Table) ExternKind() wasm.ExternKind { return wasm.ExternTable }

// Type returns the table's current type.
func (t *Table) Type() wasm.TableType { return wasm.TableType{} }

// Size returns the number of elements.
func (t *Table) Size() uint64 { return 0 }

// Get returns element i.
func (t *Table) Get(i uint64) (Value, error) { return Value{}, errNotImplemented }

// Set sets element i.
func (t *Table) Set(i uint64, v Value) error { return errNotImplemented }

// Grow grows the table by delta elements set to init and returns the
// previous size, or false when it cannot grow that much.
func (t *Table) Grow(delta uint64, init Value) (uint64, bool) { return 0, false }

// Error returns the trap's message and backtrace.
func (t *Trap) Error() string { return "trap" }

// Unwrap returns the cause of a host or interruption trap.
func (t *Trap) Unwrap() error { return t.Err }
