package preview2

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasi/preview1"
)

// programExpectation is what testdata/wasi/build.sh recorded for a
// preview1 program under Node.js's node:wasi (the same file the preview1
// tests read).
type programExpectation struct {
	Args     []string          `json:"args"`
	Env      map[string]string `json:"env"`
	Stdin    string            `json:"stdin"`
	ExitCode int               `json:"exit_code"`
	Stdout   string            `json:"stdout"`
	Stderr   string            `json:"stderr"`
	Files    map[string]string `json:"files"`
}

// TestProgramsP2 runs the programs of testdata/wasi (cprog.c on
// wasi-libc, goprog on Go's wasip1 port: arguments, environment, stdin,
// stdout, stderr, files and directories in the preopened /data, the
// sandbox, clocks and timers, the exit status), wrapped as WASIp2
// commands by the preview1 adapter (testdata/build.sh), with the preview2
// host, and checks stdout, stderr, the exit status and the files they
// leave against the node:wasi reference the preview1 test uses.
//
// One difference is expected: the programs exit with a status other than
// 0 or 1 (7 and 3), but the adapter turns proc_exit(n) for n != 0 into
// wasi:cli/exit.exit(err), so a WASIp2 host (wasmtime too) reports exit
// status 1.
func TestProgramsP2(t *testing.T) {
	for _, name := range []string{"cprog", "goprog"} {
		t.Run(name, func(t *testing.T) {
			var want programExpectation
			b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "wasi", name+".expected.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			src, err := os.ReadFile(filepath.Join("testdata", name+".component.wasm"))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			c, err := component.Compile(ctx, src)
			if err != nil {
				t.Fatal(err)
			}
			data := t.TempDir()
			fsys, err := preview1.DirFS(data)
			if err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			cfg := Config{
				Args:     append([]string{name}, want.Args...),
				Stdin:    strings.NewReader(want.Stdin),
				Stdout:   &stdout,
				Stderr:   &stderr,
				Preopens: []preview1.Preopen{{GuestPath: "/data", FS: fsys}},
			}
			for k, v := range want.Env {
				cfg.Env = append(cfg.Env, k+"="+v)
			}
			h := NewHost(cfg)
			defer h.Close()
			l := component.NewLinker()
			if err := h.Define(l); err != nil {
				t.Fatal(err)
			}
			inst, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
			if err != nil {
				t.Fatal(err)
			}
			code := 0
			if err := Run(ctx, inst); err != nil {
				var exit *ExitError
				if !errors.As(err, &exit) {
					t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
				}
				code = int(exit.Code)
			}
			wantCode := want.ExitCode
			if wantCode != 0 {
				wantCode = 1 // exit(err): see above
			}
			if code != wantCode {
				t.Errorf("exit code %d, want %d (node:wasi: %d)", code, wantCode, want.ExitCode)
			}
			if diff := cmp.Diff(want.Stdout, stdout.String()); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want.Stderr, stderr.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want.Files, listTree(t, data)); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
			if n := len(h.fs.files); n != 0 {
				// Every file descriptor and file stream was dropped.
				t.Errorf("%d host files left open", n)
			}
			if n := len(h.fs.descs); n > 1 {
				// The adapter keeps the preopen; every other descriptor must
				// have been dropped.
				t.Errorf("%d descriptors left open", n)
			}
		})
	}
}

// listTree returns the tree under dir as reference.mjs records it:
// directories as "path/" with "", files with their contents.
func listTree(t *testing.T, dir string) map[string]string {
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
