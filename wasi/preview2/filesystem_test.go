package preview2

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/internal/wasitest"
	"github.com/gowasm/gowasm/wasi/preview1"
)

// fsTester calls the wasi:filesystem host functions directly, as the
// component runtime would, with the values a guest would pass.
type fsTester struct {
	t     *testing.T
	h     *Host
	fns   map[string]component.HostFunc
	types map[string]component.FuncType
}

// newFSTester returns a tester for a host whose preopens are ps.
func newFSTester(t *testing.T, ps ...preview1.Preopen) *fsTester {
	t.Helper()
	h := NewHost(Config{Preopens: ps})
	t.Cleanup(func() { h.Close() })
	ft := &fsTester{t: t, h: h, fns: map[string]component.HostFunc{}, types: map[string]component.FuncType{}}
	for _, f := range h.fsFuncs() {
		ft.fns[f.name] = f.fn
		ft.types[f.name] = f.typ
	}
	return ft
}

// dirTester preopens a new temporary directory as "/" and returns the
// tester, the directory and the preopen's descriptor.
func dirTester(t *testing.T) (*fsTester, string, component.Val) {
	t.Helper()
	dir := t.TempDir()
	fsys, err := preview1.DirFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	ft := newFSTester(t, preview1.Preopen{GuestPath: "/", FS: fsys})
	return ft, dir, ft.preopen(0)
}

// preopen returns the i-th descriptor of get-directories.
func (ft *fsTester) preopen(i int) component.Val {
	ft.t.Helper()
	res := ft.call("get-directories")
	ds := res[0].Elems()
	if i >= len(ds) {
		ft.t.Fatalf("get-directories: %d preopens", len(ds))
	}
	return ds[i].Elems()[0]
}

// callErr calls the function name ("[method]descriptor." is added to
// names starting with "."), checking that the results have the number
// the function type gives.
func (ft *fsTester) callErr(name string, args ...component.Val) ([]component.Val, error) {
	ft.t.Helper()
	if strings.HasPrefix(name, ".") {
		name = "[method]descriptor" + name
	}
	fn, ok := ft.fns[name]
	if !ok {
		ft.t.Fatalf("no function %s", name)
	}
	if n := len(ft.types[name].Params); n != len(args) {
		ft.t.Fatalf("%s: %d arguments, want %d", name, len(args), n)
	}
	res, err := fn(context.Background(), args)
	if err == nil && len(res) != len(ft.types[name].Results) {
		ft.t.Fatalf("%s: %d results, want %d", name, len(res), len(ft.types[name].Results))
	}
	return res, err
}

// call calls name and fails the test on a Go error (a trap).
func (ft *fsTester) call(name string, args ...component.Val) []component.Val {
	ft.t.Helper()
	res, err := ft.callErr(name, args...)
	if err != nil {
		ft.t.Fatalf("%s: %v", name, err)
	}
	return res
}

// ok calls a function returning result<T, error-code>, requires ok and
// returns the payload (the zero Val for none).
func (ft *fsTester) ok(name string, args ...component.Val) component.Val {
	ft.t.Helper()
	res := ft.call(name, args...)
	if res[0].IsErr() {
		ft.t.Fatalf("%s: error %s", name, res[0].Payload().Case())
	}
	if p := res[0].Payload(); p != nil {
		return *p
	}
	return component.Val{}
}

// code calls a function returning result<T, error-code> and returns its
// error code, or "" for ok.
func (ft *fsTester) code(name string, args ...component.Val) string {
	ft.t.Helper()
	res := ft.call(name, args...)
	if !res[0].IsErr() {
		return ""
	}
	return res[0].Payload().Case()
}

// borrow returns a borrow of the own handle v.
func borrow(v component.Val) component.Val { return v.Borrowed() }

var (
	noFollow = component.Flags()
	follow   = component.Flags("symlink-follow")
	rw       = component.Flags("read", "write")
	ro       = component.Flags("read")
	noOpen   = component.Flags()
	str      = component.String
	u64      = component.U64
)

// field returns a record field, failing the test when it is missing.
func field(t *testing.T, v component.Val, name string) component.Val {
	t.Helper()
	f, ok := v.Field(name)
	if !ok {
		t.Fatalf("no field %s in %v", name, v)
	}
	return f
}

// TestFSFileOps drives a file through the descriptor methods: create,
// write, read, stat, set-size, set-times, flags and type, and the bounds
// on what the guest asks for.
func TestFSFileOps(t *testing.T) {
	ft, dir, root := dirTester(t)
	r := borrow(root)
	if got := ft.ok(".get-type", r).Case(); got != "directory" {
		t.Errorf("preopen type %s", got)
	}
	if got := fmt.Sprint(ft.ok(".get-flags", r).SetFlags()); got != "[read mutate-directory]" {
		t.Errorf("preopen flags %s", got)
	}
	f := ft.ok(".open-at", r, noFollow, str("a.txt"), component.Flags("create", "truncate"), rw)
	fb := borrow(f)
	if n := ft.ok(".write", fb, component.Bytes([]byte("hello, world")), u64(0)).AsUint(); n != 12 {
		t.Fatalf("write: %d bytes", n)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.txt")); string(b) != "hello, world" {
		t.Fatalf("file holds %q", b)
	}
	reads := []struct {
		length, offset uint64
		want           string
		eof            bool
	}{
		{5, 0, "hello", false},
		{100, 7, "world", true},
		{math.MaxUint64, 0, "hello, world", true}, // capped allocation
		{3, 12, "", true},
		{3, 1 << 40, "", true},
	}
	for _, rd := range reads {
		got := ft.ok(".read", fb, u64(rd.length), u64(rd.offset)).Elems()
		b, _ := got[0].AsBytes()
		if string(b) != rd.want || got[1].AsBool() != rd.eof {
			t.Errorf("read(%d, %d) = %q, %v; want %q, %v", rd.length, rd.offset, b, got[1].AsBool(), rd.want, rd.eof)
		}
	}
	if c := ft.code(".read", fb, u64(1), u64(math.MaxUint64)); c != "invalid" {
		t.Errorf("read at 2^64-1: %q, want invalid", c)
	}
	st := ft.ok(".stat", fb)
	if typ, size := field(t, st, "type").Case(), field(t, st, "size").AsUint(); typ != "regular-file" || size != 12 {
		t.Errorf("stat: %s, %d", typ, size)
	}
	if n := field(t, st, "link-count").AsUint(); n != 1 {
		t.Errorf("link-count %d", n)
	}
	ft.ok(".set-size", fb, u64(5))
	if size := field(t, ft.ok(".stat", fb), "size").AsUint(); size != 5 {
		t.Errorf("size after set-size: %d", size)
	}
	if c := ft.code(".set-size", fb, u64(math.MaxUint64)); c == "" {
		t.Errorf("set-size(2^64-1) succeeded")
	}
	ts := component.Record(component.NamedVal{Name: "seconds", Val: u64(1_000_000_000)},
		component.NamedVal{Name: "nanoseconds", Val: component.U32(5000)})
	ft.ok(".set-times", fb, component.Variant("no-change", nil), component.Variant("timestamp", &ts))
	mt := field(t, ft.ok(".stat", fb), "data-modification-timestamp")
	if !mt.IsSome() || !mt.Payload().Equal(ts) {
		t.Errorf("mtime after set-times: %v, want some(%v)", mt, ts)
	}
	bad := component.Record(component.NamedVal{Name: "seconds", Val: u64(1)},
		component.NamedVal{Name: "nanoseconds", Val: component.U32(1e9)})
	if c := ft.code(".set-times", fb, component.Variant("timestamp", &bad), component.Variant("now", nil)); c != "invalid" {
		t.Errorf("set-times with 1e9 ns: %q, want invalid", c)
	}
	if got := fmt.Sprint(ft.ok(".get-flags", fb).SetFlags()); got != "[read write]" {
		t.Errorf("file flags %s", got)
	}
	if got := ft.ok(".get-type", fb).Case(); got != "regular-file" {
		t.Errorf("file type %s", got)
	}
	ft.ok(".sync", fb)
	ft.ok(".sync-data", fb)
	ft.ok(".advise", fb, u64(0), u64(100), component.Enum("sequential"))

	// A read-only descriptor neither writes nor changes size.
	rof := borrow(ft.ok(".open-at", r, noFollow, str("a.txt"), noOpen, ro))
	if c := ft.code(".write", rof, component.Bytes([]byte("x")), u64(0)); c != "not-permitted" {
		t.Errorf("write on read-only: %q", c)
	}
	if c := ft.code(".write-via-stream", rof, u64(0)); c != "bad-descriptor" {
		t.Errorf("write-via-stream on read-only: %q", c)
	}
	if c := ft.code(".set-size", rof, u64(0)); c != "not-permitted" {
		t.Errorf("set-size on read-only: %q", c)
	}
	// Truncating through a read-only descriptor leaves it readable, and
	// only readable.
	tr := borrow(ft.ok(".open-at", r, noFollow, str("t.txt"), component.Flags("create", "truncate"), ro))
	if got := ft.ok(".read", tr, u64(1), u64(0)).Elems(); !got[1].AsBool() {
		t.Errorf("read of an empty truncated file: %v", got)
	}
	if c := ft.code(".write", tr, component.Bytes([]byte("x")), u64(0)); c != "not-permitted" {
		t.Errorf("write on a read-only truncated file: %q", c)
	}
	// A write-only one does not read.
	wof := borrow(ft.ok(".open-at", r, noFollow, str("a.txt"), noOpen, component.Flags("write")))
	if c := ft.code(".read", wof, u64(1), u64(0)); c != "not-permitted" {
		t.Errorf("read on write-only: %q", c)
	}
	if c := ft.code(".read-via-stream", wof, u64(0)); c != "bad-descriptor" {
		t.Errorf("read-via-stream on write-only: %q", c)
	}
	// A directory is not a file, and a file not a directory.
	for _, m := range []string{".read-via-stream", ".write-via-stream"} {
		if c := ft.code(m, r, u64(0)); c != "bad-descriptor" {
			t.Errorf("%s on a directory: %q", m, c)
		}
	}
	if c := ft.code(".read", r, u64(1), u64(0)); c != "bad-descriptor" {
		t.Errorf("read on a directory: %q", c)
	}
	if c := ft.code(".read-directory", fb); c != "not-directory" {
		t.Errorf("read-directory on a file: %q", c)
	}
	if c := ft.code(".open-at", fb, noFollow, str("x"), noOpen, ro); c != "not-directory" {
		t.Errorf("open-at on a file: %q", c)
	}
}

// TestFSStreams checks the readers and writers behind read-via-stream,
// write-via-stream and append-via-stream, and that the streams are
// wasi:io handles.
func TestFSStreams(t *testing.T) {
	ft, dir, root := dirTester(t)
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := ft.ok(".open-at", borrow(root), noFollow, str("f"), noOpen, rw)
	d, err := ft.h.desc(f)
	if err != nil {
		t.Fatal(err)
	}
	var streams []component.Val
	for _, m := range []string{".read-via-stream", ".write-via-stream"} {
		v := ft.ok(m, borrow(f), u64(3))
		if _, rt := v.Handle(); v.Kind != component.KindOwn || rt == nil {
			t.Errorf("%s returned %v", m, v)
		}
		streams = append(streams, v)
	}
	v := ft.ok(".append-via-stream", borrow(f))
	if v.Kind != component.KindOwn {
		t.Errorf("append-via-stream returned %v", v)
	}
	streams = append(streams, v)
	// Three streams and the descriptor hold the file.
	if d.file.refs != 4 {
		t.Errorf("%d holders of the file, want 4", d.file.refs)
	}

	r := &fsFileReader{o: d.file.acquire(), off: 7}
	b, err := io.ReadAll(r)
	if err != nil || string(b) != "789" {
		t.Errorf("stream from 7: %q, %v", b, err)
	}
	w := &fsFileWriter{o: d.file.acquire(), off: 2}
	if _, err := io.WriteString(w, "ab"); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, "cd"); err != nil {
		t.Fatal(err)
	}
	a := &fsFileWriter{o: d.file.acquire(), append: true}
	if _, err := io.WriteString(a, "XY"); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "f")); string(got) != "01abcd6789XY" {
		t.Errorf("file after stream writes: %q", got)
	}
	// The descriptor is dropped; the streams still hold the file.
	if err := component.DropResource(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	if _, ok := ft.h.fs.descs.get(0); ok || ft.h.fs.descs.len() != 1 {
		t.Errorf("%d descriptors after the drop, want the preopen alone", ft.h.fs.descs.len())
	}
	if _, err := io.WriteString(a, "Z"); err != nil {
		t.Errorf("append after the descriptor's drop: %v", err)
	}
	for _, s := range []fsStreamReleaser{r, w, a} {
		s.release()
		s.release() // twice is harmless
	}
	if d.file.refs != 3 {
		t.Errorf("%d holders of the file, want 3 (the streams io.go holds)", d.file.refs)
	}
	if _, err := r.Read(make([]byte, 1)); err == nil {
		t.Errorf("read from a released stream succeeded")
	}
	// Dropping the guest's streams closes the file.
	for _, s := range streams {
		if err := component.DropResource(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	if _, open := ft.h.fs.files[d.file]; open || d.file.refs != 0 {
		t.Errorf("file still open after its descriptor and streams were dropped (%d holders)", d.file.refs)
	}
}

// TestFSDirectories covers directories and names: create-directory-at,
// stat-at, rename-at, read-directory, symlink-at, readlink-at, link-at,
// is-same-object, metadata-hash(-at), unlink-file-at,
// remove-directory-at, and the errors POSIX gives.
func TestFSDirectories(t *testing.T) {
	ft, dir, root := dirTester(t)
	r := borrow(root)
	ft.ok(".create-directory-at", r, str("d"))
	if c := ft.code(".create-directory-at", r, str("d")); c != "exist" {
		t.Errorf("mkdir twice: %q", c)
	}
	f := ft.ok(".open-at", r, noFollow, str("d/f"), component.Flags("create", "exclusive"), rw)
	ft.ok(".write", borrow(f), component.Bytes([]byte("abc")), u64(0))
	if c := ft.code(".open-at", r, noFollow, str("d/f"), component.Flags("create", "exclusive"), rw); c != "exist" {
		t.Errorf("exclusive create of an existing file: %q", c)
	}
	ft.ok(".rename-at", r, str("d/f"), r, str("g"))
	if c := ft.code(".stat-at", r, noFollow, str("d/f")); c != "no-entry" {
		t.Errorf("stat-at of the old name: %q", c)
	}
	ft.ok(".symlink-at", r, str("g"), str("l"))
	if got := ft.ok(".readlink-at", r, str("l")).AsString(); got != "g" {
		t.Errorf("readlink-at: %q", got)
	}
	if typ := field(t, ft.ok(".stat-at", r, noFollow, str("l")), "type").Case(); typ != "symbolic-link" {
		t.Errorf("stat-at nofollow: %s", typ)
	}
	if typ := field(t, ft.ok(".stat-at", r, follow, str("l")), "type").Case(); typ != "regular-file" {
		t.Errorf("stat-at follow: %s", typ)
	}
	if c := ft.code(".open-at", r, noFollow, str("l"), noOpen, ro); c != "loop" {
		t.Errorf("open-at of a link without follow: %q", c)
	}
	ft.ok(".link-at", r, noFollow, str("g"), r, str("hard"))
	if n := field(t, ft.ok(".stat-at", r, noFollow, str("g")), "link-count").AsUint(); n != 2 {
		t.Errorf("link-count after link-at: %d", n)
	}
	if c := ft.code(".link-at", r, follow, str("l"), r, str("hard2")); c != "invalid" {
		t.Errorf("link-at following a link: %q", c)
	}
	h1 := ft.ok(".open-at", r, noFollow, str("hard"), noOpen, ro)
	h2 := ft.ok(".open-at", r, follow, str("l"), noOpen, ro)
	dd := ft.ok(".open-at", r, noFollow, str("d"), component.Flags("directory"), ro)
	if res := ft.call(".is-same-object", borrow(h1), borrow(h2)); !res[0].AsBool() {
		t.Errorf("is-same-object(hard, l) = false")
	}
	if res := ft.call(".is-same-object", borrow(h1), borrow(dd)); res[0].AsBool() {
		t.Errorf("is-same-object(hard, d) = true")
	}
	mh := ft.ok(".metadata-hash", borrow(h1))
	if got := ft.ok(".metadata-hash-at", r, follow, str("l")); !got.Equal(mh) {
		t.Errorf("metadata-hash-at(l) = %v, want %v", got, mh)
	}
	if got := ft.ok(".metadata-hash-at", r, noFollow, str("d")); got.Equal(mh) {
		t.Errorf("metadata-hash-at(d) equals the file's")
	}
	if typ := ft.ok(".get-type", borrow(dd)).Case(); typ != "directory" {
		t.Errorf("opened directory: %s", typ)
	}
	if c := ft.code(".open-at", r, noFollow, str("g"), component.Flags("directory"), ro); c != "not-directory" {
		t.Errorf("open-at directory of a file: %q", c)
	}
	if c := ft.code(".open-at", r, noFollow, str("d"), component.Flags("directory", "create"), ro); c != "invalid" {
		t.Errorf("open-at directory+create: %q", c)
	}
	if c := ft.code(".open-at", r, noFollow, str("d"), noOpen, rw); c != "is-directory" {
		t.Errorf("open-at of a directory for writing: %q", c)
	}
	if c := ft.code(".open-at", r, noFollow, str("missing"), noOpen, ro); c != "no-entry" {
		t.Errorf("open-at of a missing file: %q", c)
	}

	// Entries, sorted, without "." and "..".
	ds := ft.ok(".read-directory", r)
	var names []string
	for i := 0; i < 10; i++ {
		e := ft.ok("[method]directory-entry-stream.read-directory-entry", borrow(ds))
		if !e.IsSome() {
			break
		}
		names = append(names, field(t, *e.Payload(), "name").AsString()+":"+field(t, *e.Payload(), "type").Case())
	}
	if got := strings.Join(names, " "); got != "d:directory g:regular-file hard:regular-file l:symbolic-link" {
		t.Errorf("entries: %s", got)
	}
	if err := component.DropResource(context.Background(), ds); err != nil || ft.h.fs.dirs.len() != 0 {
		t.Errorf("drop directory-entry-stream: %v, %d left", err, ft.h.fs.dirs.len())
	}

	// Removal, with rmdir(2) and unlink(2) errors.
	removals := []struct {
		fn, path, want string
	}{
		{".remove-directory-at", "g", "not-directory"},
		{".unlink-file-at", "d", "is-directory"},
		{".unlink-file-at", "g/", "not-directory"},
		{".unlink-file-at", "l", ""},
		{".unlink-file-at", "hard", ""},
		{".unlink-file-at", "hard", "no-entry"},
		{".remove-directory-at", "d", ""},
		{".remove-directory-at", "d", "no-entry"},
	}
	for _, rm := range removals {
		if c := ft.code(rm.fn, r, str(rm.path)); c != rm.want {
			t.Errorf("%s(%q) = %q, want %q", rm.fn, rm.path, c, rm.want)
		}
	}
	ft.ok(".create-directory-at", r, str("e"))
	ft.ok(".create-directory-at", r, str("e/sub"))
	if c := ft.code(".remove-directory-at", r, str("e")); c != "not-empty" {
		t.Errorf("remove-directory-at of a non-empty directory: %q", c)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("left %d entries, want e and g", len(ents))
	}

	// A directory opened below the preopen works relative to itself.
	e := ft.ok(".open-at", r, noFollow, str("e"), component.Flags("directory"), component.Flags("read", "mutate-directory"))
	if got := fmt.Sprint(ft.ok(".get-flags", borrow(e)).SetFlags()); got != "[read mutate-directory]" {
		t.Errorf("subdirectory flags %s", got)
	}
	ft.ok(".open-at", borrow(e), noFollow, str("sub/x"), component.Flags("create"), rw)
	if _, err := os.Stat(filepath.Join(dir, "e", "sub", "x")); err != nil {
		t.Errorf("create below a subdirectory: %v", err)
	}
	// The capability to change a directory is inherited: a directory
	// opened without asking for mutate-directory has it too.
	e2 := ft.ok(".open-at", r, noFollow, str("e"), component.Flags("directory"), ro)
	if got := fmt.Sprint(ft.ok(".get-flags", borrow(e2)).SetFlags()); got != "[read mutate-directory]" {
		t.Errorf("subdirectory flags %s", got)
	}
	ft.ok(".create-directory-at", borrow(e2), str("y"))
	// Without the capability nothing changes.
	d2, _ := ft.h.fs.descs.get(mustRep(t, e2))
	d2.flags &^= fsFlagMutateDirectory
	eRO := ft.ok(".open-at", borrow(e2), noFollow, str("."), component.Flags("directory"), component.Flags("read", "mutate-directory"))
	for _, dd := range []component.Val{e2, eRO} {
		for _, c := range []string{
			ft.code(".create-directory-at", borrow(dd), str("z")),
			ft.code(".open-at", borrow(dd), noFollow, str("z"), component.Flags("create"), rw),
			ft.code(".open-at", borrow(dd), noFollow, str("sub/x"), noOpen, rw),
			ft.code(".unlink-file-at", borrow(dd), str("sub/x")),
			ft.code(".remove-directory-at", borrow(dd), str("y")),
			ft.code(".rename-at", borrow(dd), str("sub/x"), borrow(dd), str("w")),
			ft.code(".symlink-at", borrow(dd), str("sub/x"), str("w")),
			ft.code(".set-times", borrow(dd), component.Variant("now", nil), component.Variant("now", nil)),
		} {
			if c != "not-permitted" {
				t.Errorf("change through a read-only directory: %q, want not-permitted", c)
			}
		}
	}
}

// mustRep returns the representation of a descriptor handle.
func mustRep(t *testing.T, v component.Val) uint32 {
	t.Helper()
	rep, _ := v.Handle()
	return rep
}

// sandboxTester builds a host directory tree with a preopened directory
// "root" beside a secret the guest must never reach (as
// preview1/sandbox_test.go does), and returns the tester, the top
// directory and the preopen's descriptor.
func sandboxTester(t *testing.T) (*fsTester, string, component.Val) {
	t.Helper()
	top, root := wasitest.SandboxTree(t)
	fsys, err := preview1.DirFS(root)
	if err != nil {
		t.Fatal(err)
	}
	ft := newFSTester(t, preview1.Preopen{GuestPath: "/", FS: fsys})
	return ft, top, ft.preopen(0)
}

// TestFSSandboxOpen checks that no path reaches outside the preopened
// directory: "..", absolute paths, symbolic links (relative, absolute,
// chains) all fail, while paths that stay inside work; the same for
// stat-at, and for a directory descriptor below the preopen, which may
// not climb above itself.
func TestFSSandboxOpen(t *testing.T) {
	ft, _, root := sandboxTester(t)
	r := borrow(root)
	sub := borrow(ft.ok(".open-at", r, noFollow, str("dir"), component.Flags("directory"), ro))
	tests := []struct {
		dir     component.Val
		path    string
		follow  bool
		allowed bool
	}{
		{r, "inside", true, true},
		{r, "dir/../inside", true, true},
		{r, "ok-link", true, true},
		{r, "../secret", true, false},
		{r, "dir/../../secret", true, false},
		{r, "/secret", true, false},
		{r, "/", true, false},
		{r, "", true, false},
		{r, "inside\x00", true, false},
		{r, "up", true, false},
		{r, "abs", true, false},
		{r, "hop1", true, false},
		{r, "dir/../hop1", true, false},
		{r, "up", false, false},
		{r, "./../root/inside", true, false},
		{sub, "../inside", true, false},
		{sub, ".", true, true},
		{sub, "../up", true, false},
	}
	for _, tt := range tests {
		pf := noFollow
		if tt.follow {
			pf = follow
		}
		c := ft.code(".open-at", tt.dir, pf, str(tt.path), noOpen, ro)
		if got := c == ""; got != tt.allowed {
			t.Errorf("open-at(%q, follow=%v) = %q, want allowed=%v", tt.path, tt.follow, c, tt.allowed)
		}
		if tt.follow {
			c := ft.code(".stat-at", tt.dir, pf, str(tt.path))
			if got := c == ""; got != tt.allowed {
				t.Errorf("stat-at(%q) = %q, want allowed=%v", tt.path, c, tt.allowed)
			}
		}
	}
	want := map[string]string{"../secret": "not-permitted", "/secret": "not-permitted", "": "no-entry",
		"a\x00b": "illegal-byte-sequence"}
	for p, w := range want {
		if c := ft.code(".open-at", r, follow, str(p), noOpen, ro); c != w {
			t.Errorf("open-at(%q) = %q, want %q", p, c, w)
		}
	}
}

// TestFSSandboxMutations checks that creating, linking, renaming,
// removing, setting times and reading links through escaping paths all
// fail and leave the outside untouched.
func TestFSSandboxMutations(t *testing.T) {
	ft, top, root := sandboxTester(t)
	r := borrow(root)
	now := component.Variant("now", nil)
	calls := []struct {
		name string
		code func() string
	}{
		{"mkdir ../x", func() string { return ft.code(".create-directory-at", r, str("../x")) }},
		{"create through link", func() string {
			return ft.code(".open-at", r, follow, str("up"), component.Flags("create", "truncate"), rw)
		}},
		{"hard link from outside", func() string { return ft.code(".link-at", r, noFollow, str("../secret"), r, str("stolen")) }},
		{"hard link through symlink", func() string { return ft.code(".link-at", r, follow, str("up"), r, str("stolen2")) }},
		{"rename out", func() string { return ft.code(".rename-at", r, str("inside"), r, str("../moved")) }},
		{"rename in", func() string { return ft.code(".rename-at", r, str("../secret"), r, str("stolen3")) }},
		{"unlink outside", func() string { return ft.code(".unlink-file-at", r, str("../secret")) }},
		{"rmdir outside", func() string { return ft.code(".remove-directory-at", r, str("..")) }},
		{"symlink pointing out, then open", func() string {
			if c := ft.code(".symlink-at", r, str("/etc/passwd"), str("mine")); c != "" {
				return c
			}
			return ft.code(".open-at", r, follow, str("mine"), noOpen, ro)
		}},
		{"relative symlink out, then open", func() string {
			if c := ft.code(".symlink-at", r, str("../secret"), str("mine2")); c != "" {
				return c
			}
			return ft.code(".open-at", r, follow, str("mine2"), noOpen, ro)
		}},
		{"stat outside", func() string { return ft.code(".stat-at", r, follow, str("../secret")) }},
		{"set times outside", func() string { return ft.code(".set-times-at", r, follow, str("up"), now, now) }},
		{"readlink outside", func() string { return ft.code(".readlink-at", r, str("../root/up")) }},
		{"hash outside", func() string { return ft.code(".metadata-hash-at", r, follow, str("abs")) }},
	}
	st, err := os.Stat(filepath.Join(top, "secret"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range calls {
		if code := c.code(); code == "" {
			t.Errorf("%s: succeeded, want an error", c.name)
		}
	}
	if b, err := os.ReadFile(filepath.Join(top, "secret")); err != nil || string(b) != "secret" {
		t.Errorf("the secret changed: %q, %v", b, err)
	}
	if st2, err := os.Stat(filepath.Join(top, "secret")); err != nil || !st2.ModTime().Equal(st.ModTime()) {
		t.Errorf("the secret's times changed")
	}
	for _, name := range []string{"x", "moved", "stolen", "stolen2"} {
		if _, err := os.Lstat(filepath.Join(top, name)); err == nil {
			t.Errorf("%s was created outside the sandbox", name)
		}
	}
}

// TestFSReadOnlyFS serves an io/fs tree read-only: reading works, every
// change fails with read-only.
func TestFSReadOnlyFS(t *testing.T) {
	mfs := fstest.MapFS{"a/b.txt": {Data: []byte("bee")}, "c": {Data: []byte("see")}}
	ft := newFSTester(t, preview1.Preopen{GuestPath: "/ro", FS: preview1.ReadOnlyFS(mfs)})
	res := ft.call("get-directories")
	if got := res[0].Elems()[0].Elems()[1].AsString(); got != "/ro" {
		t.Errorf("preopen name %q", got)
	}
	r := borrow(ft.preopen(0))
	f := ft.ok(".open-at", r, noFollow, str("a/b.txt"), noOpen, ro)
	got := ft.ok(".read", borrow(f), u64(10), u64(0)).Elems()
	if b, _ := got[0].AsBytes(); string(b) != "bee" {
		t.Errorf("read %q", b)
	}
	if size := field(t, ft.ok(".stat-at", r, follow, str("c")), "size").AsUint(); size != 3 {
		t.Errorf("size %d", size)
	}
	ds := ft.ok(".read-directory", r)
	e := ft.ok("[method]directory-entry-stream.read-directory-entry", borrow(ds))
	if !e.IsSome() || field(t, *e.Payload(), "name").AsString() != "a" {
		t.Errorf("first entry %v", e)
	}
	for name, c := range map[string]string{
		"create":  ft.code(".open-at", r, noFollow, str("new"), component.Flags("create"), rw),
		"write":   ft.code(".open-at", r, noFollow, str("c"), noOpen, rw),
		"mkdir":   ft.code(".create-directory-at", r, str("d")),
		"unlink":  ft.code(".unlink-file-at", r, str("c")),
		"rename":  ft.code(".rename-at", r, str("c"), r, str("e")),
		"symlink": ft.code(".symlink-at", r, str("c"), str("l")),
	} {
		if c != "read-only" {
			t.Errorf("%s: %q, want read-only", name, c)
		}
	}
}

// TestFSBadHandles checks that handles that are not descriptors of the
// host, or no longer exist, fail the call (a trap) rather than panic.
func TestFSBadHandles(t *testing.T) {
	ft, _, root := dirTester(t)
	other := component.NewResourceType("other", nil)
	rootRep, _ := root.Handle()
	bad := []component.Val{
		component.Borrow(ft.h.fs.descRT, 999),
		component.Borrow(other, rootRep),
		component.Borrow(ft.h.fs.dirRT, 1),
	}
	for _, v := range bad {
		for name, typ := range ft.types {
			if len(typ.Params) == 0 || typ.Params[0].Name != "self" || !strings.HasPrefix(name, "[method]descriptor.") {
				continue
			}
			args := make([]component.Val, len(typ.Params))
			args[0] = v
			for i, p := range typ.Params[1:] {
				z, err := component.Zero(p.Type)
				if err != nil {
					z = root.Borrowed()
				}
				args[i+1] = z
			}
			if _, err := ft.callErr(name, args...); err == nil {
				t.Errorf("%s(%v) succeeded", name, v)
			}
		}
	}
	if _, err := ft.callErr("[method]directory-entry-stream.read-directory-entry", component.Borrow(ft.h.fs.dirRT, 7)); err == nil {
		t.Errorf("read-directory-entry of an unknown stream succeeded")
	}
	// Dropping twice is refused, not a panic.
	f := ft.ok(".open-at", borrow(root), noFollow, str("f"), component.Flags("create"), rw)
	if err := component.DropResource(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	if err := component.DropResource(context.Background(), f); err == nil {
		t.Errorf("second drop succeeded")
	}
	if _, err := ft.callErr("[method]descriptor.stat", borrow(f)); err == nil {
		t.Errorf("stat of a dropped descriptor succeeded")
	}
}

// TestFSErrorCodes checks the mapping of Go and system errors to
// error-code, and filesystem-error-code on wasi:io errors.
func TestFSErrorCodes(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{syscall.ENOENT, "no-entry"},
		{&fs.PathError{Op: "open", Path: "x", Err: syscall.EEXIST}, "exist"},
		{fs.ErrNotExist, "no-entry"},
		{fs.ErrPermission, "not-permitted"},
		{syscall.EACCES, "access"},
		{syscall.EROFS, "read-only"},
		{syscall.ENOTEMPTY, "not-empty"},
		{syscall.EISDIR, "is-directory"},
		{syscall.ENOTDIR, "not-directory"},
		{syscall.ELOOP, "loop"},
		{syscall.EXDEV, "cross-device"},
		{syscall.ESPIPE, "invalid-seek"},
		{syscall.ENOSPC, "insufficient-space"},
		{syscall.EFBIG, "file-too-large"},
		{syscall.ENAMETOOLONG, "name-too-long"},
		{syscall.EMLINK, "too-many-links"},
		{syscall.ETXTBSY, "text-file-busy"},
		{syscall.EDQUOT, "quota"},
		{syscall.EINTR, "interrupted"},
		{syscall.ENXIO, "no-such-device"},
		{syscall.EOVERFLOW, "overflow"},
		{preview1.ErrnoNotcapable, "not-permitted"},
		{errors.New("path escapes from parent"), "not-permitted"},
		{os.ErrDeadlineExceeded, "would-block"},
		{errors.New("anything else"), "io"},
	}
	labels := map[string]bool{}
	for _, l := range fsErrorCodeLabels() {
		labels[l] = true
	}
	for _, tt := range tests {
		got := fsErrorCodeOf(tt.err)
		if got != tt.want {
			t.Errorf("%v: %s, want %s", tt.err, got, tt.want)
		}
		if !labels[got] {
			t.Errorf("%v: %s is not an error-code", tt.err, got)
		}
	}
	for e := preview1.Errno(0); e < 80; e++ {
		if c := fsErrnoCode(e); !labels[c] {
			t.Errorf("errno %d: %s is not an error-code", e, c)
		}
	}

	ft := newFSTester(t)
	ev := ft.h.newError(&fs.PathError{Op: "write", Path: "f", Err: syscall.ENOSPC})
	res := ft.call("filesystem-error-code", ev.Borrowed())
	if !res[0].IsSome() || res[0].Payload().Case() != "insufficient-space" {
		t.Errorf("filesystem-error-code(ENOSPC) = %v", res[0])
	}
	res = ft.call("filesystem-error-code", component.Borrow(component.NewResourceType("x", nil), 1))
	if res[0].IsSome() {
		t.Errorf("filesystem-error-code of a foreign handle = %v, want none", res[0])
	}
}

// TestFSTypes checks the function types against the WIT of
// wasi:filesystem 0.2.12 (types.wit, preopens.wit), written here with
// the WIT's type names. (The real adapted component of TestProgramsP2
// imports a part of them, which the linker checks structurally.)
func TestFSTypes(t *testing.T) {
	want := []struct{ name, sig string }{
		{"[method]descriptor.advise", "func(self: borrow<descriptor>, offset: u64, length: u64, advice: advice) -> result<_, error-code>"},
		{"[method]descriptor.append-via-stream", "func(self: borrow<descriptor>) -> result<own<STREAM>, error-code>"},
		{"[method]descriptor.create-directory-at", "func(self: borrow<descriptor>, path: string) -> result<_, error-code>"},
		{"[method]descriptor.get-flags", "func(self: borrow<descriptor>) -> result<descriptor-flags, error-code>"},
		{"[method]descriptor.get-type", "func(self: borrow<descriptor>) -> result<descriptor-type, error-code>"},
		{"[method]descriptor.is-same-object", "func(self: borrow<descriptor>, other: borrow<descriptor>) -> bool"},
		{"[method]descriptor.link-at", "func(self: borrow<descriptor>, old-path-flags: path-flags, old-path: string, new-descriptor: borrow<descriptor>, new-path: string) -> result<_, error-code>"},
		{"[method]descriptor.metadata-hash", "func(self: borrow<descriptor>) -> result<metadata-hash-value, error-code>"},
		{"[method]descriptor.metadata-hash-at", "func(self: borrow<descriptor>, path-flags: path-flags, path: string) -> result<metadata-hash-value, error-code>"},
		{"[method]descriptor.open-at", "func(self: borrow<descriptor>, path-flags: path-flags, path: string, open-flags: open-flags, flags: descriptor-flags) -> result<own<descriptor>, error-code>"},
		{"[method]descriptor.read", "func(self: borrow<descriptor>, length: u64, offset: u64) -> result<tuple<list<u8>, bool>, error-code>"},
		{"[method]descriptor.read-directory", "func(self: borrow<descriptor>) -> result<own<directory-entry-stream>, error-code>"},
		{"[method]descriptor.read-via-stream", "func(self: borrow<descriptor>, offset: u64) -> result<own<STREAM>, error-code>"},
		{"[method]descriptor.readlink-at", "func(self: borrow<descriptor>, path: string) -> result<string, error-code>"},
		{"[method]descriptor.remove-directory-at", "func(self: borrow<descriptor>, path: string) -> result<_, error-code>"},
		{"[method]descriptor.rename-at", "func(self: borrow<descriptor>, old-path: string, new-descriptor: borrow<descriptor>, new-path: string) -> result<_, error-code>"},
		{"[method]descriptor.set-size", "func(self: borrow<descriptor>, size: u64) -> result<_, error-code>"},
		{"[method]descriptor.set-times", "func(self: borrow<descriptor>, data-access-timestamp: new-timestamp, data-modification-timestamp: new-timestamp) -> result<_, error-code>"},
		{"[method]descriptor.set-times-at", "func(self: borrow<descriptor>, path-flags: path-flags, path: string, data-access-timestamp: new-timestamp, data-modification-timestamp: new-timestamp) -> result<_, error-code>"},
		{"[method]descriptor.stat", "func(self: borrow<descriptor>) -> result<descriptor-stat, error-code>"},
		{"[method]descriptor.stat-at", "func(self: borrow<descriptor>, path-flags: path-flags, path: string) -> result<descriptor-stat, error-code>"},
		{"[method]descriptor.symlink-at", "func(self: borrow<descriptor>, old-path: string, new-path: string) -> result<_, error-code>"},
		{"[method]descriptor.sync", "func(self: borrow<descriptor>) -> result<_, error-code>"},
		{"[method]descriptor.sync-data", "func(self: borrow<descriptor>) -> result<_, error-code>"},
		{"[method]descriptor.unlink-file-at", "func(self: borrow<descriptor>, path: string) -> result<_, error-code>"},
		{"[method]descriptor.write", "func(self: borrow<descriptor>, buffer: list<u8>, offset: u64) -> result<u64, error-code>"},
		{"[method]descriptor.write-via-stream", "func(self: borrow<descriptor>, offset: u64) -> result<own<STREAM>, error-code>"},
		{"[method]directory-entry-stream.read-directory-entry", "func(self: borrow<directory-entry-stream>) -> result<option<directory-entry>, error-code>"},
		{"filesystem-error-code", "func(err: borrow<resource>) -> option<error-code>"},
		{"get-directories", "func() -> list<tuple<own<descriptor>, string>>"},
	}
	ft := newFSTester(t)
	if len(ft.types) != len(want) {
		t.Errorf("%d functions, want %d", len(ft.types), len(want))
	}
	for _, w := range want {
		typ, ok := ft.types[w.name]
		if !ok {
			t.Errorf("missing %s", w.name)
			continue
		}
		got := fsTypeString(ft.h, &typ)
		// The wasi:io resources are io.go's; the types leave them open.
		got = strings.ReplaceAll(got, "own<resource>", "own<STREAM>")
		if got != w.sig {
			t.Errorf("%s:\n got %s\nwant %s", w.name, got, w.sig)
		}
	}
}

// fsTypeString prints a function type with the named types of
// wasi:filesystem/types written by name, as in the WIT.
func fsTypeString(h *Host, f *component.FuncType) string {
	t := h.fsTypes()
	s := f.String()
	for _, nt := range []struct {
		typ  *component.Type
		name string
	}{
		{t.descStat, "descriptor-stat"}, {t.dirEntry, "directory-entry"}, {t.newTimestamp, "new-timestamp"},
		{t.datetime, "datetime"}, {t.errorCode, "error-code"}, {t.descType, "descriptor-type"},
		{t.descFlags, "descriptor-flags"}, {t.pathFlags, "path-flags"}, {t.openFlags, "open-flags"},
		{t.advice, "advice"}, {t.hashValue, "metadata-hash-value"},
	} {
		s = strings.ReplaceAll(s, nt.typ.String(), nt.name)
	}
	return s
}

// TestFSTypesMatchAdapter compares the function types with those the
// preview1 adapter's component (testdata/cprog.component.wasm) imports
// from wasi:filesystem, as printed from the component's own type section.
func TestFSTypesMatchAdapter(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "cprog.component.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := component.Compile(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	imps, err := c.Imports()
	if err != nil {
		t.Fatal(err)
	}
	ft := newFSTester(t)
	stream := strings.NewReplacer("own<input-stream>", "own<resource>", "own<output-stream>", "own<resource>",
		"borrow<error>", "borrow<resource>")
	n := 0
	for _, im := range imps {
		if !strings.HasPrefix(im.Name, "wasi:filesystem/") || im.Desc.Instance == nil {
			continue
		}
		for _, name := range im.Desc.Instance.Names {
			d := im.Desc.Instance.Exports[name]
			if d.Func == nil {
				continue
			}
			typ, ok := ft.types[name]
			if !ok {
				t.Errorf("%s#%s is not defined", im.Name, name)
				continue
			}
			n++
			if got, want := typ.String(), stream.Replace(d.Func.String()); got != want {
				t.Errorf("%s:\n got %s\nwant %s", name, got, want)
			}
		}
	}
	if n < 10 {
		t.Errorf("compared %d functions", n)
	}
}

// TestFSNonUTF8 checks names that a component string cannot hold: a
// directory entry and a link target that are not UTF-8 read as
// illegal-byte-sequence, and the entries after them still read.
func TestFSNonUTF8(t *testing.T) {
	ft, dir, root := dirTester(t)
	bad := "bad\xff"
	if err := os.WriteFile(filepath.Join(dir, bad), nil, 0o644); err != nil {
		t.Skipf("the host file system refuses non-UTF-8 names: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "good"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(bad, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	r := borrow(root)
	ds := ft.ok(".read-directory", r)
	var got []string
	for i := 0; i < 5; i++ {
		res := ft.call("[method]directory-entry-stream.read-directory-entry", borrow(ds))
		if res[0].IsErr() {
			got = append(got, res[0].Payload().Case())
			continue
		}
		if !res[0].Payload().IsSome() {
			break
		}
		got = append(got, field(t, *res[0].Payload().Payload(), "name").AsString())
	}
	if s := strings.Join(got, " "); s != "illegal-byte-sequence good link" {
		t.Errorf("entries: %s", s)
	}
	if c := ft.code(".readlink-at", r, str("link")); c != "illegal-byte-sequence" {
		t.Errorf("readlink-at of a non-UTF-8 target: %q", c)
	}
}

// TestFSSandboxRace swaps a directory for a symbolic link pointing out of
// the sandbox while the guest keeps opening and reading a file through
// it: no open may ever reach the outside.
func TestFSSandboxRace(t *testing.T) {
	ft, top, root := sandboxTester(t)
	rdir := filepath.Join(top, "root")
	if err := os.WriteFile(filepath.Join(rdir, "dir", "secret"), []byte("inside"), 0o644); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			os.Rename(filepath.Join(rdir, "dir"), filepath.Join(rdir, "dir.real"))
			os.Symlink(top, filepath.Join(rdir, "dir"))
			os.Remove(filepath.Join(rdir, "dir"))
			os.Rename(filepath.Join(rdir, "dir.real"), filepath.Join(rdir, "dir"))
		}
	}()
	defer func() {
		close(stop)
		<-done
	}()
	deadline := time.Now().Add(200 * time.Millisecond)
	for time.Now().Before(deadline) {
		res := ft.call(".open-at", borrow(root), follow, str("dir/secret"), noOpen, ro)
		if res[0].IsErr() {
			continue
		}
		f := *res[0].Payload()
		got := ft.ok(".read", borrow(f), u64(16), u64(0)).Elems()
		if err := component.DropResource(context.Background(), f); err != nil {
			t.Fatal(err)
		}
		if b, _ := got[0].AsBytes(); string(b) != "inside" {
			t.Fatalf("read %q: escaped the sandbox", b)
		}
	}
}

// TestFSHostileArgs calls every function with hostile arguments (paths
// that climb, absolute or with NUL, lengths and offsets near 2^64, every
// flag set, timestamps out of range) on a directory and on a file: each
// call answers with a result, never a panic, and nothing appears outside
// the preopened directory.
func TestFSHostileArgs(t *testing.T) {
	ft, top, root := sandboxTester(t)
	file := ft.ok(".open-at", borrow(root), noFollow, str("inside"), noOpen, rw)
	paths := []string{"", ".", "..", "/", "../secret", "a/../../b", "inside/", "dir/x", "up", "abs", "hop1", "x\x00y",
		strings.Repeat("a/", 3000), strings.Repeat("x", 5000)}
	nums := []uint64{0, 1, 1 << 31, 1 << 32, math.MaxInt64, math.MaxInt64 + 1, math.MaxUint64}
	huge := component.Record(component.NamedVal{Name: "seconds", Val: u64(math.MaxUint64)},
		component.NamedVal{Name: "nanoseconds", Val: component.U32(math.MaxUint32)})
	calls := 0
	for name, typ := range ft.types {
		for _, self := range []component.Val{borrow(root), borrow(file)} {
			for i := range max(len(paths), len(nums)) {
				args := make([]component.Val, len(typ.Params))
				for j, p := range typ.Params {
					switch {
					case p.Type.Kind == component.KindBorrow && p.Type.Resource == ft.h.fs.descRT:
						args[j] = self
					case p.Type.Kind == component.KindString:
						args[j] = str(paths[(i+j)%len(paths)])
					case p.Type.Kind == component.KindU64:
						args[j] = u64(nums[(i+j)%len(nums)])
					case p.Type.Kind == component.KindFlags:
						if i%2 == 0 {
							args[j] = component.Flags(p.Type.Labels...)
						} else {
							args[j] = component.Flags()
						}
					case p.Type.Kind == component.KindVariant: // new-timestamp
						args[j] = component.Variant("timestamp", &huge)
					case p.Type.Kind == component.KindList:
						args[j] = component.Bytes([]byte("data"))
					default:
						z, err := component.Zero(p.Type)
						if err != nil {
							args[j] = component.Borrow(nil, 0)
						} else {
							args[j] = z
						}
					}
				}
				calls++
				res, err := ft.callErr(name, args...)
				if err == nil {
					// Drop what the call handed out.
					for _, v := range res {
						if v.Kind == component.KindResult && !v.IsErr() && v.Payload() != nil && v.Payload().Kind == component.KindOwn {
							component.DropResource(context.Background(), *v.Payload())
						}
					}
				}
			}
		}
	}
	ents, err := os.ReadDir(top)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 2 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("outside the sandbox: %v, want root and secret", names)
	}
	if b, _ := os.ReadFile(filepath.Join(top, "secret")); string(b) != "secret" {
		t.Errorf("the secret changed: %q", b)
	}
	t.Logf("%d calls", calls)
}
