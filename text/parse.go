// Package text implements the WebAssembly text format: a parser for
// modules (.wat) and scripts (.wast) producing the abstract syntax of
// package wasm, and a printer.
package text

import (
	"fmt"
	"math/bits"
	"strings"
	"unicode/utf8"

	wbin "github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/wasm"
)

// maxDepth bounds the nesting of blocks and folded instructions.
const maxDepth = 10000

// bailout carries a syntax error up the parser's call stack.
type bailout struct{ err *Error }

// parser is a recursive descent parser over a token slice.
type parser struct {
	*source
	toks []token
	i    int
	opt  Options
}

// Options selects version-dependent parsing rules.
type Options struct {
	// Features selects the Wasm 3.0 rules where they differ from 2.0.
	// With wasm.Memory64, the limits of 32-bit memories and tables and
	// the offsets of their memory accesses are u64 literals (out-of-range
	// values are left to validation) instead of u32 ones (out-of-range
	// values are malformed, as in Wasm 2.0).
	Features wasm.Features
}

func newParser(src []byte, file string, opt Options) (*parser, error) {
	s := &source{file: file, src: src}
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	return &parser{source: s, toks: toks, opt: opt}, nil
}

// catch converts a bailout into an error. Any other panic is a bug of the
// parser: it is reported as an "internal error" rather than crashing the
// caller (the fuzz tests look for such errors).
func (p *parser) catch(err *error) {
	if r := recover(); r != nil {
		if b, ok := r.(bailout); ok {
			*err = b.err
			return
		}
		*err = &Error{Pos: p.pos(int(p.peek().pos)), Msg: fmt.Sprintf("internal error: %v", r)}
	}
}

func (p *parser) failAt(t *token, format string, args ...any) {
	panic(bailout{p.errorf(int(t.pos), format, args...)})
}

func (p *parser) fail(format string, args ...any) {
	p.failAt(&p.toks[p.i], format, args...)
}

func (p *parser) peek() *token { return &p.toks[p.i] }

func (p *parser) peekN(n int) *token {
	if p.i+n < len(p.toks) {
		return &p.toks[p.i+n]
	}
	return &p.toks[len(p.toks)-1]
}

func (p *parser) next() *token {
	t := &p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// unexpected fails with "unexpected token" at the current token.
func (p *parser) unexpected() {
	t := p.peek()
	switch t.kind {
	case tokEOF:
		p.fail("unexpected end of input")
	case tokReserved:
		p.fail("unknown operator %q", t.text)
	case tokKeyword, tokNum:
		p.fail("unexpected token %q", t.text)
	case tokID:
		p.fail("unexpected token $%s", t.text)
	}
	p.fail("unexpected token %s", t.kind)
}

func (p *parser) expectLParen() {
	if p.peek().kind != tokLParen {
		p.unexpected()
	}
	p.i++
}

func (p *parser) expectRParen() {
	if p.peek().kind != tokRParen {
		p.unexpected()
	}
	p.i++
}

func (p *parser) expectKeyword(kw string) {
	t := p.peek()
	if t.kind != tokKeyword || t.text != kw {
		p.unexpected()
	}
	p.i++
}

// isKeyword reports whether the current token is the keyword kw.
func (p *parser) isKeyword(kw string) bool {
	t := p.peek()
	return t.kind == tokKeyword && t.text == kw
}

// isOpen reports whether the next tokens are '(' kw.
func (p *parser) isOpen(kw string) bool {
	t := p.peek()
	if t.kind != tokLParen {
		return false
	}
	u := p.peekN(1)
	return u.kind == tokKeyword && u.text == kw
}

// openKeyword returns the keyword after '(' at the current token, or "".
func (p *parser) openKeyword() string {
	if p.peek().kind != tokLParen {
		return ""
	}
	if u := p.peekN(1); u.kind == tokKeyword {
		return u.text
	}
	return ""
}

// skipBalanced skips from a '(' to after its matching ')'.
func (p *parser) skipBalanced() {
	depth := 0
	for {
		t := p.next()
		switch t.kind {
		case tokLParen:
			depth++
		case tokRParen:
			depth--
			if depth == 0 {
				return
			}
		case tokEOF:
			p.failAt(t, "unexpected end of input")
		}
		if depth == 0 {
			return
		}
	}
}

// optID consumes an identifier if present and returns it ("" if none).
func (p *parser) optID() string {
	if t := p.peek(); t.kind == tokID {
		p.i++
		return t.text
	}
	return ""
}

// str consumes a string token and returns its bytes.
func (p *parser) str() string {
	t := p.peek()
	if t.kind != tokString {
		p.unexpected()
	}
	p.i++
	return t.text
}

// name consumes a string that must be valid UTF-8.
func (p *parser) name() string {
	t := p.peek()
	b := p.str()
	if !utf8.ValidString(b) {
		p.failAt(t, "malformed UTF-8 encoding")
	}
	return b
}

// strings consumes a possibly empty sequence of strings and concatenates
// them.
func (p *parser) strings() []byte {
	var out []byte
	for p.peek().kind == tokString {
		out = append(out, p.next().text...)
	}
	if out == nil {
		out = []byte{}
	}
	return out
}

func (p *parser) numErr(t *token, err error) {
	if err == errOutOfRange {
		p.failAt(t, "constant out of range")
	}
	if strings.HasSuffix(t.text, "nan:canonical") || strings.HasSuffix(t.text, "nan:arithmetic") {
		p.failAt(t, "unexpected token %q", t.text)
	}
	switch t.kind {
	case tokNum, tokKeyword, tokReserved:
		// As in the reference interpreter, a malformed number is an
		// unknown token.
		p.failAt(t, "unknown operator %q (malformed number)", t.text)
	}
	p.failAt(t, "unexpected token %s", t.kind)
}

// u32 consumes a u32 number.
func (p *parser) u32() uint32 { return natToken(p, parseU32) }

// u64 consumes a u64 number.
func (p *parser) u64() uint64 { return natToken(p, parseU64) }

// natToken consumes a number token and converts it with parse, failing
// on other tokens and on numbers parse rejects.
func natToken[T uint32 | uint64](p *parser, parse func(string) (T, error)) T {
	t := p.peek()
	if t.kind != tokNum {
		p.unexpected()
	}
	v, err := parse(t.text)
	if err != nil {
		p.numErr(t, err)
	}
	p.i++
	return v
}

// isNat reports whether the current token is an unsigned integer.
func (p *parser) isNat() bool {
	t := p.peek()
	if t.kind != tokNum || t.text[0] == '+' || t.text[0] == '-' {
		return false
	}
	_, err := parseNat(t.text)
	return err != errSyntax
}

// ParseModule parses a text module: a single (module ...) form or a
// sequence of bare module fields. It applies the Wasm 2.0 rules (see
// Options).
func ParseModule(src []byte, file string) (m *wasm.Module, err error) {
	return ParseModuleOptions(src, file, Options{})
}

// ParseModuleOptions is ParseModule with options.
func ParseModuleOptions(src []byte, file string, opt Options) (m *wasm.Module, err error) {
	p, err := newParser(src, file, opt)
	if err != nil {
		return nil, err
	}
	defer p.catch(&err)
	return p.moduleFile(false), nil
}

// ParseQuote parses the text of a (module quote ...) form: the
// concatenated strings, which hold either a (module ...) form or module
// fields, possibly preceded by a module $id. It applies the Wasm 2.0
// rules (see Options).
func ParseQuote(src []byte, file string) (m *wasm.Module, err error) {
	return ParseQuoteOptions(src, file, Options{})
}

// ParseQuoteOptions is ParseQuote with options.
func ParseQuoteOptions(src []byte, file string, opt Options) (m *wasm.Module, err error) {
	p, err := newParser(src, file, opt)
	if err != nil {
		return nil, err
	}
	defer p.catch(&err)
	return p.moduleFile(true), nil
}

func (p *parser) moduleFile(allowID bool) *wasm.Module {
	if p.isOpen("module") {
		p.i += 2
		id := p.optID()
		m := p.moduleFields()
		m.ID = id
		p.setModuleName(m)
		p.expectRParen()
		if p.peek().kind != tokEOF {
			p.unexpected()
		}
		return m
	}
	id := ""
	if allowID {
		id = p.optID()
	}
	m := p.moduleFields()
	m.ID = id
	p.setModuleName(m)
	if p.peek().kind != tokEOF {
		p.unexpected()
	}
	return m
}

func (p *parser) setModuleName(m *wasm.Module) {
	if m.ID == "" {
		return
	}
	if m.Names == nil {
		m.Names = &wasm.Names{}
	}
	m.Names.Module = m.ID
}

// nameSpace maps identifiers of one index space to indices.
type nameSpace struct {
	what  string // "func", "type"...
	names map[string]uint32
	n     uint32
}

func (ns *nameSpace) add(p *parser, t *token, id string) uint32 {
	idx := ns.n
	ns.n++
	if id != "" {
		if ns.names == nil {
			ns.names = make(map[string]uint32)
		}
		if _, dup := ns.names[id]; dup {
			p.failAt(t, "duplicate %s $%s", ns.what, id)
		}
		ns.names[id] = idx
	}
	return idx
}

// idx consumes an index of the space: a u32 or a bound identifier.
func (p *parser) idx(ns *nameSpace) uint32 {
	t := p.peek()
	switch t.kind {
	case tokNum:
		return p.u32()
	case tokID:
		p.i++
		if v, ok := ns.names[t.text]; ok {
			return v
		}
		p.failAt(t, "unknown %s $%s", ns.what, t.text)
	}
	p.unexpected()
	return 0
}

// isIdx reports whether the current token can start an index.
func (p *parser) isIdx() bool {
	t := p.peek()
	return t.kind == tokID || t.kind == tokNum && p.isNat()
}

// field kinds of pass 1.
const (
	fkType = iota
	fkRec
	fkImport
	fkFunc
	fkTable
	fkMemory
	fkGlobal
	fkTag
	fkExport
	fkStart
	fkElem
	fkData
)

var fieldKinds = map[string]int{
	"type": fkType, "rec": fkRec, "import": fkImport, "func": fkFunc,
	"table": fkTable, "memory": fkMemory, "global": fkGlobal, "tag": fkTag,
	"export": fkExport, "start": fkStart, "elem": fkElem, "data": fkData,
}

// modParser holds the state of parsing one module.
type modParser struct {
	p *parser
	m *wasm.Module

	types, funcs, tables, mems, globals, elems, datas, tags nameSpace
	// fields of structs, per type index (GC).
	fieldNames map[uint32]map[string]uint32

	mem64   []bool // per memory: address type is i64
	table64 []bool

	nfuncs  uint32 // functions seen in pass 2
	ntables uint32
	nmems   uint32
	nglobs  uint32
	ntags   uint32

	usesData bool

	// funcTypeIdx maps funcTypeKey of the function types usable by type
	// uses to their first index.
	funcTypeIdx map[string]uint32

	funcNames  map[uint32]string
	localNames map[uint32]map[uint32]string
}

// moduleFields parses module fields up to ')' or EOF.
func (p *parser) moduleFields() *wasm.Module {
	mp := &modParser{
		p: p, m: &wasm.Module{},
		types: nameSpace{what: "type"}, funcs: nameSpace{what: "func"},
		tables: nameSpace{what: "table"}, mems: nameSpace{what: "memory"},
		globals: nameSpace{what: "global"}, elems: nameSpace{what: "elem"},
		datas: nameSpace{what: "data"}, tags: nameSpace{what: "tag"},
	}
	fields := mp.pass1()
	end := p.i
	// Pass 2a: explicit types.
	for _, f := range fields {
		if f.kind == fkType || f.kind == fkRec {
			p.i = f.tok
			mp.typeField(f.kind == fkRec)
		}
	}
	// Pass 2b: everything else, in textual order.
	for _, f := range fields {
		p.i = f.tok
		switch f.kind {
		case fkImport:
			mp.importField()
		case fkFunc:
			mp.funcField()
		case fkTable:
			mp.tableField()
		case fkMemory:
			mp.memoryField()
		case fkGlobal:
			mp.globalField()
		case fkTag:
			mp.tagField()
		case fkExport:
			mp.exportField()
		case fkStart:
			mp.startField()
		case fkElem:
			mp.elemField()
		case fkData:
			mp.dataField()
		}
	}
	p.i = end
	m := mp.m
	if mp.usesData || len(m.Data) > 0 {
		m.HasDataCnt = true
		m.DataCount = uint32(len(m.Data))
	}
	if len(mp.funcNames) > 0 || len(mp.localNames) > 0 {
		m.Names = &wasm.Names{Funcs: mp.funcNames, Locals: mp.localNames}
	}
	return m
}

type fieldRef struct {
	kind int
	tok  int
}

// pass1 scans the module fields, binding identifiers of all index spaces
// and checking that imports precede definitions. It leaves p at the ')'
// or EOF that ends the fields.
func (mp *modParser) pass1() []fieldRef {
	p := mp.p
	var fields []fieldRef
	defined := "" // the first kind of definition seen
	checkImport := func(t *token) {
		if defined != "" {
			p.failAt(t, "import after %s definition", defined)
		}
	}
	define := func(what string) {
		if defined == "" {
			defined = what
		}
	}
	for p.peek().kind == tokLParen {
		start := p.i
		kwTok := p.peekN(1)
		kind, ok := fieldKinds[kwTok.text]
		if kwTok.kind != tokKeyword || !ok {
			p.i++
			p.unexpected()
		}
		fields = append(fields, fieldRef{kind, start})
		p.i += 2
		switch kind {
		case fkType:
			mp.types.add(p, p.peek(), p.optID())
		case fkRec:
			for p.isOpen("type") {
				s := p.i
				p.i += 2
				mp.types.add(p, p.peek(), p.optID())
				p.i = s
				p.skipBalanced()
			}
		case fkImport:
			checkImport(kwTok)
			if p.peek().kind == tokString && p.peekN(1).kind == tokString {
				p.i += 2
				if p.peek().kind == tokLParen && p.peekN(1).kind == tokKeyword {
					what := p.peekN(1).text
					p.i += 2
					idTok := p.peek()
					id := p.optID()
					switch what {
					case "func":
						mp.funcs.add(p, idTok, id)
					case "table":
						mp.tables.add(p, idTok, id)
						mp.table64 = append(mp.table64, p.isKeyword("i64"))
					case "memory":
						mp.mems.add(p, idTok, id)
						mp.mem64 = append(mp.mem64, p.isKeyword("i64"))
					case "global":
						mp.globals.add(p, idTok, id)
					case "tag":
						mp.tags.add(p, idTok, id)
					}
				}
			}
		case fkFunc, fkTable, fkMemory, fkGlobal, fkTag:
			idTok := p.peek()
			id := p.optID()
			for p.isOpen("export") {
				p.skipBalanced()
			}
			imported := p.isOpen("import")
			if imported {
				checkImport(p.peekN(1))
				p.skipBalanced()
			}
			switch kind {
			case fkFunc:
				mp.funcs.add(p, idTok, id)
				if !imported {
					define("function")
				}
			case fkTable:
				mp.tables.add(p, idTok, id)
				is64 := p.isKeyword("i64")
				mp.table64 = append(mp.table64, is64)
				if !imported {
					define("table")
					if is64 {
						p.i++
					}
					// table abbreviation with inline elements: reftype (elem ...)
					if p.peek().kind == tokKeyword {
						p.i++
					} else if p.isOpen("ref") {
						p.skipBalanced()
					}
					if p.isOpen("elem") {
						mp.elems.add(p, idTok, "")
					}
				}
			case fkMemory:
				mp.mems.add(p, idTok, id)
				is64 := p.isKeyword("i64")
				mp.mem64 = append(mp.mem64, is64)
				if !imported {
					define("memory")
					if is64 {
						p.i++
					}
					if p.isOpen("pagesize") {
						p.skipBalanced()
					}
					if p.isOpen("data") {
						mp.datas.add(p, idTok, "")
					}
				}
			case fkGlobal:
				mp.globals.add(p, idTok, id)
				if !imported {
					define("global")
				}
			case fkTag:
				mp.tags.add(p, idTok, id)
				if !imported {
					define("tag")
				}
			}
		case fkElem:
			mp.elems.add(p, p.peek(), p.optID())
		case fkData:
			mp.datas.add(p, p.peek(), p.optID())
		}
		p.i = start
		p.skipBalanced()
	}
	if t := p.peek(); t.kind != tokRParen && t.kind != tokEOF {
		p.unexpected()
	}
	return fields
}

// ---- types ----

func (mp *modParser) typeField(rec bool) {
	p := mp.p
	p.i += 2
	first := uint32(len(mp.m.Types))
	if !rec {
		mp.typeDef()
		p.expectRParen()
		mp.m.RecGroups = append(mp.m.RecGroups, wasm.RecGroup{First: first, Count: 1})
		return
	}
	for p.isOpen("type") {
		p.i += 2
		mp.typeDef()
		p.expectRParen()
	}
	p.expectRParen()
	mp.m.RecGroups = append(mp.m.RecGroups, wasm.RecGroup{First: first, Count: uint32(len(mp.m.Types)) - first})
}

// typeDef parses $id? subtype after "(type".
func (mp *modParser) typeDef() {
	p := mp.p
	p.optID()
	st := wasm.SubType{Final: true}
	if p.isOpen("sub") {
		p.i += 2
		st.Final = false
		if p.isKeyword("final") {
			p.i++
			st.Final = true
		}
		for p.isIdx() {
			st.Supers = append(st.Supers, p.idx(&mp.types))
		}
		st.Comp = mp.compType(uint32(len(mp.m.Types)))
		p.expectRParen()
	} else {
		st.Comp = mp.compType(uint32(len(mp.m.Types)))
	}
	mp.m.Types = append(mp.m.Types, st)
}

func (mp *modParser) compType(self uint32) wasm.CompType {
	p := mp.p
	p.expectLParen()
	t := p.peek()
	if t.kind != tokKeyword {
		p.unexpected()
	}
	p.i++
	var c wasm.CompType
	switch t.text {
	case "func":
		c.Kind = wasm.CompFunc
		ft, _ := mp.funcType(true)
		c.Func = ft
	case "struct":
		c.Kind = wasm.CompStruct
		nf := uint32(0)
		for p.isOpen("field") {
			p.i += 2
			if idTok := p.peek(); idTok.kind == tokID {
				p.i++
				if mp.fieldNames == nil {
					mp.fieldNames = make(map[uint32]map[string]uint32)
				}
				fm := mp.fieldNames[self]
				if fm == nil {
					fm = make(map[string]uint32)
					mp.fieldNames[self] = fm
				}
				if _, dup := fm[idTok.text]; dup {
					p.failAt(idTok, "duplicate field $%s", idTok.text)
				}
				fm[idTok.text] = nf
				c.Fields = append(c.Fields, mp.fieldType())
				nf++
			} else {
				for p.peek().kind != tokRParen {
					c.Fields = append(c.Fields, mp.fieldType())
					nf++
				}
			}
			p.expectRParen()
		}
	case "array":
		c.Kind = wasm.CompArray
		c.Elem = mp.fieldType()
	default:
		p.failAt(t, "unexpected token %q", t.text)
	}
	p.expectRParen()
	return c
}

func (mp *modParser) fieldType() wasm.FieldType {
	p := mp.p
	if p.isOpen("mut") {
		p.i += 2
		st := mp.storageType()
		p.expectRParen()
		return wasm.FieldType{Storage: st, Mutable: true}
	}
	return wasm.FieldType{Storage: mp.storageType()}
}

func (mp *modParser) storageType() wasm.StorageType {
	p := mp.p
	switch {
	case p.isKeyword("i8"):
		p.i++
		return wasm.StorageType{Packed: 0x78}
	case p.isKeyword("i16"):
		p.i++
		return wasm.StorageType{Packed: 0x77}
	}
	return wasm.StorageType{Val: mp.valType()}
}

// funcType parses (param ...)* (result ...)*. With names, parameters may
// be named ((param $x t)); the names are returned (nil when none).
func (mp *modParser) funcType(allowNames bool) (wasm.FuncType, []string) {
	p := mp.p
	var ft wasm.FuncType
	var names []string
	for p.isOpen("param") {
		p.i += 2
		if t := p.peek(); t.kind == tokID {
			if !allowNames {
				p.unexpected()
			}
			p.i++
			for len(names) < len(ft.Params) {
				names = append(names, "")
			}
			names = append(names, t.text)
			ft.Params = append(ft.Params, mp.valType())
		} else {
			for p.peek().kind != tokRParen {
				ft.Params = append(ft.Params, mp.valType())
			}
		}
		p.expectRParen()
	}
	for p.isOpen("result") {
		p.i += 2
		for p.peek().kind != tokRParen {
			ft.Results = append(ft.Results, mp.valType())
		}
		p.expectRParen()
	}
	if p.isOpen("param") {
		p.i++
		p.unexpected()
	}
	return ft, names
}

var heapTypeNames = map[string]wasm.HeapKind{
	"func": wasm.HeapFunc, "extern": wasm.HeapExtern, "any": wasm.HeapAny, "eq": wasm.HeapEq,
	"i31": wasm.HeapI31, "struct": wasm.HeapStruct, "array": wasm.HeapArray, "none": wasm.HeapNone,
	"nofunc": wasm.HeapNoFunc, "noextern": wasm.HeapNoExtern, "exn": wasm.HeapExn, "noexn": wasm.HeapNoExn,
}

var refTypeNames = map[string]wasm.HeapKind{
	"funcref": wasm.HeapFunc, "externref": wasm.HeapExtern, "anyref": wasm.HeapAny, "eqref": wasm.HeapEq,
	"i31ref": wasm.HeapI31, "structref": wasm.HeapStruct, "arrayref": wasm.HeapArray, "nullref": wasm.HeapNone,
	"nullfuncref": wasm.HeapNoFunc, "nullexternref": wasm.HeapNoExtern, "exnref": wasm.HeapExn, "nullexnref": wasm.HeapNoExn,
}

// heapType parses an abstract heap type keyword or a type index. types
// may be nil (script constants), then only abstract types are allowed.
func (mp *modParser) heapType() wasm.HeapType {
	p := mp.p
	t := p.peek()
	if t.kind == tokKeyword {
		if k, ok := heapTypeNames[t.text]; ok {
			p.i++
			return wasm.HeapType{Kind: k}
		}
		p.unexpected()
	}
	if mp.m == nil {
		p.unexpected()
	}
	return wasm.HeapType{Kind: wasm.HeapIndex, Index: p.idx(&mp.types)}
}

// isRefType reports whether a reference type starts here.
func (mp *modParser) isRefType() bool {
	p := mp.p
	t := p.peek()
	if t.kind == tokKeyword {
		_, ok := refTypeNames[t.text]
		return ok
	}
	return p.isOpen("ref")
}

func (mp *modParser) refType() wasm.ValType {
	p := mp.p
	t := p.peek()
	if t.kind == tokKeyword {
		if k, ok := refTypeNames[t.text]; ok {
			p.i++
			return wasm.RefType(true, wasm.HeapType{Kind: k})
		}
		p.unexpected()
	}
	if !p.isOpen("ref") {
		p.unexpected()
	}
	p.i += 2
	null := false
	if p.isKeyword("null") {
		p.i++
		null = true
	}
	ht := mp.heapType()
	p.expectRParen()
	return wasm.RefType(null, ht)
}

func (mp *modParser) valType() wasm.ValType {
	p := mp.p
	t := p.peek()
	if t.kind == tokKeyword {
		switch t.text {
		case "i32":
			p.i++
			return wasm.I32
		case "i64":
			p.i++
			return wasm.I64
		case "f32":
			p.i++
			return wasm.F32
		case "f64":
			p.i++
			return wasm.F64
		case "v128":
			p.i++
			return wasm.V128
		}
	}
	return mp.refType()
}

// findFuncType returns the index of the first type equal to ft that is a
// final function type without supers alone in its recursion group,
// appending a new one when there is none.
func (mp *modParser) findFuncType(ft *wasm.FuncType) uint32 {
	m := mp.m
	if mp.funcTypeIdx == nil {
		// Index the types defined so far (all explicit types are parsed
		// before the first type use), keeping the first of equal ones.
		mp.funcTypeIdx = make(map[string]uint32)
		for _, g := range m.RecGroups {
			if g.Count != 1 {
				continue
			}
			st := &m.Types[g.First]
			if st.Final && len(st.Supers) == 0 && st.Comp.Kind == wasm.CompFunc {
				k := funcTypeKey(&st.Comp.Func)
				if _, ok := mp.funcTypeIdx[k]; !ok {
					mp.funcTypeIdx[k] = g.First
				}
			}
		}
	}
	k := funcTypeKey(ft)
	if idx, ok := mp.funcTypeIdx[k]; ok {
		return idx
	}
	idx := uint32(len(m.Types))
	cp := wasm.FuncType{Params: append([]wasm.ValType(nil), ft.Params...), Results: append([]wasm.ValType(nil), ft.Results...)}
	m.Types = append(m.Types, wasm.SubType{Final: true, Comp: wasm.CompType{Kind: wasm.CompFunc, Func: cp}})
	m.RecGroups = append(m.RecGroups, wasm.RecGroup{First: idx, Count: 1})
	mp.funcTypeIdx[k] = idx
	return idx
}

// funcTypeKey returns a string identifying a function type.
func funcTypeKey(ft *wasm.FuncType) string {
	b := make([]byte, 0, 2*(len(ft.Params)+len(ft.Results))+8)
	b = wbin.AppendU32(b, uint32(len(ft.Params)))
	for _, t := range ft.Params {
		b = wbin.AppendValType(b, t)
	}
	for _, t := range ft.Results {
		b = wbin.AppendValType(b, t)
	}
	return string(b)
}

// typeUse parses (type x)? (param ...)* (result ...)* and returns the type
// index, the number of parameters and the parameter names.
func (mp *modParser) typeUse(allowNames bool) (uint32, int, []string) {
	p := mp.p
	if p.isOpen("type") {
		p.i += 2
		x := p.idx(&mp.types)
		p.expectRParen()
		tok := p.peek()
		if p.isOpen("param") || p.isOpen("result") {
			ft, names := mp.funcType(allowNames)
			def := mp.m.FuncTypeAt(x)
			if def == nil {
				p.failAt(tok, "unknown type %d", x)
			}
			if !def.Equal(&ft) {
				p.failAt(tok, "inline function type does not match (type %d)", x)
			}
			return x, len(ft.Params), names
		}
		n := 0
		if def := mp.m.FuncTypeAt(x); def != nil {
			n = len(def.Params)
		}
		return x, n, nil
	}
	ft, names := mp.funcType(allowNames)
	return mp.findFuncType(&ft), len(ft.Params), names
}

// ---- imports and exports ----

func (mp *modParser) inlineExports(kind wasm.ExternKind, idx uint32) {
	p := mp.p
	for p.isOpen("export") {
		p.i += 2
		name := p.name()
		p.expectRParen()
		mp.m.Exports = append(mp.m.Exports, wasm.Export{Name: name, Kind: kind, Index: idx})
	}
}

// inlineImport parses (import "m" "n") if present.
func (mp *modParser) inlineImport() (mod, name string, ok bool) {
	p := mp.p
	if !p.isOpen("import") {
		return "", "", false
	}
	p.i += 2
	mod = p.name()
	name = p.name()
	p.expectRParen()
	return mod, name, true
}

func (mp *modParser) nameFunc(idx uint32, id string) {
	if id == "" {
		return
	}
	if mp.funcNames == nil {
		mp.funcNames = make(map[uint32]string)
	}
	mp.funcNames[idx] = id
}

func (mp *modParser) importField() {
	p := mp.p
	p.i += 2
	imp := wasm.Import{Module: p.name(), Name: p.name()}
	p.expectLParen()
	t := p.next()
	if t.kind != tokKeyword {
		p.failAt(t, "unexpected token")
	}
	id := p.optID()
	switch t.text {
	case "func":
		imp.Kind = wasm.ExternFunc
		imp.Func, _, _ = mp.typeUse(true)
		mp.nameFunc(mp.nfuncs, id)
		mp.nfuncs++
	case "tag":
		imp.Kind = wasm.ExternTag
		imp.Func, _, _ = mp.typeUse(true)
		mp.ntags++
	case "table":
		imp.Kind = wasm.ExternTable
		imp.Table = mp.tableType()
		mp.ntables++
	case "memory":
		imp.Kind = wasm.ExternMemory
		imp.Memory = mp.memoryType()
		mp.nmems++
	case "global":
		imp.Kind = wasm.ExternGlobal
		imp.Global = mp.globalType()
		mp.nglobs++
	default:
		p.failAt(t, "unexpected token %q", t.text)
	}
	p.expectRParen()
	p.expectRParen()
	mp.m.Imports = append(mp.m.Imports, imp)
}

func (mp *modParser) exportField() {
	p := mp.p
	p.i += 2
	e := wasm.Export{Name: p.name()}
	p.expectLParen()
	t := p.next()
	switch {
	case t.kind != tokKeyword:
		p.failAt(t, "unexpected token")
	case t.text == "func":
		e.Kind, e.Index = wasm.ExternFunc, p.idx(&mp.funcs)
	case t.text == "table":
		e.Kind, e.Index = wasm.ExternTable, p.idx(&mp.tables)
	case t.text == "memory":
		e.Kind, e.Index = wasm.ExternMemory, p.idx(&mp.mems)
	case t.text == "global":
		e.Kind, e.Index = wasm.ExternGlobal, p.idx(&mp.globals)
	case t.text == "tag":
		e.Kind, e.Index = wasm.ExternTag, p.idx(&mp.tags)
	default:
		p.failAt(t, "unexpected token %q", t.text)
	}
	p.expectRParen()
	p.expectRParen()
	mp.m.Exports = append(mp.m.Exports, e)
}

func (mp *modParser) startField() {
	p := mp.p
	p.i += 2
	if mp.m.HasStart {
		p.fail("multiple start sections")
	}
	mp.m.Start = p.idx(&mp.funcs)
	mp.m.HasStart = true
	p.expectRParen()
}

// ---- limits, tables, memories, globals ----

func (mp *modParser) limits(is64 bool) wasm.Limits {
	p := mp.p
	var l wasm.Limits
	l.Min = mp.limitValue(is64)
	if p.peek().kind == tokNum {
		l.Max = mp.limitValue(is64)
		l.HasMax = true
	}
	return l
}

func (mp *modParser) limitValue(is64 bool) uint64 {
	p := mp.p
	t := p.peek()
	v := p.u64()
	if !is64 && !p.opt.Features.Has(wasm.Memory64) && v > 0xFFFFFFFF {
		p.failAt(t, "i32 constant out of range")
	}
	return v
}

func (mp *modParser) tableType() wasm.TableType {
	p := mp.p
	var tt wasm.TableType
	if p.isKeyword("i64") {
		p.i++
		tt.Is64 = true
	} else if p.isKeyword("i32") {
		p.i++
	}
	tt.Limits = mp.limits(tt.Is64)
	tt.Elem = mp.refType()
	return tt
}

func (mp *modParser) memoryType() wasm.MemoryType {
	p := mp.p
	var mt wasm.MemoryType
	if p.isKeyword("i64") {
		p.i++
		mt.Is64 = true
	} else if p.isKeyword("i32") {
		p.i++
	}
	mt.Limits = mp.limits(mt.Is64)
	if p.isKeyword("shared") {
		p.i++
		mt.Shared = true
	}
	mp.pageSize(&mt)
	return mt
}

// pageSize parses an optional (pagesize N) (custom-page-sizes) and
// returns log2 of the page size.
//
// TODO: wasm.MemoryType cannot represent a page size of 1: its
// PageSizeLog2 0 means the default.
func (mp *modParser) pageSize(mt *wasm.MemoryType) uint {
	p := mp.p
	if !p.isOpen("pagesize") {
		return 16
	}
	p.i += 2
	t := p.peek()
	n := p.u64()
	if n == 0 || n&(n-1) != 0 {
		p.failAt(t, "invalid custom page size")
	}
	lg := uint8(bits.TrailingZeros64(n)) // n is a power of two
	mt.PageSizeLog2 = lg
	p.expectRParen()
	return uint(lg)
}

func (mp *modParser) globalType() wasm.GlobalType {
	p := mp.p
	if p.isOpen("mut") {
		p.i += 2
		t := mp.valType()
		p.expectRParen()
		return wasm.GlobalType{Type: t, Mutable: true}
	}
	return wasm.GlobalType{Type: mp.valType()}
}

func (mp *modParser) tableField() {
	p := mp.p
	p.i += 2
	p.optID()
	idx := mp.ntables
	mp.ntables++
	mp.inlineExports(wasm.ExternTable, idx)
	if mod, name, ok := mp.inlineImport(); ok {
		mp.m.Imports = append(mp.m.Imports, wasm.Import{Module: mod, Name: name, Kind: wasm.ExternTable, Table: mp.tableType()})
		p.expectRParen()
		return
	}
	is64 := false
	if p.isKeyword("i64") || p.isKeyword("i32") {
		is64 = p.next().text == "i64"
	}
	if mp.isRefType() {
		// (table reftype (elem ...))
		rt := mp.refType()
		p.expectLParen()
		p.expectKeyword("elem")
		e := wasm.Elem{Mode: wasm.SegmentActive, Table: idx, Type: rt}
		if p.isIdx() || p.peek().kind == tokRParen {
			e.Indices = []uint32{}
			for p.isIdx() {
				e.Indices = append(e.Indices, p.idx(&mp.funcs))
			}
		} else {
			e.Exprs = []wasm.Expr{}
			for p.peek().kind == tokLParen {
				e.Exprs = append(e.Exprs, mp.elemExpr())
			}
		}
		p.expectRParen()
		n := uint64(e.Len())
		e.Offset = constZero(is64)
		mp.m.Elems = append(mp.m.Elems, e)
		mp.m.Tables = append(mp.m.Tables, wasm.Table{Type: wasm.TableType{Elem: rt, Is64: is64, Limits: wasm.Limits{Min: n, Max: n, HasMax: true}}})
		p.expectRParen()
		return
	}
	tt := wasm.TableType{Is64: is64}
	tt.Limits = mp.limits(is64)
	tt.Elem = mp.refType()
	tab := wasm.Table{Type: tt}
	if p.peek().kind != tokRParen {
		tab.Init = mp.constExprInstrs()
	}
	mp.m.Tables = append(mp.m.Tables, tab)
	p.expectRParen()
}

// constZero returns the expression (i32.const 0) or (i64.const 0).
func constZero(is64 bool) wasm.Expr {
	if is64 {
		return wasm.Expr{0x42, 0x00, 0x0B}
	}
	return wasm.Expr{0x41, 0x00, 0x0B}
}

func (mp *modParser) memoryField() {
	p := mp.p
	p.i += 2
	p.optID()
	idx := mp.nmems
	mp.nmems++
	mp.inlineExports(wasm.ExternMemory, idx)
	if mod, name, ok := mp.inlineImport(); ok {
		mp.m.Imports = append(mp.m.Imports, wasm.Import{Module: mod, Name: name, Kind: wasm.ExternMemory, Memory: mp.memoryType()})
		p.expectRParen()
		return
	}
	if p.isOpen("data") || p.isOpen("pagesize") || (p.isKeyword("i64") || p.isKeyword("i32")) && p.peekN(1).kind == tokLParen {
		is64 := false
		if p.peek().kind == tokKeyword {
			is64 = p.next().text == "i64"
		}
		mt := wasm.MemoryType{Is64: is64}
		lg := mp.pageSize(&mt)
		p.expectLParen()
		p.expectKeyword("data")
		b := p.strings()
		p.expectRParen()
		pages := (uint64(len(b)) + 1<<lg - 1) >> lg
		mt.Limits = wasm.Limits{Min: pages, Max: pages, HasMax: true}
		mp.m.Memories = append(mp.m.Memories, mt)
		mp.m.Data = append(mp.m.Data, wasm.Data{Mode: wasm.SegmentActive, Memory: idx, Offset: constZero(is64), Init: b})
		p.expectRParen()
		return
	}
	mp.m.Memories = append(mp.m.Memories, mp.memoryType())
	p.expectRParen()
}

func (mp *modParser) globalField() {
	p := mp.p
	p.i += 2
	p.optID()
	idx := mp.nglobs
	mp.nglobs++
	mp.inlineExports(wasm.ExternGlobal, idx)
	if mod, name, ok := mp.inlineImport(); ok {
		mp.m.Imports = append(mp.m.Imports, wasm.Import{Module: mod, Name: name, Kind: wasm.ExternGlobal, Global: mp.globalType()})
		p.expectRParen()
		return
	}
	gt := mp.globalType()
	init := mp.constExprInstrs()
	mp.m.Globals = append(mp.m.Globals, wasm.Global{Type: gt, Init: init})
	p.expectRParen()
}

func (mp *modParser) tagField() {
	p := mp.p
	p.i += 2
	p.optID()
	idx := mp.ntags
	mp.ntags++
	mp.inlineExports(wasm.ExternTag, idx)
	if mod, name, ok := mp.inlineImport(); ok {
		x, _, _ := mp.typeUse(true)
		mp.m.Imports = append(mp.m.Imports, wasm.Import{Module: mod, Name: name, Kind: wasm.ExternTag, Func: x})
		p.expectRParen()
		return
	}
	x, _, _ := mp.typeUse(true)
	mp.m.Tags = append(mp.m.Tags, wasm.Tag{Type: x})
	p.expectRParen()
}

// ---- segments ----

// constExprInstrs parses instructions up to ')' as a constant expression.
func (mp *modParser) constExprInstrs() wasm.Expr {
	fc := mp.newFuncCtx()
	mp.instrs(fc)
	fc.body = append(fc.body, 0x0B)
	return wasm.Expr(fc.body)
}

// offsetExpr parses (offset instr*) or a single folded instruction.
func (mp *modParser) offsetExpr() wasm.Expr {
	p := mp.p
	if p.isOpen("offset") {
		p.i += 2
		e := mp.constExprInstrs()
		p.expectRParen()
		return e
	}
	return mp.singleFolded()
}

// singleFolded parses one folded instruction as an expression.
func (mp *modParser) singleFolded() wasm.Expr {
	p := mp.p
	if p.peek().kind != tokLParen {
		p.unexpected()
	}
	fc := mp.newFuncCtx()
	mp.folded(fc)
	fc.body = append(fc.body, 0x0B)
	return wasm.Expr(fc.body)
}

// elemExpr parses (item instr*) or a single folded instruction.
func (mp *modParser) elemExpr() wasm.Expr {
	p := mp.p
	if p.isOpen("item") {
		p.i += 2
		e := mp.constExprInstrs()
		p.expectRParen()
		return e
	}
	return mp.singleFolded()
}

// elemList parses 'func' idx* | reftype elemexpr* into e. With bare, a
// list of function indices without 'func' is allowed too.
func (mp *modParser) elemList(e *wasm.Elem, bare bool) {
	p := mp.p
	if p.isKeyword("func") || bare && (p.isIdx() || p.peek().kind == tokRParen) {
		if p.isKeyword("func") {
			p.i++
		}
		e.Type = wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapFunc})
		e.Indices = []uint32{}
		for p.isIdx() {
			e.Indices = append(e.Indices, p.idx(&mp.funcs))
		}
		return
	}
	e.Type = mp.refType()
	e.Exprs = []wasm.Expr{}
	for p.peek().kind == tokLParen {
		e.Exprs = append(e.Exprs, mp.elemExpr())
	}
}

func (mp *modParser) elemField() {
	p := mp.p
	p.i += 2
	p.optID()
	var e wasm.Elem
	switch {
	case p.isKeyword("declare"):
		p.i++
		e.Mode = wasm.SegmentDeclarative
		mp.elemList(&e, false)
	case p.isOpen("table"):
		p.i += 2
		e.Table = p.idx(&mp.tables)
		p.expectRParen()
		e.Offset = mp.offsetExpr()
		mp.elemList(&e, true)
	case p.isIdx():
		// legacy: a bare table index before the offset
		e.Table = p.idx(&mp.tables)
		e.Offset = mp.offsetExpr()
		mp.elemList(&e, true)
	case p.peek().kind == tokLParen && !p.isOpen("ref"):
		e.Offset = mp.offsetExpr()
		mp.elemList(&e, true)
	default:
		e.Mode = wasm.SegmentPassive
		mp.elemList(&e, false)
	}
	p.expectRParen()
	mp.m.Elems = append(mp.m.Elems, e)
}

func (mp *modParser) dataField() {
	p := mp.p
	p.i += 2
	p.optID()
	var d wasm.Data
	switch {
	case p.isOpen("memory"):
		p.i += 2
		d.Memory = p.idx(&mp.mems)
		p.expectRParen()
		d.Offset = mp.offsetExpr()
	case p.isIdx():
		d.Memory = p.idx(&mp.mems)
		d.Offset = mp.offsetExpr()
	case p.peek().kind == tokLParen:
		d.Offset = mp.offsetExpr()
	default:
		d.Mode = wasm.SegmentPassive
	}
	d.Init = p.strings()
	p.expectRParen()
	mp.m.Data = append(mp.m.Data, d)
}

// ---- functions ----

func (mp *modParser) funcField() {
	p := mp.p
	p.i += 2
	id := p.optID()
	idx := mp.nfuncs
	mp.nfuncs++
	mp.nameFunc(idx, id)
	mp.inlineExports(wasm.ExternFunc, idx)
	if mod, name, ok := mp.inlineImport(); ok {
		x, _, _ := mp.typeUse(true)
		mp.m.Imports = append(mp.m.Imports, wasm.Import{Module: mod, Name: name, Kind: wasm.ExternFunc, Func: x})
		p.expectRParen()
		return
	}
	x, nparams, names := mp.typeUse(true)
	mp.m.Funcs = append(mp.m.Funcs, x)
	fc := mp.newFuncCtx()
	fc.nlocals = uint32(nparams)
	for i, n := range names {
		if n != "" {
			fc.bindLocal(p, uint32(i), n)
		}
	}
	var code wasm.Code
	code.BodyOffset = -1
	for p.isOpen("local") {
		p.i += 2
		if t := p.peek(); t.kind == tokID {
			p.i++
			fc.bindLocal(p, fc.nlocals, t.text)
			vt := mp.valType()
			code.Locals = appendLocal(code.Locals, vt)
			fc.nlocals++
		} else {
			for p.peek().kind != tokRParen {
				vt := mp.valType()
				code.Locals = appendLocal(code.Locals, vt)
				fc.nlocals++
			}
		}
		p.expectRParen()
	}
	mp.instrs(fc)
	p.expectRParen()
	code.Body = append(fc.body, 0x0B)
	mp.m.Code = append(mp.m.Code, code)
	if len(fc.localNames) > 0 {
		if mp.localNames == nil {
			mp.localNames = make(map[uint32]map[uint32]string)
		}
		mp.localNames[idx] = fc.localNames
	}
}

func appendLocal(ls []wasm.LocalDecl, t wasm.ValType) []wasm.LocalDecl {
	if n := len(ls); n > 0 && ls[n-1].Type == t {
		ls[n-1].Count++
		return ls
	}
	return append(ls, wasm.LocalDecl{Count: 1, Type: t})
}
