//go:build unix

package preview2

import "syscall"

// setHopLimit sets the unicast hop limit (IP_TTL, IPV6_UNICAST_HOPS) of
// the socket of rc.
func setHopLimit(rc syscall.RawConn, family string, v uint8) error {
	var serr error
	err := rc.Control(func(fd uintptr) {
		if family == "ipv4" {
			serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, syscall.IP_TTL, int(v))
		} else {
			serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IPV6, syscall.IPV6_UNICAST_HOPS, int(v))
		}
	})
	if err != nil {
		return err
	}
	return serr
}
