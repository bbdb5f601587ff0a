package component

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

// loadJcoFixture compiles the jco fixture rel (a path under
// components/jco-fixtures, e.g. "composed/simple-nested.component.wasm").
func loadJcoFixture(t *testing.T, rel string) *Component {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedDir(t), "components/jco-fixtures", rel))
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

// describeImports returns "name: type" for each import of c.
func describeImports(t *testing.T, c *Component) []string {
	t.Helper()
	imps, err := c.Imports()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(imps))
	for i, im := range imps {
		out[i] = im.Name + ": " + im.Desc.String()
	}
	return out
}

// describeExports returns "name: type" for each export of c.
func describeExports(t *testing.T, c *Component) []string {
	t.Helper()
	exps, err := c.Exports()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(exps))
	for i, e := range exps {
		out[i] = e.Name + ": " + e.Desc.String()
	}
	return out
}

// TestComponentTypes checks the imports and exports of fixtures, with
// their types as String prints them, as Imports and Exports find them
// without instantiating the component.
func TestComponentTypes(t *testing.T) {
	const resFloat = "float: resource, [constructor]float: func(v: f64) -> own<float>, [method]float.get: func(self: borrow<float>) -> f64"
	tests := []struct {
		fixture string // under components/jco-fixtures
		// imports and exports list every import and export in order (nil
		// imports: not checked); an entry ending in "..." is a prefix of
		// the description.
		imports, exports []string
	}{
		{"runtime/adder.component.wasm", nil, []string{"docs:adder/add@0.1.0: instance { add: func(x: u32, y: u32) -> u32 }"}},
		{"runtime/lists.component.wasm",
			[]string{
				"test:lists/test: instance { empty-list-param: func(a: list<u8>), empty-string-param: func(a: string), " +
					"empty-list-result: func() -> list<u8>, empty-string-result: func() -> string, list-param: func(a: list<u8>), " +
					"list-param2: func(a: string), list-param3: func(a: list<string>), list-param4: func(a: list<list<string>>), " +
					"list-param5: func(a: list<tuple<u8, u32, u8>>), list-result: func() -> list<u8>, ...",
				"wasi:io/error@0.2.0: instance { error: resource }",
				"wasi:io/streams@0.2.0: instance { output-stream: resource, error: resource, " +
					"stream-error: type variant { last-operation-failed(own<error>), closed }, input-stream: resource, " +
					"[method]output-stream.check-write: func(self: borrow<output-stream>) -> result<u64, variant { last-operation-failed(own<error>), closed }>, ...",
				"wasi:cli/stdin@0.2.0: instance { input-stream: resource, get-stdin: func() -> own<input-stream> }",
				"wasi:cli/stdout@0.2.0: instance { output-stream: resource, get-stdout: func() -> own<output-stream> }",
				"wasi:cli/stderr@0.2.0: instance { output-stream: resource, get-stderr: func() -> own<output-stream> }",
				"wasi:clocks/wall-clock@0.2.0: instance { datetime: type record { seconds: u64, nanoseconds: u32 } }",
				"wasi:filesystem/types@0.2.0: instance { descriptor: resource, filesize: type u64, output-stream: resource, error-code: type enum { access, ...",
				"wasi:filesystem/preopens@0.2.0: instance { descriptor: resource, get-directories: func() -> list<tuple<own<descriptor>, string>> }",
			},
			[]string{
				"test-imports: func()",
				"allocated-bytes: func() -> u32",
				"test:lists/test: instance { empty-list-param: func(a: list<u8>), empty-string-param: func(a: string), " +
					"empty-list-result: func() -> list<u8>, empty-string-result: func() -> string, list-param: func(a: list<u8>), " +
					"list-param2: func(a: string), list-param3: func(a: list<string>), list-param4: func(a: list<list<string>>), " +
					"list-param5: func(a: list<tuple<u8, u32, u8>>), list-param-large: func(a: list<string>), " +
					"list-result: func() -> list<u8>, list-result2: func() -> string, list-result3: func() -> list<string>, " +
					"list-minmax8: func(a: list<u8>, b: list<s8>) -> tuple<list<u8>, list<s8>>, " +
					"list-minmax16: func(a: list<u16>, b: list<s16>) -> tuple<list<u16>, list<s16>>, " +
					"list-minmax32: func(a: list<u32>, b: list<s32>) -> tuple<list<u32>, list<s32>>, " +
					"list-minmax64: func(a: list<u64>, b: list<s64>) -> tuple<list<u64>, list<s64>>, " +
					"list-minmax-float: func(a: list<f32>, b: list<f64>) -> tuple<list<f32>, list<f64>>, " +
					"list-roundtrip: func(a: list<u8>) -> list<u8>, string-roundtrip: func(a: string) -> string }",
			}},
		{"runtime/resources.component.wasm",
			[]string{
				"imports: instance { y: resource, [constructor]y: func(a: s32) -> own<y>, [method]y.get-a: func(self: borrow<y>) -> s32, " +
					"[method]y.set-a: func(self: borrow<y>, a: s32), [static]y.add: func(y: own<y>, a: s32) -> own<y> }",
				"wasi:io/error@0.2.0: ...", "wasi:io/streams@0.2.0: ...",
				"wasi:cli/stdin@0.2.0: ...", "wasi:cli/stdout@0.2.0: ...", "wasi:cli/stderr@0.2.0: ...",
				"wasi:clocks/wall-clock@0.2.0: ...", "wasi:filesystem/types@0.2.0: ...", "wasi:filesystem/preopens@0.2.0: ...",
			},
			[]string{
				"exports: instance { x: resource, z: resource, kebab-case: resource, [constructor]x: func(a: s32) -> own<x>, " +
					"[method]x.get-a: func(self: borrow<x>) -> s32, [method]x.set-a: func(self: borrow<x>, a: s32), " +
					"[static]x.add: func(x: own<x>, a: s32) -> own<x>, [constructor]z: func(a: s32) -> own<z>, " +
					"[method]z.get-a: func(self: borrow<z>) -> s32, [static]z.num-dropped: func() -> u32, " +
					"[constructor]kebab-case: func(a: u32) -> own<kebab-case>, [method]kebab-case.get-a: func(self: borrow<kebab-case>) -> u32, " +
					"[static]kebab-case.take-owned: func(k: own<kebab-case>) -> u32, add: func(a: borrow<z>, b: borrow<z>) -> own<z>, " +
					"consume: func(x: own<x>), test-imports: func() -> result<_, string> }",
			}},
		{"runtime/flavorful.component.wasm", nil, []string{
			"test-imports: func()",
			"test:flavorful/test: instance { list-in-record1: type record { a: string }, list-in-record2: type record { a: string }, " +
				"list-in-record3: type record { a: string }, list-in-record4: type record { a: string }, list-in-alias: type record { a: string }, " +
				"list-in-variant1-v1: type option<string>, list-in-variant1-v2: type result<_, string>, list-in-variant2: type option<string>, " +
				"list-in-variant3: type option<string>, my-errno: type enum { success, a, b }, list-typedef: type string, " +
				"list-typedef2: type list<u8>, list-typedef3: type list<string>, f-list-in-record1: func(a: record { a: string }), " +
				"f-list-in-record2: func() -> record { a: string }, f-list-in-record3: func(a: record { a: string }) -> record { a: string }, " +
				"f-list-in-record4: func(a: record { a: string }) -> record { a: string }, " +
				"f-list-in-variant1: func(a: option<string>, b: result<_, string>), f-list-in-variant2: func() -> option<string>, " +
				"f-list-in-variant3: func(a: option<string>) -> option<string>, errno-result: func() -> result<_, enum { success, a, b }>, " +
				"list-typedefs: func(a: string, c: list<string>) -> tuple<list<u8>, list<string>>, " +
				"list-of-variants: func(a: list<bool>, b: list<result>, c: list<enum { success, a, b }>) -> " +
				"tuple<list<bool>, list<result>, list<enum { success, a, b }>> }",
		}},
		// Nested components: the exported interface is an export of an
		// instance of a component defined inside.
		{"runtime/simple-nested.component.wasm",
			[]string{"calvinrp:test-async-funcs/hello@0.1.0: instance { hello-world: func() -> string }"},
			[]string{"calvinrp:test-async-funcs/hello@0.1.0: instance { hello-world: func() -> string }"}},
		{"composed/simple-nested-optimized.component.wasm",
			[]string{"calvinrp:test-async-funcs/hello@0.1.0: instance { hello-world: func() -> string }"},
			[]string{"calvinrp:test-async-funcs/hello@0.1.0: instance { hello-world: func() -> string }"}},
		// The exported interface with a resource comes from an instance of
		// a nested component that receives the resource defined outside.
		{"runtime/resource_floats.component.wasm",
			[]string{
				"test:resource-floats/test: instance { " + resFloat + " }",
				"imports: instance { " + resFloat + ", [static]float.add: func(a: own<float>, b: f64) -> own<float> }",
				"wasi:cli/environment@0.2.0: ...", "wasi:cli/exit@0.2.0: ...", "wasi:io/error@0.2.0: ...", "wasi:io/streams@0.2.0: ...",
				"wasi:cli/stdin@0.2.0: ...", "wasi:cli/stdout@0.2.0: ...", "wasi:cli/stderr@0.2.0: ...",
				"wasi:clocks/wall-clock@0.2.0: ...", "wasi:filesystem/types@0.2.0: ...", "wasi:filesystem/preopens@0.2.0: ...",
				"float: resource",
			},
			[]string{
				"add: func(a: borrow<float>, b: borrow<float>) -> own<float>",
				"exports: instance { " + resFloat + ", [static]float.add: func(a: own<float>, b: f64) -> own<float> }",
			}},
		{"runtime/resource_alias.component.wasm", nil, []string{
			"test:resource-alias/e1: instance { x: resource, foo: type record { x: own<x> }, [constructor]x: func(v: u32) -> own<x>, " +
				"a: func(f: record { x: own<x> }) -> list<own<x>> }",
			"test:resource-alias/e2: instance { y: resource, bar: type record { x: own<x> }, foo: type record { x: own<x> }, " +
				"a: func(f: record { x: own<x> }, g: record { x: own<x> }, h: borrow<x>) -> list<own<x>> }",
		}},
	}
	check := func(t *testing.T, what string, got, want []string) {
		t.Helper()
		ok := len(got) == len(want)
		for i := 0; ok && i < len(want); i++ {
			if p, prefix := strings.CutSuffix(want[i], "..."); prefix {
				ok = strings.HasPrefix(got[i], p)
			} else {
				ok = got[i] == want[i]
			}
		}
		if !ok {
			short := make([]string, len(got))
			for i, g := range got {
				short[i] = g
				if len(g) > 300 {
					short[i] = g[:300] + "..."
				}
			}
			t.Errorf("%s:\n\t%s\nwant\n\t%s", what, strings.Join(short, "\n\t"), strings.Join(want, "\n\t"))
		}
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			c := loadJcoFixture(t, tt.fixture)
			if tt.imports != nil {
				check(t, "imports", describeImports(t, c), tt.imports)
			}
			check(t, "exports", describeExports(t, c), tt.exports)
		})
	}
}

// TestComponentTypeIdentity checks that the resources in the exported
// types are the component's own: in resource_floats, the exported
// interface's float (defined by the component, passed to the nested
// component that builds the interface) is the resource its functions
// take and return, and the top-level add takes the imported float.
func TestComponentTypeIdentity(t *testing.T) {
	c := loadJcoFixture(t, "runtime/resource_floats.component.wasm")
	ct, err := c.Type()
	if err != nil {
		t.Fatal(err)
	}
	imported, _ := ct.Imports["float"].TypeVal.(*ResourceType)
	if imported == nil || !imported.abstract || imported.Name != "float" {
		t.Fatalf("import float is %#v, want an abstract resource", ct.Imports["float"].TypeVal)
	}
	if !slices.Equal(ct.ExportNames, []string{"add", "exports"}) || ct.Exports["exports"].Instance == nil {
		t.Fatalf("exports %v", ct.ExportNames)
	}
	for _, p := range ct.Exports["add"].Func.Params {
		if p.Type.Resource != imported {
			t.Errorf("add: parameter %s is a handle to %p, want the imported float %p", p.Name, p.Type.Resource, imported)
		}
	}
	it := ct.Exports["exports"].Instance
	float, _ := it.Exports["float"].TypeVal.(*ResourceType)
	if float == nil || float == imported || float.abstract {
		t.Fatalf("exports#float is %#v, want the resource the component defines", it.Exports["float"].TypeVal)
	}
	ctor := it.Exports["[constructor]float"].Func
	get := it.Exports["[method]float.get"].Func
	if ctor == nil || get == nil || ctor.Results[0].Type.Resource != float || get.Params[0].Type.Resource != float {
		t.Fatalf("exports#float's functions do not use exports#float: %v, %v", ctor, get)
	}
}

// staticNames flattens exports as (*Instance).Exports lists them: each
// name, and "iface#f" for each function f of an exported instance.
func staticNames(exps []ExportInfo) []string {
	var out []string
	for _, e := range exps {
		out = append(out, e.Name)
		if it := e.Desc.Instance; it != nil {
			for _, n := range it.Names {
				if it.Exports[n].Kind == ExternFunc {
					out = append(out, e.Name+"#"+n)
				}
			}
		}
	}
	return out
}

// checkKnown reports the parts of d that are not known statically: a
// function, instance, component or value without its type, a type export
// with no type, or a type with a part of unknown kind.
func checkKnown(d ExternDesc, where string, depth int) []string {
	if depth > 10 {
		return nil
	}
	var bad []string
	unknown := func(t *Type) bool { return hasUnknown(t, 0) }
	switch d.Kind {
	case ExternFunc:
		if d.Func == nil {
			return []string{where + ": function of unknown type"}
		}
		for _, p := range append(append([]Param(nil), d.Func.Params...), d.Func.Results...) {
			if unknown(p.Type) {
				bad = append(bad, where+": "+d.Func.String())
			}
		}
	case ExternInstance:
		if d.Instance == nil {
			return []string{where + ": instance of unknown type"}
		}
		for _, n := range d.Instance.Names {
			bad = append(bad, checkKnown(d.Instance.Exports[n], where+"#"+n, depth+1)...)
		}
	case ExternComponent:
		if d.Component == nil {
			return []string{where + ": component of unknown type"}
		}
	case ExternValue:
		if d.Value == nil || unknown(d.Value) {
			bad = append(bad, where+": "+d.String())
		}
	case ExternTypeBound:
		switch t := d.TypeVal.(type) {
		case *ResourceType, *FuncType, *InstanceType, *ComponentType:
		case *Type:
			if unknown(t) {
				bad = append(bad, where+": "+t.String())
			}
		default:
			bad = append(bad, where+": type not known")
		}
	}
	return bad
}

// resourcesIn adds to set the resources d exports (at any depth).
func resourcesIn(d ExternDesc, set map[*ResourceType]bool) {
	switch d.Kind {
	case ExternTypeBound:
		if r, ok := d.TypeVal.(*ResourceType); ok {
			set[r] = true
		}
	case ExternInstance:
		for _, e := range d.Instance.Exports {
			resourcesIn(e, set)
		}
	}
}

// handlesIn returns the resources of the handles in the function types
// of d (at any depth).
func handlesIn(d ExternDesc) []*ResourceType {
	var out []*ResourceType
	switch d.Kind {
	case ExternFunc:
		for _, p := range append(append([]Param(nil), d.Func.Params...), d.Func.Results...) {
			anyType(p.Type, func(t *Type) bool {
				if t.Kind == KindOwn || t.Kind == KindBorrow {
					out = append(out, t.Resource)
				}
				return false
			})
		}
	case ExternInstance:
		for _, e := range d.Instance.Exports {
			out = append(out, handlesIn(e)...)
		}
	}
	return out
}

// shape returns t in WIT syntax with the resources of handles written
// as numbers, given to resources in order of appearance by ids, so that
// two types with different resource names but corresponding resources
// have the same shape.
func shape(t *Type, ids map[*ResourceType]int) string {
	if t == nil {
		return "_"
	}
	s := t.Kind.String()
	switch t.Kind {
	case KindOwn, KindBorrow:
		return fmt.Sprintf("%s<#%d>", s, resID(t.Resource, ids))
	case KindFixedList:
		s += fmt.Sprint(t.Len)
	}
	var parts []string
	for _, f := range t.Fields {
		parts = append(parts, f.Name+": "+shape(f.Type, ids))
	}
	for _, c := range t.Cases {
		parts = append(parts, c.Name+"("+shape(c.Type, ids)+")")
	}
	parts = append(parts, t.Labels...)
	for _, e := range t.Types {
		parts = append(parts, shape(e, ids))
	}
	if t.Elem != nil || t.OK != nil || t.Err != nil {
		parts = append(parts, shape(t.Elem, ids), shape(t.OK, ids), shape(t.Err, ids))
	}
	return s + "<" + strings.Join(parts, ", ") + ">"
}

// resID returns the number of resource r in ids, adding it if new.
func resID(r *ResourceType, ids map[*ResourceType]int) int {
	id, ok := ids[r]
	if !ok {
		id = len(ids)
		ids[r] = id
	}
	return id
}

// funcShape is shape for a function type.
func funcShape(f *FuncType, ids map[*ResourceType]int) string {
	var s []string
	for _, p := range f.Params {
		s = append(s, p.Name+": "+shape(p.Type, ids))
	}
	s = append(s, "->")
	for _, p := range f.Results {
		s = append(s, p.Name+": "+shape(p.Type, ids))
	}
	return strings.Join(s, " ")
}

// staticShapes describes each export of d named name (and each export
// of an instance, as name#export), with shape and the resource numbers
// of ids.
func staticShapes(name string, d ExternDesc, ids map[*ResourceType]int) []string {
	switch d.Kind {
	case ExternFunc:
		return []string{name + ": " + funcShape(d.Func, ids)}
	case ExternInstance:
		out := []string{name + ": instance"}
		for _, n := range d.Instance.Names {
			out = append(out, staticShapes(name+"#"+n, d.Instance.Exports[n], ids)...)
		}
		return out
	case ExternTypeBound:
		switch t := d.TypeVal.(type) {
		case *ResourceType:
			return []string{fmt.Sprintf("%s: resource #%d", name, resID(t, ids))}
		case *Type:
			return []string{name + ": type " + shape(t, ids)}
		}
	}
	return []string{name + ": other"}
}

// runtimeShapes is staticShapes for an export x of an instance.
func runtimeShapes(name string, x any, ids map[*ResourceType]int) []string {
	switch x := x.(type) {
	case *Func:
		return []string{name + ": " + funcShape(x.Type(), ids)}
	case *Instance:
		out := []string{name + ": instance"}
		for _, n := range x.names {
			out = append(out, runtimeShapes(name+"#"+n, x.exports[n], ids)...)
		}
		return out
	case *ResourceType:
		return []string{fmt.Sprintf("%s: resource #%d", name, resID(x, ids))}
	case *Type:
		return []string{name + ": type " + shape(x, ids)}
	}
	return []string{name + ": other"}
}

// TestExportsMatchInstance checks, for every jco runtime and composed
// fixture, that Type succeeds with every type known, that the resources
// of the exported functions are resources the component imports or
// exports (none of a nested component's own imports), and that the
// exports are those the instance has after instantiation: the same names
// as Instance.Exports lists, the same kinds, and the same types, with
// resources in correspondence (names aside: the instance may name a
// resource differently).
func TestExportsMatchInstance(t *testing.T) {
	var files []string
	for _, dir := range []string{"runtime", "composed"} {
		m, _ := filepath.Glob(filepath.Join(sharedDir(t), "components/jco-fixtures", dir, "*.wasm"))
		for _, f := range m {
			files = append(files, filepath.Join(dir, filepath.Base(f)))
		}
	}
	if len(files) == 0 {
		t.Skip("no jco fixtures")
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			t.Parallel()
			c := loadJcoFixture(t, f)
			ct, err := c.Type()
			if err != nil {
				t.Fatal(err)
			}
			exps, err := c.Exports()
			if err != nil {
				t.Fatal(err)
			}
			visible := map[*ResourceType]bool{}
			for _, n := range ct.ImportNames {
				if bad := checkKnown(ct.Imports[n], "import "+n, 0); bad != nil {
					t.Errorf("not known statically: %v", bad)
				}
				resourcesIn(ct.Imports[n], visible)
			}
			exps = nil // the exports of ct, whose resources are those of its imports
			for _, n := range ct.ExportNames {
				exps = append(exps, ExportInfo{n, ct.Exports[n]})
			}
			for _, e := range exps {
				if bad := checkKnown(e.Desc, "export "+e.Name, 0); bad != nil {
					t.Errorf("not known statically: %v", bad)
				}
				resourcesIn(e.Desc, visible)
			}
			for _, e := range exps {
				for _, r := range handlesIn(e.Desc) {
					if !visible[r] {
						t.Errorf("export %s: a function uses resource %q (%p), neither imported nor exported", e.Name, r.Name, r)
					}
				}
			}
			inst, err := stdioLinker(t, "0.2.0").Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := staticNames(exps), inst.Exports(); !slices.Equal(got, want) {
				t.Fatalf("Exports() names %v, instance exports %v", got, want)
			}
			sids, rids := map[*ResourceType]int{}, map[*ResourceType]int{}
			var static, live []string
			for _, e := range exps {
				static = append(static, staticShapes(e.Name, e.Desc, sids)...)
				live = append(live, runtimeShapes(e.Name, inst.exports[e.Name], rids)...)
			}
			funcs := 0
			for i := range max(len(static), len(live)) {
				if i >= len(static) || i >= len(live) || static[i] != live[i] {
					t.Fatalf("Exports():\n\t%s\ninstance:\n\t%s", strings.Join(static, "\n\t"), strings.Join(live, "\n\t"))
				}
				if strings.Contains(static[i], "->") {
					funcs++
				}
			}
			t.Logf("%d exports, %d functions", len(exps), funcs)
		})
	}
}

// nestedWAT is the source of nestedHex (made with jco parse): a
// component that instantiates a component it defines and one it imports,
// passing its imported resource r, and exports the instances, the
// component, and a type aliased from an instance.
//
//	(component
//	  (type $point (record (field "x" s32) (field "y" s32)))
//	  (import "r" (type $r (sub resource)))
//	  (import "make" (component $maker
//	    (import "in" (type $in (sub resource)))
//	    (export "get" (func (param "p" (borrow $in)) (result u32)))))
//	  (component $inner
//	    (import "res" (type $res (sub resource)))
//	    (alias outer 1 $point (type $pt))
//	    (import "f" (func $f (param "h" (own $res)) (result $pt)))
//	    (export $pt2 "point" (type $pt))
//	    (export "res2" (type $res))
//	    (export "g" (func $f) (func (param "h" (own $res)) (result $pt2)))
//	    (core module $m)
//	    (export "m" (core module $m)))
//	  (import "f" (func $f (param "h" (own $r)) (result $point)))
//	  (instance $i (instantiate $inner (with "res" (type $r)) (with "f" (func $f))))
//	  (instance $j (instantiate $maker (with "in" (type $r))))
//	  (export "i" (instance $i))
//	  (export "j" (instance $j))
//	  (export "inner" (component $inner))
//	  (alias export $i "point" (type $p))
//	  (export "p" (type $p))
//	)
const nestedHex = "0061736d0d000100070901720201787a01797a0a06010001720301071d014104030002696e030101" +
	"6800014001017001007904000367657401020a090100046d616b65040204b3010061736d0d000100" +
	"0a08010003726573030106050103020100070a026900400101680200010a060100016601030b1402" +
	"0005706f696e74030100000472657332030000070a026900400101680600040b0901000167010001" +
	"010701130061736d010000000009046e616d650002016d0b080100016d0011000000380e636f6d70" +
	"6f6e656e742d6e616d65000605696e6e6572010600110100016d0105010100016601100303000372" +
	"6573010270740403707432070a026901400101680300000a06010001660104051602000102037265" +
	"7303010166010000000102696e03010b170300016905000000016a0501000005696e6e6572040100" +
	"060a0103000005706f696e740b070100017003050000430e636f6d706f6e656e742d6e616d650105" +
	"0101000166010f03030005706f696e740101720501700110040200056d616b65720105696e6e6572" +
	"0108050200016901016a"

// TestNestedComponentTypes checks the exports of instances of a defined
// and of an imported component: their types (an outer alias inside the
// nested component resolved), the instantiation argument r substituted
// for the nested components' imported resources, and the exports of
// kind component, core module and type.
func TestNestedComponentTypes(t *testing.T) {
	b, err := hex.DecodeString(nestedHex)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := c.Type()
	if err != nil {
		t.Fatal(err)
	}
	const point = "record { x: s32, y: s32 }"
	want := []string{
		"i: instance { point: type " + point + ", res2: resource, g: func(h: own<r>) -> " + point + ", m: core module }",
		"j: instance { get: func(p: borrow<r>) -> u32 }",
		"inner: component { import res: resource, f: func(h: own<res>) -> " + point +
			"; export point: type " + point + ", res2: resource, g: func(h: own<res>) -> " + point + ", m: core module }",
		"p: type " + point,
	}
	var got []string
	for _, n := range ct.ExportNames {
		got = append(got, n+": "+ct.Exports[n].String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("exports:\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	r := ct.Imports["r"].TypeVal.(*ResourceType)
	i, j := ct.Exports["i"].Instance, ct.Exports["j"].Instance
	if i.Exports["res2"].TypeVal != r {
		t.Errorf("i#res2 is %p, want the argument r %p", i.Exports["res2"].TypeVal, r)
	}
	if h := i.Exports["g"].Func.Params[0].Type.Resource; h != r {
		t.Errorf("i#g takes a handle to %p, want r %p", h, r)
	}
	if h := j.Exports["get"].Func.Params[0].Type.Resource; h != r {
		t.Errorf("j#get takes a handle to %p, want r %p", h, r)
	}
	if p := ct.Exports["p"].TypeVal; p != i.Exports["point"].TypeVal {
		t.Errorf("p is not i#point")
	}
}

// TestInstantiateArgErrors checks that validation compares instantiation
// arguments with the imports of the instantiated component's type:
// kinds, function types, and resources as the other arguments bind them.
func TestInstantiateArgErrors(t *testing.T) {
	tests := []struct{ name, hex, want string }{
		// (import "r" (type $r (sub resource)))
		// (component $inner (import "f" (func $f)))
		// (instance (instantiate $inner (with "f" (type $r))))
		{"wrong kind", "0061736d0d0001000a0601000172030104370061736d0d000100070501400001000a060100016601" +
			"00001e0e636f6d706f6e656e742d6e616d65000605696e6e65720105010100016605080100000101" +
			"66030000210e636f6d706f6e656e742d6e616d6501050301000172010904010005696e6e6572",
			`instantiation argument "f": want a function, got a type`},
		// (import "c" (component $c (import "f" (func))))
		// (instance (instantiate $c))
		{"missing argument of an imported component", "0061736d0d000100070e01410201400001000300016601000a060100016304000504010000000016" +
			"0e636f6d706f6e656e742d6e616d6501050401000163",
			`missing instantiation argument "f"`},
		// (import "g" (func $g (param "x" string)))
		// (component $inner (import "f" (func (param "x" u32))))
		// (instance (instantiate $inner (with "f" (func $g))))
		{"function type", "0061736d0d000100070801400101787301000a0601000167010004330061736d0d00010007080140" +
			"0101787901000a0601000166010000170e636f6d706f6e656e742d6e616d65000605696e6e657205" +
			"08010000010166010000210e636f6d706f6e656e742d6e616d650105010100016701090401000569" +
			"6e6e6572",
			`instantiation argument "f": parameter 0: type mismatch: want u32, have string`},
		// (type $r1 (resource (rep i32)))
		// (type $r2 (resource (rep i32)))
		// (core module $m (func (export "f") (param i32)))
		// (core instance $i (instantiate $m))
		// (func $f (param "x" (own $r2)) (canon lift (core func $i "f")))
		// (component $inner
		//   (import "a" (type $a (sub resource)))
		//   (import "f" (func (param "x" (own $a)))))
		// (instance (instantiate $inner (with "a" (type $r1)) (with "f" (func $f))))
		{"resource bound by another argument", "0061736d0d0001000707023f7f003f7f00012b0061736d0100000001050160017f00030201000705" +
			"01016600000a040102000b0009046e616d650002016d020401000000070a02690140010178020100" +
			"060701000001000166080601000000000304440061736d0d0001000a06010001610301070a026900" +
			"400101780101000a06010001660102001e0e636f6d706f6e656e742d6e616d65000605696e6e6572" +
			"01050301000161050c010000020161030001660100003d0e636f6d706f6e656e742d6e616d650106" +
			"00110100016d010600120100016901050101000166010a0302000272310102723201090401000569" +
			"6e6e6572",
			`instantiation argument "f": parameter 0: type mismatch`},
		// The same with (with "a" (type $r2)).
		{"resource ok", "0061736d0d0001000707023f7f003f7f00012b0061736d0100000001050160017f00030201000705" +
			"01016600000a040102000b0009046e616d650002016d020401000000070a02690140010178020100" +
			"060701000001000166080601000000000304440061736d0d0001000a06010001610301070a026900" +
			"400101780101000a06010001660102001e0e636f6d706f6e656e742d6e616d65000605696e6e6572" +
			"01050301000161050c010000020161030101660100003d0e636f6d706f6e656e742d6e616d650106" +
			"00110100016d010600120100016901050101000166010a0302000272310102723201090401000569" +
			"6e6e6572", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := hex.DecodeString(tt.hex)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if _, err := c.Exports(); err != nil {
					t.Fatal(err)
				}
			} else {
				if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("Validate: got %v, want an error containing %q", err, tt.want)
				}
				if _, err := c.Exports(); err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("Exports: got %v, want an error containing %q", err, tt.want)
				}
			}
			if strings.HasPrefix(tt.name, "resource") {
				// Instantiate (which does not validate) agrees.
				_, err := NewLinker().Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
				if (err == nil) != (tt.want == "") {
					t.Errorf("Instantiate: %v", err)
				}
			}
		})
	}
}

// TestTypeAllComponents checks that Type succeeds, with every type known,
// for every component of the shared test data (jco fixtures and commands,
// wasi-testsuite's wasip3 programs).
func TestTypeAllComponents(t *testing.T) {
	for _, f := range componentFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !IsComponent(b) {
				t.Skip("not a component")
			}
			c, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			ct, err := c.Type()
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range ct.ImportNames {
				if bad := checkKnown(ct.Imports[name], "import "+name, 0); bad != nil {
					t.Errorf("not known statically: %v", bad)
				}
			}
			for _, name := range ct.ExportNames {
				if bad := checkKnown(ct.Exports[name], "export "+name, 0); bad != nil {
					t.Errorf("not known statically: %v", bad)
				}
			}
		})
	}
}

// TestValueTypes checks the types of value imports and exports (start.wasm
// with the value import "base" and a value definition inserted, see
// TestStartFunction): the exported value sum is the start function's
// result, and a malformed value definition is invalid.
func TestValueTypes(t *testing.T) {
	c := loadTestComponent(t, "start/start.wasm", withValueSection(2))
	var got []string
	for _, s := range describeImports(t, c) {
		got = append(got, "import "+s)
	}
	for _, s := range describeExports(t, c) {
		got = append(got, "export "+s)
	}
	want := []string{"import log: func(x: u32)", "import base: value u32", "export sum: value u32"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	b, err := os.ReadFile(filepath.Join("..", "testdata", "components", "start", "start.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	bad, err := Decode(withValueSection(0x80)(b)) // a LEB128 with no end
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.Exports(); err == nil {
		t.Error("Exports of a component with a malformed value definition succeeded")
	}
}
