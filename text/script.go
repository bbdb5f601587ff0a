package text

// This file declares the abstract syntax of WAST scripts: the contract
// between the parser and the spec-test runner.

import "github.com/gowasm/gowasm/wasm"

// Pos is a position in a source file.
type Pos struct {
	File string
	Line int // 1-based
	Col  int // 1-based, in bytes
}

// ModuleForm tells how a script module was written.
type ModuleForm int

// The module forms.
const (
	ModuleText   ModuleForm = iota // (module ...) fields in the text format; Module is set
	ModuleBinary                   // (module binary "..."); Binary is set
	ModuleQuote                    // (module quote "..."); Quote is set, to be parsed by the runner
)

// ScriptModule is a module appearing in a script.
type ScriptModule struct {
	Pos    Pos
	ID     string // $name, or ""
	Form   ModuleForm
	Module *wasm.Module // ModuleText
	Binary []byte       // ModuleBinary
	Quote  []byte       // ModuleQuote: the concatenated strings
	// Definition is set for (module definition ...) (Wasm 3.0): compile,
	// do not instantiate.
	Definition bool
}

// ConstKind classifies script constants and result patterns.
type ConstKind int

// The constant and pattern kinds.
const (
	ConstNum           ConstKind = iota // a number or v128 with exact bits (Type, Lo, Hi)
	ConstRefNull                        // (ref.null ht): Type is the reference type
	ConstRefExtern                      // (ref.extern N): Extern is N; as a pattern without N, HasExtern is false
	ConstRefHost                        // (ref.host N) (Wasm 3.0)
	ConstRefFunc                        // pattern (ref.func): any non-null funcref
	ConstRefAny                         // patterns (ref.struct), (ref.array), (ref.i31), (ref.eq), (ref.any): RefKind says which
	ConstNaNCanonical                   // pattern nan:canonical for Type f32/f64
	ConstNaNArithmetic                  // pattern nan:arithmetic for Type f32/f64
	ConstV128Lanes                      // v128 pattern with per-lane patterns in Lanes (Shape says the lane type)
	ConstEither                         // (either p1 p2 ...): Alts
)

// Const is a script constant (an argument) or a result pattern.
type Const struct {
	Kind      ConstKind
	Type      wasm.ValType
	Lo, Hi    uint64 // bits, as in interp.Value
	Extern    uint32
	HasExtern bool
	RefKind   string  // for ConstRefAny: "struct", "array", "i31", "eq", "any"
	Shape     string  // for ConstV128Lanes: "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2"
	Lanes     []Const // for ConstV128Lanes: one pattern per lane (ConstNum of the lane type, or NaN patterns)
	Alts      []Const // for ConstEither
}

// ActionKind is invoke or get.
type ActionKind int

// The action kinds.
const (
	ActionInvoke ActionKind = iota
	ActionGet
)

// Action is (invoke $m? "name" args...) or (get $m? "name").
type Action struct {
	Pos    Pos
	Kind   ActionKind
	Module string // $name of the target module, or "" for the latest
	Name   string
	Args   []Const
}

// CommandKind classifies script commands.
type CommandKind int

// The command kinds.
const (
	CmdModule           CommandKind = iota // Module: define (and, unless a definition, instantiate)
	CmdModuleInstance                      // (module instance $i $m): Instance, Definition
	CmdRegister                            // (register "name" $m?): As, Name
	CmdAction                              // a bare action: Action
	CmdAssertReturn                        // Action, Expected
	CmdAssertTrap                          // Action or Module (instantiation traps), Message
	CmdAssertExhaustion                    // Action, Message
	CmdAssertException                     // Action (Wasm 3.0)
	CmdAssertInvalid                       // Module, Message
	CmdAssertMalformed                     // Module, Message
	CmdAssertUnlinkable                    // Module, Message
)

// Command is one top-level script command.
type Command struct {
	Pos      Pos
	Kind     CommandKind
	Module   *ScriptModule
	Action   *Action
	Expected []Const
	Message  string // the expected failure message of assertions
	As       string // CmdRegister: the name to register under
	Name     string // CmdRegister: the module's $name, or "" for the latest; CmdModuleInstance: the instance's $name
	Def      string // CmdModuleInstance: the definition's $name
}

// Script is a parsed .wast file.
type Script struct {
	File     string
	Commands []Command
}
