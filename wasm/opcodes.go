package wasm

import "fmt"

// The opcode table (opcodes_consts.go, opcodes_table.go) is generated from
// a checkout of github.com/WebAssembly/spec named by $WASM_SPEC.
//go:generate go run ./internal/gen -spec $WASM_SPEC

// The opcode table covers every instruction of Wasm 2.0 and Wasm 3.0 plus
// the legacy exception-handling instructions (try, catch, catch_all,
// rethrow, delegate).
//
// Mnemonics are the text-format keywords, with three exceptions so that
// every opcode has a unique name: the typed select (0x1C) is named
// "select_t" (its text form is "select" followed by a result clause), and
// the nullable variants of ref.test and ref.cast (0xFB 0x15, 0xFB 0x17) are
// named "ref.test_null" and "ref.cast_null" (their text form is "ref.test"
// or "ref.cast" with a nullable reference type immediate).
//
// Signatures of simple instructions (OpInfo.Simple) use i32 for every
// address operand. For a 64-bit memory the validator substitutes i64 for:
// the first parameter of loads, stores and lane loads/stores; the
// parameter and result of memory.grow and the result of memory.size; the
// first and third parameters of memory.fill; the first parameter of
// memory.init; and for memory.copy the first parameter (destination
// memory), the second (source memory) and the third (the smaller of the
// two address types). data.drop and elem.drop are simple with the empty
// signature.

// opDef is one row of the opcode table.
type opDef struct {
	op      Opcode
	name    string
	imm     ImmKind
	simple  bool
	params  []ValType
	results []ValType
}

// vt builds a value type list for the opcode table.
func vt(ts ...ValType) []ValType {
	if ts == nil {
		return []ValType{}
	}
	return ts
}

// eqRef is (ref null eq), the operand type of ref.eq.
var eqRef = RefType(true, HeapType{Kind: HeapEq})

// Sizes of the lookup arrays, one past the largest sub-opcode of each prefix.
const (
	numFB = 0x1F
	numFC = 0x12
	numFD = 0x114
)

// opTables holds the opcode lookup arrays. It is built once at package
// initialisation and never modified afterwards.
type opTables struct {
	single [256]*OpInfo
	fb     [numFB]*OpInfo
	fc     [numFC]*OpInfo
	fd     [numFD]*OpInfo
	byName map[string]Opcode
	all    []Opcode
}

var tables = buildOpTables()

func buildOpTables() *opTables {
	t := &opTables{byName: make(map[string]Opcode, len(opDefs))}
	infos := make([]OpInfo, len(opDefs))
	for i := range opDefs {
		d := &opDefs[i]
		infos[i] = OpInfo{Name: d.name, Imm: d.imm, Simple: d.simple, Params: d.params, Results: d.results}
		p := &infos[i]
		sub := d.op.Sub()
		switch d.op.Prefix() {
		case 0:
			t.single[sub] = p
		case 0xFB:
			t.fb[sub] = p
		case 0xFC:
			t.fc[sub] = p
		case 0xFD:
			t.fd[sub] = p
		}
		t.byName[d.name] = d.op
		t.all = append(t.all, d.op)
	}
	return t
}

// Info returns the description of the opcode, or nil when op is not a
// known opcode.
func (op Opcode) Info() *OpInfo {
	sub := uint32(op & 0xFFFF)
	switch op >> 16 {
	case 0:
		if sub < 256 {
			return tables.single[sub]
		}
	case 0xFB:
		if sub < numFB {
			return tables.fb[sub]
		}
	case 0xFC:
		if sub < numFC {
			return tables.fc[sub]
		}
	case 0xFD:
		if sub < numFD {
			return tables.fd[sub]
		}
	}
	return nil
}

// String returns the opcode's mnemonic, e.g. "i32.add", or a hexadecimal
// description such as "opcode(0xfd 0x1ff)" for an unknown opcode.
func (op Opcode) String() string {
	if info := op.Info(); info != nil {
		return info.Name
	}
	if op.Prefix() != 0 {
		return fmt.Sprintf("opcode(0x%02x 0x%x)", op.Prefix(), op.Sub())
	}
	return fmt.Sprintf("opcode(0x%02x)", uint32(op))
}

// LookupOpcode returns the opcode whose mnemonic (OpInfo.Name) is mnemonic.
func LookupOpcode(mnemonic string) (Opcode, bool) {
	op, ok := tables.byName[mnemonic]
	return op, ok
}

// Opcodes returns every known opcode in increasing order. The slice is a
// fresh copy that the caller may modify.
func Opcodes() []Opcode {
	return append([]Opcode(nil), tables.all...)
}
