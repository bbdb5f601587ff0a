package preview2

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/interp"
)

// This file serves HTTP with components exporting
// wasi:http/incoming-handler (the wasi:http/proxy world), as wasmtime
// serve does.

// HTTPOptions configure an HTTPHandler.
type HTTPOptions struct {
	// Config returns the WASI configuration of the host serving one
	// request; nil gives every request the zero Config (no outgoing HTTP,
	// output discarded). The writers it returns may be used by several
	// requests at once and must be safe for that.
	Config func(r *http.Request) Config
	// NewStore returns the store of one request's instance (with its fuel
	// and memory limits); nil means interp.NewStore(interp.Config{}).
	NewStore func() *interp.Store
	// Link, when set, adds definitions to the linker of each request after
	// the host's (wasi: interfaces the host does not implement are then
	// defined as functions that fail when called).
	Link func(l *component.Linker) error
	// Timeout bounds each request: instantiation and the handle call (a
	// guest still running then traps); 0 means no limit beyond the
	// request's context.
	Timeout time.Duration
	// ErrorLog, when set, receives the failures of requests: instantiation
	// errors, traps, responses the guest never set.
	ErrorLog func(r *http.Request, err error)
}

// HTTPHandler is an http.Handler that serves each request with a fresh
// instance of a component exporting wasi:http/incoming-handler@0.2.x: the
// request becomes an incoming-request (method, path with query, scheme,
// authority, headers, a body streamed as it arrives), the handle export
// is called with it and a response-outparam, and the outgoing-response
// the guest sets is written to the http.ResponseWriter: status and
// headers when the guest first writes its body (or finishes it), the body
// as it is written (each flush of the guest's stream flushes the
// connection), trailers when it finishes the body with some.
//
// Failures: when instantiation fails, the guest traps or exits before
// the response started, never sets the response, or sets an error-code,
// the client gets status 500 (the message names the failure; ErrorLog
// gets the details). When the guest traps after the response started, or
// ends without finishing a body it began, the response is aborted
// (panic(http.ErrAbortHandler), which net/http turns into a broken
// connection, so that a client never takes a truncated body as
// complete).
type HTTPHandler struct {
	c      *component.Component
	export string
	opts   HTTPOptions
}

// IncomingHandlerExport returns the name of the handle function of the
// wasi:http/incoming-handler@0.2.x interface among the export names
// ("wasi:http/incoming-handler@0.2.0#handle"), or "".
func IncomingHandlerExport(names []string) string {
	for _, n := range names {
		base, ver, ok := strings.Cut(n, "@")
		if ok && base == "wasi:http/incoming-handler" && strings.HasPrefix(ver, "0.2.") && !strings.Contains(ver, "#") {
			return n + "#handle"
		}
	}
	return ""
}

// NewHTTPHandler returns a handler serving requests with instances of c,
// which must export wasi:http/incoming-handler@0.2.x.
func NewHTTPHandler(c *component.Component, opts HTTPOptions) (*HTTPHandler, error) {
	exps, err := c.Exports()
	if err != nil {
		return nil, err
	}
	names := make([]string, len(exps))
	for i, e := range exps {
		names[i] = e.Name
	}
	name := IncomingHandlerExport(names)
	if name == "" {
		return nil, fmt.Errorf("preview2: the component exports no wasi:http/incoming-handler@0.2.x interface (exports: %s)", strings.Join(names, ", "))
	}
	return &HTTPHandler{c: c, export: name, opts: opts}, nil
}

// ServeHTTP serves r with a new instance of the component.
func (hh *HTTPHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if hh.opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, hh.opts.Timeout)
		defer cancel()
	}
	var cfg Config
	if hh.opts.Config != nil {
		cfg = hh.opts.Config(r)
	}
	h := NewHost(cfg)
	defer h.Close()
	st := &serveState{w: w, r: r, rc: http.NewResponseController(w)}
	inst, err := hh.instantiate(ctx, h)
	if err != nil {
		st.fail(hh, fmt.Errorf("instantiating the component: %w", err))
		return
	}
	handle := inst.Func(hh.export)
	if handle == nil {
		st.fail(hh, fmt.Errorf("the instance has no function %s", hh.export))
		return
	}
	req := h.http.inReqs.own(newIncomingRequest(r))
	out := h.http.outparams.own(&responseOutparam{st: st})
	_, err = handle.Call(ctx, req, out)
	if err != nil {
		st.fail(hh, fmt.Errorf("%s: %w", hh.export, err))
		return
	}
	st.end(hh)
}

// instantiate makes a new instance of the component on host h.
func (hh *HTTPHandler) instantiate(ctx context.Context, h *Host) (*component.Instance, error) {
	l := component.NewLinker()
	if err := h.Define(l); err != nil {
		return nil, err
	}
	if hh.opts.Link != nil {
		if err := hh.opts.Link(l); err != nil {
			return nil, err
		}
	}
	if _, err := DefineUnsupported(l, hh.c); err != nil {
		return nil, err
	}
	var store *interp.Store
	if hh.opts.NewStore != nil {
		store = hh.opts.NewStore()
	} else {
		store = interp.NewStore(interp.Config{})
	}
	return l.Instantiate(ctx, store, hh.c)
}

// newIncomingRequest returns the incoming-request of a served request.
func newIncomingRequest(r *http.Request) *incomingRequest {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	path := r.RequestURI
	if path == "" || !strings.HasPrefix(path, "/") && path != "*" {
		path = r.URL.RequestURI()
	}
	headers := fieldsFromHeader(r.Header)
	if r.Host != "" && validFieldValue([]byte(r.Host)) {
		// net/http moves the Host header out of r.Header; the guest sees it
		// among the headers, as it came.
		headers.add("host", []byte(r.Host))
	}
	return &incomingRequest{
		method:    r.Method,
		path:      path,
		scheme:    scheme,
		authority: r.Host,
		headers:   headers,
		body:      newIncomingBody(r.Body, r.Body, func() http.Header { return r.Trailer }),
	}
}

// incomingRequest is the host side of an incoming-request.
type incomingRequest struct {
	method, path, scheme, authority string
	headers                         *fieldList
	body                            *incomingBody
	consumed                        bool
}

// responseOutparam is the host side of a response-outparam.
type responseOutparam struct {
	st *serveState
}

// outgoingResponse is the host side of an outgoing-response.
type outgoingResponse struct {
	status  int
	headers *fieldList
	body    *outgoingBody // nil until body is called
	sink    *responseSink
}

// serveState is the state of one served request.
type serveState struct {
	w  http.ResponseWriter
	r  *http.Request
	rc *http.ResponseController

	set       bool
	resp      *outgoingResponse
	code      *component.Val // error-code the guest set instead of a response
	committed bool           // status and headers were written
}

// setResponse is response-outparam.set: the response (or the error-code)
// of the request. The status and headers are written when the body
// starts.
func (op *responseOutparam) setResponse(resp *outgoingResponse, code *component.Val) {
	st := op.st
	st.set = true
	if code != nil {
		st.code = code
		return
	}
	st.resp = resp
	if resp.sink == nil {
		resp.sink = &responseSink{}
	}
	resp.sink.attach(st)
}

// commit writes the status and headers of the response once.
func (st *serveState) commit() {
	if st.committed {
		return
	}
	st.committed = true
	hd := st.w.Header()
	for i, n := range st.resp.headers.names {
		hd.Add(n, string(st.resp.headers.values[i]))
	}
	if _, ok := hd["Content-Type"]; !ok {
		hd["Content-Type"] = nil // no sniffed content type: the guest's headers only
	}
	st.w.WriteHeader(st.resp.status)
}

// fail ends a request whose instance failed: status 500 when nothing
// was sent yet, an aborted response otherwise.
func (st *serveState) fail(hh *HTTPHandler, err error) {
	if hh.opts.ErrorLog != nil {
		hh.opts.ErrorLog(st.r, err)
	}
	if st.committed {
		panic(http.ErrAbortHandler)
	}
	msg := "internal server error: the guest failed"
	if errors.Is(err, context.DeadlineExceeded) {
		msg = "internal server error: the guest timed out"
	}
	http.Error(st.w, msg, http.StatusInternalServerError)
}

// end completes a request after handle returned.
func (st *serveState) end(hh *HTTPHandler) {
	switch {
	case !st.set:
		st.fail(hh, errors.New("the guest did not set a response (response-outparam.set)"))
		return
	case st.code != nil:
		st.fail(hh, fmt.Errorf("the guest set error-code %s", component.FormatWAVE(*st.code)))
		return
	}
	sink := st.resp.sink
	if st.resp.body != nil && (!st.resp.body.finished || sink.aborted) {
		st.commit()
		if hh.opts.ErrorLog != nil {
			hh.opts.ErrorLog(st.r, errors.New("the guest did not finish the response body (outgoing-body.finish)"))
		}
		panic(http.ErrAbortHandler)
	}
	st.commit()
	sink.flushTrailers()
}

// responseSink is the outgoing-body of a served response: bytes written
// before response-outparam.set are buffered (up to maxEarlyBody), then
// written through to the http.ResponseWriter.
type responseSink struct {
	st       *serveState
	buf      []byte
	finished bool
	aborted  bool
	trailers http.Header
}

// attach binds the sink to the served request.
func (s *responseSink) attach(st *serveState) {
	s.st = st
}

// Write writes b to the response (starting it) or the buffer.
func (s *responseSink) Write(b []byte) (int, error) {
	if s.finished || s.aborted {
		return 0, errClosed
	}
	if s.st == nil {
		if len(s.buf)+len(b) > maxEarlyBody {
			return 0, &httpError{code: errorCode("HTTP-response-body-size", ptr(component.None())),
				err: errors.New("response body written before response-outparam.set exceeds 1 MiB")}
		}
		s.buf = append(s.buf, b...)
		return len(b), nil
	}
	if err := s.drain(); err != nil {
		return 0, err
	}
	return s.write(b)
}

// write writes b to the response writer; bodies the response may not
// have (HEAD, 204, 304) are discarded.
func (s *responseSink) write(b []byte) (int, error) {
	s.st.commit()
	n, err := s.st.w.Write(b)
	if errors.Is(err, http.ErrBodyNotAllowed) {
		return len(b), nil
	}
	return n, err
}

// drain writes the buffered bytes.
func (s *responseSink) drain() error {
	if len(s.buf) == 0 {
		return nil
	}
	b := s.buf
	s.buf = nil
	_, err := s.write(b)
	return err
}

// Flush flushes the response to the client.
func (s *responseSink) Flush() error {
	if s.st == nil {
		return nil
	}
	if err := s.drain(); err != nil {
		return err
	}
	s.st.commit()
	if err := s.st.rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	return nil
}

// finish ends the body; trailers are sent when the request ends.
func (s *responseSink) finish(trailers http.Header) error {
	if s.aborted {
		return errClosed
	}
	s.finished = true
	s.trailers = trailers
	if s.st != nil {
		return s.drain()
	}
	return nil
}

// abort marks the body incomplete.
func (s *responseSink) abort() { s.aborted = true }

// flushTrailers writes the buffered body and the trailers.
func (s *responseSink) flushTrailers() {
	if s.drain() != nil {
		return
	}
	hd := s.st.w.Header()
	for k, vs := range s.trailers {
		for _, v := range vs {
			hd.Add(http.TrailerPrefix+k, v)
		}
	}
}
