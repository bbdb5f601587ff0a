//go:build !linux

package preview1

import (
	"syscall"
	"time"
)

// lchtimes is not supported on this system.
func (d rootFS) lchtimes(name string, atime, mtime time.Time) error { return syscall.ENOTSUP }
