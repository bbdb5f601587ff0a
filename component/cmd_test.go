package component

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

// TestRunCommands runs wasi:cli/run commands with the test host's
// standard streams; those needing more of WASI stop at the first
// undefined import.
func TestRunCommands(t *testing.T) {
	for _, tc := range []struct{ file, ver string }{
		{"composed/hello_stdout.component.wasm", "0.2.3"},
		{"composed/utf8-utf16.composed.wasm", "0.2.0"},
		{"commands/dir.virt.wasm", "0.2.0"},
		{"composed/stdout-pollable-hang.component.wasm", "0.2.3"},
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
			if err != nil && strings.Contains(err.Error(), "internal error") {
				t.Fatal(err)
			}
			if strings.Contains(tc.file, "hello_stdout") && (err != nil || len(res) != 1 || FormatWAVE(res[0]) != "ok") {
				t.Fatalf("run() = %v, %v; want ok", res, err)
			}
		})
	}
}
