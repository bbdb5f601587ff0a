package validate

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gowasm/gowasm/binary"
)

// repoRoot returns the directory holding go.mod, walking up from the
// package directory.
func repoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found")
		}
		dir = parent
	}
}

// BenchmarkValidate validates the Go "hello world" module built into
// testdata/go-hello (about 2.5 MB); the MB/s figure is module bytes
// validated per second.
func BenchmarkValidate(b *testing.B) {
	path := filepath.Join(repoRoot(b), "testdata", "go-hello", "hello.wasm")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("%s missing (built by testdata/go-hello/build.sh): %v", path, err)
	}
	m, err := binary.Decode(data)
	if err != nil {
		b.Fatalf("decode: %v", err)
	}
	if err := Module(m); err != nil {
		b.Fatalf("validate: %v", err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Module(m); err != nil {
			b.Fatal(err)
		}
	}
}
