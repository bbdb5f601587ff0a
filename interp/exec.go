package interp

import (
	"context"
	"encoding/binary"
	"math"
	"math/bits"

	"github.com/gowasm/gowasm/internal/numeric"
	"github.com/gowasm/gowasm/wasm"
)

// frame is a suspended caller on the explicit call stack.
type frame struct {
	code *code
	inst *Instance
	pc   int
	base int
}

// exec is an execution stack: value slots, their references and frames.
type exec struct {
	store  *Store
	slots  []uint64
	refs   []any
	frames []frame
	ctx    context.Context
	done   <-chan struct{}
	budget int
	// hostTop is the first slot free for wasm called back by a host
	// function.
	hostTop int
	// caller is handed to raw host functions.
	caller   Caller
	maxDepth int
	// trap details
	trapKind TrapKind
	trapMsg  string
	trapErr  error
	mem      []byte    // memory 0 of the running instance
	code     *code     // the running function
	inst     *Instance // its instance
	base     int       // its frame's first slot
	bt       []Frame
	exn      *exn // the exception being thrown
}

const pollInterval = 1 << 12

// maxSlots bounds the value stack (64 MiB of numeric slots), whatever
// Config.MaxCallDepth allows.
const maxSlots = 1 << 23

func (s *Store) getExec(ctx context.Context) *exec {
	var e *exec
	if n := len(s.free); n > 0 {
		e = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		e = &exec{store: s}
	}
	e.ctx = ctx
	e.done = ctx.Done()
	e.budget = s.grant()
	e.hostTop = 0
	e.maxDepth = s.cfg.MaxCallDepth
	e.trapKind = 0
	e.trapMsg = ""
	e.trapErr = nil
	e.frames = e.frames[:0]
	return e
}

func (s *Store) putExec(e *exec) {
	if s.metered && e.budget > 0 {
		s.fuel += uint64(e.budget) // refund what was granted but not used
		e.budget = 0
	}
	e.ctx = nil
	e.done = nil
	if len(s.free) < 4 {
		s.free = append(s.free, e)
	}
}

// ensure makes room for a frame at base needing n slots: the slot window
// of frameSlots slots and n reference slots.
func (e *exec) ensure(base, n int) {
	if base+frameSlots > len(e.slots) {
		m := 2*len(e.slots) + frameSlots
		for m < base+frameSlots {
			m *= 2
		}
		ns := make([]uint64, m)
		// Only the slots below base+n can be live: every caller of
		// ensure is setting up a frame (or results) at base, above the
		// live frames, and the operand slots of the calling frame above
		// its outgoing arguments are dead. Copying just those keeps the
		// rest of the new array untouched (no page faults).
		copy(ns, e.slots[:min(len(e.slots), base+n)])
		e.slots = ns
	}
	if base+n > len(e.refs) {
		m := 2*len(e.refs) + 64
		for m < base+n {
			m *= 2
		}
		nr := make([]any, m)
		copy(nr, e.refs)
		e.refs = nr
	}
}

// poll is called when the budget of loop back-edges and calls between
// context checks runs out; it reports whether the context is done.
func (e *exec) poll() bool {
	s := e.store
	if s.metered && s.fuel == 0 {
		e.budget = 0
		e.trapKind = TrapOutOfFuel
		return true
	}
	e.budget = s.grant()
	if e.done == nil {
		return false
	}
	select {
	case <-e.done:
		e.trapKind = TrapInterrupted
		e.trapErr = e.ctx.Err()
		return true
	default:
		return false
	}
}

// grant returns the budget of calls and backward branches the guest may
// run before the next poll, taking it from the store's fuel when metered.
func (s *Store) grant() int {
	if !s.metered {
		return pollInterval
	}
	g := min(uint64(pollInterval), s.fuel)
	s.fuel -= g
	return int(g)
}

// SetFuel turns metering on with n units of fuel (see Config.Fuel).
func (s *Store) SetFuel(n uint64) {
	s.fuel, s.metered = n, true
	if e := s.active; e != nil {
		// A host function refuels while wasm runs: restart its budget.
		e.budget = 0
	}
}

// Fuel returns the fuel left, and whether the store is metered. While
// wasm runs, up to a few thousand units may be held by the running
// guest and not yet counted here.
func (s *Store) Fuel() (uint64, bool) { return s.fuel, s.metered }

// regs is the window of slots of a frame.
type regs = [frameSlots]uint64

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func uf32(f float32) uint64 { return uint64(math.Float32bits(f)) }
func uf64(f float64) uint64 { return math.Float64bits(f) }

// run executes fn, whose arguments are in slots base..., until it returns.
// It returns false when a trap (described in e) ended it.
func (e *exec) run(fn *Func, base0 int) bool {
	entry := len(e.frames)
	if fn.code == nil && !e.resolve(fn) {
		e.bt = e.bt[:0]
		return false
	}
	e.code = fn.code
	e.inst = fn.inst
	e.base = base0
	e.ensure(e.base, e.code.frameSize)
	if len(e.frames)+1 > e.maxDepth {
		e.trapKind = TrapStackExhausted
		return false
	}
	ins := e.code.ins
	pc := 0
	r := (*regs)(e.slots[e.base : e.base+frameSlots])
	copy(r[e.code.nParamSlots:e.code.stackBase], e.code.init)
	for _, s := range e.code.refLocals {
		e.refs[e.base+int(s)] = nil
	}
	e.mem = e.inst.mem0.buf
	var in *instr
	for {
		in = &ins[pc]
		pc++
		switch in.op {
		case opUnreachable:
			e.trapKind = TrapUnreachable
			goto trap
		case opMov:
			r[in.a] = r[in.b]
		case opMov128:
			r[in.a] = r[in.b]
			r[in.a+1] = r[in.b+1]
		case opMovRef:
			e.refs[e.base+int(in.a)] = e.refs[e.base+int(in.b)]
		case opConst:
			r[in.a] = in.imm
		case opBr:
			pc = int(uint32(in.imm))
		case opBrLoop:
			pc = int(uint32(in.imm))
			if e.budget--; e.budget <= 0 && e.poll() {
				goto trap
			}
		case opBrIf:
			if r[in.b] != 0 {
				pc = int(uint32(in.imm))
			}
		case opBrIfNot:
			if r[in.b] == 0 {
				pc = int(uint32(in.imm))
			}
		case opBrIfLoop:
			if r[in.b] != 0 {
				pc = int(uint32(in.imm))
				if e.budget--; e.budget <= 0 && e.poll() {
					goto trap
				}
			}
		case opBrTable:
			i := uint32(r[in.b])
			if n := uint32(in.imm >> 32); i > n {
				i = n
			}
			npc := int(e.code.brtab[int(uint32(in.imm))+int(i)])
			if e.budget--; npc < pc && e.budget <= 0 && e.poll() {
				goto trap
			}
			pc = npc
		case opReturn:
			goto ret
		case opTailCall, opTailCallIndirect, opTailCallRef:
			var callee *Func
			if in.op == opTailCall {
				callee = e.inst.funcs[in.imm]
			} else if in.op == opTailCallRef {
				if callee, _ = e.refs[e.base+int(in.b)].(*Func); callee == nil {
					e.trapKind, e.trapMsg = TrapNullReference, "null function reference"
					goto trap
				}
			} else if callee = e.indirect(in, r); callee == nil {
				goto trap
			}
			if e.budget--; e.budget <= 0 && e.poll() {
				goto trap
			}
			if callee.code == nil {
				if callee.inst != nil {
					// A wasm function called for the first time.
					if !e.resolve(callee) {
						goto trap
					}
				} else {
					e.frames = append(e.frames, frame{e.code, e.inst, pc, e.base})
					ok := e.callHost(callee, e.base)
					e.frames = e.frames[:len(e.frames)-1]
					if !ok {
						if e.exn != nil {
							goto throw
						}
						goto trap
					}
					goto ret
				}
			}
			e.code = callee.code
			if e.base+frameSlots > len(e.slots) || e.base+e.code.frameSize > len(e.refs) {
				e.ensure(e.base, e.code.frameSize)
			}
			ins = e.code.ins
			pc = 0
			r = (*regs)(e.slots[e.base : e.base+frameSlots])
			copy(r[e.code.nParamSlots:e.code.stackBase], e.code.init)
			for _, s := range e.code.refLocals {
				e.refs[e.base+int(s)] = nil
			}
			if callee.inst != e.inst {
				e.inst = callee.inst
				e.mem = e.inst.mem0.buf
			}
		case opCall, opCallIndirect, opCallRef:
			var callee *Func
			if in.op == opCall {
				callee = e.inst.funcs[in.imm]
			} else if in.op == opCallRef {
				if callee, _ = e.refs[e.base+int(in.b)].(*Func); callee == nil {
					e.trapKind, e.trapMsg = TrapNullReference, "null function reference"
					goto trap
				}
			} else if callee = e.indirect(in, r); callee == nil {
				goto trap
			}
			if len(e.frames)+1 >= e.maxDepth {
				e.trapKind = TrapStackExhausted
				goto trap
			}
			if e.budget--; e.budget <= 0 && e.poll() {
				goto trap
			}
			nb := e.base + int(in.a)
			if callee.code == nil {
				if callee.inst != nil {
					// A wasm function called for the first time.
					if !e.resolve(callee) {
						goto trap
					}
				} else {
					e.frames = append(e.frames, frame{e.code, e.inst, pc, e.base})
					ok := e.callHost(callee, nb)
					e.frames = e.frames[:len(e.frames)-1]
					if !ok {
						if e.exn != nil {
							goto throw
						}
						goto trap
					}
					r = (*regs)(e.slots[e.base : e.base+frameSlots])
					e.mem = e.inst.mem0.buf
					continue
				}
			}
			e.frames = append(e.frames, frame{e.code, e.inst, pc, e.base})
			e.code = callee.code
			if nb+frameSlots > len(e.slots) || nb+e.code.frameSize > len(e.refs) {
				if nb+e.code.frameSize > maxSlots {
					e.code = e.frames[len(e.frames)-1].code
					e.frames = e.frames[:len(e.frames)-1]
					e.trapKind = TrapStackExhausted
					goto trap
				}
				e.ensure(nb, e.code.frameSize)
			}
			e.base = nb
			ins = e.code.ins
			pc = 0
			r = (*regs)(e.slots[e.base : e.base+frameSlots])
			copy(r[e.code.nParamSlots:e.code.stackBase], e.code.init)
			for _, s := range e.code.refLocals {
				e.refs[e.base+int(s)] = nil
			}
			if callee.inst != e.inst {
				e.inst = callee.inst
				e.mem = e.inst.mem0.buf
			}
		case opSelect:
			if r[uint16(in.imm)] != 0 {
				r[in.a] = r[in.b]
			} else {
				r[in.a] = r[in.c]
			}
		case opSelect128:
			if r[uint16(in.imm)] != 0 {
				r[in.a], r[in.a+1] = r[in.b], r[in.b+1]
			} else {
				r[in.a], r[in.a+1] = r[in.c], r[in.c+1]
			}
		case opSelectRef:
			if r[uint16(in.imm)] != 0 {
				e.refs[e.base+int(in.a)] = e.refs[e.base+int(in.b)]
			} else {
				e.refs[e.base+int(in.a)] = e.refs[e.base+int(in.c)]
			}
		case opGlobalGet:
			r[in.a] = e.inst.globals[in.imm].lo
		case opGlobalGet128:
			g := e.inst.globals[in.imm]
			r[in.a], r[in.a+1] = g.lo, g.hi
		case opGlobalGetRef:
			e.refs[e.base+int(in.a)] = e.inst.globals[in.imm].ref
		case opGlobalSet:
			e.inst.globals[in.imm].lo = r[in.a]
		case opGlobalSet128:
			g := e.inst.globals[in.imm]
			g.lo, g.hi = r[in.a], r[in.a+1]
		case opGlobalSetRef:
			e.inst.globals[in.imm].ref = e.refs[e.base+int(in.a)]
		case opMemSize:
			r[in.a] = uint64(len(e.inst.mems[in.c].buf) / pageSize)
		case opMemGrow:
			m := e.inst.mems[in.c]
			d := r[in.b]
			if !m.typ.Is64 {
				d = uint64(uint32(d))
			}
			old, ok := m.grow(d)
			if !ok {
				old = math.MaxUint64
				if !m.typ.Is64 {
					old = math.MaxUint32
				}
			}
			r[in.a] = old
			e.mem = e.inst.mem0.buf
		case opThrow:
			{
				tag := e.inst.tags[in.imm]
				n := slotsOfTypes(tag.typ.Params)
				x := &exn{tag: tag, slots: make([]uint64, n), refs: make([]any, n)}
				copy(x.slots, r[in.a:int(in.a)+n])
				copy(x.refs, e.refs[e.base+int(in.a):e.base+int(in.a)+n])
				e.exn = x
			}
			goto throw
		case opThrowRef:
			if x, _ := e.refs[e.base+int(in.b)].(*exn); x != nil {
				e.exn = x
				goto throw
			}
			e.trapKind, e.trapMsg = TrapNullReference, "null exception reference"
			goto trap
		case opRefAsNonNull:
			v := e.refs[e.base+int(in.b)]
			if v == nil {
				e.trapKind = TrapNullReference
				goto trap
			}
			e.refs[e.base+int(in.a)] = v
		case opBrIfNull:
			if e.refs[e.base+int(in.b)] == nil {
				goto jump
			}
		case opBrIfNotNull:
			if e.refs[e.base+int(in.b)] != nil {
				goto jump
			}
		case opRefNull:
			e.refs[e.base+int(in.a)] = nil
		case opRefIsNull:
			r[in.a] = b2u(e.refs[e.base+int(in.b)] == nil)
		case opRefFunc:
			e.refs[e.base+int(in.a)] = e.inst.funcs[in.imm]
		case opTableGet, opTableSet, opTableSize, opTableGrow, opTableFill, opTableCopy, opTableInit, opElemDrop,
			opMemInit, opDataDrop, opMemCopy, opMemFill:
			if !e.bulk(e.inst, in, e.base) {
				goto trap
			}
			e.mem = e.inst.mem0.buf
		case opSimd:
			if !e.simd(e.code, e.inst, in, r) {
				goto trap
			}

		// Loads and stores of memory 0.
		case 0x28:
			ea := uint64(uint32(r[in.b])+uint32(in.imm>>32)) + uint64(uint32(in.imm))
			if ea+4 > uint64(len(e.mem)) {
				goto oob
			}
			r[in.a] = uint64(binary.LittleEndian.Uint32(e.mem[ea:]))
		case 0x29:
			ea := uint64(uint32(r[in.b])+uint32(in.imm>>32)) + uint64(uint32(in.imm))
			if ea+8 > uint64(len(e.mem)) {
				goto oob
			}
			r[in.a] = binary.LittleEndian.Uint64(e.mem[ea:])
		case 0x2A:
			ea := uint64(uint32(r[in.b])+uint32(in.imm>>32)) + uint64(uint32(in.imm))
			if ea+4 > uint64(len(e.mem)) {
				goto oob
			}
			r[in.a] = uint64(binary.LittleEndian.Uint32(e.mem[ea:]))
		case 0x2B:
			ea := uint64(uint32(r[in.b])+uint32(in.imm>>32)) + uint64(uint32(in.imm))
			if ea+8 > uint64(len(e.mem)) {
				goto oob
			}
			r[in.a] = binary.LittleEndian.Uint64(e.mem[ea:])
		case 0x2C:
			ea := uint64(uint32(r[in.b])+uint32(in.imm>>32)) + uint64(uint32(in.imm))
			if ea >= uint64(len(e.mem)) {
				goto oob
			}
			r[in.a] = uint64(uint32(int32(int8(e.mem[ea]))))
		case 0x2D:
			ea := uint64(uint32(r[in.b])+uint32(in.imm>>32)) + uint64(uint32(in.imm))
			if ea >= uint64(len(e.mem)) {
				goto oob
			}
			r[in.a] = uint64(e.mem[ea])
		case 0x2E:
			ea := uint64(uint32(r[in.b])+uint32(in.imm>>32)) + uint64(uint32(in.imm))
			if ea+2 > uint64(len(e.mem)) {
				goto oob
			}
			r[in.a] = uint64(uint32(int32(int16(binary.LittleEndian.Uint16(e.mem[ea:])))))
		case 0x2F:
			ea := uint64(uint32(r[in.b])+uint32(in.imm>>32)) + uint64(uint32(in.imm))
			if ea+2 > uint64(len(e.mem)) {
				goto oob
			}
			r[in.a] = uint64(binary.LittleEndian.Uint16(e.mem[ea:]))
		case 0x30:
			ea := uint64(uint32(r[in.b])+uint32(in.imm>>32)) + uint64(uint32(in.imm))
			if ea >= uint64(len(e.mem)) {
				goto oob
			}
			r[in.a] = uint64(int64(int8(e.mem[ea])))
		case 0x31:
			ea := uint64(uint32(r[in.b])+uint32(in.imm>>32)) + uint64(uint32(in.imm))
			if ea >= uint64(len(e.mem)) {
				goto oob
			}
			r[in.a] = uint64(e.mem[ea])
		case 0x32:
			ea := uint64(uint32(r[in.b])+uint32(in.imm>>32)) + uint64(uint32(in.imm))
			if ea+2 > uint64(len(e.mem)) {
				goto oob
			}
			r[in.a] = uint64(int64(int16(binary.LittleEndian.Uint16(e.mem[ea:]))))
		case 0x33:
			ea := uint64(uint32(r[in.b])+uint32(in.imm>>32)) + uint64(uint32(in.imm))
			if ea+2 > uint64(len(e.mem)) {
				goto oob
			}
			r[in.a] = uint64(binary.LittleEndian.Uint16(e.mem[ea:]))
		case 0x34:
			ea := uint64(uint32(r[in.b])+uint32(in.imm>>32)) + uint64(uint32(in.imm))
			if ea+4 > uint64(len(e.mem)) {
				goto oob
			}
			r[in.a] = uint64(int64(int32(binary.LittleEndian.Uint32(e.mem[ea:]))))
		case 0x35:
			ea := uint64(uint32(r[in.b])+uint32(in.imm>>32)) + uint64(uint32(in.imm))
			if ea+4 > uint64(len(e.mem)) {
				goto oob
			}
			r[in.a] = uint64(binary.LittleEndian.Uint32(e.mem[ea:]))
		case 0x36, 0x38, 0x3E:
			ea := uint64(uint32(r[in.b])) + in.imm
			if ea+4 > uint64(len(e.mem)) {
				goto oob
			}
			binary.LittleEndian.PutUint32(e.mem[ea:], uint32(r[in.a]))
		case 0x37, 0x39:
			ea := uint64(uint32(r[in.b])) + in.imm
			if ea+8 > uint64(len(e.mem)) {
				goto oob
			}
			binary.LittleEndian.PutUint64(e.mem[ea:], r[in.a])
		case 0x3A, 0x3C:
			ea := uint64(uint32(r[in.b])) + in.imm
			if ea >= uint64(len(e.mem)) {
				goto oob
			}
			e.mem[ea] = byte(r[in.a])
		case 0x3B, 0x3D:
			ea := uint64(uint32(r[in.b])) + in.imm
			if ea+2 > uint64(len(e.mem)) {
				goto oob
			}
			binary.LittleEndian.PutUint16(e.mem[ea:], uint16(r[in.a]))

		// i32 comparisons
		case 0x45:
			r[in.a] = b2u(uint32(r[in.b]) == 0)
		case 0x46:
			r[in.a] = b2u(uint32(r[in.b]) == uint32(r[in.c]))
		case 0x47:
			r[in.a] = b2u(uint32(r[in.b]) != uint32(r[in.c]))
		case 0x48:
			r[in.a] = b2u(int32(r[in.b]) < int32(r[in.c]))
		case 0x49:
			r[in.a] = b2u(uint32(r[in.b]) < uint32(r[in.c]))
		case 0x4A:
			r[in.a] = b2u(int32(r[in.b]) > int32(r[in.c]))
		case 0x4B:
			r[in.a] = b2u(uint32(r[in.b]) > uint32(r[in.c]))
		case 0x4C:
			r[in.a] = b2u(int32(r[in.b]) <= int32(r[in.c]))
		case 0x4D:
			r[in.a] = b2u(uint32(r[in.b]) <= uint32(r[in.c]))
		case 0x4E:
			r[in.a] = b2u(int32(r[in.b]) >= int32(r[in.c]))
		case 0x4F:
			r[in.a] = b2u(uint32(r[in.b]) >= uint32(r[in.c]))
		// i64 comparisons
		case 0x50:
			r[in.a] = b2u(r[in.b] == 0)
		case 0x51:
			r[in.a] = b2u(r[in.b] == r[in.c])
		case 0x52:
			r[in.a] = b2u(r[in.b] != r[in.c])
		case 0x53:
			r[in.a] = b2u(int64(r[in.b]) < int64(r[in.c]))
		case 0x54:
			r[in.a] = b2u(r[in.b] < r[in.c])
		case 0x55:
			r[in.a] = b2u(int64(r[in.b]) > int64(r[in.c]))
		case 0x56:
			r[in.a] = b2u(r[in.b] > r[in.c])
		case 0x57:
			r[in.a] = b2u(int64(r[in.b]) <= int64(r[in.c]))
		case 0x58:
			r[in.a] = b2u(r[in.b] <= r[in.c])
		case 0x59:
			r[in.a] = b2u(int64(r[in.b]) >= int64(r[in.c]))
		case 0x5A:
			r[in.a] = b2u(r[in.b] >= r[in.c])
		// f32 comparisons
		case 0x5B:
			r[in.a] = b2u(f32bits(r[in.b]) == f32bits(r[in.c]))
		case 0x5C:
			r[in.a] = b2u(f32bits(r[in.b]) != f32bits(r[in.c]))
		case 0x5D:
			r[in.a] = b2u(f32bits(r[in.b]) < f32bits(r[in.c]))
		case 0x5E:
			r[in.a] = b2u(f32bits(r[in.b]) > f32bits(r[in.c]))
		case 0x5F:
			r[in.a] = b2u(f32bits(r[in.b]) <= f32bits(r[in.c]))
		case 0x60:
			r[in.a] = b2u(f32bits(r[in.b]) >= f32bits(r[in.c]))
		// f64 comparisons
		case 0x61:
			r[in.a] = b2u(f64bits(r[in.b]) == f64bits(r[in.c]))
		case 0x62:
			r[in.a] = b2u(f64bits(r[in.b]) != f64bits(r[in.c]))
		case 0x63:
			r[in.a] = b2u(f64bits(r[in.b]) < f64bits(r[in.c]))
		case 0x64:
			r[in.a] = b2u(f64bits(r[in.b]) > f64bits(r[in.c]))
		case 0x65:
			r[in.a] = b2u(f64bits(r[in.b]) <= f64bits(r[in.c]))
		case 0x66:
			r[in.a] = b2u(f64bits(r[in.b]) >= f64bits(r[in.c]))
		// i32 arithmetic
		case 0x67:
			r[in.a] = uint64(bits.LeadingZeros32(uint32(r[in.b])))
		case 0x68:
			r[in.a] = uint64(bits.TrailingZeros32(uint32(r[in.b])))
		case 0x69:
			r[in.a] = uint64(bits.OnesCount32(uint32(r[in.b])))
		case 0x6A:
			r[in.a] = uint64(uint32(r[in.b]) + uint32(r[in.c]))
		case 0x6B:
			r[in.a] = uint64(uint32(r[in.b]) - uint32(r[in.c]))
		case 0x6C:
			r[in.a] = uint64(uint32(r[in.b]) * uint32(r[in.c]))
		case 0x6D:
			x, y := int32(r[in.b]), int32(r[in.c])
			if y == 0 {
				goto div0
			}
			if y == -1 && x == math.MinInt32 {
				goto ovf
			}
			r[in.a] = uint64(uint32(x / y))
		case 0x6E:
			x, y := uint32(r[in.b]), uint32(r[in.c])
			if y == 0 {
				goto div0
			}
			r[in.a] = uint64(x / y)
		case 0x6F:
			x, y := int32(r[in.b]), int32(r[in.c])
			if y == 0 {
				goto div0
			}
			if y == -1 {
				r[in.a] = 0
			} else {
				r[in.a] = uint64(uint32(x % y))
			}
		case 0x70:
			x, y := uint32(r[in.b]), uint32(r[in.c])
			if y == 0 {
				goto div0
			}
			r[in.a] = uint64(x % y)
		case 0x71:
			r[in.a] = uint64(uint32(r[in.b]) & uint32(r[in.c]))
		case 0x72:
			r[in.a] = uint64(uint32(r[in.b]) | uint32(r[in.c]))
		case 0x73:
			r[in.a] = uint64(uint32(r[in.b]) ^ uint32(r[in.c]))
		case 0x74:
			r[in.a] = uint64(uint32(r[in.b]) << (r[in.c] & 31))
		case 0x75:
			r[in.a] = uint64(uint32(int32(r[in.b]) >> (r[in.c] & 31)))
		case 0x76:
			r[in.a] = uint64(uint32(r[in.b]) >> (r[in.c] & 31))
		case 0x77:
			r[in.a] = uint64(bits.RotateLeft32(uint32(r[in.b]), int(r[in.c]&31)))
		case 0x78:
			r[in.a] = uint64(bits.RotateLeft32(uint32(r[in.b]), -int(r[in.c]&31)))
		// i64 arithmetic
		case 0x79:
			r[in.a] = uint64(bits.LeadingZeros64(r[in.b]))
		case 0x7A:
			r[in.a] = uint64(bits.TrailingZeros64(r[in.b]))
		case 0x7B:
			r[in.a] = uint64(bits.OnesCount64(r[in.b]))
		case 0x7C:
			r[in.a] = r[in.b] + r[in.c]
		case 0x7D:
			r[in.a] = r[in.b] - r[in.c]
		case 0x7E:
			r[in.a] = r[in.b] * r[in.c]
		case 0x7F:
			x, y := int64(r[in.b]), int64(r[in.c])
			if y == 0 {
				goto div0
			}
			if y == -1 && x == math.MinInt64 {
				goto ovf
			}
			r[in.a] = uint64(x / y)
		case 0x80:
			x, y := r[in.b], r[in.c]
			if y == 0 {
				goto div0
			}
			r[in.a] = x / y
		case 0x81:
			x, y := int64(r[in.b]), int64(r[in.c])
			if y == 0 {
				goto div0
			}
			if y == -1 {
				r[in.a] = 0
			} else {
				r[in.a] = uint64(x % y)
			}
		case 0x82:
			x, y := r[in.b], r[in.c]
			if y == 0 {
				goto div0
			}
			r[in.a] = x % y
		case 0x83:
			r[in.a] = r[in.b] & r[in.c]
		case 0x84:
			r[in.a] = r[in.b] | r[in.c]
		case 0x85:
			r[in.a] = r[in.b] ^ r[in.c]
		case 0x86:
			r[in.a] = r[in.b] << (r[in.c] & 63)
		case 0x87:
			r[in.a] = uint64(int64(r[in.b]) >> (r[in.c] & 63))
		case 0x88:
			r[in.a] = r[in.b] >> (r[in.c] & 63)
		case 0x89:
			r[in.a] = bits.RotateLeft64(r[in.b], int(r[in.c]&63))
		case 0x8A:
			r[in.a] = bits.RotateLeft64(r[in.b], -int(r[in.c]&63))
		// f32 arithmetic
		case 0x8B:
			r[in.a] = r[in.b] & 0x7FFFFFFF
		case 0x8C:
			r[in.a] = (r[in.b] ^ 0x80000000) & 0xFFFFFFFF
		case 0x8D:
			r[in.a] = uf32(numeric.F32Ceil(f32bits(r[in.b])))
		case 0x8E:
			r[in.a] = uf32(numeric.F32Floor(f32bits(r[in.b])))
		case 0x8F:
			r[in.a] = uf32(numeric.F32Trunc(f32bits(r[in.b])))
		case 0x90:
			r[in.a] = uf32(numeric.F32Nearest(f32bits(r[in.b])))
		case 0x91:
			r[in.a] = uf32(numeric.F32Sqrt(f32bits(r[in.b])))
		case 0x92:
			r[in.a] = uf32(f32bits(r[in.b]) + f32bits(r[in.c]))
		case 0x93:
			r[in.a] = uf32(f32bits(r[in.b]) - f32bits(r[in.c]))
		case 0x94:
			r[in.a] = uf32(f32bits(r[in.b]) * f32bits(r[in.c]))
		case 0x95:
			r[in.a] = uf32(f32bits(r[in.b]) / f32bits(r[in.c]))
		case 0x96:
			r[in.a] = uf32(numeric.F32Min(f32bits(r[in.b]), f32bits(r[in.c])))
		case 0x97:
			r[in.a] = uf32(numeric.F32Max(f32bits(r[in.b]), f32bits(r[in.c])))
		case 0x98:
			r[in.a] = r[in.b]&0x7FFFFFFF | r[in.c]&0x80000000
		// f64 arithmetic
		case 0x99:
			r[in.a] = r[in.b] &^ (1 << 63)
		case 0x9A:
			r[in.a] = r[in.b] ^ (1 << 63)
		case 0x9B:
			r[in.a] = uf64(numeric.F64Ceil(f64bits(r[in.b])))
		case 0x9C:
			r[in.a] = uf64(numeric.F64Floor(f64bits(r[in.b])))
		case 0x9D:
			r[in.a] = uf64(numeric.F64Trunc(f64bits(r[in.b])))
		case 0x9E:
			r[in.a] = uf64(numeric.F64Nearest(f64bits(r[in.b])))
		case 0x9F:
			r[in.a] = uf64(numeric.F64Sqrt(f64bits(r[in.b])))
		case 0xA0:
			r[in.a] = uf64(f64bits(r[in.b]) + f64bits(r[in.c]))
		case 0xA1:
			r[in.a] = uf64(f64bits(r[in.b]) - f64bits(r[in.c]))
		case 0xA2:
			r[in.a] = uf64(f64bits(r[in.b]) * f64bits(r[in.c]))
		case 0xA3:
			r[in.a] = uf64(f64bits(r[in.b]) / f64bits(r[in.c]))
		case 0xA4:
			r[in.a] = uf64(numeric.F64Min(f64bits(r[in.b]), f64bits(r[in.c])))
		case 0xA5:
			r[in.a] = uf64(numeric.F64Max(f64bits(r[in.b]), f64bits(r[in.c])))
		case 0xA6:
			r[in.a] = r[in.b]&^(1<<63) | r[in.c]&(1<<63)
		// conversions
		case 0xA7:
			r[in.a] = uint64(uint32(r[in.b]))
		case 0xA8, 0xA9, 0xAA, 0xAB, 0xAE, 0xAF, 0xB0, 0xB1:
			v, k := truncOp(in.op, r[in.b])
			if k != 0 {
				e.trapKind = k
				goto trap
			}
			r[in.a] = v
		case 0xAC:
			r[in.a] = uint64(int64(int32(r[in.b])))
		case 0xAD:
			r[in.a] = uint64(uint32(r[in.b]))
		case 0xB2:
			r[in.a] = uf32(float32(int32(r[in.b])))
		case 0xB3:
			r[in.a] = uf32(numeric.F32ConvertI32U(uint32(r[in.b])))
		case 0xB4:
			r[in.a] = uf32(numeric.F32ConvertI64S(int64(r[in.b])))
		case 0xB5:
			r[in.a] = uf32(numeric.F32ConvertI64U(r[in.b]))
		case 0xB6:
			r[in.a] = uf32(numeric.F32DemoteF64(f64bits(r[in.b])))
		case 0xB7:
			r[in.a] = uf64(float64(int32(r[in.b])))
		case 0xB8:
			r[in.a] = uf64(float64(uint32(r[in.b])))
		case 0xB9:
			r[in.a] = uf64(float64(int64(r[in.b])))
		case 0xBA:
			r[in.a] = uf64(numeric.F64ConvertI64U(r[in.b]))
		case 0xBB:
			r[in.a] = uf64(numeric.F64PromoteF32(f32bits(r[in.b])))
		case 0xBC, 0xBD, 0xBE, 0xBF:
			r[in.a] = r[in.b]
		case 0xC0:
			r[in.a] = uint64(uint32(int32(int8(r[in.b]))))
		case 0xC1:
			r[in.a] = uint64(uint32(int32(int16(r[in.b]))))
		case 0xC2:
			r[in.a] = uint64(int64(int8(r[in.b])))
		case 0xC3:
			r[in.a] = uint64(int64(int16(r[in.b])))
		case 0xC4:
			r[in.a] = uint64(int64(int32(r[in.b])))
		case opSat + 0:
			r[in.a] = uint64(uint32(numeric.I32TruncSatF32S(f32bits(r[in.b]))))
		case opSat + 1:
			r[in.a] = uint64(numeric.I32TruncSatF32U(f32bits(r[in.b])))
		case opSat + 2:
			r[in.a] = uint64(uint32(numeric.I32TruncSatF64S(f64bits(r[in.b]))))
		case opSat + 3:
			r[in.a] = uint64(numeric.I32TruncSatF64U(f64bits(r[in.b])))
		case opSat + 4:
			r[in.a] = uint64(numeric.I64TruncSatF32S(f32bits(r[in.b])))
		case opSat + 5:
			r[in.a] = numeric.I64TruncSatF32U(f32bits(r[in.b]))
		case opSat + 6:
			r[in.a] = uint64(numeric.I64TruncSatF64S(f64bits(r[in.b])))
		case opSat + 7:
			r[in.a] = numeric.I64TruncSatF64U(f64bits(r[in.b]))

		// Superinstructions.
		case opI32AddImm:
			r[in.a] = uint64(uint32(r[in.b]) + uint32(in.imm))
		case opI32SubImm:
			r[in.a] = uint64(uint32(r[in.b]) - uint32(in.imm))
		case opI64AddImm:
			r[in.a] = r[in.b] + in.imm
		case opI32MulImm:
			r[in.a] = uint64(uint32(r[in.b]) * uint32(in.imm))
		case opI64MulImm:
			r[in.a] = r[in.b] * in.imm
		case opI32ShlImm:
			r[in.a] = uint64(uint32(r[in.b]) << (in.imm & 31))
		case opI32ShrUImm:
			r[in.a] = uint64(uint32(r[in.b]) >> (in.imm & 31))
		case opI32ShrSImm:
			r[in.a] = uint64(uint32(int32(r[in.b]) >> (in.imm & 31)))
		case opI32AndImm:
			r[in.a] = uint64(uint32(r[in.b]) & uint32(in.imm))
		case opI32LtSImm:
			r[in.a] = b2u(int32(r[in.b]) < int32(in.imm))
		case opI32GtSImm:
			r[in.a] = b2u(int32(r[in.b]) > int32(in.imm))
		case opI32LeSImm:
			r[in.a] = b2u(int32(r[in.b]) <= int32(in.imm))
		case opI32EqImm:
			r[in.a] = b2u(uint32(r[in.b]) == uint32(in.imm))
		case opI32NeImm:
			r[in.a] = b2u(uint32(r[in.b]) != uint32(in.imm))
		case opI32EqzBrIf:
			if uint32(r[in.b]) == 0 {
				goto jump
			}
		case opI32LtSImmBr:
			if int32(r[in.b]) < int32(in.imm>>32) {
				goto jump
			}
		case opI32GeSImmBr:
			if int32(r[in.b]) >= int32(in.imm>>32) {
				goto jump
			}
		case opI32GtSImmBr:
			if int32(r[in.b]) > int32(in.imm>>32) {
				goto jump
			}
		case opI32LeSImmBr:
			if int32(r[in.b]) <= int32(in.imm>>32) {
				goto jump
			}
		case opI32EqImmBr:
			if uint32(r[in.b]) == uint32(in.imm>>32) {
				goto jump
			}
		case opI32NeImmBr:
			if uint32(r[in.b]) != uint32(in.imm>>32) {
				goto jump
			}
		case opI32EqBrIf:
			if uint32(r[in.b]) == uint32(r[in.c]) {
				goto jump
			}
		case opI32NeBrIf:
			if uint32(r[in.b]) != uint32(r[in.c]) {
				goto jump
			}
		case opI32LtSBrIf:
			if int32(r[in.b]) < int32(r[in.c]) {
				goto jump
			}
		case opI32LtUBrIf:
			if uint32(r[in.b]) < uint32(r[in.c]) {
				goto jump
			}
		case opI32GtSBrIf:
			if int32(r[in.b]) > int32(r[in.c]) {
				goto jump
			}
		case opI32GtUBrIf:
			if uint32(r[in.b]) > uint32(r[in.c]) {
				goto jump
			}
		case opI32LeSBrIf:
			if int32(r[in.b]) <= int32(r[in.c]) {
				goto jump
			}
		case opI32LeUBrIf:
			if uint32(r[in.b]) <= uint32(r[in.c]) {
				goto jump
			}
		case opI32GeSBrIf:
			if int32(r[in.b]) >= int32(r[in.c]) {
				goto jump
			}
		case opI32GeUBrIf:
			if uint32(r[in.b]) >= uint32(r[in.c]) {
				goto jump
			}
		default:
			if in.op >= opGC {
				jump, ok := e.gc(in, r)
				if !ok {
					goto trap
				}
				if jump {
					goto jump
				}
				continue
			}
			if in.op >= opGen {
				if !e.memOp(e.inst, in, r) {
					goto trap
				}
				continue
			}
			e.trapKind = TrapUnreachable
			e.trapMsg = "internal error: bad opcode"
			goto trap
		}
		continue
	throw:
		// Unwind to the innermost handler catching e.exn.
		for {
			if tgt, ok := e.catch(e.exn, pc-1); ok {
				e.exn = nil
				if tgt < 0 {
					goto ret
				}
				pc = tgt
				break
			}
			if len(e.frames) == entry {
				return false
			}
			f := &e.frames[len(e.frames)-1]
			e.code, e.inst, pc, e.base = f.code, f.inst, f.pc, f.base
			e.frames = e.frames[:len(e.frames)-1]
			ins = e.code.ins
			r = (*regs)(e.slots[e.base : e.base+frameSlots])
			e.mem = e.inst.mem0.buf
		}
		continue
	ret:
		if len(e.frames) == entry {
			return true
		}
		{
			f := &e.frames[len(e.frames)-1]
			e.code, e.inst, pc, e.base = f.code, f.inst, f.pc, f.base
		}
		e.frames = e.frames[:len(e.frames)-1]
		ins = e.code.ins
		r = (*regs)(e.slots[e.base : e.base+frameSlots])
		e.mem = e.inst.mem0.buf
		continue
	jump:
		if int(uint32(in.imm)) < pc {
			if e.budget--; e.budget <= 0 && e.poll() {
				goto trap
			}
		}
		pc = int(uint32(in.imm))
		continue
	div0:
		e.trapKind = TrapIntegerDivideByZero
		goto trap
	ovf:
		e.trapKind = TrapIntegerOverflow
		goto trap
	oob:
		e.trapKind = TrapMemoryOutOfBounds
		goto trap
	}
trap:
	e.frames = append(e.frames, frame{e.code, e.inst, pc, e.base})
	e.backtrace(entry)
	e.frames = e.frames[:entry]
	return false
}

// catch looks for a handler of the running function that catches x at
// instruction p. On a match it writes the exception's values to the
// label's slots and returns the label's pc (-1 for the function's label,
// whose values are its results).
func (e *exec) catch(x *exn, p int) (int, bool) {
	hs := e.code.handlers
	for i := len(hs) - 1; i >= 0; i-- {
		h := &hs[i]
		if p < int(h.start) || p >= int(h.end) {
			continue
		}
		if h.delegate {
			// Go on with handler h.next and the handlers enclosing it
			// (which all enclose p); none: the caller's.
			i = int(h.next) + 1
			continue
		}
		for k := range h.catches {
			c := &h.catches[k]
			switch c.kind {
			case wasm.Catch, wasm.CatchRef:
				if e.inst.tags[c.tag] != x.tag {
					continue
				}
			}
			d := e.base + int(c.dst)
			if c.legacy {
				e.refs[d] = x // for rethrow
				d++
			}
			n := 0
			if c.kind == wasm.Catch || c.kind == wasm.CatchRef {
				n = len(x.slots)
				copy(e.slots[d:d+n], x.slots)
				copy(e.refs[d:d+n], x.refs)
			}
			if c.kind == wasm.CatchRef || c.kind == wasm.CatchAllRef {
				e.refs[d+n] = x
			}
			return int(c.target), true
		}
	}
	return 0, false
}

// indirect resolves the callee of call_indirect or return_call_indirect:
// type index in the low and table index in the high half of imm, element
// index in slot b. It returns nil after recording a trap.
func (e *exec) indirect(in *instr, r *regs) *Func {
	tab := e.inst.tables[in.imm>>32]
	i := uint64(uint32(r[in.b]))
	if tab.typ.Is64 {
		i = r[in.b]
	}
	if i >= uint64(len(tab.elems)) {
		e.trapKind = TrapTableOutOfBounds
		e.trapMsg = "undefined element"
		return nil
	}
	f, _ := tab.elems[i].(*Func)
	if f == nil {
		e.trapKind = TrapUninitializedElement
		return nil
	}
	if want := e.inst.types[uint32(in.imm)]; f.rt != want && !f.rt.sub(want) {
		e.trapKind = TrapIndirectCallTypeMismatch
		return nil
	}
	return f
}

// truncOp runs a trapping float-to-integer truncation.
func truncOp(op uint16, x uint64) (uint64, TrapKind) {
	var v uint64
	var err error
	switch op {
	case 0xA8:
		var y int32
		y, err = numeric.I32TruncF32S(f32bits(x))
		v = uint64(uint32(y))
	case 0xA9:
		var y uint32
		y, err = numeric.I32TruncF32U(f32bits(x))
		v = uint64(y)
	case 0xAA:
		var y int32
		y, err = numeric.I32TruncF64S(f64bits(x))
		v = uint64(uint32(y))
	case 0xAB:
		var y uint32
		y, err = numeric.I32TruncF64U(f64bits(x))
		v = uint64(y)
	case 0xAE:
		var y int64
		y, err = numeric.I64TruncF32S(f32bits(x))
		v = uint64(y)
	case 0xAF:
		v, err = numeric.I64TruncF32U(f32bits(x))
	case 0xB0:
		var y int64
		y, err = numeric.I64TruncF64S(f64bits(x))
		v = uint64(y)
	case 0xB1:
		v, err = numeric.I64TruncF64U(f64bits(x))
	}
	switch err {
	case nil:
		return v, 0
	case numeric.ErrInvalidConversion:
		return 0, TrapInvalidConversion
	default:
		return 0, TrapIntegerOverflow
	}
}
