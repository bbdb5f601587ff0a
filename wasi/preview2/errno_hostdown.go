//go:build !wasip1

package preview2

import "syscall"

// errHostDown is EHOSTDOWN, which wasip1's syscall package lacks.
const errHostDown = syscall.EHOSTDOWN
