package interp

import (
	"context"
	"os"
	"runtime"
	"syscall"
	"testing"
)

// Closure-threaded prototype (development only): the same translated
// bytecode run as a slice of closures instead of the switch, for the
// handful of opcodes that fib and loop of benchWAT use. Result recorded in
// docs/interpreter.md.

type cstate struct {
	r      *regs
	pc     int
	base   int
	code   []cfn
	cc     *code
	slots  []uint64
	frames []cframe
	fns    [][]cfn
	codes  []*code
	done   bool
}

type cframe struct {
	code []cfn
	cc   *code
	pc   int
	base int
}

type cfn func(s *cstate)

func closureCompile(c *code, mod *Module) []cfn {
	out := make([]cfn, len(c.ins))
	for i, in := range c.ins {
		a, b, cc, imm := in.a, in.b, in.c, in.imm
		switch in.op {
		case opI32GeSImmBr:
			k, t := int32(imm>>32), int(uint32(imm))
			out[i] = func(s *cstate) {
				if int32(s.r[b]) >= k {
					s.pc = t
				} else {
					s.pc++
				}
			}
		case opI32EqzBrIf:
			t := int(uint32(imm))
			out[i] = func(s *cstate) {
				if uint32(s.r[b]) == 0 {
					s.pc = t
				} else {
					s.pc++
				}
			}
		case opMov:
			out[i] = func(s *cstate) { s.r[a] = s.r[b]; s.pc++ }
		case opBr, opBrLoop:
			t := int(uint32(imm))
			out[i] = func(s *cstate) { s.pc = t }
		case opI32SubImm:
			out[i] = func(s *cstate) { s.r[a] = uint64(uint32(s.r[b]) - uint32(imm)); s.pc++ }
		case opI64MulImm:
			out[i] = func(s *cstate) { s.r[a] = s.r[b] * imm; s.pc++ }
		case 0x6A:
			out[i] = func(s *cstate) { s.r[a] = uint64(uint32(s.r[b]) + uint32(s.r[cc])); s.pc++ }
		case 0x73:
			out[i] = func(s *cstate) { s.r[a] = uint64(uint32(s.r[b]) ^ uint32(s.r[cc])); s.pc++ }
		case 0x7C:
			out[i] = func(s *cstate) { s.r[a] = s.r[b] + s.r[cc]; s.pc++ }
		case opCall:
			fi := int(imm) - mod.nImpFuncs
			out[i] = func(s *cstate) {
				s.frames = append(s.frames, cframe{s.code, s.cc, s.pc + 1, s.base})
				s.base += int(a)
				s.code, s.cc = s.fns[fi], s.codes[fi]
				s.r = (*regs)(s.slots[s.base : s.base+frameSlots])
				copy(s.r[s.cc.nParamSlots:s.cc.stackBase], s.cc.init)
				s.pc = 0
			}
		case opReturn:
			out[i] = func(s *cstate) {
				if len(s.frames) == 0 {
					s.done = true
					return
				}
				f := s.frames[len(s.frames)-1]
				s.frames = s.frames[:len(s.frames)-1]
				s.code, s.cc, s.pc, s.base = f.code, f.cc, f.pc, f.base
				s.r = (*regs)(s.slots[s.base : s.base+frameSlots])
			}
		default:
			return nil
		}
	}
	return out
}

func threadCPU() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(1, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func TestClosurePrototype(t *testing.T) {
	if os.Getenv("GOWASM_PROTO") == "" {
		t.Skip("set GOWASM_PROTO=1 to measure the closure-threaded prototype")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	m := compileWAT(t, benchWAT)
	s := &cstate{slots: make([]uint64, 1<<22)}
	if err := m.translateAll(); err != nil {
		t.Fatal(err)
	}
	for i := range m.codes {
		c := m.codes[i].Load()
		s.fns = append(s.fns, closureCompile(c, m))
		s.codes = append(s.codes, c)
	}
	in := benchInstance(t)
	for _, tc := range []struct {
		name string
		fi   int
		arg  uint64
	}{{"fib", 0, 27}, {"loop", 1, 5_000_000}} {
		var sw, cl float64 = 1e9, 1e9
		var r1, r2 uint64
		for k := 0; k < 5; k++ {
			t0 := threadCPU()
			res, err := in.Export(tc.name).(*Func).Call(context.Background(), i32(int32(tc.arg)))
			if err != nil {
				t.Fatal(err)
			}
			r1 = res[0].Lo
			sw = min(sw, threadCPU()-t0)
			t0 = threadCPU()
			s.base, s.pc, s.done, s.frames = 0, 0, false, s.frames[:0]
			s.code, s.cc = s.fns[tc.fi], s.codes[tc.fi]
			s.r = (*regs)(s.slots[0:frameSlots])
			s.r[0] = tc.arg
			copy(s.r[s.cc.nParamSlots:s.cc.stackBase], s.cc.init)
			for !s.done {
				s.code[s.pc](s)
			}
			r2 = s.r[0]
			cl = min(cl, threadCPU()-t0)
		}
		t.Logf("%s: switch %.1fms, closures %.1fms (results %d %d)", tc.name, sw*1e3, cl*1e3, r1, r2)
	}
}
