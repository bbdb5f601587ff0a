// Package preview2 implements the WASI 0.2 (WASIp2) interfaces for
// components run by package component: wasi:io, wasi:cli, wasi:clocks,
// wasi:random, wasi:filesystem, wasi:http and wasi:sockets, at version
// 0.2.12, which also serves
// components importing any earlier 0.2.x version (semver-compatible
// matching of the component linker).
//
//	h := preview2.NewHost(preview2.Config{Args: []string{"app"}, Stdout: os.Stdout})
//	defer h.Close()
//	l := component.NewLinker()
//	if err := h.Define(l); err != nil { ... }
//	preview2.DefineUnsupported(l, c) // optional: WASI 0.3... fail when called
//	inst, err := l.Instantiate(ctx, store, c)
//	err = preview2.Run(ctx, inst) // calls wasi:cli/run#run
//
// Interfaces: wasi:io/error, poll and streams; wasi:cli/environment, exit
// (with exit-with-code), stdin, stdout, stderr, run (Run calls it) and
// the terminal interfaces (the guest never has a terminal); wasi:clocks
// wall-clock and monotonic-clock (the unstable timezone is left out);
// wasi:random random, insecure and insecure-seed; wasi:filesystem types
// and preopens; wasi:http types and outgoing-handler (requests go through
// Config.HTTPClient, refused when it is nil), and HTTPHandler serves HTTP
// with components exporting wasi:http/incoming-handler; wasi:sockets
// network, instance-network, tcp, tcp-create-socket, udp,
// udp-create-socket and ip-name-lookup, denied unless Config.AllowTCP,
// AllowUDP or AllowIPNameLookup allow them (see sockets.go).
//
// Every resource (error, pollable, input-stream, output-stream,
// descriptor...) is a host resource whose representation indexes a table
// of the Host; its destructor frees the entry when the guest drops the
// handle. Handles a guest never drops stay until Close.
//
// Streams: an input stream over a regular file or an in-memory reader is
// read directly (its reads never wait long, its pollable is always ready);
// over a pipe or a terminal (stdin, typically) a goroutine reads ahead, so
// read returns what has arrived (possibly nothing) and the pollable
// becomes ready when data or the end arrives. Output streams write
// through to their io.Writer (Flush is called when the writer has one);
// their pollables are always ready. One read, skip or splice moves at
// most 64 KiB, check-write permits 64 KiB, and write, write-zeroes or
// blocking-write-zeroes-and-flush of more traps (blocking-write-and-flush
// takes any length); get-random-bytes traps beyond 64 MiB. A handle the host
// does not know (dropped, or of another resource) makes the call fail,
// which traps the guest. Blocking calls (pollable.block, poll,
// blocking-read...) end when the context of the call is done, failing
// with its error.
//
// wasi:cli/exit unwinds the guest with an *ExitError, which Run returns
// (or nil for status 0).
package preview2

import (
	"io"
	"net/http"
	"net/netip"
	"time"

	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/wasi/preview1"
)

// Version is the WASI 0.2 version whose interfaces the host defines.
const Version = "0.2.12"

// Config describes a guest's environment. The zero value gives a guest no
// arguments, no environment, empty stdin, discarded output, no
// directories, the host's clocks and crypto/rand.
type Config struct {
	Args   []string
	Env    []string // "NAME=VALUE"
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Preopens are the directories the guest sees (wasi:filesystem/preopens).
	Preopens []preview1.Preopen
	// Random supplies wasi:random; nil means crypto/rand.
	Random io.Reader
	// Now returns the wall clock; nil means time.Now.
	Now func() time.Time
	// InitialCwd is what wasi:cli/environment#initial-cwd returns; ""
	// means none.
	InitialCwd string
	// HTTPClient sends the requests of wasi:http/outgoing-handler; nil
	// refuses them with error-code HTTP-request-denied.
	HTTPClient *http.Client
	// AllowTCP, AllowUDP and AllowIPNameLookup let the guest create TCP
	// and UDP sockets and resolve names with wasi:sockets; each is denied
	// by default (error-code access-denied).
	AllowTCP, AllowUDP, AllowIPNameLookup bool
	// AllowSocketAddr, when set, approves each address a guest's socket
	// binds to (bind true) or connects or sends to (bind false); a refused
	// address fails with access-denied. Nil allows every address.
	AllowSocketAddr func(addr netip.AddrPort, bind bool) bool
}

// Host is the WASI state of one component instance: its configuration
// and the host resources (streams, pollables, descriptors...) handed to
// the guest. A Host serves one instance; it is not safe for concurrent
// use by several guests.
type Host struct {
	cfg Config
	// start is the origin of the monotonic clock.
	start time.Time
	// io holds the state of wasi:io (io.go).
	io ioState
	// fs holds the state of wasi:filesystem (filesystem.go).
	fs fsState
	// http holds the state of wasi:http (http*.go).
	http httpState
	// sock holds the state of wasi:sockets (sockets.go).
	sock sockState
}

// NewHost returns a host for cfg.
func NewHost(cfg Config) *Host {
	h := &Host{cfg: cfg, start: time.Now()}
	h.initIO()
	h.initFS()
	h.initHTTP()
	h.initSockets()
	return h
}

// Define defines every interface of the host in l, at version Version.
func (h *Host) Define(l *component.Linker) error {
	for _, def := range []func(linker) error{h.defineIO, h.defineCLI, h.defineClocks, h.defineRandom, h.defineHTTP, h.defineSockets} {
		if err := def(l); err != nil {
			return err
		}
	}
	return h.defineFilesystem(l)
}

// Close releases what the guest still holds once it is done: the host
// files opened through its descriptors and file streams are closed and
// every table of the host is emptied. Resources the guest drops are freed
// at once by their destructors (the table entries go, files close);
// handles it never drops (an instance that trapped or exited, or a guest
// that leaks them) stay in the host's tables until Close, or until the
// Host is garbage collected. A read of stdin under way in a goroutine
// (for pipes and terminals) ends with that read.
func (h *Host) Close() error {
	err := h.closeFS()
	h.closeHTTP()
	h.closeSockets()
	h.closeIO()
	return err
}
