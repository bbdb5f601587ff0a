package spectest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gowasm/gowasm/internal/testenv"
	"github.com/gowasm/gowasm/wasm"
)

// Upstream of the specification tests, from /work/shared/README-data.md.
const (
	upstreamRepo   = "WebAssembly/testsuite"
	upstreamCommit = "a8101597d3c3c660086c3cd1eedee608ff18d3c3"
)

// fileTimeout bounds one file of the suite.
const fileTimeout = 5 * time.Minute

// specFiles returns the .wast files of the Wasm 2.0 suite, skipping (or
// failing under CI=true) when they are missing.
func specFiles(t *testing.T) []string {
	root := testenv.SharedDir()
	dir := filepath.Join(root, "spec", "wasm-2.0")
	var files []string
	if root != "" {
		files, _ = filepath.Glob(filepath.Join(dir, "*.wast"))
	} else {
		dir = "../shared/spec/wasm-2.0 beside the repository"
	}
	if len(files) == 0 {
		msg := fmt.Sprintf("no spec tests in %s: fetch the top level of https://github.com/%s at commit %s "+
			"into $GOWASM_SHARED/spec/wasm-2.0 (default ../shared beside the repository)", dir, upstreamRepo, upstreamCommit)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	sort.Strings(files)
	return files
}

// knownLine matches a line of known_failures.txt.
var knownLine = regexp.MustCompile(`^(\S+\.wast):(\d+)(?:\s+(.*))?$`)

// readKnown reads known_failures.txt: "file.wast:LINE  reason" per line,
// blank lines and lines starting with # ignored.
func readKnown(t *testing.T) map[string]string {
	f, err := os.Open("known_failures.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	known := make(map[string]string)
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := knownLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("known_failures.txt:%d: want \"file.wast:LINE  reason\", got %q", n, line)
		}
		known[m[1]+":"+m[2]] = m[3]
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return known
}

// fileResult is the outcome of one file of the suite.
type fileResult struct {
	name string
	sum  Summary
	err  error // the file could not be read or parsed, or timed out
}

// runFile runs one file, giving up after fileTimeout (a hung engine
// goroutine is abandoned; the test binary ends without it).
func runFile(path string) fileResult { return runFileWith(path, 0) }

// runFileWith is runFile with the given features.
func runFileWith(path string, feat wasm.Features) fileResult {
	name := filepath.Base(path)
	ctx, cancel := context.WithTimeout(context.Background(), fileTimeout)
	defer cancel()
	done := make(chan fileResult, 1)
	go func() {
		sum, err := RunFile(ctx, path, Options{CommandTimeout: time.Minute, Features: feat})
		done <- fileResult{name: name, sum: sum, err: err}
	}()
	select {
	case r := <-done:
		return r
	case <-time.After(fileTimeout + 10*time.Second):
		return fileResult{name: name, err: errors.New("timed out")}
	}
}

// failureKeys returns the "file.wast:LINE" keys of a file's failures, with
// a message for each. A file that cannot be run counts as line 0.
func failureKeys(r fileResult) map[string]string {
	keys := make(map[string]string)
	if r.err != nil {
		keys[r.name+":0"] = "parse: " + r.err.Error()
	}
	for _, f := range r.sum.Failures {
		k := fmt.Sprintf("%s:%d", r.name, f.Pos.Line)
		if _, dup := keys[k]; !dup {
			keys[k] = f.Command + ": " + f.Message
		}
	}
	return keys
}

// TestSpecSuite runs every Wasm 2.0 spec test file, one parallel subtest
// per file (e.g. -run 'TestSpecSuite/wasm-2.0/i32.wast'), and fails when
// a file's failures differ from those known_failures.txt lists for it.
// With GOWASM_UPDATE_KNOWN=1 it rewrites the entries of the files it ran
// instead.
func TestSpecSuite(t *testing.T) {
	files := specFiles(t)
	known := readKnown(t)
	update := os.Getenv("GOWASM_UPDATE_KNOWN") == "1"

	var (
		mu      sync.Mutex
		results []fileResult
	)
	start := time.Now()
	t.Run("wasm-2.0", func(t *testing.T) {
		for _, path := range files {
			t.Run(filepath.Base(path), func(t *testing.T) {
				t.Parallel()
				r := runFile(path)
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
				c := r.sum.Total()
				if r.err != nil {
					c.Failed++
				}
				t.Logf("%s", c)
				if !update {
					checkKnown(t, r, known)
				}
			})
		}
	})

	var total Counts
	got := make(map[string]string)
	for _, r := range results {
		total.add(r.sum.Total())
		if r.err != nil {
			total.Failed++ // a file that could not be run
		}
		for k, v := range failureKeys(r) {
			got[k] = v
		}
	}
	t.Logf("total (%d files, %v): %s", len(results), time.Since(start).Round(time.Millisecond), total)

	if update {
		// Keep the entries of files that did not run (-run filter).
		ran := make(map[string]bool)
		for _, r := range results {
			ran[r.name] = true
		}
		for k, v := range known {
			if f, _ := splitKey(k); !ran[f] {
				got[k] = v
			}
		}
		writeKnown(t, got)
	}
}

// checkKnown reports the failures of r that known does not list, and the
// entries of known for r's file that no longer fail.
func checkKnown(t *testing.T, r fileResult, known map[string]string) {
	got := failureKeys(r)
	var unexpected, fixed []string
	for k, msg := range got {
		if _, ok := known[k]; !ok {
			unexpected = append(unexpected, k+": "+msg)
		}
	}
	for k := range known {
		if f, _ := splitKey(k); f != r.name {
			continue
		}
		if _, ok := got[k]; !ok {
			fixed = append(fixed, k)
		}
	}
	sortKeys(unexpected)
	sortKeys(fixed)
	const maxShown = 50
	for i, msg := range unexpected {
		if i == maxShown {
			t.Errorf("… and %d more unexpected failures", len(unexpected)-maxShown)
			break
		}
		t.Errorf("unexpected failure: %s", msg)
	}
	for _, k := range fixed {
		t.Errorf("%s passes now: remove it from known_failures.txt", k)
	}
	if len(unexpected)+len(fixed) > 0 {
		t.Logf("%d unexpected failures, %d known failures fixed; "+
			"GOWASM_UPDATE_KNOWN=1 go test ./spectest rewrites known_failures.txt", len(unexpected), len(fixed))
	}
}

// writeKnown rewrites known_failures.txt from the failures got.
func writeKnown(t *testing.T, got map[string]string) {
	keys := make([]string, 0, len(got))
	for k := range got {
		keys = append(keys, k)
	}
	sortKeys(keys)
	var b strings.Builder
	b.WriteString(knownHeader)
	for _, k := range keys {
		reason := strings.Join(strings.Fields(got[k]), " ")
		if r := []rune(reason); len(r) > 160 {
			reason = string(r[:160]) + "…"
		}
		fmt.Fprintf(&b, "%s  %s\n", k, reason)
	}
	if err := os.WriteFile("known_failures.txt", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d known failures", len(keys))
}

// knownHeader starts known_failures.txt.
const knownHeader = `# Spec-test commands expected to fail, one per line: "file.wast:LINE  reason".
# TestSpecSuite fails when the failures differ from this list.
# Regenerate with: GOWASM_UPDATE_KNOWN=1 go test ./spectest
`

// sortKeys sorts strings starting with "file.wast:LINE" by file, then
// line number.
func sortKeys(keys []string) {
	sort.Slice(keys, func(i, j int) bool {
		fi, li := splitKey(keys[i])
		fj, lj := splitKey(keys[j])
		if fi != fj {
			return fi < fj
		}
		return li < lj
	})
}

// splitKey splits "file.wast:LINE…" into the file and the line.
func splitKey(k string) (string, int) {
	i := strings.Index(k, ".wast:")
	if i < 0 {
		return k, 0
	}
	file, rest := k[:i+len(".wast")], k[i+len(".wast:"):]
	n := 0
	for _, c := range rest {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return file, n
}
