package preview1

import (
	"os"
	"path"
	"syscall"
	"time"
	"unsafe"
)

const atSymlinkNofollow = 0x100

// lchtimes sets the times of name itself, not of what a symbolic link
// points to, resolving the parent directory inside the root.
func (d rootFS) lchtimes(name string, atime, mtime time.Time) error {
	dir, base := path.Split(name)
	if dir == "" {
		dir = "."
	}
	f, err := d.r.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	p, err := syscall.BytePtrFromString(base)
	if err != nil {
		return err
	}
	ts := [2]syscall.Timespec{syscall.NsecToTimespec(atime.UnixNano()), syscall.NsecToTimespec(mtime.UnixNano())}
	_, _, e := syscall.Syscall6(syscall.SYS_UTIMENSAT, f.Fd(), uintptr(unsafe.Pointer(p)),
		uintptr(unsafe.Pointer(&ts[0])), atSymlinkNofollow, 0, 0)
	if e != 0 {
		return &os.PathError{Op: "lchtimes", Path: name, Err: e}
	}
	return nil
}
