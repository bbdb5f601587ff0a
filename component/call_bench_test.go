package component

import (
	"context"
	"os"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

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
		b.ReportAllocs()
		b.ResetTimer()
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
		b.ReportAllocs()
		b.ResetTimer()
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
	b.ReportAllocs()
	b.ResetTimer()
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
