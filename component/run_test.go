package component

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

func loadFixture(t *testing.T, name string) *Component {
	t.Helper()
	p := filepath.Join(sharedDir(t), "components/jco-fixtures/runtime", name)
	b, err := os.ReadFile(p)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skipf("%v (fixture from github.com/bytecodealliance/jco)", err)
	}
	c, err := Compile(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAdder(t *testing.T) {
	c := loadFixture(t, "adder.component.wasm")
	inst, err := NewLinker().Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("exports: %v", inst.Exports())
	var f *Func
	for _, n := range inst.Exports() {
		if g := inst.Func(n); g != nil {
			f = g
			t.Logf("%s: %v", n, g.Type())
		}
	}
	if f == nil {
		t.Fatal("no function export")
	}
	res, err := f.Call(context.Background(), U32(1), U32(2))
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].AsUint() != 3 {
		t.Fatalf("add(1, 2) = %v", res)
	}
}

func TestInstantiateFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedDir(t), "components/jco-fixtures/*/*.wasm"))
	if len(files) == 0 {
		t.Skip("no fixtures (github.com/bytecodealliance/jco)")
	}
	ok, total := 0, 0
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if !IsComponent(b) {
			continue
		}
		total++
		c, err := Compile(context.Background(), b)
		if err != nil {
			t.Logf("%s: compile: %v", filepath.Base(f), err)
			continue
		}
		l := NewLinker()
		l.DefineUnknownImportsAsTraps()
		inst, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
		if err != nil {
			t.Logf("%s: %v", filepath.Base(f), err)
			continue
		}
		ok++
		if testing.Verbose() {
			for _, n := range inst.Exports() {
				if fn := inst.Func(n); fn != nil {
					t.Logf("%s: %s: %v", filepath.Base(f), n, fn.Type())
				}
			}
		}
	}
	t.Logf("instantiated %d/%d components", ok, total)
}

func TestLinkErrors(t *testing.T) {
	c := loadFixture(t, "numbers.component.wasm")
	ctx := context.Background()
	l := NewLinker()
	l.DefineUnknownImportsAsTraps()
	l.DefineFunc("test:numbers/test#roundtrip-u8", FuncType{Params: []Param{{"a", Prim(KindU16)}}, Results: []Param{{"", Prim(KindU8)}}},
		func(context.Context, []Val) ([]Val, error) { return nil, nil })
	_, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err == nil || !strings.Contains(err.Error(), "roundtrip-u8") || !strings.Contains(err.Error(), "type mismatch") {
		t.Errorf("wrong function type: got %v", err)
	}
	l = NewLinker()
	l.DefineUnknownImportsAsTraps()
	l.DefineInstance("test:numbers/test", newInstance())
	_, err = l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err == nil || !strings.Contains(err.Error(), "instance has no export") {
		t.Errorf("incomplete instance: got %v", err)
	}
	_, err = NewLinker().Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err == nil || !strings.Contains(err.Error(), "missing import") {
		t.Errorf("missing import: got %v", err)
	}
	if f := instantiateFixture(t, "adder.component.wasm").Func("docs:adder/add@0.1.0#add"); f != nil {
		if _, err := f.Call(ctx, U32(1)); err == nil {
			t.Error("call with too few arguments succeeded")
		}
		if _, err := f.Call(ctx, U32(1), String("x")); err == nil {
			t.Error("call with a mistyped argument succeeded")
		}
	}
}

func TestSemverTrack(t *testing.T) {
	for in, want := range map[string]string{
		"wasi:cli/stdout@0.2.3#get-stdout": "wasi:cli/stdout@0.2#get-stdout",
		"a:b/c@1.4.0":                      "a:b/c@1",
		"a:b/c@0.0.3#f":                    "a:b/c@0.0.3#f",
		"a:b/c@0.3.0-rc-2025-09-16#f":      "",
		"f":                                "",
	} {
		if got := semverTrack(in); got != want {
			t.Errorf("semverTrack(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDescribeImports(t *testing.T) {
	c := loadFixture(t, "resource-borrow-simple.component.wasm")
	imps, err := c.Imports()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, im := range imps {
		got = append(got, im.Name+": "+im.Desc.String())
	}
	s := strings.Join(got, "; ")
	if !strings.Contains(s, "test: func(r: borrow<r>)") || !strings.Contains(s, "[constructor]r: func() -> own<r>") {
		t.Fatalf("imports described as %q", s)
	}
}

// TestSemverLookup checks that an import finds the newest definition of
// its semver track, comparing versions numerically.
func TestSemverLookup(t *testing.T) {
	d := newDefs[int]()
	for i, n := range []string{"a:b/c@0.2.9#f", "a:b/c@0.2.10#f", "a:b/c@0.2.3#f", "a:b/c@0.3.0#f", "a:b/c@1.2.0#f", "a:b/c@1.10.0#f"} {
		d.set(n, i)
	}
	tests := []struct {
		name string
		want int
		ok   bool
	}{
		{"a:b/c@0.2.9#f", 0, true}, // exact
		{"a:b/c@0.2.0#f", 1, true}, // newest 0.2.x is 0.2.10, not 0.2.9
		{"a:b/c@0.3.1#f", 3, true},
		{"a:b/c@1.0.0#f", 5, true}, // 1.10.0 is newer than 1.2.0
		{"a:b/c@0.4.0#f", 0, false},
		{"a:b/c@0.2.0-rc#f", 0, false},
		{"a:b/c#f", 0, false},
	}
	for _, tt := range tests {
		got, ok := d.lookup(tt.name)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("lookup(%s) = %d, %v; want %d, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	d.remove("a:b/c@0.2.10#f")
	if got, ok := d.lookup("a:b/c@0.2.0#f"); !ok || got != 0 {
		t.Errorf("after remove: lookup = %d, %v; want 0 (0.2.9)", got, ok)
	}
}
