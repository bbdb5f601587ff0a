package component

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// WAVE is the WebAssembly Value Encoding, the text form of component
// values used by wasmtime and wasm-tools: 3, -1.5, nan, inf, 'x',
// "str", [1, 2], {name: "x", age: 3}, (1, "a"), some(x), none, ok(x),
// err(e), ok, case(x), case, {read, write}. Labels are kebab-case; a
// label that is a keyword (true, false, some, none, ok, err, inf, nan) is
// written with a '%' prefix.

var waveKeywords = map[string]bool{"true": true, "false": true, "some": true, "none": true,
	"ok": true, "err": true, "inf": true, "nan": true}

func waveLabel(s string) string {
	if waveKeywords[s] {
		return "%" + s
	}
	return s
}

// FormatWAVE returns v in WAVE.
func FormatWAVE(v Val) string {
	var b strings.Builder
	formatWAVE(&b, v)
	return b.String()
}

func formatFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'f', -1, bits)
}

func escapeRune(b *strings.Builder, r rune, quote rune) {
	switch r {
	case '\\':
		b.WriteString(`\\`)
	case '\n':
		b.WriteString(`\n`)
	case '\r':
		b.WriteString(`\r`)
	case '\t':
		b.WriteString(`\t`)
	case quote:
		b.WriteByte('\\')
		b.WriteRune(r)
	default:
		if r < 0x20 || r == 0x7f {
			fmt.Fprintf(b, `\u{%x}`, r)
		} else {
			b.WriteRune(r)
		}
	}
}

func formatWAVE(b *strings.Builder, v Val) {
	v = v.expand()
	switch v.Kind {
	case KindBool:
		b.WriteString(strconv.FormatBool(v.AsBool()))
	case KindS8, KindS16, KindS32, KindS64:
		b.WriteString(strconv.FormatInt(v.AsInt(), 10))
	case KindU8, KindU16, KindU32, KindU64:
		b.WriteString(strconv.FormatUint(v.bits, 10))
	case KindF32:
		b.WriteString(formatFloat(float64(v.AsF32()), 32))
	case KindF64:
		b.WriteString(formatFloat(v.AsF64(), 64))
	case KindChar:
		b.WriteByte('\'')
		escapeRune(b, v.AsChar(), '\'')
		b.WriteByte('\'')
	case KindString:
		b.WriteByte('"')
		for _, r := range v.str {
			escapeRune(b, r, '"')
		}
		b.WriteByte('"')
	case KindList, KindFixedList:
		b.WriteByte('[')
		for i, e := range v.elems {
			if i > 0 {
				b.WriteString(", ")
			}
			formatWAVE(b, e)
		}
		b.WriteByte(']')
	case KindTuple:
		b.WriteByte('(')
		for i, e := range v.elems {
			if i > 0 {
				b.WriteString(", ")
			}
			formatWAVE(b, e)
		}
		b.WriteByte(')')
	case KindRecord:
		b.WriteByte('{')
		n := 0
		for i, e := range v.elems {
			if e.Kind == KindOption && !e.IsSome() {
				continue // none fields may be omitted
			}
			if n > 0 {
				b.WriteString(", ")
			}
			n++
			b.WriteString(waveLabel(v.names[i]))
			b.WriteString(": ")
			formatWAVE(b, e)
		}
		if n == 0 {
			// every field is none: spell them out, {} being flags
			for i := range v.elems {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(waveLabel(v.names[i]) + ": none")
			}
		}
		b.WriteByte('}')
	case KindVariant, KindEnum:
		b.WriteString(waveLabel(v.str))
		if len(v.elems) > 0 {
			b.WriteByte('(')
			formatWAVE(b, v.elems[0])
			b.WriteByte(')')
		}
	case KindOption:
		if !v.IsSome() {
			b.WriteString("none")
			return
		}
		b.WriteString("some(")
		formatWAVE(b, v.elems[0])
		b.WriteByte(')')
	case KindResult:
		if v.IsErr() {
			b.WriteString("err")
		} else {
			b.WriteString("ok")
		}
		if len(v.elems) > 0 {
			b.WriteByte('(')
			formatWAVE(b, v.elems[0])
			b.WriteByte(')')
		}
	case KindFlags:
		b.WriteByte('{')
		for i, n := range v.names {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(waveLabel(n))
		}
		b.WriteByte('}')
	case KindOwn, KindBorrow:
		fmt.Fprintf(b, "%v#%d", v.Kind, v.bits)
	default:
		fmt.Fprintf(b, "<%v>", v.Kind)
	}
}

// waveParser is a type-directed WAVE parser.
type waveParser struct {
	s   string
	pos int
}

func (p *waveParser) errf(format string, args ...any) error {
	return fmt.Errorf("wave: offset %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *waveParser) skipSpace() {
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			p.pos++
		} else if strings.HasPrefix(p.s[p.pos:], "//") {
			for p.pos < len(p.s) && p.s[p.pos] != '\n' {
				p.pos++
			}
		} else {
			return
		}
	}
}

func (p *waveParser) peek() byte {
	p.skipSpace()
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *waveParser) eat(c byte) bool {
	if p.peek() == c {
		p.pos++
		return true
	}
	return false
}

func (p *waveParser) expect(c byte) error {
	if !p.eat(c) {
		if p.pos >= len(p.s) {
			return p.errf("expected %q, got end of input", c)
		}
		return p.errf("expected %q, got %q", c, p.s[p.pos])
	}
	return nil
}

func isLabelByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

// label reads a label or keyword; escaped reports a '%' prefix.
func (p *waveParser) label() (s string, escaped bool, err error) {
	p.skipSpace()
	if p.pos < len(p.s) && p.s[p.pos] == '%' {
		escaped = true
		p.pos++
	}
	start := p.pos
	for p.pos < len(p.s) && isLabelByte(p.s[p.pos]) {
		p.pos++
	}
	s = p.s[start:p.pos]
	if s == "" {
		return "", escaped, p.errf("expected a label")
	}
	if !isLabel(s) {
		return "", escaped, p.errf("invalid label %q", s)
	}
	return s, escaped, nil
}

// number reads the text of a number token.
func (p *waveParser) number() string {
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || c >= 'a' && c <= 'z' {
			p.pos++
		} else {
			break
		}
	}
	return p.s[start:p.pos]
}

// ParseWAVE parses s, a WAVE value of type t.
func ParseWAVE(t *Type, s string) (Val, error) {
	p := &waveParser{s: s}
	v, err := p.value(t, 0)
	if err != nil {
		return Val{}, err
	}
	if p.skipSpace(); p.pos != len(p.s) {
		return Val{}, p.errf("unexpected trailing input %q", p.s[p.pos:])
	}
	return v, nil
}

// intBits returns the width of an integer kind.
func intBits(k ValKind) int {
	switch k {
	case KindS8, KindU8:
		return 8
	case KindS16, KindU16:
		return 16
	case KindS32, KindU32:
		return 32
	}
	return 64
}

// found quotes the number text n, or, when there is none, what stands at
// the parser's position, for error messages.
func (p *waveParser) found(n string) string {
	if n != "" {
		return strconv.Quote(n)
	}
	rest := p.s[p.pos:]
	if i := strings.IndexAny(rest, ",)]}"); i >= 0 {
		rest = rest[:i]
	}
	if rest = strings.TrimSpace(rest); rest == "" {
		return "(nothing)"
	}
	if len(rest) > 24 {
		rest = rest[:24] + "…"
	}
	return strconv.Quote(rest)
}

// ParseWAVECall parses a call expression "name(arg, ...)" whose arguments
// are typed by the parameters of ft, returning the function name and the
// arguments.
func ParseWAVECall(ft *FuncType, s string) (string, []Val, error) {
	open := strings.IndexByte(s, '(')
	if open < 0 {
		return "", nil, fmt.Errorf("wave: call %q: missing '('", s)
	}
	name := strings.TrimSpace(s[:open])
	if name == "" {
		return "", nil, fmt.Errorf("wave: call %q: missing function name", s)
	}
	p := &waveParser{s: s, pos: open + 1}
	args := make([]Val, 0, len(ft.Params))
	arity := func(err error) error {
		return fmt.Errorf("wave: %s takes %d arguments: %w", name, len(ft.Params), err)
	}
	for i, prm := range ft.Params {
		if i > 0 {
			if err := p.expect(','); err != nil {
				return "", nil, arity(err)
			}
		}
		v, err := p.value(prm.Type, 0)
		if err != nil {
			return "", nil, fmt.Errorf("argument %s: %w", prm.Name, err)
		}
		args = append(args, v)
	}
	if len(ft.Params) > 0 {
		p.eat(',')
	}
	if err := p.expect(')'); err != nil {
		return "", nil, arity(err)
	}
	if p.skipSpace(); p.pos != len(p.s) {
		return "", nil, p.errf("unexpected trailing input %q", p.s[p.pos:])
	}
	return name, args, nil
}

func (p *waveParser) value(t *Type, depth int) (Val, error) {
	if depth > 500 {
		return Val{}, p.errf("value nested too deeply")
	}
	if t == nil {
		return Val{}, p.errf("no type")
	}
	switch t.Kind {
	case KindBool:
		l, esc, err := p.label()
		if err != nil || esc || (l != "true" && l != "false") {
			return Val{}, p.errf("expected true or false")
		}
		return Bool(l == "true"), nil
	case KindS8, KindS16, KindS32, KindS64:
		start := p.pos
		n := p.number()
		bits := intBits(t.Kind)
		x, err := strconv.ParseInt(n, 10, bits)
		if err != nil || strings.HasPrefix(n, "+") {
			p.pos = start
			return Val{}, p.errf("invalid %v %s", t.Kind, p.found(n))
		}
		return Val{Kind: t.Kind, bits: uint64(x)}, nil
	case KindU8, KindU16, KindU32, KindU64:
		start := p.pos
		n := p.number()
		bits := intBits(t.Kind)
		x, err := strconv.ParseUint(n, 10, bits)
		if err != nil || strings.HasPrefix(n, "+") {
			p.pos = start
			return Val{}, p.errf("invalid %v %s", t.Kind, p.found(n))
		}
		return Val{Kind: t.Kind, bits: x}, nil
	case KindF32, KindF64:
		start := p.pos
		n := p.number()
		var f float64
		switch n {
		case "nan":
			f = math.NaN()
		case "inf":
			f = math.Inf(1)
		case "-inf":
			f = math.Inf(-1)
		default:
			bits := 64
			if t.Kind == KindF32 {
				bits = 32
			}
			var err error
			f, err = strconv.ParseFloat(n, bits)
			ok := err == nil && n != "" && !strings.HasPrefix(n, "+") && !strings.ContainsAny(n, "xXpP_") &&
				!strings.HasPrefix(n, ".") && !strings.HasSuffix(n, ".") && !strings.EqualFold(n, "infinity") &&
				!math.IsInf(f, 0) && !math.IsNaN(f)
			if !ok {
				p.pos = start
				return Val{}, p.errf("invalid %v %s", t.Kind, p.found(n))
			}
		}
		if t.Kind == KindF32 {
			return F32(float32(f)), nil
		}
		return F64(f), nil
	case KindChar:
		p.skipSpace()
		if !p.eat('\'') {
			return Val{}, p.errf("expected a char literal")
		}
		r, err := p.char('\'')
		if err != nil {
			return Val{}, err
		}
		if p.pos >= len(p.s) || p.s[p.pos] != '\'' {
			return Val{}, p.errf("char literal must hold one character")
		}
		p.pos++
		return Char(r), nil
	case KindString:
		p.skipSpace()
		if strings.HasPrefix(p.s[p.pos:], `"""`) {
			return p.multiline()
		}
		if !p.eat('"') {
			return Val{}, p.errf("expected a string literal")
		}
		var b strings.Builder
		for {
			if p.pos >= len(p.s) {
				return Val{}, p.errf("unterminated string")
			}
			if p.s[p.pos] == '"' {
				p.pos++
				return String(b.String()), nil
			}
			r, err := p.char('"')
			if err != nil {
				return Val{}, err
			}
			b.WriteRune(r)
		}
	case KindList, KindFixedList:
		if err := p.expect('['); err != nil {
			return Val{}, err
		}
		var elems []Val
		for !p.eat(']') {
			if len(elems) > 0 {
				if err := p.expect(','); err != nil {
					return Val{}, err
				}
				if p.eat(']') {
					break
				}
			}
			e, err := p.value(t.Elem, depth+1)
			if err != nil {
				return Val{}, err
			}
			elems = append(elems, e)
		}
		if t.Kind == KindFixedList && len(elems) != t.Len {
			return Val{}, p.errf("expected %d elements, got %d", t.Len, len(elems))
		}
		return Val{Kind: t.Kind, elems: elems}, nil
	case KindTuple:
		if err := p.expect('('); err != nil {
			return Val{}, err
		}
		elems := make([]Val, len(t.Types))
		for i, et := range t.Types {
			if i > 0 {
				if err := p.expect(','); err != nil {
					return Val{}, err
				}
			}
			e, err := p.value(et, depth+1)
			if err != nil {
				return Val{}, err
			}
			elems[i] = e
		}
		p.eat(',')
		if err := p.expect(')'); err != nil {
			return Val{}, err
		}
		return Tuple(elems...), nil
	case KindRecord:
		if err := p.expect('{'); err != nil {
			return Val{}, err
		}
		vals := make([]Val, len(t.Fields))
		seen := make([]bool, len(t.Fields))
		n := 0
		if p.eat(':') { // {:} is the empty record
			if err := p.expect('}'); err != nil {
				return Val{}, err
			}
		} else {
			for !p.eat('}') {
				if n > 0 {
					if err := p.expect(','); err != nil {
						return Val{}, err
					}
					if p.eat('}') {
						break
					}
				}
				l, _, err := p.label()
				if err != nil {
					return Val{}, err
				}
				i := -1
				for j, f := range t.Fields {
					if f.Name == l {
						i = j
					}
				}
				if i < 0 {
					return Val{}, p.errf("no field %q in %v", l, t)
				}
				if seen[i] {
					return Val{}, p.errf("duplicate field %q", l)
				}
				if err := p.expect(':'); err != nil {
					return Val{}, err
				}
				if vals[i], err = p.value(t.Fields[i].Type, depth+1); err != nil {
					return Val{}, err
				}
				seen[i] = true
				n++
			}
		}
		for i, f := range t.Fields {
			if !seen[i] {
				if f.Type.Kind != KindOption {
					return Val{}, p.errf("missing field %q", f.Name)
				}
				vals[i] = None()
			}
		}
		v := Val{Kind: KindRecord, elems: vals, names: make([]string, len(t.Fields))}
		for i, f := range t.Fields {
			v.names[i] = f.Name
		}
		return v, nil
	case KindFlags:
		if err := p.expect('{'); err != nil {
			return Val{}, err
		}
		var set []string
		for !p.eat('}') {
			if len(set) > 0 {
				if err := p.expect(','); err != nil {
					return Val{}, err
				}
				if p.eat('}') {
					break
				}
			}
			l, _, err := p.label()
			if err != nil {
				return Val{}, err
			}
			if labelIndex(t.Labels, l) < 0 {
				return Val{}, p.errf("no flag %q in %v", l, t)
			}
			if labelIndex(set, l) >= 0 {
				return Val{}, p.errf("duplicate flag %q", l)
			}
			set = append(set, l)
		}
		// keep the type's order
		ordered := make([]string, 0, len(set))
		for _, l := range t.Labels {
			if labelIndex(set, l) >= 0 {
				ordered = append(ordered, l)
			}
		}
		return Flags(ordered...), nil
	case KindEnum:
		l, esc, err := p.label()
		if err != nil {
			return Val{}, err
		}
		if !esc && waveKeywords[l] {
			return Val{}, p.errf("keyword %q used as a case name (write %%%s)", l, l)
		}
		if labelIndex(t.Labels, l) < 0 {
			return Val{}, p.errf("no case %q in %v", l, t)
		}
		return Enum(l), nil
	case KindVariant:
		l, esc, err := p.label()
		if err != nil {
			return Val{}, err
		}
		if !esc && waveKeywords[l] {
			return Val{}, p.errf("keyword %q used as a case name (write %%%s)", l, l)
		}
		i := caseIndex(t, l)
		if i < 0 {
			return Val{}, p.errf("no case %q in %v", l, t)
		}
		pl, err := p.payload(t.Cases[i].Type, l, depth)
		if err != nil {
			return Val{}, err
		}
		return Variant(l, pl), nil
	case KindOption:
		l, esc, err := p.label()
		if err != nil || esc || (l != "some" && l != "none") {
			return Val{}, p.errf("expected some(...) or none")
		}
		if l == "none" {
			return None(), nil
		}
		pl, err := p.payload(t.Elem, l, depth)
		if err != nil {
			return Val{}, err
		}
		return Some(*pl), nil
	case KindResult:
		l, esc, err := p.label()
		if err != nil || esc || (l != "ok" && l != "err") {
			return Val{}, p.errf("expected ok or err")
		}
		pt := t.OK
		if l == "err" {
			pt = t.Err
		}
		pl, err := p.payload(pt, l, depth)
		if err != nil {
			return Val{}, err
		}
		if l == "err" {
			return Err(pl), nil
		}
		return Ok(pl), nil
	}
	return Val{}, p.errf("cannot parse values of type %v", t)
}

// payload reads "(x)" for a case with payload type t, or nothing when t
// is nil.
func (p *waveParser) payload(t *Type, name string, depth int) (*Val, error) {
	if t == nil {
		if p.peek() == '(' {
			return nil, p.errf("case %q has no payload", name)
		}
		return nil, nil
	}
	if err := p.expect('('); err != nil {
		return nil, p.errf("case %q needs a payload", name)
	}
	v, err := p.value(t, depth+1)
	if err != nil {
		return nil, err
	}
	if err := p.expect(')'); err != nil {
		return nil, err
	}
	return &v, nil
}

// char reads one character or escape of a quoted literal.
func (p *waveParser) char(quote byte) (rune, error) {
	if p.pos >= len(p.s) {
		return 0, p.errf("unterminated literal")
	}
	c := p.s[p.pos]
	if c == '\n' || c == '\r' {
		return 0, p.errf("newline in literal")
	}
	if c == quote {
		return 0, p.errf("empty literal")
	}
	if c != '\\' {
		r, n := utf8.DecodeRuneInString(p.s[p.pos:])
		if r == utf8.RuneError && n <= 1 {
			return 0, p.errf("invalid UTF-8")
		}
		p.pos += n
		return r, nil
	}
	p.pos++
	if p.pos >= len(p.s) {
		return 0, p.errf("unterminated escape")
	}
	e := p.s[p.pos]
	p.pos++
	switch e {
	case '\\', '\'', '"':
		return rune(e), nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		if p.pos >= len(p.s) || p.s[p.pos] != '{' {
			return 0, p.errf("expected '{' after \\u")
		}
		end := strings.IndexByte(p.s[p.pos:], '}')
		if end < 0 {
			return 0, p.errf("unterminated \\u escape")
		}
		hex := p.s[p.pos+1 : p.pos+end]
		x, err := strconv.ParseUint(hex, 16, 32)
		if err != nil || hex == "" || len(hex) > 6 || !utf8.ValidRune(rune(x)) {
			return 0, p.errf("invalid \\u escape %q", hex)
		}
		p.pos += end + 1
		return rune(x), nil
	}
	return 0, p.errf("invalid escape \\%c", e)
}

// multiline reads a """ string: the opening """ ends its line, and the
// common leading whitespace of the closing line is removed.
func (p *waveParser) multiline() (Val, error) {
	p.pos += 3
	nl := strings.IndexByte(p.s[p.pos:], '\n')
	if nl < 0 || strings.TrimSpace(p.s[p.pos:p.pos+nl]) != "" {
		return Val{}, p.errf(`""" must be followed by a newline`)
	}
	p.pos += nl + 1
	var b strings.Builder
	for {
		if p.pos >= len(p.s) {
			return Val{}, p.errf("unterminated string")
		}
		if strings.HasPrefix(p.s[p.pos:], `"""`) {
			p.pos += 3
			break
		}
		c := p.s[p.pos]
		if c == '\n' || c == '\r' {
			b.WriteByte(c)
			p.pos++
			continue
		}
		r, err := p.char(0)
		if err != nil {
			return Val{}, err
		}
		b.WriteRune(r)
	}
	// strip the indentation of the closing line from every line
	text := b.String()
	last := strings.LastIndexByte(text, '\n')
	indent := text[last+1:]
	if strings.TrimLeft(indent, " \t") != "" {
		return Val{}, p.errf(`closing """ must be on its own line`)
	}
	text = text[:max(last, 0)]
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, indent)
	}
	return String(strings.Join(lines, "\n")), nil
}
