package preview2

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/wasi/internal/readahead"
)

// maxChunk bounds the bytes one stream operation reads or writes (the
// permit check-write grants, the most read, skip or splice return), so
// that a guest asking for 2^64 bytes gets at most maxChunk of them and
// the host never allocates more.
const maxChunk = 64 << 10

// ioState is the state of wasi:io: the resource types of the host and
// the tables of streams, pollables and errors handed to the guest, keyed
// by representation.
type ioState struct {
	errorRT, pollRT, inRT, outRT *component.ResourceType

	errs  table[error]
	polls table[*pollable]
	ins   table[*inputStream]
	outs  table[*outputStream]

	// stdin is the shared reader of Config.Stdin (every get-stdin handle
	// reads from it).
	stdin io.Reader
}

// table maps the representations of one resource type to host values.
// Representation 0 is never used.
type table[T any] struct {
	mu   sync.Mutex
	m    map[uint32]T
	next uint32
}

// add stores v and returns its representation.
func (t *table[T]) add(v T) uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[uint32]T{}
	}
	for {
		t.next++
		if t.next == 0 {
			continue
		}
		if _, used := t.m[t.next]; !used {
			t.m[t.next] = v
			return t.next
		}
	}
}

// get returns the value of representation rep.
func (t *table[T]) get(rep uint32) (T, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.m[rep]
	return v, ok
}

// remove frees representation rep.
func (t *table[T]) remove(rep uint32) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.m, rep)
}

// len returns the number of live entries.
func (t *table[T]) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

// removeFunc returns a host destructor freeing the table entry of rep.
func removeFunc[T any](t *table[T]) func(context.Context, uint32) error {
	return func(_ context.Context, rep uint32) error {
		t.remove(rep)
		return nil
	}
}

// initIO makes the host's wasi:io resource types, whose destructors free
// the table entries, and the shared stdin reader; nil stdout and stderr
// discard.
func (h *Host) initIO() {
	s := &h.io
	s.errorRT = component.NewResourceType("error", removeFunc(&s.errs))
	s.pollRT = component.NewResourceType("pollable", removeFunc(&s.polls))
	s.inRT = component.NewResourceType("input-stream", func(_ context.Context, rep uint32) error {
		if st, ok := s.ins.get(rep); ok {
			release(st.r)
		}
		s.ins.remove(rep)
		return nil
	})
	s.outRT = component.NewResourceType("output-stream", func(_ context.Context, rep uint32) error {
		if o, ok := s.outs.get(rep); ok {
			o.flush() // the guest is done writing: push out what a buffered writer holds
			release(o.w)
		}
		s.outs.remove(rep)
		return nil
	})
	switch r := h.cfg.Stdin; {
	case r == nil:
		s.stdin = eofReader{}
	case blocking(r):
		s.stdin = readahead.New(r, maxChunk)
	default:
		s.stdin = r
	}
	if h.cfg.Stdout == nil {
		h.cfg.Stdout = io.Discard
	}
	if h.cfg.Stderr == nil {
		h.cfg.Stderr = io.Discard
	}
}

// release lets go of the reader or writer x of a stream the guest
// dropped when it has a release method (the streams over files of
// filesystem.go); other readers and writers, such as os.Stdout, are left
// open. Its error is dropped: the guest cannot act on it.
func release(x any) {
	if r, ok := x.(interface{ release() error }); ok {
		r.release()
	}
}

// eofReader is an empty stdin.
type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// blocking reports whether reads from r may wait for a long time (pipes,
// terminals, sockets), so that the input stream reads ahead in a
// goroutine to make polls and non-blocking reads possible. Regular files
// and in-memory readers are read directly.
func blocking(r io.Reader) bool {
	switch r := r.(type) {
	case *os.File:
		fi, err := r.Stat()
		return err != nil || !fi.Mode().IsRegular()
	case *io.PipeReader:
		return true
	}
	return false
}

// ---- types ----

// ioTypes are the component types of wasi:io, built for one host.
type ioTypes struct {
	u8list, streamErr *component.Type
	ownErr, ownPoll   *component.Type
	borrowIn, ownIn   *component.Type
	borrowOut, ownOut *component.Type
	borrowPoll        *component.Type
	borrowErr         *component.Type
}

// ioTypes returns the component types of wasi:io for the host's
// resources.
func (h *Host) ioTypes() ioTypes {
	s := &h.io
	own := func(rt *component.ResourceType) *component.Type {
		return &component.Type{Kind: component.KindOwn, Resource: rt}
	}
	borrow := func(rt *component.ResourceType) *component.Type {
		return &component.Type{Kind: component.KindBorrow, Resource: rt}
	}
	t := ioTypes{
		u8list:     component.ListOf(component.Prim(component.KindU8)),
		ownErr:     own(s.errorRT),
		ownPoll:    own(s.pollRT),
		borrowIn:   borrow(s.inRT),
		ownIn:      own(s.inRT),
		borrowOut:  borrow(s.outRT),
		ownOut:     own(s.outRT),
		borrowPoll: borrow(s.pollRT),
		borrowErr:  borrow(s.errorRT),
	}
	t.streamErr = component.VariantOf(
		component.Case{Name: "last-operation-failed", Type: t.ownErr},
		component.Case{Name: "closed"})
	return t
}

// linker is what the define functions use of a *component.Linker (tests
// record the definitions instead).
type linker interface {
	DefineFunc(name string, typ component.FuncType, fn func(ctx context.Context, args []component.Val) ([]component.Val, error)) error
	DefineResource(name string, rt *component.ResourceType)
}

// definer defines the functions of one interface at version Version,
// keeping the first error.
type definer struct {
	l     linker
	iface string // e.g. "wasi:io/streams"
	err   error
}

// name returns the linker name of item in the interface.
func (d *definer) name(item string) string { return d.iface + "@" + Version + "#" + item }

// fn defines function item.
func (d *definer) fn(item string, params []component.Param, result *component.Type, fn component.HostFunc) {
	if d.err != nil {
		return
	}
	ft := component.FuncType{Params: params}
	if result != nil {
		ft.Results = []component.Param{{Type: result}}
	}
	d.err = d.l.DefineFunc(d.name(item), ft, fn)
}

// resource defines resource type item.
func (d *definer) resource(item string, rt *component.ResourceType) {
	d.l.DefineResource(d.name(item), rt)
}

// param returns a parameter.
func param(name string, t *component.Type) component.Param {
	return component.Param{Name: name, Type: t}
}

// params returns a parameter list.
func params(ps ...component.Param) []component.Param { return ps }

var u64T = component.Prim(component.KindU64)

// defineIO defines wasi:io error, poll and streams.
func (h *Host) defineIO(l linker) error {
	s := &h.io
	t := h.ioTypes()

	d := &definer{l: l, iface: "wasi:io/error"}
	d.resource("error", s.errorRT)
	d.fn("[method]error.to-debug-string", params(param("self", t.borrowErr)), component.Prim(component.KindString),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			err, ok := h.ioErrorOf(a[0])
			if !ok {
				return nil, badHandle("error", a[0])
			}
			return []component.Val{component.String(err.Error())}, nil
		})
	if d.err != nil {
		return d.err
	}

	d = &definer{l: l, iface: "wasi:io/poll"}
	d.resource("pollable", s.pollRT)
	d.fn("[method]pollable.ready", params(param("self", t.borrowPoll)), component.Prim(component.KindBool),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			pl, err := h.pollableOf(a[0])
			if err != nil {
				return nil, err
			}
			return []component.Val{component.Bool(pl.ready())}, nil
		})
	d.fn("[method]pollable.block", params(param("self", t.borrowPoll)), nil,
		func(ctx context.Context, a []component.Val) ([]component.Val, error) {
			pl, err := h.pollableOf(a[0])
			if err != nil {
				return nil, err
			}
			return nil, pollWait(ctx, []*pollable{pl})
		})
	d.fn("poll", params(param("in", component.ListOf(t.borrowPoll))), component.ListOf(component.Prim(component.KindU32)),
		func(ctx context.Context, a []component.Val) ([]component.Val, error) {
			elems := a[0].Elems()
			if len(elems) == 0 {
				return nil, errors.New("wasi:io/poll#poll: empty list of pollables")
			}
			pls := make([]*pollable, len(elems))
			for i, e := range elems {
				pl, err := h.pollableOf(e)
				if err != nil {
					return nil, err
				}
				pls[i] = pl
			}
			for {
				if err := pollWait(ctx, pls); err != nil {
					return nil, err
				}
				var out []component.Val
				for i, pl := range pls {
					if pl.ready() {
						out = append(out, component.U32(uint32(i)))
					}
				}
				if len(out) > 0 {
					return []component.Val{component.List(out...)}, nil
				}
			}
		})
	if d.err != nil {
		return d.err
	}

	d = &definer{l: l, iface: "wasi:io/streams"}
	d.resource("input-stream", s.inRT)
	d.resource("output-stream", s.outRT)
	bytesRes := component.ResultOf(t.u8list, t.streamErr)
	u64Res := component.ResultOf(u64T, t.streamErr)
	unitRes := component.ResultOf(nil, t.streamErr)
	in := func(f func(ctx context.Context, in *inputStream, a []component.Val) (component.Val, error)) component.HostFunc {
		return func(ctx context.Context, a []component.Val) ([]component.Val, error) {
			st, err := h.inputOf(a[0])
			if err != nil {
				return nil, err
			}
			v, err := f(ctx, st, a)
			if err != nil {
				return nil, err
			}
			return []component.Val{v}, nil
		}
	}
	read := func(block, skip bool) func(context.Context, *inputStream, []component.Val) (component.Val, error) {
		return func(ctx context.Context, st *inputStream, a []component.Val) (component.Val, error) {
			b, err := st.read(ctx, a[1].AsUint(), block)
			if ctxErr := interrupted(ctx, err); ctxErr != nil {
				return component.Val{}, ctxErr
			}
			if skip {
				return h.countResult(len(b), err), nil
			}
			return h.bytesResult(b, err), nil
		}
	}
	d.fn("[method]input-stream.read", params(param("self", t.borrowIn), param("len", u64T)), bytesRes, in(read(false, false)))
	d.fn("[method]input-stream.blocking-read", params(param("self", t.borrowIn), param("len", u64T)), bytesRes, in(read(true, false)))
	d.fn("[method]input-stream.skip", params(param("self", t.borrowIn), param("len", u64T)), u64Res, in(read(false, true)))
	d.fn("[method]input-stream.blocking-skip", params(param("self", t.borrowIn), param("len", u64T)), u64Res, in(read(true, true)))
	d.fn("[method]input-stream.subscribe", params(param("self", t.borrowIn)), t.ownPoll,
		in(func(_ context.Context, st *inputStream, _ []component.Val) (component.Val, error) {
			if st.ra == nil || st.closed {
				return h.newPollable(&pollable{}), nil
			}
			return h.newPollable(&pollable{wait: st.ra.Wait}), nil
		}))

	out := func(f func(ctx context.Context, o *outputStream, a []component.Val) (component.Val, error)) component.HostFunc {
		return func(ctx context.Context, a []component.Val) ([]component.Val, error) {
			o, err := h.outputOf(a[0])
			if err != nil {
				return nil, err
			}
			v, err := f(ctx, o, a)
			if err != nil {
				return nil, err
			}
			return []component.Val{v}, nil
		}
	}
	d.fn("[method]output-stream.check-write", params(param("self", t.borrowOut)), u64Res,
		out(func(_ context.Context, o *outputStream, _ []component.Val) (component.Val, error) {
			if o.closed {
				return h.countResult(0, io.EOF), nil
			}
			return h.countResult(maxChunk, nil), nil
		}))
	write := func(flush bool) func(context.Context, *outputStream, []component.Val) (component.Val, error) {
		return func(ctx context.Context, o *outputStream, a []component.Val) (component.Val, error) {
			b, ok := a[1].AsBytes()
			if !ok {
				b = make([]byte, len(a[1].Elems()))
				for i, e := range a[1].Elems() {
					b[i] = byte(e.AsUint())
				}
			}
			if !flush && len(b) > maxChunk {
				return component.Val{}, fmt.Errorf("wasi:io/streams: write of %d bytes exceeds the %d bytes check-write permits", len(b), maxChunk)
			}
			err := o.write(ctx, b)
			if ctxErr := interrupted(ctx, err); ctxErr != nil {
				return component.Val{}, ctxErr
			}
			if err == nil && flush {
				err = o.flush()
			}
			return h.unitResult(err), nil
		}
	}
	d.fn("[method]output-stream.write", params(param("self", t.borrowOut), param("contents", t.u8list)), unitRes, out(write(false)))
	d.fn("[method]output-stream.blocking-write-and-flush", params(param("self", t.borrowOut), param("contents", t.u8list)), unitRes, out(write(true)))
	flush := func(_ context.Context, o *outputStream, _ []component.Val) (component.Val, error) {
		return h.unitResult(o.flush()), nil
	}
	d.fn("[method]output-stream.flush", params(param("self", t.borrowOut)), unitRes, out(flush))
	d.fn("[method]output-stream.blocking-flush", params(param("self", t.borrowOut)), unitRes, out(flush))
	d.fn("[method]output-stream.subscribe", params(param("self", t.borrowOut)), t.ownPoll,
		out(func(context.Context, *outputStream, []component.Val) (component.Val, error) {
			return h.newPollable(&pollable{}), nil // writes never wait for room
		}))
	zeroes := func(flush bool) func(context.Context, *outputStream, []component.Val) (component.Val, error) {
		return func(ctx context.Context, o *outputStream, a []component.Val) (component.Val, error) {
			n := a[1].AsUint()
			if n > maxChunk {
				return component.Val{}, fmt.Errorf("wasi:io/streams: write-zeroes of %d bytes exceeds the %d bytes check-write permits", n, maxChunk)
			}
			err := o.write(ctx, make([]byte, n))
			if ctxErr := interrupted(ctx, err); ctxErr != nil {
				return component.Val{}, ctxErr
			}
			if err == nil && flush {
				err = o.flush()
			}
			return h.unitResult(err), nil
		}
	}
	d.fn("[method]output-stream.write-zeroes", params(param("self", t.borrowOut), param("len", u64T)), unitRes, out(zeroes(false)))
	d.fn("[method]output-stream.blocking-write-zeroes-and-flush", params(param("self", t.borrowOut), param("len", u64T)), unitRes, out(zeroes(true)))
	splice := func(block bool) func(context.Context, *outputStream, []component.Val) (component.Val, error) {
		return func(ctx context.Context, o *outputStream, a []component.Val) (component.Val, error) {
			src, err := h.inputOf(a[1])
			if err != nil {
				return component.Val{}, err
			}
			if o.closed {
				return h.countResult(0, io.EOF), nil
			}
			b, err := src.read(ctx, a[2].AsUint(), block)
			if ctxErr := interrupted(ctx, err); ctxErr != nil {
				return component.Val{}, ctxErr
			}
			if len(b) == 0 && err != nil {
				return h.countResult(0, err), nil
			}
			if werr := o.write(ctx, b); werr != nil {
				if ctxErr := interrupted(ctx, werr); ctxErr != nil {
					return component.Val{}, ctxErr
				}
				return h.countResult(0, werr), nil
			}
			if block {
				if ferr := o.flush(); ferr != nil {
					return h.countResult(0, ferr), nil
				}
			}
			return h.countResult(len(b), nil), nil
		}
	}
	d.fn("[method]output-stream.splice", params(param("self", t.borrowOut), param("src", t.borrowIn), param("len", u64T)), u64Res, out(splice(false)))
	d.fn("[method]output-stream.blocking-splice", params(param("self", t.borrowOut), param("src", t.borrowIn), param("len", u64T)), u64Res, out(splice(true)))
	return d.err
}

// badHandle is the trap for a handle the host does not know (dropped,
// or of another host).
func badHandle(what string, v component.Val) error {
	rep, _ := v.Handle()
	return fmt.Errorf("wasi: unknown %s handle (representation %d)", what, rep)
}

// ---- results ----

// streamError returns the stream-error for err: closed for io.EOF (and
// for a stream that already failed), last-operation-failed with a new
// error resource otherwise.
func (h *Host) streamError(err error) component.Val {
	if errors.Is(err, io.EOF) || errors.Is(err, errClosed) {
		return component.Variant("closed", nil)
	}
	e := h.newError(err)
	return component.Variant("last-operation-failed", &e)
}

// bytesResult returns result<list<u8>, stream-error>. Data read before
// an error is returned; the error comes with the next call.
func (h *Host) bytesResult(b []byte, err error) component.Val {
	if len(b) == 0 && err != nil {
		e := h.streamError(err)
		return component.Err(&e)
	}
	v := component.Bytes(b)
	return component.Ok(&v)
}

// countResult returns result<u64, stream-error>.
func (h *Host) countResult(n int, err error) component.Val {
	if n == 0 && err != nil {
		e := h.streamError(err)
		return component.Err(&e)
	}
	v := component.U64(uint64(n))
	return component.Ok(&v)
}

// unitResult returns result<_, stream-error>.
func (h *Host) unitResult(err error) component.Val {
	if err != nil {
		e := h.streamError(err)
		return component.Err(&e)
	}
	return component.Ok(nil)
}

// interrupted returns the context's error when err is it: a blocking
// call given up because the guest is being stopped (--timeout, an
// interrupt) fails, as a trap, instead of returning a stream error.
func interrupted(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return err
	}
	return nil
}

// errClosed is the error of an operation on a stream closed by an
// earlier failure.
var errClosed = errors.New("stream closed")

// newError returns an owned wasi:io/error handle for err.
func (h *Host) newError(err error) component.Val {
	return component.Own(h.io.errorRT, h.io.errs.add(err))
}

// ---- streams ----

// inputStream is the host side of an input-stream.
type inputStream struct {
	r      io.Reader
	ra     *readahead.Reader // r when it reads ahead (blocking sources), else nil
	closed bool              // EOF or an error was reported: reads report closed
	err    error             // error to report on the next read
}

// read reads at most n (capped at maxChunk) bytes. Without block, a
// read-ahead source returns what it holds (possibly nothing); with block
// it waits for at least one byte or the end of the stream. Direct sources
// are read once (block: until they return bytes or an error).
func (st *inputStream) read(ctx context.Context, n uint64, block bool) ([]byte, error) {
	if st.closed {
		return nil, errClosed
	}
	if st.err != nil {
		err := st.err
		st.err, st.closed = nil, true
		return nil, err
	}
	if n == 0 {
		return []byte{}, nil
	}
	if n > maxChunk {
		n = maxChunk
	}
	if st.ra != nil {
		if block {
			select {
			case <-st.ra.Wait():
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		b, ok, err := st.ra.TryRead(int(n))
		if !ok {
			return []byte{}, nil
		}
		return st.result(b, err)
	}
	buf := make([]byte, n)
	for tries := 0; ; tries++ {
		k, err := st.r.Read(buf)
		if k > 0 || err != nil || !block || tries >= 100 {
			return st.result(buf[:k], err)
		}
	}
}

// result records err: with data, for the next read; without, the stream
// is closed after this call.
func (st *inputStream) result(b []byte, err error) ([]byte, error) {
	if err == nil {
		return b, nil
	}
	if len(b) > 0 {
		st.err = err
		return b, nil
	}
	st.closed = true
	return nil, err
}

// outputStream is the host side of an output-stream.
type outputStream struct {
	w      io.Writer
	closed bool
}

// contextWriter is a writer whose writes may wait long (a TCP
// connection whose peer does not read): a write given up when the
// context of the call is done returns the context's error.
type contextWriter interface {
	writeContext(ctx context.Context, b []byte) (int, error)
}

// write writes b; a failure closes the stream.
func (o *outputStream) write(ctx context.Context, b []byte) error {
	if o.closed {
		return errClosed
	}
	if len(b) == 0 {
		return nil
	}
	var err error
	if cw, ok := o.w.(contextWriter); ok {
		_, err = cw.writeContext(ctx, b)
	} else {
		_, err = o.w.Write(b)
	}
	if err != nil {
		o.closed = true
		return err
	}
	return nil
}

// flush flushes the writer when it buffers (has a Flush method).
func (o *outputStream) flush() error {
	if o.closed {
		return errClosed
	}
	if f, ok := o.w.(interface{ Flush() error }); ok {
		if err := f.Flush(); err != nil {
			o.closed = true
			return err
		}
	}
	return nil
}

// newInputStream returns an owned wasi:io/streams input-stream handle
// reading from r (io.EOF from r means the stream is closed).
func (h *Host) newInputStream(r io.Reader) component.Val {
	st := &inputStream{r: r}
	if ra, ok := r.(*readahead.Reader); ok {
		st.ra = ra
	}
	return component.Own(h.io.inRT, h.io.ins.add(st))
}

// newOutputStream returns an owned wasi:io/streams output-stream handle
// writing to w.
func (h *Host) newOutputStream(w io.Writer) component.Val {
	return component.Own(h.io.outRT, h.io.outs.add(&outputStream{w: w}))
}

// ioErrorOf returns the Go error behind a wasi:io/error handle (own or
// borrow), as filesystem-error-code needs.
func (h *Host) ioErrorOf(v component.Val) (error, bool) {
	rep, rt := v.Handle()
	if rt != h.io.errorRT {
		return nil, false
	}
	return h.io.errs.get(rep)
}

// inputOf returns the input stream of handle v, or a trap.
func (h *Host) inputOf(v component.Val) (*inputStream, error) {
	rep, rt := v.Handle()
	if st, ok := h.io.ins.get(rep); ok && rt == h.io.inRT {
		return st, nil
	}
	return nil, badHandle("input-stream", v)
}

// outputOf returns the output stream of handle v, or a trap.
func (h *Host) outputOf(v component.Val) (*outputStream, error) {
	rep, rt := v.Handle()
	if o, ok := h.io.outs.get(rep); ok && rt == h.io.outRT {
		return o, nil
	}
	return nil, badHandle("output-stream", v)
}

// ---- pollables ----

// pollable is the host side of a pollable: ready at a deadline, when a
// channel is closed, or always.
type pollable struct {
	// deadline, when set, is the time at which the pollable is ready.
	deadline time.Time
	// wait, when set, returns a channel closed once the pollable is ready.
	wait func() <-chan struct{}
}

// ready reports whether p is ready, without blocking.
func (p *pollable) ready() bool {
	switch {
	case !p.deadline.IsZero():
		return !time.Now().Before(p.deadline)
	case p.wait != nil:
		select {
		case <-p.wait():
			return true
		default:
			return false
		}
	}
	return true
}

// newPollable returns an owned pollable handle for p.
func (h *Host) newPollable(p *pollable) component.Val {
	return component.Own(h.io.pollRT, h.io.polls.add(p))
}

// pollableOf returns the pollable of handle v, or a trap.
func (h *Host) pollableOf(v component.Val) (*pollable, error) {
	rep, rt := v.Handle()
	if pl, ok := h.io.polls.get(rep); ok && rt == h.io.pollRT {
		return pl, nil
	}
	return nil, badHandle("pollable", v)
}

// pollWait blocks until at least one of pls is ready (or about to be:
// callers check again), or ctx is done.
func pollWait(ctx context.Context, pls []*pollable) error {
	var earliest time.Time
	var chans []<-chan struct{}
	for _, pl := range pls {
		if pl.ready() {
			return nil
		}
		if !pl.deadline.IsZero() {
			if earliest.IsZero() || pl.deadline.Before(earliest) {
				earliest = pl.deadline
			}
		} else if pl.wait != nil {
			chans = append(chans, pl.wait())
		}
	}
	var timeout <-chan time.Time
	if !earliest.IsZero() {
		timer := time.NewTimer(time.Until(earliest))
		defer timer.Stop()
		timeout = timer.C
	}
	var woke <-chan struct{}
	switch len(chans) {
	case 0:
	case 1:
		woke = chans[0]
	default:
		any := make(chan struct{})
		stop := make(chan struct{})
		defer close(stop)
		var once sync.Once
		for _, ch := range chans {
			go func() {
				select {
				case <-ch:
					once.Do(func() { close(any) })
				case <-stop:
				}
			}()
		}
		woke = any
	}
	select {
	case <-timeout:
	case <-woke:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// closeIO empties the tables of wasi:io.
func (h *Host) closeIO() {
	s := &h.io
	s.errs.clear()
	s.polls.clear()
	s.ins.clear()
	s.outs.clear()
}

// clear removes every entry.
func (t *table[T]) clear() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.m)
}
