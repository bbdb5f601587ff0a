// Package preview1 implements wasi_snapshot_preview1, the WASI interface
// of core modules, for the gowasm interpreter: arguments, environment,
// clocks, randomness, stdio from any io.Reader and io.Writer, and
// preopened directories from host directories (confined with os.Root) or
// any io/fs.FS (read-only).
//
// A guest can never reach outside its preopened directories: names are
// resolved by the FS implementations, which refuse "..", absolute paths,
// and symbolic or hard links that lead out.
package preview1

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/gowasm/gowasm/wasi/internal/readahead"
)

// ModuleName is the import module name of WASI preview1.
const ModuleName = "wasi_snapshot_preview1"

// Preopen is a directory made visible to the guest.
type Preopen struct {
	// GuestPath is the name the guest sees, e.g. "/" or "/data".
	GuestPath string
	FS        FS
}

// Config describes a guest's environment. The zero value gives a guest no
// arguments, no environment, empty stdin, discarded output, no
// directories, the host's clocks and crypto/rand.
type Config struct {
	Args     []string
	Env      []string // "NAME=VALUE"
	Stdin    io.Reader
	Stdout   io.Writer
	Stderr   io.Writer
	Preopens []Preopen
	// Random supplies random_get; nil means crypto/rand.
	Random io.Reader
	// Now returns the wall clock; nil means time.Now.
	Now func() time.Time
}

// ExitError is returned (wrapped by the engine) when the guest calls
// proc_exit.
type ExitError struct {
	Code uint32
}

// Error returns "wasi: exit status N".
func (e *ExitError) Error() string { return fmt.Sprintf("wasi: exit status %d", e.Code) }

// Host is the state of one guest's WASI: its file descriptors and
// configuration. A Host serves one instance; it is not safe for
// concurrent use by several guests.
type Host struct {
	cfg    Config
	fds    map[uint32]*fileDesc
	start  time.Time
	stdin  *readahead.Reader
	mu     sync.Mutex // guards nothing but the stdin reader set-up
	nextFd uint32
}

// fileDesc is an open file descriptor.
type fileDesc struct {
	kind      byte // filetype
	file      File // files and directories of an FS; nil for stdio
	fs        FS
	path      string // for directories and files: the path within fs ("." for a preopen)
	preopen   string // guest path of a preopened directory, or ""
	reader    io.Reader
	writer    io.Writer
	flags     uint16
	base      Rights
	inherit   Rights
	dirCookie uint64
	dirEnts   []dirent // cached directory listing for fd_readdir
}

type dirent struct {
	name string
	typ  byte
	ino  uint64
}

// NewHost returns the WASI state for one guest.
func NewHost(cfg Config) *Host {
	if cfg.Stdin == nil {
		cfg.Stdin = eofReader{}
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	if cfg.Random == nil {
		cfg.Random = rand.Reader
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &Host{cfg: cfg, fds: map[uint32]*fileDesc{}, start: time.Now()}
	h.stdin = readahead.New(cfg.Stdin, 4096)
	h.fds[0] = &fileDesc{kind: filetypeCharacterDevice, reader: h.stdin, base: rightsStdio}
	h.fds[1] = &fileDesc{kind: filetypeCharacterDevice, writer: cfg.Stdout, base: rightsStdio}
	h.fds[2] = &fileDesc{kind: filetypeCharacterDevice, writer: cfg.Stderr, base: rightsStdio}
	fd := uint32(3)
	for _, p := range cfg.Preopens {
		h.fds[fd] = &fileDesc{kind: filetypeDirectory, fs: p.FS, path: ".", preopen: p.GuestPath,
			base: rightsDirBase, inherit: rightsDirInheriting}
		fd++
	}
	h.nextFd = fd
	return h
}

// Close closes every file the guest left open.
func (h *Host) Close() error {
	var errs []error
	for fd, d := range h.fds {
		if d.file != nil {
			errs = append(errs, d.file.Close())
		}
		delete(h.fds, fd)
	}
	return errors.Join(errs...)
}

func (h *Host) allocFd(d *fileDesc) uint32 {
	for {
		fd := h.nextFd
		h.nextFd++
		if _, used := h.fds[fd]; !used {
			h.fds[fd] = d
			return fd
		}
	}
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// fileType maps a file mode to a WASI filetype.
func fileType(m fs.FileMode) byte {
	switch {
	case m.IsRegular():
		return filetypeRegularFile
	case m.IsDir():
		return filetypeDirectory
	case m&fs.ModeSymlink != 0:
		return filetypeSymbolicLink
	case m&fs.ModeCharDevice != 0:
		return filetypeCharacterDevice
	case m&fs.ModeDevice != 0:
		return filetypeBlockDevice
	case m&fs.ModeSocket != 0:
		return filetypeSocketStream
	}
	return filetypeUnknown
}

// isTerminal reports whether w is a terminal, for fd_fdstat_get.
func isTerminal(x any) bool {
	f, ok := x.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&fs.ModeCharDevice != 0
}
