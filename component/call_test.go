package component

import (
	"context"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

// instantiateFixture instantiates a runtime fixture with unknown imports
// trapping.
func instantiateFixture(t *testing.T, name string) *Instance {
	t.Helper()
	c := loadFixture(t, name)
	l := NewLinker()
	l.DefineUnknownImportsAsTraps()
	inst, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func TestCallFixtures(t *testing.T) {
	tests := []struct {
		fixture, fn, call, want string
	}{
		{"adder.component.wasm", "docs:adder/add@0.1.0#add", "add(1, 2)", "3"},
		{"asmjs_bigint.component.wasm", "add", "add(-5, 9007199254740993)", "9007199254740988"},
		{"numbers.component.wasm", "test:numbers/test#roundtrip-u8", "f(255)", "255"},
		{"numbers.component.wasm", "test:numbers/test#roundtrip-s8", "f(-128)", "-128"},
		{"numbers.component.wasm", "test:numbers/test#roundtrip-u16", "f(65535)", "65535"},
		{"numbers.component.wasm", "test:numbers/test#roundtrip-s16", "f(-32768)", "-32768"},
		{"numbers.component.wasm", "test:numbers/test#roundtrip-u32", "f(4294967295)", "4294967295"},
		{"numbers.component.wasm", "test:numbers/test#roundtrip-s32", "f(-2147483648)", "-2147483648"},
		{"numbers.component.wasm", "test:numbers/test#roundtrip-u64", "f(18446744073709551615)", "18446744073709551615"},
		{"numbers.component.wasm", "test:numbers/test#roundtrip-s64", "f(-9223372036854775808)", "-9223372036854775808"},
		{"numbers.component.wasm", "test:numbers/test#roundtrip-f32", "f(1.5)", "1.5"},
		{"numbers.component.wasm", "test:numbers/test#roundtrip-f32", "f(nan)", "nan"},
		{"numbers.component.wasm", "test:numbers/test#roundtrip-f64", "f(-inf)", "-inf"},
		{"numbers.component.wasm", "test:numbers/test#roundtrip-char", "f('🚀')", "'🚀'"},
		{"lists.component.wasm", "test:lists/test#list-roundtrip", "f([1, 2, 3])", "[1, 2, 3]"},
		{"lists.component.wasm", "test:lists/test#string-roundtrip", `f("héllo\n")`, `"héllo\n"`},
		{"lists.component.wasm", "test:lists/test#list-result3", "f()", `["hello,", "world!"]`},
		{"lists.component.wasm", "test:lists/test#empty-list-result", "f()", "[]"},
		{"lists.component.wasm", "test:lists/test#list-result2", "f()", `"hello!"`},
		{"options.component.wasm", "test:options/test#option-roundtrip", `f(some("x"))`, `some("x")`},
		{"options.component.wasm", "test:options/test#option-roundtrip", `f(none)`, `none`},
		{"options.component.wasm", "test:options/test#double-option-roundtrip", `f(some(none))`, `some(none)`},
		{"options.component.wasm", "test:options/test#double-option-roundtrip", `f(some(some(42)))`, `some(some(42))`},
		{"options.component.wasm", "test:options/test#option-some-result", `f()`, `some("foo")`},
		{"records.component.wasm", "test:records/test#multiple-results", "f()", "(100, 200)"},
		{"records.component.wasm", "test:records/test#swap-tuple", "f((1, 2))", "(2, 1)"},
		{"records.component.wasm", "test:records/test#roundtrip-flags1", "f({a, b})", "{a, b}"},
		{"records.component.wasm", "test:records/test#roundtrip-flags2", "f({d})", "{d}"},
		{"records.component.wasm", "test:records/test#roundtrip-flags3", "f({b0, b7}, {b8, b15}, {b31})", "({b0, b7}, {b8, b15}, {b31})"},
		{"records.component.wasm", "test:records/test#roundtrip-record1", "f({a: 8, b: {b}})", "{a: 8, b: {b}}"},
		{"records.component.wasm", "test:records/test#tuple1", "f((1,))", "(1)"},
		{"flavorful.component.wasm", "test:flavorful/test#f-list-in-record3", `f({a: "list_in_record3 input"})`, `{a: "list_in_record3 output"}`},
		{"flavorful.component.wasm", "test:flavorful/test#f-list-in-variant3", `f(some("input3"))`, `some("output3")`},
		{"flavorful.component.wasm", "test:flavorful/test#errno-result", `f()`, `err(b)`},
		{"flavorful.component.wasm", "test:flavorful/test#list-typedefs", `f("typedef1", ["typedef2"])`, `([116, 121, 112, 101, 100, 101, 102, 51], ["typedef4"])`},
		{"variants.component.wasm", "test:variants/test#roundtrip-option", "f(some(1.5))", "some(1)"},
		{"variants.component.wasm", "test:variants/test#roundtrip-option", "f(none)", "none"},
		{"variants.component.wasm", "test:variants/test#roundtrip-result", "f(ok(2))", "ok(2)"},
		{"variants.component.wasm", "test:variants/test#roundtrip-result", "f(err(4.5))", "err(4)"},
		{"variants.component.wasm", "test:variants/test#roundtrip-enum", "f(b)", "b"},
		{"variants.component.wasm", "test:variants/test#invert-bool", "f(true)", "false"},
		{"variants.component.wasm", "test:variants/test#variant-casts", "f((a(1), b(2.5), b(-3.25), a(-4), b(1e30), a(0.5)))", "(a(1), b(2.5), b(-3.25), a(-4), b(1000000000000000000000000000000), a(0.5))"},
		{"variants.component.wasm", "test:variants/test#variant-zeros", "f((b, a(0), b, a(0)))", "(b, a(0), b, a(0))"},
		{"strings.component.wasm", "roundtrip", `f("héllo 🚀")`, `"héllo 🚀"`},
		{"strings.component.wasm", "return-empty", `f()`, `""`},
		{"versions.component.wasm", "test:dep/test@0.2.0#z", "f(1.5, 2)", "5.5"},
	}
	insts := map[string]*Instance{}
	for _, tt := range tests {
		t.Run(tt.fn+"/"+tt.call, func(t *testing.T) {
			inst := insts[tt.fixture]
			if inst == nil {
				inst = instantiateFixture(t, tt.fixture)
				insts[tt.fixture] = inst
			}
			f := inst.Func(tt.fn)
			if f == nil {
				t.Fatalf("no export %s in %v", tt.fn, inst.Exports())
			}
			_, args, err := ParseWAVECall(f.Type(), tt.call)
			if err != nil {
				t.Fatal(err)
			}
			res, err := f.Call(context.Background(), args...)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			if len(res) == 1 {
				got = FormatWAVE(res[0])
			} else {
				s := make([]string, len(res))
				for i, r := range res {
					s[i] = FormatWAVE(r)
				}
				got = "(" + strings.Join(s, ", ") + ")"
			}
			if got != tt.want {
				t.Errorf("%s = %s, want %s", tt.call, got, tt.want)
			}
		})
	}
}

func TestBytesFastPath(t *testing.T) {
	inst := instantiateFixture(t, "lists.component.wasm")
	f := inst.Func("test:lists/test#list-roundtrip")
	in := make([]byte, 100000)
	for i := range in {
		in[i] = byte(i * 7)
	}
	res, err := f.Call(context.Background(), Bytes(in))
	if err != nil {
		t.Fatal(err)
	}
	out, ok := res[0].AsBytes()
	if !ok || string(out) != string(in) {
		t.Fatalf("round trip of %d bytes failed", len(in))
	}
	if !res[0].Equal(Bytes(in)) || !List(U8(1), U8(2)).Equal(Bytes([]byte{1, 2})) || FormatWAVE(Bytes([]byte{1, 2})) != "[1, 2]" {
		t.Fatal("compact and expanded lists differ")
	}
}
