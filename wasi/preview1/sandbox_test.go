package preview1

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gowasm/gowasm/internal/wasitest"
)

// sandbox builds a host directory tree with a preopened directory "root"
// beside a secret the guest must never reach, and a Host that preopens
// root as "/".
func sandbox(t *testing.T) (*Host, string) {
	t.Helper()
	top, root := wasitest.SandboxTree(t)
	fsys, err := DirFS(root)
	if err != nil {
		t.Fatal(err)
	}
	h := NewHost(Config{Preopens: []Preopen{{GuestPath: "/", FS: fsys}}})
	t.Cleanup(func() { h.Close() })
	return h, top
}

// guestMem is a guest memory with a path written at offset 0 and room
// for results at 1024.
func guestMem(path string) mem {
	m := make(mem, 4096)
	copy(m, path)
	return m
}

// open calls path_open(3, follow, path, ...) and returns the errno.
func open(h *Host, path string, oflags uint32, follow bool) Errno {
	m := guestMem(path)
	var dirflags uint64
	if follow {
		dirflags = lookupSymlinkFollow
	}
	return h.pathOpen(m, []uint64{3, dirflags, 0, uint64(len(path)), uint64(oflags),
		uint64(rightFdRead | rightFdWrite), 0, 0, 1024})
}

// TestSandboxOpen checks that no path reaches outside the preopened
// directory: "..", absolute paths, symbolic links (relative, absolute,
// chains) all fail, while paths that stay inside work.
func TestSandboxOpen(t *testing.T) {
	h, _ := sandbox(t)
	tests := []struct {
		path    string
		follow  bool
		allowed bool
	}{
		{"inside", true, true},
		{"dir/../inside", true, true},
		{"ok-link", true, true},
		{"../secret", true, false},
		{"dir/../../secret", true, false},
		{"/secret", true, false},
		{"up", true, false},
		{"abs", true, false},
		{"hop1", true, false},
		{"dir/../hop1", true, false},
		{"up", false, false},
		{"./../root/inside", true, false},
	}
	for _, tt := range tests {
		e := open(h, tt.path, 0, tt.follow)
		if got := e == ErrnoSuccess; got != tt.allowed {
			t.Errorf("path_open(%q, follow=%v) = %v, want allowed=%v", tt.path, tt.follow, e, tt.allowed)
		}
	}
}

// TestSandboxMutations checks that creating, linking, renaming, removing
// and stat-ing through escaping paths all fail and leave the outside
// untouched.
func TestSandboxMutations(t *testing.T) {
	h, top := sandbox(t)
	// two writes two paths, at 0 and at 512.
	two := func(a, b string) mem {
		m := make(mem, 4096)
		copy(m, a)
		copy(m[512:], b)
		return m
	}
	calls := []struct {
		name string
		call func() Errno
	}{
		{"mkdir ../x", func() Errno {
			m := guestMem("../x")
			return h.pathCreateDirectory(m, []uint64{3, 0, 4})
		}},
		{"create through link", func() Errno { return open(h, "up", oflagCreat|oflagTrunc, true) }},
		{"hard link from outside", func() Errno {
			m := two("../secret", "stolen")
			return h.pathLink(m, []uint64{3, 0, 0, 9, 3, 512, 6})
		}},
		{"hard link through symlink", func() Errno {
			m := two("up", "stolen2")
			return h.pathLink(m, []uint64{3, lookupSymlinkFollow, 0, 2, 3, 512, 7})
		}},
		{"rename out", func() Errno {
			m := two("inside", "../moved")
			return h.pathRename(m, []uint64{3, 0, 6, 3, 512, 8})
		}},
		{"unlink outside", func() Errno {
			m := guestMem("../secret")
			return h.pathUnlinkFile(m, []uint64{3, 0, 9})
		}},
		{"symlink pointing out, then open", func() Errno {
			m := two("/etc/passwd", "mine")
			if e := h.pathSymlink(m, []uint64{0, 11, 3, 512, 4}); e != ErrnoSuccess {
				return e
			}
			return open(h, "mine", 0, true)
		}},
		{"stat outside", func() Errno {
			m := guestMem("../secret")
			return h.pathFilestatGet(m, []uint64{3, lookupSymlinkFollow, 0, 9, 1024})
		}},
	}
	for _, c := range calls {
		if e := c.call(); e == ErrnoSuccess {
			t.Errorf("%s: succeeded, want an error", c.name)
		}
	}
	if b, err := os.ReadFile(filepath.Join(top, "secret")); err != nil || string(b) != "secret" {
		t.Errorf("the secret changed: %q, %v", b, err)
	}
	for _, name := range []string{"x", "moved", "stolen", "stolen2"} {
		if _, err := os.Lstat(filepath.Join(top, name)); err == nil {
			t.Errorf("%s was created outside the sandbox", name)
		}
	}
}

// TestSandboxRace swaps a directory for a symbolic link pointing out of
// the sandbox while the guest keeps opening a file through it: no open
// may ever reach the outside.
func TestSandboxRace(t *testing.T) {
	h, top := sandbox(t)
	root := filepath.Join(top, "root")
	if err := os.WriteFile(filepath.Join(root, "dir", "secret"), []byte("inside"), 0o644); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			os.Rename(filepath.Join(root, "dir"), filepath.Join(root, "dir.real"))
			os.Symlink(top, filepath.Join(root, "dir"))
			os.Remove(filepath.Join(root, "dir"))
			os.Rename(filepath.Join(root, "dir.real"), filepath.Join(root, "dir"))
		}
	}()
	deadline := time.Now().Add(300 * time.Millisecond)
	for time.Now().Before(deadline) {
		m := guestMem("dir/secret")
		if h.pathOpen(m, []uint64{3, lookupSymlinkFollow, 0, 10, 0, uint64(rightFdRead), 0, 0, 1024}) != ErrnoSuccess {
			continue
		}
		fd, _ := m.u32(1024)
		d := h.fds[fd]
		b := make([]byte, 16)
		n, _ := d.file.Read(b)
		h.fdClose(m, []uint64{uint64(fd)})
		if string(b[:n]) != "inside" {
			close(stop)
			wg.Wait()
			t.Fatalf("opened %q: escaped the sandbox", b[:n])
		}
	}
	close(stop)
	wg.Wait()
}
