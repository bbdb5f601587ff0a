package wasm

// Features selects between the rules where Wasm 2.0 and Wasm 3.0 disagree
// on what a module may be: an encoding, a text form or a validation rule
// that 2.0 rejects and 3.0 accepts. The zero value is Wasm 2.0; Wasm3
// enables everything. Instructions that exist only in 3.0 (tail calls,
// exceptions, typed references, GC...) need no flag: no 2.0 module can
// contain them, so they are always accepted.
//
// The binary decoder (binary.Options), the text parser (text.Options), the
// validator (validate.Options) and the engine (interp.CompileOptions) take
// the same set.
type Features uint32

// The features.
const (
	// MultiMemory allows more than one memory, and the encodings of
	// memory indices on memory instructions (in 2.0 a reserved zero byte
	// and alignment flags below 64).
	MultiMemory Features = 1 << iota
	// Memory64 allows 64-bit memories and tables; text-format limits and
	// offsets of 32-bit memories beyond 2^32-1 then fail validation
	// rather than parsing.
	Memory64
	// ExtendedConst allows the constant instructions of Wasm 3.0: i32/i64
	// add, sub and mul, and the GC allocations and conversions.
	ExtendedConst
	// GlobalsInConst lets constant expressions read any preceding
	// immutable global, not only imported ones.
	GlobalsInConst
	// FuncRefTypes types ref.func and the function indices of element
	// segments as non-null references to the functions' concrete types
	// (typed function references).
	FuncRefTypes
)

// The feature sets of the specification's versions.
const (
	Wasm2 Features = 0
	Wasm3          = MultiMemory | Memory64 | ExtendedConst | GlobalsInConst | FuncRefTypes
)

// Has reports whether every feature of g is in f.
func (f Features) Has(g Features) bool { return f&g == g }
