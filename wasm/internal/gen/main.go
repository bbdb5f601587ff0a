// Command gen regenerates the opcode table of package wasm
// (opcodes_consts.go and opcodes_table.go) from a checkout of the
// WebAssembly specification repository (github.com/WebAssembly/spec).
//
// Usage, from the wasm directory:
//
//	go run ./internal/gen -spec /path/to/spec [-out .]
//
// It reads the instruction index document/core/appendix/index-instructions.py
// (opcodes and typing rules) and the LaTeX macros of
// document/core/util/macros.def (mnemonics), and adds what the index
// does not have: the legacy exception-handling instructions, unique
// mnemonics for the opcodes that share one in the text format, the text
// names of the relaxed f64x2 truncations, and the immediate kinds.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// entry is one instruction of the table.
type entry struct {
	name    string
	code    uint32
	typ     string // the typing rule, "[t1*] \to [t2*]"
	tex     string // the LaTeX spelling of the instruction and its immediates
	imm     string
	simple  bool
	params  []string
	results []string
}

func main() {
	spec := flag.String("spec", "", "path of a checkout of github.com/WebAssembly/spec")
	out := flag.String("out", ".", "directory to write opcodes_consts.go and opcodes_table.go to")
	flag.Parse()
	if *spec == "" {
		log.Fatal("gen: -spec is required")
	}
	files, err := generate(*spec)
	if err != nil {
		log.Fatal(err)
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(*out, name), src, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// generate returns the content of the generated files by name, from the
// spec checkout at spec.
func generate(spec string) (map[string][]byte, error) {
	index, err := os.ReadFile(filepath.Join(spec, "document/core/appendix/index-instructions.py"))
	if err != nil {
		return nil, err
	}
	macroDefs, err := os.ReadFile(filepath.Join(spec, "document/core/util/macros.def"))
	if err != nil {
		return nil, err
	}
	entries, err := build(string(index), string(macroDefs))
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for name, src := range map[string][]byte{
		"opcodes_consts.go": emitConsts(entries),
		"opcodes_table.go":  emitTable(entries),
	} {
		formatted, err := format.Source(src)
		if err != nil {
			return nil, fmt.Errorf("gen: %s: %w", name, err)
		}
		files[name] = formatted
	}
	return files, nil
}

var (
	rowRE   = regexp.MustCompile(`Instruction\(([\d.]+), (None|r'[^']*'), r'([^']*)'(?:, r'([^']*)')?`)
	macroRE = regexp.MustCompile(`(?m)^\.\. \|(\w+)\| mathdef:: (.*)$`)
	hexRE   = regexp.MustCompile(`\\hex\{(\w+)\}`)
	nameRE  = regexp.MustCompile(`^\\([A-Za-z0-9]+)`)
	sigRE   = regexp.MustCompile(`^\[(.*)\] \\to \[(.*)\]$`)
)

// build parses the index and returns the table entries in opcode order.
func build(index, macroDefs string) ([]*entry, error) {
	macros := map[string]string{}
	for _, m := range macroRE.FindAllStringSubmatch(macroDefs, -1) {
		macros[m[1]] = m[2]
	}
	var entries []*entry
	for _, row := range rowRE.FindAllStringSubmatch(index, -1) {
		if row[2] == "None" {
			continue // reserved opcode
		}
		tex := row[2][2 : len(row[2])-1]
		name, err := expand(tex, macros)
		if err != nil {
			return nil, err
		}
		code, err := opcode(row[3])
		if err != nil {
			return nil, err
		}
		entries = append(entries, &entry{name: name, code: code, typ: row[4], tex: tex})
	}
	// The legacy exception-handling instructions, which the index omits.
	for _, l := range []struct {
		name string
		code uint32
	}{{"try", 0x06}, {"catch", 0x07}, {"rethrow", 0x09}, {"delegate", 0x18}, {"catch_all", 0x19}} {
		entries = append(entries, &entry{name: l.name, code: l.code})
	}
	for _, e := range entries {
		switch e.code {
		case 0x1C: // typed select: "select" with a result clause in the text format
			e.name = "select_t"
		case 0xFD0103, 0xFD0104: // the text format and the spec tests say _zero
			e.name += "_zero"
		case 0xFB0015: // ref.test with a nullable type
			e.name = "ref.test_null"
		case 0xFB0017: // ref.cast with a nullable type
			e.name = "ref.cast_null"
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].code < entries[j].code })
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.name] {
			return nil, fmt.Errorf("duplicate mnemonic %q", e.name)
		}
		seen[e.name] = true
		e.imm = immKind(e)
		e.simple, e.params, e.results = signature(e)
	}
	return entries, nil
}

// opcode parses "\hex{FD}~~\hex{80}~~\hex{02}" (a prefix and the LEB128
// bytes of a sub-opcode) into an Opcode value.
func opcode(s string) (uint32, error) {
	var bs []uint32
	for _, m := range hexRE.FindAllStringSubmatch(s, -1) {
		b, err := strconv.ParseUint(m[1], 16, 8)
		if err != nil {
			return 0, err
		}
		bs = append(bs, uint32(b))
	}
	switch len(bs) {
	case 0:
		return 0, fmt.Errorf("no opcode in %q", s)
	case 1:
		return bs[0], nil
	}
	sub, shift := uint32(0), 0
	for _, b := range bs[1:] {
		sub |= (b & 0x7F) << shift
		shift += 7
	}
	return bs[0]<<16 | sub, nil
}

// macroText returns the text of a keyword macro: the argument of its
// \K{...}.
func macroText(name string, macros map[string]string) (string, error) {
	d, ok := macros[name]
	if !ok {
		return "", fmt.Errorf("unknown macro \\%s", name)
	}
	i := strings.Index(d, `\K{`)
	if i < 0 {
		return "", fmt.Errorf("macro \\%s has no keyword: %s", name, d)
	}
	s := d[i+3:]
	for strings.Count(s, "}") > strings.Count(s, "{") && strings.HasSuffix(s, "}") {
		s = s[:len(s)-1]
	}
	return s, nil
}

// clean turns LaTeX keyword text into plain text: {.} is a dot, \_ an
// underscore; braces, spaces and \scriptstyle go.
func clean(s string) string {
	s = strings.NewReplacer(`{.}`, ".", `\_`, "_", `\scriptstyle`, "").Replace(s)
	return strings.NewReplacer("{", "", "}", "", " ", "").Replace(s)
}

// expand returns the mnemonic of an instruction's LaTeX spelling: the
// expansion of everything before its first immediate (~).
func expand(tex string, macros map[string]string) (string, error) {
	head, _, _ := strings.Cut(tex, "~")
	var out strings.Builder
	for i := 0; i < len(head); {
		switch {
		case strings.HasPrefix(head[i:], `\K{`):
			j, depth := i+3, 1
			for depth > 0 && j < len(head) {
				switch head[j] {
				case '{':
					depth++
				case '}':
					depth--
				}
				j++
			}
			out.WriteString(clean(head[i+3 : j-1]))
			i = j
		case head[i] == '\\':
			m := nameRE.FindStringSubmatch(head[i:])
			if m == nil {
				return "", fmt.Errorf("bad macro in %q", tex)
			}
			t, err := macroText(m[1], macros)
			if err != nil {
				return "", err
			}
			out.WriteString(clean(t))
			i += len(m[0])
		default:
			out.WriteByte(head[i])
			i++
		}
	}
	return out.String(), nil
}

// immKinds gives the immediate kind of the instructions that do not
// follow from their LaTeX spelling.
var immKinds = map[string]string{
	"block": "BlockType", "loop": "BlockType", "if": "BlockType", "try": "BlockType",
	"br": "Label", "br_if": "Label", "br_on_null": "Label", "br_on_non_null": "Label",
	"rethrow": "Label", "delegate": "Label",
	"br_table": "BrTable", "call": "Func", "return_call": "Func", "ref.func": "Func",
	"call_indirect": "CallIndirect", "return_call_indirect": "CallIndirect",
	"local.get": "Local", "local.set": "Local", "local.tee": "Local",
	"global.get": "Global", "global.set": "Global",
	"table.get": "Table", "table.set": "Table", "table.size": "Table", "table.grow": "Table", "table.fill": "Table",
	"memory.size": "Memory", "memory.grow": "Memory", "memory.fill": "Memory",
	"i32.const": "I32", "i64.const": "I64", "f32.const": "F32", "f64.const": "F64",
	"select_t": "SelectT", "ref.null": "HeapType",
	"memory.init": "MemoryInit", "data.drop": "Data", "memory.copy": "MemoryCopy",
	"table.init": "TableInit", "elem.drop": "Elem", "table.copy": "TableCopy",
	"v128.const": "V128", "i8x16.shuffle": "Shuffle",
	"call_ref": "Type", "return_call_ref": "Type", "struct.new": "Type", "struct.new_default": "Type",
	"array.new": "Type", "array.new_default": "Type", "array.get": "Type", "array.get_s": "Type",
	"array.get_u": "Type", "array.set": "Type", "array.fill": "Type",
	"struct.get": "TypeField", "struct.get_s": "TypeField", "struct.get_u": "TypeField", "struct.set": "TypeField",
	"array.new_fixed": "TypeN", "array.new_data": "TypeData", "array.init_data": "TypeData",
	"array.new_elem": "TypeElem", "array.init_elem": "TypeElem", "array.copy": "TypeType",
	"throw": "Tag", "catch": "Tag", "try_table": "TryTable",
	"ref.test": "RefTest", "ref.test_null": "RefTest", "ref.cast": "RefTest", "ref.cast_null": "RefTest",
	"br_on_cast": "BrOnCast", "br_on_cast_fail": "BrOnCast",
}

func immKind(e *entry) string {
	switch k, ok := immKinds[e.name]; {
	case ok:
		return k
	case strings.Contains(e.tex, `\memarg`) && strings.Contains(e.tex, `\laneidx`):
		return "MemArgLane"
	case strings.Contains(e.tex, `\memarg`):
		return "MemArg"
	case strings.Contains(e.tex, `\laneidx`):
		return "Lane"
	}
	return "None"
}

// sigTypes maps the types of fixed signatures to Go expressions; address
// types (at) are i32.
var sigTypes = map[string]string{
	`\I32`: "I32", `\I64`: "I64", `\F32`: "F32", `\F64`: "F64", `\V128`: "V128",
	`\X{at}`: "I32", `\X{at}_1`: "I32", `\X{at}_2`: "I32", `\EQREF`: "eqRef",
}

// notSimple lists instructions whose typing rule looks fixed but depends
// on more than their operand types.
var notSimple = map[string]bool{
	"nop": true, "unreachable": true, "else": true, "end": true,
	"table.init": true, "table.copy": true, "table.get": true, "table.set": true,
	"table.size": true, "table.grow": true, "table.fill": true,
}

func signature(e *entry) (simple bool, params, results []string) {
	m := sigRE.FindStringSubmatch(e.typ)
	if m == nil || notSimple[e.name] {
		return false, nil, nil
	}
	conv := func(s string) ([]string, bool) {
		out := []string{}
		if s == "" {
			return out, true
		}
		for _, t := range strings.Split(s, "~") {
			g, ok := sigTypes[t]
			if !ok {
				return nil, false
			}
			out = append(out, g)
		}
		return out, true
	}
	params, ok1 := conv(m[1])
	results, ok2 := conv(m[2])
	if !ok1 || !ok2 {
		return false, nil, nil
	}
	return true, params, results
}

// constName applies the naming convention: Op + the mnemonic split at '.'
// and '_' with each part capitalised.
func constName(mnemonic string) string {
	var b strings.Builder
	b.WriteString("Op")
	for _, part := range strings.FieldsFunc(mnemonic, func(r rune) bool { return r == '.' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// header starts both generated files.
const header = "// Code generated by go run ./internal/gen from the WebAssembly specification\n" +
	"// (document/core/appendix/index-instructions.py); DO NOT EDIT.\n" +
	"// opcodes_test.go checks the result against the spec tests.\n\npackage wasm\n\n"

func emitConsts(entries []*entry) []byte {
	var b bytes.Buffer
	b.WriteString(header + "// This file lists the opcode constants.\n\n")
	groups := []struct {
		doc    string
		prefix uint32
	}{
		{"Single-byte opcodes: control, parametric, variable, table, memory, numeric and reference instructions.", 0},
		{"GC opcodes (prefix 0xFB).", 0xFB},
		{"Saturating truncation, bulk memory and table opcodes (prefix 0xFC).", 0xFC},
		{"SIMD opcodes (prefix 0xFD), including relaxed SIMD (0x100-0x113).", 0xFD},
	}
	for _, g := range groups {
		fmt.Fprintf(&b, "// %s\nconst (\n", g.doc)
		for _, e := range entries {
			if e.code>>16 != g.prefix {
				continue
			}
			val := fmt.Sprintf("0x%02X", e.code)
			if e.code >= 0x100 {
				val = fmt.Sprintf("0x%X<<16 | 0x%02X", e.code>>16, e.code&0xFFFF)
			}
			fmt.Fprintf(&b, "\t%s Opcode = %s // %s\n", constName(e.name), val, e.name)
		}
		b.WriteString(")\n\n")
	}
	return b.Bytes()
}

func emitTable(entries []*entry) []byte {
	var b bytes.Buffer
	b.WriteString(header + "// opDefs is the opcode table: one entry per instruction, in opcode order.\n" +
		"var opDefs = [...]opDef{\n")
	for _, e := range entries {
		sig := ", false, nil, nil"
		if e.simple {
			sig = fmt.Sprintf(", true, vt(%s), vt(%s)", strings.Join(e.params, ", "), strings.Join(e.results, ", "))
		}
		fmt.Fprintf(&b, "\t{%s, %q, Imm%s%s},\n", constName(e.name), e.name, e.imm, sig)
	}
	b.WriteString("}\n")
	return b.Bytes()
}
