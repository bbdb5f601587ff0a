package component

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

// TestTestImports runs the "test-imports" export of fixtures whose
// imported test interface is implemented by generic host functions: a
// function whose results match its parameters echoes them; others
// return values from a table.
func TestTestImports(t *testing.T) {
	tests := []struct {
		fixture string
		iface   string
		returns map[string]string // function -> WAVE results
	}{
		{"numbers.component.wasm", "test:numbers/test", nil},
		{"strings.component.wasm", "test:strings/imports", map[string]string{"return-unicode": `"🚀🚀🚀 𠈄𓀀"`, "return-empty": `""`}},
		{"lists.component.wasm", "test:lists/test", map[string]string{"empty-list-result": "[]", "empty-string-result": `""`,
			"list-result": "[1, 2, 3, 4, 5]", "list-result2": `"hello!"`, "list-result3": `["hello,", "world!"]`}},
		{"records.component.wasm", "test:records/test", map[string]string{"multiple-results": "(4, 5)", "swap-tuple": "(2, 1)"}},
		{"options.component.wasm", "test:options/test", map[string]string{"option-none-result": "none", "option-some-result": `some("foo")`}},
		{"flavorful.component.wasm", "test:flavorful/test", map[string]string{
			"f-list-in-record2": `{a: "list_in_record2"}`, "f-list-in-record3": `{a: "list_in_record3 output"}`,
			"f-list-in-record4": `{a: "result4"}`, "f-list-in-variant2": `some("list_in_variant2")`,
			"f-list-in-variant3": `some("output3")`, "errno-result": "err(b);ok",
			"list-typedefs":    `([116, 121, 112, 101, 100, 101, 102, 51], ["typedef4"])`,
			"list-of-variants": "([false, true], [err, ok], [a, b])"}},
		{"many-arguments.component.wasm", "imports", nil},
		{"smoke.component.wasm", "test:smoke/imports", nil},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			c := loadFixture(t, tt.fixture)
			imps, err := c.Imports()
			if err != nil {
				t.Fatal(err)
			}
			l := stdioLinker(t, "0.2.0")
			var log []string
			calls := map[string]int{}
			scalar := U32(0)
			for _, im := range imps {
				if im.Name != tt.iface || im.Desc.Instance == nil {
					continue
				}
				for _, fn := range im.Desc.Instance.Names {
					d := im.Desc.Instance.Exports[fn]
					if d.Func == nil {
						continue
					}
					ft, fn := d.Func, fn
					l.DefineFunc(tt.iface+"#"+fn, *ft, func(_ context.Context, args []Val) ([]Val, error) {
						s := make([]string, len(args))
						for i, a := range args {
							s[i] = FormatWAVE(a)
						}
						log = append(log, fn+"("+strings.Join(s, ", ")+")")
						switch {
						case fn == "set-scalar":
							scalar = args[0]
							return nil, nil
						case fn == "get-scalar":
							return []Val{scalar}, nil
						case len(ft.Results) == 0:
							return nil, nil
						}
						if w, ok := tt.returns[fn]; ok {
							seq := strings.Split(w, ";")
							w = seq[min(calls[fn], len(seq)-1)]
							calls[fn]++
							out := make([]Val, len(ft.Results))
							for i, r := range ft.Results {
								v, err := ParseWAVE(r.Type, strings.Split(w, "|")[i])
								if err != nil {
									return nil, err
								}
								out[i] = v
							}
							return out, nil
						}
						if len(ft.Results) == len(ft.Params) {
							same := true
							for i := range ft.Params {
								same = same && typeMatches(ft.Params[i].Type, ft.Results[i].Type, 0)
							}
							if same {
								return args, nil
							}
						}
						if len(ft.Results) == 1 && ft.Results[0].Type.Kind == KindTuple && len(ft.Results[0].Type.Types) == len(ft.Params) {
							return []Val{Tuple(args...)}, nil
						}
						return nil, fmt.Errorf("no result for %s", fn)
					})
				}
			}
			inst, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
			if err != nil {
				t.Fatal(err)
			}
			f := inst.Func("test-imports")
			if f == nil {
				t.Skipf("no test-imports export in %v", inst.Exports())
			}
			if _, err := f.Call(context.Background()); err != nil {
				t.Fatalf("test-imports: %v\ncalls: %v", err, log)
			}
			t.Logf("%d host calls, e.g. %v", len(log), log[:min(len(log), 5)])
		})
	}
}

func TestManyArguments(t *testing.T) {
	for _, fx := range []string{"many-arguments.component.wasm", "many_arguments.component.wasm"} {
		t.Run(fx, func(t *testing.T) {
			c := loadFixture(t, fx)
			imps, err := c.Imports()
			if err != nil {
				t.Fatal(err)
			}
			var ft *FuncType
			for _, im := range imps {
				if im.Name == "imports" {
					ft = im.Desc.Instance.Exports["many-arguments"].Func
				}
			}
			if ft == nil || len(ft.Params) != 16 {
				t.Fatalf("imports#many-arguments: %v", ft)
			}
			var got []Val
			l := stdioLinker(t, "0.2.0")
			l.DefineFunc("imports#many-arguments", *ft, func(_ context.Context, args []Val) ([]Val, error) {
				got = args
				return nil, nil
			})
			inst, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
			if err != nil {
				t.Fatal(err)
			}
			f := inst.Func("many-arguments")
			args := make([]Val, 16)
			for i := range args {
				args[i] = U64(uint64(i + 1))
			}
			if _, err := f.Call(context.Background(), args...); err != nil {
				t.Fatal(err)
			}
			if len(got) != 16 || got[0].AsUint() != 1 || got[15].AsUint() != 16 {
				t.Fatalf("import received %v", got)
			}
		})
	}
}

// TestPassthrough calls exports that forward to imports implemented by
// the host, through nested components and adapters.
func TestPassthrough(t *testing.T) {
	tests := []struct {
		fixture, fn, call, host, want string
	}{
		{"simple-nested.component.wasm", "calvinrp:test-async-funcs/hello@0.1.0#hello-world", "f()", `"hi from Go"`, `"hi from Go"`},
		{"simple-nested-optimized.component.wasm", "calvinrp:test-async-funcs/hello@0.1.0#hello-world", "f()", `"hi"`, `"hi"`},
		{"results.component.wasm", "test:results/test#string-error", "f(0)", `err("zero")`, `err("zero")`},
		{"async_call.component.wasm", "something:test/test-interface#call-sync", "", `"from Go"`, ""},
		{"results.component.wasm", "test:results/test#string-error", "f(1.5)", `ok(1.5)`, `ok(1.5)`},
		{"results.component.wasm", "test:results/test#enum-error", "f(0)", `err(b)`, `err(b)`},
		{"results.component.wasm", "test:results/test#record-error", "f(0)", `err({line: 1, column: 2})`, `err({line: 1, column: 2})`},
		{"results.component.wasm", "test:results/test#variant-error", "f(0)", `err(e2({line: 3, column: 4}))`, `err(e2({line: 3, column: 4}))`},
		{"results.component.wasm", "test:results/test#empty-error", "f(0)", `err`, `err`},
		{"results.component.wasm", "test:results/test#double-error", "f(0)", `ok(err("x"))`, `ok(err("x"))`},
	}
	for _, tt := range tests {
		t.Run(tt.fn+"/"+tt.host, func(t *testing.T) {
			c := loadFixture(t, tt.fixture)
			imps, err := c.Imports()
			if err != nil {
				t.Fatal(err)
			}
			iface, fname, _ := strings.Cut(tt.fn, "#")
			l := stdioLinker(t, "0.2.0")
			var got []Val
			for _, im := range imps {
				if im.Name != iface {
					continue
				}
				for _, n := range im.Desc.Instance.Names {
					if n != fname && tt.call != "" {
						continue
					}
					ft := im.Desc.Instance.Exports[n].Func
					l.DefineFunc(iface+"#"+n, *ft, func(_ context.Context, args []Val) ([]Val, error) {
						got = args
						v, err := ParseWAVE(ft.Results[0].Type, tt.host)
						return []Val{v}, err
					})
				}
			}
			inst, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
			if err != nil {
				t.Fatal(err)
			}
			if tt.call == "" { // the import is reached through other exports
				for _, e := range []string{"run-sync", "run-async"} {
					res, err := inst.Func(e).Call(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					t.Logf("%s() = %v", e, res)
				}
				return
			}
			f := inst.Func(tt.fn)
			_, args, err := ParseWAVECall(f.Type(), tt.call)
			if err != nil {
				t.Fatal(err)
			}
			res, err := f.Call(context.Background(), args...)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 1 || FormatWAVE(res[0]) != tt.want {
				t.Fatalf("%s = %v, want %s", tt.call, res, tt.want)
			}
			if len(args) > 0 && (len(got) != len(args) || !got[0].Equal(args[0])) {
				t.Fatalf("host received %v, want %v", got, args)
			}
		})
	}
}

func TestNoReentry(t *testing.T) {
	c := loadFixture(t, "numbers.component.wasm")
	imps, err := c.Imports()
	if err != nil {
		t.Fatal(err)
	}
	var inst *Instance
	l := stdioLinker(t, "0.2.0")
	for _, im := range imps {
		if im.Name == "test:numbers/test" {
			ft := im.Desc.Instance.Exports["roundtrip-u8"].Func
			l.DefineFunc("test:numbers/test#roundtrip-u8", *ft, func(ctx context.Context, args []Val) ([]Val, error) {
				return inst.Func("test:numbers/test#roundtrip-u8").Call(ctx, args...)
			})
		}
	}
	inst, err = l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = inst.Func("test-imports").Call(context.Background())
	if err == nil || !strings.Contains(err.Error(), "cannot enter component instance") {
		t.Fatalf("got %v, want a re-entrance error", err)
	}
}
