package interp

import (
	"context"
	"fmt"

	"github.com/gowasm/gowasm/wasm"
)

// RawHostFunc is a host function on raw values, the fast way to implement
// imports in Go: no []Value is built per call. On entry stack holds the
// parameters, one slot each as in Value.Lo (a v128 takes two slots, Lo
// then Hi); the function writes its results to stack from index 0. stack
// is at least as long as the larger of the parameter and result slot
// counts. Reference-typed parameters and results are not supported by raw
// functions (use HostFunc).
//
// caller gives access to the calling instance, e.g. its memory; it is
// only valid during the call.
type RawHostFunc func(ctx context.Context, caller *Caller, stack []uint64) error

// Caller is the instance whose code called a host function.
type Caller struct {
	inst *Instance
}

// Instance returns the calling instance, or nil when the host function
// was called from Go rather than from wasm.
func (c *Caller) Instance() *Instance {
	if c == nil {
		return nil
	}
	return c.inst
}

// Memory returns the memory a host function works on, by the usual
// convention: the caller's export named "memory", or else its memory 0.
// It returns nil when the caller has none.
func (c *Caller) Memory() *Memory {
	if c == nil || c.inst == nil {
		return nil
	}
	if m, ok := c.inst.exports["memory"].(*Memory); ok {
		return m
	}
	if len(c.inst.mems) > 0 {
		return c.inst.mems[0]
	}
	return nil
}

// NewRawHostFunc returns a function of type typ implemented by fn.
func (s *Store) NewRawHostFunc(typ wasm.FuncType, fn RawHostFunc) *Func {
	t := typ
	for _, p := range append(append([]wasm.ValType(nil), t.Params...), t.Results...) {
		if p.IsRef() {
			// Reference slots live apart from the raw stack; such a
			// function cannot see them. Reject it when called.
			return &Func{typ: &t, store: s, rt: s.hostFuncType(&t), host: func(context.Context, []Value) ([]Value, error) {
				return nil, fmt.Errorf("interp: raw host function with reference type %s", t.String())
			}}
		}
	}
	return &Func{typ: &t, raw: fn, store: s, rt: s.hostFuncType(&t)}
}

// callRaw runs a raw host function with its parameters at slot base of e.
func (e *exec) callRaw(f *Func, base int) (err error) {
	np, nr := slotsOfTypes(f.typ.Params), slotsOfTypes(f.typ.Results)
	e.ensure(base, max(np, nr))
	n := max(np, nr)
	stack := e.slots[base : base+n]
	// A host function may call back into wasm, which may move e.slots
	// and reuse e.caller: restore both afterwards.
	prev := e.caller.inst
	e.caller.inst = e.inst
	defer func() {
		e.caller.inst = prev
		if r := recover(); r != nil {
			err = fmt.Errorf("host function panicked: %v", r)
		}
	}()
	err = f.raw(e.ctx, &e.caller, stack)
	if err == nil && n > 0 && &e.slots[base] != &stack[0] {
		copy(e.slots[base:base+n], stack)
	}
	return err
}

// callRawFromGo calls a raw host function with Values, from Func.Call.
func (f *Func) callRawFromGo(ctx context.Context, args []Value) (res []Value, err error) {
	np, nr := slotsOfTypes(f.typ.Params), slotsOfTypes(f.typ.Results)
	stack := make([]uint64, max(np, nr))
	s := 0
	for i, t := range f.typ.Params {
		stack[s] = args[i].Lo
		if t.Kind == wasm.KindI32 || t.Kind == wasm.KindF32 {
			stack[s] = uint64(uint32(args[i].Lo))
		}
		if t.Kind == wasm.KindV128 {
			s++
			stack[s] = args[i].Hi
		}
		s++
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("host function panicked: %v", r)
		}
	}()
	if err := f.raw(ctx, &Caller{}, stack); err != nil {
		return nil, err
	}
	res = make([]Value, len(f.typ.Results))
	s = 0
	for i, t := range f.typ.Results {
		res[i] = Value{Type: t, Lo: stack[s]}
		if t.Kind == wasm.KindV128 {
			s++
			res[i].Hi = stack[s]
		}
		s++
	}
	return res, nil
}
