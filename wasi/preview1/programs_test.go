package preview1_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/internal/wasitest"
	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasi/preview1"
)

// expectation is what testdata/wasi/build.sh recorded for a program
// under Node.js's node:wasi.
type expectation struct {
	Args     []string          `json:"args"`
	Env      map[string]string `json:"env"`
	Stdin    string            `json:"stdin"`
	ExitCode uint32            `json:"exit_code"`
	Stdout   string            `json:"stdout"`
	Stderr   string            `json:"stderr"`
	Files    map[string]string `json:"files"`
}

// TestPrograms runs real programs (C on wasi-libc, Go GOOS=wasip1) and
// checks stdout, stderr, exit status and the files they leave against the
// reference recorded under node:wasi.
func TestPrograms(t *testing.T) {
	for _, name := range []string{"cprog", "goprog"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("..", "..", "testdata", "wasi")
			var want expectation
			b, err := os.ReadFile(filepath.Join(dir, name+".expected.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			src, err := os.ReadFile(filepath.Join(dir, name+".wasm"))
			if err != nil {
				t.Fatal(err)
			}
			m, err := binary.Decode(src)
			if err != nil {
				t.Fatal(err)
			}
			cm, err := interp.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			data := t.TempDir()
			fsys, err := preview1.DirFS(data)
			if err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			cfg := preview1.Config{
				Args:     append([]string{name}, want.Args...),
				Stdin:    strings.NewReader(want.Stdin),
				Stdout:   &stdout,
				Stderr:   &stderr,
				Preopens: []preview1.Preopen{{GuestPath: "/data", FS: fsys}},
			}
			for k, v := range want.Env {
				cfg.Env = append(cfg.Env, k+"="+v)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			h := preview1.NewHost(cfg)
			defer h.Close()
			code, err := preview1.RunCommand(ctx, interp.NewStore(interp.Config{}), cm, h, nil)
			if err != nil {
				t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
			}
			if code != want.ExitCode {
				t.Errorf("exit code %d, want %d", code, want.ExitCode)
			}
			if diff := cmp.Diff(want.Stdout, stdout.String()); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want.Stderr, stderr.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want.Files, listFiles(t, data)); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
		})
	}
}

// listFiles returns the tree under dir as reference.mjs records it.
func listFiles(t *testing.T, dir string) map[string]string {
	out, err := wasitest.ListTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
