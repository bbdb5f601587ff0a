package preview2

import (
	"context"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/component"
)

// recorder is a linker that records the host's definitions so that tests
// call the host functions directly, the way the component runtime calls
// them after lifting the guest's arguments.
type recorder struct {
	funcs     map[string]recorded
	resources map[string]*component.ResourceType
}

// recorded is one recorded function.
type recorded struct {
	typ component.FuncType
	fn  component.HostFunc
}

func (r *recorder) DefineFunc(name string, typ component.FuncType, fn func(context.Context, []component.Val) ([]component.Val, error)) error {
	r.funcs[name] = recorded{typ, fn}
	return nil
}

func (r *recorder) DefineResource(name string, rt *component.ResourceType) { r.resources[name] = rt }

// testHost returns a host for cfg with its wasi:io, cli, clocks and
// random definitions recorded.
func testHost(t *testing.T, cfg Config) (*Host, *recorder) {
	t.Helper()
	h := NewHost(cfg)
	r := &recorder{funcs: map[string]recorded{}, resources: map[string]*component.ResourceType{}}
	for _, def := range []func(linker) error{h.defineIO, h.defineCLI, h.defineClocks, h.defineRandom} {
		if err := def(r); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { h.Close() })
	return h, r
}

// call calls the host function "iface#item" (the interface without
// version) with args and returns its single result (or the zero Val for
// none) and error. The number of arguments and results is checked
// against the function's type.
func (r *recorder) call(t *testing.T, ctx context.Context, name string, args ...component.Val) (component.Val, error) {
	t.Helper()
	iface, item, _ := strings.Cut(name, "#")
	f, ok := r.funcs[iface+"@"+Version+"#"+item]
	if !ok {
		t.Fatalf("%s not defined", name)
	}
	if len(args) != len(f.typ.Params) {
		t.Fatalf("%s: %d arguments, type %s", name, len(args), f.typ.String())
	}
	res, err := f.fn(ctx, args)
	if err != nil {
		return component.Val{}, err
	}
	if len(res) != len(f.typ.Results) {
		t.Fatalf("%s: %d results, type %s", name, len(res), f.typ.String())
	}
	if len(res) == 0 {
		return component.Val{}, nil
	}
	return res[0], nil
}

// must calls name and fails the test on an error.
func (r *recorder) must(t *testing.T, name string, args ...component.Val) component.Val {
	t.Helper()
	v, err := r.call(t, context.Background(), name, args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}
