package component

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

// moreFixtureTests maps a jco runtime fixture's file name to a test that provides the
// imports its upstream test provides and checks the same results.
var moreFixtureTests = map[string]func(*testing.T){
	// wit-bindgen tests/runtime/ownership (one host, three guest modes).
	"owning.component.wasm":                           testOwnership("owning.component.wasm"),
	"borrowing.component.wasm":                        testOwnership("borrowing.component.wasm"),
	"borrowing-duplicate-if-necessary.component.wasm": testOwnership("borrowing-duplicate-if-necessary.component.wasm"),
	// wit-bindgen tests/runtime/other_dependencies.rs.
	"other-dependencies.component.wasm": testOtherDependencies,
	// wit-bindgen tests/runtime/resource_import_and_export.rs (two builds).
	// The first is the C guest, the second the Rust guest.
	"resource-import-and-export.component.wasm": testResourceImportAndExport("resource-import-and-export.component.wasm", false),
	"resource_import_and_export.component.wasm": testResourceImportAndExport("resource_import_and_export.component.wasm", true),
	// wit-bindgen tests/runtime/rust_xcrate.rs.
	"rust_xcrate.component.wasm": testRustXcrate,
	// wit-bindgen tests/runtime/type_section_suffix.rs.
	"type_section_suffix.component.wasm": testTypeSectionSuffix,
	// jco test/fixtures/runtime/example_guest_{export,import}.ts.
	"example_guest_export.wasm": testExampleGuestExport,
	"example_guest_import.wasm": testExampleGuestImport,
}

// moreHost builds the host side of a fixture test: a stdio linker plus
// host functions defined with the types the component imports them with.
type moreHost struct {
	t     *testing.T
	c     *Component
	l     *Linker
	funcs map[string]FuncType // imported functions, named as DefineFunc names them
}

// newMoreHost loads fixture name and starts a linker for it with the
// wasi:cli stdio imports (stdioLinker).
func newMoreHost(t *testing.T, name string) *moreHost {
	t.Helper()
	c := loadFixture(t, name)
	imps, err := c.Imports()
	if err != nil {
		t.Fatal(err)
	}
	h := &moreHost{t: t, c: c, l: stdioLinker(t, "0.2.0"), funcs: map[string]FuncType{}}
	for _, im := range imps {
		switch {
		case im.Desc.Func != nil:
			h.funcs[im.Name] = *im.Desc.Func
		case im.Desc.Instance != nil:
			for _, n := range im.Desc.Instance.Names {
				if d := im.Desc.Instance.Exports[n]; d.Func != nil {
					h.funcs[im.Name+"#"+n] = *d.Func
				}
			}
		}
	}
	return h
}

// fn defines the imported function name ("f" or "iface#f") as fn, with
// the type the component imports it with; the test fails when the
// component has no such import.
func (h *moreHost) fn(name string, fn func(args []Val) ([]Val, error)) {
	h.t.Helper()
	ft, ok := h.funcs[name]
	if !ok {
		h.t.Fatalf("the component does not import function %s", name)
	}
	if err := h.l.DefineFunc(name, ft, func(_ context.Context, args []Val) ([]Val, error) { return fn(args) }); err != nil {
		h.t.Fatal(err)
	}
}

// instantiate instantiates the component with the linker.
func (h *moreHost) instantiate() *Instance {
	h.t.Helper()
	inst, err := h.l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), h.c)
	if err != nil {
		h.t.Fatal(err)
	}
	return inst
}

// moreCall calls the export name of inst and fails the test when it is
// missing or the call fails.
func moreCall(t *testing.T, inst *Instance, name string, args ...Val) []Val {
	t.Helper()
	f := inst.Func(name)
	if f == nil {
		t.Fatalf("no export %s in %v", name, inst.Exports())
	}
	res, err := f.Call(context.Background(), args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

// moreRep returns the representation of handle v (own when own is set,
// else borrow), which must be a handle to the host resource rt.
func moreRep(v Val, rt *ResourceType, own bool) (uint32, error) {
	want := KindBorrow
	if own {
		want = KindOwn
	}
	rep, res := v.Handle()
	if v.Kind != want {
		return 0, fmt.Errorf("got a %v handle, want %v", v.Kind, want)
	}
	if res != rt {
		return 0, fmt.Errorf("got a handle to resource %v, want one to host resource %s", res, rt.Name)
	}
	return rep, nil
}

// moreStrings returns the strings of a list<string> value.
func moreStrings(v Val) []string {
	var s []string
	for _, e := range v.Elems() {
		s = append(s, e.AsString())
	}
	return s
}

// testOwnership reproduces wit-bindgen's tests/runtime/ownership.rs for
// one of its three guests: the host echoes lists#foo and
// thing-in-and-out#baz, notes thing-in#bar, creates the-resource (rep
// 100) from a list of strings and checks that list-and-resource receives
// that list and an owned handle with rep 100; the-resource's destructor
// must never run. foo must succeed (the guest asserts the echoes) and
// have called every import.
func testOwnership(fixture string) func(*testing.T) {
	return func(t *testing.T) {
		const res = "test:ownership/both-list-and-resource"
		h := newMoreHost(t, fixture)
		var calledFoo, calledBar, calledBaz bool
		var lastList []string
		drops := 0
		rt := NewResourceType("the-resource", func(context.Context, uint32) error {
			drops++
			return fmt.Errorf("the-resource destructor called")
		})
		h.l.DefineResource(res+"#the-resource", rt)
		h.fn("lists#foo", func(a []Val) ([]Val, error) {
			calledFoo = true
			return a, nil
		})
		h.fn("thing-in#bar", func([]Val) ([]Val, error) {
			calledBar = true
			return nil, nil
		})
		h.fn("thing-in-and-out#baz", func(a []Val) ([]Val, error) {
			calledBaz = true
			return a, nil
		})
		h.fn(res+"#[constructor]the-resource", func(a []Val) ([]Val, error) {
			if lastList != nil {
				return nil, fmt.Errorf("the-resource constructed twice")
			}
			lastList = moreStrings(a[0])
			if lastList == nil {
				lastList = []string{}
			}
			return []Val{Own(rt, 100)}, nil
		})
		h.fn(res+"#list-and-resource", func(a []Val) ([]Val, error) {
			b, _ := a[0].Field("b")
			rep, err := moreRep(b, rt, true)
			if err != nil {
				return nil, fmt.Errorf("list-and-resource: b: %w", err)
			}
			if rep != 100 {
				return nil, fmt.Errorf("list-and-resource: b has rep %d, want 100", rep)
			}
			l, _ := a[0].Field("a")
			if got := moreStrings(l); lastList == nil || !slices.Equal(got, lastList) {
				return nil, fmt.Errorf("list-and-resource: a = %q, want %q", got, lastList)
			}
			return nil, nil
		})
		inst := h.instantiate()
		moreCall(t, inst, "foo")
		if !calledFoo || !calledBar || !calledBaz || lastList == nil {
			t.Fatalf("called foo %v, bar %v, baz %v, the-resource constructor %v", calledFoo, calledBar, calledBaz, lastList != nil)
		}
		if drops != 0 {
			t.Fatalf("the-resource destructor called %d times", drops)
		}
	}
}

// testOtherDependencies reproduces wit-bindgen's
// tests/runtime/other_dependencies.rs: the component instantiates with no
// imports beyond WASI and exports the empty interface other:test/test.
func testOtherDependencies(t *testing.T) {
	inst := newMoreHost(t, "other-dependencies.component.wasm").instantiate()
	sub := inst.Instance("other:test/test")
	if sub == nil {
		t.Fatalf("no exported instance other:test/test in %v", inst.Exports())
	}
	if ex := sub.Exports(); len(ex) != 0 {
		t.Fatalf("other:test/test exports %v, want nothing", ex)
	}
}

// testResourceImportAndExport reproduces wit-bindgen's
// tests/runtime/resource_import_and_export.rs: the host implements the
// imported test interface's thing (a map from rep to a number; new adds
// 1, foo adds 2, bar stores v+3, baz makes foo(a)+foo(b)+4) and
// toplevel-import (identity); the guest's exported thing wraps an
// imported one and adds its own offsets. The upstream host calls the
// constructor, foo, bar, baz and checks foo's results (48, 43, 143).
// Beyond upstream, the test checks which host things the guest drops and
// that toplevel-export passes a host handle through toplevel-import
// unchanged, and that the exported thing, the imported thing and another
// host resource, all named thing, are not interchangeable. dropsInner
// tells whether the guest's destructor of its
// thing drops the host thing it wraps (the Rust guest's does, the C
// guest's only frees its memory).
func testResourceImportAndExport(fixture string, dropsInner bool) func(*testing.T) {
	return func(t *testing.T) {
		const iface = "test:resource-import-and-export/test"
		things := map[uint32]uint32{}
		next := uint32(0)
		var dropped []uint32
		rt := NewResourceType("thing", func(_ context.Context, rep uint32) error {
			if _, ok := things[rep]; !ok {
				return fmt.Errorf("thing destructor: unknown rep %d", rep)
			}
			delete(things, rep)
			dropped = append(dropped, rep)
			return nil
		})
		newThing := func(v uint32) Val {
			id := next
			next++
			things[id] = v + 1
			return Own(rt, id)
		}
		foo := func(v Val, own bool) (uint32, error) {
			rep, err := moreRep(v, rt, own)
			if err != nil {
				return 0, err
			}
			n, ok := things[rep]
			if !ok {
				return 0, fmt.Errorf("unknown thing %d", rep)
			}
			return n + 2, nil
		}
		// build instantiates the fixture with the host's imports.
		build := func() *Instance {
			h := newMoreHost(t, fixture)
			// The world's top-level thing is `use test.{thing}`: the
			// same resource, which the upstream host defines once.
			h.l.DefineResource(iface+"#thing", rt)
			h.fn(iface+"#[constructor]thing", func(a []Val) ([]Val, error) {
				return []Val{newThing(uint32(a[0].AsUint()))}, nil
			})
			h.fn(iface+"#[method]thing.foo", func(a []Val) ([]Val, error) {
				n, err := foo(a[0], false)
				if err != nil {
					return nil, fmt.Errorf("foo: %w", err)
				}
				return []Val{U32(n)}, nil
			})
			h.fn(iface+"#[method]thing.bar", func(a []Val) ([]Val, error) {
				rep, err := moreRep(a[0], rt, false)
				if err != nil {
					return nil, fmt.Errorf("bar: %w", err)
				}
				things[rep] = uint32(a[1].AsUint()) + 3
				return nil, nil
			})
			h.fn(iface+"#[static]thing.baz", func(a []Val) ([]Val, error) {
				x, err := foo(a[0], true)
				if err != nil {
					return nil, fmt.Errorf("baz: a: %w", err)
				}
				y, err := foo(a[1], true)
				if err != nil {
					return nil, fmt.Errorf("baz: b: %w", err)
				}
				return []Val{newThing(x + y + 4)}, nil
			})
			h.fn("toplevel-import", func(a []Val) ([]Val, error) {
				if _, err := moreRep(a[0], rt, true); err != nil {
					return nil, fmt.Errorf("toplevel-import: %w", err)
				}
				return a, nil
			})
			return h.instantiate()
		}
		inst := build()
		ctx := context.Background()

		thing1 := moreCall(t, inst, iface+"#[constructor]thing", U32(42))[0]
		if got := moreCall(t, inst, iface+"#[method]thing.foo", thing1.Borrowed())[0].AsUint(); got != 48 {
			t.Fatalf("foo(thing1) = %d, want 48", got)
		}
		moreCall(t, inst, iface+"#[method]thing.bar", thing1.Borrowed(), U32(33))
		if got := moreCall(t, inst, iface+"#[method]thing.foo", thing1.Borrowed())[0].AsUint(); got != 43 {
			t.Fatalf("foo(thing1) after bar(33) = %d, want 43", got)
		}
		thing2 := moreCall(t, inst, iface+"#[constructor]thing", U32(81))[0]
		thing3 := moreCall(t, inst, iface+"#[static]thing.baz", thing1, thing2)[0]
		const want3 = 33 + 3 + 3 + 81 + 1 + 1 + 2 + 2 + 4 + 1 + 2 + 4 + 1 + 1 + 2 + 2
		if got := moreCall(t, inst, iface+"#[method]thing.foo", thing3.Borrowed())[0].AsUint(); got != want3 {
			t.Fatalf("foo(baz(thing1, thing2)) = %d, want %d", got, want3)
		}

		// Beyond upstream: the guest dropped the host thing baz returned
		// (rep 2) after calling foo on it; dropping thing3 drops the host
		// thing it wraps (rep 3) when the guest's destructor does so.
		// Host baz took ownership of reps 0 and 1 and, like the upstream
		// host, never drops them.
		if !slices.Equal(dropped, []uint32{2}) {
			t.Fatalf("host things dropped after baz: %v, want [2]", dropped)
		}
		if err := DropResource(ctx, thing3); err != nil {
			t.Fatal(err)
		}
		want := []uint32{2}
		if dropsInner {
			want = append(want, 3)
		}
		if !slices.Equal(dropped, want) {
			t.Fatalf("host things dropped after dropping thing3: %v, want %v", dropped, want)
		}

		// Beyond upstream: toplevel-export passes its host thing to
		// toplevel-import, which returns it.
		th := newThing(7)
		out := moreCall(t, inst, "toplevel-export", th)[0]
		if rep, err := moreRep(out, rt, true); err != nil || rep != 4 {
			t.Fatalf("toplevel-export(own thing 4) = %v (%v), want own thing 4", out, err)
		}
		if err := DropResource(ctx, out); err != nil {
			t.Fatal(err)
		}
		if want = append(want, 4); !slices.Equal(dropped, want) {
			t.Fatalf("host things dropped: %v, want %v", dropped, want)
		}

		// Beyond upstream: resource identity. The exported thing and the
		// imported thing are distinct resources of the same name, and a
		// host resource other than the imported thing is neither (each
		// case in a fresh instance: a failed call poisons the instance).
		other := NewResourceType("thing", nil)
		for _, c := range []struct {
			what, fn string
			arg      Val
		}{
			{"a borrow of the imported thing for the exported one", iface + "#[method]thing.foo", Borrow(rt, 0)},
			{"an own of another host resource for the imported thing", "toplevel-export", Own(other, 0)},
			{"an own of another host resource for the exported thing", iface + "#[static]thing.baz", Own(other, 0)},
		} {
			args := []Val{c.arg}
			if strings.HasSuffix(c.fn, "baz") {
				args = append(args, c.arg)
			}
			if _, err := build().Func(c.fn).Call(ctx, args...); err == nil {
				t.Errorf("%s accepted %s", c.fn, c.what)
			}
		}
	}
}

// xcrateHost is the host of rust_xcrate.component.wasm: a-imports and
// b-imports each have their own resource x (rts["a"], rts["b"]), whose
// constructor returns rep 2 of the resource wrong[p] names ("" for its
// own); the host calls are appended to log.
func xcrateHost(t *testing.T, log *[]string, wrong map[string]string) (*Instance, map[string]*ResourceType) {
	t.Helper()
	h := newMoreHost(t, "rust_xcrate.component.wasm")
	rts := map[string]*ResourceType{}
	for _, p := range []string{"a", "b"} {
		rts[p] = NewResourceType("x", func(_ context.Context, rep uint32) error {
			*log = append(*log, fmt.Sprintf("%s.drop(%d)", p, rep))
			return nil
		})
	}
	for p, rt := range rts {
		iface := "test:xcrate/" + p + "-imports"
		h.l.DefineResource(iface+"#x", rt)
		h.fn(iface+"#"+p, func([]Val) ([]Val, error) {
			*log = append(*log, p)
			return nil, nil
		})
		h.fn(iface+"#[constructor]x", func([]Val) ([]Val, error) {
			*log = append(*log, p+".new")
			if w := wrong[p]; w != "" {
				return []Val{Own(rts[w], 2)}, nil
			}
			return []Val{Own(rt, 2)}, nil
		})
		h.fn(iface+"#[method]x.foo", func(a []Val) ([]Val, error) {
			rep, err := moreRep(a[0], rt, false)
			if err != nil {
				return nil, fmt.Errorf("%s x.foo: %w", p, err)
			}
			*log = append(*log, fmt.Sprintf("%s.foo(%d)", p, rep))
			return nil, nil
		})
	}
	return h.instantiate(), rts
}

// testRustXcrate reproduces wit-bindgen's tests/runtime/rust_xcrate.rs:
// the host implements a-imports and b-imports (functions a and b, and a
// resource x whose constructor returns rep 2) and calls b, then
// constructs the exported interface's x, calls its foo and drops it.
// Beyond upstream, the test checks the sequence of host calls b makes (a,
// b, then construct, foo and drop an x of each interface), that each x
// handle the host receives is of its own interface's resource type, and
// that the two x resources, alike but for identity, are not
// interchangeable: a b-imports constructor returning an a-imports x, and
// a borrow of a host x passed for the exported x, are both rejected.
func testRustXcrate(t *testing.T) {
	ctx := context.Background()
	const ex = "an-exported-interface#"
	var log []string
	inst, _ := xcrateHost(t, &log, nil)
	moreCall(t, inst, "b")
	want := []string{"a", "b", "a.new", "a.foo(2)", "a.drop(2)", "b.new", "b.foo(2)", "b.drop(2)"}
	if !slices.Equal(log, want) {
		t.Fatalf("host calls during b: %v, want %v", log, want)
	}
	x := moreCall(t, inst, ex+"[constructor]x")[0]
	if x.Kind != KindOwn {
		t.Fatalf("constructor returned %v", x)
	}
	moreCall(t, inst, ex+"[method]x.foo", x.Borrowed())
	if err := DropResource(ctx, x); err != nil {
		t.Fatal(err)
	}
	if len(log) != len(want) {
		t.Fatalf("unexpected host calls after b: %v", log[len(want):])
	}

	// Resource identity (each case in a fresh instance: a failed call
	// poisons the instance).
	log = nil
	inst, _ = xcrateHost(t, &log, map[string]string{"b": "a"})
	if _, err := inst.Func("b").Call(ctx); err == nil {
		t.Errorf("b succeeded with b-imports#[constructor]x returning an a-imports x; host calls %v", log)
	} else if w := want[:6]; !slices.Equal(log, w) {
		t.Errorf("host calls up to the wrong x: %v, want %v", log, w)
	}
	inst, rts := xcrateHost(t, &log, nil)
	if _, err := inst.Func(ex+"[method]x.foo").Call(ctx, Borrow(rts["a"], 2)); err == nil {
		t.Errorf("exported x.foo accepted a borrow of the host's a-imports x")
	}
}

// testTypeSectionSuffix reproduces wit-bindgen's
// tests/runtime/type_section_suffix.rs: the host implements
// test:suffix/imports#foo and the world functions foo and bar, and calls
// run. Beyond upstream, the test checks the guest's calls: the interface's
// foo through two bindings, then foo and bar.
func testTypeSectionSuffix(t *testing.T) {
	h := newMoreHost(t, "type_section_suffix.component.wasm")
	var log []string
	for _, n := range []string{"test:suffix/imports#foo", "foo", "bar"} {
		h.fn(n, func([]Val) ([]Val, error) {
			log = append(log, n)
			return nil, nil
		})
	}
	moreCall(t, h.instantiate(), "run")
	want := []string{"test:suffix/imports#foo", "test:suffix/imports#foo", "foo", "bar"}
	if !slices.Equal(log, want) {
		t.Fatalf("host calls during run: %v, want %v", log, want)
	}
}

// testExampleGuestExport reproduces jco's example_guest_export.ts: the
// static scalars.get-a returns 5, a new scalars' get-b returns 2 and
// scalar-arg of it returns 7.
func testExampleGuestExport(t *testing.T) {
	const iface = "example:component/backend@0.1.0#"
	inst := newMoreHost(t, "example_guest_export.wasm").instantiate()
	if got := moreCall(t, inst, iface+"[static]scalars.get-a")[0].AsUint(); got != 5 {
		t.Fatalf("scalars.get-a() = %d, want 5", got)
	}
	s := moreCall(t, inst, iface+"[constructor]scalars")[0]
	if got := moreCall(t, inst, iface+"[method]scalars.get-b", s.Borrowed())[0].AsUint(); got != 2 {
		t.Fatalf("scalars.get-b() = %d, want 2", got)
	}
	if got := moreCall(t, inst, iface+"scalar-arg", s.Borrowed())[0].AsUint(); got != 7 {
		t.Fatalf("scalar-arg(scalars) = %d, want 7", got)
	}
	if err := DropResource(context.Background(), s); err != nil {
		t.Fatal(err)
	}
}

// testExampleGuestImport reproduces jco's example_guest_import.ts: the
// host's scalars are numbered in creation order (get-b returns the
// number), and fetch records the scalars it borrows and returns a new
// one. front#handle of the scalars 0 and 1 returns 2 and 4; fetch
// received both, and handle of them again returns 4 and 6. Beyond
// upstream (jco's host has no destructor), the test checks that the
// guest drops every scalars it owned: the ones passed to handle and the
// ones fetch returned.
func testExampleGuestImport(t *testing.T) {
	const backend = "example2:component/backend@0.1.0#"
	h := newMoreHost(t, "example_guest_import.wasm")
	count := uint32(0)
	var dropped []uint32
	rt := NewResourceType("scalars", func(_ context.Context, rep uint32) error {
		dropped = append(dropped, rep)
		return nil
	})
	newScalars := func() Val {
		n := count
		count++
		return Own(rt, n)
	}
	h.l.DefineResource(backend+"scalars", rt)
	h.fn(backend+"[method]scalars.get-b", func(a []Val) ([]Val, error) {
		rep, err := moreRep(a[0], rt, false)
		if err != nil {
			return nil, fmt.Errorf("get-b: %w", err)
		}
		return []Val{U32(rep)}, nil
	})
	var received []uint32
	h.fn(backend+"fetch", func(a []Val) ([]Val, error) {
		rep, err := moreRep(a[0], rt, false)
		if err != nil {
			return nil, fmt.Errorf("fetch: %w", err)
		}
		received = append(received, rep)
		return []Val{newScalars()}, nil
	})
	inst := h.instantiate()
	handle := func(v Val) uint64 {
		t.Helper()
		return moreCall(t, inst, "example2:component/front@0.1.0#handle", v)[0].AsUint()
	}
	x, y := newScalars(), newScalars()
	if got := handle(x); got != 2 {
		t.Fatalf("handle(scalars 0) = %d, want 2", got)
	}
	if got := handle(y); got != 4 {
		t.Fatalf("handle(scalars 1) = %d, want 4", got)
	}
	if !slices.Equal(received, []uint32{0, 1}) {
		t.Fatalf("fetch received %v, want [0 1]", received)
	}
	if got := handle(Own(rt, received[0])); got != 4 {
		t.Fatalf("handle(received[0]) = %d, want 4", got)
	}
	if got := handle(Own(rt, received[1])); got != 6 {
		t.Fatalf("handle(received[1]) = %d, want 6", got)
	}
	slices.Sort(dropped)
	if want := []uint32{0, 0, 1, 1, 2, 3, 4, 5}; !slices.Equal(dropped, want) {
		t.Fatalf("scalars dropped: %v, want %v", dropped, want)
	}
}
