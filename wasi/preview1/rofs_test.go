package preview1

import (
	"testing"
	"testing/fstest"
)

// TestReadOnlyFS serves an io/fs.FS to the guest: reads and listings
// work, every change fails with EROFS.
func TestReadOnlyFS(t *testing.T) {
	fsys := fstest.MapFS{
		"a.txt":     {Data: []byte("hello")},
		"sub/b.txt": {Data: []byte("b")},
	}
	h := NewHost(Config{Preopens: []Preopen{{GuestPath: "/ro", FS: ReadOnlyFS(fsys)}}})
	defer h.Close()

	if e := open(h, "a.txt", 0, true); e != ErrnoRofs {
		t.Errorf("open a.txt for writing: %v, want rofs", e)
	}
	// Open for reading, then fd_read with an iovec at 2048 pointing at 3000.
	m := make(mem, 4096)
	copy(m, "a.txt")
	if e := h.pathOpen(m, []uint64{3, 0, 0, 5, 0, uint64(rightFdRead), 0, 0, 1024}); e != ErrnoSuccess {
		t.Fatalf("path_open: %v", e)
	}
	fd, _ := m.u32(1024)
	m.putU32(2048, 3000)
	m.putU32(2052, 100)
	if e := h.fdRead(m, []uint64{uint64(fd), 2048, 1, 2100}); e != ErrnoSuccess {
		t.Fatalf("fd_read: %v", e)
	}
	if n, _ := m.u32(2100); string(m[3000:3000+n]) != "hello" {
		t.Errorf("read %q, want hello", m[3000:3000+n])
	}
	if e := open(h, "new.txt", oflagCreat, true); e != ErrnoRofs {
		t.Errorf("create: %v, want rofs", e)
	}
	mk := guestMem("newdir")
	if e := h.pathCreateDirectory(mk, []uint64{3, 0, 6}); e != ErrnoRofs {
		t.Errorf("mkdir: %v, want rofs", e)
	}
	if e := open(h, "../escape", 0, true); e == ErrnoSuccess {
		t.Error("open ../escape succeeded")
	}
	// The directory lists its entries.
	dm := make(mem, 4096)
	if e := h.fdReaddir(dm, []uint64{3, 0, 1024, 0, 2000}); e != ErrnoSuccess {
		t.Fatalf("fd_readdir: %v", e)
	}
	if used, _ := dm.u32(2000); used < 24*4 {
		t.Errorf("fd_readdir used %d bytes, want entries for ., .., a.txt, sub", used)
	}
}
