package interp

// This file is the contract between the engine and its users (spectest,
// cmd/gowasm, wasi). The signatures here are fixed.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

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
	// MaxMemoryBytes caps every memory's size in bytes, rounded down to
	// whole pages (at least one). With MaxMemoryPages also set, the
	// smaller cap applies. 0 means no cap.
	MaxMemoryBytes uint64
	// MaxTableElems caps every table's size. 0 means the default
	// (DefaultMaxTableElems).
	MaxTableElems uint64
	// MaxArrayElems caps the length of every GC array: array.new and its
	// variants trap with TrapAllocationTooLarge beyond it, as they do
	// when the array's bytes (8 per numeric element, 16 per v128 or
	// reference element) would exceed MaxMemoryBytes. 0 means the
	// default of 2^24 elements.
	MaxArrayElems uint64
	// Fuel, when non-zero, meters the guest: one unit is consumed by
	// every call and every loop iteration (backward branch), and a guest
	// that runs out traps with TrapOutOfFuel. Store.SetFuel refuels.
	// 0 means no metering.
	Fuel uint64
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
	// TrapArrayOutOfBounds: a GC array access or bulk operation out of
	// the array's bounds.
	TrapArrayOutOfBounds
	// TrapCastFailure: ref.cast of a reference not of the target type.
	TrapCastFailure
	// TrapAllocationTooLarge: a GC array longer than the store allows
	// (Config.MaxArrayElems, Config.MaxMemoryBytes).
	TrapAllocationTooLarge
)

// String returns the trap kind's message, as the specification's test
// suite spells it.
func (k TrapKind) String() string {
	switch k {
	case TrapUnreachable:
		return "unreachable"
	case TrapMemoryOutOfBounds:
		return "out of bounds memory access"
	case TrapTableOutOfBounds:
		return "out of bounds table access"
	case TrapIndirectCallTypeMismatch:
		return "indirect call type mismatch"
	case TrapNullReference:
		return "null reference"
	case TrapUninitializedElement:
		return "uninitialized element"
	case TrapIntegerDivideByZero:
		return "integer divide by zero"
	case TrapIntegerOverflow:
		return "integer overflow"
	case TrapInvalidConversion:
		return "invalid conversion to integer"
	case TrapStackExhausted:
		return "call stack exhausted"
	case TrapOutOfFuel:
		return "out of fuel"
	case TrapInterrupted:
		return "interrupted"
	case TrapHost:
		return "host function failed"
	case TrapArrayOutOfBounds:
		return "out of bounds array access"
	case TrapCastFailure:
		return "cast failure"
	case TrapAllocationTooLarge:
		return "allocation too large"
	}
	return fmt.Sprintf("trap(%d)", int(k))
}

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
	// msg overrides Kind's message (e.g. "undefined element" for a
	// call_indirect past the end of its table).
	msg string
}

// Message returns the trap's one-line message, without the backtrace,
// e.g. "integer divide by zero" or "undefined element".
func (t *Trap) Message() string {
	m := t.msg
	if m == "" {
		m = t.Kind.String()
	}
	if t.Err != nil && (t.Kind == TrapHost || t.Kind == TrapInterrupted) {
		m += ": " + t.Err.Error()
	}
	return m
}

// Module is a validated and translated module, ready to instantiate any
// number of times. It is immutable and safe for concurrent use.
type Module struct {
	m *wasm.Module
	// funcTypes is the type of every function of the index space.
	funcTypes []*wasm.FuncType
	nImpFuncs int
	// codes holds the translated defined functions, filled in on first
	// call (see lazy.go).
	codes []atomic.Pointer[code]
	// lazy translates the functions not translated yet.
	lazy lazyTranslator
	// wasm2 is set when the module was compiled under the Wasm 2.0 rules,
	// where every defined type is a final function type.
	wasm2 bool
}

// Compile validates m and translates its functions. m must not be changed
// afterwards.
func Compile(m *wasm.Module) (*Module, error) { return compile(m, CompileOptions{}) }

// Source returns the module's abstract syntax.
func (m *Module) Source() *wasm.Module { return m.m }

// Store holds instances and the entities they create. A Store and what it
// holds are not safe for concurrent use.
type Store struct {
	cfg Config
	// fuel is what remains of the guest's fuel when metered is set.
	fuel    uint64
	metered bool
	// free holds idle execution stacks for reuse.
	free []*exec
	// active is the execution stack in use while wasm runs; host
	// functions calling back into wasm continue on it.
	active *exec
	// types canonicalises the defined types of the modules instantiated
	// in the store (types.go).
	types typeRegistry
}

// NewStore returns an empty store with the given limits.
func NewStore(cfg Config) *Store {
	if cfg.MaxCallDepth <= 0 {
		cfg.MaxCallDepth = DefaultMaxCallDepth
	}
	if cfg.MaxTableElems == 0 {
		cfg.MaxTableElems = DefaultMaxTableElems
	}
	if cfg.MaxMemoryBytes > 0 {
		p := max(cfg.MaxMemoryBytes/pageSize, 1)
		if cfg.MaxMemoryPages == 0 || p < cfg.MaxMemoryPages {
			cfg.MaxMemoryPages = p
		}
	}
	return &Store{cfg: cfg, fuel: cfg.Fuel, metered: cfg.Fuel > 0}
}

// Instantiate instantiates m in s, resolving its imports with imports
// (which may be nil when m has none). Import type mismatches and missing
// imports are link errors (*LinkError); a trap during initialisation or in
// the start function is returned as *Trap, the effects made before it
// persisting.
func (s *Store) Instantiate(ctx context.Context, m *Module, imports Resolver) (*Instance, error) {
	return s.instantiate(ctx, m, imports)
}

// LinkError reports an import that cannot be satisfied.
type LinkError struct {
	Module, Name string
	Reason       string
}

// Error returns "link error: import MODULE.NAME: REASON".
func (e *LinkError) Error() string {
	return "link error: import " + e.Module + "." + e.Name + ": " + e.Reason
}

// Instance is an instantiated module.
type Instance struct {
	store   *Store
	mod     *Module
	funcs   []*Func
	tables  []*Table
	mems    []*Memory
	globals []*Global
	tags    []*Tag
	// mem0 is memory 0, or an empty placeholder, so the engine never
	// checks for nil.
	mem0    *Memory
	datas   [][]byte // nil once dropped; the whole table nil when all are
	elems   [][]any  // nil once dropped
	exports map[string]Extern
	// types are the canonical identities of the module's types in the
	// store, by type index.
	types []*rtt
}

// Export returns the export named name, or nil.
func (i *Instance) Export(name string) Extern {
	if i == nil {
		return nil
	}
	e, ok := i.exports[name]
	if !ok {
		return nil
	}
	return e
}

// Func is a function: a wasm function of some instance or a host function.
type Func struct {
	typ   *wasm.FuncType
	host  HostFunc
	raw   RawHostFunc
	inst  *Instance // nil for host functions
	code  *code     // nil for host functions, and until first called for wasm functions
	idx   uint32    // a wasm function's index among the module's defined functions
	store *Store
	rt    *rtt // the canonical identity of the function's type
}

// NewHostFunc returns a function of type typ implemented by fn.
func (s *Store) NewHostFunc(typ wasm.FuncType, fn HostFunc) *Func {
	t := typ
	return &Func{typ: &t, host: fn, store: s, rt: s.hostFuncType(&t)}
}

// ExternKind returns wasm.ExternFunc.
func (f *Func) ExternKind() wasm.ExternKind { return wasm.ExternFunc }

// Type returns the function's type.
func (f *Func) Type() *wasm.FuncType { return f.typ }

// Call calls f with args and returns its results. A trap is returned as
// *Trap.
func (f *Func) Call(ctx context.Context, args ...Value) ([]Value, error) {
	return f.call(ctx, args)
}

// Global is a global variable.
type Global struct {
	typ wasm.GlobalType
	lo  uint64
	hi  uint64
	ref any
	ctx []*rtt // resolves the type indices in typ (nil for host globals)
}

// NewGlobal returns a new global of type typ holding v.
func (s *Store) NewGlobal(typ wasm.GlobalType, v Value) *Global {
	g := &Global{typ: typ}
	g.lo, g.hi, g.ref = v.Lo, v.Hi, normRef(v.Ref)
	if typ.Type.Kind == wasm.KindI32 || typ.Type.Kind == wasm.KindF32 {
		g.lo = uint64(uint32(g.lo))
	}
	return g
}

// ExternKind returns wasm.ExternGlobal.
func (g *Global) ExternKind() wasm.ExternKind { return wasm.ExternGlobal }

// Type returns the global's type.
func (g *Global) Type() wasm.GlobalType { return g.typ }

// Get returns the global's value.
func (g *Global) Get() Value { return Value{Type: g.typ.Type, Lo: g.lo, Hi: g.hi, Ref: g.ref} }

// Set sets a mutable global's value.
func (g *Global) Set(v Value) error {
	if !g.typ.Mutable {
		return errors.New("interp: global is immutable")
	}
	if v.Type != g.typ.Type && v.Type.Kind != 0 {
		return fmt.Errorf("interp: global of type %v set to a value of type %v", g.typ.Type, v.Type)
	}
	g.lo, g.hi, g.ref = v.Lo, v.Hi, normRef(v.Ref)
	if g.typ.Type.Kind == wasm.KindI32 || g.typ.Type.Kind == wasm.KindF32 {
		g.lo = uint64(uint32(g.lo))
	}
	return nil
}

// Memory is a linear memory.
type Memory struct {
	typ wasm.MemoryType
	buf []byte
	// max is the effective maximum in pages (declared maximum, spec limit
	// and Config.MaxMemoryPages).
	max uint64
}

const pageSize = 65536

// NewMemory returns a new memory of type typ.
func (s *Store) NewMemory(typ wasm.MemoryType) (*Memory, error) { return s.newMemory(typ) }

// ExternKind returns wasm.ExternMemory.
func (m *Memory) ExternKind() wasm.ExternKind { return wasm.ExternMemory }

// Type returns the memory's current type (its minimum being its current
// size in pages).
func (m *Memory) Type() wasm.MemoryType {
	t := m.typ
	t.Min = uint64(len(m.buf)) / pageSize
	return t
}

// Bytes returns the memory's contents. The slice is valid until the
// memory grows.
func (m *Memory) Bytes() []byte { return m.buf[:len(m.buf):len(m.buf)] }

// Grow grows the memory by delta pages and returns the previous size in
// pages, or false when the memory cannot grow that much.
func (m *Memory) Grow(delta uint64) (uint64, bool) { return m.grow(delta) }

// Table is a table of references.
type Table struct {
	typ   wasm.TableType
	elems []any
	max   uint64
	ctx   []*rtt // resolves the type indices in typ (nil for host tables)
}

// NewTable returns a new table of type typ with every element set to init.
func (s *Store) NewTable(typ wasm.TableType, init Value) (*Table, error) {
	return s.newTable(typ, normRef(init.Ref))
}

// ExternKind returns wasm.ExternTable.
func (t *Table) ExternKind() wasm.ExternKind { return wasm.ExternTable }

// Type returns the table's current type.
func (t *Table) Type() wasm.TableType {
	ty := t.typ
	ty.Min = uint64(len(t.elems))
	return ty
}

// Size returns the number of elements.
func (t *Table) Size() uint64 { return uint64(len(t.elems)) }

// Get returns element i.
func (t *Table) Get(i uint64) (Value, error) {
	if i >= uint64(len(t.elems)) {
		return Value{}, &Trap{Kind: TrapTableOutOfBounds}
	}
	return Value{Type: t.typ.Elem, Ref: t.elems[i]}, nil
}

// Set sets element i.
func (t *Table) Set(i uint64, v Value) error {
	if i >= uint64(len(t.elems)) {
		return &Trap{Kind: TrapTableOutOfBounds}
	}
	t.elems[i] = normRef(v.Ref)
	return nil
}

// Grow grows the table by delta elements set to init and returns the
// previous size, or false when it cannot grow that much.
func (t *Table) Grow(delta uint64, init Value) (uint64, bool) {
	return t.grow(delta, normRef(init.Ref))
}

// Error returns the trap's message and backtrace.
func (t *Trap) Error() string {
	var b strings.Builder
	b.WriteString("wasm trap: ")
	b.WriteString(t.Message())
	if len(t.Backtrace) > 0 {
		b.WriteString("\nwasm backtrace:")
		// Deep recursion makes thousands of frames: show both ends.
		const head, tail = 40, 10
		n := len(t.Backtrace)
		for i, f := range t.Backtrace {
			if n > head+tail && i >= head && i < n-tail {
				if i == head {
					fmt.Fprintf(&b, "\n  ... %d frames omitted ...", n-head-tail)
				}
				continue
			}
			fmt.Fprintf(&b, "\n  %d: func[%d]", i, f.FuncIndex)
			if f.FuncName != "" {
				b.WriteString(" " + f.FuncName)
			}
			if f.Offset >= 0 {
				fmt.Fprintf(&b, " @0x%x", f.Offset)
			}
		}
	}
	return b.String()
}

// Unwrap returns the cause of a host or interruption trap.
func (t *Trap) Unwrap() error { return t.Err }

// normRef turns typed nil pointers into the untyped nil that stands for
// the null reference.
func normRef(r any) any {
	if f, ok := r.(*Func); ok && f == nil {
		return nil
	}
	return r
}
