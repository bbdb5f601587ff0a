package readahead

import (
	"io"
	"strings"
	"testing"
	"time"
)

// TestReadAhead checks reads through the buffer, polling before data
// arrives, and the end of the stream.
func TestReadAhead(t *testing.T) {
	pr, pw := io.Pipe()
	r := New(pr, 4)
	if _, ok, _ := r.TryRead(10); ok {
		t.Fatal("TryRead found data in an empty pipe")
	}
	select {
	case <-r.Wait():
		t.Fatal("Wait is ready before data arrives")
	case <-time.After(20 * time.Millisecond):
	}
	go func() {
		pw.Write([]byte("hello, world"))
		pw.Close()
	}()
	<-r.Wait()
	var got strings.Builder
	buf := make([]byte, 3)
	for {
		n, err := r.Read(buf)
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if got.String() != "hello, world" {
		t.Errorf("read %q", got.String())
	}
	if _, ok, err := r.TryRead(1); !ok || err != io.EOF {
		t.Errorf("after the end: ok %v, err %v; want true, EOF", ok, err)
	}
}

type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

// TestNoProgress checks that a reader returning 0, nil forever ends with
// io.ErrNoProgress instead of spinning.
func TestNoProgress(t *testing.T) {
	r := New(zeroReader{}, 0)
	if _, err := r.Read(make([]byte, 1)); err != io.ErrNoProgress {
		t.Errorf("got %v, want io.ErrNoProgress", err)
	}
}
