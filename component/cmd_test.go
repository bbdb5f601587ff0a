package component

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

func TestRunCommands(t *testing.T) {
	for _, tc := range []struct{ file, ver string }{
		{"composed/hello_stdout.component.wasm", "0.2.3"},
		{"composed/utf8-utf16.composed.wasm", "0.2.0"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(sharedDir(t), "components/jco-fixtures", tc.file))
			if err != nil {
				t.Skip(err)
			}
			c, err := Compile(context.Background(), b)
			if err != nil {
				t.Fatal(err)
			}
			l := stdioLinker(t, tc.ver)
			inst, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
			if err != nil {
				t.Fatal(err)
			}
			run := inst.Func("wasi:cli/run@0.2.0#run")
			if run == nil {
				run = inst.Func("wasi:cli/run@" + tc.ver + "#run")
			}
			res, err := run.Call(context.Background())
			t.Logf("run: %v %v", res, err)
		})
	}
}
