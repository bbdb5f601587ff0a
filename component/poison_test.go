package component

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

// numbersInstance instantiates numbers.component.wasm with its imported
// test interface implemented by echoing host functions; fail makes
// roundtrip-u8 return an error, which traps the guest calling it.
func numbersInstance(t *testing.T, fail *bool) *Instance {
	t.Helper()
	c := loadFixture(t, "numbers.component.wasm")
	imps, err := c.Imports()
	if err != nil {
		t.Fatal(err)
	}
	l := stdioLinker(t, "0.2.0")
	for _, im := range imps {
		if im.Name != "test:numbers/test" || im.Desc.Instance == nil {
			continue
		}
		for _, fn := range im.Desc.Instance.Names {
			d := im.Desc.Instance.Exports[fn]
			if d.Func == nil {
				continue
			}
			fn := fn
			l.DefineFunc("test:numbers/test#"+fn, *d.Func, func(_ context.Context, args []Val) ([]Val, error) {
				if fn == "roundtrip-u8" && *fail {
					return nil, errors.New("host failure")
				}
				return numbersEcho(fn, args), nil
			})
		}
	}
	inst, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func TestPoisonAfterTrap(t *testing.T) {
	ctx := context.Background()
	fail := false
	inst := numbersInstance(t, &fail)
	if _, err := inst.Func("test-imports").Call(ctx); err != nil {
		t.Fatalf("test-imports: %v", err)
	}
	if res, err := inst.Func("test:numbers/test#roundtrip-u8").Call(ctx, U8(7)); err != nil || len(res) != 1 || !res[0].Equal(U8(7)) {
		t.Fatalf("roundtrip-u8(7) = %v, %v before the trap", res, err)
	}

	// The host import fails: the guest traps, and the instance is poisoned.
	fail = true
	_, err := inst.Func("test-imports").Call(ctx)
	if err == nil || !strings.Contains(err.Error(), "host failure") {
		t.Fatalf("test-imports with a failing import: got %v", err)
	}
	fail = false
	for _, name := range []string{"test:numbers/test#roundtrip-u8", "test-imports", "test:numbers/test#roundtrip-u8"} {
		f := inst.Func(name)
		var args []Val
		if len(f.Type().Params) == 1 {
			args = []Val{U8(1)}
		}
		_, err := f.Call(ctx, args...)
		if err == nil || !strings.Contains(err.Error(), "cannot enter component instance") {
			t.Fatalf("%s after a trap: got %v, want a poisoned-instance error", name, err)
		}
	}

	// Another instance of the same component is unaffected.
	other := numbersInstance(t, &fail)
	if _, err := other.Func("test-imports").Call(ctx); err != nil {
		t.Fatalf("fresh instance: %v", err)
	}
}

// TestPoisonAfterReentry checks that a refused re-entrance, which traps
// the outer call, leaves the instance poisoned.
func TestPoisonAfterReentry(t *testing.T) {
	ctx := context.Background()
	c := loadFixture(t, "numbers.component.wasm")
	imps, err := c.Imports()
	if err != nil {
		t.Fatal(err)
	}
	var inst *Instance
	var inner error
	l := stdioLinker(t, "0.2.0")
	for _, im := range imps {
		if im.Name == "test:numbers/test" {
			for _, fn := range im.Desc.Instance.Names {
				d := im.Desc.Instance.Exports[fn]
				if d.Func == nil {
					continue
				}
				fn := fn
				l.DefineFunc("test:numbers/test#"+fn, *d.Func, func(ctx context.Context, args []Val) ([]Val, error) {
					if fn == "roundtrip-u8" {
						_, inner = inst.Func("test:numbers/test#roundtrip-u8").Call(ctx, args...)
						return nil, inner
					}
					return numbersEcho(fn, args), nil
				})
			}
		}
	}
	inst, err = l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Func("test-imports").Call(ctx); err == nil {
		t.Fatal("re-entering call succeeded")
	}
	if inner == nil || !strings.Contains(inner.Error(), "already running") {
		t.Fatalf("re-entrance: got %v", inner)
	}
	_, err = inst.Func("test:numbers/test#roundtrip-u8").Call(ctx, U8(1))
	if err == nil || !strings.Contains(err.Error(), "cannot enter component instance: it trapped") {
		t.Fatalf("after the trap: got %v", err)
	}
}

var numbersScalar = U32(0)

// numbersEcho implements test:numbers/test: roundtrip functions echo
// their argument; set-scalar and get-scalar keep a u32.
func numbersEcho(fn string, args []Val) []Val {
	switch fn {
	case "set-scalar":
		numbersScalar = args[0]
		return nil
	case "get-scalar":
		return []Val{numbersScalar}
	}
	return args
}

// TestPoisonAfterABIViolation uses testdata/components/echo.component.wasm,
// whose cabi_realloc grows memory by one page at most: lowering a 300 KB
// string then writes out of bounds, a canonical ABI violation, and the
// instance refuses every later call.
func TestPoisonAfterABIViolation(t *testing.T) {
	ctx := context.Background()
	src, err := os.ReadFile("../testdata/components/echo.component.wasm")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := NewLinker().Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatal(err)
	}
	echo := inst.Func("echo")
	if res, err := echo.Call(ctx, String("hi")); err != nil || res[0].AsString() != "hi" {
		t.Fatalf("echo(hi) = %v, %v", res, err)
	}
	_, err = echo.Call(ctx, String(strings.Repeat("x", 300<<10)))
	if err == nil {
		t.Fatal("echo of a string beyond memory succeeded")
	}
	if strings.Contains(err.Error(), "cannot enter") {
		t.Fatalf("the trapping call itself was refused: %v", err)
	}
	t.Logf("trap: %v", err)
	_, err = echo.Call(ctx, String("hi"))
	if err == nil || !strings.Contains(err.Error(), "cannot enter component instance") {
		t.Fatalf("echo after a trap: got %v, want a poisoned-instance error", err)
	}
}
