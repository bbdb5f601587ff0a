package component

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/gowasm/gowasm/interp"
)

// clockTick is the unit of the CPU times of /proc/self/stat (USER_HZ,
// 100 on every Linux architecture Go supports).
const clockTick = 10 * time.Millisecond

// processCPU returns the CPU time (user and system, of all threads, so
// the garbage collector's work is included) the process has used, read
// from /proc/self/stat, and false where that file does not exist.
func processCPU() (time.Duration, bool) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// The fields after the command name (in parentheses, which may
	// contain spaces): state is field 3, utime 14 and stime 15.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, false
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 13 {
		return 0, false
	}
	ut, err1 := strconv.ParseUint(string(f[11]), 10, 64)
	st, err2 := strconv.ParseUint(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(ut+st) * clockTick, true
}

// measureCPU resets the benchmark timer and returns a function, to call
// (deferred) when the loop ends, that reports the process CPU time per
// iteration as the metric cpu-ns/op. On a loaded machine wall-clock
// ns/op counts the time other processes take the CPU; CPU time does not
// (its resolution is a clock tick, 10 ms: run the benchmark long enough,
// the default -benchtime of 1 s is).
func measureCPU(b *testing.B) func() {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	start, ok := processCPU()
	return func() {
		end, ok2 := processCPU()
		if ok && ok2 && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// The adder components of testdata/components (built by its build.sh):
// the benchmarks below compare calling the component export add (lifted
// through the canonical ABI) with calling the same core function directly
// through interp, so that the component layer's overhead per call can be
// read off as the difference in ns/op.
const benchAdder = "../testdata/components/adder-wat.component.wasm"

// adderCoreModule returns the bytes of the component's only core module.
func adderCoreModule(b *testing.B, src []byte) []byte {
	b.Helper()
	c, err := Decode(src)
	if err != nil {
		b.Fatal(err)
	}
	var core []byte
	for _, d := range c.Defs {
		if m, ok := d.(*CoreModule); ok {
			if core != nil {
				b.Fatal("more than one core module")
			}
			core = m.Raw
		}
	}
	if core == nil {
		b.Fatal("no core module")
	}
	return core
}

func BenchmarkAdderCall(b *testing.B) {
	ctx := context.Background()
	src, err := os.ReadFile(benchAdder)
	if err != nil {
		b.Fatal(err)
	}

	b.Run("component", func(b *testing.B) {
		c, err := Compile(ctx, src)
		if err != nil {
			b.Fatal(err)
		}
		inst, err := NewLinker().Instantiate(ctx, interp.NewStore(interp.Config{}), c)
		if err != nil {
			b.Fatal(err)
		}
		f := inst.Func("add")
		if f == nil {
			b.Fatalf("no export add (exports: %v)", inst.Exports())
		}
		x, y := S32(40), S32(2)
		defer measureCPU(b)()
		for i := 0; i < b.N; i++ {
			res, err := f.Call(ctx, x, y)
			if err != nil {
				b.Fatal(err)
			}
			if len(res) != 1 || res[0].AsInt() != 42 {
				b.Fatalf("add(40, 2) = %v", res)
			}
		}
	})

	b.Run("core", func(b *testing.B) {
		m, err := interp.CompileBinary(ctx, adderCoreModule(b, src))
		if err != nil {
			b.Fatal(err)
		}
		inst, err := interp.NewStore(interp.Config{}).Instantiate(ctx, m, nil)
		if err != nil {
			b.Fatal(err)
		}
		f, ok := inst.Export("add").(*interp.Func)
		if !ok {
			b.Fatal("no core export add")
		}
		x, y := interp.I32(40), interp.I32(2)
		defer measureCPU(b)()
		for i := 0; i < b.N; i++ {
			res, err := f.Call(ctx, x, y)
			if err != nil {
				b.Fatal(err)
			}
			if len(res) != 1 || res[0].I32() != 42 {
				b.Fatalf("add(40, 2) = %v", res)
			}
		}
	})
}

// BenchmarkEchoString calls echo: func(s: string) -> string of
// testdata/components/echo.component.wasm with a short string: lowering
// (cabi_realloc and a copy into memory), the call, lifting the result
// and post-return.
func BenchmarkEchoString(b *testing.B) {
	ctx := context.Background()
	src, err := os.ReadFile("../testdata/components/echo.component.wasm")
	if err != nil {
		b.Fatal(err)
	}
	c, err := Compile(ctx, src)
	if err != nil {
		b.Fatal(err)
	}
	inst, err := NewLinker().Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err != nil {
		b.Fatal(err)
	}
	f := inst.Func("echo")
	if f == nil {
		b.Fatalf("no export echo (exports: %v)", inst.Exports())
	}
	const msg = "hello, world"
	arg := String(msg)
	defer measureCPU(b)()
	for i := 0; i < b.N; i++ {
		res, err := f.Call(ctx, arg)
		if err != nil {
			b.Fatal(err)
		}
		if len(res) != 1 || res[0].AsString() != msg {
			b.Fatalf("echo(%q) = %v", msg, res)
		}
	}
}

// BenchmarkHostCall calls triple of testdata/components/link/calculator.wasm,
// triple(x) = add(x, add(x, x)) with add imported: one call into the
// component (a lift) and two calls out of it (canon lower), to
//   - host: a host function defined with DefineFunc2 (typed: no []Val
//     handling in the Go function itself);
//   - hostval: a host function defined with DefineFunc on []Val;
//   - component: the add export of interfaced-adder.component.wasm,
//     instantiated in the same store (a lower into a lift).
//
// The cost of one guest-to-host call is about (host - AdderCall/component)/2.
func BenchmarkHostCall(b *testing.B) {
	ctx := context.Background()
	load := func(b *testing.B, path string) *Component {
		b.Helper()
		src, err := os.ReadFile("../testdata/components/" + path)
		if err != nil {
			b.Fatal(err)
		}
		c, err := Compile(ctx, src)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	const iface = "wasi-mindmap:interfaced-adder/add"
	run := func(b *testing.B, l *Linker, store *interp.Store) {
		inst, err := l.Instantiate(ctx, store, load(b, "link/calculator.wasm"))
		if err != nil {
			b.Fatal(err)
		}
		f := inst.Func("triple")
		if f == nil {
			b.Fatalf("no export triple (exports: %v)", inst.Exports())
		}
		x := S32(14)
		defer measureCPU(b)()
		for i := 0; i < b.N; i++ {
			res, err := f.Call(ctx, x)
			if err != nil {
				b.Fatal(err)
			}
			if len(res) != 1 || res[0].AsInt() != 42 {
				b.Fatalf("triple(14) = %v", res)
			}
		}
	}
	b.Run("host", func(b *testing.B) {
		l := NewLinker()
		if err := DefineFunc2(l, iface+"#add", func(_ context.Context, a, b int32) (int32, error) {
			return a + b, nil
		}); err != nil {
			b.Fatal(err)
		}
		run(b, l, interp.NewStore(interp.Config{}))
	})
	b.Run("hostval", func(b *testing.B) {
		l := NewLinker()
		ft := FuncType{Params: []Param{{Name: "a", Type: Prim(KindS32)}, {Name: "b", Type: Prim(KindS32)}},
			Results: []Param{{Type: Prim(KindS32)}}}
		if err := l.DefineFunc(iface+"#add", ft, func(_ context.Context, args []Val) ([]Val, error) {
			return []Val{S32(int32(args[0].AsInt() + args[1].AsInt()))}, nil
		}); err != nil {
			b.Fatal(err)
		}
		run(b, l, interp.NewStore(interp.Config{}))
	})
	b.Run("component", func(b *testing.B) {
		store := interp.NewStore(interp.Config{})
		adder, err := NewLinker().Instantiate(ctx, store, load(b, "interfaced-adder.component.wasm"))
		if err != nil {
			b.Fatal(err)
		}
		l := NewLinker()
		l.DefineInstance(iface, adder.Instance(iface))
		run(b, l, store)
	})
}
