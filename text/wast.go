package text

import (
	"encoding/binary"

	"github.com/gowasm/gowasm/wasm"
)

// ParseScript parses a WAST script: a sequence of modules, actions and
// assertions (or, as an abbreviation, the fields of a single module). It
// applies the Wasm 2.0 rules (see Options).
func ParseScript(src []byte, file string) (s *Script, err error) {
	return ParseScriptOptions(src, file, Options{})
}

// ParseScriptOptions is ParseScript with options.
func ParseScriptOptions(src []byte, file string, opt Options) (s *Script, err error) {
	p, err := newParser(src, file, opt)
	if err != nil {
		return nil, err
	}
	defer p.catch(&err)
	s = &Script{File: file}
	// A script may be a bare module.
	if kw := p.openKeyword(); kw != "" {
		if _, ok := fieldKinds[kw]; ok {
			pos := p.pos(int(p.peek().pos))
			m := p.moduleFields()
			if p.peek().kind != tokEOF {
				p.unexpected()
			}
			s.Commands = append(s.Commands, Command{Pos: pos, Kind: CmdModule,
				Module: &ScriptModule{Pos: pos, Form: ModuleText, Module: m}})
			return s, nil
		}
	}
	for p.peek().kind != tokEOF {
		if c, ok := p.command(); ok {
			s.Commands = append(s.Commands, c)
		}
	}
	return s, nil
}

// command parses one script command. It returns false for commands that
// are parsed but not represented (custom-section assertions, meta
// commands).
func (p *parser) command() (Command, bool) {
	start := p.peek()
	pos := p.pos(int(start.pos))
	c := Command{Pos: pos}
	kw := p.openKeyword()
	switch kw {
	case "module":
		if p.peekN(2).kind == tokKeyword && p.peekN(2).text == "instance" {
			p.i += 3
			c.Kind = CmdModuleInstance
			if p.peek().kind == tokID && p.peekN(1).kind == tokID {
				c.Name = p.next().text
				c.Def = p.next().text
			} else {
				c.Def = p.optID()
			}
			p.expectRParen()
			return c, true
		}
		c.Kind = CmdModule
		c.Module = p.scriptModule()
	case "register":
		p.i += 2
		c.Kind = CmdRegister
		c.As = p.name()
		c.Name = p.optID()
		p.expectRParen()
	case "invoke", "get":
		c.Kind = CmdAction
		c.Action = p.action()
	case "assert_return":
		p.i += 2
		c.Kind = CmdAssertReturn
		c.Action = p.action()
		c.Expected = []Const{}
		for p.peek().kind == tokLParen {
			c.Expected = append(c.Expected, p.result())
		}
		p.expectRParen()
	case "assert_trap":
		p.i += 2
		c.Kind = CmdAssertTrap
		if p.isOpen("module") {
			c.Module = p.scriptModule()
		} else {
			c.Action = p.action()
		}
		c.Message = p.str()
		p.expectRParen()
	case "assert_exhaustion":
		p.i += 2
		c.Kind = CmdAssertExhaustion
		c.Action = p.action()
		c.Message = p.str()
		p.expectRParen()
	case "assert_exception":
		p.i += 2
		c.Kind = CmdAssertException
		c.Action = p.action()
		p.expectRParen()
	case "assert_invalid", "assert_malformed", "assert_unlinkable":
		p.i += 2
		switch kw {
		case "assert_invalid":
			c.Kind = CmdAssertInvalid
		case "assert_malformed":
			c.Kind = CmdAssertMalformed
		default:
			c.Kind = CmdAssertUnlinkable
		}
		c.Module = p.scriptModule()
		c.Message = p.str()
		p.expectRParen()
	case "assert_invalid_custom", "assert_malformed_custom":
		p.i += 2
		p.scriptModule()
		p.str()
		p.expectRParen()
		return c, false
	default:
		if p.peek().kind == tokLParen {
			p.i++
		}
		p.unexpected()
	}
	return c, true
}

// scriptModule parses (module definition? $id? ...) in its text, binary
// or quote form.
func (p *parser) scriptModule() *ScriptModule {
	t := p.peek()
	sm := &ScriptModule{Pos: p.pos(int(t.pos))}
	if !p.isOpen("module") {
		p.unexpected()
	}
	p.i += 2
	if p.isKeyword("definition") {
		p.i++
		sm.Definition = true
	}
	sm.ID = p.optID()
	switch {
	case p.isKeyword("binary"):
		p.i++
		sm.Form = ModuleBinary
		sm.Binary = p.strings()
	case p.isKeyword("quote"):
		p.i++
		sm.Form = ModuleQuote
		sm.Quote = p.strings()
	default:
		sm.Form = ModuleText
		sm.Module = p.moduleFields()
		sm.Module.ID = sm.ID
		p.setModuleName(sm.Module)
	}
	p.expectRParen()
	return sm
}

// action parses (invoke $m? "name" const*) or (get $m? "name").
func (p *parser) action() *Action {
	a := &Action{Pos: p.pos(int(p.peek().pos))}
	switch {
	case p.isOpen("invoke"):
		a.Kind = ActionInvoke
	case p.isOpen("get"):
		a.Kind = ActionGet
	default:
		p.unexpected()
	}
	p.i += 2
	a.Module = p.optID()
	a.Name = p.name()
	if a.Kind == ActionInvoke {
		a.Args = []Const{}
		for p.peek().kind == tokLParen {
			a.Args = append(a.Args, p.constant(false))
		}
	}
	p.expectRParen()
	return a
}

// result parses a result pattern.
func (p *parser) result() Const {
	return p.constant(true)
}

// constant parses a script constant or, with pattern, a result pattern.
func (p *parser) constant(pattern bool) Const {
	mp := &modParser{p: p}
	p.expectLParen()
	t := p.next()
	if t.kind != tokKeyword {
		p.failAt(t, "unexpected token")
	}
	var c Const
	switch t.text {
	case "i32.const":
		c = Const{Kind: ConstNum, Type: wasm.I32, Lo: mp.intConst(32)}
	case "i64.const":
		c = Const{Kind: ConstNum, Type: wasm.I64, Lo: mp.intConst(64)}
	case "f32.const", "f64.const":
		f, ty := fmt32, wasm.F32
		if t.text == "f64.const" {
			f, ty = fmt64, wasm.F64
		}
		c = Const{Kind: ConstNum, Type: ty}
		if k, ok := p.nanPattern(pattern); ok {
			c.Kind = k
		} else {
			c.Lo = mp.floatConst(f)
		}
	case "v128.const":
		c = p.v128Pattern(mp, pattern)
	case "ref.null":
		c = Const{Kind: ConstRefNull}
		if p.peek().kind != tokRParen || !pattern {
			c.Type = wasm.RefType(true, mp.heapType())
		}
	case "ref.extern", "ref.host":
		c = Const{Kind: ConstRefExtern}
		if t.text == "ref.host" {
			c.Kind = ConstRefHost
		}
		if p.peek().kind != tokRParen || !pattern {
			c.Extern = p.u32()
			c.HasExtern = true
		}
	case "ref.func":
		if !pattern {
			p.failAt(t, "unexpected token %q", t.text)
		}
		c = Const{Kind: ConstRefFunc}
	case "ref.struct", "ref.array", "ref.i31", "ref.eq", "ref.any", "ref.exn", "ref":
		if !pattern {
			p.failAt(t, "unexpected token %q", t.text)
		}
		kind := "any"
		if t.text != "ref" {
			kind = t.text[len("ref."):]
		}
		c = Const{Kind: ConstRefAny, RefKind: kind}
	case "either":
		if !pattern {
			p.failAt(t, "unexpected token %q", t.text)
		}
		c = Const{Kind: ConstEither}
		for p.peek().kind == tokLParen {
			if p.isOpen("either") {
				p.fail("nested either")
			}
			c.Alts = append(c.Alts, p.constant(true))
		}
		if len(c.Alts) == 0 {
			p.unexpected()
		}
	default:
		p.failAt(t, "unexpected token %q", t.text)
	}
	p.expectRParen()
	return c
}

// nanPattern consumes nan:canonical or nan:arithmetic when allowed.
func (p *parser) nanPattern(pattern bool) (ConstKind, bool) {
	if !pattern {
		return 0, false
	}
	switch {
	case p.isKeyword("nan:canonical"):
		p.i++
		return ConstNaNCanonical, true
	case p.isKeyword("nan:arithmetic"):
		p.i++
		return ConstNaNArithmetic, true
	}
	return 0, false
}

// v128Pattern parses shape lane* after v128.const.
func (p *parser) v128Pattern(mp *modParser, pattern bool) Const {
	t := p.peek()
	if t.kind != tokKeyword {
		p.unexpected()
	}
	shape := t.text
	var lanes int
	var lt wasm.ValType
	var f floatFormat
	switch shape {
	case "i8x16":
		lanes, lt = 16, wasm.I32
	case "i16x8":
		lanes, lt = 8, wasm.I32
	case "i32x4":
		lanes, lt = 4, wasm.I32
	case "i64x2":
		lanes, lt = 2, wasm.I64
	case "f32x4":
		lanes, lt, f = 4, wasm.F32, fmt32
	case "f64x2":
		lanes, lt, f = 2, wasm.F64, fmt64
	default:
		p.unexpected()
	}
	if shape[0] == 'i' || !pattern {
		v := mp.v128Const()
		return v128Value(&v)
	}
	p.i++
	c := Const{Kind: ConstV128Lanes, Type: wasm.V128, Shape: shape}
	hasNaN := false
	var v [16]byte
	width := 16 / lanes
	for i := 0; i < lanes; i++ {
		if p.peek().kind == tokRParen {
			p.fail("wrong number of lane literals")
		}
		if k, ok := p.nanPattern(true); ok {
			hasNaN = true
			c.Lanes = append(c.Lanes, Const{Kind: k, Type: lt})
			continue
		}
		bits := mp.floatConst(f)
		c.Lanes = append(c.Lanes, Const{Kind: ConstNum, Type: lt, Lo: bits})
		putLane(&v, i, width, bits)
	}
	if !hasNaN {
		return v128Value(&v)
	}
	return c
}

// v128Value returns the v128 constant with the bytes v.
func v128Value(v *[16]byte) Const {
	return Const{Kind: ConstNum, Type: wasm.V128,
		Lo: binary.LittleEndian.Uint64(v[:8]), Hi: binary.LittleEndian.Uint64(v[8:])}
}
