package text

import (
	"encoding/binary"
	"math/bits"
	"strings"

	wbin "github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/wasm"
)

// funcCtx is the state of parsing one function body or constant
// expression.
type funcCtx struct {
	locals     map[string]uint32
	localNames map[uint32]string
	nlocals    uint32
	labels     []string         // innermost last
	labelPos   map[string][]int // positions in labels of each label id
	body       []byte
	depth      int
}

func (mp *modParser) newFuncCtx() *funcCtx { return &funcCtx{} }

// push enters a block with the label id ("" for none).
func (fc *funcCtx) push(id string) {
	if id != "" {
		if fc.labelPos == nil {
			fc.labelPos = make(map[string][]int)
		}
		fc.labelPos[id] = append(fc.labelPos[id], len(fc.labels))
	}
	fc.labels = append(fc.labels, id)
}

// pop leaves the innermost block.
func (fc *funcCtx) pop() {
	id := fc.labels[len(fc.labels)-1]
	fc.labels = fc.labels[:len(fc.labels)-1]
	if id != "" {
		pos := fc.labelPos[id]
		fc.labelPos[id] = pos[:len(pos)-1]
	}
}

func (fc *funcCtx) bindLocal(p *parser, idx uint32, id string) {
	if fc.locals == nil {
		fc.locals = make(map[string]uint32)
		fc.localNames = make(map[uint32]string)
	}
	if _, dup := fc.locals[id]; dup {
		p.fail("duplicate local $%s", id)
	}
	fc.locals[id] = idx
	fc.localNames[idx] = id
}

func (mp *modParser) enter(fc *funcCtx) {
	fc.depth++
	if fc.depth > maxDepth {
		mp.p.fail("nesting too deep")
	}
}

// instrStop lists the keywords that end an instruction sequence.
func instrStop(kw string) bool {
	switch kw {
	case "end", "else", "catch", "catch_all", "delegate":
		return true
	}
	return false
}

// foldedStop lists keywords after '(' that are not folded instructions.
func foldedStop(kw string) bool {
	switch kw {
	case "then", "else", "param", "result", "type", "local", "item", "offset", "export", "import",
		"catch", "catch_all", "catch_ref", "catch_all_ref", "do", "delegate":
		return true
	}
	return false
}

// instrs parses a sequence of plain and folded instructions.
func (mp *modParser) instrs(fc *funcCtx) {
	p := mp.p
	for {
		t := p.peek()
		switch t.kind {
		case tokLParen:
			u := p.peekN(1)
			if u.kind != tokKeyword || foldedStop(u.text) {
				return
			}
			mp.folded(fc)
		case tokKeyword:
			if instrStop(t.text) {
				return
			}
			mp.plain(fc)
		default:
			return
		}
	}
}

func (mp *modParser) emit(fc *funcCtx, in *wasm.Instr) {
	fc.body = wbin.AppendInstr(fc.body, in)
}

func (mp *modParser) emitOp(fc *funcCtx, op wasm.Opcode) {
	in := wasm.Instr{Op: op}
	fc.body = wbin.AppendInstr(fc.body, &in)
}

// label parses an optional block label and pushes it.
func (mp *modParser) pushLabel(fc *funcCtx) string {
	id := mp.p.optID()
	fc.push(id)
	return id
}

// endLabel checks an optional label after end or else.
func (mp *modParser) endLabel(label string) {
	p := mp.p
	if t := p.peek(); t.kind == tokID {
		if t.text != label {
			p.fail("mismatching label")
		}
		p.i++
	}
}

// blockType parses a block type: a type use where a lone result (or
// nothing) is encoded as a value type.
func (mp *modParser) blockType() wasm.BlockType {
	p := mp.p
	if p.isOpen("type") {
		x, _, _ := mp.typeUse(false)
		return wasm.BlockType{Kind: wasm.BlockIndex, Index: x}
	}
	ft, _ := mp.funcType(false)
	switch {
	case len(ft.Params) == 0 && len(ft.Results) == 0:
		return wasm.BlockType{Kind: wasm.BlockEmpty}
	case len(ft.Params) == 0 && len(ft.Results) == 1:
		return wasm.BlockType{Kind: wasm.BlockValue, Val: ft.Results[0]}
	}
	return wasm.BlockType{Kind: wasm.BlockIndex, Index: mp.findFuncType(&ft)}
}

// plain parses one plain instruction (block instructions included).
func (mp *modParser) plain(fc *funcCtx) {
	p := mp.p
	t := p.next()
	switch t.text {
	case "block", "loop", "if", "try_table":
		mp.enter(fc)
		op, _ := wasm.LookupOpcode(t.text)
		in := wasm.Instr{Op: op}
		var label string
		if t.text == "try_table" {
			label = p.optID()
			in.Block = mp.blockType()
			in.Catches = mp.catches(fc)
			fc.push(label)
		} else {
			label = mp.pushLabel(fc)
			in.Block = mp.blockType()
		}
		mp.emit(fc, &in)
		mp.instrs(fc)
		if t.text == "if" && p.isKeyword("else") {
			p.i++
			mp.endLabel(label)
			mp.emitOp(fc, wasm.OpElse)
			mark := len(fc.body)
			mp.instrs(fc)
			if len(fc.body) == mark {
				// An empty else is omitted, as the reference encoder does.
				fc.body = fc.body[:mark-1]
			}
		}
		p.expectKeyword("end")
		mp.endLabel(label)
		mp.emitOp(fc, wasm.OpEnd)
		fc.pop()
		fc.depth--
		return
	}
	if t.text == "try" {
		mp.legacyTry(fc, false)
		return
	}
	in := mp.op(fc, t)
	mp.emit(fc, &in)
}

// legacyTry parses the rest of a legacy exception handling try block (plain
// or folded), after the try keyword:
// label? blocktype instr* (catch x instr*)* (catch_all instr*)? end, or
// label? blocktype instr* delegate l, and their folded forms with (do ...),
// (catch x ...), (catch_all ...) and (delegate l).
func (mp *modParser) legacyTry(fc *funcCtx, folded bool) {
	p := mp.p
	mp.enter(fc)
	label := mp.pushLabel(fc)
	in := wasm.Instr{Op: wasm.OpTry, Block: mp.blockType()}
	mp.emit(fc, &in)
	if folded {
		p.expectLParen()
		p.expectKeyword("do")
		mp.instrs(fc)
		p.expectRParen()
	} else {
		mp.instrs(fc)
	}
	ncatch := 0
	for {
		open := folded && (p.isOpen("catch") || p.isOpen("catch_all"))
		if !open && !(!folded && (p.isKeyword("catch") || p.isKeyword("catch_all"))) {
			break
		}
		if open {
			p.i++
		}
		kw := p.next().text
		if kw == "catch" {
			mp.emit(fc, &wasm.Instr{Op: wasm.OpCatch, X: p.idx(&mp.tags)})
		} else {
			mp.emitOp(fc, wasm.OpCatchAll)
		}
		mp.instrs(fc)
		if open {
			p.expectRParen()
		}
		ncatch++
		if kw == "catch_all" {
			break // catch_all comes last
		}
	}
	delegate := ncatch == 0 && (folded && p.isOpen("delegate") || !folded && p.isKeyword("delegate"))
	if delegate {
		if folded {
			p.i++
		}
		p.i++
		fc.pop()
		mp.emit(fc, &wasm.Instr{Op: wasm.OpDelegate, X: mp.labelIdx(fc)})
		if folded {
			p.expectRParen()
		}
	} else {
		if !folded {
			p.expectKeyword("end")
			mp.endLabel(label)
		}
		mp.emitOp(fc, wasm.OpEnd)
		fc.pop()
	}
	fc.depth--
}

// folded parses one folded instruction starting at '('.
func (mp *modParser) folded(fc *funcCtx) {
	p := mp.p
	mp.enter(fc)
	p.i++
	t := p.next()
	if t.kind != tokKeyword || foldedStop(t.text) {
		p.failAt(t, "unexpected token")
	}
	switch t.text {
	case "try":
		mp.legacyTry(fc, true)
		p.expectRParen()
	case "block", "loop", "try_table":
		op, _ := wasm.LookupOpcode(t.text)
		in := wasm.Instr{Op: op}
		if t.text == "try_table" {
			label := p.optID()
			in.Block = mp.blockType()
			in.Catches = mp.catches(fc)
			fc.push(label)
		} else {
			mp.pushLabel(fc)
			in.Block = mp.blockType()
		}
		mp.emit(fc, &in)
		mp.instrs(fc)
		p.expectRParen()
		mp.emitOp(fc, wasm.OpEnd)
		fc.pop()
	case "if":
		in := wasm.Instr{Op: wasm.OpIf}
		label := p.optID()
		in.Block = mp.blockType()
		for p.peek().kind == tokLParen && !p.isOpen("then") {
			mp.folded(fc)
		}
		mp.emit(fc, &in)
		fc.push(label)
		p.expectLParen()
		p.expectKeyword("then")
		mp.instrs(fc)
		p.expectRParen()
		if p.isOpen("else") {
			p.i += 2
			mp.emitOp(fc, wasm.OpElse)
			mark := len(fc.body)
			mp.instrs(fc)
			if len(fc.body) == mark {
				// An empty else is omitted, as the reference encoder does.
				fc.body = fc.body[:mark-1]
			}
			p.expectRParen()
		}
		p.expectRParen()
		mp.emitOp(fc, wasm.OpEnd)
		fc.pop()
	default:
		in := mp.op(fc, t)
		for p.peek().kind == tokLParen {
			mp.folded(fc)
		}
		p.expectRParen()
		mp.emit(fc, &in)
	}
	fc.depth--
}

// catches parses the catch clauses of a try_table.
func (mp *modParser) catches(fc *funcCtx) []wasm.CatchClause {
	p := mp.p
	var cs []wasm.CatchClause
	for {
		var c wasm.CatchClause
		switch {
		case p.isOpen("catch"):
			c.Kind = wasm.Catch
		case p.isOpen("catch_ref"):
			c.Kind = wasm.CatchRef
		case p.isOpen("catch_all"):
			c.Kind = wasm.CatchAll
		case p.isOpen("catch_all_ref"):
			c.Kind = wasm.CatchAllRef
		default:
			return cs
		}
		p.i += 2
		if c.Kind == wasm.Catch || c.Kind == wasm.CatchRef {
			c.Tag = p.idx(&mp.tags)
		}
		c.Label = mp.labelIdx(fc)
		p.expectRParen()
		cs = append(cs, c)
	}
}

func (mp *modParser) labelIdx(fc *funcCtx) uint32 {
	p := mp.p
	t := p.peek()
	if t.kind == tokID {
		p.i++
		if pos := fc.labelPos[t.text]; len(pos) > 0 {
			return uint32(len(fc.labels) - 1 - pos[len(pos)-1])
		}
		p.failAt(t, "unknown label $%s", t.text)
	}
	return p.u32()
}

func (mp *modParser) localIdx(fc *funcCtx) uint32 {
	p := mp.p
	t := p.peek()
	if t.kind == tokID {
		p.i++
		if v, ok := fc.locals[t.text]; ok {
			return v
		}
		p.failAt(t, "unknown local $%s", t.text)
	}
	return p.u32()
}

// isIdxAt reports whether the token n ahead can be an index.
func (p *parser) isIdxAt(n int) bool {
	t := p.peekN(n)
	if t.kind == tokID {
		return true
	}
	if t.kind != tokNum || t.text[0] == '+' || t.text[0] == '-' {
		return false
	}
	_, err := parseNat(t.text)
	return err != errSyntax
}

// op parses the immediates of the plain instruction named by t (already
// consumed).
func (mp *modParser) op(fc *funcCtx, t *token) wasm.Instr {
	p := mp.p
	op, ok := wasm.LookupOpcode(t.text)
	var info *wasm.OpInfo
	if ok {
		info = op.Info()
	}
	if !ok || info == nil || op == wasm.OpSelectT || op == wasm.OpEnd || op == wasm.OpElse {
		p.failAt(t, "unknown operator %q", t.text)
	}
	in := wasm.Instr{Op: op}
	switch info.Imm {
	case wasm.ImmNone:
		if op == wasm.OpSelect && p.isOpen("result") {
			in.Op = wasm.OpSelectT
			in.Types = []wasm.ValType{}
			for p.isOpen("result") {
				p.i += 2
				for p.peek().kind != tokRParen {
					in.Types = append(in.Types, mp.valType())
				}
				p.expectRParen()
			}
		}
	case wasm.ImmBlockType:
		p.failAt(t, "unexpected token %q", t.text)
	case wasm.ImmLabel:
		in.X = mp.labelIdx(fc)
	case wasm.ImmBrTable:
		in.Labels = []uint32{mp.labelIdx(fc)}
		for p.isIdx() {
			in.Labels = append(in.Labels, mp.labelIdx(fc))
		}
		in.X = in.Labels[len(in.Labels)-1]
		in.Labels = in.Labels[:len(in.Labels)-1]
	case wasm.ImmFunc:
		in.X = p.idx(&mp.funcs)
	case wasm.ImmCallIndirect:
		if p.isIdx() {
			in.Y = p.idx(&mp.tables)
		}
		in.X, _, _ = mp.typeUse(false)
	case wasm.ImmLocal:
		in.X = mp.localIdx(fc)
	case wasm.ImmGlobal:
		in.X = p.idx(&mp.globals)
	case wasm.ImmTable:
		if p.isIdx() {
			in.X = p.idx(&mp.tables)
		}
	case wasm.ImmMemory:
		if p.isIdx() {
			in.X = p.idx(&mp.mems)
		}
	case wasm.ImmMemArg:
		in.Mem = mp.memArg(info.Name, true)
	case wasm.ImmMemArgLane:
		memIdx := p.peek().kind == tokID ||
			p.isIdxAt(0) && (p.isIdxAt(1) || strings.HasPrefix(p.peekN(1).text, "offset=") || strings.HasPrefix(p.peekN(1).text, "align="))
		in.Mem = mp.memArg(info.Name, memIdx)
		in.Lane = mp.lane(false)
	case wasm.ImmLane:
		in.Lane = mp.lane(false)
	case wasm.ImmI32:
		in.Const = mp.intConst(32)
	case wasm.ImmI64:
		in.Const = mp.intConst(64)
	case wasm.ImmF32:
		in.Const = mp.floatConst(fmt32)
	case wasm.ImmF64:
		in.Const = mp.floatConst(fmt64)
	case wasm.ImmSelectT:
		p.failAt(t, "unknown operator %q", t.text)
	case wasm.ImmHeapType:
		in.Heap = mp.heapType()
	case wasm.ImmMemoryInit:
		mp.usesData = true
		if p.isIdxAt(0) && p.isIdxAt(1) {
			in.Y = p.idx(&mp.mems)
		}
		in.X = p.idx(&mp.datas)
	case wasm.ImmData:
		mp.usesData = true
		in.X = p.idx(&mp.datas)
	case wasm.ImmMemoryCopy:
		if p.isIdx() {
			in.X = p.idx(&mp.mems)
			in.Y = p.idx(&mp.mems)
		}
	case wasm.ImmTableInit:
		if p.isIdxAt(0) && p.isIdxAt(1) {
			in.Y = p.idx(&mp.tables)
		}
		in.X = p.idx(&mp.elems)
	case wasm.ImmElem:
		in.X = p.idx(&mp.elems)
	case wasm.ImmTableCopy:
		if p.isIdx() {
			in.X = p.idx(&mp.tables)
			in.Y = p.idx(&mp.tables)
		}
	case wasm.ImmV128:
		in.V128 = mp.v128Const()
	case wasm.ImmShuffle:
		for i := 0; i < 16; i++ {
			if lt := p.peek(); lt.kind != tokNum && !(lt.kind == tokKeyword && (strings.HasPrefix(lt.text, "nan") || lt.text == "inf")) {
				p.fail("invalid lane length")
			}
			in.V128[i] = mp.lane(true)
		}
		if p.peek().kind == tokNum {
			p.fail("invalid lane length")
		}
	case wasm.ImmType:
		in.X = p.idx(&mp.types)
	case wasm.ImmTypeField:
		in.X = p.idx(&mp.types)
		in.Y = mp.fieldIdx(in.X)
	case wasm.ImmTypeN:
		in.X = p.idx(&mp.types)
		in.Y = p.u32()
	case wasm.ImmTypeData:
		mp.usesData = true
		in.X = p.idx(&mp.types)
		in.Y = p.idx(&mp.datas)
	case wasm.ImmTypeElem:
		in.X = p.idx(&mp.types)
		in.Y = p.idx(&mp.elems)
	case wasm.ImmTypeType:
		in.X = p.idx(&mp.types)
		in.Y = p.idx(&mp.types)
	case wasm.ImmTag:
		in.X = p.idx(&mp.tags)
	case wasm.ImmTryTable:
		p.failAt(t, "unexpected token %q", t.text)
	case wasm.ImmRefTest:
		rt := mp.refType()
		in.Heap = rt.Heap
		if rt.Nullable {
			nop, ok := wasm.LookupOpcode(t.text + "_null")
			if !ok {
				p.failAt(t, "unknown operator %q", t.text)
			}
			in.Op = nop
		}
	case wasm.ImmBrOnCast:
		in.X = mp.labelIdx(fc)
		r1 := mp.refType()
		r2 := mp.refType()
		in.Heap, in.Heap2 = r1.Heap, r2.Heap
		if r1.Nullable {
			in.Flags |= 1
		}
		if r2.Nullable {
			in.Flags |= 2
		}
	default:
		p.failAt(t, "unknown operator %q", t.text)
	}
	return in
}

func (mp *modParser) fieldIdx(typeIdx uint32) uint32 {
	p := mp.p
	t := p.peek()
	if t.kind == tokID {
		p.i++
		if v, ok := mp.fieldNames[typeIdx][t.text]; ok {
			return v
		}
		p.failAt(t, "unknown field $%s", t.text)
	}
	return p.u32()
}

// alignOfMnemonic returns log2 of the natural alignment of a memory access
// instruction, derived from its mnemonic.
func alignOfMnemonic(name string) uint32 {
	dot := strings.IndexByte(name, '.')
	if dot < 0 {
		return 0
	}
	prefix, rest := name[:dot], name[dot+1:]
	bits := 0
	for i := 0; i < len(rest); i++ {
		if rest[i] >= '0' && rest[i] <= '9' {
			j := i
			for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
				bits = bits*10 + int(rest[j]-'0')
				j++
			}
			if j < len(rest) && rest[j] == 'x' {
				bits = 64
			}
			break
		}
	}
	if bits == 0 {
		switch prefix {
		case "i32", "f32", "memory":
			bits = 32
		case "i64", "f64":
			bits = 64
		case "v128":
			bits = 128
		default:
			bits = 8
		}
	}
	a := uint32(0)
	for b := bits / 8; b > 1; b >>= 1 {
		a++
	}
	return a
}

// memArg parses memidx? offset=N? align=N?.
func (mp *modParser) memArg(name string, allowIdx bool) wasm.MemArg {
	p := mp.p
	ma := wasm.MemArg{Align: alignOfMnemonic(name)}
	if allowIdx && p.isIdx() {
		ma.Mem = p.idx(&mp.mems)
	}
	if t := p.peek(); t.kind == tokKeyword && strings.HasPrefix(t.text, "offset=") {
		v, err := parseU64(t.text[len("offset="):])
		if err != nil {
			p.numErr(t, err)
		}
		if v > 0xFFFFFFFF && !p.opt.Features.Has(wasm.Memory64) && (int(ma.Mem) >= len(mp.mem64) || !mp.mem64[ma.Mem]) {
			p.failAt(t, "i32 constant out of range")
		}
		ma.Offset = v
		p.i++
	}
	if t := p.peek(); t.kind == tokKeyword && strings.HasPrefix(t.text, "align=") {
		v, err := parseU64(t.text[len("align="):])
		if err != nil {
			p.numErr(t, err)
		}
		if v == 0 || v&(v-1) != 0 {
			p.failAt(t, "alignment must be a power of two")
		}
		ma.Align = uint32(bits.TrailingZeros64(v)) // v is a power of two
		p.i++
	}
	return ma
}

// lane parses a lane index (u8). Unless loose (shuffle lanes), a token
// that is not an unsigned integer is unexpected.
func (mp *modParser) lane(loose bool) byte {
	p := mp.p
	t := p.peek()
	if t.kind != tokNum && t.kind != tokKeyword && t.kind != tokReserved || !loose && !p.isNat() {
		p.unexpected()
	}
	v, err := parseU32(t.text)
	if err != nil || v > 255 {
		if p.opt.Features.Has(wasm.Memory64) && err != errSyntax {
			p.failAt(t, "i8 constant out of range: malformed lane index")
		}
		p.failAt(t, "malformed lane index")
	}
	p.i++
	return byte(v)
}

func (mp *modParser) intConst(bits uint) uint64 {
	p := mp.p
	t := p.peek()
	if t.kind != tokNum && t.kind != tokReserved {
		p.unexpected()
	}
	v, err := parseInt(t.text, bits)
	if err != nil {
		p.numErr(t, err)
	}
	p.i++
	return v
}

func (mp *modParser) floatConst(f floatFormat) uint64 {
	p := mp.p
	t := p.peek()
	if t.kind != tokNum && t.kind != tokKeyword && t.kind != tokReserved {
		p.unexpected()
	}
	v, err := parseFloat(t.text, f)
	if err != nil {
		p.numErr(t, err)
	}
	p.i++
	return v
}

// v128Const parses shape lane* after v128.const.
func (mp *modParser) v128Const() [16]byte {
	p := mp.p
	var v [16]byte
	t := p.next()
	if t.kind != tokKeyword {
		p.failAt(t, "unexpected token")
	}
	lanes, width := 0, 0
	switch t.text {
	case "i8x16":
		lanes, width = 16, 1
	case "i16x8":
		lanes, width = 8, 2
	case "i32x4", "f32x4":
		lanes, width = 4, 4
	case "i64x2", "f64x2":
		lanes, width = 2, 8
	default:
		p.failAt(t, "unexpected token %q", t.text)
	}
	for i := 0; i < lanes; i++ {
		lt := p.peek()
		if lt.kind != tokNum && lt.kind != tokKeyword && lt.kind != tokReserved {
			p.fail("wrong number of lane literals")
		}
		var bits uint64
		switch t.text[0] {
		case 'i':
			bits = mp.intConst(uint(width * 8))
		default:
			if width == 4 {
				bits = mp.floatConst(fmt32)
			} else {
				bits = mp.floatConst(fmt64)
			}
		}
		putLane(&v, i, width, bits)
	}
	return v
}

// putLane stores the low width bytes of bits, little-endian, as lane i of
// the v128 bytes v.
func putLane(v *[16]byte, i, width int, bits uint64) {
	var tmp [8]byte
	binary.LittleEndian.PutUint64(tmp[:], bits)
	copy(v[i*width:], tmp[:width])
}
