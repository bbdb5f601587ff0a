//go:build linux || darwin || freebsd || netbsd

package preview1

import (
	"io/fs"
	"syscall"
	"time"
)

// oDirectory is the open flag that refuses anything but a directory.
const oDirectory = syscall.O_DIRECTORY

// cpuTime returns the CPU time of the process (user and system) in
// nanoseconds.
func cpuTime(time.Time) uint64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return uint64(ru.Utime.Nano() + ru.Stime.Nano())
}

// statExtra returns what fs.FileInfo lacks of a POSIX stat (see
// StatSys).
func statExtra(fi fs.FileInfo) (dev, ino, nlink, atim, ctim uint64) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		atim, ctim = statTimes(st)
		return uint64(st.Dev), uint64(st.Ino), uint64(st.Nlink), atim, ctim
	}
	mt := uint64(fi.ModTime().UnixNano())
	return 0, 0, 1, mt, mt
}
