package preview1_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/internal/testenv"
	"github.com/gowasm/gowasm/internal/wasitest"
	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasi/preview1"
)

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
	spec, err := wasitest.ReadSuiteSpec(wasmPath)
	if err != nil {
		return err
	}
	src, err := os.ReadFile(wasmPath)
	if err != nil {
		return err
	}
	cfg := preview1.Config{Args: spec.Argv(wasmPath), Env: spec.EnvList()}
	var stdout, stderr bytes.Buffer
	cfg.Stdout, cfg.Stderr = &stdout, &stderr
	tmp := t.TempDir()
	if ok, err := spec.WritableRoot(wasmPath, tmp); err != nil {
		return err
	} else if ok {
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
	return spec.Check(int(code), stdout.String(), stderr.String())
}
