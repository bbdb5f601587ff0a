package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasi/preview2"
)

// serveOptions are the flags of gowasm serve.
type serveOptions struct {
	runOptions
	addr      string
	allowHTTP bool
}

// serveHelp describes gowasm serve.
const serveHelp = "Serve HTTP requests with a component exporting wasi:http/incoming-handler\n" +
	"(the wasi:http/proxy world), as wasmtime serve does.\n\n" +
	"Each request runs in a fresh instance of the component (compiled once), with\n" +
	"the WASI 0.2 host: --env and --dir as for run, stdout and stderr of the guest\n" +
	"to those of gowasm, no stdin. --fuel, --max-memory and --timeout apply to each\n" +
	"request; a guest that traps, runs out of fuel or time before its response\n" +
	"starts gets status 500 (the error goes to stderr), after it started the\n" +
	"connection is broken. Requests the guest sends (wasi:http/outgoing-handler)\n" +
	"are refused with HTTP-request-denied unless --allow-http is given.\n\n" +
	"It prints \"Serving HTTP on http://ADDR/\" once listening and stops on an\n" +
	"interrupt (Ctrl-C), letting requests under way finish (for up to 5 s)."

func cmdServe(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return serve(ctx, args, stdout, stderr)
}

// serve runs gowasm serve until ctx is done.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", "[OPTIONS] COMPONENT", serveHelp, stderr)
	var opt serveOptions
	fs.StringVar(&opt.addr, "addr", "0.0.0.0:8080", "listen on `HOST:PORT` (port 0: any free port)")
	fs.BoolVar(&opt.allowHTTP, "allow-http", false, "let the guest send HTTP requests (wasi:http/outgoing-handler)")
	opt.addGuestFlags(fs)
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return usageError(fs, stderr, "expected one COMPONENT")
	}
	path := pos[0]
	scfg, err := opt.storeConfig()
	if err != nil {
		return usageError(fs, stderr, "%v", err)
	}
	// stdout and stderr are shared by the requests served at once.
	out, errw := &lockedWriter{w: stdout}, &lockedWriter{w: stderr}
	wcfg, err := wasiConfig(path, nil, opt.runOptions, out, errw)
	if err != nil {
		return usageError(fs, stderr, "%v", err)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return failf(stderr, "%v", err)
	}
	if !isComponent(src) {
		return failf(stderr, "%s: not a component (serve needs a component exporting wasi:http/incoming-handler)", path)
	}
	c, err := component.Compile(ctx, src)
	if err != nil {
		return failf(stderr, "%s: %v", path, err)
	}
	var client *http.Client
	if opt.allowHTTP {
		client = &http.Client{}
	}
	hh, err := preview2.NewHTTPHandler(c, preview2.HTTPOptions{
		Config: func(*http.Request) preview2.Config {
			return preview2.Config{
				Args: wcfg.Args, Env: wcfg.Env, Preopens: wcfg.Preopens,
				Stdout: out, Stderr: errw, HTTPClient: client,
				AllowTCP: opt.allowNetwork, AllowUDP: opt.allowNetwork, AllowIPNameLookup: opt.allowNetwork,
			}
		},
		NewStore: func() *interp.Store { return interp.NewStore(scfg) },
		Timeout:  opt.timeout,
		ErrorLog: func(r *http.Request, err error) {
			fmt.Fprintf(errw, "error: %s %s: %v\n", r.Method, r.URL.RequestURI(), err)
		},
	})
	if err != nil {
		return failf(stderr, "%s: %v", path, err)
	}

	ln, err := net.Listen("tcp", opt.addr)
	if err != nil {
		return failf(stderr, "%v", err)
	}
	srv := &http.Server{
		Handler:           hh,
		ReadHeaderTimeout: 30 * time.Second,
		MaxHeaderBytes:    256 << 10,
	}
	fmt.Fprintf(errw, "Serving HTTP on http://%s/\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return failf(stderr, "%v", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return failf(stderr, "%v", err)
	}
	return exitOK
}

// lockedWriter serialises the writes of concurrent guests.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
