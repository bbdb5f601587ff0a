package bench

import "testing"

func TestSize(t *testing.T) {
	tests := []struct {
		name  string
		scale float64
		want  int
	}{
		{"qsort", 1, 60000},
		{"qsort", 0.5, 30000},
		{"qsort", 0, 1},
		{"fib", 1, 28},
		{"fib", 2, 29},
		{"fib", 3, 30},
		{"fib", 0.5, 27},
		{"fib", 0.01, 19},
	}
	for _, tc := range tests {
		w, ok := Lookup(tc.name)
		if !ok {
			t.Fatalf("no workload %s", tc.name)
		}
		if got := w.Size(tc.scale); got != tc.want {
			t.Errorf("%s.Size(%g) = %d, want %d", tc.name, tc.scale, got, tc.want)
		}
	}
}

func TestParseChecksum(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"123\n", 123, true},
		{"18446744073709551615", 1<<64 - 1, true},
		{"", 0, false},
		{"abc", 0, false},
	}
	for _, tc := range tests {
		got, err := ParseChecksum(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseChecksum(%q) = %d, %v", tc.in, got, err)
		}
	}
}

func TestWorkloadFiles(t *testing.T) {
	for _, w := range Workloads {
		b, err := w.Load()
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 8 || string(b[:4]) != "\x00asm" {
			t.Errorf("%s: not a wasm module", w.Name)
		}
		if !w.WASI && len(b) > 64<<10 {
			t.Errorf("%s: %d bytes, expected a small module", w.Name, len(b))
		}
	}
}
