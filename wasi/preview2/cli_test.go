package preview2

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gowasm/gowasm/component"
)

// TestEnvironment checks wasi:cli/environment, the std streams and the
// terminals.
func TestEnvironment(t *testing.T) {
	var stdout, stderr bytes.Buffer
	_, r := testHost(t, Config{
		Args:   []string{"app", "a b", ""},
		Env:    []string{"A=1", "B=x=y", "EMPTY=", "NOEQ"},
		Stdout: &stdout, Stderr: &stderr,
	})
	tests := []struct {
		fn   string
		want string
	}{
		{"wasi:cli/environment#get-arguments", `["app", "a b", ""]`},
		{"wasi:cli/environment#get-environment", `[("A", "1"), ("B", "x=y"), ("EMPTY", ""), ("NOEQ", "")]`},
		{"wasi:cli/environment#initial-cwd", `none`},
		{"wasi:cli/terminal-stdin#get-terminal-stdin", `none`},
		{"wasi:cli/terminal-stdout#get-terminal-stdout", `none`},
		{"wasi:cli/terminal-stderr#get-terminal-stderr", `none`},
	}
	for _, tt := range tests {
		if got := r.must(t, tt.fn).String(); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.fn, got, tt.want)
		}
	}
	for _, s := range []struct {
		fn  string
		buf *bytes.Buffer
	}{{"wasi:cli/stdout#get-stdout", &stdout}, {"wasi:cli/stderr#get-stderr", &stderr}} {
		out := r.must(t, s.fn)
		r.must(t, "wasi:io/streams#[method]output-stream.blocking-write-and-flush", out.Borrowed(), component.Bytes([]byte(s.fn)))
		if s.buf.String() != s.fn {
			t.Errorf("%s wrote %q", s.fn, s.buf.String())
		}
	}
	_, r = testHost(t, Config{InitialCwd: "/work"})
	if got := r.must(t, "wasi:cli/environment#initial-cwd").String(); got != `some("/work")` {
		t.Errorf("initial-cwd = %s", got)
	}
	// No stdin: closed at once. No stdout: discarded.
	in := r.must(t, "wasi:cli/stdin#get-stdin")
	if res := r.must(t, "wasi:io/streams#[method]input-stream.blocking-read", in.Borrowed(), component.U64(1)); streamErrCase(res) != "closed" {
		t.Errorf("read of no stdin = %v", res)
	}
	out := r.must(t, "wasi:cli/stdout#get-stdout")
	if res := r.must(t, "wasi:io/streams#[method]output-stream.write", out.Borrowed(), component.Bytes([]byte("x"))); res.IsErr() {
		t.Errorf("write to no stdout = %v", res)
	}
}

// TestExit checks that exit and exit-with-code unwind with an
// *ExitError carrying the status.
func TestExit(t *testing.T) {
	errV := component.Err(nil)
	tests := []struct {
		fn   string
		arg  component.Val
		code int
	}{
		{"wasi:cli/exit#exit", component.Ok(nil), 0},
		{"wasi:cli/exit#exit", errV, 1},
		{"wasi:cli/exit#exit-with-code", component.U8(0), 0},
		{"wasi:cli/exit#exit-with-code", component.U8(3), 3},
		{"wasi:cli/exit#exit-with-code", component.U8(255), 255},
	}
	for _, tt := range tests {
		_, r := testHost(t, Config{})
		_, err := r.call(t, context.Background(), tt.fn, tt.arg)
		var exit *ExitError
		if !errors.As(err, &exit) || exit.Code != tt.code {
			t.Errorf("%s(%v) = %v, want exit status %d", tt.fn, tt.arg, err, tt.code)
		}
	}
}

// TestClocks checks wasi:clocks.
func TestClocks(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 13, 0, 0, 123456789, time.UTC)
	_, r := testHost(t, Config{Now: func() time.Time { return fixed }})
	tests := []struct {
		fn   string
		want string
	}{
		{"wasi:clocks/wall-clock#now", `{seconds: 1795611600, nanoseconds: 123456789}`},
		{"wasi:clocks/wall-clock#resolution", `{seconds: 0, nanoseconds: 1}`},
		{"wasi:clocks/monotonic-clock#resolution", `1`},
	}
	for _, tt := range tests {
		if got := r.must(t, tt.fn).String(); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.fn, got, tt.want)
		}
	}
	_, r = testHost(t, Config{Now: func() time.Time { return time.Unix(-5, 0) }})
	if got := r.must(t, "wasi:clocks/wall-clock#now").String(); got != `{seconds: 0, nanoseconds: 0}` {
		t.Errorf("now before 1970 = %s", got)
	}
	a := r.must(t, "wasi:clocks/monotonic-clock#now").AsUint()
	time.Sleep(time.Millisecond)
	b := r.must(t, "wasi:clocks/monotonic-clock#now").AsUint()
	if b-a < uint64(time.Millisecond) || b < a {
		t.Errorf("monotonic now went from %d to %d over 1ms", a, b)
	}
	// An instant in the past is ready; one after now is not yet.
	past := r.must(t, "wasi:clocks/monotonic-clock#subscribe-instant", component.U64(b))
	later := r.must(t, "wasi:clocks/monotonic-clock#subscribe-instant", component.U64(b+uint64(time.Hour)))
	if !r.must(t, "wasi:io/poll#[method]pollable.ready", past.Borrowed()).AsBool() ||
		r.must(t, "wasi:io/poll#[method]pollable.ready", later.Borrowed()).AsBool() {
		t.Error("subscribe-instant readiness wrong")
	}
	start := time.Now()
	d := r.must(t, "wasi:clocks/monotonic-clock#subscribe-duration", component.U64(uint64(3*time.Millisecond)))
	r.must(t, "wasi:io/poll#[method]pollable.block", d.Borrowed())
	if el := time.Since(start); el < 3*time.Millisecond {
		t.Errorf("block on a 3ms duration returned after %v", el)
	}
}

// TestRandom checks wasi:random: the configured source, the cap on
// lengths, and a fixed insecure seed.
func TestRandom(t *testing.T) {
	src := bytes.NewReader([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28})
	_, r := testHost(t, Config{Random: src}) // the seed takes the first 16 bytes
	tests := []struct {
		fn   string
		args []component.Val
		want string
	}{
		{"wasi:random/random#get-random-bytes", []component.Val{component.U64(4)}, `[17, 18, 19, 20]`},
		{"wasi:random/random#get-random-u64", nil, `2025241152513840661`}, // 21..28 little-endian
		{"wasi:random/random#get-random-bytes", []component.Val{component.U64(0)}, `[]`},
		{"wasi:random/insecure-seed#insecure-seed", nil, `(578437695752307201, 1157159078456920585)`},
		{"wasi:random/insecure-seed#insecure-seed", nil, `(578437695752307201, 1157159078456920585)`},
	}
	for _, tt := range tests {
		if got := r.must(t, tt.fn, tt.args...).String(); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.fn, got, tt.want)
		}
	}
	// The source is exhausted: the failure is an error, not a panic.
	if _, err := r.call(t, context.Background(), "wasi:random/random#get-random-u64"); err == nil {
		t.Error("exhausted random source: no error")
	}
	_, r = testHost(t, Config{})
	for _, fn := range []string{"wasi:random/random#get-random-bytes", "wasi:random/insecure#get-insecure-random-bytes"} {
		if v := r.must(t, fn, component.U64(13)); len(v.Elems()) != 13 {
			t.Errorf("%s(13) = %v", fn, v)
		}
		for _, n := range []uint64{1<<64 - 1, maxRandom + 1} {
			if _, err := r.call(t, context.Background(), fn, component.U64(n)); err == nil {
				t.Errorf("%s(%d): no error", fn, n)
			}
		}
	}
	a := r.must(t, "wasi:random/insecure#get-insecure-random-u64").AsUint()
	b := r.must(t, "wasi:random/insecure#get-insecure-random-u64").AsUint()
	if a == b {
		t.Errorf("insecure u64 repeated %d", a)
	}
}
