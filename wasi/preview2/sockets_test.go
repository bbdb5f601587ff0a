package preview2

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/netip"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/internal/testenv"
)

// sockHost returns a host for cfg with wasi:io... and wasi:sockets
// recorded.
func sockHost(t *testing.T, cfg Config) (*Host, *recorder) {
	t.Helper()
	h, r := testHost(t, cfg)
	if err := h.defineSockets(r); err != nil {
		t.Fatal(err)
	}
	return h, r
}

// allowAll allows every kind of socket.
var allowAll = Config{AllowTCP: true, AllowUDP: true, AllowIPNameLookup: true}

// sockOK returns the payload of an ok result (the zero Val for none),
// failing the test on an error code.
func sockOK(t *testing.T, name string, v component.Val) component.Val {
	t.Helper()
	if v.Kind != component.KindResult {
		t.Fatalf("%s: %v, want a result", name, v)
	}
	if v.IsErr() {
		t.Fatalf("%s: error %v", name, v)
	}
	if p := v.Payload(); p != nil {
		return *p
	}
	return component.Val{}
}

// sockCode returns the error code of a result, or "" for ok.
func sockCode(v component.Val) string {
	if v.Kind != component.KindResult || !v.IsErr() {
		return ""
	}
	if p := v.Payload(); p != nil {
		return p.Case()
	}
	return "?"
}

// sockCall calls name and returns its result, failing on a trap.
func sockCall(t *testing.T, r *recorder, name string, args ...component.Val) component.Val {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	v, err := r.call(t, ctx, name, args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// waitReady blocks on the pollable of subscribe (a "iface#[method]x.subscribe"
// name) of handle self, and drops the pollable.
func waitReady(t *testing.T, r *recorder, subscribe string, self component.Val) {
	t.Helper()
	p := sockCall(t, r, subscribe, self.Borrowed())
	sockCall(t, r, "wasi:io/poll#[method]pollable.block", p.Borrowed())
	if err := component.DropResource(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}

// loopback4 returns the ip-socket-address 127.0.0.1:port.
func loopback4(port uint16) component.Val {
	return sockAddrVal(netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), port))
}

// addrOf returns the address of an ip-socket-address value.
func addrOf(t *testing.T, v component.Val) netip.AddrPort {
	t.Helper()
	ap, _, ok := sockAddrOf(v)
	if !ok {
		t.Fatalf("bad socket address %v", v)
	}
	return ap
}

// loopback returns the loopback address of family, port 0.
func loopback(family string) netip.AddrPort {
	if family == "ipv6" {
		return netip.AddrPortFrom(netip.IPv6Loopback(), 0)
	}
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), 0)
}

// guestListen makes a listening guest TCP socket on 127.0.0.1:0 (or
// [::1]:0 for family ipv6) and returns it with its address.
func guestListen(t *testing.T, r *recorder, netw component.Val, family ...string) (component.Val, netip.AddrPort) {
	t.Helper()
	fam := "ipv4"
	if len(family) > 0 {
		fam = family[0]
	}
	sock := sockOK(t, "create", sockCall(t, r, "wasi:sockets/tcp-create-socket#create-tcp-socket", component.Enum(fam)))
	b := sock.Borrowed()
	bind := sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.start-bind", b, netw.Borrowed(), sockAddrVal(loopback(fam)))
	if fam == "ipv6" && bind.IsErr() {
		t.Skipf("no IPv6 loopback: %v", bind)
	}
	sockOK(t, "start-bind", bind)
	sockOK(t, "finish-bind", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.finish-bind", b))
	sockOK(t, "start-listen", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.start-listen", b))
	sockOK(t, "finish-listen", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.finish-listen", b))
	if !sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.is-listening", b).AsBool() {
		t.Fatal("is-listening = false after finish-listen")
	}
	ap := addrOf(t, sockOK(t, "local-address", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.local-address", b)))
	if ap.Port() == 0 || ap.Addr() != loopback(fam).Addr() {
		t.Fatalf("local-address = %v", ap)
	}
	return sock, ap
}

// readAll reads from a guest input stream until it has n bytes.
func readN(t *testing.T, r *recorder, in component.Val, n int) []byte {
	t.Helper()
	var got []byte
	for len(got) < n {
		v := sockCall(t, r, "wasi:io/streams#[method]input-stream.blocking-read", in.Borrowed(), component.U64(uint64(n-len(got))))
		got = append(got, okBytes(t, v)...)
	}
	return got
}

// writeAll writes b to a guest output stream.
func writeAll(t *testing.T, r *recorder, out component.Val, b []byte) {
	t.Helper()
	v := sockCall(t, r, "wasi:io/streams#[method]output-stream.blocking-write-and-flush", out.Borrowed(), component.Bytes(b))
	if v.IsErr() {
		t.Fatalf("write: %v", v)
	}
}

// TestSocketsDenied checks that sockets are refused by default, and
// addresses AllowSocketAddr refuses.
func TestSocketsDenied(t *testing.T) {
	refuse := allowAll
	refuse.AllowSocketAddr = func(ap netip.AddrPort, bind bool) bool { return !bind && ap.Port() != 1 }
	tests := []struct {
		name string
		cfg  Config
		call func(r *recorder, netw component.Val) component.Val
		want string
	}{
		{"tcp", Config{}, func(r *recorder, _ component.Val) component.Val {
			return sockCall(t, r, "wasi:sockets/tcp-create-socket#create-tcp-socket", component.Enum("ipv4"))
		}, "access-denied"},
		{"udp", Config{AllowTCP: true}, func(r *recorder, _ component.Val) component.Val {
			return sockCall(t, r, "wasi:sockets/udp-create-socket#create-udp-socket", component.Enum("ipv6"))
		}, "access-denied"},
		{"lookup", Config{AllowTCP: true, AllowUDP: true}, func(r *recorder, netw component.Val) component.Val {
			return sockCall(t, r, "wasi:sockets/ip-name-lookup#resolve-addresses", netw.Borrowed(), component.String("localhost"))
		}, "access-denied"},
		{"bind-filtered", refuse, func(r *recorder, netw component.Val) component.Val {
			s := sockOK(t, "create", sockCall(t, r, "wasi:sockets/tcp-create-socket#create-tcp-socket", component.Enum("ipv4")))
			return sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.start-bind", s.Borrowed(), netw.Borrowed(), loopback4(0))
		}, "access-denied"},
		{"connect-filtered", refuse, func(r *recorder, netw component.Val) component.Val {
			s := sockOK(t, "create", sockCall(t, r, "wasi:sockets/tcp-create-socket#create-tcp-socket", component.Enum("ipv4")))
			return sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.start-connect", s.Borrowed(), netw.Borrowed(), loopback4(1))
		}, "access-denied"},
		{"udp-bind-filtered", refuse, func(r *recorder, netw component.Val) component.Val {
			s := sockOK(t, "create", sockCall(t, r, "wasi:sockets/udp-create-socket#create-udp-socket", component.Enum("ipv4")))
			return sockCall(t, r, "wasi:sockets/udp#[method]udp-socket.start-bind", s.Borrowed(), netw.Borrowed(), loopback4(0))
		}, "access-denied"},
		{"allowed", allowAll, func(r *recorder, _ component.Val) component.Val {
			return sockCall(t, r, "wasi:sockets/tcp-create-socket#create-tcp-socket", component.Enum("ipv6"))
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, r := sockHost(t, tt.cfg)
			netw := sockCall(t, r, "wasi:sockets/instance-network#instance-network")
			if got := sockCode(tt.call(r, netw)); got != tt.want {
				t.Errorf("error code %q, want %q", got, tt.want)
			}
		})
	}
}

// TestTCPGuestListens: the guest listens on loopback, Go connects and
// the guest echoes.
func TestTCPGuestListens(t *testing.T) {
	for _, fam := range []string{"ipv4", "ipv6"} {
		t.Run(fam, func(t *testing.T) { testTCPGuestListens(t, fam) })
	}
}

func testTCPGuestListens(t *testing.T, fam string) {
	h, r := sockHost(t, allowAll)
	netw := sockCall(t, r, "wasi:sockets/instance-network#instance-network")
	ls, ap := guestListen(t, r, netw, fam)
	if got := sockCode(sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.accept", ls.Borrowed())); got != "would-block" {
		t.Errorf("accept with no connection: %q, want would-block", got)
	}
	c, err := net.DialTimeout("tcp", ap.String(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	waitReady(t, r, "wasi:sockets/tcp#[method]tcp-socket.subscribe", ls)
	acc := sockOK(t, "accept", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.accept", ls.Borrowed())).Elems()
	conn, in, out := acc[0], acc[1], acc[2]
	remote := addrOf(t, sockOK(t, "remote-address", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.remote-address", conn.Borrowed())))
	if remote.String() != c.LocalAddr().String() || remote.Addr() != ap.Addr() {
		t.Errorf("remote-address = %v, want %v", remote, c.LocalAddr())
	}
	if got := readN(t, r, in, 5); string(got) != "hello" {
		t.Fatalf("guest read %q", got)
	}
	writeAll(t, r, out, []byte("echo:hello"))
	buf := make([]byte, 10)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "echo:hello" {
		t.Fatalf("Go read %q, %v", buf, err)
	}
	// Go closes: the guest reads the end of the stream.
	c.Close()
	v := sockCall(t, r, "wasi:io/streams#[method]input-stream.blocking-read", in.Borrowed(), component.U64(10))
	if !v.IsErr() || v.Payload().Case() != "closed" {
		t.Errorf("read after close = %v, want closed", v)
	}
	for _, x := range []component.Val{in, out, conn, ls} {
		if err := component.DropResource(context.Background(), x); err != nil {
			t.Fatal(err)
		}
	}
	if n := h.sock.tcps.tab.len(); n != 0 {
		t.Errorf("%d sockets left after the drops", n)
	}
	// The listener is closed.
	if c, err := net.DialTimeout("tcp", ap.String(), time.Second); err == nil {
		c.Close()
		t.Error("the listener still accepts after the socket was dropped")
	}
}

// TestTCPGuestConnects: Go listens and echoes, the guest connects.
func TestTCPGuestConnects(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(c, c) // echo until the guest shuts down its side
	}()
	port := uint16(ln.Addr().(*net.TCPAddr).Port)

	for _, bindFirst := range []bool{false, true} {
		name := "implicit-bind"
		if bindFirst {
			name = "bind-then-connect"
		}
		t.Run(name, func(t *testing.T) {
			if bindFirst {
				// A second server for the second connection.
				go func() {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					defer c.Close()
					io.Copy(c, c)
				}()
			}
			_, r := sockHost(t, allowAll)
			netw := sockCall(t, r, "wasi:sockets/instance-network#instance-network")
			s := sockOK(t, "create", sockCall(t, r, "wasi:sockets/tcp-create-socket#create-tcp-socket", component.Enum("ipv4")))
			b := s.Borrowed()
			if bindFirst {
				sockOK(t, "start-bind", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.start-bind", b, netw.Borrowed(), loopback4(0)))
				sockOK(t, "finish-bind", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.finish-bind", b))
			}
			sockOK(t, "start-connect", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.start-connect", b, netw.Borrowed(), loopback4(port)))
			waitReady(t, r, "wasi:sockets/tcp#[method]tcp-socket.subscribe", s)
			st := sockOK(t, "finish-connect", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.finish-connect", b)).Elems()
			in, out := st[0], st[1]
			remote := addrOf(t, sockOK(t, "remote-address", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.remote-address", b)))
			if remote.Port() != port {
				t.Errorf("remote-address = %v", remote)
			}
			local := addrOf(t, sockOK(t, "local-address", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.local-address", b)))
			if local.Port() == 0 {
				t.Errorf("local-address = %v", local)
			}
			msg := bytes.Repeat([]byte("0123456789abcdef"), 1000)
			writeAll(t, r, out, msg)
			if got := readN(t, r, in, len(msg)); !bytes.Equal(got, msg) {
				t.Fatalf("echo differs (%d bytes)", len(got))
			}
			sockOK(t, "shutdown", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.shutdown", b, component.Enum("send")))
			// The server's copy ends and it closes: the guest reads the end.
			v := sockCall(t, r, "wasi:io/streams#[method]input-stream.blocking-read", in.Borrowed(), component.U64(10))
			if !v.IsErr() {
				t.Errorf("read after shutdown = %v, want an error", v)
			}
			if got := sockCode(sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.finish-connect", b)); got != "not-in-progress" {
				t.Errorf("second finish-connect: %q", got)
			}
		})
	}
}

// TestTCPRefused connects to a closed port.
func TestTCPRefused(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := uint16(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	_, r := sockHost(t, allowAll)
	netw := sockCall(t, r, "wasi:sockets/instance-network#instance-network")
	s := sockOK(t, "create", sockCall(t, r, "wasi:sockets/tcp-create-socket#create-tcp-socket", component.Enum("ipv4")))
	sockOK(t, "start-connect", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.start-connect", s.Borrowed(), netw.Borrowed(), loopback4(port)))
	waitReady(t, r, "wasi:sockets/tcp#[method]tcp-socket.subscribe", s)
	if got := sockCode(sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.finish-connect", s.Borrowed())); got != "connection-refused" {
		t.Errorf("finish-connect: %q, want connection-refused", got)
	}
	if got := sockCode(sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.start-listen", s.Borrowed())); got != "invalid-state" {
		t.Errorf("start-listen after a failed connect: %q, want invalid-state", got)
	}
}

// TestTCPStates checks the error codes of calls out of order and of bad
// arguments.
func TestTCPStates(t *testing.T) {
	ipv6Any := sockAddrVal(netip.AddrPortFrom(netip.IPv6Unspecified(), 0))
	tests := []struct {
		name string
		fn   string
		args func(netw component.Val) []component.Val
		want string
	}{
		{"finish-bind-unstarted", "finish-bind", nil, "not-in-progress"},
		{"finish-connect-unstarted", "finish-connect", nil, "not-in-progress"},
		{"finish-listen-unstarted", "finish-listen", nil, "not-in-progress"},
		{"listen-unbound", "start-listen", nil, "invalid-state"},
		{"accept-not-listening", "accept", nil, "invalid-state"},
		{"local-unbound", "local-address", nil, "invalid-state"},
		{"remote-unconnected", "remote-address", nil, "invalid-state"},
		{"shutdown-unconnected", "shutdown", func(component.Val) []component.Val { return []component.Val{component.Enum("both")} }, "invalid-state"},
		{"bind-wrong-family", "start-bind", func(n component.Val) []component.Val { return []component.Val{n.Borrowed(), ipv6Any} }, "invalid-argument"},
		{"connect-any", "start-connect", func(n component.Val) []component.Val {
			return []component.Val{n.Borrowed(), sockAddrVal(netip.AddrPortFrom(netip.IPv4Unspecified(), 80))}
		}, "invalid-argument"},
		{"connect-port-0", "start-connect", func(n component.Val) []component.Val { return []component.Val{n.Borrowed(), loopback4(0)} }, "invalid-argument"},
		{"hop-limit-0", "set-hop-limit", func(component.Val) []component.Val { return []component.Val{component.U8(0)} }, "invalid-argument"},
		{"hop-limit", "set-hop-limit", func(component.Val) []component.Val { return []component.Val{component.U8(3)} }, ""},
		{"buffer-0", "set-receive-buffer-size", func(component.Val) []component.Val { return []component.Val{component.U64(0)} }, "invalid-argument"},
		{"buffer", "set-send-buffer-size", func(component.Val) []component.Val { return []component.Val{component.U64(1 << 62)} }, ""},
		{"keep-alive", "set-keep-alive-enabled", func(component.Val) []component.Val { return []component.Val{component.Bool(true)} }, ""},
		{"keep-alive-count-0", "set-keep-alive-count", func(component.Val) []component.Val { return []component.Val{component.U32(0)} }, "invalid-argument"},
		{"keep-alive-idle-0", "set-keep-alive-idle-time", func(component.Val) []component.Val { return []component.Val{component.U64(0)} }, "invalid-argument"},
		{"backlog-0", "set-listen-backlog-size", func(component.Val) []component.Val { return []component.Val{component.U64(0)} }, "invalid-argument"},
		{"backlog", "set-listen-backlog-size", func(component.Val) []component.Val { return []component.Val{component.U64(10)} }, ""},
	}
	_, r := sockHost(t, allowAll)
	netw := sockCall(t, r, "wasi:sockets/instance-network#instance-network")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sockOK(t, "create", sockCall(t, r, "wasi:sockets/tcp-create-socket#create-tcp-socket", component.Enum("ipv4")))
			defer component.DropResource(context.Background(), s)
			args := []component.Val{s.Borrowed()}
			if tt.args != nil {
				args = append(args, tt.args(netw)...)
			}
			if got := sockCode(sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket."+tt.fn, args...)); got != tt.want {
				t.Errorf("%s: %q, want %q", tt.fn, got, tt.want)
			}
		})
	}
	// Options read back what was set.
	s := sockOK(t, "create", sockCall(t, r, "wasi:sockets/tcp-create-socket#create-tcp-socket", component.Enum("ipv6")))
	b := s.Borrowed()
	sockOK(t, "set", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.set-keep-alive-interval", b, component.U64(uint64(5*time.Second))))
	if v := sockOK(t, "get", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.keep-alive-interval", b)); v.AsUint() != uint64(5*time.Second) {
		t.Errorf("keep-alive-interval = %v", v)
	}
	if v := sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.address-family", b); v.Case() != "ipv6" {
		t.Errorf("address-family = %v", v)
	}
}

// TestUDP sends datagrams between two guest sockets and between the
// guest and Go on loopback.
func TestUDP(t *testing.T) {
	_, r := sockHost(t, allowAll)
	netw := sockCall(t, r, "wasi:sockets/instance-network#instance-network")
	bound := func() (component.Val, netip.AddrPort) {
		s := sockOK(t, "create", sockCall(t, r, "wasi:sockets/udp-create-socket#create-udp-socket", component.Enum("ipv4")))
		b := s.Borrowed()
		if got := sockCode(sockCall(t, r, "wasi:sockets/udp#[method]udp-socket.stream", b, component.None())); got != "invalid-state" {
			t.Errorf("stream before bind: %q, want invalid-state", got)
		}
		sockOK(t, "start-bind", sockCall(t, r, "wasi:sockets/udp#[method]udp-socket.start-bind", b, netw.Borrowed(), loopback4(0)))
		sockOK(t, "finish-bind", sockCall(t, r, "wasi:sockets/udp#[method]udp-socket.finish-bind", b))
		ap := addrOf(t, sockOK(t, "local-address", sockCall(t, r, "wasi:sockets/udp#[method]udp-socket.local-address", b)))
		return s, ap
	}
	a, aAddr := bound()
	bs, bAddr := bound()
	aStreams := sockOK(t, "stream", sockCall(t, r, "wasi:sockets/udp#[method]udp-socket.stream", a.Borrowed(), component.None())).Elems()
	bStreams := sockOK(t, "stream", sockCall(t, r, "wasi:sockets/udp#[method]udp-socket.stream", bs.Borrowed(), component.Some(sockAddrVal(aAddr)))).Elems()
	if got := addrOf(t, sockOK(t, "remote-address", sockCall(t, r, "wasi:sockets/udp#[method]udp-socket.remote-address", bs.Borrowed()))); got != aAddr {
		t.Errorf("remote-address = %v, want %v", got, aAddr)
	}

	send := func(out component.Val, to *netip.AddrPort, msgs ...string) component.Val {
		t.Helper()
		n := sockOK(t, "check-send", sockCall(t, r, "wasi:sockets/udp#[method]outgoing-datagram-stream.check-send", out.Borrowed()))
		if n.AsUint() < uint64(len(msgs)) {
			t.Fatalf("check-send = %v", n)
		}
		var dgs []component.Val
		for _, m := range msgs {
			ra := component.None()
			if to != nil {
				ra = component.Some(sockAddrVal(*to))
			}
			dgs = append(dgs, component.Record(
				component.NamedVal{Name: "data", Val: component.Bytes([]byte(m))},
				component.NamedVal{Name: "remote-address", Val: ra}))
		}
		return sockCall(t, r, "wasi:sockets/udp#[method]outgoing-datagram-stream.send", out.Borrowed(), component.List(dgs...))
	}
	receive := func(in component.Val, n int) (msgs []string, from []netip.AddrPort) {
		t.Helper()
		deadline := time.Now().Add(2 * time.Second)
		for len(msgs) < n && time.Now().Before(deadline) {
			waitReady(t, r, "wasi:sockets/udp#[method]incoming-datagram-stream.subscribe", in)
			v := sockOK(t, "receive", sockCall(t, r, "wasi:sockets/udp#[method]incoming-datagram-stream.receive", in.Borrowed(), component.U64(10)))
			for _, d := range v.Elems() {
				data, _ := d.Field("data")
				ra, _ := d.Field("remote-address")
				msgs = append(msgs, string(bytesOf(data)))
				from = append(from, addrOf(t, ra))
			}
		}
		return msgs, from
	}

	// a (unconnected) sends to b; b (connected to a) answers with no address.
	if v := sockOK(t, "send", send(aStreams[1], &bAddr, "one", "two")); v.AsUint() != 2 {
		t.Fatalf("send = %v", v)
	}
	msgs, from := receive(bStreams[0], 2)
	if !slices.Equal(msgs, []string{"one", "two"}) || from[0] != aAddr {
		t.Fatalf("b received %q from %v", msgs, from)
	}
	if v := sockOK(t, "send", send(bStreams[1], nil, "three")); v.AsUint() != 1 {
		t.Fatalf("send = %v", v)
	}
	if msgs, from := receive(aStreams[0], 1); !slices.Equal(msgs, []string{"three"}) || from[0] != bAddr {
		t.Fatalf("a received %q from %v", msgs, from)
	}

	// Errors: no address on an unconnected stream, another address on a
	// connected one, a send beyond the permit traps.
	if got := sockCode(send(aStreams[1], nil, "x")); got != "invalid-argument" {
		t.Errorf("send without address: %q", got)
	}
	if got := sockCode(send(bStreams[1], &bAddr, "x")); got != "invalid-argument" {
		t.Errorf("send to another address on a connected stream: %q", got)
	}
	one := component.List(component.Record(
		component.NamedVal{Name: "data", Val: component.Bytes([]byte("x"))},
		component.NamedVal{Name: "remote-address", Val: component.Some(sockAddrVal(bAddr))}))
	if _, err := r.call(t, context.Background(), "wasi:sockets/udp#[method]outgoing-datagram-stream.send", aStreams[1].Borrowed(), one); err == nil {
		t.Error("send without check-send does not trap")
	}

	// Go sends to a; a datagram from elsewhere does not reach b (connected to a).
	gc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer gc.Close()
	gc.WriteToUDPAddrPort([]byte("stranger"), bAddr)
	gc.WriteToUDPAddrPort([]byte("from go"), aAddr)
	if msgs, from := receive(aStreams[0], 1); !slices.Equal(msgs, []string{"from go"}) || from[0].String() != gc.LocalAddr().String() {
		t.Fatalf("a received %q from %v", msgs, from)
	}
	gcAddr := gc.LocalAddr().(*net.UDPAddr).AddrPort()
	if v := sockOK(t, "send", send(aStreams[1], &gcAddr, "to go")); v.AsUint() != 1 {
		t.Fatalf("send = %v", v)
	}
	gc.SetReadDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, 100)
	n, _, err := gc.ReadFromUDPAddrPort(buf)
	if err != nil || string(buf[:n]) != "to go" {
		t.Fatalf("Go received %q, %v", buf[:n], err)
	}
	// b's queue holds the stranger's datagram only: receive filters it out.
	time.Sleep(20 * time.Millisecond)
	if v := sockOK(t, "receive", sockCall(t, r, "wasi:sockets/udp#[method]incoming-datagram-stream.receive", bStreams[0].Borrowed(), component.U64(10))); len(v.Elems()) != 0 {
		t.Errorf("b received %v from a stranger", v)
	}
	// A new stream call makes the old streams stale.
	sockOK(t, "stream", sockCall(t, r, "wasi:sockets/udp#[method]udp-socket.stream", a.Borrowed(), component.None()))
	if got := sockCode(sockCall(t, r, "wasi:sockets/udp#[method]incoming-datagram-stream.receive", aStreams[0].Borrowed(), component.U64(1))); got != "invalid-state" {
		t.Errorf("receive on a stale stream: %q", got)
	}
}

// TestIPNameLookup resolves localhost and literal addresses.
func TestIPNameLookup(t *testing.T) {
	tests := []struct {
		name string
		want []string // any of them must be among the results; nil: error code code
		code string
	}{
		{"localhost", []string{"127.0.0.1", "::1"}, ""},
		{"127.0.0.1", []string{"127.0.0.1"}, ""},
		{"[::1]", []string{"::1"}, ""},
		{"bad name!", nil, "invalid-argument"},
		{"", nil, "invalid-argument"},
		{strings.Repeat("a", 64) + ".example", nil, "invalid-argument"},
	}
	_, r := sockHost(t, allowAll)
	netw := sockCall(t, r, "wasi:sockets/instance-network#instance-network")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := sockCall(t, r, "wasi:sockets/ip-name-lookup#resolve-addresses", netw.Borrowed(), component.String(tt.name))
			if tt.want == nil {
				if got := sockCode(v); got != tt.code {
					t.Errorf("error code %q, want %q", got, tt.code)
				}
				return
			}
			rs := sockOK(t, "resolve-addresses", v)
			waitReady(t, r, "wasi:sockets/ip-name-lookup#[method]resolve-address-stream.subscribe", rs)
			var got []string
			for {
				v := sockOK(t, "resolve-next-address", sockCall(t, r, "wasi:sockets/ip-name-lookup#[method]resolve-address-stream.resolve-next-address", rs.Borrowed()))
				if !v.IsSome() {
					break
				}
				a := v.Elems()[0]
				p := a.Payload().Elems()
				var ip netip.Addr
				if a.Case() == "ipv4" {
					ip = netip.AddrFrom4([4]byte{byte(p[0].AsUint()), byte(p[1].AsUint()), byte(p[2].AsUint()), byte(p[3].AsUint())})
				} else {
					var b [16]byte
					for i, s := range p {
						b[2*i], b[2*i+1] = byte(s.AsUint()>>8), byte(s.AsUint())
					}
					ip = netip.AddrFrom16(b)
				}
				got = append(got, ip.String())
			}
			if !slices.ContainsFunc(tt.want, func(w string) bool { return slices.Contains(got, w) }) {
				t.Errorf("addresses %v, want one of %v", got, tt.want)
			}
		})
	}
}

// TestSocketsNoPanics calls every wasi:sockets function with handles the
// host knows, stale ones and ones of another resource, and zero values
// for the other parameters: no call panics or takes long.
func TestSocketsNoPanics(t *testing.T) {
	h, r := sockHost(t, allowAll)
	netw := sockCall(t, r, "wasi:sockets/instance-network#instance-network")
	ls, _ := guestListen(t, r, netw)
	u := sockOK(t, "create", sockCall(t, r, "wasi:sockets/udp-create-socket#create-udp-socket", component.Enum("ipv4")))
	fresh := sockOK(t, "create", sockCall(t, r, "wasi:sockets/tcp-create-socket#create-tcp-socket", component.Enum("ipv4")))
	dropped := sockOK(t, "create", sockCall(t, r, "wasi:sockets/tcp-create-socket#create-tcp-socket", component.Enum("ipv4")))
	droppedRep, _ := dropped.Handle()
	component.DropResource(context.Background(), dropped)
	other := component.NewResourceType("other", nil)
	live := map[*component.ResourceType][]uint32{}
	for _, v := range []component.Val{netw, ls, u, fresh} {
		rep, rt := v.Handle()
		live[rt] = append(live[rt], rep)
	}
	_ = h
	names := make([]string, 0)
	for n := range r.funcs {
		if strings.HasPrefix(n, "wasi:sockets/") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	calls := 0
	for _, name := range names {
		f := r.funcs[name]
		args := [][]component.Val{nil}
		for _, p := range f.typ.Params {
			var cands []component.Val
			switch p.Type.Kind {
			case component.KindBorrow, component.KindOwn:
				mk := component.Borrow
				if p.Type.Kind == component.KindOwn {
					mk = component.Own
				}
				cands = []component.Val{mk(p.Type.Resource, droppedRep), mk(p.Type.Resource, 0), mk(other, 1)}
				for _, rep := range live[p.Type.Resource] {
					cands = append(cands, mk(p.Type.Resource, rep))
				}
			case component.KindU64:
				cands = []component.Val{component.U64(0), component.U64(1<<64 - 1)}
			default:
				z, err := component.Zero(p.Type)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				cands = []component.Val{z}
			}
			var next [][]component.Val
			for _, prefix := range args {
				for _, c := range cands {
					next = append(next, append(slices.Clone(prefix), c))
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
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
				defer cancel()
				start := time.Now()
				f.fn(ctx, a)
				if d := time.Since(start); d > time.Second {
					t.Errorf("%s%v took %v", name, a, d)
				}
				calls++
			}()
		}
	}
	t.Logf("%d calls", calls)
}

// TestSocketsWIT checks the definitions of wasi:sockets against its WIT,
// as TestWIT does for the other packages.
func TestSocketsWIT(t *testing.T) {
	root := testenv.Require(t, "wit/wasi-"+Version)
	_, r := sockHost(t, Config{})
	want := map[string]bool{}
	checkWIT(t, r, root, "sockets", want)
	n := 0
	for name := range r.funcs {
		if strings.HasPrefix(name, "wasi:sockets/") {
			n++
			if !want[name] && !strings.HasSuffix(name, "#network-error-code") { // unstable
				t.Errorf("function %s defined but not in the WIT", name)
			}
		}
	}
	t.Logf("%d wasi:sockets functions checked", n)
}

// TestSocketsComponent runs a component that imports wasi:sockets@0.2.0
// (testdata/components/sockets/tcp-listen.wat): through the canonical
// ABI, it binds and listens on loopback and returns its port, which Go
// connects to. With sockets denied, create-tcp-socket fails and the guest
// traps.
func TestSocketsComponent(t *testing.T) {
	c := compileFile(t, "../../testdata/components/sockets/tcp-listen.wasm")
	h, inst := instantiate(t, c, Config{AllowTCP: true})
	defer h.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	res, err := inst.Func("listen").Call(ctx)
	if err != nil {
		t.Fatal(err)
	}
	port := res[0].AsUint()
	conn, err := net.DialTimeout("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(int(port))), time.Second)
	if err != nil {
		t.Fatalf("connecting to the guest's port %d: %v", port, err)
	}
	conn.Close()

	h2, inst2 := instantiate(t, c, Config{})
	defer h2.Close()
	if _, err := inst2.Func("listen").Call(ctx); err == nil {
		t.Error("listen succeeds with sockets denied")
	}
}

// TestSocketsClose checks that Host.Close closes the sockets a guest
// never dropped and ends the host's goroutines (accept, receive, read
// ahead).
func TestSocketsClose(t *testing.T) {
	before := runtime.NumGoroutine()
	h := NewHost(allowAll)
	r := &recorder{funcs: map[string]recorded{}, resources: map[string]*component.ResourceType{}}
	for _, def := range []func(linker) error{h.defineIO, h.defineSockets} {
		if err := def(r); err != nil {
			t.Fatal(err)
		}
	}
	netw := sockCall(t, r, "wasi:sockets/instance-network#instance-network")
	ls, ap := guestListen(t, r, netw)
	// A connection waits to be accepted, another is accepted and read.
	c1, err := net.Dial("tcp4", ap.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	c2, err := net.Dial("tcp4", ap.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	waitReady(t, r, "wasi:sockets/tcp#[method]tcp-socket.subscribe", ls)
	acc := sockOK(t, "accept", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.accept", ls.Borrowed())).Elems()
	sockCall(t, r, "wasi:io/streams#[method]input-stream.read", acc[1].Borrowed(), component.U64(10))
	// A UDP socket receives.
	u := sockOK(t, "create", sockCall(t, r, "wasi:sockets/udp-create-socket#create-udp-socket", component.Enum("ipv4")))
	sockOK(t, "start-bind", sockCall(t, r, "wasi:sockets/udp#[method]udp-socket.start-bind", u.Borrowed(), netw.Borrowed(), loopback4(0)))
	sockOK(t, "finish-bind", sockCall(t, r, "wasi:sockets/udp#[method]udp-socket.finish-bind", u.Borrowed()))
	sockOK(t, "stream", sockCall(t, r, "wasi:sockets/udp#[method]udp-socket.stream", u.Borrowed(), component.None()))
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	// The peers see the connections end.
	for _, c := range []net.Conn{c1, c2} {
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := c.Read(make([]byte, 1)); err == nil {
			t.Error("connection still open after Close")
		}
	}
	deadline := time.Now().Add(time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after Close, %d before", n, before)
	}
}

// TestTCPWriteInterrupted: a write to a peer that never reads waits for
// room, until the context of the call is done; then the call fails (the
// guest traps) instead of hanging.
func TestTCPWriteInterrupted(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	peer := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			peer <- c // never read
		}
	}()
	_, r := sockHost(t, allowAll)
	netw := sockCall(t, r, "wasi:sockets/instance-network#instance-network")
	s := sockOK(t, "create", sockCall(t, r, "wasi:sockets/tcp-create-socket#create-tcp-socket", component.Enum("ipv4")))
	sockOK(t, "start-bind", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.start-bind", s.Borrowed(), netw.Borrowed(), loopback4(0)))
	sockOK(t, "finish-bind", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.finish-bind", s.Borrowed()))
	sockOK(t, "set-send-buffer-size", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.set-send-buffer-size", s.Borrowed(), component.U64(4096)))
	sockOK(t, "start-connect", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.start-connect", s.Borrowed(), netw.Borrowed(), sockAddrVal(addrPortOf(ln.Addr(), "ipv4"))))
	waitReady(t, r, "wasi:sockets/tcp#[method]tcp-socket.subscribe", s)
	st := sockOK(t, "finish-connect", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.finish-connect", s.Borrowed())).Elems()
	select {
	case c := <-peer:
		defer c.Close()
	case <-time.After(time.Second):
		t.Fatal("no connection")
	}
	chunk := component.Bytes(make([]byte, maxChunk))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	for i := 0; ; i++ {
		_, err := r.call(t, ctx, "wasi:io/streams#[method]output-stream.blocking-write-and-flush", st[1].Borrowed(), chunk)
		if err != nil {
			if ctx.Err() == nil {
				t.Fatalf("write %d: %v before the deadline", i, err)
			}
			break
		}
		if time.Since(start) > 2*time.Second {
			t.Fatalf("%d writes of %d bytes to a peer that never reads, without waiting", i, maxChunk)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the interrupted write returned after %v", d)
	}
}

// TestSocketLimit: a guest holds at most maxSockets sockets; dropping
// one makes room.
func TestSocketLimit(t *testing.T) {
	_, r := sockHost(t, allowAll)
	var last component.Val
	for i := 0; i < maxSockets; i++ {
		fam := []string{"ipv4", "ipv6"}[i%2]
		if i%3 == 0 {
			last = sockOK(t, "create", sockCall(t, r, "wasi:sockets/udp-create-socket#create-udp-socket", component.Enum(fam)))
		} else {
			last = sockOK(t, "create", sockCall(t, r, "wasi:sockets/tcp-create-socket#create-tcp-socket", component.Enum(fam)))
		}
	}
	for _, name := range []string{"wasi:sockets/tcp-create-socket#create-tcp-socket", "wasi:sockets/udp-create-socket#create-udp-socket"} {
		if got := sockCode(sockCall(t, r, name, component.Enum("ipv4"))); got != "new-socket-limit" {
			t.Errorf("%s beyond the limit: %q", name, got)
		}
	}
	if err := component.DropResource(context.Background(), last); err != nil {
		t.Fatal(err)
	}
	sockOK(t, "create", sockCall(t, r, "wasi:sockets/tcp-create-socket#create-tcp-socket", component.Enum("ipv4")))
}

// TestNetworkErrorCode: the stream error of a reset connection carries
// an error whose network-error-code is connection-reset; other errors
// have none.
func TestNetworkErrorCode(t *testing.T) {
	h, r := sockHost(t, allowAll)
	netw := sockCall(t, r, "wasi:sockets/instance-network#instance-network")
	ls, ap := guestListen(t, r, netw)
	c, err := net.Dial("tcp4", ap.String())
	if err != nil {
		t.Fatal(err)
	}
	waitReady(t, r, "wasi:sockets/tcp#[method]tcp-socket.subscribe", ls)
	acc := sockOK(t, "accept", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.accept", ls.Borrowed())).Elems()
	// Closing with unread data, or with linger 0, resets the connection.
	c.(*net.TCPConn).SetLinger(0)
	c.Close()
	v := sockCall(t, r, "wasi:io/streams#[method]input-stream.blocking-read", acc[1].Borrowed(), component.U64(10))
	if !v.IsErr() || v.Payload().Case() != "last-operation-failed" {
		t.Fatalf("read of a reset connection = %v", v)
	}
	e := *v.Payload().Payload()
	code := sockCall(t, r, "wasi:sockets/network#network-error-code", e.Borrowed())
	if !code.IsSome() || code.Elems()[0].Case() != "connection-reset" {
		t.Errorf("network-error-code = %v, want some(connection-reset)", code)
	}
	other := h.newError(io.ErrUnexpectedEOF)
	if code := sockCall(t, r, "wasi:sockets/network#network-error-code", other.Borrowed()); code.IsSome() {
		t.Errorf("network-error-code of a non-network error = %v", code)
	}
}

// TestSockAddr converts socket addresses both ways.
func TestSockAddr(t *testing.T) {
	tests := []string{"127.0.0.1:80", "0.0.0.0:0", "[::1]:65535", "[2001:db8::1:2]:443", "[fe80::1%1]:8080"}
	for _, s := range tests {
		ap := netip.MustParseAddrPort(s)
		got, fam, ok := sockAddrOf(sockAddrVal(ap))
		if !ok || got != ap || fam != map[bool]string{true: "ipv4", false: "ipv6"}[ap.Addr().Is4()] {
			t.Errorf("%s: round trip gives %v %s %v", s, got, fam, ok)
		}
	}
	// A numeric zone is the scope-id.
	v := sockAddrVal(netip.MustParseAddrPort("[fe80::1%3]:1"))
	if p := v.Payload(); p == nil {
		t.Fatal("no payload")
	} else if sc, _ := p.Field("scope-id"); sc.AsUint() != 3 {
		t.Errorf("scope-id = %v", sc)
	}
}
