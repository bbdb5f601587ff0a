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

// lift makes the component function (canon lift core ft opts).
func (st *instState) lift(core *interp.Func, ft *FuncType, lo *liveOpts) *Func {
	_, spillP, spillR := coreSig(ft, false)
	f := &Func{typ: ft}
	f.call = func(ctx context.Context, args []Val) ([]Val, error) {
		if st.entered {
			return nil, trapf("cannot enter component instance: it is already running")
		}
		st.entered = true
		defer func() { st.entered = false }()
		st.callSeq++
		cx := &callCx{ctx: ctx, opts: lo, inst: st, call: st.callSeq}
		var flat []interp.Value
		// Lowering the arguments may call realloc, during which the
		// instance may not call out (may_leave).
		st.noLeave = true
		defer func() { st.noLeave = false }()
		if spillP {
			tt := paramsTuple(ft.Params)
			ptr, err := cx.realloc(0, 0, alignOf(tt), sizeOf(tt))
			if err != nil {
				return nil, err
			}
			if err := cx.store(tt, Tuple(args...), ptr, 0); err != nil {
				return nil, err
			}
			flat = []interp.Value{i32v(ptr)}
		} else {
			for i, p := range ft.Params {
				var err error
				if flat, err = cx.lowerFlat(p.Type, args[i], flat, 0); err != nil {
					return nil, err
				}
			}
		}
		st.noLeave = false
		res, err := core.Call(ctx, flat...)
		if err != nil {
			return nil, err
		}
		var out []Val
		if spillR {
			if len(res) != 1 {
				return nil, trapf("lifted function returned %d values", len(res))
			}
			tv, err := cx.load(paramsTuple(ft.Results), uint32(res[0].Lo), 0)
			if err != nil {
				return nil, err
			}
			out = tv.elems
		} else {
			r := &flatReader{vals: res}
			for _, p := range ft.Results {
				v, err := cx.liftFlat(p.Type, r, 0)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
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
	return f
}

// lower makes the core function (canon lower f opts).
func (st *instState) lower(f *Func, lo *liveOpts) *interp.Func {
	ft := f.typ
	sig, spillP, spillR := coreSig(ft, true)
	return st.store.NewHostFunc(sig, func(ctx context.Context, args []interp.Value) ([]interp.Value, error) {
		if st.noLeave {
			return nil, trapf("cannot leave component instance: %s called during realloc or post-return", f.name)
		}
		cx := &callCx{ctx: ctx, opts: lo, inst: st}
		var vals []Val
		nargs := len(args)
		if spillR {
			nargs--
		}
		if spillP {
			tv, err := cx.load(paramsTuple(ft.Params), uint32(args[0].Lo), 0)
			if err != nil {
				return nil, err
			}
			vals = tv.elems
		} else {
			r := &flatReader{vals: args[:nargs]}
			for _, p := range ft.Params {
				v, err := cx.liftFlat(p.Type, r, 0)
				if err != nil {
					return nil, err
				}
				vals = append(vals, v)
			}
		}
		res, err := f.call(ctx, vals)
		for _, h := range cx.lent {
			if e, herr := st.handle(h); herr == nil && e.lends > 0 {
				e.lends--
			}
		}
		if err != nil {
			return nil, err
		}
		// Lowering the results may call realloc, during which the
		// instance may not call out.
		st.noLeave = true
		defer func() { st.noLeave = false }()
		if len(res) != len(ft.Results) {
			return nil, fmt.Errorf("%s returned %d results, want %d", f.name, len(res), len(ft.Results))
		}
		for i, p := range ft.Results {
			if err := checkVal(p.Type, res[i], 0); err != nil {
				return nil, fmt.Errorf("%s: result %d: %w", f.name, i, err)
			}
		}
		if spillR {
			tt := paramsTuple(ft.Results)
			if err := cx.store(tt, Tuple(res...), uint32(args[nargs].Lo), 0); err != nil {
				return nil, err
			}
			return nil, nil
		}
		var out []interp.Value
		for i, p := range ft.Results {
			if out, err = cx.lowerFlat(p.Type, res[i], out, 0); err != nil {
				return nil, err
			}
		}
		return out, nil
	})
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
