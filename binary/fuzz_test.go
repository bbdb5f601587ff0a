package binary

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
	"time"

	"github.com/gowasm/gowasm/internal/testenv"
)

// fuzzSeeds returns small spec test modules (valid and malformed) to seed
// the fuzzer, or nil when the spec tests are missing.
func fuzzSeeds() [][]byte {
	shared := testenv.SharedDir()
	if shared == "" {
		return nil
	}
	var seeds [][]byte
	for _, name := range []string{"binary.wast", "binary-leb128.wast", "custom.wast", "names.wast", "elem.wast", "data.wast"} {
		src, err := os.ReadFile(filepath.Join(shared, "spec", "wasm-3.0", name))
		if err != nil {
			continue
		}
		mods, err := binaryModules(name, src)
		if err != nil {
			continue
		}
		for _, m := range mods {
			if len(m.bytes) < 512 {
				seeds = append(seeds, m.bytes)
			}
		}
	}
	return seeds
}

// FuzzDecode checks that Decode never panics, and that what it accepts
// encodes back to an equivalent module with a stable encoding.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("\x00asm\x01\x00\x00\x00"))
	f.Add(mod(sec(1, "\x01\x60\x01\x7f\x01\x7f"), sec(3, "\x01\x00"), sec(10, "\x01\x07\x00\x20\x00\x41\x01\x6a\x0b")))
	f.Add(mod(sec(5, "\x01\x00\x01"), sec(12, "\x01"), sec(11, "\x01\x01\x02hi")))
	f.Add(mod(sec(0, "\x04name\x00\x02\x01M\x01\x04\x01\x00\x01f")))
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not a *Error: %v", err, err)
			}
			return
		}
		// Every body decodes instruction by instruction.
		for i := range m.Code {
			r := NewReader(m.Code[i].Body, m.Code[i].BodyOffset)
			for r.Len() > 0 {
				if _, err := ReadInstr(r); err != nil {
					t.Fatalf("function %d: %v", i, err)
				}
			}
		}
		b1, err := Encode(m)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		m2, err := Decode(b1)
		if err != nil {
			t.Fatalf("decode(encode): %v", err)
		}
		b2, err := Encode(m2)
		if err != nil {
			t.Fatalf("encode(decode(encode)): %v", err)
		}
		if !bytes.Equal(b1, b2) {
			t.Fatalf("unstable encoding:\n%x\n%x", b1, b2)
		}
		normalize(m)
		normalize(m2)
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("decode(encode(m)) != m:\n%+v\n%+v", m, m2)
		}
	})
}

// BenchmarkDecode decodes the Go "hello world" module built by
// testdata/go-hello/build.sh (about 2.6 MB).
func BenchmarkDecode(b *testing.B) {
	b.ReportAllocs()
	wasmFile := filepath.Join("..", "testdata", "go-hello", "hello.wasm")
	data, err := os.ReadFile(wasmFile)
	if err != nil {
		b.Skipf("%s not found (build it with testdata/go-hello/build.sh): %v", wasmFile, err)
	}
	b.SetBytes(int64(len(data)))
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu0, len(data))
}

// cpuTime returns the CPU time used by the process so far (user+system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the throughput per second of CPU time, which is
// meaningful on a loaded machine where wall-clock MB/s is not.
func reportCPU(b *testing.B, cpu0 time.Duration, size int) {
	if d := cpuTime() - cpu0; d > 0 && cpu0 > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/1e6/d.Seconds(), "MB/cpu-s")
	}
}

// BenchmarkEncode encodes the Go "hello world" module.
func BenchmarkEncode(b *testing.B) {
	b.ReportAllocs()
	wasmFile := filepath.Join("..", "testdata", "go-hello", "hello.wasm")
	data, err := os.ReadFile(wasmFile)
	if err != nil {
		b.Skipf("%s not found (build it with testdata/go-hello/build.sh): %v", wasmFile, err)
	}
	m, err := Decode(data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := Encode(m); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu0, len(data))
}

// FuzzReadInstr checks that ReadInstr never panics and that what it
// decodes encodes back to the same instruction.
func FuzzReadInstr(f *testing.F) {
	f.Add([]byte{0x0e, 0x02, 0x00, 0x01, 0x02})
	f.Add([]byte{0x28, 0x42, 0x01, 0x80, 0x80, 0x04})
	f.Add([]byte{0xfd, 0x0d, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add([]byte{0x1f, 0x40, 0x02, 0x00, 0x01, 0x02, 0x03, 0x00})
	f.Add([]byte{0xfb, 0x18, 0x03, 0x00, 0x6e, 0x01})
	f.Add([]byte{0x1c, 0x01, 0x63, 0x05})
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := ReadInstr(NewReader(b, 0))
		if err != nil {
			return
		}
		enc := AppendInstr(nil, &in)
		r := NewReader(enc, 0)
		in2, err := ReadInstr(r)
		if err != nil {
			t.Fatalf("%x re-encoded as %x: %v", b, enc, err)
		}
		if r.Len() != 0 {
			t.Fatalf("%x re-encoded as %x: %d bytes left", b, enc, r.Len())
		}
		if !reflect.DeepEqual(in, in2) {
			t.Fatalf("%x re-encoded as %x:\n%+v\n%+v", b, enc, in, in2)
		}
	})
}
