package text

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/wasm"
)

// PrintOptions controls Print.
type PrintOptions struct {
	// Folded prints function bodies in the folded form: structured
	// instructions as nested S-expressions ((block ...), (if (then ...)
	// (else ...)), (try_table ...), (try (do ...) (catch ...))) and plain
	// instructions with their operands nested when their stack effect is
	// known, e.g. (i32.add (local.get 0) (i32.const 1)). Otherwise
	// bodies are printed flat, one instruction per line, indented by
	// block depth.
	Folded bool
}

// Print writes m in the WebAssembly text format. Function and local names
// come from m.Names when they are valid, unique identifiers; everything
// else is referred to by index, with (;N;) comments giving each
// definition's index. Custom sections are printed as comments at the end
// of the module, so they do not survive a round trip through the text
// format.
//
// Print fails only when a function body or constant expression is not
// well-formed binary code, or when writing to w fails.
func Print(w io.Writer, m *wasm.Module, opt PrintOptions) error {
	if m == nil {
		return fmt.Errorf("print: nil module")
	}
	p := &printer{m: m, opt: opt}
	size := 0
	for i := range m.Code {
		size += len(m.Code[i].Body)
	}
	for i := range m.Data {
		size += len(m.Data[i].Init)
	}
	p.buf = make([]byte, 0, 4096+4*size)
	p.setup()
	p.module()
	if p.err != nil {
		return p.err
	}
	_, err := w.Write(p.buf)
	return err
}

// printer accumulates the text of one module.
type printer struct {
	m      *wasm.Module
	opt    PrintOptions
	buf    []byte
	indent int
	err    error

	funcTypes  []uint32 // type index of each function (imports first)
	funcNames  []string // "$name" or "" per function index
	nImpFuncs  int
	localNames []string // "$name" or "" per local of the current function
	in         wasm.Instr
}

func (p *printer) setup() {
	m := p.m
	p.funcTypes = m.FuncTypeIndices()
	p.nImpFuncs = m.NumImported(wasm.ExternFunc)
	p.funcNames = make([]string, len(p.funcTypes))
	if m.Names != nil {
		used := map[string]bool{}
		for i := range p.funcNames {
			name, ok := m.Names.Funcs[uint32(i)]
			if id := watIdentifier(name); ok && id != "" && !used[name] {
				used[name] = true
				p.funcNames[i] = id
			}
		}
	}
}

// watIdentifier returns the text-format identifier for a name: $name when
// the name is made of identifier characters, $"name" for other non-empty
// UTF-8 names, or "" when the name cannot be an identifier.
func watIdentifier(name string) string {
	switch {
	case isWatIDName(name):
		return "$" + name
	case name != "" && utf8.ValidString(name):
		return "$" + watQuote([]byte(name))
	}
	return ""
}

// isWatIDName reports whether $name is a valid plain identifier.
func isWatIDName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-./:<=>?@\\^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func (p *printer) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// printf appends formatted text.
func (p *printer) printf(format string, args ...any) {
	p.buf = fmt.Appendf(p.buf, format, args...)
}

func (p *printer) str(s string) { p.buf = append(p.buf, s...) }

// printMaxIndent caps the indentation (in levels of two spaces), so that the
// size of the text stays linear in the size of deeply nested code.
const printMaxIndent = 32

// newline starts a new line at the current indentation.
func (p *printer) newline() {
	p.buf = append(p.buf, '\n')
	for range min(p.indent, printMaxIndent) {
		p.buf = append(p.buf, "  "...)
	}
}

func (p *printer) module() {
	m := p.m
	p.str("(module")
	name := strings.TrimPrefix(m.ID, "$")
	if name == "" && m.Names != nil {
		name = m.Names.Module
	}
	if id := watIdentifier(name); id != "" {
		p.str(" " + id)
	}
	p.indent++
	p.types()
	p.imports()
	for i, tidx := range m.Funcs {
		p.function(i, tidx)
	}
	nImpTables := m.NumImported(wasm.ExternTable)
	for i := range m.Tables {
		p.table(nImpTables, i)
	}
	nImpMems := m.NumImported(wasm.ExternMemory)
	for i := range m.Memories {
		p.newline()
		p.printf("(memory (;%d;) %s)", nImpMems+i, watMemoryType(m.Memories[i]))
	}
	nImpTags := m.NumImported(wasm.ExternTag)
	for i := range m.Tags {
		p.newline()
		p.printf("(tag (;%d;) ", nImpTags+i)
		p.typeUse(m.Tags[i].Type)
		p.str(")")
	}
	nImpGlobals := m.NumImported(wasm.ExternGlobal)
	for i := range m.Globals {
		g := &m.Globals[i]
		p.newline()
		p.printf("(global (;%d;) %s ", nImpGlobals+i, watGlobalType(g.Type))
		p.constExpr(g.Init, "global", nImpGlobals+i)
		p.str(")")
	}
	for i := range m.Exports {
		e := &m.Exports[i]
		p.newline()
		p.printf("(export %s (%s %s))", watQuote([]byte(e.Name)), e.Kind, p.externRef(e.Kind, e.Index))
	}
	if m.HasStart {
		p.newline()
		p.printf("(start %s)", p.funcRef(m.Start))
	}
	for i := range m.Elems {
		p.elem(i)
	}
	for i := range m.Data {
		p.data(i)
	}
	for i := range m.Customs {
		c := &m.Customs[i]
		p.newline()
		where := "at the start"
		if c.After != 0 {
			where = "after the " + binary.SectionName(c.After) + " section"
		}
		p.printf(";; custom section %s (%d bytes) %s", watQuote([]byte(c.Name)), len(c.Data), where)
	}
	p.indent--
	if len(m.Customs) > 0 {
		p.newline()
	}
	p.str(")\n")
}

// externRef names an entry of an index space.
func (p *printer) externRef(k wasm.ExternKind, idx uint32) string {
	if k == wasm.ExternFunc {
		return p.funcRef(idx)
	}
	return strconv.FormatUint(uint64(idx), 10)
}

// funcRef names function idx: its $name or its index.
func (p *printer) funcRef(idx uint32) string {
	if int64(idx) < int64(len(p.funcNames)) && p.funcNames[idx] != "" {
		return p.funcNames[idx]
	}
	return strconv.FormatUint(uint64(idx), 10)
}

// types prints the type section, grouping recursion groups.
func (p *printer) types() {
	m := p.m
	if len(m.RecGroups) == 0 {
		for i := range m.Types {
			p.newline()
			p.typeDef(uint32(i))
		}
		return
	}
	next := uint32(0)
	for _, g := range m.RecGroups {
		// Types outside any group (should not happen) are printed alone.
		for ; next < g.First && int(next) < len(m.Types); next++ {
			p.newline()
			p.typeDef(next)
		}
		if g.Count == 1 {
			if int(g.First) < len(m.Types) {
				p.newline()
				p.typeDef(g.First)
			}
			next = g.First + 1
			continue
		}
		p.newline()
		p.str("(rec")
		p.indent++
		for i := g.First; i < g.First+g.Count && int(i) < len(m.Types); i++ {
			p.newline()
			p.typeDef(i)
		}
		p.indent--
		p.str(")")
		next = g.First + g.Count
	}
	for ; int(next) < len(m.Types); next++ {
		p.newline()
		p.typeDef(next)
	}
}

func (p *printer) typeDef(idx uint32) {
	st := &p.m.Types[idx]
	p.printf("(type (;%d;) ", idx)
	if st.Final && len(st.Supers) == 0 {
		p.compType(&st.Comp)
	} else {
		p.str("(sub")
		if st.Final {
			p.str(" final")
		}
		for _, s := range st.Supers {
			p.printf(" %d", s)
		}
		p.str(" ")
		p.compType(&st.Comp)
		p.str(")")
	}
	p.str(")")
}

func (p *printer) compType(c *wasm.CompType) {
	switch c.Kind {
	case wasm.CompFunc:
		p.str("(func")
		p.params(c.Func.Params, nil)
		p.results(c.Func.Results)
		p.str(")")
	case wasm.CompStruct:
		p.str("(struct")
		for _, f := range c.Fields {
			p.str(" (field " + watFieldType(f) + ")")
		}
		p.str(")")
	case wasm.CompArray:
		p.str("(array " + watFieldType(c.Elem) + ")")
	default:
		p.fail(fmt.Errorf("print: unknown composite type 0x%02x", byte(c.Kind)))
	}
}

func watFieldType(f wasm.FieldType) string {
	var s string
	switch f.Storage.Packed {
	case 0x78:
		s = "i8"
	case 0x77:
		s = "i16"
	default:
		s = watValType(f.Storage.Val)
	}
	if f.Mutable {
		return "(mut " + s + ")"
	}
	return s
}

// params prints (param ...) clauses; names gives the $name of each
// parameter, or "" (names may be nil).
func (p *printer) params(ts []wasm.ValType, names []string) {
	open := false
	for i, t := range ts {
		name := ""
		if i < len(names) {
			name = names[i]
		}
		if name != "" {
			if open {
				p.str(")")
				open = false
			}
			p.printf(" (param %s %s)", name, watValType(t))
			continue
		}
		if !open {
			p.str(" (param")
			open = true
		}
		p.str(" " + watValType(t))
	}
	if open {
		p.str(")")
	}
}

func (p *printer) results(ts []wasm.ValType) {
	if len(ts) == 0 {
		return
	}
	p.str(" (result")
	for _, t := range ts {
		p.str(" " + watValType(t))
	}
	p.str(")")
}

// typeUse prints (type N) followed by the parameters and results of the
// type when it is a function type.
func (p *printer) typeUse(idx uint32) {
	p.printf("(type %d)", idx)
	if ft := p.m.FuncTypeAt(idx); ft != nil {
		p.params(ft.Params, nil)
		p.results(ft.Results)
	}
}

func (p *printer) imports() {
	var n [5]int
	for i := range p.m.Imports {
		im := &p.m.Imports[i]
		p.newline()
		p.printf("(import %s %s ", watQuote([]byte(im.Module)), watQuote([]byte(im.Name)))
		idx := 0
		if int(im.Kind) < len(n) {
			idx = n[im.Kind]
			n[im.Kind]++
		}
		switch im.Kind {
		case wasm.ExternFunc:
			p.str("(func ")
			if name := p.funcNames[idx]; name != "" {
				p.str(name + " ")
			}
			p.printf("(;%d;) ", idx)
			p.typeUse(im.Func)
			p.str(")")
		case wasm.ExternTable:
			p.printf("(table (;%d;) %s)", idx, watTableType(im.Table))
		case wasm.ExternMemory:
			p.printf("(memory (;%d;) %s)", idx, watMemoryType(im.Memory))
		case wasm.ExternGlobal:
			p.printf("(global (;%d;) %s)", idx, watGlobalType(im.Global))
		case wasm.ExternTag:
			p.printf("(tag (;%d;) ", idx)
			p.typeUse(im.Func)
			p.str(")")
		default:
			p.fail(fmt.Errorf("print: import %d: unknown kind %d", i, im.Kind))
		}
		p.str(")")
	}
}

func watLimits(l wasm.Limits) string {
	if l.HasMax {
		return fmt.Sprintf("%d %d", l.Min, l.Max)
	}
	return strconv.FormatUint(l.Min, 10)
}

func watMemoryType(t wasm.MemoryType) string {
	s := watLimits(t.Limits)
	if t.Is64 {
		s = "i64 " + s
	}
	if t.Shared {
		s += " shared"
	}
	if t.PageSizeLog2 != 0 {
		s += fmt.Sprintf(" (pagesize %d)", uint64(1)<<(t.PageSizeLog2&63))
	}
	return s
}

func watTableType(t wasm.TableType) string {
	s := watLimits(t.Limits) + " " + watValType(t.Elem)
	if t.Is64 {
		s = "i64 " + s
	}
	return s
}

func watGlobalType(g wasm.GlobalType) string {
	if g.Mutable {
		return "(mut " + watValType(g.Type) + ")"
	}
	return watValType(g.Type)
}

// watValType spells a value type in the text format, with the short forms
// of nullable abstract reference types; wasm.ValType.String spells it so.
func watValType(t wasm.ValType) string { return t.String() }

// watRefType spells (ref null? ht) in full.
func watRefType(nullable bool, h wasm.HeapType) string {
	if nullable {
		return "(ref null " + h.String() + ")"
	}
	return "(ref " + h.String() + ")"
}

func (p *printer) table(nImported, i int) {
	t := &p.m.Tables[i]
	p.newline()
	p.printf("(table (;%d;) %s", nImported+i, watTableType(t.Type))
	if t.Init != nil {
		p.str(" ")
		p.constExpr(t.Init, "table", nImported+i)
	}
	p.str(")")
}

// printMaxLocals is the largest number of locals (parameters included) of
// a function that Print accepts.
const printMaxLocals = 1 << 20

func (p *printer) function(i int, tidx uint32) {
	m := p.m
	fidx := p.nImpFuncs + i
	p.newline()
	p.str("(func ")
	if name := p.funcNames[fidx]; name != "" {
		p.str(name + " ")
	}
	p.printf("(;%d;) (type %d)", fidx, tidx)
	if i >= len(m.Code) {
		p.fail(fmt.Errorf("print: function %d has no body", fidx))
		return
	}
	code := &m.Code[i]
	ft := m.FuncTypeAt(tidx)
	nParams := 0
	if ft != nil {
		nParams = len(ft.Params)
	}
	// Local names, valid and unique within the function.
	nLocals := uint64(nParams)
	for _, d := range code.Locals {
		nLocals += uint64(d.Count)
	}
	if nLocals > printMaxLocals {
		// The text format spells every local: refuse rather than
		// produce gigabytes of text.
		p.fail(fmt.Errorf("print: function %d declares %d locals, more than %d", fidx, nLocals, printMaxLocals))
		return
	}
	p.localNames = p.localNames[:0]
	if m.Names != nil && m.Names.Locals[uint32(fidx)] != nil {
		p.localNames = make([]string, nLocals)
		used := map[string]bool{}
		for j := range p.localNames {
			name, ok := m.Names.Locals[uint32(fidx)][uint32(j)]
			if id := watIdentifier(name); ok && id != "" && !used[name] {
				used[name] = true
				p.localNames[j] = id
			}
		}
	}
	if ft != nil {
		p.params(ft.Params, p.localNames)
		p.results(ft.Results)
	}
	p.indent++
	j := nParams
	for _, d := range code.Locals {
		// Unnamed locals of a declaration share one (local ...) clause;
		// named ones get their own.
		var parts []string
		open := false
		for range d.Count {
			if j < len(p.localNames) && p.localNames[j] != "" {
				if open {
					parts[len(parts)-1] += ")"
					open = false
				}
				parts = append(parts, "(local "+p.localNames[j]+" "+watValType(d.Type)+")")
			} else if open {
				parts[len(parts)-1] += " " + watValType(d.Type)
			} else {
				parts = append(parts, "(local "+watValType(d.Type))
				open = true
			}
			j++
		}
		if open {
			parts[len(parts)-1] += ")"
		}
		if len(parts) > 0 {
			p.newline()
			p.str(strings.Join(parts, " "))
		}
	}
	base := code.BodyOffset
	if base < 0 {
		base = 0
	}
	var err error
	if p.opt.Folded {
		err = p.foldedBody(code.Body, base, ft)
	} else {
		err = p.flatBody(code.Body, base)
	}
	if err != nil {
		p.fail(fmt.Errorf("print: function %d: %w", fidx, err))
	}
	p.indent--
	p.newline()
	p.str(")")
	p.localNames = p.localNames[:0]
}

// readBodyInstr reads the next instruction of a body into in; the body
// must not run out before its final end.
func readBodyInstr(r *binary.Reader, in *wasm.Instr) error {
	if r.Len() == 0 {
		return fmt.Errorf("missing end at offset %d", r.Offset())
	}
	return binary.ReadInstrTo(r, in)
}

// checkBodyDone reports code after the final end of a body.
func checkBodyDone(r *binary.Reader) error {
	if r.Len() != 0 {
		return fmt.Errorf("code after the final end at offset %d", r.Offset())
	}
	return nil
}

// flatBody prints the instructions of a body (or constant expression)
// one per line, up to and excluding its final end.
func (p *printer) flatBody(body []byte, base int) error {
	r := binary.NewReader(body, base)
	depth := 0
	in := &p.in
	for {
		if err := readBodyInstr(r, in); err != nil {
			return err
		}
		switch in.Op {
		case wasm.OpEnd:
			if depth == 0 {
				return checkBodyDone(r)
			}
			depth--
			p.indent--
			p.newline()
			p.str("end")
			continue
		case wasm.OpElse, wasm.OpCatch, wasm.OpCatchAll:
			p.indent--
			p.newline()
			p.instr(in)
			p.indent++
			continue
		case wasm.OpDelegate:
			depth--
			p.indent--
			p.newline()
			p.instr(in)
			continue
		}
		p.newline()
		p.instr(in)
		switch in.Op {
		case wasm.OpBlock, wasm.OpLoop, wasm.OpIf, wasm.OpTry, wasm.OpTryTable:
			depth++
			p.indent++
		}
	}
}

// constExpr prints a constant expression as a sequence of folded plain
// instructions, e.g. "(i32.const 1)" or "(global.get 0) (i32.const 4)
// (i32.add)". what and idx name its place for errors (e.g. "global", 3).
func (p *printer) constExpr(e wasm.Expr, what string, idx int) {
	instrs, err := p.exprInstrs(e)
	if err != nil {
		p.fail(fmt.Errorf("print: %s %d: constant expression: %w", what, idx, err))
		return
	}
	for i, s := range instrs {
		if i > 0 {
			p.str(" ")
		}
		p.str("(" + s + ")")
	}
}

// exprInstrs returns the text of each instruction of a constant
// expression, excluding the final end.
func (p *printer) exprInstrs(e wasm.Expr) ([]string, error) {
	r := binary.NewReader(e, 0)
	var out []string
	in := &p.in
	for {
		if err := readBodyInstr(r, in); err != nil {
			return nil, err
		}
		if in.Op == wasm.OpEnd {
			if err := checkBodyDone(r); err != nil {
				return nil, err
			}
			return out, nil
		}
		if info := in.Op.Info(); info.Imm == wasm.ImmBlockType || info.Imm == wasm.ImmTryTable {
			return nil, fmt.Errorf("structured instruction %s in a constant expression", in.Op)
		}
		save := p.buf
		p.buf = nil
		p.instr(in)
		out = append(out, string(p.buf))
		p.buf = save
	}
}

// offsetExpr prints the offset of an active segment: the folded
// abbreviation for a single instruction, otherwise (offset ...). what and
// idx name the segment for errors (e.g. "data segment", 0).
func (p *printer) offsetExpr(e wasm.Expr, what string, idx int) {
	instrs, err := p.exprInstrs(e)
	if err != nil {
		p.fail(fmt.Errorf("print: %s %d: offset expression: %w", what, idx, err))
		return
	}
	if len(instrs) == 1 {
		p.str("(" + instrs[0] + ")")
		return
	}
	p.str("(offset")
	for _, s := range instrs {
		p.str(" (" + s + ")")
	}
	p.str(")")
}

func (p *printer) elem(i int) {
	e := &p.m.Elems[i]
	p.newline()
	p.printf("(elem (;%d;)", i)
	switch e.Mode {
	case wasm.SegmentActive:
		if e.Table != 0 {
			p.printf(" (table %d)", e.Table)
		}
		p.str(" ")
		p.offsetExpr(e.Offset, "element segment", i)
	case wasm.SegmentDeclarative:
		p.str(" declare")
	}
	funcElems := e.Type == wasm.ValType{} || e.Type.Kind == wasm.KindRef && e.Type.Heap.Kind == wasm.HeapFunc
	switch {
	case e.Indices != nil && funcElems || e.Indices == nil && e.Exprs == nil:
		p.str(" func")
		for _, x := range e.Indices {
			p.str(" " + p.funcRef(x))
		}
	case e.Indices != nil:
		// Function indices with another element type: print them as
		// expressions, which is what they stand for.
		p.str(" " + watValType(e.Type))
		for _, x := range e.Indices {
			p.str(" (item (ref.func " + p.funcRef(x) + "))")
		}
	default:
		p.str(" " + watValType(e.Type))
		for _, x := range e.Exprs {
			p.str(" (item ")
			p.constExpr(x, "element segment", i)
			p.str(")")
		}
	}
	p.str(")")
}

func (p *printer) data(i int) {
	d := &p.m.Data[i]
	p.newline()
	p.printf("(data (;%d;)", i)
	if d.Mode == wasm.SegmentActive {
		if d.Memory != 0 {
			p.printf(" (memory %d)", d.Memory)
		}
		p.str(" ")
		p.offsetExpr(d.Offset, "data segment", i)
	}
	p.str(" " + watQuote(d.Init) + ")")
}

// watQuote returns b as a text-format string literal.
func watQuote(b []byte) string {
	var s strings.Builder
	s.Grow(len(b) + 2)
	s.WriteByte('"')
	const hex = "0123456789abcdef"
	for _, c := range b {
		switch {
		case c == '"' || c == '\\':
			s.WriteByte('\\')
			s.WriteByte(c)
		case c >= 0x20 && c < 0x7F:
			s.WriteByte(c)
		default:
			s.WriteByte('\\')
			s.WriteByte(hex[c>>4])
			s.WriteByte(hex[c&15])
		}
	}
	s.WriteByte('"')
	return s.String()
}

// instr appends the text of one instruction: its mnemonic and immediates.
func (p *printer) instr(in *wasm.Instr) {
	info := in.Op.Info()
	name := info.Name
	switch in.Op {
	case wasm.OpSelectT:
		name = "select"
	case wasm.OpRefTestNull:
		name = "ref.test"
	case wasm.OpRefCastNull:
		name = "ref.cast"
	}
	p.str(name)
	switch info.Imm {
	case wasm.ImmNone:
	case wasm.ImmBlockType, wasm.ImmTryTable:
		switch in.Block.Kind {
		case wasm.BlockValue:
			p.str(" (result " + watValType(in.Block.Val) + ")")
		case wasm.BlockIndex:
			p.str(" ")
			p.typeUse(in.Block.Index)
		}
		for _, c := range in.Catches {
			switch c.Kind {
			case wasm.Catch:
				p.printf(" (catch %d %d)", c.Tag, c.Label)
			case wasm.CatchRef:
				p.printf(" (catch_ref %d %d)", c.Tag, c.Label)
			case wasm.CatchAll:
				p.printf(" (catch_all %d)", c.Label)
			case wasm.CatchAllRef:
				p.printf(" (catch_all_ref %d)", c.Label)
			}
		}
	case wasm.ImmLabel, wasm.ImmGlobal, wasm.ImmData, wasm.ImmElem, wasm.ImmType, wasm.ImmTag:
		p.printf(" %d", in.X)
	case wasm.ImmTable, wasm.ImmMemory:
		if in.X != 0 {
			p.printf(" %d", in.X)
		}
	case wasm.ImmBrTable:
		for _, l := range in.Labels {
			p.printf(" %d", l)
		}
		p.printf(" %d", in.X)
	case wasm.ImmFunc:
		p.str(" " + p.funcRef(in.X))
	case wasm.ImmCallIndirect:
		if in.Y != 0 {
			p.printf(" %d", in.Y)
		}
		p.str(" ")
		p.typeUse(in.X)
	case wasm.ImmLocal:
		if int64(in.X) < int64(len(p.localNames)) && p.localNames[in.X] != "" {
			p.str(" " + p.localNames[in.X])
		} else {
			p.printf(" %d", in.X)
		}
	case wasm.ImmMemArg:
		p.memArg(in)
	case wasm.ImmMemArgLane:
		p.memArg(in)
		p.printf(" %d", in.Lane)
	case wasm.ImmLane:
		p.printf(" %d", in.Lane)
	case wasm.ImmI32:
		p.printf(" %d", int32(uint32(in.Const)))
	case wasm.ImmI64:
		p.printf(" %d", int64(in.Const))
	case wasm.ImmF32:
		p.str(" " + watF32(uint32(in.Const)))
	case wasm.ImmF64:
		p.str(" " + watF64(in.Const))
	case wasm.ImmSelectT:
		p.results(in.Types)
		if len(in.Types) == 0 {
			p.str(" (result)")
		}
	case wasm.ImmHeapType:
		p.str(" " + in.Heap.String())
	case wasm.ImmMemoryInit:
		if in.Y != 0 {
			p.printf(" %d", in.Y)
		}
		p.printf(" %d", in.X)
	case wasm.ImmMemoryCopy, wasm.ImmTableCopy:
		if in.X != 0 || in.Y != 0 {
			p.printf(" %d %d", in.X, in.Y)
		}
	case wasm.ImmTableInit:
		if in.Y != 0 {
			p.printf(" %d", in.Y)
		}
		p.printf(" %d", in.X)
	case wasm.ImmV128:
		p.str(" i32x4")
		for i := 0; i < 16; i += 4 {
			v := uint32(in.V128[i]) | uint32(in.V128[i+1])<<8 | uint32(in.V128[i+2])<<16 | uint32(in.V128[i+3])<<24
			p.printf(" 0x%08x", v)
		}
	case wasm.ImmShuffle:
		for _, l := range in.V128 {
			p.printf(" %d", l)
		}
	case wasm.ImmTypeField, wasm.ImmTypeN, wasm.ImmTypeData, wasm.ImmTypeElem, wasm.ImmTypeType:
		p.printf(" %d %d", in.X, in.Y)
	case wasm.ImmRefTest:
		nullable := in.Op == wasm.OpRefTestNull || in.Op == wasm.OpRefCastNull
		p.str(" " + watRefType(nullable, in.Heap))
	case wasm.ImmBrOnCast:
		p.printf(" %d %s %s", in.X, watRefType(in.Flags&1 != 0, in.Heap), watRefType(in.Flags&2 != 0, in.Heap2))
	default:
		p.fail(fmt.Errorf("print: %s: unsupported immediate kind %d", name, info.Imm))
	}
}

// memArg prints the memory index (when not 0), offset (when not 0) and
// alignment (when not the natural one) of a load or store.
func (p *printer) memArg(in *wasm.Instr) {
	if in.Mem.Mem != 0 {
		p.printf(" %d", in.Mem.Mem)
	}
	if in.Mem.Offset != 0 {
		p.printf(" offset=%d", in.Mem.Offset)
	}
	if in.Mem.Align != watNaturalAlign(in.Op) {
		p.printf(" align=%d", uint64(1)<<(in.Mem.Align&63))
	}
}

// watNaturalAlign returns log2 of the access width in bytes of a load or
// store, from its mnemonic: i32.load → 2, i64.load8_s → 0,
// v128.load16x4_s → 3, v128.store32_lane → 2...
func watNaturalAlign(op wasm.Opcode) uint32 {
	name := op.String()
	dot := strings.IndexByte(name, '.')
	typ, rest := name[:dot], name[dot+1:]
	rest = strings.TrimPrefix(strings.TrimPrefix(rest, "load"), "store")
	bits := 0
	switch typ {
	case "i32", "f32":
		bits = 32
	case "i64", "f64":
		bits = 64
	case "v128":
		bits = 128
	}
	n, i := 0, 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		n = n*10 + int(rest[i]-'0')
		i++
	}
	if n != 0 {
		bits = n
		if i < len(rest) && rest[i] == 'x' { // v128.loadNxM: N*M bits
			m, j := 0, i+1
			for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
				m = m*10 + int(rest[j]-'0')
				j++
			}
			bits = n * m
		}
	}
	a := uint32(0)
	for b := bits / 8; b > 1; b >>= 1 {
		a++
	}
	return a
}

// watF32 spells the float32 with the given bits so that it parses back
// to the same bits: the shortest round-tripping decimal, inf, or nan with
// its payload when it is not the canonical one.
func watF32(bits uint32) string {
	if s, ok := watNonFinite(uint64(bits), 32, 23); ok {
		return s
	}
	return strconv.FormatFloat(float64(math.Float32frombits(bits)), 'g', -1, 32)
}

// watF64 is watF32 for float64.
func watF64(bits uint64) string {
	if s, ok := watNonFinite(bits, 64, 52); ok {
		return s
	}
	return strconv.FormatFloat(math.Float64frombits(bits), 'g', -1, 64)
}

// watNonFinite spells an infinity or NaN of size bits with mantBits
// fraction bits: [-]inf, [-]nan for the canonical payload, or
// [-]nan:0x<payload>. ok is false for a finite value.
func watNonFinite(bits uint64, size, mantBits int) (s string, ok bool) {
	expMask := uint64(1)<<(size-1-mantBits) - 1
	if bits>>mantBits&expMask != expMask {
		return "", false
	}
	sign := ""
	if bits>>(size-1)&1 != 0 {
		sign = "-"
	}
	switch frac := bits & (1<<mantBits - 1); frac {
	case 0:
		return sign + "inf", true
	case 1 << (mantBits - 1):
		return sign + "nan", true
	default:
		return fmt.Sprintf("%snan:0x%x", sign, frac), true
	}
}

// instrText returns the text of one instruction.
func (p *printer) instrText(in *wasm.Instr) string {
	save := p.buf
	p.buf = nil
	p.instr(in)
	s := string(p.buf)
	p.buf = save
	return s
}

// printMaxFoldedLen bounds the length of a folded expression: longer operand
// chains are printed as separate expressions rather than nested.
const printMaxFoldedLen = 1000

// foldedExpr is an instruction printed in folded form whose operands are
// known, waiting to become the operand of a later instruction.
type foldedExpr struct {
	text    string
	results int // number of results; only 1-result expressions nest
}

// foldedBody prints a body in the folded form. Folding never reorders
// instructions: an instruction with a known number of operands takes as
// operands the immediately preceding single-result expressions, so the
// folded text unfolds to exactly the original sequence.
func (p *printer) foldedBody(body []byte, base int, ft *wasm.FuncType) error {
	r := binary.NewReader(body, base)
	var pending []foldedExpr
	flush := func() {
		for _, e := range pending {
			p.newline()
			p.str(e.text)
		}
		pending = pending[:0]
	}
	closeParen := func() {
		p.indent--
		p.newline()
		p.str(")")
	}
	open := func(s string) {
		p.newline()
		p.str(s)
		p.indent++
	}
	const (
		frameBlock = iota
		frameClause
	)
	var frames []int // frameClause for if and try, which have an inner (then ...), (do ...)... clause
	// labels holds the arity of each enclosing label, innermost last, or
	// -1 when unknown; labels[0] is the function's.
	labels := []int{-1}
	if ft != nil {
		labels[0] = len(ft.Results)
	}
	pushLabel := func(in *wasm.Instr) {
		params, results, ok := p.blockArity(in.Block)
		switch {
		case !ok:
			labels = append(labels, -1)
		case in.Op == wasm.OpLoop:
			labels = append(labels, params)
		default:
			labels = append(labels, results)
		}
	}
	popLabel := func() {
		if len(labels) > 1 {
			labels = labels[:len(labels)-1]
		}
	}
	in := &p.in
	for {
		if err := readBodyInstr(r, in); err != nil {
			return err
		}
		switch in.Op {
		case wasm.OpEnd:
			flush()
			if len(frames) == 0 {
				return checkBodyDone(r)
			}
			if frames[len(frames)-1] == frameClause {
				closeParen()
			}
			frames = frames[:len(frames)-1]
			popLabel()
			closeParen()
		case wasm.OpElse:
			flush()
			closeParen()
			open("(else")
		case wasm.OpCatch, wasm.OpCatchAll:
			flush()
			closeParen()
			open("(" + p.instrText(in))
		case wasm.OpDelegate:
			flush()
			closeParen()
			p.newline()
			p.str("(" + p.instrText(in) + ")")
			closeParen()
			if len(frames) > 0 {
				frames = frames[:len(frames)-1]
			}
			popLabel()
		case wasm.OpBlock, wasm.OpLoop, wasm.OpTryTable:
			flush()
			open("(" + p.instrText(in))
			frames = append(frames, frameBlock)
			pushLabel(in)
		case wasm.OpIf:
			cond := ""
			if n := len(pending); n > 0 && pending[n-1].results == 1 {
				cond = pending[n-1].text
				pending = pending[:n-1]
			}
			flush()
			open("(" + p.instrText(in))
			if cond != "" {
				p.newline()
				p.str(cond)
			}
			open("(then")
			frames = append(frames, frameClause)
			pushLabel(in)
		case wasm.OpTry:
			flush()
			open("(" + p.instrText(in))
			open("(do")
			frames = append(frames, frameClause)
			pushLabel(in)
		default:
			text := p.instrText(in)
			nargs, nres, ok := p.effect(in, ft)
			if !ok {
				nargs, nres, ok = printBranchEffect(in, labels)
			}
			n := len(pending)
			nest := ok && nargs <= n
			if nest {
				size := len(text)
				for _, e := range pending[n-nargs:] {
					size += len(e.text)
					if e.results != 1 {
						nest = false
					}
				}
				if size > printMaxFoldedLen {
					nest = false // keep the work linear in the size of the code
				}
			}
			if !ok {
				nres = -1
			}
			if nest {
				var b strings.Builder
				b.WriteString("(" + text)
				for _, e := range pending[n-nargs:] {
					b.WriteString(" " + e.text)
				}
				b.WriteString(")")
				pending = append(pending[:n-nargs], foldedExpr{b.String(), nres})
			} else {
				flush()
				pending = append(pending, foldedExpr{"(" + text + ")", nres})
			}
			if pending[len(pending)-1].results != 1 {
				flush()
			}
		}
	}
}

// effect returns how many operands an instruction pops and how many
// results it pushes, when that is known without validation.
func (p *printer) effect(in *wasm.Instr, ft *wasm.FuncType) (params, results int, ok bool) {
	info := in.Op.Info()
	if info.Simple {
		return len(info.Params), len(info.Results), true
	}
	m := p.m
	funcType := func(idx uint32) *wasm.FuncType { return m.FuncTypeAt(idx) }
	switch in.Op {
	case wasm.OpUnreachable, wasm.OpNop:
		return 0, 0, true
	case wasm.OpLocalGet, wasm.OpGlobalGet, wasm.OpRefNull, wasm.OpRefFunc, wasm.OpTableSize,
		wasm.OpStructNewDefault:
		return 0, 1, true
	case wasm.OpLocalSet, wasm.OpGlobalSet, wasm.OpDrop, wasm.OpThrowRef:
		return 1, 0, true
	case wasm.OpLocalTee, wasm.OpRefIsNull, wasm.OpRefAsNonNull, wasm.OpTableGet, wasm.OpRefI31,
		wasm.OpI31GetS, wasm.OpI31GetU, wasm.OpAnyConvertExtern, wasm.OpExternConvertAny,
		wasm.OpStructGet, wasm.OpStructGetS, wasm.OpStructGetU, wasm.OpArrayNewDefault,
		wasm.OpArrayLen, wasm.OpRefTest, wasm.OpRefTestNull, wasm.OpRefCast, wasm.OpRefCastNull:
		return 1, 1, true
	case wasm.OpSelect, wasm.OpSelectT:
		return 3, 1, true
	case wasm.OpTableSet, wasm.OpStructSet:
		return 2, 0, true
	case wasm.OpTableGrow, wasm.OpArrayNew, wasm.OpArrayNewData, wasm.OpArrayNewElem,
		wasm.OpArrayGet, wasm.OpArrayGetS, wasm.OpArrayGetU:
		return 2, 1, true
	case wasm.OpTableFill, wasm.OpTableCopy, wasm.OpTableInit, wasm.OpArraySet:
		return 3, 0, true
	case wasm.OpArrayFill, wasm.OpArrayInitData, wasm.OpArrayInitElem:
		return 4, 0, true
	case wasm.OpArrayCopy:
		return 5, 0, true
	case wasm.OpArrayNewFixed:
		if in.Y > 1<<16 {
			return 0, 0, false
		}
		return int(in.Y), 1, true
	case wasm.OpStructNew:
		if int64(in.X) < int64(len(m.Types)) && m.Types[in.X].Comp.Kind == wasm.CompStruct {
			return len(m.Types[in.X].Comp.Fields), 1, true
		}
	case wasm.OpReturn:
		if ft != nil {
			return len(ft.Results), 0, true
		}
	case wasm.OpCall, wasm.OpReturnCall:
		if int64(in.X) < int64(len(p.funcTypes)) {
			if t := funcType(p.funcTypes[in.X]); t != nil {
				if in.Op == wasm.OpReturnCall {
					return len(t.Params), 0, true
				}
				return len(t.Params), len(t.Results), true
			}
		}
	case wasm.OpCallIndirect, wasm.OpReturnCallIndirect, wasm.OpCallRef, wasm.OpReturnCallRef:
		if t := funcType(in.X); t != nil {
			if in.Op == wasm.OpReturnCallIndirect || in.Op == wasm.OpReturnCallRef {
				return len(t.Params) + 1, 0, true
			}
			return len(t.Params) + 1, len(t.Results), true
		}
	case wasm.OpThrow:
		var tidx uint32
		found := false
		n := uint32(0)
		for i := range m.Imports {
			if m.Imports[i].Kind == wasm.ExternTag {
				if n == in.X {
					tidx, found = m.Imports[i].Func, true
				}
				n++
			}
		}
		if !found && int64(in.X-n) < int64(len(m.Tags)) && in.X >= n {
			tidx, found = m.Tags[in.X-n].Type, true
		}
		if found {
			if t := funcType(tidx); t != nil {
				return len(t.Params), 0, true
			}
		}
	}
	return 0, 0, false
}

// blockArity returns the number of parameters and results of a block
// type.
func (p *printer) blockArity(bt wasm.BlockType) (params, results int, ok bool) {
	switch bt.Kind {
	case wasm.BlockEmpty:
		return 0, 0, true
	case wasm.BlockValue:
		return 0, 1, true
	}
	if ft := p.m.FuncTypeAt(bt.Index); ft != nil {
		return len(ft.Params), len(ft.Results), true
	}
	return 0, 0, false
}

// printBranchEffect is effect for br, br_if and br_table, given the arities of
// the enclosing labels (innermost last, -1 when unknown).
func printBranchEffect(in *wasm.Instr, labels []int) (params, results int, ok bool) {
	arity := func(l uint32) int {
		if int64(l) >= int64(len(labels)) {
			return -1
		}
		return labels[len(labels)-1-int(l)]
	}
	switch in.Op {
	case wasm.OpBr:
		if a := arity(in.X); a >= 0 {
			return a, 0, true
		}
	case wasm.OpBrIf:
		if a := arity(in.X); a >= 0 {
			return a + 1, a, true
		}
	case wasm.OpBrTable:
		if a := arity(in.X); a >= 0 {
			return a + 1, 0, true
		}
	}
	return 0, 0, false
}
