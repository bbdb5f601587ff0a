// Package wasitest holds what the WASI hosts' tests share: the
// wasi-testsuite's test specifications, the file-tree listing the
// real-program tests compare with their node:wasi reference, and the
// directory tree of the sandbox tests.
package wasitest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// SuiteSpec is the legacy JSON format of wasi-testsuite's wasip1 tests
// (doc/specification.md in the suite).
type SuiteSpec struct {
	Args     []string          `json:"args"`
	Env      map[string]string `json:"env"`
	Root     *string           `json:"root"`
	ExitCode int               `json:"exit_code"`
	Stdout   *string           `json:"stdout"`
	Stderr   *string           `json:"stderr"`
}

// ReadSuiteSpec reads the specification beside the test program wasmPath
// (NAME.json for NAME.wasm); a program without one has the zero
// specification.
func ReadSuiteSpec(wasmPath string) (SuiteSpec, error) {
	var spec SuiteSpec
	b, err := os.ReadFile(strings.TrimSuffix(wasmPath, ".wasm") + ".json")
	if errors.Is(err, fs.ErrNotExist) {
		return spec, nil
	}
	if err != nil {
		return spec, err
	}
	return spec, json.Unmarshal(b, &spec)
}

// Argv returns the program's arguments, its name first.
func (s SuiteSpec) Argv(wasmPath string) []string {
	return append([]string{filepath.Base(wasmPath)}, s.Args...)
}

// EnvList returns the environment as "NAME=VALUE", sorted by name.
func (s SuiteSpec) EnvList() []string {
	keys := make([]string, 0, len(s.Env))
	for k := range s.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + s.Env[k]
	}
	return out
}

// WritableRoot copies the specification's directory (relative to the
// program wasmPath) into dst with writable permissions, since the suite's
// directories are read-only data; it reports false when the
// specification has no directory.
func (s SuiteSpec) WritableRoot(wasmPath, dst string) (bool, error) {
	if s.Root == nil {
		return false, nil
	}
	if err := os.CopyFS(dst, os.DirFS(filepath.Join(filepath.Dir(wasmPath), *s.Root))); err != nil {
		return false, err
	}
	return true, filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if d.IsDir() {
			mode = 0o755
		}
		return os.Chmod(p, mode)
	})
}

// Check compares a run's exit code and output with the specification;
// output is compared only where the specification gives it.
func (s SuiteSpec) Check(code int, stdout, stderr string) error {
	var problems []string
	if code != s.ExitCode {
		problems = append(problems, fmt.Sprintf("exit code %d, want %d", code, s.ExitCode))
	}
	if s.Stdout != nil && stdout != *s.Stdout {
		problems = append(problems, fmt.Sprintf("stdout %q, want %q", stdout, *s.Stdout))
	}
	if s.Stderr != nil && stderr != *s.Stderr {
		problems = append(problems, fmt.Sprintf("stderr %q, want %q", stderr, *s.Stderr))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// ListTree returns the tree under dir as testdata/wasi/reference.mjs
// records it: directories as "path/" with "", files with their contents.
func ListTree(dir string) (map[string]string, error) {
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
	return out, err
}

// SandboxTree builds, under a new temporary directory top, a directory
// top/root to preopen and, beside it, a file top/secret that a guest must
// never reach. root holds a file "inside", a directory "dir", symbolic
// links out of it ("up" relative, "abs" absolute, the chain "hop1" →
// "hop2" → "dir/../up") and one that stays inside ("ok-link" → "inside").
// It returns top and root.
func SandboxTree(t testing.TB) (top, root string) {
	t.Helper()
	top = t.TempDir()
	root = filepath.Join(top, "root")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Mkdir(root, 0o755))
	must(os.WriteFile(filepath.Join(top, "secret"), []byte("secret"), 0o644))
	must(os.WriteFile(filepath.Join(root, "inside"), []byte("fine"), 0o644))
	must(os.Mkdir(filepath.Join(root, "dir"), 0o755))
	must(os.Symlink("../secret", filepath.Join(root, "up")))
	must(os.Symlink(filepath.Join(top, "secret"), filepath.Join(root, "abs")))
	must(os.Symlink("hop2", filepath.Join(root, "hop1")))
	must(os.Symlink("dir/../up", filepath.Join(root, "hop2")))
	must(os.Symlink("inside", filepath.Join(root, "ok-link")))
	return top, root
}
