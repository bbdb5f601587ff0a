package preview2

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/internal/testenv"
	"github.com/gowasm/gowasm/interp"
)

// proxyJS is the wasi:http proxy of testdata built with componentize-js
// from testdata/components/http/proxy.js (see build-http.sh).
const proxyJS = "../../testdata/components/http/proxy-js.component.wasm"

// proxyComponent compiles proxyJS once for the tests of this file.
var proxyComponent = sync.OnceValues(func() (*component.Component, error) {
	b, err := readTestFile(proxyJS)
	if err != nil {
		return nil, err
	}
	return component.Compile(context.Background(), b)
})

// proxyServer returns a test server serving proxyJS with opts.
func proxyServer(t *testing.T, opts HTTPOptions) *httptest.Server {
	t.Helper()
	c := compileProxy(t)
	hh, err := NewHTTPHandler(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hh)
	t.Cleanup(srv.Close)
	return srv
}

// compileProxy returns the compiled proxyJS, skipping the test when the
// file is missing (outside CI).
func compileProxy(t *testing.T) *component.Component {
	t.Helper()
	c, err := proxyComponent()
	if err != nil {
		if isNotExist(err) {
			t.Skipf("%s missing", proxyJS)
		}
		t.Fatal(err)
	}
	return c
}

// logErrors returns an ErrorLog that logs to t.
func logErrors(t *testing.T) func(*http.Request, error) {
	return func(r *http.Request, err error) { t.Logf("%s %s: %v", r.Method, r.URL, err) }
}

// get makes a request and returns the response with its body read.
func doRequest(t *testing.T, method, u string, body io.Reader, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, u, err)
	}
	return resp, string(b)
}

// TestHTTPProxyJS serves the componentize-js proxy: GET, POST with a
// body echoed, headers both ways, status codes, a streamed body, and a 404.
func TestHTTPProxyJS(t *testing.T) {
	srv := proxyServer(t, HTTPOptions{ErrorLog: logErrors(t)})
	big := strings.Repeat("0123456789abcdef", 10000) // 160000 bytes: several 64 KiB reads
	tests := []struct {
		name, method, path string
		body               string
		hdr                map[string]string
		status             int
		want               string
		wantHdr            map[string]string
	}{
		{name: "hello", method: "GET", path: "/hello", status: 200, want: "hello from js\n",
			wantHdr: map[string]string{"Content-Type": "text/plain", "X-Gowasm": "yes"}},
		{name: "echo", method: "POST", path: "/echo", body: "ping", hdr: map[string]string{"X-Test": "abc"},
			status: 200, want: "ping", wantHdr: map[string]string{"X-Method": "POST", "X-Echo": "abc"}},
		{name: "echo-big", method: "PUT", path: "/echo", body: big, status: 200, want: big,
			wantHdr: map[string]string{"X-Method": "PUT"}},
		{name: "echo-empty", method: "POST", path: "/echo", status: 200, want: ""},
		{name: "status", method: "GET", path: "/status/418", status: 418, want: "status 418"},
		{name: "created", method: "GET", path: "/status/201", status: 201, want: "status 201"},
		{name: "headers", method: "GET", path: "/headers", hdr: map[string]string{"X-One": "1", "X-Two": "two words"},
			status: 200, want: "x-one: 1\nx-two: two words\n"},
		{name: "big", method: "GET", path: "/big?n=100000", status: 200, want: strings.Repeat("x", 100000)},
		{name: "not-found", method: "GET", path: "/nope?q=1", status: 404, want: "not found: /nope\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := doRequest(t, tt.method, srv.URL+tt.path, strings.NewReader(tt.body), tt.hdr)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d (body %.200q)", resp.StatusCode, tt.status, body)
			}
			if tt.name == "headers" {
				// the client adds its own (user-agent, accept-encoding...)
				for _, line := range strings.SplitAfter(tt.want, "\n") {
					if !strings.Contains(body, line) {
						t.Errorf("body %q lacks %q", body, line)
					}
				}
			} else if body != tt.want {
				t.Errorf("body %.200q (%d bytes), want %.200q (%d bytes)", body, len(body), tt.want, len(tt.want))
			}
			for k, v := range tt.wantHdr {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// TestHTTPTrap checks that a guest that spins forever gets status 500
// when it runs out of fuel (then the server goes on serving: the fuel is
// per request) or time (the context's deadline).
func TestHTTPTrap(t *testing.T) {
	var mu sync.Mutex
	var logged []string
	logTo := func(r *http.Request, err error) {
		mu.Lock()
		logged = append(logged, err.Error())
		mu.Unlock()
	}
	fueled := proxyServer(t, HTTPOptions{
		NewStore: func() *interp.Store { return interp.NewStore(interp.Config{Fuel: 2_000_000}) },
		ErrorLog: logTo,
	})
	timed := proxyServer(t, HTTPOptions{Timeout: 200 * time.Millisecond, ErrorLog: logTo})
	for _, tt := range []struct {
		srv  *httptest.Server
		want string
	}{
		{fueled, "internal server error: the guest failed\n"},
		{timed, "internal server error: the guest timed out\n"},
	} {
		start := time.Now()
		resp, body := doRequest(t, "GET", tt.srv.URL+"/spin", nil, nil)
		if resp.StatusCode != 500 || body != tt.want {
			t.Errorf("status %d, body %q; want 500 %q", resp.StatusCode, body, tt.want)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("stopping the guest took %v", d)
		}
	}
	mu.Lock()
	if len(logged) != 2 || !strings.Contains(logged[0], "handle") || !strings.Contains(logged[1], "deadline exceeded") {
		t.Errorf("ErrorLog got %q", logged)
	}
	mu.Unlock()
	for range 2 {
		if resp, body := doRequest(t, "GET", fueled.URL+"/hello", nil, nil); resp.StatusCode != 200 || body != "hello from js\n" {
			t.Errorf("after the trap: %d %q", resp.StatusCode, body)
		}
	}
}

// TestHTTPClientGone checks that a client giving up stops its guest: the
// request's context is cancelled, which interrupts the spinning guest.
func TestHTTPClientGone(t *testing.T) {
	stopped := make(chan error, 1)
	srv := proxyServer(t, HTTPOptions{ErrorLog: func(r *http.Request, err error) { stopped <- err }})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+"/spin", nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("GET /spin answered %d", resp.StatusCode)
	}
	left := time.Now()
	select {
	case err := <-stopped:
		t.Logf("the guest stopped %v after the client left", time.Since(left))
		if !strings.Contains(err.Error(), "context canceled") {
			t.Errorf("the guest stopped with %v, want the context's cancellation", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the guest still runs 5 s after the client left")
	}
}

// TestHTTPConcurrent makes requests at once: each gets its own instance.
func TestHTTPConcurrent(t *testing.T) {
	srv := proxyServer(t, HTTPOptions{ErrorLog: logErrors(t)})
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := fmt.Sprintf("request %d", i)
			resp, err := http.Post(srv.URL+"/echo", "text/plain", strings.NewReader(msg))
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil || resp.StatusCode != 200 || string(b) != msg {
				errs <- fmt.Errorf("%s: status %d, body %q, err %v", msg, resp.StatusCode, b, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestHTTPOutgoing has the guest fetch from another server through
// Config.HTTPClient, and checks that without a client the request is
// refused (the guest answers 502 then).
func TestHTTPOutgoing(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Up", "1")
		fmt.Fprintf(w, "upstream saw %s %s", r.Method, r.URL.Path)
	}))
	defer upstream.Close()
	target := "/fetch?url=" + url.QueryEscape(upstream.URL+"/data")

	allowed := proxyServer(t, HTTPOptions{
		ErrorLog: logErrors(t),
		Config:   func(*http.Request) Config { return Config{HTTPClient: upstream.Client()} },
	})
	resp, body := doRequest(t, "GET", allowed.URL+target, nil, nil)
	if resp.StatusCode != 200 || body != "upstream saw GET /data" || resp.Header.Get("X-Upstream-Status") != "200" {
		t.Errorf("allowed: status %d, body %q, headers %v", resp.StatusCode, body, resp.Header)
	}

	denied := proxyServer(t, HTTPOptions{ErrorLog: logErrors(t)})
	resp, body = doRequest(t, "GET", denied.URL+target, nil, nil)
	if resp.StatusCode != 502 || !strings.HasPrefix(body, "fetch failed") {
		t.Errorf("denied: status %d, body %q", resp.StatusCode, body)
	}
}

// TestHTTPRecorder serves one request into an httptest.ResponseRecorder.
func TestHTTPRecorder(t *testing.T) {
	c := compileProxy(t)
	hh, err := NewHTTPHandler(c, HTTPOptions{ErrorLog: logErrors(t)})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "http://example.com/echo", bytes.NewReader([]byte("recorded")))
	hh.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.String() != "recorded" || rec.Header().Get("X-Method") != "POST" {
		t.Errorf("status %d, body %q, headers %v", rec.Code, rec.Body.String(), rec.Header())
	}
}

// readTestFile reads a test file.
func readTestFile(path string) ([]byte, error) { return os.ReadFile(path) }

// isNotExist reports whether err is a missing file outside CI.
func isNotExist(err error) bool {
	return errors.Is(err, os.ErrNotExist) && os.Getenv("CI") != "true"
}

// httpHost returns a host for cfg with every interface recorded,
// wasi:http included.
func httpHost(t *testing.T, cfg Config) (*Host, *recorder) {
	t.Helper()
	h, r := testHost(t, cfg)
	if err := h.defineHTTP(r); err != nil {
		t.Fatal(err)
	}
	return h, r
}

// okPayload returns the payload of an ok result, failing the test on err.
func okPayload(t *testing.T, what string, v component.Val) component.Val {
	t.Helper()
	if v.Kind != component.KindResult || v.IsErr() {
		t.Fatalf("%s = %v, want ok", what, v)
	}
	if p := v.Payload(); p != nil {
		return *p
	}
	return component.Val{}
}

// errCase returns the case of an err(variant) result, "ok" for ok.
func errCase(v component.Val) string {
	if !v.IsErr() {
		return "ok"
	}
	if p := v.Payload(); p != nil {
		return p.Case()
	}
	return "err"
}

// TestHTTPFields drives the fields resource: case-insensitive names,
// header errors (invalid syntax, forbidden, immutable), children of
// requests immutable, clones mutable, the size bound.
func TestHTTPFields(t *testing.T) {
	h, r := httpHost(t, Config{})
	const ty = "wasi:http/types#"
	str, bs := component.String, func(s string) component.Val { return component.Bytes([]byte(s)) }
	f := r.must(t, ty+"[constructor]fields")
	fb := f.Borrowed()
	steps := []struct {
		fn   string
		args []component.Val
		want string // errCase of the result
	}{
		{"append", []component.Val{fb, str("X-A"), bs("1")}, "ok"},
		{"append", []component.Val{fb, str("x-a"), bs("2")}, "ok"},
		{"append", []component.Val{fb, str("x-b"), bs("3")}, "ok"},
		{"append", []component.Val{fb, str("bad name"), bs("1")}, "invalid-syntax"},
		{"append", []component.Val{fb, str(""), bs("1")}, "invalid-syntax"},
		{"append", []component.Val{fb, str("x-c"), bs("a\r\nb")}, "invalid-syntax"},
		{"append", []component.Val{fb, str("Connection"), bs("close")}, "forbidden"},
		{"set", []component.Val{fb, str("transfer-encoding"), component.List(bs("chunked"))}, "forbidden"},
		{"set", []component.Val{fb, str("x-b"), component.List(bs("4"), bs("5"))}, "ok"},
		{"delete", []component.Val{fb, str("x-nope")}, "ok"},
		{"delete", []component.Val{fb, str("bad name")}, "invalid-syntax"},
	}
	for _, s := range steps {
		if got := errCase(r.must(t, ty+"[method]fields."+s.fn, s.args...)); got != s.want {
			t.Errorf("%s%v = %s, want %s", s.fn, s.args[1:], got, s.want)
		}
	}
	if got := component.FormatWAVE(r.must(t, ty+"[method]fields.entries", fb)); got != `[("x-a", [49]), ("x-a", [50]), ("x-b", [52]), ("x-b", [53])]` {
		t.Errorf("entries = %s", got)
	}
	if got := component.FormatWAVE(r.must(t, ty+"[method]fields.get", fb, str("X-a"))); got != "[[49], [50]]" {
		t.Errorf("get X-a = %s", got)
	}
	if !r.must(t, ty+"[method]fields.has", fb, str("X-B")).AsBool() || r.must(t, ty+"[method]fields.has", fb, str("x-z")).AsBool() {
		t.Error("has is wrong")
	}
	r.must(t, ty+"[method]fields.delete", fb, str("X-A"))
	if got := component.FormatWAVE(r.must(t, ty+"[method]fields.entries", fb)); got != `[("x-b", [52]), ("x-b", [53])]` {
		t.Errorf("entries after delete = %s", got)
	}

	// from-list
	entry := func(k, v string) component.Val { return component.Tuple(str(k), bs(v)) }
	for _, tt := range []struct {
		entries []component.Val
		want    string
	}{
		{[]component.Val{entry("Content-Type", "text/plain"), entry("x-a", "1")}, "ok"},
		{[]component.Val{entry("x-a", "1"), entry("host", "example.com")}, "forbidden"},
		{[]component.Val{entry("x(a)", "1")}, "invalid-syntax"},
		{[]component.Val{entry("x-a", strings.Repeat("v", maxFieldsBytes))}, "invalid-syntax"},
	} {
		if got := errCase(r.must(t, ty+"[static]fields.from-list", component.List(tt.entries...))); got != tt.want {
			t.Errorf("from-list %v = %s, want %s", tt.entries, got, tt.want)
		}
	}

	// The headers of an incoming request are immutable; their clone is not.
	req := h.http.inReqs.own(newIncomingRequest(httptest.NewRequest("GET", "/p?q=1", nil)))
	hd := r.must(t, ty+"[method]incoming-request.headers", req.Borrowed())
	if got := errCase(r.must(t, ty+"[method]fields.append", hd.Borrowed(), str("x-a"), bs("1"))); got != "immutable" {
		t.Errorf("append to request headers = %s, want immutable", got)
	}
	if got := errCase(r.must(t, ty+"[method]fields.delete", hd.Borrowed(), str("x-a"))); got != "immutable" {
		t.Errorf("delete from request headers = %s, want immutable", got)
	}
	cl := r.must(t, ty+"[method]fields.clone", hd.Borrowed())
	if got := errCase(r.must(t, ty+"[method]fields.append", cl.Borrowed(), str("x-a"), bs("1"))); got != "ok" {
		t.Errorf("append to a clone = %s, want ok", got)
	}
	if got := component.FormatWAVE(r.must(t, ty+"[method]incoming-request.path-with-query", req.Borrowed())); got != `some("/p?q=1")` {
		t.Errorf("path-with-query = %s", got)
	}
	if got := component.FormatWAVE(r.must(t, ty+"[method]incoming-request.method", req.Borrowed())); got != "get" {
		t.Errorf("method = %s", got)
	}
	okPayload(t, "consume", r.must(t, ty+"[method]incoming-request.consume", req.Borrowed()))
	if got := errCase(r.must(t, ty+"[method]incoming-request.consume", req.Borrowed())); got != "err" {
		t.Errorf("second consume = %s, want err", got)
	}
}

// TestHTTPBadHandles calls wasi:http functions with handles the host does
// not know: each fails (a trap for the guest), none panics.
func TestHTTPBadHandles(t *testing.T) {
	h, r := httpHost(t, Config{})
	s := &h.http
	f := r.must(t, "wasi:http/types#[constructor]fields")
	fRep, _ := f.Handle()
	if err := component.DropResource(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	stale := component.Borrow(s.fields.rt, fRep)
	body := component.Own(s.outBodies.rt, 77)
	calls := []struct {
		fn   string
		args []component.Val
	}{
		{"[method]fields.get", []component.Val{stale, component.String("x")}},
		{"[method]fields.append", []component.Val{component.Borrow(s.inReqs.rt, fRep), component.String("x"), component.Bytes(nil)}},
		{"[constructor]outgoing-request", []component.Val{component.Own(s.fields.rt, fRep)}},
		{"[method]incoming-request.consume", []component.Val{component.Borrow(s.inReqs.rt, 5)}},
		{"[method]outgoing-body.write", []component.Val{body.Borrowed()}},
		{"[static]outgoing-body.finish", []component.Val{body, component.None()}},
		{"[static]response-outparam.set", []component.Val{component.Own(s.outparams.rt, 3), component.Err(ptr(errorCode("HTTP-request-denied", nil)))}},
		{"[method]future-incoming-response.get", []component.Val{component.Borrow(s.futResps.rt, 1)}},
		{"[method]future-trailers.get", []component.Val{component.Borrow(s.futTrailers.rt, 1)}},
		{"[method]incoming-body.stream", []component.Val{component.Borrow(component.NewResourceType("other", nil), 1)}},
		{"http-error-code", []component.Val{component.Borrow(h.io.errorRT, 9)}},
	}
	for _, c := range calls {
		if _, err := r.call(t, context.Background(), "wasi:http/types#"+c.fn, c.args...); err == nil {
			t.Errorf("%s with a bad handle: no error", c.fn)
		}
	}
	if _, err := r.call(t, context.Background(), "wasi:http/outgoing-handler#handle", component.Own(s.outReqs.rt, 4), component.None()); err == nil {
		t.Error("handle with a bad handle: no error")
	}
}

// newOutgoingRequest makes an outgoing-request through the host
// functions: method, scheme, authority, path with query.
func newOutgoingRequest(t *testing.T, r *recorder, method, scheme, authority, path string) component.Val {
	t.Helper()
	const ty = "wasi:http/types#"
	hd := r.must(t, ty+"[static]fields.from-list", component.List(component.Tuple(component.String("x-req"), component.Bytes([]byte("yes")))))
	req := r.must(t, ty+"[constructor]outgoing-request", okPayload(t, "from-list", hd))
	rb := req.Borrowed()
	okPayload(t, "set-method", r.must(t, ty+"[method]outgoing-request.set-method", rb, methodVal(method)))
	okPayload(t, "set-scheme", r.must(t, ty+"[method]outgoing-request.set-scheme", rb, component.Some(schemeVal(scheme))))
	okPayload(t, "set-authority", r.must(t, ty+"[method]outgoing-request.set-authority", rb, component.Some(component.String(authority))))
	okPayload(t, "set-path-with-query", r.must(t, ty+"[method]outgoing-request.set-path-with-query", rb, component.Some(component.String(path))))
	return req
}

// TestHTTPOutgoingHost sends a POST with a streamed body through
// outgoing-handler.handle and reads the response back: status, headers,
// body, trailers; then checks the refusals (no client, bad request
// parts, a refused connection).
func TestHTTPOutgoingHost(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Trailer", "X-Sum")
		w.Header().Set("X-Got", r.Header.Get("X-Req"))
		w.WriteHeader(201)
		fmt.Fprintf(w, "%s %s %s", r.Method, r.URL.RequestURI(), b)
		w.Header().Set("X-Sum", "42")
	}))
	defer upstream.Close()
	authority := strings.TrimPrefix(upstream.URL, "http://")
	ctx := context.Background()
	const ty = "wasi:http/types#"

	h, r := httpHost(t, Config{HTTPClient: upstream.Client()})
	req := newOutgoingRequest(t, r, "POST", "http", authority, "/up?x=1")
	body := okPayload(t, "body", r.must(t, ty+"[method]outgoing-request.body", req.Borrowed()))
	if got := errCase(r.must(t, ty+"[method]outgoing-request.body", req.Borrowed())); got != "err" {
		t.Errorf("second body = %s", got)
	}
	out := okPayload(t, "write", r.must(t, ty+"[method]outgoing-body.write", body.Borrowed()))
	fut := okPayload(t, "handle", r.must(t, "wasi:http/outgoing-handler#handle", req, component.None()))
	for _, part := range []string{"streamed ", "body"} {
		if got := streamErrCase(r.must(t, "wasi:io/streams#[method]output-stream.blocking-write-and-flush", out.Borrowed(), component.Bytes([]byte(part)))); got != "ok" {
			t.Fatalf("write: %s", got)
		}
	}
	if err := component.DropResource(ctx, out); err != nil {
		t.Fatal(err)
	}
	okPayload(t, "finish", r.must(t, ty+"[static]outgoing-body.finish", body, component.None()))
	pl := r.must(t, ty+"[method]future-incoming-response.subscribe", fut.Borrowed())
	r.must(t, "wasi:io/poll#[method]pollable.block", pl.Borrowed())
	got := r.must(t, ty+"[method]future-incoming-response.get", fut.Borrowed())
	if !got.IsSome() {
		t.Fatal("get after block = none")
	}
	resp := okPayload(t, "get", okPayload(t, "get", *got.Payload()))
	if st := r.must(t, ty+"[method]incoming-response.status", resp.Borrowed()).AsUint(); st != 201 {
		t.Errorf("status %d", st)
	}
	hd := r.must(t, ty+"[method]incoming-response.headers", resp.Borrowed())
	if v := component.FormatWAVE(r.must(t, ty+"[method]fields.get", hd.Borrowed(), component.String("x-got"))); v != "[[121, 101, 115]]" {
		t.Errorf("x-got = %s", v)
	}
	ib := okPayload(t, "consume", r.must(t, ty+"[method]incoming-response.consume", resp.Borrowed()))
	in := okPayload(t, "stream", r.must(t, ty+"[method]incoming-body.stream", ib.Borrowed()))
	var all []byte
	for {
		v := r.must(t, "wasi:io/streams#[method]input-stream.blocking-read", in.Borrowed(), component.U64(1<<20))
		if v.IsErr() {
			break
		}
		all = append(all, okBytes(t, v)...)
	}
	if string(all) != "POST /up?x=1 streamed body" {
		t.Errorf("body %q", all)
	}
	if err := component.DropResource(ctx, in); err != nil {
		t.Fatal(err)
	}
	ft := r.must(t, ty+"[static]incoming-body.finish", ib)
	tr := r.must(t, ty+"[method]future-trailers.get", ft.Borrowed())
	if s := component.FormatWAVE(tr); !strings.Contains(s, "some(ok(ok(some(") {
		t.Errorf("trailers = %s", s)
	}
	if s := component.FormatWAVE(r.must(t, ty+"[method]future-trailers.get", ft.Borrowed())); s != "some(err)" {
		t.Errorf("second trailers get = %s", s)
	}
	if s := component.FormatWAVE(r.must(t, ty+"[method]future-incoming-response.get", fut.Borrowed())); s != "some(err)" {
		t.Errorf("second get = %s", s)
	}
	_ = h

	// Refusals and failures.
	closed := httptest.NewServer(http.NotFoundHandler())
	closedAuthority := strings.TrimPrefix(closed.URL, "http://")
	closed.Close()
	for _, tt := range []struct {
		name   string
		client *http.Client
		scheme string
		auth   string
		want   string // error-code case, from handle or from the future
	}{
		{"denied", nil, "http", authority, "HTTP-request-denied"},
		{"refused", http.DefaultClient, "http", closedAuthority, "connection-refused"},
		{"other scheme", http.DefaultClient, "ftp", authority, "HTTP-protocol-error"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, r := httpHost(t, Config{HTTPClient: tt.client})
			req := newOutgoingRequest(t, r, "GET", tt.scheme, tt.auth, "/")
			res := r.must(t, "wasi:http/outgoing-handler#handle", req, component.None())
			if res.IsErr() {
				if got := res.Payload().Case(); got != tt.want {
					t.Errorf("handle = %s, want %s", got, tt.want)
				}
				return
			}
			fut := *res.Payload()
			pl := r.must(t, ty+"[method]future-incoming-response.subscribe", fut.Borrowed())
			r.must(t, "wasi:io/poll#[method]pollable.block", pl.Borrowed())
			v := r.must(t, ty+"[method]future-incoming-response.get", fut.Borrowed())
			inner := okPayload(t, "get", *v.Payload())
			if got := errCase(inner); got != tt.want {
				t.Errorf("response = %s, want %s", component.FormatWAVE(inner), tt.want)
			}
		})
	}

	// Setters refuse bad values.
	_, r = httpHost(t, Config{})
	req = r.must(t, ty+"[constructor]outgoing-request", r.must(t, ty+"[constructor]fields"))
	rb := req.Borrowed()
	for _, tt := range []struct {
		fn  string
		arg component.Val
	}{
		{"set-method", methodVal("BAD METHOD")},
		{"set-path-with-query", component.Some(component.String("no-slash"))},
		{"set-path-with-query", component.Some(component.String("/a b"))},
		{"set-authority", component.Some(component.String("user@host"))},
		{"set-authority", component.Some(component.String("host/path"))},
		{"set-scheme", component.Some(schemeVal("1bad"))},
	} {
		if got := errCase(r.must(t, ty+"[method]outgoing-request."+tt.fn, rb, tt.arg)); got != "err" {
			t.Errorf("%s(%s) = %s, want err", tt.fn, component.FormatWAVE(tt.arg), got)
		}
	}
}

// manualJS is the wasi:http proxy of testdata written against the
// wasi:http/types bindings directly (testdata/components/http/manual.js).
const manualJS = "../../testdata/components/http/manual-js.component.wasm"

// manualComponent compiles manualJS once.
var manualComponent = sync.OnceValues(func() (*component.Component, error) {
	b, err := readTestFile(manualJS)
	if err != nil {
		return nil, err
	}
	return component.Compile(context.Background(), b)
})

// TestHTTPManualJS serves manual.js: the request seen through the
// resources, fields errors as a guest sees them, trailers, and the
// failures (error-code set, no response set, an exception, a body never
// finished).
func TestHTTPManualJS(t *testing.T) {
	c, err := manualComponent()
	if err != nil {
		if isNotExist(err) {
			t.Skipf("%s missing", manualJS)
		}
		t.Fatal(err)
	}
	var mu sync.Mutex
	var logged []string
	hh, err := NewHTTPHandler(c, HTTPOptions{ErrorLog: func(r *http.Request, err error) {
		mu.Lock()
		logged = append(logged, r.URL.Path+": "+err.Error())
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hh)
	defer srv.Close()

	resp, body := doRequest(t, "PATCH", srv.URL+"/any/path?x=y", strings.NewReader("the body"), map[string]string{"X-One": "1"})
	if resp.StatusCode != 200 || resp.Header.Get("X-Count") != "8" || resp.Header.Get("Content-Type") != "text/plain" ||
		!strings.HasPrefix(body, "PATCH /any/path?x=y\n") || !strings.Contains(body, "\nx-one=1\n") || !strings.HasSuffix(body, "\n\nthe body") {
		t.Errorf("echo: status %d, headers %v, body %q", resp.StatusCode, resp.Header, body)
	}

	resp, body = doRequest(t, "GET", srv.URL+"/fields", nil, nil)
	want := `from-list forbidden: forbidden
from-list bad name: invalid-syntax
from-list bad value: invalid-syntax
append: ok
append again: ok
get: 1,2
set: ok
has: true
entries: [["x-a","3"]]
delete: ok
has after delete: false
request headers append: immutable
clone append: ok
`
	if resp.StatusCode != 200 || body != want {
		t.Errorf("fields: status %d, body:\n%s\nwant:\n%s", resp.StatusCode, body, want)
	}

	resp, body = doRequest(t, "GET", srv.URL+"/trailers", nil, nil)
	if resp.StatusCode != 200 || body != "with trailers" || resp.Trailer.Get("X-Checksum") != "abc" {
		t.Errorf("trailers: status %d, body %q, trailers %v", resp.StatusCode, body, resp.Trailer)
	}

	for _, path := range []string{"/error", "/unset", "/throw"} {
		resp, body = doRequest(t, "GET", srv.URL+path, nil, nil)
		if resp.StatusCode != 500 {
			t.Errorf("%s: status %d, body %q; want 500", path, resp.StatusCode, body)
		}
	}

	// A body never finished: the response is aborted, the client sees
	// an error rather than a complete body.
	r, err := http.Get(srv.URL + "/unfinished")
	if err == nil {
		b, rerr := io.ReadAll(r.Body)
		r.Body.Close()
		if rerr == nil {
			t.Errorf("unfinished: status %d, body %q read without an error", r.StatusCode, b)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	t.Logf("ErrorLog: %q", logged)
	for _, want := range []string{"/error: the guest set error-code HTTP-request-denied", "/unset: the guest did not set a response",
		"/throw: ", "/unfinished: the guest did not finish"} {
		found := false
		for _, l := range logged {
			found = found || strings.HasPrefix(l, want)
		}
		if !found {
			t.Errorf("ErrorLog lacks %q: %q", want, logged)
		}
	}
}

// BenchmarkHTTPHandler serves GET /hello with proxyJS into a recorder: a
// fresh instance per request.
func BenchmarkHTTPHandler(b *testing.B) {
	c, err := proxyComponent()
	if err != nil {
		b.Skip(err)
	}
	hh, err := NewHTTPHandler(c, HTTPOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rec := httptest.NewRecorder()
		hh.ServeHTTP(rec, httptest.NewRequest("GET", "/hello", nil))
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// TestHTTPWIT checks the definitions of wasi:http against its WIT, as
// TestWIT does for the other interfaces: every stable function (but the
// exported incoming-handler) with its parameter names, every resource,
// nothing else but the unstable send-informational.
func TestHTTPWIT(t *testing.T) {
	root := testenv.Require(t, "wit/wasi-"+Version)
	h := NewHost(Config{})
	defer h.Close()
	r := &recorder{funcs: map[string]recorded{}, resources: map[string]*component.ResourceType{}}
	if err := h.defineHTTP(r); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"wasi:http/types@" + Version + "#[method]response-outparam.send-informational": true}
	nfuncs, _ := checkWIT(t, r, root, "http", want, "wasi:http/incoming-handler#")
	for name := range r.funcs {
		if !want[name] {
			t.Errorf("function %s defined but not in the WIT", name)
		}
	}
	for name := range r.resources {
		if !want[name] {
			t.Errorf("resource %s defined but not in the WIT", name)
		}
	}
	if nfuncs < 50 {
		t.Errorf("only %d functions found in the WIT: the scanner misses some", nfuncs)
	}
}

// TestHTTPNoPanics calls every wasi:http host function with arguments a
// guest may pass, valid or not (as TestNoPanics does for wasi:io): live
// handles of every resource, stale ones, ones of another resource, odd
// strings and numbers, every case of the variants. No call may panic.
func TestHTTPNoPanics(t *testing.T) {
	h, r := httpHost(t, Config{})
	s := &h.http
	ctx := context.Background()
	rec := httptest.NewRecorder()
	st := &serveState{w: rec, r: httptest.NewRequest("GET", "/", nil), rc: http.NewResponseController(rec)}
	done := make(chan struct{})
	close(done)
	refused := errorCode("connection-refused", nil)
	live := map[*component.ResourceType][]uint32{}
	add := func(v component.Val) {
		rep, rt := v.Handle()
		live[rt] = append(live[rt], rep)
	}
	for range 2 { // own parameters consume one
		add(s.fields.own(&httpFields{list: &fieldList{}}))
		add(s.fields.own(&httpFields{list: &fieldList{}, immutable: true}))
		add(s.inReqs.own(newIncomingRequest(httptest.NewRequest("POST", "/x", strings.NewReader("body")))))
		add(s.outReqs.own(&outgoingRequest{method: "GET", headers: &fieldList{}}))
		add(s.reqOpts.own(&requestOptions{}))
		add(s.outparams.own(&responseOutparam{st: st}))
		add(s.inResps.own(&incomingResponse{status: 200, headers: &fieldList{},
			body: newIncomingBody(strings.NewReader("r"), nil, nil)}))
		add(s.inBodies.own(newIncomingBody(strings.NewReader("b"), nil, nil)))
		add(s.futTrailers.own(&futureTrailers{}))
		sink := &responseSink{}
		add(s.outResps.own(&outgoingResponse{status: 200, headers: &fieldList{}}))
		add(s.outBodies.own(&outgoingBody{sink: sink}))
		add(s.futResps.own(&futureResponse{done: done, code: &refused, cancel: func() {}}))
		add(h.newError(io.ErrUnexpectedEOF))
	}
	stale := s.fields.own(&httpFields{list: &fieldList{}})
	if err := component.DropResource(ctx, stale); err != nil {
		t.Fatal(err)
	}
	staleRep, _ := stale.Handle()
	other := component.NewResourceType("other", nil)

	var candidates func(typ *component.Type, depth int) []component.Val
	candidates = func(typ *component.Type, depth int) []component.Val {
		if typ == nil {
			return []component.Val{{}}
		}
		first := func(t *component.Type) component.Val { return candidates(t, depth+1)[0] }
		switch typ.Kind {
		case component.KindBorrow, component.KindOwn:
			mk := component.Borrow
			if typ.Kind == component.KindOwn {
				mk = component.Own
			}
			var vs []component.Val
			for _, rep := range live[typ.Resource] {
				vs = append(vs, mk(typ.Resource, rep))
			}
			if depth > 0 && len(vs) > 0 {
				return vs[:1]
			}
			return append(vs, mk(typ.Resource, staleRep), mk(typ.Resource, 0), mk(other, 1))
		case component.KindString:
			return []component.Val{component.String("x-a"), component.String(""), component.String("bad name"),
				component.String("Connection"), component.String(strings.Repeat("n", maxFieldNameLen+1))}
		case component.KindU16:
			return []component.Val{component.U16(200), component.U16(0), component.U16(65535)}
		case component.KindU8:
			return []component.Val{component.U8(0)}
		case component.KindU32:
			return []component.Val{component.U32(0)}
		case component.KindU64:
			return []component.Val{component.U64(1), component.U64(0), component.U64(1<<64 - 1)}
		case component.KindList:
			if typ.Elem.Kind == component.KindU8 {
				return []component.Val{component.Bytes([]byte("v")), component.Bytes(nil), component.Bytes([]byte("a\nb")),
					component.Bytes(make([]byte, maxFieldsBytes))}
			}
			return []component.Val{component.List(), component.List(first(typ.Elem), first(typ.Elem))}
		case component.KindTuple:
			var es []component.Val
			for _, et := range typ.Types {
				es = append(es, first(et))
			}
			return []component.Val{component.Tuple(es...)}
		case component.KindRecord:
			var fs []component.NamedVal
			for _, f := range typ.Fields {
				fs = append(fs, component.NamedVal{Name: f.Name, Val: first(f.Type)})
			}
			return []component.Val{component.Record(fs...)}
		case component.KindOption:
			vs := []component.Val{component.None()}
			for _, c := range candidates(typ.Elem, depth+1) {
				vs = append(vs, component.Some(c))
			}
			return vs
		case component.KindResult:
			var vs []component.Val
			for _, c := range candidates(typ.OK, depth+1) {
				if typ.OK == nil {
					vs = append(vs, component.Ok(nil))
				} else {
					vs = append(vs, component.Ok(&c))
				}
			}
			for _, c := range candidates(typ.Err, depth+1) {
				if typ.Err == nil {
					vs = append(vs, component.Err(nil))
				} else {
					vs = append(vs, component.Err(&c))
				}
			}
			return vs
		case component.KindVariant:
			var vs []component.Val
			for _, c := range typ.Cases {
				if c.Type == nil {
					vs = append(vs, component.Variant(c.Name, nil))
				} else {
					for _, p := range candidates(c.Type, depth+1) {
						vs = append(vs, component.Variant(c.Name, &p))
					}
				}
			}
			return vs
		}
		t.Fatalf("no candidates for %s", typ)
		return nil
	}
	names := make([]string, 0, len(r.funcs))
	for n := range r.funcs {
		if strings.HasPrefix(n, "wasi:http/") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	calls := 0
	for _, name := range names {
		f := r.funcs[name]
		args := [][]component.Val{nil}
		for _, p := range f.typ.Params {
			var next [][]component.Val
			for _, prefix := range args {
				for _, c := range candidates(p.Type, 0) {
					next = append(next, append(append([]component.Val(nil), prefix...), c))
				}
			}
			args = next
		}
		for _, a := range args {
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("%s%v panics: %v", name, a, p)
					}
				}()
				cctx, cancel := context.WithTimeout(ctx, 5*time.Millisecond)
				defer cancel()
				f.fn(cctx, a)
				calls++
			}()
		}
	}
	t.Logf("%d calls", calls)
}

// ExampleNewHTTPHandler serves HTTP with a wasi:http proxy component, as
// gowasm serve does: a fresh instance per request, with fuel and a
// timeout per request, outgoing requests through http.DefaultClient.
func ExampleNewHTTPHandler() {
	ctx := context.Background()
	b, err := os.ReadFile("proxy.component.wasm")
	if err != nil {
		log.Fatal(err)
	}
	c, err := component.Compile(ctx, b)
	if err != nil {
		log.Fatal(err)
	}
	hh, err := NewHTTPHandler(c, HTTPOptions{
		Config: func(*http.Request) Config {
			return Config{Stderr: os.Stderr, HTTPClient: http.DefaultClient}
		},
		NewStore: func() *interp.Store { return interp.NewStore(interp.Config{Fuel: 1e9}) },
		Timeout:  10 * time.Second,
		ErrorLog: func(r *http.Request, err error) { log.Printf("%s %s: %v", r.Method, r.URL, err) },
	})
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", hh))
}
