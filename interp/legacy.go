package interp

import (
	"errors"

	"github.com/gowasm/gowasm/wasm"
)

// Legacy exception handling (try, catch, catch_all, delegate, rethrow) is
// translated onto the handler tables of try_table: see docs/interpreter.md,
// "Legacy exceptions".

// legacy translates a legacy exception instruction, or the end of a
// legacy try.
func (t *translator) legacy(d *dins) {
	switch d.op {
	case 0x06: // try (legacy exception handling)
		t.materializeAll()
		h := len(t.stack) - len(d.params)
		base := t.top
		if len(d.params) > 0 {
			base = t.stack[h].slot
		}
		hi := len(t.c.handlers)
		t.c.handlers = append(t.c.handlers, handler{start: int32(t.bind())})
		t.pushCtl(ctl{op: 0x06, height: h, base: base, params: d.params, results: d.results, ifPatch: -1, handler: hi})
	case 0x07, 0x19: // catch, catch_all
		c := &t.ctls[len(t.ctls)-1]
		t.endTryClause(c)
		if !c.dead {
			t.jump(c, opBr)
		}
		c.inCatch = true
		c.dead = false
		t.stack = t.stack[:c.height]
		t.resetTop()
		x := t.push(wasm.ExnRef)
		if x != c.base {
			panic(errors.New("internal error: legacy catch slot"))
		}
		ci := catchInfo{kind: wasm.CatchAll, dst: x, legacy: true}
		if d.op == 0x07 {
			ci.kind, ci.tag = wasm.Catch, d.x
			for _, p := range t.tagType(d.x).Params {
				t.push(p)
			}
		}
		ci.target = int32(t.bind())
		t.c.handlers[c.handler].catches = append(t.c.handlers[c.handler].catches, ci)
	case 0x18: // delegate
		c := &t.ctls[len(t.ctls)-1]
		t.endTryClause(c)
		hd := &t.c.handlers[c.handler]
		hd.delegate, hd.next = true, -1
		// The exception is thrown again just inside label d.x (the try's
		// own label is not counted): the first handler whose body encloses
		// that place catches it.
		for i := len(t.ctls) - 2 - int(d.x); i >= 0; i-- {
			if l := &t.ctls[i]; l.op == 0x1F || l.op == 0x06 && !l.inCatch {
				hd.next = int32(l.handler)
				break
			}
		}
		t.endBlock(c)
	case 0x0B: // end of a try
		c := &t.ctls[len(t.ctls)-1]
		t.endTryClause(c)
		t.endBlock(c)
	case 0x09: // rethrow
		c := &t.ctls[len(t.ctls)-1-int(d.x)]
		t.emit(instr{op: opThrowRef, b: u16(c.base)})
		t.setDead()
	}
}

// endTryClause ends the body or the current catch clause of the legacy
// try c at a catch, catch_all, delegate or end: the body's handler range
// ends, and the results of a reachable end are put in the label's slots
// (those of a catch clause follow the caught exception).
func (t *translator) endTryClause(c *ctl) {
	if c.inCatch {
		if !c.dead {
			t.copyTo(c.base, c.results, false)
		}
		return
	}
	if !c.dead {
		t.materializeTop(len(c.results))
	}
	t.c.handlers[c.handler].end = int32(t.pc())
}

// catchPush returns the most values a legacy catch of m pushes: the
// exception and the parameters of its tag.
func catchPush(m *wasm.Module) uint64 {
	n := uint64(0)
	tag := func(ti uint32) {
		if ft := m.FuncTypeAt(ti); ft != nil {
			n = max(n, uint64(len(ft.Params))+1)
		}
	}
	for _, im := range m.Imports {
		if im.Kind == wasm.ExternTag {
			tag(im.Func)
		}
	}
	for _, tg := range m.Tags {
		tag(tg.Type)
	}
	return n
}
