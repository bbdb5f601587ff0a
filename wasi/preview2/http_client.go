package preview2

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gowasm/gowasm/component"
)

// This file implements wasi:http/outgoing-handler: requests the guest
// sends go through Config.HTTPClient (refused with HTTP-request-denied
// when it is nil), in a goroutine per request whose
// future-incoming-response becomes ready when the response headers
// arrive.

// outgoingRequest is the host side of an outgoing-request.
type outgoingRequest struct {
	method       string
	path         string
	hasPath      bool
	scheme       string
	hasScheme    bool
	authority    string
	hasAuthority bool
	headers      *fieldList
	body         *outgoingBody // nil until body is called
	pipe         *bodyPipe     // the body's bytes, read by the HTTP client
}

// requestOptions is the host side of a request-options: timeouts in
// nanoseconds, nil when unset.
type requestOptions struct {
	connect, firstByte, betweenBytes *uint64
}

// incomingResponse is the host side of an incoming-response.
type incomingResponse struct {
	status   int
	headers  *fieldList
	body     *incomingBody
	consumed bool
}

// futureResponse is the host side of a future-incoming-response: done
// is closed once resp or code is set.
type futureResponse struct {
	done   chan struct{}
	resp   *http.Response
	code   *component.Val // error-code when the request failed
	got    bool           // get returned the response
	cancel context.CancelFunc
	once   sync.Once
}

// response returns the incoming-response of a completed request.
func (f *futureResponse) response() *incomingResponse {
	resp := f.resp
	return &incomingResponse{
		status:  resp.StatusCode,
		headers: fieldsFromHeader(resp.Header),
		body:    newIncomingBody(resp.Body, closeFunc(func() { resp.Body.Close(); f.cancel() }), func() http.Header { return resp.Trailer }),
	}
}

// closeFunc is an io.Closer calling a function.
type closeFunc func()

func (f closeFunc) Close() error { f(); return nil }

// drop is the destructor: a request under way is cancelled, a response
// never taken is closed.
func (f *futureResponse) drop() {
	f.once.Do(func() {
		if !f.got {
			f.cancel()
			go func() {
				<-f.done
				if f.resp != nil {
					f.resp.Body.Close()
				}
			}()
		}
	})
}

// validPathWithQuery reports whether p can be the path and query of a
// request: it starts with "/" (or is "*") and has no spaces, control
// characters or fragment.
func validPathWithQuery(p string) bool {
	if p == "*" {
		return true
	}
	if p == "" || p[0] != '/' {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c <= ' ' || c == 0x7f || c == '#' {
			return false
		}
	}
	return true
}

// validScheme reports whether s is a URL scheme (RFC 3986).
func validScheme(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// validAuthority reports whether a is a host with an optional port, and
// no user information.
func validAuthority(a string) bool {
	if a == "" || len(a) > 2048 {
		return false
	}
	for i := 0; i < len(a); i++ {
		if c := a[i]; c <= ' ' || c == 0x7f || c == '/' || c == '?' || c == '#' || c == '@' || c == '\\' {
			return false
		}
	}
	u, err := url.Parse("http://" + a)
	return err == nil && u.Host == a
}

// sendRequest starts request r through the host's HTTP client, or
// returns the error-code that refuses it.
func (h *Host) sendRequest(ctx context.Context, r *outgoingRequest, ro *requestOptions) (*futureResponse, *component.Val) {
	fail := func(name string) (*futureResponse, *component.Val) {
		v := errorCode(name, nil)
		return nil, &v
	}
	client := h.cfg.HTTPClient
	if client == nil {
		if r.pipe != nil {
			r.pipe.Close()
		}
		return fail("HTTP-request-denied")
	}
	scheme := "https"
	if r.hasScheme {
		scheme = r.scheme
	}
	if scheme != "http" && scheme != "https" {
		return fail("HTTP-protocol-error")
	}
	if !r.hasAuthority {
		return fail("HTTP-request-URI-invalid")
	}
	path := "/"
	if r.hasPath {
		path = r.path
	}
	u, err := url.Parse(scheme + "://" + r.authority + path)
	if err != nil || len(u.String()) > 64<<10 {
		return fail("HTTP-request-URI-invalid")
	}
	var body io.ReadCloser = http.NoBody
	length := int64(0)
	if r.pipe != nil {
		body, length = r.pipe, -1
	}
	hd := r.headers.header()
	if cl := hd.Get("Content-Length"); cl != "" {
		n, err := strconv.ParseInt(cl, 10, 64)
		if err != nil || n < 0 {
			return fail("HTTP-request-length-required")
		}
		if r.pipe != nil {
			length = n
		}
		hd.Del("Content-Length")
	}
	rctx, cancel := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(rctx, r.method, u.String(), body)
	if err != nil {
		cancel()
		return fail("HTTP-request-URI-invalid")
	}
	req.Header = hd
	req.ContentLength = length
	if r.pipe != nil {
		r.pipe.start()
	}
	// The connect and first-byte timeouts bound the wait for the response
	// headers (the between-bytes timeout is not enforced).
	var limit time.Duration
	if ro != nil {
		for _, p := range []*uint64{ro.connect, ro.firstByte} {
			if p != nil {
				d := time.Duration(min(*p, maxInstant))
				if limit == 0 || d < limit {
					limit = max(d, 1)
				}
			}
		}
	}
	f := &futureResponse{done: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(f.done)
		var timedOut atomic.Bool
		var timer *time.Timer
		if limit > 0 {
			timer = time.AfterFunc(limit, func() { timedOut.Store(true); cancel() })
		}
		resp, err := client.Do(req)
		if timer != nil {
			timer.Stop()
		}
		if err != nil {
			code := clientErrorCode(err)
			if timedOut.Load() {
				code = errorCode("HTTP-response-timeout", nil)
			}
			f.code = &code
			return
		}
		f.resp = resp
	}()
	return f, nil
}

// clientErrorCode returns the error-code of a failed client request.
func clientErrorCode(err error) component.Val {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var tlsErr *tls.CertificateVerificationError
	var recErr tls.RecordHeaderError
	switch {
	case errors.As(err, &dnsErr):
		if dnsErr.IsTimeout {
			return errorCode("DNS-timeout", nil)
		}
		p := component.Record(
			component.NamedVal{Name: "rcode", Val: optString(dnsErr.Err, dnsErr.Err != "")},
			component.NamedVal{Name: "info-code", Val: component.None()})
		return errorCode("DNS-error", &p)
	case errors.Is(err, syscall.ECONNREFUSED):
		return errorCode("connection-refused", nil)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errorCode("connection-terminated", nil)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return errorCode("destination-unavailable", nil)
	case errors.As(err, &tlsErr):
		return errorCode("TLS-certificate-error", nil)
	case errors.As(err, &recErr):
		return errorCode("TLS-protocol-error", nil)
	case errors.Is(err, context.DeadlineExceeded):
		return errorCode("HTTP-response-timeout", nil)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		if opErr.Timeout() {
			return errorCode("connection-timeout", nil)
		}
		return errorCode("destination-unavailable", nil)
	}
	return internalError(err.Error())
}

// bodyPipe carries the body of an outgoing request from the guest's
// output stream to the HTTP client. Before the request starts, writes are
// buffered (up to maxEarlyBody bytes); afterwards a write waits while
// maxEarlyBody bytes are pending, until the client reads them or closes
// the body (when the request ends or is cancelled).
type bodyPipe struct {
	mu       sync.Mutex
	cond     *sync.Cond
	buf      []byte
	started  bool // the client reads the pipe
	finished bool // the guest finished the body
	aborted  bool // the guest dropped the body without finishing it
	closed   bool // the client closed the pipe
}

// newBodyPipe returns an empty pipe.
func newBodyPipe() *bodyPipe {
	p := &bodyPipe{}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// start marks the pipe as read by the client.
func (p *bodyPipe) start() {
	p.mu.Lock()
	p.started = true
	p.mu.Unlock()
}

// Write appends b to the pipe.
func (p *bodyPipe) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.started && !p.closed && len(p.buf) >= maxEarlyBody {
		p.cond.Wait()
	}
	switch {
	case p.closed:
		return 0, io.ErrClosedPipe
	case p.finished || p.aborted:
		return 0, errClosed
	case !p.started && len(p.buf)+len(b) > maxEarlyBody:
		return 0, &httpError{code: errorCode("HTTP-request-body-size", ptr(component.None())),
			err: errors.New("request body written before outgoing-handler.handle exceeds 1 MiB")}
	}
	p.buf = append(p.buf, b...)
	p.cond.Broadcast()
	return len(b), nil
}

// ptr returns a pointer to v.
func ptr(v component.Val) *component.Val { return &v }

// Flush does nothing: the client reads what was written.
func (p *bodyPipe) Flush() error { return nil }

// finish ends the body (trailers of outgoing requests are not sent).
func (p *bodyPipe) finish(http.Header) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finished = true
	p.cond.Broadcast()
	return nil
}

// abort ends the body incomplete: the client's read fails.
func (p *bodyPipe) abort() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.aborted = true
	p.cond.Broadcast()
}

// Read reads the body for the client, waiting for the guest.
func (p *bodyPipe) Read(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.buf) == 0 && !p.finished && !p.aborted && !p.closed {
		p.cond.Wait()
	}
	switch {
	case len(p.buf) > 0:
		n := copy(b, p.buf)
		p.buf = p.buf[n:]
		if len(p.buf) == 0 {
			p.buf = nil
		}
		p.cond.Broadcast()
		return n, nil
	case p.closed:
		return 0, io.ErrClosedPipe
	case p.aborted:
		return 0, io.ErrUnexpectedEOF
	}
	return 0, io.EOF
}

// Close is called by the client when it is done with the body.
func (p *bodyPipe) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	p.buf = nil
	p.cond.Broadcast()
	return nil
}
