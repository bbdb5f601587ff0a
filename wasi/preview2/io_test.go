package preview2

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gowasm/gowasm/component"
)

// okBytes returns the bytes of an ok(list<u8>) result.
func okBytes(t *testing.T, v component.Val) []byte {
	t.Helper()
	if v.Kind != component.KindResult || v.IsErr() {
		t.Fatalf("got %v, want ok(bytes)", v)
	}
	b, ok := v.Payload().AsBytes()
	if !ok {
		for _, e := range v.Payload().Elems() {
			b = append(b, byte(e.AsUint()))
		}
	}
	return b
}

// streamErrCase returns the case of an err(stream-error) result, or "ok".
func streamErrCase(v component.Val) string {
	if !v.IsErr() {
		return "ok"
	}
	return v.Payload().Case()
}

// TestInputStream reads from input streams over direct readers: reads
// are capped at 64 KiB whatever length the guest asks for, EOF becomes
// closed, and data read before an error comes first.
func TestInputStream(t *testing.T) {
	big := bytes.Repeat([]byte{'x'}, maxChunk+10)
	type step struct {
		fn   string // read, blocking-read, skip, blocking-skip
		len  uint64
		want string // data (or count for skips), or "closed" / "failed:<message>"
	}
	tests := []struct {
		name  string
		r     io.Reader
		steps []step
	}{
		{"hello", strings.NewReader("hello world"), []step{
			{"read", 5, "hello"}, {"skip", 1, "1"}, {"read", 0, ""},
			{"blocking-read", 1<<64 - 1, "world"}, {"read", 1, "closed"}, {"blocking-read", 1, "closed"}, {"skip", 1, "closed"},
		}},
		{"empty", strings.NewReader(""), []step{{"blocking-read", 10, "closed"}, {"read", 10, "closed"}}},
		{"capped read", bytes.NewReader(big), []step{
			{"read", 1<<64 - 1, string(big[:maxChunk])}, {"blocking-skip", 1<<64 - 1, "10"}, {"blocking-skip", 1, "closed"},
		}},
		{"error after data", io.MultiReader(strings.NewReader("ab"), iotestErrReader{errors.New("disk on fire")}), []step{
			{"read", 10, "ab"}, {"read", 10, "failed:disk on fire"}, {"read", 10, "closed"},
		}},
		{"data and error together", &dataErrReader{data: "xyz", err: errors.New("boom")}, []step{
			{"read", 10, "xyz"}, {"blocking-read", 10, "failed:boom"}, {"read", 10, "closed"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, r := testHost(t, Config{})
			in := h.newInputStream(tt.r)
			for i, s := range tt.steps {
				res := r.must(t, "wasi:io/streams#[method]input-stream."+s.fn, in.Borrowed(), component.U64(s.len))
				got := ""
				switch {
				case res.IsErr() && res.Payload().Case() == "closed":
					got = "closed"
				case res.IsErr():
					e := *res.Payload().Payload()
					msg := r.must(t, "wasi:io/error#[method]error.to-debug-string", e.Borrowed()).AsString()
					got = "failed:" + msg
					if goErr, ok := h.ioErrorOf(e); !ok || goErr.Error() != msg {
						t.Errorf("ioErrorOf = %v, %v", goErr, ok)
					}
					if err := component.DropResource(context.Background(), e); err != nil {
						t.Fatal(err)
					}
				case strings.HasSuffix(s.fn, "skip"):
					got = res.Payload().String()
				default:
					got = string(okBytes(t, res))
				}
				if got != s.want {
					t.Fatalf("step %d: %s(%d) = %.40q, want %.40q", i, s.fn, s.len, got, s.want)
				}
			}
			pl := r.must(t, "wasi:io/streams#[method]input-stream.subscribe", in.Borrowed())
			if !r.must(t, "wasi:io/poll#[method]pollable.ready", pl.Borrowed()).AsBool() {
				t.Error("pollable of a direct reader not ready")
			}
			for _, v := range []component.Val{pl, in} {
				if err := component.DropResource(context.Background(), v); err != nil {
					t.Fatal(err)
				}
			}
			if n := h.io.ins.len() + h.io.polls.len() + h.io.errs.len(); n != 0 {
				t.Errorf("%d table entries left after the drops", n)
			}
		})
	}
}

// iotestErrReader returns err on every read.
type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }

// dataErrReader returns its data and err from the same Read.
type dataErrReader struct {
	data string
	err  error
}

func (r *dataErrReader) Read(b []byte) (int, error) {
	n := copy(b, r.data)
	r.data = r.data[n:]
	return n, r.err
}

// TestInputStreamPipe reads from a pipe: a read finds nothing and does
// not block, the pollable becomes ready when the writer writes, the
// data is then there, and closing the writer closes the stream.
func TestInputStreamPipe(t *testing.T) {
	pr, pw := io.Pipe()
	h, r := testHost(t, Config{Stdin: pr})
	in := r.must(t, "wasi:cli/stdin#get-stdin")
	if got := okBytes(t, r.must(t, "wasi:io/streams#[method]input-stream.read", in.Borrowed(), component.U64(10))); len(got) != 0 {
		t.Fatalf("read of an empty pipe = %q", got)
	}
	pl := r.must(t, "wasi:io/streams#[method]input-stream.subscribe", in.Borrowed())
	if r.must(t, "wasi:io/poll#[method]pollable.ready", pl.Borrowed()).AsBool() {
		t.Fatal("pollable ready before any write")
	}
	go pw.Write([]byte("ping"))
	r.must(t, "wasi:io/poll#[method]pollable.block", pl.Borrowed())
	if got := okBytes(t, r.must(t, "wasi:io/streams#[method]input-stream.read", in.Borrowed(), component.U64(2))); string(got) != "pi" {
		t.Fatalf("read = %q, want pi", got)
	}
	// A second stdin handle shares the same reader.
	in2 := r.must(t, "wasi:cli/stdin#get-stdin")
	if got := okBytes(t, r.must(t, "wasi:io/streams#[method]input-stream.blocking-read", in2.Borrowed(), component.U64(10))); string(got) != "ng" {
		t.Fatalf("read = %q, want ng", got)
	}
	go pw.Close()
	res := r.must(t, "wasi:io/streams#[method]input-stream.blocking-read", in.Borrowed(), component.U64(10))
	if streamErrCase(res) != "closed" {
		t.Fatalf("read after close = %v, want closed", res)
	}
	// Blocking reads give up when the context is done (the guest is
	// being stopped): the call fails, and the stream still works.
	pr2, pw2 := io.Pipe()
	h2, r2 := testHost(t, Config{Stdin: pr2})
	in3 := h2.newInputStream(h2.io.stdin)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	out := h2.newOutputStream(io.Discard)
	for _, c := range []struct {
		fn   string
		args []component.Val
	}{
		{"wasi:io/streams#[method]input-stream.blocking-read", []component.Val{in3.Borrowed(), component.U64(1)}},
		{"wasi:io/streams#[method]input-stream.blocking-skip", []component.Val{in3.Borrowed(), component.U64(1)}},
		{"wasi:io/streams#[method]output-stream.blocking-splice", []component.Val{out.Borrowed(), in3.Borrowed(), component.U64(1)}},
	} {
		if _, err := r2.call(t, ctx, c.fn, c.args...); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s with a done context: %v", c.fn, err)
		}
	}
	go pw2.Write([]byte("!"))
	if got := okBytes(t, r2.must(t, "wasi:io/streams#[method]input-stream.blocking-read", in3.Borrowed(), component.U64(5))); string(got) != "!" {
		t.Errorf("read after an interrupted read = %q", got)
	}
	_ = h
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("device full") }

// TestOutputStream writes through output streams: check-write permits
// 64 KiB, writes beyond it trap, flush reaches buffered writers, a failed
// write reports the error once and then closed.
func TestOutputStream(t *testing.T) {
	var buf bytes.Buffer
	bw := bufio.NewWriter(&buf)
	h, r := testHost(t, Config{Stdout: bw})
	out := r.must(t, "wasi:cli/stdout#get-stdout")
	const os = "wasi:io/streams#[method]output-stream."
	if v := r.must(t, os+"check-write", out.Borrowed()); v.IsErr() || v.Payload().AsUint() != maxChunk {
		t.Fatalf("check-write = %v", v)
	}
	steps := []struct {
		fn   string
		arg  component.Val
		want string // buffer contents after the call, or "trap"
	}{
		{"write", component.Bytes([]byte("abc")), ""}, // buffered by bufio
		{"flush", component.Val{}, "abc"},
		{"blocking-write-and-flush", component.Bytes([]byte("de")), "abcde"},
		{"write-zeroes", component.U64(2), "abcde"},
		{"blocking-write-zeroes-and-flush", component.U64(1), "abcde\x00\x00\x00"},
		{"blocking-flush", component.Val{}, "abcde\x00\x00\x00"},
		{"write", component.Bytes(make([]byte, maxChunk+1)), "trap"},
		{"write-zeroes", component.U64(1<<64 - 1), "trap"},
		{"blocking-write-zeroes-and-flush", component.U64(1 << 40), "trap"},
	}
	for _, s := range steps {
		args := []component.Val{out.Borrowed()}
		if s.arg.Kind != 0 {
			args = append(args, s.arg)
		}
		res, err := r.call(t, context.Background(), os+s.fn, args...)
		if s.want == "trap" {
			if err == nil {
				t.Errorf("%s: no trap", s.fn)
			}
			continue
		}
		if err != nil || res.IsErr() {
			t.Fatalf("%s = %v, %v", s.fn, res, err)
		}
		if buf.String() != s.want {
			t.Fatalf("after %s: %q, want %q", s.fn, buf.String(), s.want)
		}
	}
	pl := r.must(t, os+"subscribe", out.Borrowed())
	if !r.must(t, "wasi:io/poll#[method]pollable.ready", pl.Borrowed()).AsBool() {
		t.Error("output pollable not ready")
	}

	bad := h.newOutputStream(failWriter{})
	res := r.must(t, os+"blocking-write-and-flush", bad.Borrowed(), component.Bytes([]byte("x")))
	if streamErrCase(res) != "last-operation-failed" {
		t.Fatalf("failed write = %v", res)
	}
	if msg := r.must(t, "wasi:io/error#[method]error.to-debug-string", res.Payload().Payload().Borrowed()).AsString(); msg != "device full" {
		t.Errorf("to-debug-string = %q", msg)
	}
	for _, fn := range []string{"check-write", "flush"} {
		if res := r.must(t, os+fn, bad.Borrowed()); streamErrCase(res) != "closed" {
			t.Errorf("%s after a failure = %v, want closed", fn, res)
		}
	}
	if res := r.must(t, os+"write", bad.Borrowed(), component.Bytes([]byte("x"))); streamErrCase(res) != "closed" {
		t.Errorf("write after a failure = %v, want closed", res)
	}
}

// TestSplice copies from an input stream to an output stream, at most 64
// KiB at a time.
func TestSplice(t *testing.T) {
	var buf bytes.Buffer
	h, r := testHost(t, Config{})
	src := h.newInputStream(strings.NewReader(strings.Repeat("y", maxChunk+3)))
	dst := h.newOutputStream(&buf)
	const os = "wasi:io/streams#[method]output-stream."
	for _, tc := range []struct {
		fn   string
		n    uint64
		want string
	}{
		{"splice", 2, "2"},
		{"blocking-splice", 1<<64 - 1, "65536"},
		{"splice", 10, "1"},
		{"blocking-splice", 10, "closed"},
	} {
		res := r.must(t, os+tc.fn, dst.Borrowed(), src.Borrowed(), component.U64(tc.n))
		got := streamErrCase(res)
		if got == "ok" {
			got = res.Payload().String()
		}
		if got != tc.want {
			t.Fatalf("%s(%d) = %s, want %s", tc.fn, tc.n, got, tc.want)
		}
	}
	if buf.Len() != maxChunk+3 {
		t.Errorf("spliced %d bytes, want %d", buf.Len(), maxChunk+3)
	}
}

// TestPoll polls deadlines and pipes.
func TestPoll(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	h, r := testHost(t, Config{Stdin: pr})
	stdin := r.must(t, "wasi:cli/stdin#get-stdin")
	never := r.must(t, "wasi:io/streams#[method]input-stream.subscribe", stdin.Borrowed())
	soon := r.must(t, "wasi:clocks/monotonic-clock#subscribe-duration", component.U64(uint64(5*time.Millisecond)))
	now := r.must(t, "wasi:clocks/monotonic-clock#subscribe-duration", component.U64(0))
	far := r.must(t, "wasi:clocks/monotonic-clock#subscribe-duration", component.U64(1<<64-1))
	past := r.must(t, "wasi:clocks/monotonic-clock#subscribe-instant", component.U64(0))
	farInstant := r.must(t, "wasi:clocks/monotonic-clock#subscribe-instant", component.U64(1<<64-1))
	list := func(vs ...component.Val) component.Val {
		for i := range vs {
			vs[i] = vs[i].Borrowed()
		}
		return component.List(vs...)
	}
	tests := []struct {
		name string
		in   component.Val
		want string
	}{
		{"ready now", list(never, now, far, past), "[1, 3]"},
		{"deadline", list(never, far, soon, farInstant), "[2]"},
		{"same twice", list(now, now), "[0, 1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			got := r.must(t, "wasi:io/poll#poll", tt.in)
			if got.String() != tt.want {
				t.Errorf("poll = %v, want %s", got, tt.want)
			}
			if d := time.Since(start); d > 500*time.Millisecond {
				t.Errorf("poll took %v", d)
			}
		})
	}
	if _, err := r.call(t, context.Background(), "wasi:io/poll#poll", component.List()); err == nil {
		t.Error("poll of an empty list does not trap")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	if _, err := r.call(t, ctx, "wasi:io/poll#poll", list(never, far)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("poll with a done context: %v", err)
	}
	if _, err := r.call(t, ctx, "wasi:io/poll#[method]pollable.block", never.Borrowed()); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("block with a done context: %v", err)
	}
	if r.must(t, "wasi:io/poll#[method]pollable.ready", far.Borrowed()).AsBool() {
		t.Error("far deadline ready")
	}
	_ = h
}

// TestBadHandles passes handles the host does not know: each call fails
// (a trap for the guest) without panicking.
func TestBadHandles(t *testing.T) {
	h, r := testHost(t, Config{})
	in := h.newInputStream(strings.NewReader("x"))
	rep, _ := in.Handle()
	if err := component.DropResource(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	stale := component.Borrow(h.io.inRT, rep)
	out := h.newOutputStream(io.Discard)
	outRep, _ := out.Handle()
	wrongType := component.Borrow(h.io.inRT, outRep) // an output stream's number as an input stream
	foreign := component.Borrow(component.NewResourceType("other", nil), 1)
	calls := []struct {
		fn   string
		args []component.Val
	}{
		{"wasi:io/streams#[method]input-stream.read", []component.Val{stale, component.U64(1)}},
		{"wasi:io/streams#[method]input-stream.subscribe", []component.Val{stale}},
		{"wasi:io/streams#[method]output-stream.write", []component.Val{wrongType, component.Bytes(nil)}},
		{"wasi:io/streams#[method]output-stream.write", []component.Val{component.Borrow(h.io.outRT, 999), component.Bytes(nil)}},
		{"wasi:io/streams#[method]output-stream.splice", []component.Val{out.Borrowed(), stale, component.U64(1)}},
		{"wasi:io/poll#[method]pollable.ready", []component.Val{foreign}},
		{"wasi:io/poll#[method]pollable.block", []component.Val{component.Borrow(h.io.pollRT, 12345)}},
		{"wasi:io/poll#poll", []component.Val{component.List(component.Borrow(h.io.pollRT, 7))}},
		{"wasi:io/error#[method]error.to-debug-string", []component.Val{component.Borrow(h.io.errorRT, 3)}},
	}
	for _, c := range calls {
		if _, err := r.call(t, context.Background(), c.fn, c.args...); err == nil {
			t.Errorf("%s with a bad handle: no error", c.fn)
		}
	}
}

// releasing counts release calls (as the file streams of filesystem.go
// have) and Flush calls.
type releasing struct {
	strings.Reader
	released, flushed int
}

func (r *releasing) release() error              { r.released++; return nil }
func (r *releasing) Write(b []byte) (int, error) { return len(b), nil }
func (r *releasing) Flush() error                { r.flushed++; return nil }

// TestStreamDrop drops streams: their table entries go, readers and
// writers with a release method are released (once), output streams are
// flushed, and Close empties what the guest did not drop.
func TestStreamDrop(t *testing.T) {
	h, _ := testHost(t, Config{})
	ctx := context.Background()
	var r, w releasing
	in := h.newInputStream(&r)
	out := h.newOutputStream(&w)
	kept := h.newOutputStream(io.Discard)
	for _, v := range []component.Val{in, out} {
		if err := component.DropResource(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	if r.released != 1 || w.released != 1 || w.flushed != 1 {
		t.Errorf("released %d, %d, flushed %d; want 1, 1, 1", r.released, w.released, w.flushed)
	}
	if h.io.ins.len() != 0 || h.io.outs.len() != 1 {
		t.Errorf("tables hold %d inputs, %d outputs; want 0, 1", h.io.ins.len(), h.io.outs.len())
	}
	h.Close()
	if h.io.outs.len() != 0 {
		t.Errorf("Close left %d outputs", h.io.outs.len())
	}
	_ = kept
}
