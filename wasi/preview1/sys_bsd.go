//go:build darwin || freebsd || netbsd

package preview1

import "syscall"

// statTimes returns the access and status-change times of st in
// nanoseconds.
func statTimes(st *syscall.Stat_t) (atim, ctim uint64) {
	return uint64(st.Atimespec.Nano()), uint64(st.Ctimespec.Nano())
}
