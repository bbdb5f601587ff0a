package component

import (
	"context"
	"fmt"

	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasm"
)

// paramsTuple returns the tuple type of a function's parameters or
// results, for spilling to memory.
func paramsTuple(ps []Param) *Type {
	ts := make([]*Type, len(ps))
	for i, p := range ps {
		ts[i] = p.Type
	}
	return TupleOf(ts...)
}

// callPlan is what a lift or a lower computes once about its function
// type, so that a call does no more than walk the values.
type callPlan struct {
	sig            wasm.FuncType // the core function type
	spillP, spillR bool          // parameters, results passed through memory
	// paramsT and resultsT are the parameters and results as tuples,
	// set when they are passed through memory.
	paramsT, resultsT *Type
	// scalarP and scalarR are set when every parameter, or every
	// result, is a scalar (isScalar) passed flat: flat value i is then
	// parameter (result) i, converted without walking types.
	scalarP, scalarR bool
}

// newCallPlan returns the plan of a lift (lower=false) or lower of ft.
func newCallPlan(ft *FuncType, lower bool) *callPlan {
	p := &callPlan{}
	p.sig, p.spillP, p.spillR = coreSig(ft, lower)
	if p.spillP {
		p.paramsT = paramsTuple(ft.Params)
		p.paramsT.lay()
	}
	if p.spillR {
		p.resultsT = paramsTuple(ft.Results)
		p.resultsT.lay()
	}
	p.scalarP, p.scalarR = !p.spillP, !p.spillR
	for _, q := range ft.Params {
		q.Type.lay()
		p.scalarP = p.scalarP && isScalar(q.Type.Kind)
	}
	for _, q := range ft.Results {
		q.Type.lay()
		p.scalarR = p.scalarR && isScalar(q.Type.Kind)
	}
	return p
}

// flatBuf is the number of flat values a call keeps on the stack; longer
// flattenings (up to maxFlatParams) are allocated.
const flatBuf = 4

// liftedFunc is a core function lifted by a component instance (canon
// lift).
type liftedFunc struct {
	st   *instState
	core *interp.Func
	ft   *FuncType
	lo   *liveOpts
	p    *callPlan
}

// lift makes the component function (canon lift core ft opts).
//
// A call builds its context (callCx) and its flat arguments on the stack:
// for a function of scalar parameters and results the only allocations
// are interp's result slice and the returned []Val.
func (st *instState) lift(core *interp.Func, ft *FuncType, lo *liveOpts) *Func {
	l := &liftedFunc{st: st, core: core, ft: ft, lo: lo, p: newCallPlan(ft, false)}
	return &Func{typ: ft, call: l.call, lifted: l}
}

// guardedCall is a call of the lifted function through guard: a call
// into a poisoned instance fails, and a call that fails after entering
// the instance poisons it. (Func.Call calls it directly, so that its
// arguments need not escape.)
func (l *liftedFunc) guardedCall(ctx context.Context, args []Val) ([]Val, error) {
	st := l.st
	if st.poisoned {
		return nil, trapf("cannot enter component instance: it trapped in an earlier call")
	}
	if st.entered {
		return l.call(ctx, args) // refused: already running
	}
	ok := false
	defer func() {
		if !ok {
			st.poisoned = true // a panic on the way out
		}
	}()
	res, err := l.call(ctx, args)
	ok = err == nil
	return res, err
}

// call enters the instance (may_enter) and runs the call. (Its single
// deferred function and two returns let the compiler open-code the
// defer, which run's many returns would prevent.)
func (l *liftedFunc) call(ctx context.Context, args []Val) ([]Val, error) {
	st := l.st
	if st.entered {
		return nil, trapf("cannot enter component instance: it is already running")
	}
	st.entered = true
	defer func() { st.entered, st.noLeave = false, false }()
	return l.run(ctx, args)
}

// run lowers the arguments, calls the core function, lifts its results,
// checks the borrows it received were dropped and calls post-return.
func (l *liftedFunc) run(ctx context.Context, args []Val) ([]Val, error) {
	st, ft, p, lo := l.st, l.ft, l.p, l.lo
	st.callSeq++
	cx := callCx{ctx: ctx, opts: lo, inst: st, call: st.callSeq}
	var buf [flatBuf]interp.Value
	flat := buf[:0]
	if n := len(p.sig.Params); n > flatBuf {
		flat = make([]interp.Value, 0, n)
	}
	// Lowering the arguments may call realloc, during which the instance
	// may not call out (may_leave).
	st.noLeave = true
	switch {
	case p.scalarP:
		for i := range ft.Params {
			flat = append(flat, lowerScalar(ft.Params[i].Type.Kind, args[i].bits))
		}
	case p.spillP:
		tt := p.paramsT
		ptr, err := cx.realloc(0, 0, alignOf(tt), sizeOf(tt))
		if err != nil {
			return nil, err
		}
		// The members of the tuple one by one, as store would (at
		// depth 1), so that args itself does not escape.
		off := ptr
		for i := range ft.Params {
			t := ft.Params[i].Type
			off = alignTo(off, alignOf(t))
			if err := cx.store(t, args[i], off, 1); err != nil {
				return nil, err
			}
			off += sizeOf(t)
		}
		flat = append(flat, i32v(ptr))
	default:
		for i := range ft.Params {
			var err error
			if flat, err = cx.lowerFlat(ft.Params[i].Type, args[i], flat, 0); err != nil {
				return nil, err
			}
		}
	}
	st.noLeave = false
	res, err := l.core.Call(ctx, flat...)
	if err != nil {
		return nil, err
	}
	var out []Val
	switch {
	case len(ft.Results) == 0:
	case p.scalarR:
		if len(res) < len(ft.Results) {
			return nil, trapf("too few flat values")
		}
		out = make([]Val, len(ft.Results))
		for i := range ft.Results {
			k := ft.Results[i].Type.Kind
			bits, err := liftScalarBits(k, res[i].Lo)
			if err != nil {
				return nil, err
			}
			out[i].Kind, out[i].bits = k, bits
		}
	case p.spillR:
		if len(res) != 1 {
			return nil, trapf("lifted function returned %d values", len(res))
		}
		tv, err := cx.load(p.resultsT, uint32(res[0].Lo), 0)
		if err != nil {
			return nil, err
		}
		out = tv.elems
	default:
		out = make([]Val, len(ft.Results))
		r := flatReader{vals: res}
		for i := range ft.Results {
			if err := cx.liftFlatTo(&out[i], ft.Results[i].Type, &r); err != nil {
				return nil, err
			}
		}
	}
	// The callee must have dropped the borrows it received.
	for _, h := range cx.borrows {
		if e, err := st.handle(h); err == nil && !e.own && e.scope == cx.call {
			return nil, trapf("borrow handle %d was not dropped before the call returned", h)
		}
	}
	if lo.postReturn != nil {
		st.noLeave = true
		if _, err := lo.postReturn.Call(ctx, res...); err != nil {
			return nil, fmt.Errorf("post-return: %w", err)
		}
	}
	return out, nil
}

// loweredFunc is a component function lowered into a component instance
// (canon lower): a raw host function of interp, so that the flat
// arguments are read from, and the flat result written to, the engine's
// value stack, with no []interp.Value per call.
type loweredFunc struct {
	st    *instState
	f     *Func
	lo    *liveOpts
	p     *callPlan
	nargs int // flat parameters, without the return pointer
}

// lower makes the core function (canon lower f opts). A call allocates
// the []Val of the arguments handed to f (which f may keep), and whatever
// f and the values themselves (strings, lists...) need.
func (st *instState) lower(f *Func, lo *liveOpts) *interp.Func {
	w := &loweredFunc{st: st, f: f, lo: lo, p: newCallPlan(f.typ, true)}
	w.nargs = len(w.p.sig.Params)
	if w.p.spillR {
		w.nargs-- // the last parameter is the return pointer
	}
	return st.store.NewRawHostFunc(w.p.sig, w.call)
}

// call lifts the arguments from stack, calls f and lowers its results.
func (w *loweredFunc) call(ctx context.Context, _ *interp.Caller, stack []uint64) error {
	st, ft, p := w.st, w.f.typ, w.p
	if st.noLeave {
		return trapf("cannot leave component instance: %s called during realloc or post-return", w.f.name)
	}
	cx := callCx{ctx: ctx, opts: w.lo, inst: st}
	var res []Val
	var err error
	if l := w.f.lifted; l != nil && !p.spillP && len(ft.Params) <= flatBuf {
		// A lifted function does not keep its arguments: they live on
		// the stack.
		var vbuf [flatBuf]Val
		args := vbuf[:len(ft.Params)]
		if err := w.liftArgs(&cx, stack, args); err != nil {
			return err
		}
		var retPtr uint32
		if p.spillR {
			retPtr = uint32(stack[w.nargs])
		}
		res, err = l.guardedCall(ctx, args)
		return w.finish(&cx, res, err, stack, retPtr)
	}
	var vals []Val
	switch {
	case len(ft.Params) == 0:
	case p.spillP:
		tv, err := cx.load(p.paramsT, uint32(stack[0]), 0)
		if err != nil {
			return err
		}
		vals = tv.elems
	default:
		vals = make([]Val, len(ft.Params))
		if err := w.liftArgs(&cx, stack, vals); err != nil {
			return err
		}
	}
	var retPtr uint32
	if p.spillR {
		retPtr = uint32(stack[w.nargs])
	}
	res, err = w.f.call(ctx, vals)
	return w.finish(&cx, res, err, stack, retPtr)
}

// finish returns the borrows lent to the call and lowers its results.
func (w *loweredFunc) finish(cx *callCx, res []Val, err error, stack []uint64, retPtr uint32) error {
	st := w.st
	for _, h := range cx.lent {
		if e, herr := st.handle(h); herr == nil && e.lends > 0 {
			e.lends--
		}
	}
	if err != nil {
		return err
	}
	// Lowering the results may call realloc, during which the instance
	// may not call out.
	st.noLeave = true
	defer func() { st.noLeave = false }()
	return w.lowerResults(cx, res, stack, retPtr)
}

// liftArgs lifts the flat arguments (not spilled) from stack into dst,
// len(f's parameters) zero Vals.
func (w *loweredFunc) liftArgs(cx *callCx, stack []uint64, dst []Val) error {
	ft, p := w.f.typ, w.p
	if p.scalarP {
		for i := range ft.Params {
			k := ft.Params[i].Type.Kind
			bits, err := liftScalarBits(k, stack[i])
			if err != nil {
				return err
			}
			dst[i].Kind, dst[i].bits = k, bits
		}
		return nil
	}
	var buf [flatBuf]interp.Value
	flat := buf[:0]
	if w.nargs > flatBuf {
		flat = make([]interp.Value, 0, w.nargs)
	}
	for i, t := range p.sig.Params[:w.nargs] {
		flat = append(flat, interp.Value{Type: t, Lo: stack[i]})
	}
	r := flatReader{vals: flat}
	for i := range ft.Params {
		if err := cx.liftFlatTo(&dst[i], ft.Params[i].Type, &r); err != nil {
			return err
		}
	}
	return nil
}

// lowerResults checks f's results and lowers them: to stack from index 0
// (at most maxFlatResults values, and stack is as long as the result
// slots), or through memory at retPtr.
func (w *loweredFunc) lowerResults(cx *callCx, res []Val, stack []uint64, retPtr uint32) error {
	ft := w.f.typ
	if len(res) != len(ft.Results) {
		return fmt.Errorf("%s returned %d results, want %d", w.f.name, len(res), len(ft.Results))
	}
	for i := range ft.Results {
		if err := checkVal(ft.Results[i].Type, res[i], 0); err != nil {
			return fmt.Errorf("%s: result %d: %w", w.f.name, i, err)
		}
	}
	switch {
	case w.p.spillR:
		return cx.store(w.p.resultsT, Tuple(res...), retPtr, 0)
	case w.p.scalarR:
		for i := range ft.Results {
			stack[i] = lowerScalar(ft.Results[i].Type.Kind, res[i].bits).Lo
		}
		return nil
	}
	var buf [maxFlatResults]interp.Value
	out := buf[:0]
	for i := range ft.Results {
		var err error
		if out, err = cx.lowerFlat(ft.Results[i].Type, res[i], out, 0); err != nil {
			return err
		}
	}
	for i, v := range out {
		stack[i] = v.Lo
	}
	return nil
}

// ---- handles ----

func (st *instState) addHandle(e handleEntry) uint32 {
	e.used = true
	if n := len(st.free); n > 0 {
		h := st.free[n-1]
		st.free = st.free[:n-1]
		st.handles[h] = e
		return h
	}
	if len(st.handles) == 0 {
		st.handles = append(st.handles, handleEntry{}) // handle 0 is invalid
	}
	st.handles = append(st.handles, e)
	return uint32(len(st.handles) - 1)
}

func (st *instState) handle(h uint32) (*handleEntry, error) {
	if h == 0 || int64(h) >= int64(len(st.handles)) || !st.handles[h].used {
		return nil, trapf("unknown handle index %d", h)
	}
	return &st.handles[h], nil
}

func (st *instState) removeHandle(h uint32) {
	if e, err := st.handle(h); err == nil {
		*e = handleEntry{}
		st.free = append(st.free, h)
	}
}

// liftHandle lifts handle h of the instance's table.
func (cx *callCx) liftHandle(t *Type, h uint32) (Val, error) {
	e, err := cx.inst.handle(h)
	if err != nil {
		return Val{}, err
	}
	if t.Resource != nil && e.res != nil && e.res != t.Resource {
		return Val{}, trapf("handle %d is a %s handle, want %s", h, resName(e.res), resName(t.Resource))
	}
	if t.Kind == KindOwn {
		if !e.own {
			return Val{}, trapf("handle %d is a borrow, not an own", h)
		}
		if e.lends > 0 {
			return Val{}, trapf("cannot move handle %d while it is borrowed", h)
		}
		v := Own(e.res, e.rep)
		v.tok = &handleToken{}
		cx.inst.removeHandle(h)
		return v, nil
	}
	if e.own {
		e.lends++
		cx.lent = append(cx.lent, h)
	}
	v := Borrow(e.res, e.rep)
	v.tok = &handleToken{}
	return v, nil
}

// lowerHandle lowers a handle value into the instance's table.
func (cx *callCx) lowerHandle(t *Type, v Val) (uint32, error) {
	rep, res := v.Handle()
	if res == nil {
		res = t.Resource
	}
	if v.tok != nil {
		if v.tok.consumed {
			return 0, trapf("the owned handle of %s was already moved or dropped", resName(res))
		}
		if t.Kind == KindOwn {
			v.tok.consumed = true // moved into the instance
		}
	}
	if t.Kind == KindBorrow {
		if res != nil && res.owner == cx.inst {
			return rep, nil
		}
		h := cx.inst.addHandle(handleEntry{rep: rep, res: res, scope: cx.call})
		cx.borrows = append(cx.borrows, h)
		return h, nil
	}
	return cx.inst.addHandle(handleEntry{rep: rep, res: res, own: true}), nil
}

// resourceBuiltin makes resource.new, resource.drop or resource.rep.
func (st *instState) resourceBuiltin(op CanonOp, rt *ResourceType) *interp.Func {
	i32 := []wasm.ValType{wasm.I32}
	none := []wasm.ValType{}
	switch op {
	case CanonResourceNew:
		return st.store.NewHostFunc(wasm.FuncType{Params: i32, Results: i32}, func(_ context.Context, a []interp.Value) ([]interp.Value, error) {
			h := st.addHandle(handleEntry{rep: uint32(a[0].Lo), res: rt, own: true})
			return []interp.Value{i32v(h)}, nil
		})
	case CanonResourceRep:
		return st.store.NewHostFunc(wasm.FuncType{Params: i32, Results: i32}, func(_ context.Context, a []interp.Value) ([]interp.Value, error) {
			h := uint32(a[0].Lo)
			e, err := st.handle(h)
			if err != nil {
				return nil, err
			}
			if e.res != rt {
				return nil, trapf("resource.rep: handle %d is a %s handle, want %s", h, resName(e.res), resName(rt))
			}
			return []interp.Value{i32v(e.rep)}, nil
		})
	}
	return st.store.NewHostFunc(wasm.FuncType{Params: i32, Results: none}, func(ctx context.Context, a []interp.Value) ([]interp.Value, error) {
		h := uint32(a[0].Lo)
		e, err := st.handle(h)
		if err != nil {
			return nil, err
		}
		if e.res != nil && e.res != rt {
			return nil, trapf("resource.drop: handle %d is a %s handle, want %s", h, resName(e.res), resName(rt))
		}
		if e.own && e.lends > 0 {
			return nil, trapf("cannot drop handle %d while it is borrowed", h)
		}
		own, rep, res := e.own, e.rep, e.res
		st.removeHandle(h)
		if own && res != nil && res.dtor != nil {
			if _, err := res.dtor.Call(ctx, i32v(rep)); err != nil {
				return nil, err
			}
		}
		if own && res != nil && res.hostDtor != nil {
			if err := res.hostDtor(ctx, rep); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
}

// DropResource drops an owned handle the host holds (Kind KindOwn): it
// runs the resource's destructor, the defining component's for resources
// components define, the host's for host resources.
func DropResource(ctx context.Context, v Val) (err error) {
	if v.Kind != KindOwn {
		return fmt.Errorf("component: DropResource: not an owned handle (%v)", v.Kind)
	}
	rep, res := v.Handle()
	if v.tok != nil {
		if v.tok.consumed {
			return fmt.Errorf("component: DropResource: the owned handle of %s was already moved or dropped", resName(res))
		}
		v.tok.consumed = true
	} else if res != nil && res.owner != nil {
		return fmt.Errorf("component: DropResource: a handle of %s must come from a component, not be made by the host", resName(res))
	}
	if res == nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("component: DropResource: internal error: %v", r)
		}
	}()
	if res.dtor != nil {
		if res.owner != nil && res.owner.entered {
			return fmt.Errorf("component: DropResource: cannot enter component instance: it is already running")
		}
		if res.owner != nil && res.owner.poisoned {
			return fmt.Errorf("component: DropResource: cannot enter component instance: it trapped in an earlier call")
		}
		if _, err := res.dtor.Call(ctx, i32v(rep)); err != nil {
			return fmt.Errorf("component: drop %s: %w", res.Name, err)
		}
	}
	if res.hostDtor != nil {
		if err := res.hostDtor(ctx, rep); err != nil {
			return fmt.Errorf("component: drop %s: %w", res.Name, err)
		}
	}
	return nil
}
