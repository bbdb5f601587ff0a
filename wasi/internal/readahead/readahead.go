// Package readahead wraps a reader that may block (a pipe, a terminal)
// so that a WASI guest can poll it and read without blocking: a goroutine
// reads ahead into a buffer when a poll or a read finds it empty. It
// serves both WASI hosts (preview1's poll_oneoff on stdin, preview2's
// input streams and pollables).
package readahead

import (
	"io"
	"sync"
)

// Reader is a read-ahead wrapper of an io.Reader. At most one background
// read runs at a time; data it has read is never lost. It is safe for
// concurrent use.
type Reader struct {
	r       io.Reader
	chunk   int
	mu      sync.Mutex
	buf     []byte
	err     error
	ready   chan struct{} // closed when buf or err is non-empty
	reading bool
}

// New returns a read-ahead wrapper of r whose background reads ask for
// chunk bytes at a time.
func New(r io.Reader, chunk int) *Reader {
	if chunk <= 0 {
		chunk = 4096
	}
	return &Reader{r: r, chunk: chunk, ready: make(chan struct{})}
}

// Wait returns a channel closed once TryRead would return data or an
// error, starting a background read if needed.
func (p *Reader) Wait() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.buf) > 0 || p.err != nil {
		ch := make(chan struct{})
		close(ch)
		return ch
	}
	if !p.reading {
		p.reading = true
		ch := p.ready
		go func() {
			b := make([]byte, p.chunk)
			var n int
			var err error
			for tries := 0; n == 0 && err == nil; tries++ {
				if n, err = p.r.Read(b); n == 0 && err == nil && tries >= 100 {
					err = io.ErrNoProgress
				}
			}
			p.mu.Lock()
			defer p.mu.Unlock()
			p.buf = append(p.buf, b[:n]...)
			if err != nil {
				p.err = err
			}
			p.reading = false
			close(ch)
		}()
	}
	return p.ready
}

// TryRead returns up to n buffered bytes (or the reader's error once the
// buffer is empty) with ok true, or ok false when nothing is available
// yet (a background read is then under way).
func (p *Reader) TryRead(n int) (b []byte, ok bool, err error) {
	p.mu.Lock()
	if len(p.buf) > 0 {
		k := min(n, len(p.buf))
		b = append([]byte(nil), p.buf[:k]...)
		p.buf = p.buf[k:]
		if len(p.buf) == 0 && p.err == nil {
			p.ready = make(chan struct{})
		}
		p.mu.Unlock()
		return b, true, nil
	}
	if p.err != nil {
		err = p.err
		p.mu.Unlock()
		return nil, true, err
	}
	p.mu.Unlock()
	p.Wait()
	return nil, false, nil
}

// Read reads like an io.Reader, waiting for data.
func (p *Reader) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	<-p.Wait()
	got, _, err := p.TryRead(len(b))
	return copy(b, got), err
}
