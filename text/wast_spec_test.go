package text

import (
	"github.com/gowasm/gowasm/wasm"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/gowasm/gowasm/internal/testenv"
)

// specFiles returns the .wast files of a spec test suite version, skipping
// the test when they are missing (failing under CI=true).
func specFiles(t testing.TB, version string) []string {
	dir := testenv.Require(t, filepath.Join("spec", version))
	files, _ := filepath.Glob(filepath.Join(dir, "*.wast"))
	if len(files) == 0 {
		t.Fatalf("no spec tests in %s", dir)
	}
	sort.Strings(files)
	return files
}

// TestSpecScripts parses every spec script and checks that every quoted
// module of an assert_malformed fails to parse while every other quoted
// module parses.
func TestSpecScripts(t *testing.T) {
	testSpecScripts(t, "wasm-2.0", Options{})
}

// TestSpecScripts3 does the same for the Wasm 3.0 spec tests.
func TestSpecScripts3(t *testing.T) {
	testSpecScripts(t, "wasm-3.0", Options{Features: wasm.Wasm3})
}

func testSpecScripts(t *testing.T, version string, opt Options) {
	files := specFiles(t, version)
	if opt.Features == wasm.Wasm3 {
		// legacy exception handling and custom-section annotations
		for _, sub := range []string{"legacy", "custom"} {
			more, _ := filepath.Glob(filepath.Join(testenv.SharedDir(), "spec", version, sub, "*.wast"))
			files = append(files, more...)
		}
	}
	var parsed, failed, malformed, rejected, valid, accepted, commands int
	var bytes int64
	var parseTime time.Duration
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		bytes += int64(len(src))
		name := filepath.Base(f)
		start := time.Now()
		s, err := ParseScriptOptions(src, name, opt)
		parseTime += time.Since(start)
		if err != nil {
			failed++
			t.Errorf("ParseScript: %v", err)
			continue
		}
		parsed++
		commands += len(s.Commands)
		for _, c := range s.Commands {
			if c.Module == nil || c.Module.Form != ModuleQuote {
				continue
			}
			_, err := ParseQuoteOptions(c.Module.Quote, name, opt)
			if c.Kind == CmdAssertMalformed {
				malformed++
				if err != nil {
					rejected++
				} else {
					t.Errorf("%s:%d: malformed quote module accepted (expected %q): %s", name, c.Pos.Line, c.Message, c.Module.Quote)
				}
			} else {
				valid++
				if err == nil {
					accepted++
				} else {
					t.Errorf("%s:%d: quote module rejected: %v", name, c.Pos.Line, err)
				}
			}
		}
	}
	t.Logf("%s: files parsed %d/%d (%d commands, %.1f MB in %v); malformed quotes rejected %d/%d; valid quotes accepted %d/%d",
		version, parsed, parsed+failed, commands, float64(bytes)/1e6, parseTime.Round(time.Millisecond), rejected, malformed, accepted, valid)
}

// BenchmarkParseSpecScripts parses the whole Wasm 2.0 spec test suite.
func BenchmarkParseSpecScripts(b *testing.B) {
	files := specFiles(b, "wasm-2.0")
	var srcs [][]byte
	var n int64
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
		n += int64(len(src))
	}
	b.SetBytes(n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, src := range srcs {
			if _, err := ParseScript(src, "bench.wast"); err != nil {
				b.Fatal(err)
			}
		}
	}
}
