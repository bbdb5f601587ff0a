package spectest

import (
	"reflect"
	"testing"

	"github.com/gowasm/gowasm/text"
)

func TestSummary(t *testing.T) {
	var a, b Summary
	a.count("module", Counts{Passed: 1})
	a.count("assert_return", Counts{Passed: 2, Failed: 1})
	a.Failures = append(a.Failures, Failure{Pos: text.Pos{File: "x.wast", Line: 7}, Command: "assert_return", Message: "expected [i32:1], got [i32:2]"})
	b.count("assert_return", Counts{Skipped: 3})
	b.Notes = append(b.Notes, "note")

	var s Summary
	s.Add(a)
	s.Add(b)
	if got, want := s.Total(), (Counts{Passed: 3, Failed: 1, Skipped: 3}); got != want {
		t.Errorf("Total() = %v, want %v", got, want)
	}
	if got, want := s.Total().String(), "3 passed, 1 failed, 3 skipped"; got != want {
		t.Errorf("Counts.String() = %q, want %q", got, want)
	}
	if got, want := s.KindNames(), []string{"assert_return", "module"}; !reflect.DeepEqual(got, want) {
		t.Errorf("KindNames() = %v, want %v", got, want)
	}
	if got, want := s.Failures[0].String(), "x.wast:7: assert_return: expected [i32:1], got [i32:2]"; got != want {
		t.Errorf("Failure.String() = %q, want %q", got, want)
	}
	if len(s.Notes) != 1 {
		t.Errorf("Notes = %v", s.Notes)
	}
}

func TestSplitKey(t *testing.T) {
	tests := []struct {
		key  string
		file string
		line int
	}{
		{"i32.wast:12", "i32.wast", 12},
		{"i32.wast:12: assert_return: expected [i32:1]", "i32.wast", 12},
		{"simd_lane.wast:0", "simd_lane.wast", 0},
	}
	for _, tt := range tests {
		if f, l := splitKey(tt.key); f != tt.file || l != tt.line {
			t.Errorf("splitKey(%q) = %q, %d; want %q, %d", tt.key, f, l, tt.file, tt.line)
		}
	}
}
