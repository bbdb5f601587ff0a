package component

import (
	"context"
	"math/rand"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gowasm/gowasm/interp"
)

func TestDecodeErrors(t *testing.T) {
	pre := "\x00asm\x0d\x00\x01\x00"
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "bad magic"},
		{"core module", "\x00asm\x01\x00\x00\x00", "not a component"},
		{"version", "\x00asm\x0c\x00\x01\x00", "unsupported component version"},
		{"section size", pre + "\x07\x05\x01", "section 7 (type), offset 0x8: section size out of bounds"},
		{"huge count", pre + "\x07\x05\xff\xff\xff\xff\x0f", "section 7 (type)"},
		{"bad type", pre + "\x07\x02\x01\x10", "malformed type 0x10"},
		{"bad sort", pre + "\x06\x03\x01\x09\x00", "malformed sort"},
		{"trailing", pre + "\x07\x03\x01\x7f\x00", "section size mismatch"},
		{"bad label", pre + "\x07\x06\x01\x6d\x01\x02A1", ""},
		{"record no fields", pre + "\x07\x03\x01\x72\x00", "record has no fields"},
		{"empty tuple", pre + "\x07\x03\x01\x6f\x00", "tuple has no types"},
		{"flags over 32", pre + "\x07\x45\x01\x6e\x21" + strings.Repeat("\x01a", 33), "more than 32 labels"},
		{"unknown section", pre + "\x0d\x00", "unknown section id 13"},
		{"bad name", pre + "\x0a\x07\x01\x00\x03a_b\x01\x00", "invalid name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestDecodeSmall(t *testing.T) {
	// (component (type (func (param "a" u32) (param "b" u32) (result u32)))
	//   (import "ns:pkg/iface@1.0.0" (instance (export "x" (func (type 0))))))
	pre := "\x00asm\x0d\x00\x01\x00"
	typ := "\x07\x0b\x01\x40\x02\x01a\x79\x01b\x79\x00\x79"
	name := "ns:pkg/iface@1.0.0"
	inst := "\x07\x0a\x01\x42\x02\x02\x03\x02\x01\x00\x00\x00" // instance type with outer alias + export
	_ = inst
	imp := "\x0a" + string(rune(len(name)+5)) + "\x01\x00" + string(rune(len(name))) + name + "\x01\x00"
	c, err := Decode([]byte(pre + typ + imp))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Defs) != 2 {
		t.Fatalf("got %d defs", len(c.Defs))
	}
	ft := c.Defs[0].(*TypeDef).Func
	if ft == nil || len(ft.Params) != 2 || ft.Params[1].Name != "b" || ft.Result.Prim != KindU32 {
		t.Fatalf("bad func type %+v", ft)
	}
	im := c.Defs[1].(*Import)
	p, err := ParseName(im.Name.Name)
	if err != nil || p.Namespace != "ns" || p.Package != "pkg" || p.Interface != "iface" || p.Version != "1.0.0" {
		t.Fatalf("bad name %+v %v", p, err)
	}
}

func TestParseName(t *testing.T) {
	tests := []struct {
		in   string
		kind NameKind
		ok   bool
	}{
		{"run", NamePlain, true},
		{"my-func2", NamePlain, true},
		{"HTTP-get", NamePlain, true},
		{"Abc", NamePlain, false},
		{"a--b", NamePlain, false},
		{"[constructor]blob", NameConstructor, true},
		{"[method]blob.read", NameMethod, true},
		{"[static]blob.merge", NameStatic, true},
		{"[async]fetch", NamePlain, true},
		{"[async method]r.go", NameMethod, true},
		{"wasi:cli/run@0.2.0", NameInterface, true},
		{"wasi:http/types@0.3.0-rc-2025-09-16", NameInterface, true},
		{"wasi:cli/run", NameInterface, true},
		{"wasi:cli", NameInterface, false},
		{"unlocked-dep=<a:b>", NameDependency, true},
		{"[bogus]x", NamePlain, false},
	}
	for _, tt := range tests {
		p, err := ParseName(tt.in)
		if (err == nil) != tt.ok || (tt.ok && p.Kind != tt.kind) {
			t.Errorf("ParseName(%q) = %+v, %v", tt.in, p, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("\x00asm\x0d\x00\x01\x00\x07\x03\x01\x7f\x00"))
	for _, p := range []string{"runtime/adder.component.wasm", "runtime/variants.component.wasm"} {
		if b, err := os.ReadFile(sharedDir(f) + "/components/jco-fixtures/" + p); err == nil {
			f.Add(b)
		}
	}
	for _, p := range []string{"start/start.wasm", "identity/identity.wasm", "link/provider.wasm"} {
		if b, err := os.ReadFile("../testdata/components/" + p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Decode(b)
		if err == nil && c == nil {
			t.Fatal("nil component without error")
		}
		if err != nil {
			return
		}
		// Validation and the static types must not panic either.
		ct, err := c.Type()
		if err != nil {
			return
		}
		for _, n := range ct.ImportNames {
			_ = ct.Imports[n].String()
		}
		for _, n := range ct.ExportNames {
			_ = ct.Exports[n].String()
		}
	})
}

// FuzzInstantiate decodes, validates and instantiates mutated components
// and calls their exported functions with zero arguments: nothing may
// panic (Instantiate and Call report internal errors, which fail here).
func FuzzInstantiate(f *testing.F) {
	for _, p := range []string{"runtime/adder.component.wasm", "runtime/numbers.component.wasm"} {
		if b, err := os.ReadFile(sharedDir(f) + "/components/jco-fixtures/" + p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		c, err := Compile(ctx, b)
		if err != nil {
			return
		}
		l := NewLinker()
		l.DefineUnknownImportsAsTraps()
		// Bounded like an untrusted guest: mutated memory and table
		// sizes and endless loops must not stall the fuzzer.
		store := interp.NewStore(interp.Config{MaxMemoryBytes: 16 << 20, MaxTableElems: 1 << 16, Fuel: 1 << 20})
		inst, err := l.Instantiate(ctx, store, c)
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatal(err)
			}
			return
		}
		for _, n := range inst.Exports() {
			fn := inst.Func(n)
			if fn == nil {
				continue
			}
			args := make([]Val, len(fn.Type().Params))
			for i, p := range fn.Type().Params {
				if args[i], err = Zero(p.Type); err != nil {
					return
				}
			}
			if _, err := fn.Call(ctx, args...); err != nil && strings.Contains(err.Error(), "internal error") {
				t.Fatal(err)
			}
		}
	})
}

// TestMutatedComponents is a deterministic stand-in for FuzzInstantiate:
// it corrupts a few bytes of real components many times and checks that
// decoding, validation, instantiation and calls fail cleanly.
func TestMutatedComponents(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 50
	}
	for _, p := range []string{"runtime/adder.component.wasm", "runtime/records.component.wasm"} {
		orig, err := os.ReadFile(sharedDir(t) + "/components/jco-fixtures/" + p)
		if err != nil {
			t.Skip(err)
		}
		r := rand.New(rand.NewSource(1))
		for i := 0; i < n; i++ {
			b := append([]byte(nil), orig...)
			for k := 0; k < 1+r.Intn(4); k++ {
				b[r.Intn(len(b))] = byte(r.Intn(256))
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			c, err := Compile(ctx, b)
			if err == nil {
				l := NewLinker()
				l.DefineUnknownImportsAsTraps()
				var inst *Instance
				inst, err = l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
				if err == nil {
					for _, name := range inst.Exports() {
						fn := inst.Func(name)
						if fn == nil {
							continue
						}
						args := make([]Val, len(fn.Type().Params))
						ok := true
						for j, prm := range fn.Type().Params {
							if args[j], err = Zero(prm.Type); err != nil {
								ok = false
							}
						}
						if ok {
							if _, err = fn.Call(ctx, args...); err != nil && strings.Contains(err.Error(), "internal error") {
								t.Errorf("%s mutation %d: call %s: %v", p, i, name, err)
							}
						}
					}
					err = nil
				}
			}
			cancel()
			if err != nil && strings.Contains(err.Error(), "internal error") {
				t.Errorf("%s mutation %d: %v", p, i, err)
			}
		}
	}
}
