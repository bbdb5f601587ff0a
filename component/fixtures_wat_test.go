package component

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

// watFixtureTests maps a jco runtime fixture's file name to a test that provides the
// imports its upstream test provides and checks the same results.
//
// These fixtures are written in the component text format, which gowasm
// cannot parse: the tests load the binaries converted by
// testdata/components/jco-wat/build.sh (jco parse) and committed there.
// The upstream tests are jco's packages/jco-transpile/test/fixtures/runtime/
// list-adapter-fusion.ts and multi-version.ts (run by test/runtime.ts) and
// test/resources.ts for resources.2; resources.3 has no upstream test
// beyond transpiling it (test/codegen.ts).
var watFixtureTests = map[string]func(*testing.T){
	"list-adapter-fusion.wat":     testListAdapterFusion,
	"multi-version.component.wat": testMultiVersion,
	"resources.2.component.wat":   testResources2,
	"resources.3.component.wat":   testResources3,
}

// watBinaryDir is the directory of the committed binaries of the text
// fixtures, relative to this package.
const watBinaryDir = "../testdata/components/jco-wat"

// watBinaryPath returns the path of the committed binary of the text
// fixture name (x.wat or x.component.wat becomes x.wasm or
// x.component.wasm).
func watBinaryPath(name string) string {
	return filepath.Join(watBinaryDir, strings.TrimSuffix(name, ".wat")+".wasm")
}

// readWatBinary reads the committed binary of the text fixture (or of a
// companion component of this directory) name; a missing binary is an
// error that says how to build it.
func readWatBinary(name string) ([]byte, error) {
	b, err := os.ReadFile(watBinaryPath(name))
	if err != nil {
		return nil, fmt.Errorf("%w (run testdata/components/jco-wat/build.sh to convert %s)", err, name)
	}
	return b, nil
}

// loadWatFixture compiles the committed binary of the text fixture name,
// failing the test when it is missing or does not compile.
func loadWatFixture(t *testing.T, name string) *Component {
	t.Helper()
	b, err := readWatBinary(name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(context.Background(), b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return c
}

// watInstantiate instantiates c with l, failing the test on errors.
func watInstantiate(t *testing.T, l *Linker, c *Component) *Instance {
	t.Helper()
	inst, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// watFunc returns export name of inst, failing the test when it is
// missing.
func watFunc(t *testing.T, inst *Instance, name string) *Func {
	t.Helper()
	f := inst.Func(name)
	if f == nil {
		t.Fatalf("no export %s in %v", name, inst.Exports())
	}
	return f
}

// isUnreachableTrap reports whether err is an unreachable trap.
func isUnreachableTrap(err error) bool {
	var trap *interp.Trap
	return errors.As(err, &trap) && trap.Kind == interp.TrapUnreachable
}

// testListAdapterFusion follows list-adapter-fusion.ts. The fixture
// instantiates its inner component twice, the first instance on the host's
// "test" instance and the second on the first, and exports the second as
// "result": each list goes host -> second instance -> first instance ->
// host and back, lifted and lowered at every component boundary (the
// "adapter fusion" of the name: the lift and lower between the two
// instances may be fused into one copy). The host functions check that
// they receive the list the test passes and return it; the test checks
// that the list comes back unchanged. The values are those of the upstream
// typed arrays (-1 and -2 stored in unsigned arrays wrap around; the
// float32 values are rounded to float32).
func testListAdapterFusion(t *testing.T) {
	c := loadWatFixture(t, "list-adapter-fusion.wat")
	tests := []struct {
		fn   string
		args []string // WAVE
	}{
		{"list-u8", []string{"[]", "[1]", "[1, 2, 3, 255, 254, 0]"}},
		{"list-s8", []string{"[]", "[1]", "[1, 2, 3, -1, -2, 0]"}},
		{"list-u16", []string{"[]", "[1]", "[1, 2, 3, 65535, 65534, 0]"}},
		{"list-s16", []string{"[]", "[1]", "[1, 2, 3, -1, -2, 0]"}},
		{"list-u32", []string{"[]", "[1]", "[1, 2, 3, 4294967295, 4294967294, 0]"}},
		{"list-s32", []string{"[]", "[1]", "[1, 2, 3, -1, -2, 0]"}},
		{"list-u64", []string{"[]", "[1]", "[1, 2, 3, 18446744073709551615, 18446744073709551614, 0]"}},
		{"list-s64", []string{"[]", "[1]", "[1, 2, 3, -1, -2, 0]"}},
		{"list-float32", []string{"[]", "[1, 1.2, 0.3]"}},
		{"list-float64", []string{"[]", "[1, 1.2, 0.3]"}},
	}
	imps, err := c.Imports()
	if err != nil {
		t.Fatal(err)
	}
	var test *InstanceType
	for _, im := range imps {
		if im.Name == "test" {
			test = im.Desc.Instance
		}
	}
	if test == nil {
		t.Fatalf("no instance import \"test\" in %v", imps)
	}
	// expected is the list the running test case passes; calls counts the
	// host calls.
	var expected *Val
	calls := 0
	l := NewLinker()
	for _, tt := range tests {
		d, ok := test.Exports[tt.fn]
		if !ok || d.Func == nil {
			t.Fatalf("the test import has no function %s", tt.fn)
		}
		fn := tt.fn
		if err := l.DefineFunc("test#"+fn, *d.Func, func(_ context.Context, args []Val) ([]Val, error) {
			calls++
			if expected == nil || !args[0].Equal(*expected) {
				return nil, fmt.Errorf("host %s received %v, want %v", fn, args[0], expected)
			}
			return []Val{args[0]}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	inst := watInstantiate(t, l, c)
	for _, tt := range tests {
		f := watFunc(t, inst, "result#"+tt.fn)
		for _, w := range tt.args {
			arg, err := ParseWAVE(f.Type().Params[0].Type, w)
			if err != nil {
				t.Fatalf("%s: %v", w, err)
			}
			expected, calls = &arg, 0
			res, err := f.Call(context.Background(), arg)
			expected = nil
			if err != nil {
				t.Fatalf("%s(%s): %v", tt.fn, w, err)
			}
			if calls != 1 {
				t.Errorf("%s(%s): the host function was called %d times, want 1", tt.fn, w, calls)
			}
			if len(res) != 1 || !res[0].Equal(arg) {
				t.Errorf("%s(%s) = %v, want %s", tt.fn, w, res, w)
			}
		}
	}
}

// testMultiVersion follows multi-version.ts, which calls the fixture's
// test export with jco's WASI shims and expects it to return without
// writing to stderr. The guest (Rust, through the wasi_snapshot_preview1
// adapter) imports wasi:clocks/monotonic-clock and wasi:io/poll at both
// 0.2.0 and 0.2.1; for each version in turn it subscribes to a 10 ms
// duration, polls the pollable and drops it. The host here gives each
// version its own pollable resource and functions (the shims' poll
// reports every pollable ready, as a 10 ms timer is after the wait) and
// checks, beyond the upstream test, that each call reached the functions
// of its own version, with the handle that version returned.
func testMultiVersion(t *testing.T) {
	c := loadWatFixture(t, "multi-version.component.wat")
	imps, err := c.Imports()
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]FuncType{}
	for _, im := range imps {
		if im.Desc.Instance == nil {
			continue
		}
		for n, d := range im.Desc.Instance.Exports {
			if d.Func != nil {
				types[im.Name+"#"+n] = *d.Func
			}
		}
	}
	l := NewLinker()
	l.DefineUnknownImportsAsTraps()
	defineStdio(t, l, "0.2.0")
	// Record what the guest writes to stderr (handle 3 of defineStdio).
	var stderr []byte
	for _, m := range []string{"write", "blocking-write-and-flush"} {
		name := "wasi:io/streams@0.2.0#[method]output-stream." + m
		ft, ok := types[name]
		if !ok {
			continue
		}
		if err := l.DefineFunc(name, ft, func(_ context.Context, args []Val) ([]Val, error) {
			b, _ := args[1].AsBytes()
			if rep, _ := args[0].Handle(); rep == 3 {
				stderr = append(stderr, b...)
			}
			t.Logf("guest output: %s", b)
			return []Val{Ok(nil)}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	var events []string
	for i, ver := range []string{"0.2.0", "0.2.1"} {
		ver := ver
		rep := uint32(100 * (i + 1))
		rt := NewResourceType("pollable@"+ver, func(_ context.Context, r uint32) error {
			events = append(events, fmt.Sprintf("%s drop %d", ver, r))
			return nil
		})
		poll := "wasi:io/poll@" + ver
		clock := "wasi:clocks/monotonic-clock@" + ver
		l.DefineResource(poll+"#pollable", rt)
		for _, n := range []string{clock + "#subscribe-duration", poll + "#poll"} {
			if _, ok := types[n]; !ok {
				t.Fatalf("the component does not import %s", n)
			}
		}
		l.DefineFunc(clock+"#subscribe-duration", types[clock+"#subscribe-duration"], func(_ context.Context, args []Val) ([]Val, error) {
			events = append(events, fmt.Sprintf("%s subscribe-duration(%d) -> %d", ver, args[0].AsUint(), rep))
			return []Val{Own(rt, rep)}, nil
		})
		l.DefineFunc(poll+"#poll", types[poll+"#poll"], func(_ context.Context, args []Val) ([]Val, error) {
			var in []string
			var ready []Val
			for i, p := range args[0].Elems() {
				r, res := p.Handle()
				if p.Kind != KindBorrow || res != rt {
					return nil, fmt.Errorf("%s poll: pollable %d is %v of %v, want a borrow of %s", ver, i, p.Kind, res, rt.Name)
				}
				in = append(in, fmt.Sprint(r))
				ready = append(ready, U32(uint32(i)))
			}
			events = append(events, fmt.Sprintf("%s poll([%s])", ver, strings.Join(in, ", ")))
			return []Val{List(ready...)}, nil
		})
	}
	inst := watInstantiate(t, l, c)
	if _, err := watFunc(t, inst, "test").Call(context.Background()); err != nil {
		t.Fatalf("test: %v\nhost calls: %q", err, events)
	}
	if len(stderr) > 0 {
		t.Errorf("the guest wrote to stderr: %q", stderr)
	}
	want := []string{
		"0.2.0 subscribe-duration(10000000) -> 100", "0.2.0 poll([100])", "0.2.0 drop 100",
		"0.2.1 subscribe-duration(10000000) -> 200", "0.2.1 poll([200])", "0.2.1 drop 200",
	}
	if !slices.Equal(events, want) {
		t.Errorf("host calls:\n got %q\nwant %q", events, want)
	}
}

// testResources2 covers resources.2.component.wat. jco's test (resources.ts,
// "component-defined resource disposal uses the removed handle
// representation") only matches the generated JavaScript: disposing of an
// owned handle of a resource the component defines must call the
// component's destructor with the representation of the handle table
// entry it removes, and never read a representation from a removed entry.
// The fixture is a wit-component dummy: every core function is
// `unreachable` and its destructors are empty, so that cannot be observed
// on it (nor can its destructors be reached: only its constructors could
// give the host a handle). This test checks on the fixture what can be
// (the types of its exports, and that its functions trap), and checks the
// destructor representations on dtor-rep.wasm (testdata/components/
// jco-wat/dtor-rep.wat, written for this test, not from jco), a
// component with the same kind of resource whose destructor records what
// it receives. jco 1.35's transpiled JavaScript, run on dtor-rep.wasm,
// gives the results testDtorRep expects (destructor calls 200, 300, 100,
// 500, 400; none for a second disposal or a moved handle; drop-twice traps
// with "unknown handle index").
func testResources2(t *testing.T) {
	ctx := context.Background()
	c := loadWatFixture(t, "resources.2.component.wat")
	inst := watInstantiate(t, NewLinker(), c)

	// The exported functions and the resources their types name.
	fn := func(n string) *FuncType { t.Helper(); return watFunc(t, inst, "exports#"+n).Type() }
	rx := fn("[constructor]x").Results[0].Type.Resource
	rz := fn("[constructor]z").Results[0].Type.Resource
	if rx == nil || rz == nil || rx == rz {
		t.Fatalf("resources x %p and z %p: want two distinct resources", rx, rz)
	}
	handle := func(k ValKind, r *ResourceType) string {
		name := map[*ResourceType]string{rx: "x", rz: "z"}[r]
		if name == "" {
			name = "?"
		}
		return map[ValKind]string{KindOwn: "own", KindBorrow: "borrow"}[k] + "<" + name + ">"
	}
	sig := func(ft *FuncType) string {
		var ps, rs []string
		for _, p := range ft.Params {
			s := p.Type.String()
			if p.Type.Kind == KindOwn || p.Type.Kind == KindBorrow {
				s = handle(p.Type.Kind, p.Type.Resource)
			}
			ps = append(ps, p.Name+": "+s)
		}
		for _, r := range ft.Results {
			s := r.Type.String()
			if r.Type.Kind == KindOwn || r.Type.Kind == KindBorrow {
				s = handle(r.Type.Kind, r.Type.Resource)
			}
			rs = append(rs, s)
		}
		return "(" + strings.Join(ps, ", ") + ") -> (" + strings.Join(rs, ", ") + ")"
	}
	for n, want := range map[string]string{
		"[constructor]x":  "(a: f64) -> (own<x>)",
		"[method]x.get-a": "(self: borrow<x>) -> (f64)",
		"[method]x.set-a": "(self: borrow<x>, a: f64) -> ()",
		"[static]x.add":   "(x: own<x>, a: f64) -> (own<x>)",
		"[constructor]z":  "(a: f64) -> (own<z>)",
		"add":             "(a: borrow<z>, b: borrow<z>) -> (own<z>)",
	} {
		if got := sig(fn(n)); got != want {
			t.Errorf("exports#%s: %s, want %s", n, got, want)
		}
	}

	// The exported functions are `unreachable` in the fixture; after the
	// trap the instance refuses every call.
	if _, err := watFunc(t, inst, "exports#[constructor]x").Call(ctx, F64(1.5)); !isUnreachableTrap(err) {
		t.Errorf("[constructor]x(1.5): got %v, want an unreachable trap", err)
	}
	if _, err := watFunc(t, inst, "exports#[constructor]z").Call(ctx, F64(1.5)); err == nil || !strings.Contains(err.Error(), "cannot enter component instance") {
		t.Errorf("[constructor]z after a trap: got %v, want a refusal to enter the instance", err)
	}

	t.Run("dtor-rep", testDtorRep)
}

// testDtorRep checks, on dtor-rep.wasm (see testResources2), that the
// destructor of a component-defined resource receives the representation
// of the handle being disposed of: when the host drops a handle, when the
// guest drops handles it received with resource.drop (two in one call, in
// their order, then again once the guest's handle table reuses the freed
// slots); that a handle, once disposed of or moved into the guest, is
// invalid (disposing of it again or passing it again does not run the
// destructor again: jco's bindings make a second disposal a no-op and
// refuse a moved handle, wasmtime refuses both); and that dropping a
// handle whose entry is already removed traps.
func testDtorRep(t *testing.T) {
	ctx := context.Background()
	c := loadWatFixture(t, "dtor-rep.wat")
	inst := watInstantiate(t, NewLinker(), c)
	call := func(n string, args ...Val) ([]Val, error) {
		t.Helper()
		return watFunc(t, inst, "exports#"+n).Call(ctx, args...)
	}
	mustCall := func(n string, args ...Val) []Val {
		t.Helper()
		res, err := call(n, args...)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		return res
	}
	newX := func(rep uint32) Val {
		t.Helper()
		return mustCall("[constructor]x", U32(rep))[0]
	}
	// newDrops returns the representations the destructor received since
	// the previous call.
	seen := 0
	newDrops := func() string {
		t.Helper()
		log := mustCall("drops")[0].Elems()
		s := FormatWAVE(List(log[seen:]...))
		seen = len(log)
		return s
	}
	check := func(step, want string) {
		t.Helper()
		if got := newDrops(); got != want {
			t.Errorf("%s: the destructor received %s, want %s", step, got, want)
		}
	}

	a, b, c3 := newX(100), newX(200), newX(300)
	if err := DropResource(ctx, b); err != nil {
		t.Fatal(err)
	}
	check("the host drops x(200)", "[200]")
	err := DropResource(ctx, b)
	check(fmt.Sprintf("the host drops x(200) again (error %v)", err), "[]")
	mustCall("consume", c3, a)
	check("consume(x(300), x(100))", "[300, 100]")
	err = DropResource(ctx, a)
	check(fmt.Sprintf("the host drops x(100) after moving it into consume (error %v)", err), "[]")
	d, e := newX(400), newX(500)
	mustCall("consume", e, d)
	check("consume(x(500), x(400))", "[500, 400]")
	if _, err := call("consume", e, d); err == nil {
		t.Errorf("consume(x(500), x(400)) again, with handles already moved: no error")
		check("consume with moved handles", "[]")
	}

	// A second drop of the same handle finds its entry removed: a trap.
	// Checked on a fresh instance, as the trap leaves this one unusable.
	inst = watInstantiate(t, NewLinker(), c)
	f := newX(600)
	if _, err := call("drop-twice", f); err == nil || !strings.Contains(err.Error(), "unknown handle") {
		t.Errorf("drop-twice(x(600)): got %v, want a trap for an unknown handle", err)
	}
	// The trap leaves the instance refusing calls.
	if _, err := call("drops"); err == nil || !strings.Contains(err.Error(), "cannot enter component instance") {
		t.Errorf("drops after a trap: got %v, want a refusal to enter the instance", err)
	}
}

// testResources3 covers resources.3.component.wat, which jco only
// transpiles (no runtime test upstream). The component imports resource y
// of my:resources/imports with its functions, imports "y" again as a type
// equal to it, and exports add: func(y: borrow<y>) -> own<y>, whose core
// function is `unreachable` (a wit-component dummy). The test checks the
// runtime behaviour the transpiled bindings are about: the import "y" is
// the host's resource, so add's parameter and result are handles of the
// host's resource; calling add with a borrowed host handle reaches the
// guest (which traps, as its code says) without the guest ever calling
// the host's functions, and without the runtime dropping the host's
// resource (a borrow does not pass ownership).
func testResources3(t *testing.T) {
	ctx := context.Background()
	c := loadWatFixture(t, "resources.3.component.wat")
	var dropped []uint32
	ry := NewResourceType("y", func(_ context.Context, rep uint32) error {
		dropped = append(dropped, rep)
		return nil
	})
	l := NewLinker()
	l.DefineUnknownImportsAsTraps()
	l.DefineResource("my:resources/imports#y", ry)
	inst := watInstantiate(t, l, c)
	add := watFunc(t, inst, "add")
	ft := add.Type()
	if len(ft.Params) != 1 || ft.Params[0].Type.Kind != KindBorrow || ft.Params[0].Type.Resource != ry ||
		len(ft.Results) != 1 || ft.Results[0].Type.Kind != KindOwn || ft.Results[0].Type.Resource != ry {
		t.Errorf("add: %v; want func(y: borrow<y>) -> own<y> with y the host's resource %p (param %p, result %p)",
			ft, ry, watHandleRes(ft.Params), watHandleRes(ft.Results))
	}
	if _, err := add.Call(ctx, Borrow(ry, 7)); !isUnreachableTrap(err) {
		t.Errorf("add(borrow y(7)): got %v, want an unreachable trap (the guest's code)", err)
	}
	if len(dropped) != 0 {
		t.Errorf("the host resource was dropped (%v) by a call that only borrowed it", dropped)
	}
}

// watHandleRes returns the resource of the first handle type in ps, or
// nil.
func watHandleRes(ps []Param) *ResourceType {
	for _, p := range ps {
		if p.Type.Resource != nil {
			return p.Type.Resource
		}
	}
	return nil
}
