//go:build !unix

package preview2

import "syscall"

// setHopLimit records nothing on systems without the unix socket
// options: the hop limit the guest sets is only reported back.
func setHopLimit(syscall.RawConn, string, uint8) error { return nil }
