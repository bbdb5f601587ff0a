package preview1

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"syscall"
)

// Errno is a WASI preview1 error number.
type Errno uint16

// The error numbers of wasi_snapshot_preview1 that this host returns.
const (
	ErrnoSuccess     Errno = 0
	Errno2Big        Errno = 1
	ErrnoAcces       Errno = 2
	ErrnoAgain       Errno = 6
	ErrnoBadf        Errno = 8
	ErrnoBusy        Errno = 10
	ErrnoExist       Errno = 20
	ErrnoFault       Errno = 21
	ErrnoFbig        Errno = 22
	ErrnoIlseq       Errno = 25
	ErrnoInval       Errno = 28
	ErrnoIo          Errno = 29
	ErrnoIsdir       Errno = 31
	ErrnoLoop        Errno = 32
	ErrnoMlink       Errno = 34
	ErrnoNametoolong Errno = 37
	ErrnoNoent       Errno = 44
	ErrnoNomem       Errno = 48
	ErrnoNospc       Errno = 51
	ErrnoNosys       Errno = 52
	ErrnoNotdir      Errno = 54
	ErrnoNotempty    Errno = 55
	ErrnoNotsock     Errno = 57
	ErrnoNotsup      Errno = 58
	ErrnoNotty       Errno = 59
	ErrnoOverflow    Errno = 61
	ErrnoPerm        Errno = 63
	ErrnoPipe        Errno = 64
	ErrnoRange       Errno = 68
	ErrnoRofs        Errno = 69
	ErrnoSpipe       Errno = 70
	ErrnoXdev        Errno = 75
	ErrnoNotcapable  Errno = 76
)

// File types (filetype).
const (
	filetypeUnknown         = 0
	filetypeBlockDevice     = 1
	filetypeCharacterDevice = 2
	filetypeDirectory       = 3
	filetypeRegularFile     = 4
	filetypeSocketDgram     = 5
	filetypeSocketStream    = 6
	filetypeSymbolicLink    = 7
)

// fdflags.
const (
	fdflagAppend   = 1 << 0
	fdflagDsync    = 1 << 1
	fdflagNonblock = 1 << 2
	fdflagRsync    = 1 << 3
	fdflagSync     = 1 << 4
)

// oflags.
const (
	oflagCreat     = 1 << 0
	oflagDirectory = 1 << 1
	oflagExcl      = 1 << 2
	oflagTrunc     = 1 << 3
)

// lookupflags.
const lookupSymlinkFollow = 1 << 0

// fstflags.
const (
	fstflagAtim    = 1 << 0
	fstflagAtimNow = 1 << 1
	fstflagMtim    = 1 << 2
	fstflagMtimNow = 1 << 3
)

// whence.
const (
	whenceSet = 0
	whenceCur = 1
	whenceEnd = 2
)

// clock ids.
const (
	clockRealtime         = 0
	clockMonotonic        = 1
	clockProcessCputimeID = 2
	clockThreadCputimeID  = 3
)

// Rights.
const (
	rightFdDatasync Rights = 1 << iota
	rightFdRead
	rightFdSeek
	rightFdFdstatSetFlags
	rightFdSync
	rightFdTell
	rightFdWrite
	rightFdAdvise
	rightFdAllocate
	rightPathCreateDirectory
	rightPathCreateFile
	rightPathLinkSource
	rightPathLinkTarget
	rightPathOpen
	rightFdReaddir
	rightPathReadlink
	rightPathRenameSource
	rightPathRenameTarget
	rightPathFilestatGet
	rightPathFilestatSetSize
	rightPathFilestatSetTimes
	rightFdFilestatGet
	rightFdFilestatSetSize
	rightFdFilestatSetTimes
	rightPathSymlink
	rightPathRemoveDirectory
	rightPathUnlinkFile
	rightPollFdReadwrite
	rightSockShutdown
	rightSockAccept
)

// Rights is a set of WASI preview1 capability rights.
type Rights uint64

const (
	rightsAll Rights = 1<<30 - 1

	rightsFileBase = rightFdDatasync | rightFdRead | rightFdSeek | rightFdFdstatSetFlags |
		rightFdSync | rightFdTell | rightFdWrite | rightFdAdvise | rightFdAllocate |
		rightFdFilestatGet | rightFdFilestatSetSize | rightFdFilestatSetTimes | rightPollFdReadwrite

	rightsDirBase = rightFdFdstatSetFlags | rightFdSync | rightFdAdvise | rightPathCreateDirectory |
		rightPathCreateFile | rightPathLinkSource | rightPathLinkTarget | rightPathOpen |
		rightFdReaddir | rightPathReadlink | rightPathRenameSource | rightPathRenameTarget |
		rightPathFilestatGet | rightPathFilestatSetSize | rightPathFilestatSetTimes |
		rightFdFilestatGet | rightFdFilestatSetTimes | rightPathSymlink |
		rightPathRemoveDirectory | rightPathUnlinkFile | rightPollFdReadwrite

	rightsDirInheriting = rightsDirBase | rightsFileBase

	rightsStdio = rightFdRead | rightFdWrite | rightFdFdstatSetFlags | rightFdFilestatGet |
		rightPollFdReadwrite
)

// errnoOf maps a Go error from the file system to an errno.
func errnoOf(err error) Errno {
	if err == nil {
		return ErrnoSuccess
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.EACCES:
			return ErrnoAcces
		case syscall.EAGAIN:
			return ErrnoAgain
		case syscall.EBADF:
			return ErrnoBadf
		case syscall.EBUSY:
			return ErrnoBusy
		case syscall.EEXIST:
			return ErrnoExist
		case syscall.EFAULT:
			return ErrnoFault
		case syscall.EFBIG:
			return ErrnoFbig
		case syscall.EINVAL:
			return ErrnoInval
		case syscall.EIO:
			return ErrnoIo
		case syscall.EISDIR:
			return ErrnoIsdir
		case syscall.ELOOP:
			return ErrnoLoop
		case syscall.EMLINK:
			return ErrnoMlink
		case syscall.ENAMETOOLONG:
			return ErrnoNametoolong
		case syscall.ENOENT:
			return ErrnoNoent
		case syscall.ENOMEM:
			return ErrnoNomem
		case syscall.ENOSPC:
			return ErrnoNospc
		case syscall.ENOSYS:
			return ErrnoNosys
		case syscall.ENOTDIR:
			return ErrnoNotdir
		case syscall.ENOTEMPTY:
			return ErrnoNotempty
		case syscall.ENOTSUP:
			return ErrnoNotsup
		case syscall.ENOTTY:
			return ErrnoNotty
		case syscall.EPERM:
			return ErrnoPerm
		case syscall.EPIPE:
			return ErrnoPipe
		case syscall.EROFS:
			return ErrnoRofs
		case syscall.ESPIPE:
			return ErrnoSpipe
		case syscall.EXDEV:
			return ErrnoXdev
		}
		return ErrnoIo
	}
	var e Errno
	if errors.As(err, &e) {
		return e
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ErrnoNoent
	case errors.Is(err, fs.ErrExist):
		return ErrnoExist
	case errors.Is(err, fs.ErrPermission):
		return ErrnoPerm
	case errors.Is(err, fs.ErrInvalid):
		return ErrnoInval
	case errors.Is(err, os.ErrDeadlineExceeded):
		return ErrnoAgain
	}
	// os.Root reports escapes with a plain error ("path escapes from parent").
	if isEscape(err) {
		return ErrnoPerm
	}
	return ErrnoIo
}

// Error makes an Errno usable as a Go error.
func (e Errno) Error() string {
	if s, ok := errnoNames[e]; ok {
		return "wasi errno " + s
	}
	return "wasi errno " + strconv.Itoa(int(e))
}

var errnoNames = map[Errno]string{
	ErrnoSuccess: "success", Errno2Big: "2big", ErrnoAcces: "acces", ErrnoAgain: "again",
	ErrnoBadf: "badf", ErrnoBusy: "busy", ErrnoExist: "exist", ErrnoFault: "fault",
	ErrnoFbig: "fbig", ErrnoIlseq: "ilseq", ErrnoInval: "inval", ErrnoIo: "io", ErrnoIsdir: "isdir",
	ErrnoLoop: "loop", ErrnoMlink: "mlink", ErrnoNametoolong: "nametoolong", ErrnoNoent: "noent",
	ErrnoNomem: "nomem", ErrnoNospc: "nospc", ErrnoNosys: "nosys", ErrnoNotdir: "notdir",
	ErrnoNotempty: "notempty", ErrnoNotsock: "notsock", ErrnoNotsup: "notsup", ErrnoNotty: "notty",
	ErrnoOverflow: "overflow", ErrnoPerm: "perm", ErrnoPipe: "pipe", ErrnoRange: "range",
	ErrnoRofs: "rofs", ErrnoSpipe: "spipe", ErrnoXdev: "xdev", ErrnoNotcapable: "notcapable",
}
