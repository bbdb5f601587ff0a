package component

import (
	"strings"
	"testing"
)

func TestWAVE(t *testing.T) {
	rec := RecordOf(Field{"name", Prim(KindString)}, Field{"age", Prim(KindU8)}, Field{"nick", OptionOf(Prim(KindString))})
	vr := VariantOf(Case{"none-yet", nil}, Case{"num", Prim(KindS32)}, Case{"ok", Prim(KindBool)})
	en := EnumOf("red", "green", "true")
	fl := FlagsOf("read", "write", "exec")
	tests := []struct {
		typ  *Type
		in   string
		want string // "" means same as in; "!" prefix means an error containing the rest
	}{
		{Prim(KindBool), "true", ""},
		{Prim(KindBool), "false", ""},
		{Prim(KindBool), "yes", "!expected true or false"},
		{Prim(KindU8), "255", ""},
		{Prim(KindU8), "256", "!invalid u8"},
		{Prim(KindU8), "-1", "!invalid u8"},
		{Prim(KindS8), "-128", ""},
		{Prim(KindS64), "-9223372036854775808", ""},
		{Prim(KindU64), "18446744073709551615", ""},
		{Prim(KindU32), "+1", "!invalid u32"},
		{Prim(KindF32), "-1.5", ""},
		{Prim(KindF64), "1e3", "1000"},
		{Prim(KindF64), "3", ""},
		{Prim(KindF64), "nan", ""},
		{Prim(KindF64), "inf", ""},
		{Prim(KindF64), "-inf", ""},
		{Prim(KindF64), "0.1", ""},
		{Prim(KindF32), "0.1", ""},
		{Prim(KindF64), "-0", ""},
		{Prim(KindF64), "1.", "!invalid f64"},
		{Prim(KindF64), "infinity", "!invalid f64"},
		{Prim(KindF64), "1e400", "!invalid f64"},
		{Prim(KindChar), "'x'", ""},
		{Prim(KindChar), `'\''`, ""},
		{Prim(KindChar), `'"'`, ""},
		{Prim(KindChar), `'\u{1F680}'`, "'🚀'"},
		{Prim(KindChar), `'ab'`, "!one character"},
		{Prim(KindChar), `''`, "!empty"},
		{Prim(KindString), `"str"`, ""},
		{Prim(KindString), `"a\"b\\c\n\t\r"`, ""},
		{Prim(KindString), `"\u{0}"`, `"\u{0}"`},
		{Prim(KindString), `"'"`, ""},
		{Prim(KindString), `"unterminated`, "!unterminated"},
		{Prim(KindString), "\"\"\"\n  line one\n    two\n  \"\"\"", `"line one\n  two"`},
		{ListOf(Prim(KindU8)), "[1, 2]", ""},
		{ListOf(Prim(KindU8)), "[]", ""},
		{ListOf(Prim(KindU8)), "[1, 2,]", "[1, 2]"},
		{ListOf(Prim(KindU8)), "[1 2]", "!expected ','"},
		{&Type{Kind: KindFixedList, Elem: Prim(KindU8), Len: 2}, "[1, 2]", ""},
		{&Type{Kind: KindFixedList, Elem: Prim(KindU8), Len: 2}, "[1]", "!expected 2 elements"},
		{TupleOf(Prim(KindU8), Prim(KindString)), `(1, "a")`, ""},
		{TupleOf(Prim(KindU8)), `(1,)`, "(1)"},
		{rec, `{name: "x", age: 3}`, ""},
		{rec, `{ age: 3, name: "x" }`, `{name: "x", age: 3}`},
		{rec, `{name: "x", age: 3, nick: some("y")}`, ""},
		{rec, `{name: "x"}`, `!missing field "age"`},
		{rec, `{name: "x", age: 3, bogus: 1}`, `!no field "bogus"`},
		{rec, `{name: "x", name: "y", age: 3}`, `!duplicate field`},
		{vr, "none-yet", ""},
		{vr, "num(-5)", ""},
		{vr, "%ok(true)", ""},
		{vr, "ok(true)", "!keyword"},
		{vr, "num", "!needs a payload"},
		{vr, "none-yet(1)", "!has no payload"},
		{en, "green", ""},
		{en, "%true", ""},
		{en, "blue", `!no case "blue"`},
		{fl, "{read, write}", ""},
		{fl, "{write, read}", "{read, write}"},
		{fl, "{}", ""},
		{fl, "{read, read}", "!duplicate flag"},
		{OptionOf(Prim(KindU8)), "some(1)", ""},
		{OptionOf(Prim(KindU8)), "none", ""},
		{OptionOf(OptionOf(Prim(KindU8))), "some(none)", ""},
		{ResultOf(Prim(KindU8), Prim(KindString)), "ok(1)", ""},
		{ResultOf(Prim(KindU8), Prim(KindString)), `err("e")`, ""},
		{ResultOf(nil, nil), "ok", ""},
		{ResultOf(nil, nil), "err", ""},
		{ResultOf(nil, Prim(KindString)), "ok", ""},
		{ResultOf(nil, Prim(KindString)), "ok(1)", "!has no payload"},
		{ListOf(Prim(KindU8)), "[1, 2] // comment", "[1, 2]"},
		{Prim(KindU8), "1 2", "!trailing"},
	}
	for _, tt := range tests {
		v, err := ParseWAVE(tt.typ, tt.in)
		if strings.HasPrefix(tt.want, "!") {
			if err == nil || !strings.Contains(err.Error(), tt.want[1:]) {
				t.Errorf("ParseWAVE(%v, %q) = %v, %v; want error containing %q", tt.typ, tt.in, v, err, tt.want[1:])
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseWAVE(%v, %q): %v", tt.typ, tt.in, err)
			continue
		}
		want := tt.want
		if want == "" {
			want = tt.in
		}
		if got := FormatWAVE(v); got != want {
			t.Errorf("FormatWAVE(ParseWAVE(%q)) = %q, want %q", tt.in, got, want)
		}
		if err := checkVal(tt.typ, v, 0); err != nil {
			t.Errorf("ParseWAVE(%q) produced an ill-typed value: %v", tt.in, err)
		}
		// The printed form parses back to the same value.
		v2, err := ParseWAVE(tt.typ, FormatWAVE(v))
		if err != nil || !v2.Equal(v) {
			t.Errorf("round trip of %q: %v, %v", tt.in, v2, err)
		}
	}
}

func TestParseWAVECall(t *testing.T) {
	ft := &FuncType{Params: []Param{{"a", Prim(KindU32)}, {"b", ListOf(Prim(KindString))}}}
	name, args, err := ParseWAVECall(ft, `wasi:foo/bar#do-it(3, ["x", "y"])`)
	if err != nil {
		t.Fatal(err)
	}
	if name != "wasi:foo/bar#do-it" || len(args) != 2 || FormatWAVE(args[1]) != `["x", "y"]` {
		t.Fatalf("got %q %v", name, args)
	}
	for _, bad := range []string{"f(3)", "f(3, [], 4)", "f", "(1, [])", `f(1, [])x`} {
		if _, _, err := ParseWAVECall(ft, bad); err == nil {
			t.Errorf("ParseWAVECall(%q) succeeded", bad)
		}
	}
	if _, args, err := ParseWAVECall(&FuncType{}, "run()"); err != nil || len(args) != 0 {
		t.Errorf("run(): %v %v", args, err)
	}
}

func FuzzParseWAVE(f *testing.F) {
	types := []*Type{
		Prim(KindString), Prim(KindChar), Prim(KindF64), Prim(KindS32),
		ListOf(TupleOf(Prim(KindU8), OptionOf(Prim(KindString)))),
		RecordOf(Field{"a", ResultOf(Prim(KindF32), nil)}, Field{"b", FlagsOf("x", "y")}),
		VariantOf(Case{"c", EnumOf("e", "f")}, Case{"d", nil}),
	}
	for _, s := range []string{`"a\u{41}"`, "'x'", "nan", "-3", `[(1, some("x")), (2, none)]`, "{a: ok(1.5), b: {x}}", "c(e)", "d"} {
		f.Add(uint8(0), s)
	}
	f.Fuzz(func(t *testing.T, ti uint8, s string) {
		typ := types[int(ti)%len(types)]
		v, err := ParseWAVE(typ, s)
		if err != nil {
			return
		}
		if err := checkVal(typ, v, 0); err != nil {
			t.Fatalf("ParseWAVE(%q) produced an ill-typed value: %v", s, err)
		}
		out := FormatWAVE(v)
		v2, err := ParseWAVE(typ, out)
		if err != nil {
			t.Fatalf("reparse of %q (from %q): %v", out, s, err)
		}
		if !v2.Equal(v) {
			t.Fatalf("round trip %q -> %q changed the value", s, out)
		}
	})
}
