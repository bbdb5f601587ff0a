package preview1

import (
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"syscall"
)

// This file holds the file system logic that the WASI 0.2 host
// (package wasi/preview2) shares with this package: the sandbox rules for
// guest paths, the mapping of Go errors to errno values, and the
// operations whose POSIX semantics need more than one call to an FS.

// ErrnoOf maps an error returned by an FS, a File or the host to the WASI
// errno a guest sees (ErrnoSuccess for nil; ErrnoIo when nothing closer
// fits).
func ErrnoOf(err error) Errno { return errnoOf(err) }

// ResolvePath checks the guest path p, relative to the directory dir (a
// name within an FS, "." for its root), and returns the name it has
// within the FS. It refuses paths with a NUL byte (ErrnoIlseq), the empty
// path (ErrnoNoent), absolute paths and paths that climb lexically above
// dir (ErrnoPerm): a directory descriptor grants access below itself
// only. Symbolic links are confined to the FS's root by the FS itself.
// A trailing slash is kept.
func ResolvePath(dir, p string) (string, Errno) {
	if strings.IndexByte(p, 0) >= 0 {
		return "", ErrnoIlseq
	}
	if p == "" {
		return "", ErrnoNoent
	}
	if strings.HasPrefix(p, "/") {
		return "", ErrnoPerm
	}
	if escapes(p) {
		return "", ErrnoPerm
	}
	if dir != "." && dir != "" {
		p = dir + "/" + p
	}
	return p, ErrnoSuccess
}

// ODirectory is the open flag that refuses to open anything but a
// directory where the system has one (O_DIRECTORY), else 0: callers
// check the file type after opening too.
const ODirectory = oDirectory

// StatSys returns what fs.FileInfo lacks of a POSIX stat: device, inode,
// link count, and access and status-change times in nanoseconds since
// the Unix epoch. Without a *syscall.Stat_t behind fi it returns zero
// device and inode, one link, and the modification time for both times.
func StatSys(fi fs.FileInfo) (dev, ino, nlink, atim, ctim uint64) { return statExtra(fi) }

// CreateDirectory creates the directory p (a name returned by
// ResolvePath) in fsys.
func CreateDirectory(fsys FS, p string) Errno {
	return errnoOf(fsys.Mkdir(strings.TrimRight(p, "/"), 0o777))
}

// RemoveDirectory removes the empty directory p of fsys, with the errors
// of rmdir(2): ErrnoNotdir for something else, ErrnoNotempty for a
// directory with entries.
func RemoveDirectory(fsys FS, p string) Errno {
	p = strings.TrimRight(p, "/")
	fi, err := fsys.Lstat(p)
	if err != nil {
		return errnoOf(err)
	}
	if !fi.IsDir() {
		return ErrnoNotdir
	}
	if err := fsys.Remove(p); err != nil {
		if errors.Is(err, syscall.EEXIST) {
			return ErrnoNotempty
		}
		return errnoOf(err)
	}
	return ErrnoSuccess
}

// UnlinkFile removes the non-directory p of fsys, with the errors of
// unlink(2): ErrnoIsdir for a directory, ErrnoNotdir for a name with a
// trailing slash.
func UnlinkFile(fsys FS, p string) Errno {
	fi, err := fsys.Lstat(strings.TrimRight(p, "/"))
	if err != nil {
		return errnoOf(err)
	}
	if fi.IsDir() {
		return ErrnoIsdir
	}
	if strings.HasSuffix(p, "/") {
		return ErrnoNotdir
	}
	return errnoOf(fsys.Remove(p))
}

// Rename renames op to np within fsys with the semantics of rename(2):
// a directory replaces an empty directory, a file replaces a file, and
// mixing the two fails (ErrnoNotdir, ErrnoIsdir).
func Rename(fsys FS, op, np string) Errno {
	ofi, err := fsys.Lstat(strings.TrimRight(op, "/"))
	if err != nil {
		return errnoOf(err)
	}
	if !ofi.IsDir() && (strings.HasSuffix(op, "/") || strings.HasSuffix(np, "/")) {
		return ErrnoNotdir
	}
	if nfi, err := fsys.Lstat(strings.TrimRight(np, "/")); err == nil {
		switch {
		case ofi.IsDir() && !nfi.IsDir():
			return ErrnoNotdir
		case !ofi.IsDir() && nfi.IsDir():
			return ErrnoIsdir
		case ofi.IsDir() && nfi.IsDir():
			// rename(2) replaces an empty directory; Go's Rename refuses
			// to, so remove it first (failing when it is not empty).
			if err := fsys.Remove(strings.TrimRight(np, "/")); err != nil {
				if errors.Is(err, syscall.EEXIST) || errors.Is(err, syscall.ENOTEMPTY) {
					return ErrnoNotempty
				}
				return errnoOf(err)
			}
		}
	}
	return errnoOf(fsys.Rename(strings.TrimRight(op, "/"), strings.TrimRight(np, "/")))
}

// Symlink creates the symbolic link p of fsys pointing to target. A name
// with a trailing slash fails as symlink(2) fails.
func Symlink(fsys FS, target, p string) Errno {
	if strings.HasSuffix(p, "/") {
		if _, err := fsys.Lstat(strings.TrimRight(p, "/")); err == nil {
			return ErrnoExist
		}
		return ErrnoNoent
	}
	return errnoOf(fsys.Symlink(target, p))
}

// SameFS reports whether a and b are the same file system, for the
// operations that cannot cross file systems (rename, link). Comparing two
// FS values with == panics when their dynamic values are not comparable
// (ReadOnlyFS of an fstest.MapFS, say); such values count as different
// file systems.
func SameFS(a, b FS) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if !va.IsValid() || !vb.IsValid() {
		return !va.IsValid() && !vb.IsValid()
	}
	if va.Type() != vb.Type() || !va.Comparable() || !vb.Comparable() {
		return false
	}
	return a == b
}
