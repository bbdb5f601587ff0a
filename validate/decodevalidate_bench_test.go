package validate

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gowasm/gowasm/binary"
)

// BenchmarkDecodeValidate decodes and validates the Go "hello world"
// module of testdata/go-hello (about 2.6 MB), the front half of
// compilation; the MB/s figure is module bytes per second.
func BenchmarkDecodeValidate(b *testing.B) {
	path := filepath.Join(repoRoot(b), "testdata", "go-hello", "hello.wasm")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("%s missing (built by testdata/go-hello/build.sh): %v", path, err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := binary.Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		if err := Module(m); err != nil {
			b.Fatal(err)
		}
	}
}
