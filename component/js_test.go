package component

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gowasm/gowasm/interp"
)

// jsGreeter is the JavaScript component built by
// testdata/components/build-js.sh with componentize-js: the StarlingMonkey
// engine compiled to wasm, importing the wasi:cli world and using
// resources, exporting greet: func(name: string) -> string.
const jsGreeter = "../testdata/components/js/greeter-js.component.wasm"

// TestJSComponent decodes, validates and lists the imports of the
// componentize-js component. Instantiating it with an empty linker must
// fail with an error that says which wasi: import is missing; with only
// the clock and random functions it calls at start-up defined here (and
// every other import trapping), greet("gowasm") works. The run with the
// whole WASIp2 host (package wasi/preview2, which imports this package)
// is wasi/preview2's TestGreeterJS and cmd/gowasm's component tests.
func TestJSComponent(t *testing.T) {
	b, err := os.ReadFile(jsGreeter)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s not built (run testdata/components/build-js.sh)", jsGreeter)
	}
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	start := time.Now()
	c, err := Compile(ctx, b)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	t.Logf("compiled %d bytes in %v", len(b), time.Since(start))

	imps, err := c.Imports()
	if err != nil {
		t.Fatalf("Imports: %v", err)
	}
	var wasi []string
	for _, imp := range imps {
		if imp.Desc.Kind == ExternInstance {
			t.Logf("import %s: instance { %s }", imp.Name, strings.Join(imp.Desc.Instance.Names, ", "))
		} else {
			t.Logf("import %s: %v", imp.Name, imp.Desc)
		}
		if strings.HasPrefix(imp.Name, "wasi:") {
			wasi = append(wasi, imp.Name)
		}
	}
	t.Logf("%d imports, all missing from gowasm until WASIp2 exists: %s", len(imps), strings.Join(wasi, " "))
	if len(wasi) == 0 {
		t.Fatalf("no wasi: imports among %d imports", len(imps))
	}

	// Empty linker: the error names a missing wasi: import.
	_, err = NewLinker().Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err == nil {
		t.Fatal("Instantiate with an empty linker succeeded, want a missing-import error")
	}
	t.Logf("empty linker: %v", err)
	named := false
	for _, w := range wasi {
		if strings.Contains(err.Error(), w) {
			named = true
			break
		}
	}
	if !named || !strings.Contains(err.Error(), "missing import") {
		t.Errorf("error %q names no missing wasi: import (imports: %v)", err, wasi)
	}

	// Unknown imports as traps: log how far the component gets.
	l := NewLinker()
	l.DefineUnknownImportsAsTraps()
	inst, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Logf("with unknown imports as traps, Instantiate fails: %v", err)
		return
	}
	t.Logf("with unknown imports as traps, Instantiate succeeds; exports: %v", inst.Exports())
	f := inst.Func("greet")
	if f == nil {
		t.Fatalf("no export greet; exports: %v", inst.Exports())
	}
	greet(t, ctx, f, "unknown imports as traps")

	// The same with the clocks and random defined by the host (typed from
	// Imports): the next trap, if any, says what greet needs after them.
	l = NewLinker()
	l.DefineUnknownImportsAsTraps()
	var tick uint64
	host := map[string]func(args []Val) []Val{
		"wasi:clocks/monotonic-clock#now": func([]Val) []Val { tick += 1000; return []Val{U64(tick)} },
		"wasi:clocks/wall-clock#now": func([]Val) []Val {
			return []Val{Record(NamedVal{"seconds", U64(1_700_000_000)}, NamedVal{"nanoseconds", U32(0)})}
		},
		"wasi:random/random#get-random-u64": func([]Val) []Val { return []Val{U64(4)} },
		"wasi:random/random#get-random-bytes": func(args []Val) []Val {
			b := make([]Val, args[0].AsUint())
			for i := range b {
				b[i] = U8(uint8(i))
			}
			return []Val{List(b...)}
		},
	}
	var defined []string
	for _, imp := range imps {
		if imp.Desc.Kind != ExternInstance {
			continue
		}
		iface, _, _ := strings.Cut(imp.Name, "@")
		for _, n := range imp.Desc.Instance.Names {
			fn, ok := host[iface+"#"+n]
			if !ok {
				continue
			}
			name := imp.Name + "#" + n
			if err := l.DefineFunc(name, *imp.Desc.Instance.Exports[n].Func, func(_ context.Context, args []Val) ([]Val, error) {
				return fn(args), nil
			}); err != nil {
				t.Fatalf("DefineFunc %s: %v", name, err)
			}
			defined = append(defined, name)
		}
	}
	t.Logf("host defines %s", strings.Join(defined, " "))
	inst, err = l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatalf("with clocks and random, Instantiate: %v", err)
	}
	greet(t, ctx, inst.Func("greet"), "clocks and random defined")
}

// greet calls f("gowasm") and logs whether it traps; if it returns, the
// result must be "Hello, gowasm!".
func greet(t *testing.T, ctx context.Context, f *Func, setup string) {
	t.Helper()
	res, err := f.Call(ctx, String("gowasm"))
	if err != nil {
		t.Logf("%s: greet(\"gowasm\") traps: %v", setup, err)
		return
	}
	t.Logf("%s: greet(\"gowasm\") = %v", setup, res)
	if len(res) != 1 || res[0].Kind != KindString || res[0].AsString() != "Hello, gowasm!" {
		t.Errorf("%s: greet(\"gowasm\") = %v, want \"Hello, gowasm!\"", setup, res)
	}
}
