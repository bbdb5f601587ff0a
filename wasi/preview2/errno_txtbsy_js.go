package preview2

import "syscall"

// errTextFileBusy is ETXTBSY, which this system does not have (0 never
// matches an error).
const errTextFileBusy syscall.Errno = 0
