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
		{"numbers.component.wasm", "test:numbers/test", map[string]string{"get-scalar": "0"}},
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
						case len(ft.Results) == len(ft.Params):
							return args, nil
						}
						w, ok := tt.returns[fn]
						if !ok {
							return nil, fmt.Errorf("no result for %s", fn)
						}
						v, err := ParseWAVE(ft.Results[0].Type, w)
						return []Val{v}, err
					})
				}
			}
			inst, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
			if err != nil {
				t.Fatal(err)
			}
			f := inst.Func("test-imports")
			if _, err := f.Call(context.Background()); err != nil {
				t.Fatalf("test-imports: %v\ncalls: %v", err, log)
			}
			t.Logf("%d host calls, e.g. %v", len(log), log[:min(len(log), 5)])
		})
	}
}
