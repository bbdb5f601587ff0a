package interp

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/gowasm/gowasm/wasm"
)

// inst is one instruction of the translated bytecode. Operands a, b and c
// are slot indices relative to the frame base, branch targets or
// immediates, depending on op (see ops.go).
type instr struct {
	op      uint16
	a, b, c uint16
	imm     uint64
}

// frameSlots is the fixed size of the window of slots an instruction can
// address: slot operands are uint16, so the run loop indexes a
// *[frameSlots]uint64 without bounds checks.
const frameSlots = 1 << 16

// errFrameTooLarge is raised when a function needs more slots than an
// instruction can address.
var errFrameTooLarge = errors.New("function frame too large (more than 65535 slots)")

// u16 converts a slot index to an operand.
func u16(x int32) uint16 {
	if x < 0 || x >= frameSlots {
		panic(errFrameTooLarge)
	}
	return uint16(x)
}

// setTarget sets the branch target of instruction i (the low 32 bits of
// imm).
func (t *translator) setTarget(i int, target int) {
	in := &t.c.ins[i]
	in.imm = in.imm&^0xFFFFFFFF | uint64(uint32(target))
}

// code is a translated function.
type code struct {
	idx  uint32 // function index
	name string
	typ  *wasm.FuncType
	ins  []instr
	offs []int32 // byte offset (in the module) of each instruction's source
	// Slot layout: parameters, then declared locals, then the operand
	// stack. frameSize is the maximum number of slots used.
	nParamSlots int
	nLocalSlots int
	stackBase   int      // first operand stack slot (after the constants)
	init        []uint64 // initial values of slots nParamSlots..stackBase: zeros, then constants
	frameSize   int
	refLocals   []int32 // ref-typed declared locals, nulled on entry
	brtab       []int32 // br_table targets
	simd        []simdOp
	handlers    []handler // try_table and legacy try handlers, outer before inner
}

// handler is the catch table of a try_table, or of a legacy try, whose
// body is [start, end). A legacy try ... delegate is a delegate handler:
// an exception from its body is looked up next in handler next and the
// handlers enclosing it (-1: none in this function, the caller's).
type handler struct {
	start, end int32
	catches    []catchInfo
	delegate   bool
	next       int32
}

// catchInfo is a catch clause: where its label's values go.
type catchInfo struct {
	kind   wasm.CatchKind
	tag    uint32
	target int32 // the label's pc, or -1 for the function's label
	dst    int32 // the label's first slot
	// legacy: a catch or catch_all clause of a legacy try, whose code
	// is at target. The exception is kept in slot dst (for rethrow),
	// its values follow it.
	legacy bool
}

// compile validates and translates m.
func compile(m *wasm.Module, opt CompileOptions) (*Module, error) {
	if err := validateModule(m, opt); err != nil {
		return nil, err
	}
	mod := &Module{m: m, wasm2: opt.Features == wasm.Wasm2}
	for _, ti := range m.FuncTypeIndices() {
		ft := m.FuncTypeAt(ti)
		if ft == nil {
			return nil, fmt.Errorf("interp: function type %d is not a function type", ti)
		}
		mod.funcTypes = append(mod.funcTypes, ft)
	}
	mod.nImpFuncs = m.NumImported(wasm.ExternFunc)
	if len(m.Code) != len(m.Funcs) {
		return nil, errors.New("interp: function and code section sizes differ")
	}
	mod.codes = make([]atomic.Pointer[code], len(m.Funcs))
	// Translation is lazy (see lazy.go), except for the functions whose
	// translation might fail. An instruction pushes at most the results
	// of some type, or a legacy catch the caught exception and the
	// parameters of its tag (2 slots each for v128), and at least one
	// slot. Under
	// features beyond Wasm 2.0 the validator accepts instructions the
	// engine may not run (relaxed SIMD): the functions that may hold one
	// are translated up front, so that Compile reports them.
	wasm3 := opt.Features != wasm.Wasm2
	maxPush := uint64(1)
	for i := range m.Types {
		if ft := m.FuncTypeAt(uint32(i)); ft != nil && uint64(len(ft.Results)) > maxPush {
			maxPush = uint64(len(ft.Results))
		}
	}
	maxPush = max(maxPush, catchPush(m))
	maxPush *= 2
	for i := range m.Code {
		body := &m.Code[i]
		var localSlots uint64
		for _, p := range mod.funcTypes[mod.nImpFuncs+i].Params {
			localSlots += uint64(slotsOf(p))
		}
		for _, ld := range body.Locals {
			localSlots += uint64(ld.Count) * uint64(slotsOf(ld.Type))
		}
		if mayOverflowFrame(localSlots, len(body.Body), maxPush) || wasm3 && mayBeUnsupported(m, body.Body) {
			if _, err := mod.code(uint32(i)); err != nil {
				return nil, err
			}
		}
	}
	return mod, nil
}

// sv is an operand stack entry of the translator. Its value lives in slot
// src: its own slot, or (a lazily read local) the local's slot.
type sv struct {
	t    wasm.ValType
	slot int32
	src  int32
	k    bool   // a constant, kv
	kv   uint64 // the constant's bits
}

// ctl is a control frame of the translator.
type ctl struct {
	op      byte // 0x02 block, 0x03 loop, 0x04 if, 0x06 legacy try, 0x1F try_table, 0 the function
	height  int  // operand stack length below the block's parameters
	base    int32
	params  []wasm.ValType
	results []wasm.ValType
	start   int     // loop header pc
	patches []int32 // forward branches to patch: >= 0 an instruction, < 0 a brtab entry (-i-1)
	ifPatch int
	dead    bool
	handler int        // try_table, try: index in code.handlers
	hpatch  [][2]int32 // catch clauses (handler, clause) targeting this label
	// inCatch: a legacy try in one of its catch clauses, whose stack
	// starts with the caught exception (slot base) and its values.
	inCatch bool
}

func (c *ctl) labelTypes() []wasm.ValType {
	if c.op == 0x03 {
		return c.params
	}
	return c.results
}

type translator struct {
	mod       *Module
	m         *wasm.Module
	c         *code
	stack     []sv
	ctls      []ctl
	localSlot []int32
	localType []wasm.ValType
	top       int32
	max       int32
	off       int32 // source offset of the current instruction
	barrier   int   // no instruction before this pc may be rewritten
	foldable  bool  // the last instruction writes only r[a] (numeric)
	d         dins
	consts    constTab // constant value -> its slot
	kv        []uint64 // the constants, in slot order
	// insBuf and offsBuf are the buffers a function is translated into.
	insBuf  []instr
	offsBuf []int32
	stubs   []brStub // br_table targets that need copies
	// memTypes and globalTypes index the memories and globals (imports
	// first), built on first use.
	memTypes    []wasm.MemoryType
	globalTypes []wasm.ValType
	scan        dins // for the scan for constants
}

// brStub is a br_table target that needs value copies before its jump:
// the brtab entry pos jumps to a stub at pc (-1: not emitted yet).
type brStub struct {
	depth, pos int
	pc         int32
}

// constTab maps the constants of a function (at most maxConstSlots) to
// their slots: a small open-addressing hash table, emptied in O(1) by
// bumping the generation.
type constTab struct {
	keys [2 * maxConstSlots]uint64
	slot [2 * maxConstSlots]int32
	gen  [2 * maxConstSlots]uint32
	cur  uint32
}

func (ct *constTab) reset() {
	ct.cur++
	if ct.cur == 0 {
		clear(ct.gen[:])
		ct.cur = 1
	}
}

func constHash(k uint64) uint64 { return (k * 0x9E3779B97F4A7C15) >> 57 }

func (ct *constTab) get(k uint64) (int32, bool) {
	for h := constHash(k); ; h = (h + 1) % (2 * maxConstSlots) {
		if ct.gen[h] != ct.cur {
			return 0, false
		}
		if ct.keys[h] == k {
			return ct.slot[h], true
		}
	}
}

// put adds k, which must be absent; the table holds at most
// maxConstSlots entries, so it always has a free place.
func (ct *constTab) put(k uint64, slot int32) {
	h := constHash(k)
	for ct.gen[h] == ct.cur {
		h = (h + 1) % (2 * maxConstSlots)
	}
	ct.keys[h], ct.slot[h], ct.gen[h] = k, slot, ct.cur
}

// pushCtl pushes a control frame, reusing the patch list of the frame
// that last occupied its place.
func (t *translator) pushCtl(c ctl) {
	if n := len(t.ctls); n < cap(t.ctls) {
		c.patches = t.ctls[:n+1][n].patches[:0]
	}
	t.ctls = append(t.ctls, c)
}

// maxConstSlots bounds the constant slots of a frame; further constants
// are materialized by instructions.
const maxConstSlots = 64

func slotsOf(t wasm.ValType) int32 {
	if t.Kind == wasm.KindV128 {
		return 2
	}
	return 1
}

func (t *translator) emit(in instr) int {
	t.c.ins = append(t.c.ins, in)
	t.c.offs = append(t.c.offs, t.off)
	t.foldable = false
	return len(t.c.ins) - 1
}

// emitF emits an instruction that only writes the numeric slot a.
func (t *translator) emitF(in instr) {
	t.emit(in)
	t.foldable = true
}

func (t *translator) pc() int { return len(t.c.ins) }

func (t *translator) push(ty wasm.ValType) int32 {
	s := t.top
	t.stack = append(t.stack, sv{t: ty, slot: s, src: s})
	t.top += slotsOf(ty)
	if t.top > t.max {
		t.max = t.top
	}
	return s
}

func (t *translator) pushLazy(ty wasm.ValType, src int32) {
	s := t.push(ty)
	t.stack[len(t.stack)-1].src = src
	_ = s
}

func (t *translator) pop() sv {
	e := t.stack[len(t.stack)-1]
	t.stack = t.stack[:len(t.stack)-1]
	t.top = e.slot
	return e
}

func (t *translator) move(dst, src int32, ty wasm.ValType) {
	if dst == src {
		return
	}
	switch {
	case ty.Kind == wasm.KindV128:
		t.emit(instr{op: opMov128, a: u16(dst), b: u16(src)})
	case ty.Kind == wasm.KindRef:
		t.emit(instr{op: opMovRef, a: u16(dst), b: u16(src)})
	default:
		t.emitF(instr{op: opMov, a: u16(dst), b: u16(src)})
	}
}

func (t *translator) materialize(i int) {
	e := &t.stack[i]
	if e.src != e.slot {
		t.move(e.slot, e.src, e.t)
		e.src = e.slot
	}
	// A value in a slot may be changed by a branch to a label: it is no
	// longer known to be constant.
	e.k = false
}

func (t *translator) materializeTop(n int) {
	for i := len(t.stack) - n; i < len(t.stack); i++ {
		t.materialize(i)
	}
}

// materializeForReturn materializes the top n values if copying them to
// slots 0... in order would overwrite a source before it is read.
func (t *translator) materializeForReturn(n int) {
	var dst int32
	for j := 0; j < n; j++ {
		e := t.stack[len(t.stack)-n+j]
		sz := slotsOf(e.t)
		for k := j + 1; k < n; k++ {
			o := t.stack[len(t.stack)-n+k]
			if o.src < dst+sz && dst < o.src+slotsOf(o.t) {
				t.materializeTop(n)
				return
			}
		}
		dst += sz
	}
}

func (t *translator) materializeAll() { t.materializeTop(len(t.stack)) }

// popN materializes and pops the top n entries and returns the slot of the
// first one.
func (t *translator) popN(n int) int32 {
	t.materializeTop(n)
	if n == 0 {
		return t.top
	}
	s := t.stack[len(t.stack)-n].slot
	t.stack = t.stack[:len(t.stack)-n]
	t.top = s
	return s
}

// bind marks the current pc as a branch target.
func (t *translator) bind() int {
	t.barrier = t.pc()
	t.foldable = false
	return t.pc()
}

// copyTo moves the top len(types) values into the label slots at base.
func (t *translator) copyTo(base int32, types []wasm.ValType, dry bool) bool {
	n := len(types)
	needed := false
	off := base
	for j := 0; j < n; j++ {
		e := t.stack[len(t.stack)-n+j]
		if e.src != off {
			needed = true
			if !dry {
				t.move(off, e.src, e.t)
			}
		}
		off += slotsOf(e.t)
	}
	return needed
}

// branch emits the moves and jump to label depth l (unconditional).
func (t *translator) branch(l uint32) {
	c := &t.ctls[len(t.ctls)-1-int(l)]
	types := c.labelTypes()
	if c.op == 0 {
		t.materializeForReturn(len(types))
		t.copyTo(0, types, false)
		t.emit(instr{op: opReturn})
		return
	}
	t.copyTo(c.base, types, false)
	t.jump(c, opBr)
}

// jump emits a jump of kind op to the label of c.
func (t *translator) jump(c *ctl, op uint16) int {
	if c.op == 0x03 {
		if op == opBr {
			op = opBrLoop
		} else if op == opBrIf {
			op = opBrIfLoop
		}
		return t.emit(instr{op: op, imm: uint64(c.start)})
	}
	i := t.emit(instr{op: op})
	c.patches = append(c.patches, int32(i))
	return i
}

func (t *translator) translate(idx uint32, body *wasm.Code) (c *code, err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = e
			} else {
				err = fmt.Errorf("%v", r)
			}
			c = nil
		}
	}()
	m := t.m
	ft := t.mod.funcTypes[idx]
	c = &code{idx: idx, name: m.FuncName(idx), typ: ft}
	// Translate into the translator's buffers, reused from function to
	// function, and copy the result out at its exact size at the end.
	c.ins, c.offs = t.insBuf[:0], t.offsBuf[:0]
	if n := len(body.Body)/3 + 4; n > cap(c.ins) && n < 1<<20 {
		c.ins = make([]instr, 0, n)
		c.offs = make([]int32, 0, n)
	}
	t.c = c
	t.localSlot = t.localSlot[:0]
	t.localType = t.localType[:0]
	var s int32
	for _, p := range ft.Params {
		t.localSlot = append(t.localSlot, s)
		t.localType = append(t.localType, p)
		s += slotsOf(p)
	}
	c.nParamSlots = int(s)
	for _, ld := range body.Locals {
		if uint64(ld.Count) > uint64(len(body.Body))*8+50000 {
			return nil, errors.New("too many locals")
		}
		for k := uint32(0); k < ld.Count; k++ {
			t.localSlot = append(t.localSlot, s)
			t.localType = append(t.localType, ld.Type)
			if ld.Type.Kind == wasm.KindRef {
				c.refLocals = append(c.refLocals, s)
			}
			s += slotsOf(ld.Type)
		}
	}
	c.nLocalSlots = int(s)
	// Constants live in slots after the locals, set on entry.
	t.consts.reset()
	kv := t.kv[:0]
	{
		r := &reader{b: body.Body}
		d := &t.scan
		for r.p < len(r.b) && len(kv) < maxConstSlots {
			r.next(m, d)
			if d.op >= 0x41 && d.op <= 0x44 {
				if _, ok := t.consts.get(d.c); !ok {
					t.consts.put(d.c, s+int32(len(kv)))
					kv = append(kv, d.c)
				}
			}
		}
	}
	s += int32(len(kv))
	c.stackBase = int(s)
	c.init = make([]uint64, c.stackBase-c.nParamSlots)
	copy(c.init[c.nLocalSlots-c.nParamSlots:], kv)
	t.kv = kv
	t.top, t.max = s, s
	t.stack = t.stack[:0]
	t.ctls = t.ctls[:0]
	t.pushCtl(ctl{op: 0, height: 0, base: 0, results: ft.Results, ifPatch: -1})
	t.barrier = 0
	t.foldable = false
	r := &reader{b: body.Body}
	boff := int32(body.BodyOffset)
	deadDepth := 0
	for len(t.ctls) > 0 {
		pos := r.p
		if boff >= 0 {
			t.off = boff + int32(pos)
		} else {
			t.off = -1
		}
		d := &t.d
		r.next(m, d)
		cur := &t.ctls[len(t.ctls)-1]
		if cur.dead {
			switch d.op {
			case 0x02, 0x03, 0x04, 0x06, 0x1F:
				deadDepth++
				continue
			case 0x05, 0x07, 0x19: // else, catch, catch_all
				if deadDepth > 0 {
					continue
				}
			case 0x0B, 0x18: // end, delegate
				if deadDepth > 0 {
					deadDepth--
					continue
				}
			default:
				continue
			}
		}
		if err := t.instr(d); err != nil {
			return nil, err
		}
	}
	// Result slots must fit in the frame.
	var rs int32
	for _, r := range ft.Results {
		rs += slotsOf(r)
	}
	if rs > t.max {
		t.max = rs
	}
	c.frameSize = int(t.max) + 2
	t.insBuf, t.offsBuf = c.ins[:0], c.offs[:0]
	c.ins = append(make([]instr, 0, len(c.ins)), c.ins...)
	c.offs = append(make([]int32, 0, len(c.offs)), c.offs...)
	return c, nil
}

// setDead marks the rest of the current block unreachable.
func (t *translator) setDead() {
	c := &t.ctls[len(t.ctls)-1]
	c.dead = true
	t.stack = t.stack[:c.height]
	t.resetTop()
}

func (t *translator) resetTop() {
	if len(t.stack) == 0 {
		t.top = int32(t.c.stackBase)
	} else {
		e := t.stack[len(t.stack)-1]
		t.top = e.slot + slotsOf(e.t)
	}
}

func (t *translator) patch(c *ctl, target int) {
	for _, p := range c.patches {
		if p >= 0 {
			t.setTarget(int(p), target)
		} else {
			t.c.brtab[-p-1] = int32(target)
		}
	}
	c.patches = c.patches[:0]
	for _, hp := range c.hpatch {
		t.c.handlers[hp[0]].catches[hp[1]].target = int32(target)
	}
	c.hpatch = nil
}

var errUnsupported = errors.New("unsupported instruction")

// endBlock ends block c, the innermost one, whose results are in place
// (unless its end is unreachable).
func (t *translator) endBlock(c *ctl) {
	pc := t.bind()
	if c.ifPatch >= 0 {
		t.setTarget(c.ifPatch, pc)
	}
	t.patch(c, pc)
	t.stack = t.stack[:c.height]
	t.resetTop()
	for _, r := range c.results {
		t.push(r)
	}
	t.ctls = t.ctls[:len(t.ctls)-1]
}

func (t *translator) instr(d *dins) error {
	op := d.op
	switch {
	case op >= 0x45 && op <= 0xC4:
		return t.numeric(byte(op))
	case op >= 0x28 && op <= 0x35: // loads
		rt := loadType(byte(op))
		a := t.pop()
		dst := t.push(rt)
		if d.mem != 0 || t.memIs64(d.mem) {
			t.emitF(instr{op: opGen + uint16(op), a: u16(dst), b: u16(a.src), c: u16(int32(d.mem)), imm: d.off})
		} else {
			// Fold an address computed by i32.add with a constant into the
			// load: imm holds that constant in its high 32 bits.
			last := len(t.c.ins) - 1
			if a.src == a.slot && last >= t.barrier && t.foldable && t.c.ins[last].op == opI32AddImm && int32(t.c.ins[last].a) == a.slot {
				add := t.c.ins[last]
				t.c.ins = t.c.ins[:last]
				t.c.offs = t.c.offs[:last]
				t.emitF(instr{op: uint16(op), a: u16(dst), b: add.b, imm: d.off | uint64(uint32(add.imm))<<32})
				return nil
			}
			t.emitF(instr{op: uint16(op), a: u16(dst), b: u16(a.src), imm: d.off})
		}
		return nil
	case op >= 0x36 && op <= 0x3E: // stores
		v := t.pop()
		a := t.pop()
		if d.mem != 0 || t.memIs64(d.mem) {
			t.emit(instr{op: opGen + uint16(op), a: u16(v.src), b: u16(a.src), c: u16(int32(d.mem)), imm: d.off})
		} else {
			t.emit(instr{op: uint16(op), a: u16(v.src), b: u16(a.src), imm: d.off})
		}
		return nil
	}
	switch op {
	case 0x00: // unreachable
		t.emit(instr{op: opUnreachable})
		t.setDead()
	case 0x01: // nop
	case 0x02, 0x03: // block, loop
		t.materializeAll()
		h := len(t.stack) - len(d.params)
		base := t.top
		if len(d.params) > 0 {
			base = t.stack[h].slot
		}
		c := ctl{op: byte(op), height: h, base: base, params: d.params, results: d.results, ifPatch: -1}
		if op == 0x03 {
			c.start = t.bind()
		}
		t.pushCtl(c)
	case 0x1F: // try_table
		t.materializeAll()
		h := len(t.stack) - len(d.params)
		base := t.top
		if len(d.params) > 0 {
			base = t.stack[h].slot
		}
		hi := len(t.c.handlers)
		hd := handler{start: int32(t.bind())}
		for k, cc := range d.catches {
			lc := &t.ctls[len(t.ctls)-1-int(cc.Label)]
			ci := catchInfo{kind: cc.Kind, tag: cc.Tag}
			switch {
			case lc.op == 0:
				ci.target, ci.dst = -1, 0
			case lc.op == 0x03:
				ci.target, ci.dst = int32(lc.start), lc.base
			default:
				ci.dst = lc.base
				lc.hpatch = append(lc.hpatch, [2]int32{int32(hi), int32(k)})
			}
			hd.catches = append(hd.catches, ci)
		}
		t.c.handlers = append(t.c.handlers, hd)
		t.pushCtl(ctl{op: 0x1F, height: h, base: base, params: d.params, results: d.results, ifPatch: -1, handler: hi})
	case 0x06, 0x07, 0x19, 0x18, 0x09: // try, catch, catch_all, delegate, rethrow
		t.legacy(d)
	case 0x08: // throw
		ft := t.tagType(d.x)
		a := t.popN(len(ft.Params))
		t.emit(instr{op: opThrow, a: u16(a), imm: uint64(d.x)})
		t.setDead()
	case 0x0A: // throw_ref
		v := t.pop()
		t.emit(instr{op: opThrowRef, b: u16(v.src)})
		t.setDead()
	case 0x04: // if
		cond := t.pop()
		// Fuse the comparison computing the condition with the branch.
		var fused instr
		last := len(t.c.ins) - 1
		if cond.src == cond.slot && last >= t.barrier && t.foldable && int32(t.c.ins[last].a) == cond.slot {
			fused = t.c.ins[last]
			if op, ok := negBranch[fused.op]; ok {
				fused.op = op
				fused.imm = uint64(uint32(fused.imm)) << 32
				if op == opBrIf {
					fused.b = t.c.ins[last].b
				}
				t.c.ins = t.c.ins[:last]
				t.c.offs = t.c.offs[:last]
			} else {
				fused.op = 0
			}
		}
		t.materializeAll()
		h := len(t.stack) - len(d.params)
		base := t.top
		if len(d.params) > 0 {
			base = t.stack[h].slot
		}
		var i int
		if fused.op != 0 {
			i = t.emit(fused)
		} else {
			i = t.emit(instr{op: opBrIfNot, b: u16(cond.src)})
		}
		t.pushCtl(ctl{op: 0x04, height: h, base: base, params: d.params, results: d.results, ifPatch: i})
	case 0x05: // else
		c := &t.ctls[len(t.ctls)-1]
		if !c.dead {
			t.materializeTop(len(c.results))
			t.jump(c, opBr)
		}
		t.setTarget(c.ifPatch, t.bind())
		c.ifPatch = -1
		c.dead = false
		t.stack = t.stack[:c.height]
		t.resetTop()
		for _, p := range c.params {
			t.push(p)
		}
	case 0x0B: // end
		c := &t.ctls[len(t.ctls)-1]
		if c.op == 0x06 {
			t.legacy(d)
			return nil
		}
		if !c.dead {
			if c.op == 0 {
				t.materializeForReturn(len(c.results))
			} else {
				t.materializeTop(len(c.results))
			}
		}
		if c.op == 0 {
			if !c.dead {
				t.copyTo(0, c.results, false)
				t.emit(instr{op: opReturn})
			}
			t.ctls = t.ctls[:len(t.ctls)-1]
			return nil
		}
		if c.op == 0x1F {
			t.c.handlers[c.handler].end = int32(t.pc())
		}
		t.endBlock(c)
	case 0x0C: // br
		t.branch(d.x)
		t.setDead()
	case 0x0D: // br_if
		cond := t.pop()
		l := &t.ctls[len(t.ctls)-1-int(d.x)]
		types := l.labelTypes()
		if l.op == 0 {
			t.materializeTop(len(types))
		}
		if !t.copyTo(l.base, types, true) && l.op != 0 {
			t.brIf(cond, l)
		} else {
			skip := t.emit(instr{op: opBrIfNot, b: u16(cond.src)})
			t.branch(d.x)
			t.setTarget(skip, t.bind())
		}
	case 0x0E: // br_table
		idx := t.pop()
		t.materializeTop(len(t.ctls[len(t.ctls)-1-int(d.x)].labelTypes()))
		n := len(d.labels)
		start := len(t.c.brtab)
		for k := 0; k <= n; k++ {
			t.c.brtab = append(t.c.brtab, 0)
		}
		t.emit(instr{op: opBrTable, b: u16(idx.src), imm: uint64(start) | uint64(n)<<32})
		stubs := t.stubs[:0]
		for k := 0; k <= n; k++ {
			depth := d.x
			if k < n {
				depth = d.labels[k]
			}
			l := &t.ctls[len(t.ctls)-1-int(depth)]
			if l.op != 0 && !t.copyTo(l.base, l.labelTypes(), true) {
				if l.op == 0x03 {
					t.c.brtab[start+k] = int32(l.start)
				} else {
					l.patches = append(l.patches, int32(-(start+k)-1))
				}
				continue
			}
			stubs = append(stubs, brStub{depth: int(depth), pos: start + k, pc: -1})
		}
		t.stubs = stubs
		for i := range stubs {
			s := &stubs[i]
			// Targets of the same depth share one stub.
			for j := range i {
				if stubs[j].depth == s.depth {
					s.pc = stubs[j].pc
					break
				}
			}
			if s.pc >= 0 {
				t.c.brtab[s.pos] = s.pc
				continue
			}
			s.pc = int32(t.bind())
			t.c.brtab[s.pos] = s.pc
			t.branch(uint32(s.depth))
		}
		t.setDead()
	case 0x0F: // return
		t.branch(uint32(len(t.ctls) - 1))
		t.setDead()
	case 0x10: // call
		ft := t.mod.funcTypes[d.x]
		a := t.popN(len(ft.Params))
		t.emit(instr{op: opCall, a: u16(a), imm: uint64(d.x)})
		for _, r := range ft.Results {
			t.push(r)
		}
	case 0x11: // call_indirect
		ft := t.m.FuncTypeAt(d.x)
		i := t.pop()
		a := t.popN(len(ft.Params))
		t.emit(instr{op: opCallIndirect, a: u16(a), b: u16(i.src), imm: uint64(d.x) | uint64(d.y)<<32})
		for _, r := range ft.Results {
			t.push(r)
		}
	case 0x12, 0x13: // return_call, return_call_indirect
		var ft *wasm.FuncType
		var idx sv
		if op == 0x12 {
			ft = t.mod.funcTypes[d.x]
		} else {
			ft = t.m.FuncTypeAt(d.x)
			idx = t.pop()
			// The element index must survive the argument moves.
			if idx.src < int32(slotsOfTypes(ft.Params)) {
				t.pushLazy(idx.t, idx.src)
				t.materialize(len(t.stack) - 1)
				idx = t.pop()
			}
		}
		n := len(ft.Params)
		t.materializeForReturn(n)
		t.copyTo(0, ft.Params, false)
		t.stack = t.stack[:len(t.stack)-n]
		t.resetTop()
		if op == 0x12 {
			t.emit(instr{op: opTailCall, imm: uint64(d.x)})
		} else {
			t.emit(instr{op: opTailCallIndirect, b: u16(idx.src), imm: uint64(d.x) | uint64(d.y)<<32})
		}
		t.setDead()
	case 0x14: // call_ref
		ft := t.m.FuncTypeAt(d.x)
		f := t.pop()
		// The reference must survive until the call reads it.
		if f.src < f.slot {
			t.pushLazy(f.t, f.src)
			t.materialize(len(t.stack) - 1)
			f = t.pop()
		}
		a := t.popN(len(ft.Params))
		if f.src != f.slot {
			return errors.New("call_ref: unexpected operand")
		}
		t.emit(instr{op: opCallRef, a: u16(a), b: u16(f.src)})
		for _, r := range ft.Results {
			t.push(r)
		}
	case 0x15: // return_call_ref
		ft := t.m.FuncTypeAt(d.x)
		f := t.pop()
		if f.src < int32(slotsOfTypes(ft.Params)) {
			t.pushLazy(f.t, f.src)
			t.materialize(len(t.stack) - 1)
			f = t.pop()
		}
		n := len(ft.Params)
		t.materializeForReturn(n)
		t.copyTo(0, ft.Params, false)
		t.stack = t.stack[:len(t.stack)-n]
		t.resetTop()
		t.emit(instr{op: opTailCallRef, b: u16(f.src)})
		t.setDead()
	case 0xD4: // ref.as_non_null
		v := t.pop()
		ty := v.t
		ty.Nullable = false
		dst := t.push(ty)
		t.emit(instr{op: opRefAsNonNull, a: u16(dst), b: u16(v.src)})
	case 0xD5: // br_on_null
		ref := t.pop()
		l := &t.ctls[len(t.ctls)-1-int(d.x)]
		types := l.labelTypes()
		if l.op == 0 {
			t.materializeTop(len(types))
		}
		if !t.copyTo(l.base, types, true) && l.op != 0 {
			i := t.jump(l, opBrIfNull)
			t.c.ins[i].b = u16(ref.src)
			if l.op == 0x03 {
				t.c.ins[i].op = opBrIfNull
			}
		} else {
			skip := t.emit(instr{op: opBrIfNotNull, b: u16(ref.src)})
			t.branch(d.x)
			t.setTarget(skip, t.bind())
		}
		ty := ref.t
		ty.Nullable = false
		t.pushLazy(ty, ref.src)
	case 0xD6: // br_on_non_null
		l := &t.ctls[len(t.ctls)-1-int(d.x)]
		types := l.labelTypes()
		if l.op == 0 {
			t.materializeTop(len(types))
		}
		ref := t.stack[len(t.stack)-1]
		if !t.copyTo(l.base, types, true) && l.op != 0 {
			i := t.jump(l, opBrIfNotNull)
			t.c.ins[i].b = u16(ref.src)
			if l.op == 0x03 {
				t.c.ins[i].op = opBrIfNotNull
			}
		} else {
			skip := t.emit(instr{op: opBrIfNull, b: u16(ref.src)})
			t.branch(d.x)
			t.setTarget(skip, t.bind())
		}
		t.pop()
	case 0x1A: // drop
		t.pop()
	case 0x1B, 0x1C: // select
		cond := t.pop()
		y := t.pop()
		x := t.pop()
		dst := t.push(x.t)
		switch {
		case x.t.Kind == wasm.KindV128:
			t.emit(instr{op: opSelect128, a: u16(dst), b: u16(x.src), c: u16(y.src), imm: uint64(cond.src)})
		case x.t.Kind == wasm.KindRef:
			t.emit(instr{op: opSelectRef, a: u16(dst), b: u16(x.src), c: u16(y.src), imm: uint64(cond.src)})
		default:
			if len(d.types) == 1 && op == 0x1C {
				t.stack[len(t.stack)-1].t = d.types[0]
			}
			t.emitF(instr{op: opSelect, a: u16(dst), b: u16(x.src), c: u16(y.src), imm: uint64(cond.src)})
		}
	case 0x20: // local.get
		t.pushLazy(t.localType[d.x], t.localSlot[d.x])
	case 0x21, 0x22: // local.set, local.tee
		ls := t.localSlot[d.x]
		ty := t.localType[d.x]
		var v sv
		if op == 0x21 {
			v = t.pop()
		} else {
			v = t.stack[len(t.stack)-1]
		}
		clobbered := false
		for i := range t.stack {
			if t.stack[i].src == ls && t.stack[i].slot != ls {
				if op == 0x22 && i == len(t.stack)-1 {
					continue
				}
				clobbered = true
			}
		}
		if clobbered {
			for i := range t.stack {
				if t.stack[i].src == ls && !(op == 0x22 && i == len(t.stack)-1) {
					t.materialize(i)
				}
			}
		}
		last := len(t.c.ins) - 1
		if !clobbered && t.foldable && v.src == v.slot && last >= t.barrier && int32(t.c.ins[last].a) == v.slot && ty.Kind != wasm.KindV128 && ty.Kind != wasm.KindRef {
			t.c.ins[last].a = u16(ls)
		} else {
			t.move(ls, v.src, ty)
		}
		t.foldable = false
		if op == 0x22 {
			t.stack[len(t.stack)-1].src = ls
		}
	case 0x23: // global.get
		g := t.globalType(d.x)
		dst := t.push(g)
		switch g.Kind {
		case wasm.KindV128:
			t.emit(instr{op: opGlobalGet128, a: u16(dst), imm: uint64(d.x)})
		case wasm.KindRef:
			t.emit(instr{op: opGlobalGetRef, a: u16(dst), imm: uint64(d.x)})
		default:
			t.emitF(instr{op: opGlobalGet, a: u16(dst), imm: uint64(d.x)})
		}
	case 0x24: // global.set
		v := t.pop()
		switch v.t.Kind {
		case wasm.KindV128:
			t.emit(instr{op: opGlobalSet128, a: u16(v.src), imm: uint64(d.x)})
		case wasm.KindRef:
			t.emit(instr{op: opGlobalSetRef, a: u16(v.src), imm: uint64(d.x)})
		default:
			t.emit(instr{op: opGlobalSet, a: u16(v.src), imm: uint64(d.x)})
		}
	case 0x25: // table.get
		i := t.pop()
		dst := t.push(t.tableType(d.x).Elem)
		t.emit(instr{op: opTableGet, a: u16(dst), b: u16(i.src), c: u16(int32(d.x))})
	case 0x26: // table.set
		v := t.pop()
		i := t.pop()
		t.emit(instr{op: opTableSet, a: u16(v.src), b: u16(i.src), c: u16(int32(d.x))})
	case 0x3F: // memory.size
		dst := t.push(t.addrType(d.x))
		t.emit(instr{op: opMemSize, a: u16(dst), c: u16(int32(d.x))})
	case 0x40: // memory.grow
		n := t.pop()
		dst := t.push(t.addrType(d.x))
		t.emit(instr{op: opMemGrow, a: u16(dst), b: u16(n.src), c: u16(int32(d.x))})
	case 0x41, 0x42, 0x43, 0x44:
		ty := [...]wasm.ValType{wasm.I32, wasm.I64, wasm.F32, wasm.F64}[op-0x41]
		if ks, ok := t.consts.get(d.c); ok {
			t.pushLazy(ty, ks)
		} else {
			dst := t.push(ty)
			t.emitF(instr{op: opConst, a: u16(dst), imm: d.c})
		}
		e := &t.stack[len(t.stack)-1]
		e.k, e.kv = true, d.c
	case 0xD0: // ref.null
		ty := wasm.ValType{Kind: wasm.KindRef, Nullable: true, Heap: d.heap}
		dst := t.push(ty)
		t.emit(instr{op: opRefNull, a: u16(dst)})
	case 0xD1: // ref.is_null
		v := t.pop()
		dst := t.push(wasm.I32)
		t.emitF(instr{op: opRefIsNull, a: u16(dst), b: u16(v.src)})
	case 0xD2: // ref.func
		dst := t.push(wasm.FuncRef)
		t.emit(instr{op: opRefFunc, a: u16(dst), imm: uint64(d.x)})
	case 0xD3: // ref.eq
		y := t.pop()
		x := t.pop()
		dst := t.push(wasm.I32)
		t.emit(instr{op: opRefEq, a: u16(dst), b: u16(x.src), c: u16(y.src)})
	default:
		if op.Prefix() == 0xFB {
			return t.gcInstr(d)
		}
		if op.Prefix() == 0xFC {
			return t.prefixFC(d)
		}
		if op.Prefix() == 0xFD {
			return t.simdInstr(d)
		}
		return fmt.Errorf("%w: opcode 0x%x", errUnsupported, uint32(op))
	}
	return nil
}

// negBranch maps a comparison to the branch taken when it is false.
var negBranch = map[uint16]uint16{
	0x45:        opBrIf,
	0x46:        opI32NeBrIf,
	0x47:        opI32EqBrIf,
	0x48:        opI32GeSBrIf,
	0x49:        opI32GeUBrIf,
	0x4A:        opI32LeSBrIf,
	0x4B:        opI32LeUBrIf,
	0x4C:        opI32GtSBrIf,
	0x4D:        opI32GtUBrIf,
	0x4E:        opI32LtSBrIf,
	0x4F:        opI32LtUBrIf,
	opI32LtSImm: opI32GeSImmBr,
	opI32GtSImm: opI32LeSImmBr,
	opI32LeSImm: opI32GtSImmBr,
	opI32EqImm:  opI32NeImmBr,
	opI32NeImm:  opI32EqImmBr,
}

// brIf emits a conditional branch that needs no moves, fusing it with the
// comparison that produced the condition when possible.
func (t *translator) brIf(cond sv, l *ctl) {
	last := len(t.c.ins) - 1
	if cond.src == cond.slot && last >= t.barrier && t.foldable && int32(t.c.ins[last].a) == cond.slot {
		in := &t.c.ins[last]
		var fused uint16
		switch in.op {
		case 0x45:
			fused = opI32EqzBrIf
		case 0x46:
			fused = opI32EqBrIf
		case 0x47:
			fused = opI32NeBrIf
		case 0x48:
			fused = opI32LtSBrIf
		case 0x49:
			fused = opI32LtUBrIf
		case 0x4A:
			fused = opI32GtSBrIf
		case 0x4B:
			fused = opI32GtUBrIf
		case 0x4C:
			fused = opI32LeSBrIf
		case 0x4D:
			fused = opI32LeUBrIf
		case 0x4E:
			fused = opI32GeSBrIf
		case 0x4F:
			fused = opI32GeUBrIf
		case opI32LtSImm:
			fused = opI32LtSImmBr
		case opI32GtSImm:
			fused = opI32GtSImmBr
		case opI32LeSImm:
			fused = opI32LeSImmBr
		case opI32EqImm:
			fused = opI32EqImmBr
		case opI32NeImm:
			fused = opI32NeImmBr
		}
		if fused != 0 {
			in.op = fused
			in.imm = uint64(uint32(in.imm)) << 32
			t.foldable = false
			if l.op == 0x03 {
				t.setTarget(last, l.start)
			} else {
				l.patches = append(l.patches, int32(last))
			}
			return
		}
	}
	i := t.jump(l, opBrIf)
	t.c.ins[i].b = u16(cond.src)
}

func (t *translator) globalType(i uint32) wasm.ValType {
	if t.globalTypes == nil {
		t.globalTypes = make([]wasm.ValType, 0, len(t.m.Globals)+1)
		for _, im := range t.m.Imports {
			if im.Kind == wasm.ExternGlobal {
				t.globalTypes = append(t.globalTypes, im.Global.Type)
			}
		}
		for i := range t.m.Globals {
			t.globalTypes = append(t.globalTypes, t.m.Globals[i].Type.Type)
		}
	}
	return t.globalTypes[i]
}

func (t *translator) tagType(i uint32) *wasm.FuncType {
	for _, im := range t.m.Imports {
		if im.Kind == wasm.ExternTag {
			if i == 0 {
				return t.m.FuncTypeAt(im.Func)
			}
			i--
		}
	}
	return t.m.FuncTypeAt(t.m.Tags[i].Type)
}

func (t *translator) tableType(i uint32) wasm.TableType {
	for _, im := range t.m.Imports {
		if im.Kind == wasm.ExternTable {
			if i == 0 {
				return im.Table
			}
			i--
		}
	}
	return t.m.Tables[i].Type
}

func (t *translator) memType(i uint32) wasm.MemoryType {
	if t.memTypes == nil {
		t.memTypes = make([]wasm.MemoryType, 0, len(t.m.Memories)+1)
		for _, im := range t.m.Imports {
			if im.Kind == wasm.ExternMemory {
				t.memTypes = append(t.memTypes, im.Memory)
			}
		}
		t.memTypes = append(t.memTypes, t.m.Memories...)
	}
	if int(i) < len(t.memTypes) {
		return t.memTypes[i]
	}
	return wasm.MemoryType{}
}

func (t *translator) memIs64(i uint32) bool { return t.memType(i).Is64 }

func (t *translator) addrType(mem uint32) wasm.ValType {
	if t.memIs64(mem) {
		return wasm.I64
	}
	return wasm.I32
}

func loadType(op byte) wasm.ValType {
	switch op {
	case 0x28, 0x2C, 0x2D, 0x2E, 0x2F:
		return wasm.I32
	case 0x2A:
		return wasm.F32
	case 0x2B:
		return wasm.F64
	}
	return wasm.I64
}

// numeric translates the instructions 0x45-0xC4.
func (t *translator) numeric(op byte) error {
	var nargs int
	var rt wasm.ValType
	switch {
	case op == 0x45 || op == 0x50:
		nargs, rt = 1, wasm.I32
	case op <= 0x66:
		nargs, rt = 2, wasm.I32
	case op <= 0x69:
		nargs, rt = 1, wasm.I32
	case op <= 0x78:
		nargs, rt = 2, wasm.I32
	case op <= 0x7B:
		nargs, rt = 1, wasm.I64
	case op <= 0x8A:
		nargs, rt = 2, wasm.I64
	case op <= 0x91:
		nargs, rt = 1, wasm.F32
	case op <= 0x98:
		nargs, rt = 2, wasm.F32
	case op <= 0x9F:
		nargs, rt = 1, wasm.F64
	case op <= 0xA6:
		nargs, rt = 2, wasm.F64
	case op <= 0xAB:
		nargs, rt = 1, wasm.I32
	case op <= 0xB1:
		nargs, rt = 1, wasm.I64
	case op <= 0xB6:
		nargs, rt = 1, wasm.F32
	case op <= 0xBB:
		nargs, rt = 1, wasm.F64
	case op == 0xBC || op == 0xC0 || op == 0xC1:
		nargs, rt = 1, wasm.I32
	case op == 0xBD || op >= 0xC2:
		nargs, rt = 1, wasm.I64
	case op == 0xBE:
		nargs, rt = 1, wasm.F32
	case op == 0xBF:
		nargs, rt = 1, wasm.F64
	}
	if nargs == 1 {
		x := t.pop()
		switch op {
		case 0xAD, 0xBC, 0xBD, 0xBE, 0xBF: // identities on the bit representation
			t.pushLazy(rt, x.src)
			return nil
		}
		dst := t.push(rt)
		t.emitF(instr{op: uint16(op), a: u16(dst), b: u16(x.src)})
		return nil
	}
	y := t.pop()
	x := t.pop()
	dst := t.push(rt)
	// Superinstructions with a constant right operand.
	if y.k {
		var fused uint16
		switch op {
		case 0x6A:
			fused = opI32AddImm
		case 0x6B:
			fused = opI32SubImm
		case 0x7C:
			fused = opI64AddImm
		case 0x48:
			fused = opI32LtSImm
		case 0x4A:
			fused = opI32GtSImm
		case 0x4C:
			fused = opI32LeSImm
		case 0x46:
			fused = opI32EqImm
		case 0x47:
			fused = opI32NeImm
		case 0x74:
			fused = opI32ShlImm
		case 0x71:
			fused = opI32AndImm
		case 0x6C:
			fused = opI32MulImm
		case 0x76:
			fused = opI32ShrUImm
		case 0x75:
			fused = opI32ShrSImm
		case 0x7E:
			fused = opI64MulImm
		}
		if fused != 0 {
			t.emitF(instr{op: fused, a: u16(dst), b: u16(x.src), imm: y.kv})
			return nil
		}
	}
	t.emitF(instr{op: uint16(op), a: u16(dst), b: u16(x.src), c: u16(y.src)})
	return nil
}

func (t *translator) prefixFC(d *dins) error {
	sub := d.op.Sub()
	switch {
	case sub <= 7:
		x := t.pop()
		rt := wasm.I32
		if sub >= 4 {
			rt = wasm.I64
		}
		dst := t.push(rt)
		t.emitF(instr{op: opSat + uint16(sub), a: u16(dst), b: u16(x.src)})
	case sub == 8: // memory.init data mem
		a := t.popN(3)
		t.emit(instr{op: opMemInit, a: u16(a), imm: uint64(d.x), c: u16(int32(d.y))})
	case sub == 9:
		t.emit(instr{op: opDataDrop, imm: uint64(d.x)})
	case sub == 10: // memory.copy dst src
		a := t.popN(3)
		t.emit(instr{op: opMemCopy, a: u16(a), b: u16(int32(d.x)), c: u16(int32(d.y))})
	case sub == 11:
		a := t.popN(3)
		t.emit(instr{op: opMemFill, a: u16(a), c: u16(int32(d.x))})
	case sub == 12: // table.init elem table
		a := t.popN(3)
		t.emit(instr{op: opTableInit, a: u16(a), imm: uint64(d.x), c: u16(int32(d.y))})
	case sub == 13:
		t.emit(instr{op: opElemDrop, imm: uint64(d.x)})
	case sub == 14: // table.copy dst src
		a := t.popN(3)
		t.emit(instr{op: opTableCopy, a: u16(a), b: u16(int32(d.x)), c: u16(int32(d.y))})
	case sub == 15: // table.grow
		a := t.popN(2)
		t.push(wasm.I32)
		t.emit(instr{op: opTableGrow, a: u16(a), c: u16(int32(d.x))})
	case sub == 16:
		dst := t.push(wasm.I32)
		t.emit(instr{op: opTableSize, a: u16(dst), c: u16(int32(d.x))})
	case sub == 17:
		a := t.popN(3)
		t.emit(instr{op: opTableFill, a: u16(a), c: u16(int32(d.x))})
	default:
		return fmt.Errorf("%w: 0xFC %d", errUnsupported, sub)
	}
	return nil
}
