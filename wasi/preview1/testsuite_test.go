package preview1_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/internal/testenv"
	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasi/preview1"
)

// testSpec is the legacy JSON format of wasi-testsuite's wasip1 tests
// (doc/specification.md in the suite).
type testSpec struct {
	Args     []string          `json:"args"`
	Env      map[string]string `json:"env"`
	Root     *string           `json:"root"`
	ExitCode uint32            `json:"exit_code"`
	Stdout   *string           `json:"stdout"`
	Stderr   *string           `json:"stderr"`
}

// knownFailures reads testdata/known_failures.txt: lines "suite/name  reason".
func knownFailures(t *testing.T) map[string]string {
	b, err := os.ReadFile("testdata/known_failures.txt")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, reason, _ := strings.Cut(line, " ")
		out[name] = strings.TrimSpace(reason)
	}
	return out
}

// TestWASITestsuite runs every wasip1 program of WebAssembly/wasi-testsuite
// as its JSON specification says and compares exit code, stdout and stderr.
func TestWASITestsuite(t *testing.T) {
	root := testenv.Require(t, "wasi-testsuite/tests")
	known := knownFailures(t)
	var passed, failed int
	var unexpected []string
	for _, lang := range []string{"assemblyscript", "c", "rust"} {
		dir := filepath.Join(root, lang, "testsuite", "wasm32-wasip1")
		wasms, _ := filepath.Glob(filepath.Join(dir, "*.wasm"))
		sort.Strings(wasms)
		for _, w := range wasms {
			name := lang + "/" + strings.TrimSuffix(filepath.Base(w), ".wasm")
			err := runOne(t, w)
			_, isKnown := known[name]
			switch {
			case err == nil && !isKnown:
				passed++
			case err == nil && isKnown:
				passed++
				unexpected = append(unexpected, name+": passes but is listed in known_failures.txt")
			case err != nil && isKnown:
				failed++
				t.Logf("%s: known failure (%s): %v", name, known[name], err)
			default:
				failed++
				unexpected = append(unexpected, name+": "+err.Error())
			}
		}
	}
	t.Logf("wasi-testsuite wasip1: %d passed, %d failed", passed, failed)
	for _, u := range unexpected {
		t.Error(u)
	}
}

func runOne(t *testing.T, wasmPath string) error {
	spec := testSpec{}
	if b, err := os.ReadFile(strings.TrimSuffix(wasmPath, ".wasm") + ".json"); err == nil {
		if err := json.Unmarshal(b, &spec); err != nil {
			return err
		}
	}
	src, err := os.ReadFile(wasmPath)
	if err != nil {
		return err
	}
	cfg := preview1.Config{Args: append([]string{filepath.Base(wasmPath)}, spec.Args...)}
	keys := make([]string, 0, len(spec.Env))
	for k := range spec.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cfg.Env = append(cfg.Env, k+"="+spec.Env[k])
	}
	var stdout, stderr bytes.Buffer
	cfg.Stdout, cfg.Stderr = &stdout, &stderr
	if spec.Root != nil {
		// The suite's directories are read-only data: give each test a
		// writable copy.
		tmp := t.TempDir()
		if err := os.CopyFS(tmp, os.DirFS(filepath.Join(filepath.Dir(wasmPath), *spec.Root))); err != nil {
			return err
		}
		if err := filepath.WalkDir(tmp, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			mode := os.FileMode(0o644)
			if d.IsDir() {
				mode = 0o755
			}
			return os.Chmod(p, mode)
		}); err != nil {
			return err
		}
		dfs, err := preview1.DirFS(tmp)
		if err != nil {
			return err
		}
		cfg.Preopens = []preview1.Preopen{{GuestPath: "/", FS: dfs}}
	}
	m, err := binary.Decode(src)
	if err != nil {
		return err
	}
	cm, err := interp.Compile(m)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h := preview1.NewHost(cfg)
	defer h.Close()
	code, err := preview1.RunCommand(ctx, interp.NewStore(interp.Config{}), cm, h, nil)
	if err != nil {
		msg, _, _ := strings.Cut(err.Error(), "\n")
		return fmt.Errorf("%s (stderr %q)", msg, stderr.String())
	}
	var problems []string
	if code != spec.ExitCode {
		problems = append(problems, fmt.Sprintf("exit code %d, want %d", code, spec.ExitCode))
	}
	// Output is compared only where the specification gives it.
	if spec.Stdout != nil && stdout.String() != *spec.Stdout {
		problems = append(problems, fmt.Sprintf("stdout %q, want %q", stdout.String(), *spec.Stdout))
	}
	if spec.Stderr != nil && stderr.String() != *spec.Stderr {
		problems = append(problems, fmt.Sprintf("stderr %q, want %q", stderr.String(), *spec.Stderr))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}
