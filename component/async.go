package component

import (
	"context"
	"fmt"

	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasm"
)

// task is the state of a call of an async-lifted function: the minimal
// part of the asynchronous ABI supported (a callback loop that exits or
// yields, task.return, context slots).
type task struct {
	ft       *FuncType
	results  []Val
	returned bool
	slots    [2]uint64
}

// The callback codes.
const (
	callbackExit  = 0
	callbackYield = 1
	callbackWait  = 2
)

// asyncLift makes the component function (canon lift core ft async
// (callback cb)?). Tasks run to completion: a task that waits on a
// waitable set fails, since nothing it could wait for is supported.
func (st *instState) asyncLift(core *interp.Func, ft *FuncType, lo *liveOpts) *Func {
	f := &Func{typ: ft}
	f.call = func(ctx context.Context, args []Val) ([]Val, error) {
		if st.entered {
			return nil, trapf("cannot enter component instance: it is already running")
		}
		st.entered = true
		defer func() { st.entered = false }()
		st.callSeq++
		cx := &callCx{ctx: ctx, opts: lo, inst: st, call: st.callSeq}
		flat, err := cx.lowerParams(ft, args)
		if err != nil {
			return nil, err
		}
		tk := &task{ft: ft}
		prev := st.task
		st.task = tk
		defer func() { st.task = prev }()
		res, err := core.Call(ctx, flat...)
		if err != nil {
			return nil, err
		}
		if lo.callback != nil {
			for {
				if len(res) != 1 {
					return nil, trapf("async lifted function returned %d values", len(res))
				}
				packed := uint32(res[0].Lo)
				code, set := packed&0xf, packed>>4
				switch code {
				case callbackExit:
				case callbackYield:
					if res, err = lo.callback.Call(ctx, i32v(0), i32v(0), i32v(0)); err != nil {
						return nil, err
					}
					continue
				case callbackWait:
					return nil, fmt.Errorf("async task waits on waitable set %d: waiting is not supported", set)
				default:
					return nil, trapf("invalid callback code %d", code)
				}
				break
			}
		}
		if !tk.returned {
			return nil, trapf("async task exited without calling task.return")
		}
		for _, h := range cx.borrows {
			if e, err := st.handle(h); err == nil && !e.own && e.scope == cx.call {
				return nil, trapf("borrow handle %d was not dropped before the task returned", h)
			}
		}
		return tk.results, nil
	}
	return f
}

// lowerParams lowers the arguments of a lifted call: flat, or through
// memory when they flatten to more than 16 values.
func (cx *callCx) lowerParams(ft *FuncType, args []Val) ([]interp.Value, error) {
	var ps []wasm.ValType
	for _, p := range ft.Params {
		ps = flatten(p.Type, ps)
	}
	if len(ps) > maxFlatParams {
		tt := paramsTuple(ft.Params)
		ptr, err := cx.realloc(0, 0, alignOf(tt), sizeOf(tt))
		if err != nil {
			return nil, err
		}
		if err := cx.store(tt, Tuple(args...), ptr, 0); err != nil {
			return nil, err
		}
		return []interp.Value{i32v(ptr)}, nil
	}
	var flat []interp.Value
	for i, p := range ft.Params {
		var err error
		if flat, err = cx.lowerFlat(p.Type, args[i], flat, 0); err != nil {
			return nil, err
		}
	}
	return flat, nil
}

// taskReturn makes the task.return built-in for results of types rs.
func (st *instState) taskReturn(rs []*Type, lo *liveOpts) *interp.Func {
	var ps []wasm.ValType
	for _, t := range rs {
		ps = flatten(t, ps)
	}
	spill := len(ps) > maxFlatParams
	if spill {
		ps = []wasm.ValType{wasm.I32}
	}
	sig := wasm.FuncType{Params: append([]wasm.ValType{}, ps...), Results: []wasm.ValType{}}
	return st.store.NewHostFunc(sig, func(ctx context.Context, args []interp.Value) ([]interp.Value, error) {
		tk := st.task
		if tk == nil {
			return nil, trapf("task.return called outside an async task")
		}
		if tk.returned {
			return nil, trapf("task.return called twice")
		}
		if len(rs) != len(tk.ft.Results) {
			return nil, trapf("task.return with %d results for a function with %d", len(rs), len(tk.ft.Results))
		}
		cx := &callCx{ctx: ctx, opts: lo, inst: st}
		var out []Val
		if spill {
			ts := make([]Param, len(rs))
			for i, t := range rs {
				ts[i] = Param{Type: t}
			}
			tv, err := cx.load(paramsTuple(ts), uint32(args[0].Lo), 0)
			if err != nil {
				return nil, err
			}
			out = tv.elems
		} else {
			r := &flatReader{vals: args}
			for _, t := range rs {
				v, err := cx.liftFlat(t, r, 0)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
		}
		tk.results, tk.returned = out, true
		return nil, nil
	})
}

// simpleBuiltin returns an implementation of the async built-ins that
// make sense without concurrency, or nil.
func (st *instState) simpleBuiltin(c *Canon, sig wasm.FuncType) *interp.Func {
	var fn interp.HostFunc
	switch c.Op {
	case 0x08, 0x24, 0x25: // backpressure.set/inc/dec: nothing to hold back
		fn = func(context.Context, []interp.Value) ([]interp.Value, error) { return nil, nil }
	case 0x0a: // context.get
		i := c.Index
		fn = func(context.Context, []interp.Value) ([]interp.Value, error) {
			if i >= 2 {
				return nil, trapf("context slot %d out of range", i)
			}
			return []interp.Value{{Type: c.CoreType, Lo: st.slots()[i]}}, nil
		}
	case 0x0b: // context.set
		i := c.Index
		fn = func(_ context.Context, a []interp.Value) ([]interp.Value, error) {
			if i >= 2 {
				return nil, trapf("context slot %d out of range", i)
			}
			st.slots()[i] = a[0].Lo
			return nil, nil
		}
	case 0x1f: // waitable-set.new
		fn = func(context.Context, []interp.Value) ([]interp.Value, error) {
			st.waitableSets++
			return []interp.Value{i32v(st.waitableSets)}, nil
		}
	case 0x22: // waitable-set.drop
		fn = func(context.Context, []interp.Value) ([]interp.Value, error) { return nil, nil }
	case 0x0c: // thread.yield: never cancelled
		fn = func(context.Context, []interp.Value) ([]interp.Value, error) { return []interp.Value{i32v(0)}, nil }
	default:
		return nil
	}
	return st.store.NewHostFunc(sig, fn)
}

// slots returns the context slots of the current task (or of the
// instance outside tasks).
func (st *instState) slots() *[2]uint64 {
	if st.task != nil {
		return &st.task.slots
	}
	return &st.ctxSlots
}
