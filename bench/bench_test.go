package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"strconv"
	"testing"
)

// small is the size scale the tests use.
const small = 0.05

func skipNA(tb testing.TB, err error) {
	tb.Helper()
	if errors.Is(err, ErrNotAvailable) {
		tb.Skipf("n/a: %v", err)
	}
}

// run compiles and runs w once under rt at size n.
func run(t *testing.T, rt Runtime, w Workload, n int) (uint64, error) {
	t.Helper()
	bin, err := w.Load()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Measure(context.Background(), rt, w, bin, n)
	return res.Checksum, err
}

// TestWorkloadsAgree checks that every runtime computes the same
// checksum as wazero's interpreter.
func TestWorkloadsAgree(t *testing.T) {
	for _, w := range Workloads {
		t.Run(w.Name, func(t *testing.T) {
			n := w.Size(small)
			want, err := run(t, WazeroInterp{}, w, n)
			if err != nil {
				t.Fatalf("wazero-interp: %v", err)
			}
			for _, rt := range Runtimes() {
				t.Run(rt.Name(), func(t *testing.T) {
					got, err := run(t, rt, w, n)
					skipNA(t, err)
					if err != nil {
						t.Fatal(err)
					}
					if got != want {
						t.Errorf("checksum %#x, wazero-interp says %#x", got, want)
					}
				})
			}
		})
	}
}

// xs32 mirrors the workloads' xorshift32 generator.
func xs32(s *uint32) uint32 {
	x := *s
	x ^= x << 13
	x ^= x >> 17
	x ^= x << 5
	*s = x
	return x
}

// TestReferences checks some workloads against Go implementations.
func TestReferences(t *testing.T) {
	fib := func(n int) uint64 {
		a, b := uint64(0), uint64(1)
		for range n {
			a, b = b, a+b
		}
		return a
	}
	sha := func(n int) uint64 {
		buf := make([]byte, 16*1024)
		s := uint32(0xC0FFEE)
		for i := range buf {
			buf[i] = byte(xs32(&s))
		}
		var d [32]byte
		for range n {
			d = sha256.Sum256(buf)
			copy(buf, d[:])
		}
		return binary.BigEndian.Uint64(d[:8])
	}
	tests := []struct {
		name string
		n    int
		want uint64
	}{
		{"fib", 20, fib(20)},
		{"fib", 25, fib(25)},
		{"sha256", 1, sha(1)},
		{"sha256", 3, sha(3)},
	}
	for _, tc := range tests {
		w, _ := Lookup(tc.name)
		for _, rt := range Runtimes() {
			t.Run(tc.name+"/"+strconv.Itoa(tc.n)+"/"+rt.Name(), func(t *testing.T) {
				got, err := run(t, rt, w, tc.n)
				skipNA(t, err)
				if err != nil {
					t.Fatal(err)
				}
				if got != tc.want {
					t.Errorf("got %#x, want %#x", got, tc.want)
				}
			})
		}
	}
}

// TestGoHello runs testdata/go-hello under every runtime that supports
// WASI preview 1.
func TestGoHello(t *testing.T) {
	path, err := HelloPath()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range Runtimes() {
		t.Run(rt.Name(), func(t *testing.T) {
			ctx := context.Background()
			c, err := rt.Compile(ctx, bin)
			skipNA(t, err)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close(ctx)
			var out bytes.Buffer
			err = c.RunWASI(ctx, []string{"hello"}, &out)
			skipNA(t, err)
			if err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != "hello, world\n" {
				t.Errorf("output %q", got)
			}
		})
	}
}

// BenchmarkWorkloads times one run of each workload at its default size
// (compiled and instantiated outside the timed loop; a WASI workload is
// instantiated, and so run, once per iteration).
func BenchmarkWorkloads(b *testing.B) {
	ctx := context.Background()
	for _, w := range Workloads {
		b.Run(w.Name, func(b *testing.B) {
			bin, err := w.Load()
			if err != nil {
				b.Fatal(err)
			}
			n := w.Size(1)
			for _, rt := range Runtimes() {
				b.Run(rt.Name(), func(b *testing.B) {
					c, err := rt.Compile(ctx, bin)
					skipNA(b, err)
					if err != nil {
						b.Fatal(err)
					}
					defer c.Close(ctx)
					if w.WASI {
						args := []string{w.Name, strconv.Itoa(n)}
						b.ResetTimer()
						for b.Loop() {
							err := c.RunWASI(ctx, args, io.Discard)
							skipNA(b, err)
							if err != nil {
								b.Fatal(err)
							}
						}
						return
					}
					inst, err := c.Instantiate(ctx)
					if err != nil {
						b.Fatal(err)
					}
					b.ResetTimer()
					for b.Loop() {
						if _, err := inst.Run(ctx, int32(n)); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkCompile times compiling (decoding, validating, translating)
// each workload and testdata/go-hello.
func BenchmarkCompile(b *testing.B) {
	ctx := context.Background()
	type mod struct {
		name string
		bin  []byte
	}
	var mods []mod
	for _, w := range Workloads {
		bin, err := w.Load()
		if err != nil {
			b.Fatal(err)
		}
		mods = append(mods, mod{w.Name, bin})
	}
	if path, err := HelloPath(); err == nil {
		if bin, err := os.ReadFile(path); err == nil {
			mods = append(mods, mod{"go-hello", bin})
		}
	}
	for _, m := range mods {
		b.Run(m.name, func(b *testing.B) {
			for _, rt := range Runtimes() {
				b.Run(rt.Name(), func(b *testing.B) {
					b.SetBytes(int64(len(m.bin)))
					for b.Loop() {
						c, err := rt.Compile(ctx, m.bin)
						skipNA(b, err)
						if err != nil {
							b.Fatal(err)
						}
						c.Close(ctx)
					}
				})
			}
		})
	}
}
