package preview2

import "syscall"

// errHostDown is EHOSTDOWN, which this system does not have (0 never
// matches an error).
const errHostDown syscall.Errno = 0
