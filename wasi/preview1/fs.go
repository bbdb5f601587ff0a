package preview1

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"time"
)

// FS is a file system a guest can see through a preopened directory.
// Names are slash-separated paths relative to the file system's root,
// never absolute; "." is the root. An implementation must refuse every
// name that would resolve outside its root (through "..", symbolic links
// or otherwise): that is what keeps the guest in its sandbox.
//
// DirFS gives a host directory, ReadOnlyFS any io/fs.FS. Other
// implementations (an in-memory tree, say) implement this interface.
type FS interface {
	// OpenFile opens name with os.O_* flags. With nofollow set, a final
	// component that is a symbolic link is not followed (ELOOP).
	OpenFile(name string, flag int, perm fs.FileMode, nofollow bool) (File, error)
	Mkdir(name string, perm fs.FileMode) error
	// Remove removes a file or an empty directory.
	Remove(name string) error
	Rename(oldname, newname string) error
	Stat(name string) (fs.FileInfo, error)
	Lstat(name string) (fs.FileInfo, error)
	Symlink(target, name string) error
	Readlink(name string) (string, error)
	Link(oldname, newname string) error
	// Chtimes sets the access and modification times of name; with
	// nofollow set, of a symbolic link itself.
	Chtimes(name string, atime, mtime time.Time, nofollow bool) error
}

// File is an open file or directory of an FS.
type File interface {
	io.Reader
	io.Writer
	io.ReaderAt
	io.WriterAt
	io.Seeker
	io.Closer
	Stat() (fs.FileInfo, error)
	Truncate(size int64) error
	Sync() error
	// ReadDir reads the directory's entries (see os.File.ReadDir).
	ReadDir(n int) ([]fs.DirEntry, error)
}

// DirFS returns an FS for the host directory dir. Access is confined to
// dir with os.Root: no name, symbolic link or ".." can reach outside it.
func DirFS(dir string) (FS, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return rootFS{r}, nil
}

type rootFS struct{ r *os.Root }

func (d rootFS) OpenFile(name string, flag int, perm fs.FileMode, nofollow bool) (File, error) {
	if nofollow {
		fi, err := d.r.Lstat(name)
		if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, syscall.ELOOP
		}
	}
	f, err := d.r.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func (d rootFS) Mkdir(name string, perm fs.FileMode) error { return d.r.Mkdir(name, perm) }
func (d rootFS) Remove(name string) error                  { return d.r.Remove(name) }
func (d rootFS) Rename(o, n string) error                  { return d.r.Rename(o, n) }
func (d rootFS) Stat(name string) (fs.FileInfo, error)     { return d.r.Stat(name) }
func (d rootFS) Lstat(name string) (fs.FileInfo, error)    { return d.r.Lstat(name) }
func (d rootFS) Readlink(name string) (string, error)      { return d.r.Readlink(name) }
func (d rootFS) Link(o, n string) error                    { return d.r.Link(o, n) }
func (d rootFS) Chtimes(name string, a, m time.Time, nofollow bool) error {
	if nofollow {
		if fi, err := d.r.Lstat(name); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return d.lchtimes(name, a, m)
		}
	}
	return d.r.Chtimes(name, a, m)
}

func (d rootFS) Symlink(target, name string) error {
	// os.Root refuses to create links whose target is absolute; a guest
	// link is resolved inside the sandbox anyway, so refuse it here too.
	if strings.HasPrefix(target, "/") {
		return syscall.EPERM
	}
	return d.r.Symlink(target, name)
}

// ReadOnlyFS returns an FS that serves fsys read-only. Every change fails
// with EROFS.
func ReadOnlyFS(fsys fs.FS) FS { return roFS{fsys} }

type roFS struct{ f fs.FS }

func (r roFS) OpenFile(name string, flag int, perm fs.FileMode, nofollow bool) (File, error) {
	if flag&(os.O_WRONLY|os.O_RDWR|os.O_CREATE|os.O_TRUNC|os.O_APPEND) != 0 {
		return nil, syscall.EROFS
	}
	f, err := r.f.Open(name)
	if err != nil {
		return nil, err
	}
	return &roFile{f: f}, nil
}

func (r roFS) Mkdir(string, fs.FileMode) error { return syscall.EROFS }
func (r roFS) Remove(string) error             { return syscall.EROFS }
func (r roFS) Rename(string, string) error     { return syscall.EROFS }
func (r roFS) Stat(name string) (fs.FileInfo, error) {
	return fs.Stat(r.f, name)
}
func (r roFS) Lstat(name string) (fs.FileInfo, error) {
	if l, ok := r.f.(fs.ReadLinkFS); ok {
		return l.Lstat(name)
	}
	return fs.Stat(r.f, name)
}
func (r roFS) Symlink(string, string) error { return syscall.EROFS }
func (r roFS) Readlink(name string) (string, error) {
	if l, ok := r.f.(fs.ReadLinkFS); ok {
		return l.ReadLink(name)
	}
	return "", syscall.EINVAL
}
func (r roFS) Link(string, string) error                        { return syscall.EROFS }
func (r roFS) Chtimes(string, time.Time, time.Time, bool) error { return syscall.EROFS }

// roFile adapts an fs.File, adding what it lacks.
type roFile struct {
	f   fs.File
	off int64
}

func (f *roFile) Read(p []byte) (int, error) {
	n, err := f.f.Read(p)
	f.off += int64(n)
	return n, err
}
func (f *roFile) Write([]byte) (int, error)          { return 0, syscall.EBADF }
func (f *roFile) WriteAt([]byte, int64) (int, error) { return 0, syscall.EBADF }
func (f *roFile) ReadAt(p []byte, off int64) (int, error) {
	if ra, ok := f.f.(io.ReaderAt); ok {
		return ra.ReadAt(p, off)
	}
	return 0, syscall.ESPIPE
}
func (f *roFile) Seek(off int64, whence int) (int64, error) {
	if s, ok := f.f.(io.Seeker); ok {
		n, err := s.Seek(off, whence)
		if err == nil {
			f.off = n
		}
		return n, err
	}
	return 0, syscall.ESPIPE
}
func (f *roFile) Close() error               { return f.f.Close() }
func (f *roFile) Stat() (fs.FileInfo, error) { return f.f.Stat() }
func (f *roFile) Truncate(int64) error       { return syscall.EROFS }
func (f *roFile) Sync() error                { return nil }
func (f *roFile) ReadDir(n int) ([]fs.DirEntry, error) {
	if d, ok := f.f.(fs.ReadDirFile); ok {
		return d.ReadDir(n)
	}
	return nil, syscall.ENOTDIR
}

// isEscape reports whether err is os.Root's refusal of a name that leaves
// the root.
func isEscape(err error) bool {
	for err != nil {
		if strings.Contains(err.Error(), "escapes") {
			return true
		}
		err = errors.Unwrap(err)
	}
	return false
}
