//go:build !linux && !darwin && !freebsd && !netbsd

package preview1

import (
	"io/fs"
	"time"
)

// oDirectory is 0: this system has no open flag that refuses anything
// but a directory (path_open checks the file type after opening).
const oDirectory = 0

// cpuTime returns the time since the host started: this system gives no
// process CPU time through the standard library.
func cpuTime(start time.Time) uint64 { return uint64(time.Since(start).Nanoseconds()) }

// statExtra returns what fs.FileInfo lacks of a POSIX stat (see
// StatSys): this system's stat is not read, so device and inode are
// zero, the link count one and both times the modification time.
func statExtra(fi fs.FileInfo) (dev, ino, nlink, atim, ctim uint64) {
	mt := uint64(fi.ModTime().UnixNano())
	return 0, 0, 1, mt, mt
}
