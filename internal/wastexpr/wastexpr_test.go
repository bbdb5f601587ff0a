package wastexpr

import "testing"

func TestSkipComment(t *testing.T) {
	for _, tt := range []struct {
		src          string
		end, newline int
		ok           bool
	}{
		{"x", 0, 0, false},
		{"(x)", 0, 0, false},
		{";; line\nx", 7, 0, true},
		{";; to the end", 13, 0, true},
		{"(; a\n(; nested\n ;) ;)x", 21, 2, true},
		{"(; unterminated\n", 16, 1, true},
	} {
		end, nl, ok := SkipComment(tt.src, 0)
		if end != tt.end || nl != tt.newline || ok != tt.ok {
			t.Errorf("SkipComment(%q) = %d, %d, %v; want %d, %d, %v", tt.src, end, nl, ok, tt.end, tt.newline, tt.ok)
		}
		if e2, n2, ok2 := SkipComment([]byte(tt.src), 0); e2 != end || n2 != nl || ok2 != ok {
			t.Errorf("SkipComment([]byte(%q)) differs from the string form", tt.src)
		}
	}
}

func TestParse(t *testing.T) {
	es, err := Parse("(assert_return (invoke \"f\" (i32.const -1)) (f32.const nan:canonical)) ;; c\n(; b ;) x")
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Head() != "assert_return" || es[1].Atom != "x" {
		t.Fatalf("Parse: got %d expressions", len(es))
	}
	arg, err := ParseConst(es[0].List[1].List[2])
	if err != nil || arg.Bits != 0xFFFFFFFF || arg.Type != "i32" {
		t.Errorf("argument: got %+v, %v", arg, err)
	}
	want, err := ParseConst(es[0].List[2])
	if err != nil || want.Class != "nan:canonical" {
		t.Fatalf("result: got %+v, %v", want, err)
	}
	if !want.Match(0xFFC00000) || want.Match(0x7FC00001) {
		t.Error("nan:canonical matches the wrong values")
	}
	if _, err := Parse("(a"); err == nil {
		t.Error("Parse of an unbalanced list succeeded")
	}
}
