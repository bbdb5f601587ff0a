package preview2

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/wasi/internal/readahead"
)

// This file implements wasi:sockets: network, instance-network, tcp,
// tcp-create-socket, udp, udp-create-socket and ip-name-lookup, over Go's
// net package.
//
// Sockets are denied unless Config.AllowTCP, AllowUDP or
// AllowIPNameLookup allow them: create-tcp-socket, create-udp-socket and
// resolve-addresses then fail with error-code access-denied, as do binds,
// connects and sends to an address Config.AllowSocketAddr refuses.
//
// Operations that take time run in goroutines: start-connect dials in
// one (finish-connect returns would-block until it is done, and the
// socket's pollable becomes ready when it is); a listening socket accepts
// ahead into a queue of at most maxPendingAccepts connections; a UDP
// socket with streams receives ahead into a queue of at most
// maxPendingDatagrams datagrams (newer datagrams are dropped when it is
// full, as the network may drop them); a name lookup resolves in one.
// The input stream of a TCP connection reads ahead like stdin (at most
// 64 KiB a read); its output stream writes through to the connection
// (check-write permits 64 KiB).
//
// Go's net package binds a TCP socket only to listen or to dial, so
// start-bind of a TCP socket listens at once (the operating system may
// complete connections before the guest calls start-listen; they wait to
// be accepted), and start-connect after a bind closes that listener and
// dials from its address. The hop limit is set with setsockopt on unix
// systems (IP_TTL, IPV6_UNICAST_HOPS); keep-alive and buffer sizes
// through Go's net (applied once connected); the listen backlog is
// recorded only (Go listens with the system's maximum). The getters
// report the values the guest set (or the usual defaults).

// Socket bounds.
const (
	maxPendingAccepts   = 64
	maxPendingDatagrams = 64
	maxDatagram         = 65535 - 8 // UDP payload over IPv6 without jumbograms
	sendPermits         = 64        // datagrams check-send permits a send
	defaultSockBuffer   = 64 << 10
	maxSockBuffer       = 1 << 30
	lookupTimeout       = 30 * time.Second
	// maxSockets bounds the TCP and UDP sockets a guest holds at once
	// (more fail with new-socket-limit), maxLookups its name lookups.
	maxSockets = 1024
	maxLookups = 256
)

// closedChan is a channel that is always closed (a ready pollable).
var closedChan = func() chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}()

// sockState is the state of wasi:sockets: its resource types and tables,
// and the context of its goroutines, cancelled by Close.
type sockState struct {
	networks  *hres[*sockNetwork]
	tcps      *hres[*tcpSocket]
	udps      *hres[*udpSocket]
	inDgrams  *hres[*udpStream]
	outDgrams *hres[*udpStream]
	lookups   *hres[*resolveStream]

	ctx    context.Context
	cancel context.CancelFunc
}

// sockNetwork is a network resource (instance-network returns one).
type sockNetwork struct{}

// initSockets makes the resource types of wasi:sockets.
func (h *Host) initSockets() {
	s := &h.sock
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.networks = newHRes[*sockNetwork]("network", nil)
	s.tcps = newHRes("tcp-socket", func(t *tcpSocket) { t.close() })
	s.udps = newHRes("udp-socket", func(u *udpSocket) { u.close() })
	s.inDgrams = newHRes[*udpStream]("incoming-datagram-stream", nil)
	s.outDgrams = newHRes[*udpStream]("outgoing-datagram-stream", nil)
	s.lookups = newHRes("resolve-address-stream", func(r *resolveStream) { r.cancel() })
}

// closeSockets closes every socket the guest still holds, stops the
// goroutines and empties the tables.
func (h *Host) closeSockets() {
	s := &h.sock
	if s.cancel == nil {
		return
	}
	s.cancel()
	for _, t := range s.tcps.tab.values() {
		t.close()
	}
	for _, u := range s.udps.tab.values() {
		u.close()
	}
	for _, r := range s.lookups.tab.values() {
		r.cancel()
	}
	s.networks.tab.clear()
	s.tcps.tab.clear()
	s.udps.tab.clear()
	s.inDgrams.tab.clear()
	s.outDgrams.tab.clear()
	s.lookups.tab.clear()
}

// socketCount returns the number of TCP and UDP sockets the guest holds.
func (h *Host) socketCount() int {
	return h.sock.tcps.tab.len() + h.sock.udps.tab.len()
}

// ---- errors and addresses ----

// sockResult returns result<T, error-code>: err(code) when code is not
// "", ok(v) otherwise (v nil for no payload).
func sockResult(v *component.Val, code string) component.Val {
	if code != "" {
		e := component.Enum(code)
		return component.Err(&e)
	}
	return component.Ok(v)
}

// createSocket implements create-tcp-socket and create-udp-socket: for
// the address family v, a new socket made by mk, unless sockets of the
// kind are not allowed or the guest holds too many.
func (h *Host) createSocket(v component.Val, allowed bool, mk func(family string) component.Val) ([]component.Val, error) {
	fam, ok := familyOf(v)
	if !ok {
		return nil, fmt.Errorf("wasi:sockets: bad address family %v", v)
	}
	if !allowed {
		return one(sockResult(nil, "access-denied")), nil
	}
	if h.socketCount() >= maxSockets {
		return one(sockResult(nil, "new-socket-limit")), nil
	}
	sock := mk(fam)
	return one(sockResult(&sock, "")), nil
}

// one wraps a single result.
func one(v component.Val) []component.Val { return []component.Val{v} }

// sockErrorCode returns the error-code for a Go error of the net package.
func sockErrorCode(err error) string {
	var errno syscall.Errno
	switch {
	case err == nil:
		return ""
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.As(err, &errno):
		if errno != 0 && errno == errHostDown {
			return "remote-unreachable"
		}
		switch errno {
		case syscall.ECONNREFUSED:
			return "connection-refused"
		case syscall.ECONNRESET, syscall.EPIPE:
			return "connection-reset"
		case syscall.ECONNABORTED:
			return "connection-aborted"
		case syscall.EADDRINUSE:
			return "address-in-use"
		case syscall.EADDRNOTAVAIL:
			return "address-not-bindable"
		case syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.ENETDOWN:
			return "remote-unreachable"
		case syscall.EACCES, syscall.EPERM:
			return "access-denied"
		case syscall.EMSGSIZE:
			return "datagram-too-large"
		case syscall.EMFILE, syscall.ENFILE:
			return "new-socket-limit"
		case syscall.ENOBUFS, syscall.ENOMEM:
			return "out-of-memory"
		case syscall.EINVAL:
			return "invalid-argument"
		case syscall.EAFNOSUPPORT, syscall.EPROTONOSUPPORT, syscall.EOPNOTSUPP:
			return "not-supported"
		case syscall.ETIMEDOUT:
			return "timeout"
		}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	return "unknown"
}

// lookupErrorCode returns the error-code of a failed name lookup.
func lookupErrorCode(err error) string {
	var de *net.DNSError
	switch {
	case errors.As(err, &de) && de.IsNotFound:
		return "name-unresolvable"
	case errors.As(err, &de) && (de.IsTemporary || de.IsTimeout):
		return "temporary-resolver-failure"
	case errors.Is(err, context.DeadlineExceeded):
		return "temporary-resolver-failure"
	}
	return "permanent-resolver-failure"
}

// ipAddrVal returns the ip-address of a.
func ipAddrVal(a netip.Addr) component.Val {
	if a.Is4() {
		b := a.As4()
		v := component.Tuple(component.U8(b[0]), component.U8(b[1]), component.U8(b[2]), component.U8(b[3]))
		return component.Variant("ipv4", &v)
	}
	b := a.As16()
	var segs [8]component.Val
	for i := range segs {
		segs[i] = component.U16(uint16(b[2*i])<<8 | uint16(b[2*i+1]))
	}
	v := component.Tuple(segs[:]...)
	return component.Variant("ipv6", &v)
}

// sockAddrVal returns the ip-socket-address of ap.
func sockAddrVal(ap netip.AddrPort) component.Val {
	a := ap.Addr()
	if a.Is4() {
		addr := ipAddrVal(a).Payload()
		v := component.Record(
			component.NamedVal{Name: "port", Val: component.U16(ap.Port())},
			component.NamedVal{Name: "address", Val: *addr})
		return component.Variant("ipv4", &v)
	}
	addr := ipAddrVal(a.WithZone("")).Payload()
	v := component.Record(
		component.NamedVal{Name: "port", Val: component.U16(ap.Port())},
		component.NamedVal{Name: "flow-info", Val: component.U32(0)},
		component.NamedVal{Name: "address", Val: *addr},
		component.NamedVal{Name: "scope-id", Val: component.U32(scopeID(a.Zone()))})
	return component.Variant("ipv6", &v)
}

// scopeID returns the interface index of an IPv6 zone (a number or an
// interface name), or 0.
func scopeID(zone string) uint32 {
	if zone == "" {
		return 0
	}
	if n, err := strconv.ParseUint(zone, 10, 32); err == nil {
		return uint32(n)
	}
	if ifi, err := net.InterfaceByName(zone); err == nil {
		return uint32(ifi.Index)
	}
	return 0
}

// sockAddrOf returns the address of an ip-socket-address value and its
// family ("ipv4" or "ipv6"), or ok false when the value is malformed.
func sockAddrOf(v component.Val) (ap netip.AddrPort, family string, ok bool) {
	p := v.Payload()
	if p == nil || p.Kind != component.KindRecord {
		return ap, "", false
	}
	port, ok1 := p.Field("port")
	addr, ok2 := p.Field("address")
	if !ok1 || !ok2 {
		return ap, "", false
	}
	e := addr.Elems()
	switch v.Case() {
	case "ipv4":
		if len(e) != 4 {
			return ap, "", false
		}
		a := netip.AddrFrom4([4]byte{byte(e[0].AsUint()), byte(e[1].AsUint()), byte(e[2].AsUint()), byte(e[3].AsUint())})
		return netip.AddrPortFrom(a, uint16(port.AsUint())), "ipv4", true
	case "ipv6":
		if len(e) != 8 {
			return ap, "", false
		}
		var b [16]byte
		for i, s := range e {
			x := s.AsUint()
			b[2*i], b[2*i+1] = byte(x>>8), byte(x)
		}
		a := netip.AddrFrom16(b)
		// A scope (the interface index) for link-local addresses, as a
		// numeric zone, which Go's net takes for the index.
		if scope, ok := p.Field("scope-id"); ok && scope.AsUint() != 0 && a.IsLinkLocalUnicast() {
			a = a.WithZone(strconv.FormatUint(scope.AsUint(), 10))
		}
		return netip.AddrPortFrom(a, uint16(port.AsUint())), "ipv6", true
	}
	return ap, "", false
}

// familyOf returns "ipv4" or "ipv6" for an ip-address-family value.
func familyOf(v component.Val) (string, bool) {
	switch f := v.Case(); f {
	case "ipv4", "ipv6":
		return f, true
	}
	return "", false
}

// netName returns the Go network name of a family: "tcp4", "udp6"...
func netName(proto, family string) string {
	if family == "ipv4" {
		return proto + "4"
	}
	return proto + "6"
}

// checkLocal checks a local address of a socket of family: its family,
// that it is unicast (or unspecified) and not IPv4-mapped, and the
// policy. It returns an error-code or "".
func (h *Host) checkLocal(ap netip.AddrPort, afam, family string) string {
	a := ap.Addr()
	if afam != family || a.Is4In6() || a.IsMulticast() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return "invalid-argument"
	}
	if f := h.cfg.AllowSocketAddr; f != nil && !f(ap, true) {
		return "access-denied"
	}
	return ""
}

// checkRemote checks a remote address of a socket of family: also not
// unspecified and not port 0.
func (h *Host) checkRemote(ap netip.AddrPort, afam, family string) string {
	a := ap.Addr()
	if afam != family || a.Is4In6() || a.IsMulticast() || a.IsUnspecified() || ap.Port() == 0 {
		return "invalid-argument"
	}
	if f := h.cfg.AllowSocketAddr; f != nil && !f(ap, false) {
		return "access-denied"
	}
	return ""
}

// addrPortOf returns the netip form of a net.Addr of the net package
// (unmapped for IPv4 sockets).
func addrPortOf(a net.Addr, family string) netip.AddrPort {
	var ap netip.AddrPort
	switch a := a.(type) {
	case *net.TCPAddr:
		ap = a.AddrPort()
	case *net.UDPAddr:
		ap = a.AddrPort()
	}
	if family == "ipv4" {
		ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return ap
}

// sockOptions are the options of a socket the guest sets.
type sockOptions struct {
	keepAlive          bool
	kaIdle, kaInterval time.Duration
	kaCount            uint32
	hopLimit           uint8
	hopSet             bool // the guest set hopLimit: apply it
	rcvBuf, sndBuf     uint64
	backlog            uint64
}

func defaultSockOptions() sockOptions {
	return sockOptions{
		kaIdle: 2 * time.Hour, kaInterval: 75 * time.Second, kaCount: 9,
		hopLimit: 64, rcvBuf: defaultSockBuffer, sndBuf: defaultSockBuffer, backlog: 128,
	}
}

// keepAliveConfig returns the Go keep-alive configuration of o.
func (o *sockOptions) keepAliveConfig() net.KeepAliveConfig {
	return net.KeepAliveConfig{Enable: o.keepAlive, Idle: o.kaIdle, Interval: o.kaInterval, Count: int(min(o.kaCount, 1<<20))}
}

// ---- tcp ----

// tcpState is the state of a TCP socket.
type tcpState int

const (
	tcpUnbound tcpState = iota
	tcpBindStarted
	tcpBound
	tcpListenStarted
	tcpListening
	tcpConnecting
	tcpConnected
	tcpClosed
)

// tcpSocket is the host side of a tcp-socket.
type tcpSocket struct {
	family string
	opts   sockOptions

	mu     sync.Mutex
	state  tcpState
	ln     *net.TCPListener // the bound (then listening) socket
	local  netip.AddrPort
	conn   *net.TCPConn
	closed bool

	// connect under way
	done    chan struct{}
	dialed  *net.TCPConn
	dialErr error
	cancel  context.CancelFunc

	acc *acceptQueue
}

// apply applies the options to the connection c of a socket of family
// (errors are dropped: the options are hints).
func (o *sockOptions) apply(c *net.TCPConn, family string) {
	c.SetKeepAliveConfig(o.keepAliveConfig())
	c.SetReadBuffer(int(min(o.rcvBuf, maxSockBuffer)))
	c.SetWriteBuffer(int(min(o.sndBuf, maxSockBuffer)))
	if rc, err := c.SyscallConn(); err == nil {
		o.applyHopLimit(rc, family)
	}
}

// applyHopLimit sets the hop limit of the socket of rc when the guest
// set one.
func (o *sockOptions) applyHopLimit(rc syscall.RawConn, family string) {
	if o.hopSet {
		setHopLimit(rc, family, o.hopLimit)
	}
}

// control returns a Control function (of net.Dialer and
// net.ListenConfig) applying the hop limit before bind or connect.
func (o *sockOptions) control(family string) func(string, string, syscall.RawConn) error {
	opts := *o
	return func(_, _ string, rc syscall.RawConn) error {
		opts.applyHopLimit(rc, family)
		return nil
	}
}

// close closes what the socket holds.
func (t *tcpSocket) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	if t.cancel != nil {
		t.cancel()
	}
	if t.ln != nil {
		t.ln.Close()
	}
	if t.conn != nil {
		t.conn.Close()
	}
	if t.dialed != nil {
		t.dialed.Close()
	}
	if t.acc != nil {
		t.acc.stop()
	}
}

// wait returns a channel closed when the socket is ready: its connect is
// done, or a connection waits to be accepted; otherwise a closed channel.
func (t *tcpSocket) wait() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.state == tcpConnecting:
		return t.done
	case t.state == tcpListening && t.acc != nil:
		return t.acc.wait()
	}
	return closedChan
}

// acceptQueue accepts connections ahead for a listening socket.
type acceptQueue struct {
	ln      *net.TCPListener
	mu      sync.Mutex
	conns   []*net.TCPConn
	err     error
	ready   chan struct{} // closed while conns or err is non-empty
	isReady bool
	space   chan struct{} // signalled when a connection is taken
	quit    chan struct{}
	stopped bool
}

func newAcceptQueue(ln *net.TCPListener) *acceptQueue {
	q := &acceptQueue{ln: ln, ready: make(chan struct{}), space: make(chan struct{}, 1), quit: make(chan struct{})}
	go q.loop()
	return q
}

func (q *acceptQueue) loop() {
	for {
		c, err := q.ln.AcceptTCP()
		q.mu.Lock()
		if q.stopped {
			q.mu.Unlock()
			if c != nil {
				c.Close()
			}
			return
		}
		if err != nil {
			q.err = err
		} else {
			q.conns = append(q.conns, c)
		}
		if !q.isReady {
			q.isReady = true
			close(q.ready)
		}
		full := len(q.conns) >= maxPendingAccepts
		q.mu.Unlock()
		if err != nil {
			return
		}
		for full {
			select {
			case <-q.space:
			case <-q.quit:
				return
			}
			q.mu.Lock()
			full = len(q.conns) >= maxPendingAccepts
			q.mu.Unlock()
		}
	}
}

func (q *acceptQueue) wait() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.ready
}

// take returns an accepted connection, or nil and the error of the
// listener, or nil, nil when none is pending.
func (q *acceptQueue) take() (*net.TCPConn, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.conns) == 0 {
		return nil, q.err
	}
	c := q.conns[0]
	q.conns = q.conns[1:]
	if len(q.conns) == 0 && q.err == nil {
		q.ready, q.isReady = make(chan struct{}), false
	}
	select {
	case q.space <- struct{}{}:
	default:
	}
	return c, nil
}

// stop closes the pending connections and ends the loop (the listener is
// closed by the socket).
func (q *acceptQueue) stop() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.stopped {
		return
	}
	q.stopped = true
	close(q.quit)
	for _, c := range q.conns {
		c.Close()
	}
	q.conns = nil
}

// connWriter is the writer of the output stream of a TCP connection: a
// write waiting for the peer to read ends when the call's context is
// done (--timeout, an interrupt), with the context's error.
type connWriter struct{ c *net.TCPConn }

func (w connWriter) Write(b []byte) (int, error) { return w.c.Write(b) }

func (w connWriter) writeContext(ctx context.Context, b []byte) (int, error) {
	var mu sync.Mutex
	done := false
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		if !done {
			w.c.SetWriteDeadline(time.Unix(1, 0)) // in the past: the write returns
		}
	})
	n, err := w.c.Write(b)
	if !stop() {
		mu.Lock()
		done = true
		mu.Unlock()
		w.c.SetWriteDeadline(time.Time{})
		if err != nil && ctx.Err() != nil {
			return n, ctx.Err()
		}
	}
	return n, err
}

// ---- udp ----

// udpSocket is the host side of a udp-socket.
type udpSocket struct {
	family string
	opts   sockOptions

	mu          sync.Mutex
	conn        *net.UDPConn
	bindPending bool
	bound       bool
	remote      netip.AddrPort // valid when connected
	gen         uint64         // generation of the newest streams
	rq          *dgramQueue
	closed      bool
}

func (u *udpSocket) close() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.closed = true
	if u.conn != nil {
		u.conn.Close()
	}
}

// udpStream is an incoming- or outgoing-datagram-stream: its socket and
// the generation of stream it returned it in.
type udpStream struct {
	u       *udpSocket
	gen     uint64
	permits uint64 // outgoing: datagrams the last check-send permitted
}

// datagram is a received datagram.
type datagram struct {
	data []byte
	from netip.AddrPort
}

// dgramQueue receives datagrams ahead.
type dgramQueue struct {
	mu      sync.Mutex
	dgs     []datagram
	err     error
	ready   chan struct{}
	isReady bool
}

func newDgramQueue(c *net.UDPConn, family string) *dgramQueue {
	q := &dgramQueue{ready: make(chan struct{})}
	go func() {
		buf := make([]byte, 65536)
		for {
			n, from, err := c.ReadFromUDPAddrPort(buf)
			q.mu.Lock()
			if err != nil {
				q.err = err
			} else if len(q.dgs) < maxPendingDatagrams {
				if family == "ipv4" {
					from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
				}
				q.dgs = append(q.dgs, datagram{append([]byte(nil), buf[:n]...), from})
			}
			if !q.isReady && (len(q.dgs) > 0 || q.err != nil) {
				q.isReady = true
				close(q.ready)
			}
			q.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return q
}

func (q *dgramQueue) wait() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.ready
}

// take returns up to n datagrams (from remote only when it is valid).
func (q *dgramQueue) take(n int, remote netip.AddrPort) ([]datagram, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []datagram
	for len(q.dgs) > 0 && len(out) < n {
		d := q.dgs[0]
		q.dgs = q.dgs[1:]
		if remote.IsValid() && d.from != remote {
			continue
		}
		out = append(out, d)
	}
	if len(q.dgs) == 0 && q.err == nil && q.isReady {
		q.ready, q.isReady = make(chan struct{}), false
	}
	if len(out) == 0 && q.err != nil {
		return nil, q.err
	}
	return out, nil
}

// ---- ip-name-lookup ----

// resolveStream is a resolve-address-stream.
type resolveStream struct {
	done   chan struct{}
	addrs  []netip.Addr
	err    error
	cancel context.CancelFunc
}

// validHostName reports whether name is a syntactically valid domain
// name (letters, digits, '-', '_' and dots; labels of 1 to 63 bytes).
func validHostName(name string) bool {
	name = strings.TrimSuffix(name, ".")
	if name == "" || len(name) > 253 {
		return false
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// ---- definitions ----

// sockTypes are the component types of wasi:sockets.
type sockTypes struct {
	errorCode, family, ipAddr, sockAddr, optSockAddr *component.Type
	borrowNet, ownNet                                *component.Type
	borrowTCP, ownTCP                                *component.Type
	borrowUDP, ownUDP                                *component.Type
	borrowIn, ownIn, borrowOut, ownOut               *component.Type
	borrowLookup, ownLookup                          *component.Type
	inDgram, outDgram                                *component.Type
}

func (h *Host) sockTypes() sockTypes {
	s := &h.sock
	own := func(rt *component.ResourceType) *component.Type {
		return &component.Type{Kind: component.KindOwn, Resource: rt}
	}
	borrow := func(rt *component.ResourceType) *component.Type {
		return &component.Type{Kind: component.KindBorrow, Resource: rt}
	}
	u8, u16, u32 := component.Prim(component.KindU8), component.Prim(component.KindU16), component.Prim(component.KindU32)
	ipv4 := component.TupleOf(u8, u8, u8, u8)
	ipv6 := component.TupleOf(u16, u16, u16, u16, u16, u16, u16, u16)
	t := sockTypes{
		errorCode: component.EnumOf("unknown", "access-denied", "not-supported", "invalid-argument", "out-of-memory",
			"timeout", "concurrency-conflict", "not-in-progress", "would-block", "invalid-state", "new-socket-limit",
			"address-not-bindable", "address-in-use", "remote-unreachable", "connection-refused", "connection-reset",
			"connection-aborted", "datagram-too-large", "name-unresolvable", "temporary-resolver-failure",
			"permanent-resolver-failure"),
		family: component.EnumOf("ipv4", "ipv6"),
		ipAddr: component.VariantOf(component.Case{Name: "ipv4", Type: ipv4}, component.Case{Name: "ipv6", Type: ipv6}),
		sockAddr: component.VariantOf(
			component.Case{Name: "ipv4", Type: component.RecordOf(
				component.Field{Name: "port", Type: u16}, component.Field{Name: "address", Type: ipv4})},
			component.Case{Name: "ipv6", Type: component.RecordOf(
				component.Field{Name: "port", Type: u16}, component.Field{Name: "flow-info", Type: u32},
				component.Field{Name: "address", Type: ipv6}, component.Field{Name: "scope-id", Type: u32})}),
		borrowNet: borrow(s.networks.rt), ownNet: own(s.networks.rt),
		borrowTCP: borrow(s.tcps.rt), ownTCP: own(s.tcps.rt),
		borrowUDP: borrow(s.udps.rt), ownUDP: own(s.udps.rt),
		borrowIn: borrow(s.inDgrams.rt), ownIn: own(s.inDgrams.rt),
		borrowOut: borrow(s.outDgrams.rt), ownOut: own(s.outDgrams.rt),
		borrowLookup: borrow(s.lookups.rt), ownLookup: own(s.lookups.rt),
	}
	t.optSockAddr = component.OptionOf(t.sockAddr)
	t.inDgram = component.RecordOf(component.Field{Name: "data", Type: component.ListOf(u8)},
		component.Field{Name: "remote-address", Type: t.sockAddr})
	t.outDgram = component.RecordOf(component.Field{Name: "data", Type: component.ListOf(u8)},
		component.Field{Name: "remote-address", Type: t.optSockAddr})
	return t
}

// defineSockets defines the interfaces of wasi:sockets.
func (h *Host) defineSockets(l linker) error {
	s := &h.sock
	t := h.sockTypes()
	it := h.ioTypes()
	unitRes := component.ResultOf(nil, t.errorCode)
	boolT, u8T, u32T := component.Prim(component.KindBool), component.Prim(component.KindU8), component.Prim(component.KindU32)

	d := &definer{l: l, iface: "wasi:sockets/network"}
	d.resource("network", s.networks.rt)
	// network-error-code is unstable (feature network-error-code): defined
	// for the components that import it anyway.
	d.fn("network-error-code", params(param("err", it.borrowErr)), component.OptionOf(t.errorCode),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			err, ok := h.ioErrorOf(a[0])
			if !ok {
				return nil, badHandle("error", a[0])
			}
			var ne net.Error
			if !errors.As(err, &ne) {
				return one(component.None()), nil
			}
			return one(component.Some(component.Enum(sockErrorCode(err)))), nil
		})
	if d.err != nil {
		return d.err
	}
	d = &definer{l: l, iface: "wasi:sockets/instance-network"}
	d.fn("instance-network", nil, t.ownNet, func(context.Context, []component.Val) ([]component.Val, error) {
		return one(s.networks.own(&sockNetwork{})), nil
	})
	if d.err != nil {
		return d.err
	}

	// ---- tcp ----
	d = &definer{l: l, iface: "wasi:sockets/tcp-create-socket"}
	d.fn("create-tcp-socket", params(param("address-family", t.family)), component.ResultOf(t.ownTCP, t.errorCode),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			return h.createSocket(a[0], h.cfg.AllowTCP, func(fam string) component.Val {
				return s.tcps.own(&tcpSocket{family: fam, opts: defaultSockOptions()})
			})
		})
	if d.err != nil {
		return d.err
	}

	d = &definer{l: l, iface: "wasi:sockets/tcp"}
	d.resource("tcp-socket", s.tcps.rt)
	self := param("self", t.borrowTCP)
	// tcp wraps a method: f runs with the socket locked.
	tcp := func(f func(ctx context.Context, ts *tcpSocket, a []component.Val) (component.Val, error)) component.HostFunc {
		return func(ctx context.Context, a []component.Val) ([]component.Val, error) {
			ts, err := s.tcps.get(a[0])
			if err != nil {
				return nil, err
			}
			ts.mu.Lock()
			defer ts.mu.Unlock()
			v, err := f(ctx, ts, a)
			if err != nil {
				return nil, err
			}
			return one(v), nil
		}
	}
	d.fn("[method]tcp-socket.start-bind", params(self, param("network", t.borrowNet), param("local-address", t.sockAddr)), unitRes,
		tcp(func(ctx context.Context, ts *tcpSocket, a []component.Val) (component.Val, error) {
			if _, err := s.networks.get(a[1]); err != nil {
				return component.Val{}, err
			}
			ap, fam, ok := sockAddrOf(a[2])
			if !ok {
				return component.Val{}, fmt.Errorf("wasi:sockets: bad socket address %v", a[2])
			}
			if ts.state != tcpUnbound {
				return sockResult(nil, "invalid-state"), nil
			}
			if code := h.checkLocal(ap, fam, ts.family); code != "" {
				return sockResult(nil, code), nil
			}
			lc := net.ListenConfig{KeepAlive: -1, Control: ts.opts.control(ts.family)}
			ln, err := lc.Listen(s.ctx, netName("tcp", ts.family), ap.String())
			if err != nil {
				return sockResult(nil, sockErrorCode(err)), nil
			}
			ts.ln = ln.(*net.TCPListener)
			ts.local = addrPortOf(ln.Addr(), ts.family)
			ts.state = tcpBindStarted
			return sockResult(nil, ""), nil
		}))
	d.fn("[method]tcp-socket.finish-bind", params(self), unitRes,
		tcp(func(_ context.Context, ts *tcpSocket, _ []component.Val) (component.Val, error) {
			if ts.state != tcpBindStarted {
				return sockResult(nil, "not-in-progress"), nil
			}
			ts.state = tcpBound
			return sockResult(nil, ""), nil
		}))
	d.fn("[method]tcp-socket.start-connect", params(self, param("network", t.borrowNet), param("remote-address", t.sockAddr)), unitRes,
		tcp(func(_ context.Context, ts *tcpSocket, a []component.Val) (component.Val, error) {
			if _, err := s.networks.get(a[1]); err != nil {
				return component.Val{}, err
			}
			ap, fam, ok := sockAddrOf(a[2])
			if !ok {
				return component.Val{}, fmt.Errorf("wasi:sockets: bad socket address %v", a[2])
			}
			if ts.state != tcpUnbound && ts.state != tcpBound {
				return sockResult(nil, "invalid-state"), nil
			}
			if code := h.checkRemote(ap, fam, ts.family); code != "" {
				return sockResult(nil, code), nil
			}
			dl := net.Dialer{KeepAlive: -1, Control: ts.opts.control(ts.family)} // the other options are applied once connected
			if ts.state == tcpBound {
				ts.ln.Close()
				ts.ln = nil
				dl.LocalAddr = net.TCPAddrFromAddrPort(ts.local)
			}
			ctx, cancel := context.WithCancel(s.ctx)
			ts.cancel = cancel
			ts.done = make(chan struct{})
			ts.state = tcpConnecting
			done := ts.done
			network := netName("tcp", ts.family)
			go func() {
				c, err := dl.DialContext(ctx, network, ap.String())
				ts.mu.Lock()
				defer ts.mu.Unlock()
				if err == nil && ts.closed {
					c.Close()
					err = net.ErrClosed
				}
				if err == nil {
					ts.dialed = c.(*net.TCPConn)
				}
				ts.dialErr = err
				close(done)
			}()
			return sockResult(nil, ""), nil
		}))
	streams := func(c *net.TCPConn) (component.Val, component.Val) {
		return h.newInputStream(readahead.New(c, maxChunk)), h.newOutputStream(connWriter{c})
	}
	d.fn("[method]tcp-socket.finish-connect", params(self),
		component.ResultOf(component.TupleOf(it.ownIn, it.ownOut), t.errorCode),
		tcp(func(_ context.Context, ts *tcpSocket, _ []component.Val) (component.Val, error) {
			if ts.state != tcpConnecting {
				return sockResult(nil, "not-in-progress"), nil
			}
			select {
			case <-ts.done:
			default:
				return sockResult(nil, "would-block"), nil
			}
			ts.cancel()
			if ts.dialErr != nil {
				ts.state = tcpClosed
				return sockResult(nil, sockErrorCode(ts.dialErr)), nil
			}
			ts.conn, ts.dialed = ts.dialed, nil
			ts.state = tcpConnected
			ts.local = addrPortOf(ts.conn.LocalAddr(), ts.family)
			ts.opts.apply(ts.conn, ts.family)
			in, out := streams(ts.conn)
			v := component.Tuple(in, out)
			return sockResult(&v, ""), nil
		}))
	d.fn("[method]tcp-socket.start-listen", params(self), unitRes,
		tcp(func(_ context.Context, ts *tcpSocket, _ []component.Val) (component.Val, error) {
			if ts.state != tcpBound {
				return sockResult(nil, "invalid-state"), nil
			}
			ts.state = tcpListenStarted
			return sockResult(nil, ""), nil
		}))
	d.fn("[method]tcp-socket.finish-listen", params(self), unitRes,
		tcp(func(_ context.Context, ts *tcpSocket, _ []component.Val) (component.Val, error) {
			if ts.state != tcpListenStarted {
				return sockResult(nil, "not-in-progress"), nil
			}
			ts.state = tcpListening
			ts.acc = newAcceptQueue(ts.ln)
			return sockResult(nil, ""), nil
		}))
	d.fn("[method]tcp-socket.accept", params(self),
		component.ResultOf(component.TupleOf(t.ownTCP, it.ownIn, it.ownOut), t.errorCode),
		tcp(func(_ context.Context, ts *tcpSocket, _ []component.Val) (component.Val, error) {
			if ts.state != tcpListening {
				return sockResult(nil, "invalid-state"), nil
			}
			if h.socketCount() >= maxSockets {
				return sockResult(nil, "new-socket-limit"), nil
			}
			c, err := ts.acc.take()
			if c == nil {
				if err != nil {
					return sockResult(nil, sockErrorCode(err)), nil
				}
				return sockResult(nil, "would-block"), nil
			}
			ns := &tcpSocket{family: ts.family, opts: ts.opts, state: tcpConnected, conn: c,
				local: addrPortOf(c.LocalAddr(), ts.family)}
			ns.opts.apply(c, ns.family)
			in, out := streams(c)
			v := component.Tuple(s.tcps.own(ns), in, out)
			return sockResult(&v, ""), nil
		}))
	d.fn("[method]tcp-socket.local-address", params(self), component.ResultOf(t.sockAddr, t.errorCode),
		tcp(func(_ context.Context, ts *tcpSocket, _ []component.Val) (component.Val, error) {
			if ts.local.IsValid() && ts.state != tcpClosed {
				v := sockAddrVal(ts.local)
				return sockResult(&v, ""), nil
			}
			return sockResult(nil, "invalid-state"), nil
		}))
	d.fn("[method]tcp-socket.remote-address", params(self), component.ResultOf(t.sockAddr, t.errorCode),
		tcp(func(_ context.Context, ts *tcpSocket, _ []component.Val) (component.Val, error) {
			if ts.state != tcpConnected {
				return sockResult(nil, "invalid-state"), nil
			}
			v := sockAddrVal(addrPortOf(ts.conn.RemoteAddr(), ts.family))
			return sockResult(&v, ""), nil
		}))
	d.fn("[method]tcp-socket.is-listening", params(self), boolT,
		tcp(func(_ context.Context, ts *tcpSocket, _ []component.Val) (component.Val, error) {
			return component.Bool(ts.state == tcpListening), nil
		}))
	d.fn("[method]tcp-socket.address-family", params(self), t.family,
		tcp(func(_ context.Context, ts *tcpSocket, _ []component.Val) (component.Val, error) {
			return component.Enum(ts.family), nil
		}))
	d.fn("[method]tcp-socket.set-listen-backlog-size", params(self, param("value", u64T)), unitRes,
		tcp(func(_ context.Context, ts *tcpSocket, a []component.Val) (component.Val, error) {
			switch {
			case a[1].AsUint() == 0:
				return sockResult(nil, "invalid-argument"), nil
			case ts.state == tcpConnecting || ts.state == tcpConnected || ts.state == tcpClosed:
				return sockResult(nil, "invalid-state"), nil
			}
			ts.opts.backlog = a[1].AsUint()
			return sockResult(nil, ""), nil
		}))
	// get and set define an option: get returns its value, set (with a
	// non-zero value unless zeroOK) stores it and applies the options to
	// a connected socket.
	option := func(name string, typ *component.Type, zeroOK bool, get func(o *sockOptions) component.Val, set func(o *sockOptions, v component.Val)) {
		d.fn("[method]tcp-socket."+name, params(self), component.ResultOf(typ, t.errorCode),
			tcp(func(_ context.Context, ts *tcpSocket, _ []component.Val) (component.Val, error) {
				v := get(&ts.opts)
				return sockResult(&v, ""), nil
			}))
		d.fn("[method]tcp-socket.set-"+name, params(self, param("value", typ)), unitRes,
			tcp(func(_ context.Context, ts *tcpSocket, a []component.Val) (component.Val, error) {
				if !zeroOK && a[1].AsUint() == 0 {
					return sockResult(nil, "invalid-argument"), nil
				}
				set(&ts.opts, a[1])
				if ts.conn != nil {
					ts.opts.apply(ts.conn, ts.family)
				} else if ts.ln != nil {
					if rc, err := ts.ln.SyscallConn(); err == nil {
						ts.opts.applyHopLimit(rc, ts.family) // inherited by accepted connections
					}
				}
				return sockResult(nil, ""), nil
			}))
	}
	dur := func(x time.Duration) component.Val { return component.U64(uint64(x)) }
	durOf := func(v component.Val) time.Duration { return time.Duration(min(v.AsUint(), 1<<62)) }
	option("keep-alive-enabled", boolT, true, func(o *sockOptions) component.Val { return component.Bool(o.keepAlive) },
		func(o *sockOptions, v component.Val) { o.keepAlive = v.AsBool() })
	option("keep-alive-idle-time", u64T, false, func(o *sockOptions) component.Val { return dur(o.kaIdle) },
		func(o *sockOptions, v component.Val) { o.kaIdle = max(durOf(v), time.Second) })
	option("keep-alive-interval", u64T, false, func(o *sockOptions) component.Val { return dur(o.kaInterval) },
		func(o *sockOptions, v component.Val) { o.kaInterval = max(durOf(v), time.Second) })
	option("keep-alive-count", u32T, false, func(o *sockOptions) component.Val { return component.U32(o.kaCount) },
		func(o *sockOptions, v component.Val) { o.kaCount = uint32(v.AsUint()) })
	option("hop-limit", u8T, false, func(o *sockOptions) component.Val { return component.U8(o.hopLimit) },
		func(o *sockOptions, v component.Val) { o.hopLimit, o.hopSet = uint8(v.AsUint()), true })
	option("receive-buffer-size", u64T, false, func(o *sockOptions) component.Val { return component.U64(o.rcvBuf) },
		func(o *sockOptions, v component.Val) { o.rcvBuf = min(v.AsUint(), maxSockBuffer) })
	option("send-buffer-size", u64T, false, func(o *sockOptions) component.Val { return component.U64(o.sndBuf) },
		func(o *sockOptions, v component.Val) { o.sndBuf = min(v.AsUint(), maxSockBuffer) })
	d.fn("[method]tcp-socket.subscribe", params(self), it.ownPoll,
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			ts, err := s.tcps.get(a[0])
			if err != nil {
				return nil, err
			}
			return one(h.newPollable(&pollable{wait: ts.wait})), nil
		})
	d.fn("[method]tcp-socket.shutdown", params(self, param("shutdown-type", component.EnumOf("receive", "send", "both"))), unitRes,
		tcp(func(_ context.Context, ts *tcpSocket, a []component.Val) (component.Val, error) {
			if ts.state != tcpConnected {
				return sockResult(nil, "invalid-state"), nil
			}
			var err error
			switch a[1].Case() {
			case "receive":
				err = ts.conn.CloseRead()
			case "send":
				err = ts.conn.CloseWrite()
			case "both":
				err = errors.Join(ts.conn.CloseRead(), ts.conn.CloseWrite())
			default:
				return component.Val{}, fmt.Errorf("wasi:sockets: bad shutdown type %v", a[1])
			}
			return sockResult(nil, sockErrorCode(err)), nil
		}))
	if d.err != nil {
		return d.err
	}

	// ---- udp ----
	d = &definer{l: l, iface: "wasi:sockets/udp-create-socket"}
	d.fn("create-udp-socket", params(param("address-family", t.family)), component.ResultOf(t.ownUDP, t.errorCode),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			return h.createSocket(a[0], h.cfg.AllowUDP, func(fam string) component.Val {
				return s.udps.own(&udpSocket{family: fam, opts: defaultSockOptions()})
			})
		})
	if d.err != nil {
		return d.err
	}

	d = &definer{l: l, iface: "wasi:sockets/udp"}
	d.resource("udp-socket", s.udps.rt)
	d.resource("incoming-datagram-stream", s.inDgrams.rt)
	d.resource("outgoing-datagram-stream", s.outDgrams.rt)
	uself := param("self", t.borrowUDP)
	udp := func(f func(ctx context.Context, us *udpSocket, a []component.Val) (component.Val, error)) component.HostFunc {
		return func(ctx context.Context, a []component.Val) ([]component.Val, error) {
			us, err := s.udps.get(a[0])
			if err != nil {
				return nil, err
			}
			us.mu.Lock()
			defer us.mu.Unlock()
			v, err := f(ctx, us, a)
			if err != nil {
				return nil, err
			}
			return one(v), nil
		}
	}
	d.fn("[method]udp-socket.start-bind", params(uself, param("network", t.borrowNet), param("local-address", t.sockAddr)), unitRes,
		udp(func(_ context.Context, us *udpSocket, a []component.Val) (component.Val, error) {
			if _, err := s.networks.get(a[1]); err != nil {
				return component.Val{}, err
			}
			ap, fam, ok := sockAddrOf(a[2])
			if !ok {
				return component.Val{}, fmt.Errorf("wasi:sockets: bad socket address %v", a[2])
			}
			if us.conn != nil || us.closed {
				return sockResult(nil, "invalid-state"), nil
			}
			if code := h.checkLocal(ap, fam, us.family); code != "" {
				return sockResult(nil, code), nil
			}
			lc := net.ListenConfig{Control: us.opts.control(us.family)}
			pc, err := lc.ListenPacket(s.ctx, netName("udp", us.family), ap.String())
			if err != nil {
				return sockResult(nil, sockErrorCode(err)), nil
			}
			us.conn = pc.(*net.UDPConn)
			us.conn.SetReadBuffer(int(us.opts.rcvBuf))
			us.conn.SetWriteBuffer(int(us.opts.sndBuf))
			us.bindPending = true
			return sockResult(nil, ""), nil
		}))
	d.fn("[method]udp-socket.finish-bind", params(uself), unitRes,
		udp(func(_ context.Context, us *udpSocket, _ []component.Val) (component.Val, error) {
			if !us.bindPending {
				return sockResult(nil, "not-in-progress"), nil
			}
			us.bindPending, us.bound = false, true
			return sockResult(nil, ""), nil
		}))
	d.fn("[method]udp-socket.stream", params(uself, param("remote-address", t.optSockAddr)),
		component.ResultOf(component.TupleOf(t.ownIn, t.ownOut), t.errorCode),
		udp(func(_ context.Context, us *udpSocket, a []component.Val) (component.Val, error) {
			var remote netip.AddrPort
			if a[1].IsSome() {
				ap, fam, ok := sockAddrOf(a[1].Elems()[0])
				if !ok {
					return component.Val{}, fmt.Errorf("wasi:sockets: bad socket address %v", a[1])
				}
				if code := h.checkRemote(ap, fam, us.family); code != "" {
					return sockResult(nil, code), nil
				}
				remote = ap
			}
			if !us.bound || us.closed {
				return sockResult(nil, "invalid-state"), nil
			}
			us.gen++
			us.remote = remote
			if us.rq == nil {
				us.rq = newDgramQueue(us.conn, us.family)
			}
			v := component.Tuple(s.inDgrams.own(&udpStream{u: us, gen: us.gen}), s.outDgrams.own(&udpStream{u: us, gen: us.gen}))
			return sockResult(&v, ""), nil
		}))
	d.fn("[method]udp-socket.local-address", params(uself), component.ResultOf(t.sockAddr, t.errorCode),
		udp(func(_ context.Context, us *udpSocket, _ []component.Val) (component.Val, error) {
			if us.conn == nil {
				return sockResult(nil, "invalid-state"), nil
			}
			v := sockAddrVal(addrPortOf(us.conn.LocalAddr(), us.family))
			return sockResult(&v, ""), nil
		}))
	d.fn("[method]udp-socket.remote-address", params(uself), component.ResultOf(t.sockAddr, t.errorCode),
		udp(func(_ context.Context, us *udpSocket, _ []component.Val) (component.Val, error) {
			if !us.remote.IsValid() {
				return sockResult(nil, "invalid-state"), nil
			}
			v := sockAddrVal(us.remote)
			return sockResult(&v, ""), nil
		}))
	d.fn("[method]udp-socket.address-family", params(uself), t.family,
		udp(func(_ context.Context, us *udpSocket, _ []component.Val) (component.Val, error) {
			return component.Enum(us.family), nil
		}))
	uoption := func(name string, typ *component.Type, get func(o *sockOptions) component.Val, set func(o *sockOptions, v component.Val)) {
		d.fn("[method]udp-socket."+name, params(uself), component.ResultOf(typ, t.errorCode),
			udp(func(_ context.Context, us *udpSocket, _ []component.Val) (component.Val, error) {
				v := get(&us.opts)
				return sockResult(&v, ""), nil
			}))
		d.fn("[method]udp-socket.set-"+name, params(uself, param("value", typ)), unitRes,
			udp(func(_ context.Context, us *udpSocket, a []component.Val) (component.Val, error) {
				if a[1].AsUint() == 0 {
					return sockResult(nil, "invalid-argument"), nil
				}
				set(&us.opts, a[1])
				if us.conn != nil {
					us.conn.SetReadBuffer(int(us.opts.rcvBuf))
					us.conn.SetWriteBuffer(int(us.opts.sndBuf))
					if rc, err := us.conn.SyscallConn(); err == nil {
						us.opts.applyHopLimit(rc, us.family)
					}
				}
				return sockResult(nil, ""), nil
			}))
	}
	uoption("unicast-hop-limit", u8T, func(o *sockOptions) component.Val { return component.U8(o.hopLimit) },
		func(o *sockOptions, v component.Val) { o.hopLimit, o.hopSet = uint8(v.AsUint()), true })
	uoption("receive-buffer-size", u64T, func(o *sockOptions) component.Val { return component.U64(o.rcvBuf) },
		func(o *sockOptions, v component.Val) { o.rcvBuf = min(v.AsUint(), maxSockBuffer) })
	uoption("send-buffer-size", u64T, func(o *sockOptions) component.Val { return component.U64(o.sndBuf) },
		func(o *sockOptions, v component.Val) { o.sndBuf = min(v.AsUint(), maxSockBuffer) })
	d.fn("[method]udp-socket.subscribe", params(uself), it.ownPoll,
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			if _, err := s.udps.get(a[0]); err != nil {
				return nil, err
			}
			return one(h.newPollable(&pollable{})), nil // bind is synchronous
		})

	// streamOf returns the socket of a datagram stream, locked, or an
	// error-code when the stream is no longer the newest of its socket.
	streamOf := func(r *hres[*udpStream], v component.Val) (*udpStream, string, error) {
		st, err := r.get(v)
		if err != nil {
			return nil, "", err
		}
		st.u.mu.Lock()
		if st.gen != st.u.gen || st.u.closed {
			st.u.mu.Unlock()
			return nil, "invalid-state", nil
		}
		return st, "", nil
	}
	d.fn("[method]incoming-datagram-stream.receive", params(param("self", t.borrowIn), param("max-results", u64T)),
		component.ResultOf(component.ListOf(t.inDgram), t.errorCode),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			st, code, err := streamOf(s.inDgrams, a[0])
			if err != nil {
				return nil, err
			} else if code != "" {
				return one(sockResult(nil, code)), nil
			}
			u := st.u
			remote, q := u.remote, u.rq
			u.mu.Unlock()
			dgs, rerr := q.take(int(min(a[1].AsUint(), maxPendingDatagrams)), remote)
			if rerr != nil {
				return one(sockResult(nil, sockErrorCode(rerr))), nil
			}
			out := make([]component.Val, len(dgs))
			for i, dg := range dgs {
				out[i] = component.Record(
					component.NamedVal{Name: "data", Val: component.Bytes(dg.data)},
					component.NamedVal{Name: "remote-address", Val: sockAddrVal(dg.from)})
			}
			v := component.List(out...)
			return one(sockResult(&v, "")), nil
		})
	d.fn("[method]incoming-datagram-stream.subscribe", params(param("self", t.borrowIn)), it.ownPoll,
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			st, err := s.inDgrams.get(a[0])
			if err != nil {
				return nil, err
			}
			st.u.mu.Lock()
			q := st.u.rq
			st.u.mu.Unlock()
			if q == nil {
				return one(h.newPollable(&pollable{})), nil
			}
			return one(h.newPollable(&pollable{wait: q.wait})), nil
		})
	d.fn("[method]outgoing-datagram-stream.check-send", params(param("self", t.borrowOut)), component.ResultOf(u64T, t.errorCode),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			st, code, err := streamOf(s.outDgrams, a[0])
			if err != nil {
				return nil, err
			} else if code != "" {
				return one(sockResult(nil, code)), nil
			}
			defer st.u.mu.Unlock()
			st.permits = sendPermits
			v := component.U64(sendPermits)
			return one(sockResult(&v, "")), nil
		})
	d.fn("[method]outgoing-datagram-stream.send", params(param("self", t.borrowOut), param("datagrams", component.ListOf(t.outDgram))),
		component.ResultOf(u64T, t.errorCode),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			st, code, err := streamOf(s.outDgrams, a[0])
			if err != nil {
				return nil, err
			} else if code != "" {
				return one(sockResult(nil, code)), nil
			}
			u := st.u
			defer u.mu.Unlock()
			dgs := a[1].Elems()
			if uint64(len(dgs)) > st.permits {
				return nil, fmt.Errorf("wasi:sockets: send of %d datagrams exceeds the %d check-send permits", len(dgs), st.permits)
			}
			st.permits = 0
			sent := 0
			for _, dg := range dgs {
				code := func() string {
					data, _ := dg.Field("data")
					ra, _ := dg.Field("remote-address")
					to := u.remote
					if ra.IsSome() {
						ap, fam, ok := sockAddrOf(ra.Elems()[0])
						if !ok {
							return "invalid-argument"
						}
						if u.remote.IsValid() && ap != u.remote {
							return "invalid-argument"
						}
						if code := h.checkRemote(ap, fam, u.family); code != "" {
							return code
						}
						to = ap
					} else if !to.IsValid() {
						return "invalid-argument"
					}
					b := bytesOf(data)
					if len(b) > maxDatagram {
						return "datagram-too-large"
					}
					_, err := u.conn.WriteToUDPAddrPort(b, to)
					return sockErrorCode(err)
				}()
				if code != "" {
					if sent == 0 {
						return one(sockResult(nil, code)), nil
					}
					break
				}
				sent++
			}
			v := component.U64(uint64(sent))
			return one(sockResult(&v, "")), nil
		})
	d.fn("[method]outgoing-datagram-stream.subscribe", params(param("self", t.borrowOut)), it.ownPoll,
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			if _, err := s.outDgrams.get(a[0]); err != nil {
				return nil, err
			}
			return one(h.newPollable(&pollable{})), nil // sends never wait
		})
	if d.err != nil {
		return d.err
	}

	// ---- ip-name-lookup ----
	d = &definer{l: l, iface: "wasi:sockets/ip-name-lookup"}
	d.resource("resolve-address-stream", s.lookups.rt)
	d.fn("resolve-addresses", params(param("network", t.borrowNet), param("name", component.Prim(component.KindString))),
		component.ResultOf(t.ownLookup, t.errorCode),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			if _, err := s.networks.get(a[0]); err != nil {
				return nil, err
			}
			if !h.cfg.AllowIPNameLookup {
				return one(sockResult(nil, "access-denied")), nil
			}
			if s.lookups.tab.len() >= maxLookups {
				return one(sockResult(nil, "temporary-resolver-failure")), nil
			}
			name := a[1].AsString()
			rs := &resolveStream{done: make(chan struct{}), cancel: func() {}}
			if ip, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(name, "["), "]")); err == nil {
				rs.addrs = []netip.Addr{ip.WithZone("")}
				close(rs.done)
			} else if !validHostName(name) {
				return one(sockResult(nil, "invalid-argument")), nil
			} else {
				ctx, cancel := context.WithTimeout(s.ctx, lookupTimeout)
				rs.cancel = cancel
				go func() {
					defer cancel()
					addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", name)
					for i, ad := range addrs {
						addrs[i] = ad.Unmap().WithZone("")
					}
					rs.addrs, rs.err = addrs, err
					close(rs.done)
				}()
			}
			v := s.lookups.own(rs)
			return one(sockResult(&v, "")), nil
		})
	d.fn("[method]resolve-address-stream.resolve-next-address", params(param("self", t.borrowLookup)),
		component.ResultOf(component.OptionOf(t.ipAddr), t.errorCode),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			rs, err := s.lookups.get(a[0])
			if err != nil {
				return nil, err
			}
			select {
			case <-rs.done:
			default:
				return one(sockResult(nil, "would-block")), nil
			}
			if rs.err != nil {
				err := rs.err
				rs.err, rs.addrs = nil, nil // reported once; then the stream is empty
				return one(sockResult(nil, lookupErrorCode(err))), nil
			}
			v := component.None()
			if len(rs.addrs) > 0 {
				v = component.Some(ipAddrVal(rs.addrs[0]))
				rs.addrs = rs.addrs[1:]
			}
			return one(sockResult(&v, "")), nil
		})
	d.fn("[method]resolve-address-stream.subscribe", params(param("self", t.borrowLookup)), it.ownPoll,
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			rs, err := s.lookups.get(a[0])
			if err != nil {
				return nil, err
			}
			done := rs.done
			return one(h.newPollable(&pollable{wait: func() <-chan struct{} { return done }})), nil
		})
	return d.err
}
