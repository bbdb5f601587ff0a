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
// ($GOWASM_SHARED/spec/wasm-3.0/*.wast) with the Wasm 3.0 features, when
// GOWASM_SPEC3=1 (it is slow and not all of it passes yet). It logs the
// counts of each file and the total, and never fails on a failed
// command; with GOWASM_SPEC3_OUT=FILE it writes every failure there,
// one "file.wast:LINE  command: message" per line, sorted.
func TestSpecSuite3(t *testing.T) {
	if os.Getenv("GOWASM_SPEC3") != "1" {
		t.Skip("set GOWASM_SPEC3=1 to run the Wasm 3.0 suite")
	}
	root := testenv.SharedDir()
	files, _ := filepath.Glob(filepath.Join(root, "spec", "wasm-3.0", "*.wast"))
	if root == "" || len(files) == 0 {
		t.Skip("no Wasm 3.0 spec tests")
	}
	sort.Strings(files)
	var (
		mu      sync.Mutex
		results []fileResult
	)
	start := time.Now()
	t.Run("wasm-3.0", func(t *testing.T) {
		for _, path := range files {
			t.Run(filepath.Base(path), func(t *testing.T) {
				t.Parallel()
				r := runFileWith(path, wasm.Wasm3)
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
				c := r.sum.Total()
				if r.err != nil {
					c.Failed++
				}
				t.Logf("%s", c)
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
