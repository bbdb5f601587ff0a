package interp

import (
	"fmt"
	"sync"

	"github.com/gowasm/gowasm/wasm"
)

// Functions are translated lazily: Compile validates the whole module
// (so invalid modules fail there) but translates a function only when it
// is first called, since large modules (a Go program is thousands of
// functions) run only a fraction of their code. A function whose
// translation could fail (a frame that might exceed the 65535 addressable
// slots) is translated eagerly, so that the error still comes from
// Compile.
//
// The translated code is published in Module.codes with an atomic
// pointer, so that stores in several goroutines can share a Module; the
// translation itself is serialised by a mutex (it reuses one
// translator's buffers). Each Func caches its code in Func.code, which
// belongs to its store and needs no synchronisation.

// lazyTranslator translates the functions of a Module on demand.
type lazyTranslator struct {
	mu sync.Mutex
	t  *translator
}

// code returns the translated code of defined function i, translating it
// if needed.
func (m *Module) code(i uint32) (*code, error) {
	if c := m.codes[i].Load(); c != nil {
		return c, nil
	}
	m.lazy.mu.Lock()
	defer m.lazy.mu.Unlock()
	if c := m.codes[i].Load(); c != nil {
		return c, nil
	}
	if m.lazy.t == nil {
		m.lazy.t = &translator{mod: m, m: m.m}
	}
	idx := uint32(m.nImpFuncs) + i
	c, err := m.lazy.t.translate(idx, &m.m.Code[i])
	if err != nil {
		return nil, fmt.Errorf("interp: translating func[%d]: %w", idx, err)
	}
	m.codes[i].Store(c)
	return c, nil
}

// translateAll translates every function not translated yet.
func (m *Module) translateAll() error {
	for i := range m.codes {
		if _, err := m.code(uint32(i)); err != nil {
			return err
		}
	}
	return nil
}

// mayOverflowFrame reports whether translating a function with
// localSlots slots of parameters and locals and a body of bodyLen bytes
// might need more slots than a frame can address. Every instruction
// (at least one byte) pushes at most maxPush slots, and a frame holds
// the locals, up to maxConstSlots constants, the operand stack and 2
// spare slots.
func mayOverflowFrame(localSlots uint64, bodyLen int, maxPush uint64) bool {
	return localSlots+maxConstSlots+2+uint64(bodyLen)*maxPush >= frameSlots
}

// resolve translates wasm function f, called for the first time, and
// caches its code in f. On failure, it records a trap and returns false.
func (e *exec) resolve(f *Func) bool {
	c, err := f.inst.mod.code(f.idx)
	if err != nil {
		e.trapKind, e.trapMsg, e.trapErr = TrapHost, "cannot run function", err
		return false
	}
	f.code = c
	return true
}

// mayBeUnsupported reports whether body may hold an instruction that the
// validator accepts under features beyond Wasm 2.0 but the translator
// may reject: SIMD (relaxed SIMD), or 0xFC instructions past Wasm 2.0's.
// (GC instructions, prefix 0xFB, ref.eq and the legacy exception
// instructions are all translated.) It errs on the side of true, also
// when body does not decode.
func mayBeUnsupported(m *wasm.Module, body []byte) (maybe bool) {
	defer func() {
		if recover() != nil {
			maybe = true
		}
	}()
	r := &reader{b: body}
	var d dins
	for r.p < len(r.b) {
		r.next(m, &d)
		switch op := d.op; op.Prefix() {
		case 0xFB:
		case 0xFD:
			return true
		case 0xFC:
			if op.Sub() > 17 {
				return true
			}
		case 0:
		default:
			return true
		}
	}
	return false
}
