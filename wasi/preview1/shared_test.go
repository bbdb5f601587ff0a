package preview1

import (
	"testing"
	"testing/fstest"
)

// TestSameFS: file systems whose values cannot be compared with == (a
// ReadOnlyFS of a map) do not panic; path_rename and path_link between
// two descriptors of such a preopen fail instead of crashing the host.
func TestSameFS(t *testing.T) {
	mfs := ReadOnlyFS(fstest.MapFS{"a": {Data: []byte("a")}})
	dir, err := DirFS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		a, b FS
		want bool
	}{
		{dir, dir, true},
		{mfs, mfs, false},
		{dir, mfs, false},
		{nil, nil, true},
		{dir, nil, false},
	}
	for i, tt := range tests {
		if got := SameFS(tt.a, tt.b); got != tt.want {
			t.Errorf("%d: SameFS = %v, want %v", i, got, tt.want)
		}
	}
	h := NewHost(Config{Preopens: []Preopen{{GuestPath: "/ro", FS: mfs}}})
	defer h.Close()
	m := make(mem, 4096)
	copy(m, "a")
	copy(m[512:], "b")
	if e := h.pathRename(m, []uint64{3, 0, 1, 3, 512, 1}); e == ErrnoSuccess {
		t.Errorf("path_rename in a read-only FS succeeded")
	}
	if e := h.pathLink(m, []uint64{3, 0, 0, 1, 3, 512, 1}); e == ErrnoSuccess {
		t.Errorf("path_link in a read-only FS succeeded")
	}
}
