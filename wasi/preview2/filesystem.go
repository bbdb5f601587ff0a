package preview2

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"sort"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/wasi/preview1"
)

// This file implements wasi:filesystem/types and wasi:filesystem/preopens
// on the file systems of package preview1 (preview1.FS: host directories
// confined with os.Root, read-only io/fs.FS trees). Guest paths follow
// preview1's sandbox rules (preview1.ResolvePath): no absolute paths, no
// ".." above the directory descriptor, symbolic links confined by the FS.

// fsMaxReadLen bounds the buffer descriptor.read allocates, whatever length
// the guest asks for; a shorter read is allowed by the interface.
const fsMaxReadLen = 1 << 20

// Descriptor flags, as bits in the order of descriptor-flags.
const (
	fsFlagRead uint8 = 1 << iota
	fsFlagWrite
	fsFlagFileIntegritySync
	fsFlagDataIntegritySync
	fsFlagRequestedWriteSync
	fsFlagMutateDirectory
)

// fsDescFlagLabels and the functions below return the labels of the
// flags and enums of wasi:filesystem/types.
func fsDescFlagLabels() []string {
	return []string{"read", "write", "file-integrity-sync", "data-integrity-sync", "requested-write-sync",
		"mutate-directory"}
}

// fsDescTypeLabels returns labels (see fsDescFlagLabels).
func fsDescTypeLabels() []string {
	return []string{"unknown", "block-device", "character-device", "directory", "fifo", "symbolic-link",
		"regular-file", "socket"}
}

// fsErrorCodeLabels returns labels (see fsDescFlagLabels).
func fsErrorCodeLabels() []string {
	return []string{"access", "would-block", "already", "bad-descriptor", "busy", "deadlock",
		"quota", "exist", "file-too-large", "illegal-byte-sequence", "in-progress", "interrupted",
		"invalid", "io", "is-directory", "loop", "too-many-links", "message-size", "name-too-long",
		"no-device", "no-entry", "no-lock", "insufficient-memory", "insufficient-space",
		"not-directory", "not-empty", "not-recoverable", "unsupported", "no-tty", "no-such-device",
		"overflow", "not-permitted", "pipe", "read-only", "invalid-seek", "text-file-busy",
		"cross-device"}
}

// fsAdviceLabels returns labels (see fsDescFlagLabels).
func fsAdviceLabels() []string {
	return []string{"normal", "sequential", "random", "will-need", "dont-need", "no-reuse"}
}

// fsState is the state of wasi:filesystem: the resource types and the
// tables of descriptors and directory-entry streams handed to the guest.
type fsState struct {
	descRT, dirRT *component.ResourceType
	descs         table[*fsDescriptor]
	dirs          table[*fsDirStream]
	// files are the host files still open (held by descriptors or by the
	// streams made from them), closed by closeFS.
	files map[*fsOpenFile]struct{}
}

// fsDescriptor is a wasi:filesystem descriptor: a file or directory of an
// FS.
type fsDescriptor struct {
	fsys preview1.FS
	// root is the index of the preopen the descriptor was reached from:
	// descriptors with the same root share their FS (FS values cannot
	// always be compared).
	root int
	path string      // the name within fsys ("." for its root)
	file *fsOpenFile // nil for a preopened directory, which is opened on demand
	typ  string      // descriptor-type
	// flags are the descriptor-flags: what the guest may do with it.
	flags uint8
}

// fsOpenFile is a host file shared by a descriptor and the streams made
// from it; it is closed when the last of them lets go.
type fsOpenFile struct {
	f    preview1.File
	refs int
	st   *fsState
}

// acquire adds a holder of o.
func (o *fsOpenFile) acquire() *fsOpenFile {
	o.refs++
	return o
}

// release drops a holder of o, closing the file after the last.
func (o *fsOpenFile) release() error {
	if o.refs <= 0 {
		return nil
	}
	o.refs--
	if o.refs > 0 {
		return nil
	}
	delete(o.st.files, o)
	return o.f.Close()
}

// fsDirStream is a directory-entry-stream: the entries read when it was
// made (sorted by name, without "." and ".."), as directory-entry
// records, or invalid Vals for names that are not UTF-8.
type fsDirStream struct {
	ents []component.Val
	i    int
}

// fsTypeSet holds the component types of wasi:filesystem/types.
type fsTypeSet struct {
	descOwn, descBorrow, dirOwn, inStream, outStream, errBorrow     *component.Type
	errorCode, descType, descFlags, pathFlags, openFlags, advice    *component.Type
	datetime, newTimestamp, descStat, dirEntry, hashValue, filesize *component.Type
}

// initFS makes the resource types and the empty tables.
func (h *Host) initFS() {
	st := &h.fs
	st.files = map[*fsOpenFile]struct{}{}
	st.descRT = component.NewResourceType("descriptor", func(_ context.Context, rep uint32) error {
		d, found := st.descs.get(rep)
		if !found {
			return fmt.Errorf("wasi:filesystem: drop of unknown descriptor %d", rep)
		}
		st.descs.remove(rep)
		if d.file != nil {
			d.file.release()
		}
		return nil
	})
	st.dirRT = component.NewResourceType("directory-entry-stream", func(_ context.Context, rep uint32) error {
		if _, found := st.dirs.get(rep); !found {
			return fmt.Errorf("wasi:filesystem: drop of unknown directory-entry-stream %d", rep)
		}
		st.dirs.remove(rep)
		return nil
	})
}

// closeFS closes every host file the guest left open (through
// descriptors or streams).
func (h *Host) closeFS() error {
	var errs []error
	for o := range h.fs.files {
		errs = append(errs, o.f.Close())
		o.refs = 0
	}
	clear(h.fs.files)
	h.fs.descs.clear()
	h.fs.dirs.clear()
	return errors.Join(errs...)
}

// addDescriptor enters d in the table and returns an owned handle to it.
func (h *Host) addDescriptor(d *fsDescriptor) component.Val {
	return component.Own(h.fs.descRT, h.fs.descs.add(d))
}

// newOpenFile registers f as a host file held by one holder.
func (st *fsState) newOpenFile(f preview1.File) *fsOpenFile {
	o := &fsOpenFile{f: f, refs: 1, st: st}
	st.files[o] = struct{}{}
	return o
}

// fsTypes builds the types of wasi:filesystem for h's resources.
func (h *Host) fsTypes() *fsTypeSet {
	t := &fsTypeSet{}
	u64, u32 := component.Prim(component.KindU64), component.Prim(component.KindU32)
	t.filesize = u64
	t.descOwn = &component.Type{Kind: component.KindOwn, Resource: h.fs.descRT}
	t.descBorrow = &component.Type{Kind: component.KindBorrow, Resource: h.fs.descRT}
	t.dirOwn = &component.Type{Kind: component.KindOwn, Resource: h.fs.dirRT}
	// The wasi:io resources belong to io.go; the linker compares
	// resources of host function types structurally.
	t.inStream = &component.Type{Kind: component.KindOwn}
	t.outStream = &component.Type{Kind: component.KindOwn}
	t.errBorrow = &component.Type{Kind: component.KindBorrow}
	t.errorCode = component.EnumOf(fsErrorCodeLabels()...)
	t.descType = component.EnumOf(fsDescTypeLabels()...)
	t.descFlags = component.FlagsOf(fsDescFlagLabels()...)
	t.pathFlags = component.FlagsOf("symlink-follow")
	t.openFlags = component.FlagsOf("create", "directory", "exclusive", "truncate")
	t.advice = component.EnumOf(fsAdviceLabels()...)
	t.datetime = component.RecordOf(component.Field{Name: "seconds", Type: u64},
		component.Field{Name: "nanoseconds", Type: u32})
	t.newTimestamp = component.VariantOf(component.Case{Name: "no-change"}, component.Case{Name: "now"},
		component.Case{Name: "timestamp", Type: t.datetime})
	odt := component.OptionOf(t.datetime)
	t.descStat = component.RecordOf(
		component.Field{Name: "type", Type: t.descType},
		component.Field{Name: "link-count", Type: u64},
		component.Field{Name: "size", Type: u64},
		component.Field{Name: "data-access-timestamp", Type: odt},
		component.Field{Name: "data-modification-timestamp", Type: odt},
		component.Field{Name: "status-change-timestamp", Type: odt})
	t.dirEntry = component.RecordOf(component.Field{Name: "type", Type: t.descType},
		component.Field{Name: "name", Type: component.Prim(component.KindString)})
	t.hashValue = component.RecordOf(component.Field{Name: "lower", Type: u64}, component.Field{Name: "upper", Type: u64})
	return t
}

// fsFunc is a host function of wasi:filesystem: its name within its
// interface, its type and its implementation.
type fsFunc struct {
	iface, name string
	typ         component.FuncType
	fn          component.HostFunc
}

// defineFilesystem defines wasi:filesystem/types and
// wasi:filesystem/preopens in l.
func (h *Host) defineFilesystem(l *component.Linker) error {
	typesIface := "wasi:filesystem/types@" + Version
	l.DefineResource(typesIface+"#descriptor", h.fs.descRT)
	l.DefineResource(typesIface+"#directory-entry-stream", h.fs.dirRT)
	for _, f := range h.fsFuncs() {
		if err := l.DefineFunc(f.iface+"@"+Version+"#"+f.name, f.typ, f.fn); err != nil {
			return err
		}
	}
	return nil
}

// fsParam makes a parameter.
func fsParam(name string, t *component.Type) component.Param {
	return component.Param{Name: name, Type: t}
}

// fsFuncs lists the functions of wasi:filesystem.
func (h *Host) fsFuncs() []fsFunc {
	t := h.fsTypes()
	res := func(okT *component.Type) []component.Param {
		return []component.Param{{Type: component.ResultOf(okT, t.errorCode)}}
	}
	self := fsParam("self", t.descBorrow)
	str := component.Prim(component.KindString)
	const types, preopens = "wasi:filesystem/types", "wasi:filesystem/preopens"
	m := func(name string, params []component.Param, results []component.Param, fn component.HostFunc) fsFunc {
		return fsFunc{types, "[method]descriptor." + name,
			component.FuncType{Params: append([]component.Param{self}, params...), Results: results}, fn}
	}
	pr := func(ps ...component.Param) []component.Param { return ps }
	return []fsFunc{
		m("read-via-stream", pr(fsParam("offset", t.filesize)), res(t.inStream), h.fsReadViaStream),
		m("write-via-stream", pr(fsParam("offset", t.filesize)), res(t.outStream), h.fsWriteViaStream),
		m("append-via-stream", nil, res(t.outStream), h.fsAppendViaStream),
		m("advise", pr(fsParam("offset", t.filesize), fsParam("length", t.filesize), fsParam("advice", t.advice)), res(nil), h.fsAdvise),
		m("sync-data", nil, res(nil), h.fsSync),
		m("get-flags", nil, res(t.descFlags), h.fsGetFlags),
		m("get-type", nil, res(t.descType), h.fsGetType),
		m("set-size", pr(fsParam("size", t.filesize)), res(nil), h.fsSetSize),
		m("set-times", pr(fsParam("data-access-timestamp", t.newTimestamp), fsParam("data-modification-timestamp", t.newTimestamp)),
			res(nil), h.fsSetTimes),
		m("read", pr(fsParam("length", t.filesize), fsParam("offset", t.filesize)),
			res(component.TupleOf(component.ListOf(component.Prim(component.KindU8)), component.Prim(component.KindBool))), h.fsRead),
		m("write", pr(fsParam("buffer", component.ListOf(component.Prim(component.KindU8))), fsParam("offset", t.filesize)),
			res(t.filesize), h.fsWrite),
		m("read-directory", nil, res(t.dirOwn), h.fsReadDirectory),
		m("sync", nil, res(nil), h.fsSync),
		m("create-directory-at", pr(fsParam("path", str)), res(nil), h.fsCreateDirectoryAt),
		m("stat", nil, res(t.descStat), h.fsStat),
		m("stat-at", pr(fsParam("path-flags", t.pathFlags), fsParam("path", str)), res(t.descStat), h.fsStatAt),
		m("set-times-at", pr(fsParam("path-flags", t.pathFlags), fsParam("path", str), fsParam("data-access-timestamp", t.newTimestamp),
			fsParam("data-modification-timestamp", t.newTimestamp)), res(nil), h.fsSetTimesAt),
		m("link-at", pr(fsParam("old-path-flags", t.pathFlags), fsParam("old-path", str), fsParam("new-descriptor", t.descBorrow),
			fsParam("new-path", str)), res(nil), h.fsLinkAt),
		m("open-at", pr(fsParam("path-flags", t.pathFlags), fsParam("path", str), fsParam("open-flags", t.openFlags),
			fsParam("flags", t.descFlags)), res(t.descOwn), h.fsOpenAt),
		m("readlink-at", pr(fsParam("path", str)), res(str), h.fsReadlinkAt),
		m("remove-directory-at", pr(fsParam("path", str)), res(nil), h.fsRemoveDirectoryAt),
		m("rename-at", pr(fsParam("old-path", str), fsParam("new-descriptor", t.descBorrow), fsParam("new-path", str)), res(nil), h.fsRenameAt),
		m("symlink-at", pr(fsParam("old-path", str), fsParam("new-path", str)), res(nil), h.fsSymlinkAt),
		m("unlink-file-at", pr(fsParam("path", str)), res(nil), h.fsUnlinkFileAt),
		m("is-same-object", pr(fsParam("other", t.descBorrow)), []component.Param{{Type: component.Prim(component.KindBool)}}, h.fsIsSameObject),
		m("metadata-hash", nil, res(t.hashValue), h.fsMetadataHash),
		m("metadata-hash-at", pr(fsParam("path-flags", t.pathFlags), fsParam("path", str)), res(t.hashValue), h.fsMetadataHashAt),
		{types, "[method]directory-entry-stream.read-directory-entry", component.FuncType{
			Params:  pr(fsParam("self", &component.Type{Kind: component.KindBorrow, Resource: h.fs.dirRT})),
			Results: res(component.OptionOf(t.dirEntry))}, h.fsReadDirectoryEntry},
		{types, "filesystem-error-code", component.FuncType{Params: pr(fsParam("err", t.errBorrow)),
			Results: []component.Param{{Type: component.OptionOf(t.errorCode)}}}, h.fsErrorCode},
		{preopens, "get-directories", component.FuncType{
			Results: []component.Param{{Type: component.ListOf(component.TupleOf(t.descOwn, str))}}}, h.fsGetDirectories},
	}
}

// fsOk returns the results of a function returning result<T, error-code>
// with value ok(v) (ok() for nil).
func fsOk(v *component.Val) ([]component.Val, error) { return []component.Val{component.Ok(v)}, nil }

// fsOkv returns ok(v).
func fsOkv(v component.Val) ([]component.Val, error) { return fsOk(&v) }

// fsFail returns the results err(code).
func fsFail(code string) ([]component.Val, error) {
	e := component.Enum(code)
	return []component.Val{component.Err(&e)}, nil
}

// fsFailErr returns the results err(code) for the Go error err.
func fsFailErr(err error) ([]component.Val, error) { return fsFail(fsErrorCodeOf(err)) }

// fsFailErrno returns the results err(code) for a preview1 errno.
func fsFailErrno(e preview1.Errno) ([]component.Val, error) { return fsFail(fsErrnoCode(e)) }

// fsErrorCodeOf maps a Go error to an error-code label.
func fsErrorCodeOf(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if c := fsExtraErrnoCode(errno); c != "" {
			return c
		}
	}
	return fsErrnoCode(preview1.ErrnoOf(err))
}

// fsExtraErrnoCode maps the system errors that have an error-code but no
// preview1 errno in preview1.ErrnoOf, or "".
func fsExtraErrnoCode(e syscall.Errno) string {
	if e != 0 && e == errTextFileBusy {
		return "text-file-busy"
	}
	switch e {
	case syscall.EALREADY:
		return "already"
	case syscall.EDEADLK:
		return "deadlock"
	case syscall.EDQUOT:
		return "quota"
	case syscall.EINPROGRESS:
		return "in-progress"
	case syscall.EINTR:
		return "interrupted"
	case syscall.EMSGSIZE:
		return "message-size"
	case syscall.ENODEV:
		return "no-device"
	case syscall.ENOLCK:
		return "no-lock"
	case syscall.ENXIO:
		return "no-such-device"
	case syscall.EOVERFLOW:
		return "overflow"
	case syscall.EILSEQ:
		return "illegal-byte-sequence"
	}
	return ""
}

// fsErrnoCode maps a preview1 errno to an error-code label.
func fsErrnoCode(e preview1.Errno) string {
	switch e {
	case preview1.ErrnoAcces:
		return "access"
	case preview1.ErrnoAgain:
		return "would-block"
	case preview1.ErrnoBadf:
		return "bad-descriptor"
	case preview1.ErrnoBusy:
		return "busy"
	case preview1.ErrnoExist:
		return "exist"
	case preview1.ErrnoFbig:
		return "file-too-large"
	case preview1.ErrnoIlseq:
		return "illegal-byte-sequence"
	case preview1.ErrnoInval, preview1.ErrnoFault, preview1.ErrnoRange, preview1.Errno2Big:
		return "invalid"
	case preview1.ErrnoIsdir:
		return "is-directory"
	case preview1.ErrnoLoop:
		return "loop"
	case preview1.ErrnoMlink:
		return "too-many-links"
	case preview1.ErrnoNametoolong:
		return "name-too-long"
	case preview1.ErrnoNoent:
		return "no-entry"
	case preview1.ErrnoNomem:
		return "insufficient-memory"
	case preview1.ErrnoNospc:
		return "insufficient-space"
	case preview1.ErrnoNotdir:
		return "not-directory"
	case preview1.ErrnoNotempty:
		return "not-empty"
	case preview1.ErrnoNotsup, preview1.ErrnoNosys, preview1.ErrnoNotsock:
		return "unsupported"
	case preview1.ErrnoNotty:
		return "no-tty"
	case preview1.ErrnoOverflow:
		return "overflow"
	case preview1.ErrnoPerm, preview1.ErrnoNotcapable:
		return "not-permitted"
	case preview1.ErrnoPipe:
		return "pipe"
	case preview1.ErrnoRofs:
		return "read-only"
	case preview1.ErrnoSpipe:
		return "invalid-seek"
	case preview1.ErrnoXdev:
		return "cross-device"
	}
	return "io"
}

// desc returns the descriptor a handle refers to. A handle that is not a
// descriptor of this host is a trap (the canonical ABI checks handles, so
// only a broken embedding gets here).
func (h *Host) desc(v component.Val) (*fsDescriptor, error) {
	rep, rt := v.Handle()
	if rt != nil && rt != h.fs.descRT {
		return nil, fmt.Errorf("wasi:filesystem: handle of %s where a descriptor is expected", rt.Name)
	}
	d, found := h.fs.descs.get(rep)
	if !found {
		return nil, fmt.Errorf("wasi:filesystem: unknown descriptor %d", rep)
	}
	return d, nil
}

// fsFlagBits turns a flags value into bits in the order of labels.
func fsFlagBits(v component.Val, labels []string) uint8 {
	var b uint8
	for _, s := range v.SetFlags() {
		for i, l := range labels {
			if s == l {
				b |= 1 << i
			}
		}
	}
	return b
}

// fsFlagsVal turns bits into a flags value.
func fsFlagsVal(b uint8, labels []string) component.Val {
	var set []string
	for i, l := range labels {
		if b&(1<<i) != 0 {
			set = append(set, l)
		}
	}
	return component.Flags(set...)
}

// fsHasFlag reports whether the flags value v has the flag name.
func fsHasFlag(v component.Val, name string) bool {
	for _, s := range v.SetFlags() {
		if s == name {
			return true
		}
	}
	return false
}

// fsModeType maps a file mode to a descriptor-type.
func fsModeType(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "regular-file"
	case m.IsDir():
		return "directory"
	case m&fs.ModeSymlink != 0:
		return "symbolic-link"
	case m&fs.ModeNamedPipe != 0:
		return "fifo"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character-device"
	case m&fs.ModeDevice != 0:
		return "block-device"
	}
	return "unknown"
}

// fsOffset converts a filesize offset to int64, refusing those beyond
// what a host file can address.
func fsOffset(v component.Val) (int64, bool) {
	o := v.AsUint()
	if o > math.MaxInt64 {
		return 0, false
	}
	return int64(o), true
}

// regularFile returns d's open file, or the error-code wasmtime gives
// when d is a directory: bad-descriptor.
func (d *fsDescriptor) regularFile() (*fsOpenFile, string) {
	if d.typ == "directory" || d.file == nil {
		return nil, "bad-descriptor"
	}
	return d.file, ""
}

// openFile returns the open regular file behind the descriptor handle v
// if the descriptor has the access need; otherwise the error-code
// bad-descriptor (not a regular file) or denied, or an error for a bad
// handle.
func (h *Host) openFile(v component.Val, need uint8, denied string) (*fsOpenFile, string, error) {
	d, err := h.desc(v)
	if err != nil {
		return nil, "", err
	}
	o, c := d.regularFile()
	if c != "" {
		return nil, c, nil
	}
	if d.flags&need == 0 {
		return nil, denied, nil
	}
	return o, "", nil
}

// dir checks that d is a directory (not-directory otherwise).
func (d *fsDescriptor) dir() string {
	if d.typ != "directory" {
		return "not-directory"
	}
	return ""
}

// resolve checks d is a directory and resolves the guest path p relative
// to it (preview1.ResolvePath), requiring the descriptor flags in need.
func (d *fsDescriptor) resolve(guestPath string, need uint8) (string, string) {
	if c := d.dir(); c != "" {
		return "", c
	}
	if d.flags&need != need {
		return "", "not-permitted"
	}
	name, e := preview1.ResolvePath(d.path, guestPath)
	if e != preview1.ErrnoSuccess {
		return "", fsErrnoCode(e)
	}
	return name, ""
}

// stat returns the file information of d itself.
func (d *fsDescriptor) stat() (fs.FileInfo, error) {
	if d.file != nil {
		return d.file.f.Stat()
	}
	return d.fsys.Stat(d.path)
}

// fsStreamReleaser is implemented by the readers and writers behind the
// streams over files (read-via-stream, write-via-stream,
// append-via-stream): release lets go of the file when the guest drops
// the stream. (They do not implement io.Closer, so that a stream over a
// writer the embedder owns, such as os.Stdout, is never closed.)
type fsStreamReleaser interface{ release() error }

var (
	_ fsStreamReleaser = (*fsFileReader)(nil)
	_ fsStreamReleaser = (*fsFileWriter)(nil)
)

// fsFileReader reads a file from an offset, for read-via-stream.
type fsFileReader struct {
	o      *fsOpenFile
	off    int64
	closed bool
}

// Read reads from the offset and advances it; io.EOF comes alone.
func (r *fsFileReader) Read(b []byte) (int, error) {
	if r.closed {
		return 0, os.ErrClosed
	}
	if len(b) == 0 {
		return 0, nil
	}
	n, err := r.o.f.ReadAt(b, r.off)
	r.off += int64(n)
	if n > 0 && errors.Is(err, io.EOF) {
		err = nil
	}
	return n, err
}

// release lets go of the file; io.go calls it when the guest drops the
// stream (see fsStreamReleaser).
func (r *fsFileReader) release() error {
	if r.closed {
		return nil
	}
	r.closed = true
	return r.o.release()
}

// fsFileWriter writes a file from an offset (write-via-stream), or at its
// end (append-via-stream).
type fsFileWriter struct {
	o      *fsOpenFile
	off    int64
	append bool
	closed bool
}

// Write writes at the offset and advances it, or at the end of the file.
func (w *fsFileWriter) Write(b []byte) (int, error) {
	if w.closed {
		return 0, os.ErrClosed
	}
	if w.append {
		if _, err := w.o.f.Seek(0, io.SeekEnd); err != nil {
			return 0, err
		}
		return w.o.f.Write(b)
	}
	if w.off > math.MaxInt64-int64(len(b)) {
		return 0, syscall.EFBIG
	}
	n, err := w.o.f.WriteAt(b, w.off)
	w.off += int64(n)
	return n, err
}

// release lets go of the file (see fsStreamReleaser).
func (w *fsFileWriter) release() error {
	if w.closed {
		return nil
	}
	w.closed = true
	return w.o.release()
}

// fsReadViaStream implements descriptor.read-via-stream: an input-stream reading the file from offset.
func (h *Host) fsReadViaStream(_ context.Context, args []component.Val) ([]component.Val, error) {
	o, c, err := h.openFile(args[0], fsFlagRead, "bad-descriptor")
	if err != nil || c != "" {
		return fsFailOr(c, err)
	}
	off, good := fsOffset(args[1])
	if !good {
		return fsFail("invalid")
	}
	return fsOkv(h.newInputStream(&fsFileReader{o: o.acquire(), off: off}))
}

// fsWriteViaStream implements descriptor.write-via-stream: an output-stream writing the file from offset.
func (h *Host) fsWriteViaStream(_ context.Context, args []component.Val) ([]component.Val, error) {
	o, c, err := h.openFile(args[0], fsFlagWrite, "bad-descriptor")
	if err != nil || c != "" {
		return fsFailOr(c, err)
	}
	off, good := fsOffset(args[1])
	if !good {
		return fsFail("invalid")
	}
	return fsOkv(h.newOutputStream(&fsFileWriter{o: o.acquire(), off: off}))
}

// fsAppendViaStream implements descriptor.append-via-stream: an output-stream appending to the file.
func (h *Host) fsAppendViaStream(_ context.Context, args []component.Val) ([]component.Val, error) {
	o, c, err := h.openFile(args[0], fsFlagWrite, "bad-descriptor")
	if err != nil || c != "" {
		return fsFailOr(c, err)
	}
	return fsOkv(h.newOutputStream(&fsFileWriter{o: o.acquire(), append: true}))
}

// fsAdvise implements descriptor.advise.
func (h *Host) fsAdvise(_ context.Context, args []component.Val) ([]component.Val, error) {
	d, err := h.desc(args[0])
	if err != nil {
		return nil, err
	}
	if _, c := d.regularFile(); c != "" {
		return fsFail(c)
	}
	// Advice is only a hint; the host takes none.
	return fsOk(nil)
}

// fsSync implements sync and sync-data.
func (h *Host) fsSync(_ context.Context, args []component.Val) ([]component.Val, error) {
	d, err := h.desc(args[0])
	if err != nil {
		return nil, err
	}
	if d.file != nil {
		// Directories and read-only files may refuse fsync (EINVAL,
		// EBADF); there is nothing of theirs to write back.
		if err := d.file.f.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) &&
			!errors.Is(err, syscall.EBADF) && !errors.Is(err, syscall.EROFS) {
			return fsFailErr(err)
		}
	}
	return fsOk(nil)
}

// fsGetFlags implements descriptor.get-flags.
func (h *Host) fsGetFlags(_ context.Context, args []component.Val) ([]component.Val, error) {
	d, err := h.desc(args[0])
	if err != nil {
		return nil, err
	}
	return fsOkv(fsFlagsVal(d.flags, fsDescFlagLabels()))
}

// fsGetType implements descriptor.get-type.
func (h *Host) fsGetType(_ context.Context, args []component.Val) ([]component.Val, error) {
	d, err := h.desc(args[0])
	if err != nil {
		return nil, err
	}
	return fsOkv(component.Enum(d.typ))
}

// fsSetSize implements descriptor.set-size.
func (h *Host) fsSetSize(_ context.Context, args []component.Val) ([]component.Val, error) {
	o, c, err := h.openFile(args[0], fsFlagWrite, "not-permitted")
	if err != nil || c != "" {
		return fsFailOr(c, err)
	}
	size, good := fsOffset(args[1])
	if !good {
		return fsFail("file-too-large")
	}
	if err := o.f.Truncate(size); err != nil {
		return fsFailErr(err)
	}
	return fsOk(nil)
}

// newTimes computes the access and modification times that set-times
// and set-times-at give a file whose current information is cur.
func (h *Host) newTimes(a, m component.Val, cur fs.FileInfo) (time.Time, time.Time, string) {
	_, _, _, atim, _ := preview1.StatSys(cur)
	at, mt := time.Unix(0, int64(atim)), cur.ModTime()
	now := time.Now
	if h.cfg.Now != nil {
		now = h.cfg.Now
	}
	conv := func(v component.Val, t *time.Time) string {
		switch v.Case() {
		case "now":
			*t = now()
		case "timestamp":
			pl := v.Payload()
			if pl == nil {
				return "invalid"
			}
			s, _ := pl.Field("seconds")
			ns, _ := pl.Field("nanoseconds")
			if ns.AsUint() >= 1e9 || s.AsUint() > math.MaxInt64 {
				return "invalid"
			}
			*t = time.Unix(int64(s.AsUint()), int64(ns.AsUint()))
		}
		return ""
	}
	if c := conv(a, &at); c != "" {
		return at, mt, c
	}
	return at, mt, conv(m, &mt)
}

// fsSetTimes implements descriptor.set-times.
func (h *Host) fsSetTimes(_ context.Context, args []component.Val) ([]component.Val, error) {
	d, err := h.desc(args[0])
	if err != nil {
		return nil, err
	}
	need := fsFlagWrite
	if d.typ == "directory" {
		need = fsFlagMutateDirectory
	}
	if d.flags&need == 0 {
		return fsFail("not-permitted")
	}
	cur, err := d.stat()
	if err != nil {
		return fsFailErr(err)
	}
	at, mt, c := h.newTimes(args[1], args[2], cur)
	if c != "" {
		return fsFail(c)
	}
	if err := d.fsys.Chtimes(d.path, at, mt, false); err != nil {
		return fsFailErr(err)
	}
	return fsOk(nil)
}

// fsRead implements descriptor.read: at most fsMaxReadLen bytes from offset, and whether the end of the file was reached.
func (h *Host) fsRead(_ context.Context, args []component.Val) ([]component.Val, error) {
	o, c, err := h.openFile(args[0], fsFlagRead, "not-permitted") // as wasmtime; the streams say bad-descriptor
	if err != nil || c != "" {
		return fsFailOr(c, err)
	}
	off, good := fsOffset(args[2])
	if !good {
		return fsFail("invalid")
	}
	n := min(args[1].AsUint(), fsMaxReadLen)
	buf := make([]byte, n)
	k, err := o.f.ReadAt(buf, off)
	eof := false
	if err != nil {
		if !errors.Is(err, io.EOF) {
			return fsFailErr(err)
		}
		eof = true
	}
	return fsOkv(component.Tuple(component.Bytes(buf[:k]), component.Bool(eof)))
}

// fsWrite implements descriptor.write.
func (h *Host) fsWrite(_ context.Context, args []component.Val) ([]component.Val, error) {
	o, c, err := h.openFile(args[0], fsFlagWrite, "not-permitted")
	if err != nil || c != "" {
		return fsFailOr(c, err)
	}
	b, _ := args[1].AsBytes()
	off, good := fsOffset(args[2])
	if !good || off > math.MaxInt64-int64(len(b)) {
		return fsFail("file-too-large")
	}
	n, err := o.f.WriteAt(b, off)
	if err != nil && n == 0 {
		return fsFailErr(err)
	}
	return fsOkv(component.U64(uint64(n)))
}

// fsReadDirectory implements descriptor.read-directory.
func (h *Host) fsReadDirectory(_ context.Context, args []component.Val) ([]component.Val, error) {
	d, err := h.desc(args[0])
	if err != nil {
		return nil, err
	}
	if c := d.dir(); c != "" {
		return fsFail(c)
	}
	if d.flags&fsFlagRead == 0 {
		return fsFail("not-permitted")
	}
	f, err := d.fsys.OpenFile(d.path, os.O_RDONLY, 0, false)
	if err != nil {
		return fsFailErr(err)
	}
	ents, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return fsFailErr(err)
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
	ds := &fsDirStream{ents: make([]component.Val, 0, len(ents))}
	for _, e := range ents {
		if e.Name() == "." || e.Name() == ".." {
			continue
		}
		if !utf8.ValidString(e.Name()) {
			// A component string cannot hold it: the entry reads as
			// illegal-byte-sequence, as in wasmtime.
			ds.ents = append(ds.ents, component.Val{})
			continue
		}
		ds.ents = append(ds.ents, component.Record(
			component.NamedVal{Name: "type", Val: component.Enum(fsModeType(e.Type()))},
			component.NamedVal{Name: "name", Val: component.String(e.Name())}))
	}
	return fsOkv(component.Own(h.fs.dirRT, h.fs.dirs.add(ds)))
}

// fsReadDirectoryEntry implements directory-entry-stream.read-directory-entry.
func (h *Host) fsReadDirectoryEntry(_ context.Context, args []component.Val) ([]component.Val, error) {
	rep, rt := args[0].Handle()
	ds, found := h.fs.dirs.get(rep)
	if !found || rt != nil && rt != h.fs.dirRT {
		return nil, fmt.Errorf("wasi:filesystem: unknown directory-entry-stream %d", rep)
	}
	if ds.i >= len(ds.ents) {
		return fsOkv(component.None())
	}
	e := ds.ents[ds.i]
	ds.i++
	if e.Kind != component.KindRecord {
		return fsFail("illegal-byte-sequence")
	}
	return fsOkv(component.Some(e))
}

// fsCreateDirectoryAt implements descriptor.create-directory-at.
func (h *Host) fsCreateDirectoryAt(_ context.Context, args []component.Val) ([]component.Val, error) {
	d, err := h.desc(args[0])
	if err != nil {
		return nil, err
	}
	name, c := d.resolve(args[1].AsString(), fsFlagMutateDirectory)
	if c != "" {
		return fsFail(c)
	}
	if e := preview1.CreateDirectory(d.fsys, name); e != preview1.ErrnoSuccess {
		return fsFailErrno(e)
	}
	return fsOk(nil)
}

// fsDatetime converts a time to option<datetime>
// (none before the epoch, which datetime cannot hold).
func fsDatetime(t time.Time) component.Val {
	if t.Unix() < 0 {
		return component.None()
	}
	return component.Some(component.Record(
		component.NamedVal{Name: "seconds", Val: component.U64(uint64(t.Unix()))},
		component.NamedVal{Name: "nanoseconds", Val: component.U32(uint32(t.Nanosecond()))}))
}

// fsStatVal builds a descriptor-stat.
func fsStatVal(fi fs.FileInfo) component.Val {
	_, _, nlink, atim, ctim := preview1.StatSys(fi)
	size := fi.Size()
	if size < 0 {
		size = 0
	}
	return component.Record(
		component.NamedVal{Name: "type", Val: component.Enum(fsModeType(fi.Mode()))},
		component.NamedVal{Name: "link-count", Val: component.U64(nlink)},
		component.NamedVal{Name: "size", Val: component.U64(uint64(size))},
		component.NamedVal{Name: "data-access-timestamp", Val: fsDatetime(time.Unix(0, int64(atim)))},
		component.NamedVal{Name: "data-modification-timestamp", Val: fsDatetime(fi.ModTime())},
		component.NamedVal{Name: "status-change-timestamp", Val: fsDatetime(time.Unix(0, int64(ctim)))})
}

// fsStat implements descriptor.stat.
func (h *Host) fsStat(_ context.Context, args []component.Val) ([]component.Val, error) {
	d, err := h.desc(args[0])
	if err != nil {
		return nil, err
	}
	fi, err := d.stat()
	if err != nil {
		return fsFailErr(err)
	}
	return fsOkv(fsStatVal(fi))
}

// statAt stats the path args[2] relative to the descriptor args[0],
// following a final symbolic link when the path-flags args[1] say so.
func (h *Host) statAt(args []component.Val) (fs.FileInfo, string, error) {
	d, err := h.desc(args[0])
	if err != nil {
		return nil, "", err
	}
	name, c := d.resolve(args[2].AsString(), 0)
	if c != "" {
		return nil, c, nil
	}
	stat := d.fsys.Lstat
	if fsHasFlag(args[1], "symlink-follow") {
		stat = d.fsys.Stat
	}
	fi, err := stat(name)
	if err != nil {
		return nil, fsErrorCodeOf(err), nil
	}
	return fi, "", nil
}

// fsStatAt implements descriptor.stat-at.
func (h *Host) fsStatAt(_ context.Context, args []component.Val) ([]component.Val, error) {
	fi, c, err := h.statAt(args)
	if err != nil {
		return nil, err
	}
	if c != "" {
		return fsFail(c)
	}
	return fsOkv(fsStatVal(fi))
}

// fsSetTimesAt implements descriptor.set-times-at.
func (h *Host) fsSetTimesAt(_ context.Context, args []component.Val) ([]component.Val, error) {
	d, err := h.desc(args[0])
	if err != nil {
		return nil, err
	}
	name, c := d.resolve(args[2].AsString(), fsFlagMutateDirectory)
	if c != "" {
		return fsFail(c)
	}
	follow := fsHasFlag(args[1], "symlink-follow")
	stat := d.fsys.Lstat
	if follow {
		stat = d.fsys.Stat
	}
	cur, err := stat(name)
	if err != nil {
		return fsFailErr(err)
	}
	at, mt, c := h.newTimes(args[3], args[4], cur)
	if c != "" {
		return fsFail(c)
	}
	if err := d.fsys.Chtimes(name, at, mt, !follow); err != nil {
		return fsFailErr(err)
	}
	return fsOk(nil)
}

// pathPair resolves the two paths of link-at and rename-at, each under
// its directory descriptor, for a change of both directories: it returns
// the descriptors and paths, or an error-code (both on one file system
// or "cross-device"), or an error for a bad handle.
func (h *Host) pathPair(oldDir, oldPath, newDir, newPath component.Val) (od *fsDescriptor, op string, nd *fsDescriptor, np string, code string, err error) {
	if od, err = h.desc(oldDir); err != nil {
		return
	}
	if nd, err = h.desc(newDir); err != nil {
		return
	}
	if op, code = od.resolve(oldPath.AsString(), fsFlagMutateDirectory); code != "" {
		return
	}
	if np, code = nd.resolve(newPath.AsString(), fsFlagMutateDirectory); code != "" {
		return
	}
	if od.root != nd.root {
		code = "cross-device"
	}
	return
}

// fsFailOr returns the error err, or else the error-code code.
func fsFailOr(code string, err error) ([]component.Val, error) {
	if err != nil {
		return nil, err
	}
	return fsFail(code)
}

// fsLinkAt implements descriptor.link-at.
func (h *Host) fsLinkAt(_ context.Context, args []component.Val) ([]component.Val, error) {
	od, op, _, np, c, err := h.pathPair(args[0], args[2], args[3], args[4])
	if err != nil || c != "" {
		return fsFailOr(c, err)
	}
	if fsHasFlag(args[1], "symlink-follow") {
		// Hard-linking the target of a symbolic link is not supported,
		// as in wasmtime.
		return fsFail("invalid")
	}
	if err := od.fsys.Link(op, np); err != nil {
		return fsFailErr(err)
	}
	return fsOk(nil)
}

// fsOpenAt implements descriptor.open-at. The descriptor-flags read and write are the access the
// new descriptor gives (enforced by the host, reported by get-flags); a directory
// inherits the capability to be changed (mutate-directory) from its parent.
func (h *Host) fsOpenAt(_ context.Context, args []component.Val) ([]component.Val, error) {
	d, err := h.desc(args[0])
	if err != nil {
		return nil, err
	}
	name, c := d.resolve(args[2].AsString(), 0)
	if c != "" {
		return fsFail(c)
	}
	oflags, flags := args[3], fsFlagBits(args[4], fsDescFlagLabels())
	create, directory := fsHasFlag(oflags, "create"), fsHasFlag(oflags, "directory")
	exclusive, truncate := fsHasFlag(oflags, "exclusive"), fsHasFlag(oflags, "truncate")
	if d.flags&fsFlagMutateDirectory == 0 && (create || truncate || flags&fsFlagWrite != 0) {
		return fsFail("not-permitted")
	}
	if directory && (create || exclusive || truncate) {
		return fsFail("invalid")
	}
	var flag int
	switch {
	case flags&fsFlagRead != 0 && flags&fsFlagWrite != 0:
		flag = os.O_RDWR
	case flags&fsFlagWrite != 0:
		flag = os.O_WRONLY
	default:
		flag = os.O_RDONLY
	}
	if create {
		flag |= os.O_CREATE
	}
	if exclusive {
		flag |= os.O_EXCL
	}
	if truncate {
		flag |= os.O_TRUNC
		if flag&(os.O_WRONLY|os.O_RDWR) == 0 {
			// Truncating needs write access to the host file; the
			// descriptor still only reads (its flags say so).
			flag |= os.O_RDWR
		}
	}
	if flags&(fsFlagFileIntegritySync|fsFlagDataIntegritySync|fsFlagRequestedWriteSync) != 0 {
		flag |= os.O_SYNC
	}
	if directory {
		flag |= preview1.ODirectory
	}
	f, err := d.fsys.OpenFile(name, flag, 0o666, !fsHasFlag(args[1], "symlink-follow"))
	if err != nil {
		return fsFailErr(err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fsFailErr(err)
	}
	if directory && !fi.IsDir() {
		f.Close()
		return fsFail("not-directory")
	}
	nd := &fsDescriptor{fsys: d.fsys, root: d.root, path: strings.TrimRight(name, "/"), typ: fsModeType(fi.Mode()), flags: flags}
	if nd.path == "" {
		nd.path = "."
	}
	if fi.IsDir() {
		// A directory may be read, and changed when its parent may be:
		// the capability is inherited, whatever the guest asks (as in
		// wasmtime, where a directory's permissions come from its
		// parent's).
		nd.flags = flags&^(fsFlagWrite|fsFlagMutateDirectory) | fsFlagRead | d.flags&fsFlagMutateDirectory
	}
	nd.file = h.fs.newOpenFile(f)
	return fsOkv(h.addDescriptor(nd))
}

// fsReadlinkAt implements descriptor.readlink-at.
func (h *Host) fsReadlinkAt(_ context.Context, args []component.Val) ([]component.Val, error) {
	d, err := h.desc(args[0])
	if err != nil {
		return nil, err
	}
	name, c := d.resolve(args[1].AsString(), 0)
	if c != "" {
		return fsFail(c)
	}
	target, err := d.fsys.Readlink(name)
	if err != nil {
		return fsFailErr(err)
	}
	if !utf8.ValidString(target) {
		return fsFail("illegal-byte-sequence")
	}
	return fsOkv(component.String(target))
}

// fsRemoveDirectoryAt implements descriptor.remove-directory-at.
func (h *Host) fsRemoveDirectoryAt(_ context.Context, args []component.Val) ([]component.Val, error) {
	return h.fsRemoveAt(args, preview1.RemoveDirectory)
}

// fsRemoveAt removes the path args[1] under the directory descriptor
// args[0] with remove (a directory or a file).
func (h *Host) fsRemoveAt(args []component.Val, remove func(preview1.FS, string) preview1.Errno) ([]component.Val, error) {
	d, err := h.desc(args[0])
	if err != nil {
		return nil, err
	}
	name, c := d.resolve(args[1].AsString(), fsFlagMutateDirectory)
	if c != "" {
		return fsFail(c)
	}
	if e := remove(d.fsys, name); e != preview1.ErrnoSuccess {
		return fsFailErrno(e)
	}
	return fsOk(nil)
}

// fsRenameAt implements descriptor.rename-at.
func (h *Host) fsRenameAt(_ context.Context, args []component.Val) ([]component.Val, error) {
	od, op, _, np, c, err := h.pathPair(args[0], args[1], args[2], args[3])
	if err != nil || c != "" {
		return fsFailOr(c, err)
	}
	if e := preview1.Rename(od.fsys, op, np); e != preview1.ErrnoSuccess {
		return fsFailErrno(e)
	}
	return fsOk(nil)
}

// fsSymlinkAt implements descriptor.symlink-at.
func (h *Host) fsSymlinkAt(_ context.Context, args []component.Val) ([]component.Val, error) {
	d, err := h.desc(args[0])
	if err != nil {
		return nil, err
	}
	target := args[1].AsString()
	if strings.IndexByte(target, 0) >= 0 {
		return fsFail("illegal-byte-sequence")
	}
	name, c := d.resolve(args[2].AsString(), fsFlagMutateDirectory)
	if c != "" {
		return fsFail(c)
	}
	if e := preview1.Symlink(d.fsys, target, name); e != preview1.ErrnoSuccess {
		return fsFailErrno(e)
	}
	return fsOk(nil)
}

// fsUnlinkFileAt implements descriptor.unlink-file-at.
func (h *Host) fsUnlinkFileAt(_ context.Context, args []component.Val) ([]component.Val, error) {
	return h.fsRemoveAt(args, preview1.UnlinkFile)
}

// fsIsSameObject implements descriptor.is-same-object.
func (h *Host) fsIsSameObject(_ context.Context, args []component.Val) ([]component.Val, error) {
	a, err := h.desc(args[0])
	if err != nil {
		return nil, err
	}
	b, err := h.desc(args[1])
	if err != nil {
		return nil, err
	}
	if a == b {
		return []component.Val{component.Bool(true)}, nil
	}
	fa, erra := a.stat()
	fb, errb := b.stat()
	same := erra == nil && errb == nil && fsSameFile(a.root, fa, a.path, b.root, fb, b.path)
	return []component.Val{component.Bool(same)}, nil
}

// fsSameFile reports whether two files are the same: by device and inode
// when the host gives them, else by preopen and name.
func fsSameFile(roota int, a fs.FileInfo, pa string, rootb int, b fs.FileInfo, pb string) bool {
	deva, inoa, _, _, _ := preview1.StatSys(a)
	devb, inob, _, _, _ := preview1.StatSys(b)
	if inoa != 0 || inob != 0 {
		return deva == devb && inoa == inob
	}
	return roota == rootb && pa == pb
}

// fsMetadataHashOf hashes what identifies a file: its device and inode, or
// without them its name, size and modification time.
func fsMetadataHashOf(fi fs.FileInfo, name string) component.Val {
	dev, ino, _, _, _ := preview1.StatSys(fi)
	var lo, hi uint64
	if ino != 0 {
		lo, hi = fsMix(ino^0x9e3779b97f4a7c15), fsMix(dev+0x632be59bd9b4e019)
	} else {
		for i := 0; i < len(name); i++ {
			lo = (lo ^ uint64(name[i])) * 0x100000001b3
		}
		lo, hi = fsMix(lo), fsMix(uint64(fi.Size())^uint64(fi.ModTime().UnixNano()))
	}
	return component.Record(component.NamedVal{Name: "lower", Val: component.U64(lo)},
		component.NamedVal{Name: "upper", Val: component.U64(hi)})
}

// fsMix is the splitmix64 finaliser: it spreads the bits of x.
func fsMix(x uint64) uint64 {
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// fsMetadataHash implements descriptor.metadata-hash.
func (h *Host) fsMetadataHash(_ context.Context, args []component.Val) ([]component.Val, error) {
	d, err := h.desc(args[0])
	if err != nil {
		return nil, err
	}
	fi, err := d.stat()
	if err != nil {
		return fsFailErr(err)
	}
	return fsOkv(fsMetadataHashOf(fi, d.path))
}

// fsMetadataHashAt implements descriptor.metadata-hash-at.
func (h *Host) fsMetadataHashAt(_ context.Context, args []component.Val) ([]component.Val, error) {
	fi, c, err := h.statAt(args)
	if err != nil {
		return nil, err
	}
	if c != "" {
		return fsFail(c)
	}
	d, _ := h.desc(args[0])
	name, _ := preview1.ResolvePath(d.path, args[2].AsString())
	return fsOkv(fsMetadataHashOf(fi, name))
}

// fsErrorCode implements filesystem-error-code: the error-code of a wasi:io error
// from a stream over a file, or none.
func (h *Host) fsErrorCode(_ context.Context, args []component.Val) ([]component.Val, error) {
	err, found := h.ioErrorOf(args[0])
	if !found || err == nil {
		return []component.Val{component.None()}, nil
	}
	return []component.Val{component.Some(component.Enum(fsErrorCodeOf(err)))}, nil
}

// fsGetDirectories implements preopens.get-directories: a new descriptor for each preopen.
func (h *Host) fsGetDirectories(_ context.Context, _ []component.Val) ([]component.Val, error) {
	var out []component.Val
	for i, po := range h.cfg.Preopens {
		if po.FS == nil {
			continue
		}
		d := &fsDescriptor{fsys: po.FS, root: i, path: ".", typ: "directory", flags: fsFlagRead | fsFlagMutateDirectory}
		out = append(out, component.Tuple(h.addDescriptor(d), component.String(po.GuestPath)))
	}
	return []component.Val{component.List(out...)}, nil
}
