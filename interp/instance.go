package interp

import (
	"context"
	"errors"
	"fmt"

	"github.com/gowasm/gowasm/wasm"
)

// maxPages returns the spec's page limit of a memory type.
func maxPages(t wasm.MemoryType) uint64 {
	if t.Is64 {
		return 1 << 48
	}
	return 65536
}

func (s *Store) newMemory(typ wasm.MemoryType) (*Memory, error) {
	lim := maxPages(typ)
	if typ.HasMax && typ.Max < lim {
		lim = typ.Max
	}
	if s.cfg.MaxMemoryPages != 0 && s.cfg.MaxMemoryPages < lim {
		lim = s.cfg.MaxMemoryPages
	}
	if typ.Min > lim {
		return nil, fmt.Errorf("interp: memory of %d pages exceeds the limit of %d pages", typ.Min, lim)
	}
	if typ.Min*pageSize > 1<<40 {
		return nil, errors.New("interp: memory too large")
	}
	// Leave headroom for the first grows (guests such as Go programs grow
	// their memory early and in small steps): capacity that is never
	// touched costs no physical memory, while each reallocation copies
	// the whole memory into fresh pages.
	n := typ.Min * pageSize
	c := n + min(n/2, 64<<20)
	if l := lim * pageSize; c > l {
		c = l
	}
	if c < n {
		c = n
	}
	return &Memory{typ: typ, buf: make([]byte, n, c), max: lim}, nil
}

func (m *Memory) grow(delta uint64) (uint64, bool) {
	old := uint64(len(m.buf)) / pageSize
	if delta == 0 {
		return old, true
	}
	if delta > m.max || old+delta > m.max {
		return 0, false
	}
	n := (old + delta) * pageSize
	if n > 1<<40 {
		return 0, false
	}
	var nb []byte
	if uint64(cap(m.buf)) >= n {
		// The bytes past len were never reachable, so they are still zero.
		nb = m.buf[:n]
	} else {
		// Leave headroom so that repeated small grows do not copy the
		// whole memory each time.
		c := n + n/2
		if lim := m.max * pageSize; c > lim {
			c = lim
		}
		if c > 1<<40 || c < n {
			c = n
		}
		nb = make([]byte, n, c)
		copy(nb, m.buf)
	}
	m.buf = nb
	return old, true
}

func (s *Store) newTable(typ wasm.TableType, init any) (*Table, error) {
	lim := s.cfg.MaxTableElems
	if typ.HasMax && typ.Max < lim {
		lim = typ.Max
	}
	if !typ.Is64 && lim > 1<<32-1 {
		lim = 1<<32 - 1
	}
	if typ.Min > lim {
		return nil, fmt.Errorf("interp: table of %d elements exceeds the limit of %d", typ.Min, lim)
	}
	t := &Table{typ: typ, elems: make([]any, typ.Min), max: lim}
	if init != nil {
		for i := range t.elems {
			t.elems[i] = init
		}
	}
	return t, nil
}

func (t *Table) grow(delta uint64, init any) (uint64, bool) {
	old := uint64(len(t.elems))
	if delta > t.max || old+delta > t.max {
		return 0, false
	}
	ne := make([]any, old+delta)
	copy(ne, t.elems)
	if init != nil {
		for i := old; i < old+delta; i++ {
			ne[i] = init
		}
	}
	t.elems = ne
	return old, true
}

// limitsMatch reports whether actual limits (min, max) match the import's.
func limitsMatch(aMin, aMax uint64, aHas bool, im wasm.Limits) bool {
	if aMin < im.Min {
		return false
	}
	if im.HasMax {
		if !aHas || aMax > im.Max {
			return false
		}
	}
	return true
}

func (s *Store) instantiate(ctx context.Context, mod *Module, imports Resolver) (*Instance, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	m := mod.m
	in := &Instance{store: s, mod: mod, exports: map[string]Extern{}}
	in.types = s.moduleTypes(mod)
	// Imports.
	for _, im := range m.Imports {
		var ext Extern
		if imports != nil {
			ext = imports(im.Module, im.Name)
		}
		if ext == nil {
			return nil, &LinkError{Module: im.Module, Name: im.Name, Reason: "unknown import"}
		}
		bad := &LinkError{Module: im.Module, Name: im.Name, Reason: "incompatible import type"}
		if ext.ExternKind() != im.Kind {
			return nil, bad
		}
		switch im.Kind {
		case wasm.ExternFunc:
			f, ok := ext.(*Func)
			if !ok || f == nil {
				return nil, bad
			}
			if int(im.Func) >= len(in.types) || !f.rt.sub(in.types[im.Func]) {
				return nil, bad
			}
			in.funcs = append(in.funcs, f)
		case wasm.ExternTable:
			t, ok := ext.(*Table)
			if !ok || t == nil {
				return nil, bad
			}
			if !valEq(t.typ.Elem, t.ctx, im.Table.Elem, in.types) || t.typ.Is64 != im.Table.Is64 ||
				!limitsMatch(uint64(len(t.elems)), t.typ.Max, t.typ.HasMax, im.Table.Limits) {
				return nil, bad
			}
			in.tables = append(in.tables, t)
		case wasm.ExternMemory:
			mm, ok := ext.(*Memory)
			if !ok || mm == nil {
				return nil, bad
			}
			if mm.typ.Is64 != im.Memory.Is64 ||
				!limitsMatch(uint64(len(mm.buf))/pageSize, mm.typ.Max, mm.typ.HasMax, im.Memory.Limits) {
				return nil, bad
			}
			in.mems = append(in.mems, mm)
		case wasm.ExternGlobal:
			g, ok := ext.(*Global)
			if !ok || g == nil {
				return nil, bad
			}
			if g.typ.Mutable != im.Global.Mutable {
				return nil, bad
			}
			if g.typ.Mutable && !valEq(g.typ.Type, g.ctx, im.Global.Type, in.types) ||
				!valSub(g.typ.Type, g.ctx, im.Global.Type, in.types) {
				return nil, bad
			}
			in.globals = append(in.globals, g)
		case wasm.ExternTag:
			tg, ok := ext.(*Tag)
			if !ok || tg == nil || int(im.Func) >= len(in.types) || tg.rt != in.types[im.Func] {
				return nil, bad
			}
			in.tags = append(in.tags, tg)
		default:
			return nil, bad
		}
	}
	// Functions.
	fs := make([]Func, len(mod.codes))
	for i := range fs {
		fs[i] = Func{typ: mod.funcTypes[mod.nImpFuncs+i], inst: in, code: mod.codes[i].Load(), idx: uint32(i), store: s, rt: in.types[m.Funcs[i]]}
		in.funcs = append(in.funcs, &fs[i])
	}
	// Tags.
	for i := range m.Tags {
		ft := m.FuncTypeAt(m.Tags[i].Type)
		if ft == nil {
			return nil, fmt.Errorf("interp: tag %d: type %d is not a function type", len(in.tags), m.Tags[i].Type)
		}
		in.tags = append(in.tags, &Tag{typ: ft, rt: in.types[m.Tags[i].Type]})
	}
	// Globals.
	for i := range m.Globals {
		g := &Global{typ: m.Globals[i].Type, ctx: in.types}
		v, err := in.evalConst(m.Globals[i].Init)
		if err != nil {
			return nil, fmt.Errorf("interp: global %d: %w", len(in.globals), err)
		}
		g.lo, g.hi, g.ref = v.Lo, v.Hi, v.Ref
		in.globals = append(in.globals, g)
	}
	// Tables and memories.
	for i := range m.Tables {
		var init any
		if m.Tables[i].Init != nil {
			v, err := in.evalConst(m.Tables[i].Init)
			if err != nil {
				return nil, err
			}
			init = v.Ref
		}
		t, err := s.newTable(m.Tables[i].Type, init)
		if err != nil {
			return nil, err
		}
		t.ctx = in.types
		in.tables = append(in.tables, t)
	}
	for i := range m.Memories {
		mm, err := s.newMemory(m.Memories[i])
		if err != nil {
			return nil, err
		}
		in.mems = append(in.mems, mm)
	}
	if len(in.mems) > 0 {
		in.mem0 = in.mems[0]
	} else {
		in.mem0 = &Memory{}
	}
	// Exports.
	for _, ex := range m.Exports {
		var e Extern
		switch ex.Kind {
		case wasm.ExternFunc:
			e = in.funcs[ex.Index]
		case wasm.ExternTable:
			e = in.tables[ex.Index]
		case wasm.ExternMemory:
			e = in.mems[ex.Index]
		case wasm.ExternGlobal:
			e = in.globals[ex.Index]
		case wasm.ExternTag:
			e = in.tags[ex.Index]
		default:
			continue
		}
		in.exports[ex.Name] = e
	}
	// Element segments.
	in.elems = make([][]any, len(m.Elems))
	for i := range m.Elems {
		el := &m.Elems[i]
		items := make([]any, el.Len())
		for k := range items {
			if el.Indices != nil {
				items[k] = in.funcs[el.Indices[k]]
			} else {
				v, err := in.evalConst(el.Exprs[k])
				if err != nil {
					return nil, err
				}
				items[k] = v.Ref
			}
		}
		in.elems[i] = items
	}
	// The data segments memory.init can still read. Active segments are
	// dropped below, so a module with only active segments (a Go program
	// has tens of thousands) needs no table at all: nil means all dropped.
	for i := range m.Data {
		if m.Data[i].Mode != wasm.SegmentActive {
			in.datas = make([][]byte, len(m.Data))
			for i := range m.Data {
				if m.Data[i].Mode != wasm.SegmentActive {
					in.datas[i] = m.Data[i].Init
				}
			}
			break
		}
	}
	for i := range m.Elems {
		el := &m.Elems[i]
		switch el.Mode {
		case wasm.SegmentActive:
			v, err := in.evalConst(el.Offset)
			if err != nil {
				return nil, err
			}
			t := in.tables[el.Table]
			off := v.Lo
			if !t.typ.Is64 {
				off = uint64(uint32(off))
			}
			n := uint64(len(in.elems[i]))
			if off > uint64(len(t.elems)) || n > uint64(len(t.elems))-off {
				return nil, &Trap{Kind: TrapTableOutOfBounds}
			}
			copy(t.elems[off:], in.elems[i])
			in.elems[i] = nil
		case wasm.SegmentDeclarative:
			in.elems[i] = nil
		}
	}
	for i := range m.Data {
		d := &m.Data[i]
		if d.Mode != wasm.SegmentActive {
			continue
		}
		v, err := in.evalConst(d.Offset)
		if err != nil {
			return nil, err
		}
		mm := in.mems[d.Memory]
		off := v.Lo
		if !mm.typ.Is64 {
			off = uint64(uint32(off))
		}
		n := uint64(len(d.Init))
		if off > uint64(len(mm.buf)) || n > uint64(len(mm.buf))-off {
			return nil, &Trap{Kind: TrapMemoryOutOfBounds}
		}
		copy(mm.buf[off:], d.Init)
	}
	if m.HasStart {
		if _, err := in.funcs[m.Start].call(ctx, nil); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// evalConst evaluates a constant expression.
func (in *Instance) evalConst(e wasm.Expr) (v Value, err error) {
	// Fast path for the common i32.const n / i64.const n (e.g. the
	// offsets of data segments, of which a Go program has thousands).
	if len(e) >= 3 && len(e) <= 11 && (e[0] == 0x41 || e[0] == 0x42) && e[len(e)-1] == 0x0B {
		if x, ok := constSLEB(e[1 : len(e)-1]); ok {
			if e[0] == 0x41 {
				if x >= -1<<31 && x < 1<<31 {
					return Value{Type: wasm.I32, Lo: uint64(uint32(x))}, nil
				}
			} else {
				return Value{Type: wasm.I64, Lo: uint64(x)}, nil
			}
		}
	}
	return in.evalConstSlow(e)
}

// constSLEB decodes b, which must be exactly one signed LEB128 number of
// at most 9 bytes.
func constSLEB(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	var x uint64
	var shift uint
	for i, c := range b {
		x |= uint64(c&0x7F) << shift
		shift += 7
		if c&0x80 == 0 {
			if i != len(b)-1 {
				return 0, false
			}
			if c&0x40 != 0 && shift < 64 {
				x |= ^uint64(0) << shift
			}
			return int64(x), true
		}
	}
	return 0, false
}

// evalConstSlow evaluates any constant expression.
func (in *Instance) evalConstSlow(e wasm.Expr) (v Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("interp: bad constant expression: %v", r)
		}
	}()
	r := &reader{b: e}
	var st []Value
	var d dins
	for {
		r.next(in.mod.m, &d)
		switch d.op {
		case 0x0B:
			if len(st) != 1 {
				return Value{}, errors.New("interp: bad constant expression")
			}
			return st[0], nil
		case 0x41:
			st = append(st, Value{Type: wasm.I32, Lo: d.c})
		case 0x42:
			st = append(st, Value{Type: wasm.I64, Lo: d.c})
		case 0x43:
			st = append(st, Value{Type: wasm.F32, Lo: d.c})
		case 0x44:
			st = append(st, Value{Type: wasm.F64, Lo: d.c})
		case wasm.PrefixedOp(0xFD, 12):
			st = append(st, Value{Type: wasm.V128, Lo: le64(d.v[:8]), Hi: le64(d.v[8:])})
		case 0x23:
			g := in.globals[d.x]
			st = append(st, g.Get())
		case 0xD0:
			st = append(st, Value{Type: wasm.ValType{Kind: wasm.KindRef, Nullable: true, Heap: d.heap}})
		case 0xD2:
			st = append(st, Value{Type: wasm.FuncRef, Ref: in.funcs[d.x]})
		case wasm.PrefixedOp(0xFB, 0), wasm.PrefixedOp(0xFB, 1), wasm.PrefixedOp(0xFB, 6), wasm.PrefixedOp(0xFB, 7),
			wasm.PrefixedOp(0xFB, 8), wasm.PrefixedOp(0xFB, 26), wasm.PrefixedOp(0xFB, 27), wasm.PrefixedOp(0xFB, 28):
			if st, err = in.constGC(&d, st); err != nil {
				return Value{}, err
			}
		case 0x6A, 0x6B, 0x6C, 0x7C, 0x7D, 0x7E:
			if len(st) < 2 {
				return Value{}, errors.New("interp: bad constant expression")
			}
			x, y := st[len(st)-2], st[len(st)-1]
			st = st[:len(st)-2]
			var z uint64
			switch d.op {
			case 0x6A, 0x7C:
				z = x.Lo + y.Lo
			case 0x6B, 0x7D:
				z = x.Lo - y.Lo
			default:
				z = x.Lo * y.Lo
			}
			if d.op < 0x7C {
				z = uint64(uint32(z))
			}
			st = append(st, Value{Type: x.Type, Lo: z})
		default:
			return Value{}, fmt.Errorf("interp: opcode 0x%x in a constant expression", uint32(d.op))
		}
	}
}

func le64(b []byte) uint64 {
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

// slotsOfTypes counts the slots of a list of types.
func slotsOfTypes(ts []wasm.ValType) int {
	n := 0
	for _, t := range ts {
		n += int(slotsOf(t))
	}
	return n
}

// call runs f from the host.
func (f *Func) call(ctx context.Context, args []Value) (res []Value, err error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if len(args) != len(f.typ.Params) {
		return nil, fmt.Errorf("interp: function expects %d arguments, got %d", len(f.typ.Params), len(args))
	}
	for i, a := range args {
		if a.Type != f.typ.Params[i] && a.Type.Kind != 0 {
			if !(a.Type.Kind == wasm.KindRef && f.typ.Params[i].Kind == wasm.KindRef) {
				return nil, fmt.Errorf("interp: argument %d has type %v, want %v", i, a.Type, f.typ.Params[i])
			}
		}
	}
	if f.raw != nil {
		res, err := f.callRawFromGo(ctx, args)
		if err != nil {
			return nil, wrapHostErr(err)
		}
		return res, nil
	}
	if f.host != nil {
		// A copy, so that args (often a variadic slice) does not escape.
		res, err := f.host(ctx, append([]Value(nil), args...))
		if err != nil {
			return nil, wrapHostErr(err)
		}
		return res, nil
	}
	s := f.store
	if e := s.active; e != nil {
		// Called back from a host function: continue on the running
		// stack, above the frame of the wasm function that called the
		// host.
		saved := e.save()
		defer e.restore(saved)
		e.ctx, e.done = ctx, ctx.Done()
		base := e.hostTop
		e.ensure(base, slotsOfTypes(f.typ.Params)+slotsOfTypes(f.typ.Results))
		putValues(e, base, f.typ.Params, args)
		if !e.run(f, base) {
			return nil, e.failure()
		}
		return getValues(e, base, f.typ.Results), nil
	}
	e := s.getExec(ctx)
	s.active = e
	defer func() {
		s.active = nil
		if r := recover(); r != nil {
			// An engine bug must not take the embedding program down.
			res, err = nil, fmt.Errorf("interp: internal error: %v", r)
			return
		}
		s.putExec(e)
	}()
	e.ensure(0, slotsOfTypes(f.typ.Params)+slotsOfTypes(f.typ.Results))
	putValues(e, 0, f.typ.Params, args)
	if !e.run(f, 0) {
		return nil, e.failure()
	}
	return getValues(e, 0, f.typ.Results), nil
}

// execState is the part of an exec that a nested run changes.
type execState struct {
	code    *code
	inst    *Instance
	base    int
	mem     []byte
	ctx     context.Context
	done    <-chan struct{}
	hostTop int
}

func (e *exec) save() execState {
	return execState{e.code, e.inst, e.base, e.mem, e.ctx, e.done, e.hostTop}
}

func (e *exec) restore(s execState) {
	e.code, e.inst, e.base, e.mem, e.ctx, e.done, e.hostTop = s.code, s.inst, s.base, s.mem, s.ctx, s.done, s.hostTop
}

func wrapHostErr(err error) error {
	var t *Trap
	if errors.As(err, &t) {
		return t
	}
	return &Trap{Kind: TrapHost, Err: err}
}

// putValues stores vals into slots from base.
func putValues(e *exec, base int, types []wasm.ValType, vals []Value) {
	s := base
	for i, t := range types {
		v := vals[i]
		switch t.Kind {
		case wasm.KindV128:
			e.slots[s], e.slots[s+1] = v.Lo, v.Hi
			s += 2
			continue
		case wasm.KindRef:
			e.refs[s] = normRef(v.Ref)
		case wasm.KindI32, wasm.KindF32:
			e.slots[s] = uint64(uint32(v.Lo))
		default:
			e.slots[s] = v.Lo
		}
		s++
	}
}

// getValues reads values of the given types from slots from base.
func getValues(e *exec, base int, types []wasm.ValType) []Value {
	out := make([]Value, len(types))
	s := base
	for i, t := range types {
		out[i].Type = t
		switch t.Kind {
		case wasm.KindV128:
			out[i].Lo, out[i].Hi = e.slots[s], e.slots[s+1]
			s += 2
			continue
		case wasm.KindRef:
			out[i].Ref = e.refs[s]
		default:
			out[i].Lo = e.slots[s]
		}
		s++
	}
	return out
}

// callHost calls host function f with arguments at slot base.
func (e *exec) callHost(f *Func, base int) bool {
	saved := e.save()
	e.hostTop = e.base + e.code.frameSize
	if f.raw != nil {
		err := e.callRaw(f, base)
		e.restore(saved)
		if err != nil {
			e.hostFailed(err)
			return false
		}
		return true
	}
	args := getValues(e, base, f.typ.Params)
	res, err := callHostFunc(e.ctx, f.host, args)
	e.restore(saved)
	if err != nil {
		e.hostFailed(err)
		return false
	}
	if len(res) != len(f.typ.Results) {
		e.trapKind = TrapHost
		e.trapErr = fmt.Errorf("host function returned %d results, want %d", len(res), len(f.typ.Results))
		return false
	}
	e.ensure(base, slotsOfTypes(f.typ.Results))
	putValues(e, base, f.typ.Results, res)
	return true
}

// hostFailed records the error of a host function as the trap to raise.
func (e *exec) hostFailed(err error) {
	var t *Trap
	var x *Exception
	if errors.As(err, &x) && x.e != nil {
		// A wasm exception crossing the host function: rethrow it.
		e.exn = x.e
		return
	}
	if errors.As(err, &t) {
		e.trapKind, e.trapMsg, e.trapErr = t.Kind, t.msg, t.Err
	} else {
		e.trapKind, e.trapErr = TrapHost, err
	}
}

// callHostFunc calls a host function, turning a panic into an error.
func callHostFunc(ctx context.Context, fn HostFunc, args []Value) (res []Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("host function panicked: %v", r)
		}
	}()
	return fn(ctx, args)
}

// backtrace records the frames from entry up in e.bt.
func (e *exec) backtrace(entry int) {
	e.bt = e.bt[:0]
	for i := len(e.frames) - 1; i >= entry; i-- {
		f := e.frames[i]
		off := -1
		if pc := f.pc - 1; pc >= 0 && pc < len(f.code.offs) {
			off = int(f.code.offs[pc])
		}
		e.bt = append(e.bt, Frame{FuncIndex: f.code.idx, FuncName: f.code.name, Offset: off})
	}
}

// failure returns the uncaught exception or the trap that ended a run.
func (e *exec) failure() error {
	if x := e.exn; x != nil {
		e.exn = nil
		return newException(x)
	}
	return e.trap()
}

// trap returns the trap recorded in e.
func (e *exec) trap() *Trap {
	t := &Trap{Kind: e.trapKind, Err: e.trapErr, msg: e.trapMsg}
	e.trapKind, e.trapErr, e.trapMsg = 0, nil, ""
	t.Backtrace = append([]Frame(nil), e.bt...)
	return t
}
