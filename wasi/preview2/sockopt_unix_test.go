//go:build unix

package preview2

import (
	"net"
	"syscall"
	"testing"

	"github.com/gowasm/gowasm/component"
)

// TestHopLimit checks that set-hop-limit reaches the socket of a UDP
// socket and of a connected TCP socket (IP_TTL).
func TestHopLimit(t *testing.T) {
	h, r := sockHost(t, allowAll)
	netw := sockCall(t, r, "wasi:sockets/instance-network#instance-network")
	ttl := func(c syscall.Conn) int {
		t.Helper()
		rc, err := c.SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		var v int
		var serr error
		rc.Control(func(fd uintptr) { v, serr = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_IP, syscall.IP_TTL) })
		if serr != nil {
			t.Fatal(serr)
		}
		return v
	}

	u := sockOK(t, "create", sockCall(t, r, "wasi:sockets/udp-create-socket#create-udp-socket", component.Enum("ipv4")))
	sockOK(t, "set", sockCall(t, r, "wasi:sockets/udp#[method]udp-socket.set-unicast-hop-limit", u.Borrowed(), component.U8(7)))
	sockOK(t, "start-bind", sockCall(t, r, "wasi:sockets/udp#[method]udp-socket.start-bind", u.Borrowed(), netw.Borrowed(), loopback4(0)))
	us, _ := h.sock.udps.get(u)
	if got := ttl(us.conn); got != 7 {
		t.Errorf("UDP IP_TTL = %d, want 7", got)
	}
	sockOK(t, "set", sockCall(t, r, "wasi:sockets/udp#[method]udp-socket.set-unicast-hop-limit", u.Borrowed(), component.U8(9)))
	if got := ttl(us.conn); got != 9 {
		t.Errorf("UDP IP_TTL = %d after a second set, want 9", got)
	}

	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s := sockOK(t, "create", sockCall(t, r, "wasi:sockets/tcp-create-socket#create-tcp-socket", component.Enum("ipv4")))
	sockOK(t, "set", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.set-hop-limit", s.Borrowed(), component.U8(11)))
	sockOK(t, "start-connect", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.start-connect", s.Borrowed(), netw.Borrowed(), sockAddrVal(addrPortOf(ln.Addr(), "ipv4"))))
	waitReady(t, r, "wasi:sockets/tcp#[method]tcp-socket.subscribe", s)
	sockOK(t, "finish-connect", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.finish-connect", s.Borrowed()))
	ts, _ := h.sock.tcps.get(s)
	if got := ttl(ts.conn); got != 11 {
		t.Errorf("TCP IP_TTL = %d, want 11", got)
	}
	if v := sockOK(t, "get", sockCall(t, r, "wasi:sockets/tcp#[method]tcp-socket.hop-limit", s.Borrowed())); v.AsUint() != 11 {
		t.Errorf("hop-limit = %v", v)
	}
}
