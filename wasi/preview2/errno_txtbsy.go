//go:build !js

package preview2

import "syscall"

// errTextFileBusy is ETXTBSY, which js/wasm's syscall package lacks.
const errTextFileBusy = syscall.ETXTBSY
