package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader in other
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs gowasm serve with args on 127.0.0.1:0 and returns the
// server's URL, its stderr and a function stopping it that returns the
// exit code (the same on every call).
func startServe(t *testing.T, args ...string) (string, *syncBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- serve(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), &stdout, &stderr)
	}()
	stop := sync.OnceValue(func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
			return -1
		}
	})
	listening := regexp.MustCompile(`Serving HTTP on (http://\S+/)`)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if m := listening.FindStringSubmatch(stderr.String()); m != nil {
			return strings.TrimSuffix(m[1], "/"), &stderr, stop
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d: %s", code, stderr.String())
		default:
		}
	}
	cancel()
	t.Fatalf("serve did not start: %s", stderr.String())
	return "", nil, nil
}

// TestServe serves the componentize-js proxy of testdata/components/http
// with gowasm serve: a GET, a POST echoed, an outgoing request
// (--allow-http), a guest stopped by --fuel
// (500, the error on stderr; the fuel is per request: the requests after
// it are served), then shuts the server down.
func TestServe(t *testing.T) {
	proxy := componentsDir + "http/proxy-js.component.wasm"
	if !fileExists(proxy) {
		t.Skipf("%s missing", proxy)
	}
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "from upstream")
	}))
	defer upstream.Close()
	base, stderr, stop := startServe(t, "--timeout", "60s", "--fuel", "2000000", "--allow-http", proxy)
	defer stop()
	tests := []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"GET", "/hello", "", 200, "hello from js\n"},
		{"POST", "/echo", "served by gowasm", 200, "served by gowasm"},
		{"GET", "/status/404", "", 404, "status 404"},
		{"GET", "/fetch?url=" + url.QueryEscape(upstream.URL), "", 200, "from upstream"},
		{"GET", "/spin", "", 500, "internal server error: the guest failed\n"},
		{"GET", "/hello", "", 200, "hello from js\n"},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, base+tt.path, strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", tt.method, tt.path, err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != tt.status || string(b) != tt.want {
			t.Errorf("%s %s: status %d, body %q, err %v; want %d %q", tt.method, tt.path, resp.StatusCode, b, err, tt.status, tt.want)
		}
	}
	if code := stop(); code != exitOK {
		t.Errorf("serve exited with %d", code)
	}
	if !strings.Contains(stderr.String(), "error: GET /spin: ") {
		t.Errorf("stderr lacks the trap of /spin:\n%s", stderr.String())
	}
}

// TestServeErrors checks the command line errors of gowasm serve.
func TestServeErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		have string
	}{
		{nil, exitUsage, "expected one COMPONENT"},
		{[]string{"--max-memory", "lots", "x.wasm"}, exitUsage, "--max-memory"},
		{[]string{"missing.wasm"}, exitFailure, "missing.wasm"},
		{[]string{componentsDir + "adder-wat.component.wasm"}, exitFailure, "wasi:http/incoming-handler"},
		{[]string{componentsDir + "adder.wat"}, exitFailure, "not a component"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"serve"}, tt.args...), &stdout, &stderr)
		if code != tt.code || !strings.Contains(stderr.String(), tt.have) {
			t.Errorf("serve %q = %d, stderr %q; want %d and %q", tt.args, code, stderr.String(), tt.code, tt.have)
		}
	}
}

// fileExists reports whether path exists.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
