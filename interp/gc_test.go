package interp

import (
	"context"
	"errors"
	"testing"

	"github.com/gowasm/gowasm/text"
	"github.com/gowasm/gowasm/wasm"
)

// compile3 compiles a module in the text format under the Wasm 3.0 rules.
func compile3(t *testing.T, src string) *Module {
	t.Helper()
	wm, err := text.ParseModuleOptions([]byte(src), "test.wat", text.Options{Features: wasm.Wasm3})
	if err != nil {
		t.Fatal(err)
	}
	m, err := CompileWith(wm, CompileOptions{Features: wasm.Wasm3})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func call(t *testing.T, inst *Instance, name string, args ...Value) ([]Value, error) {
	t.Helper()
	f, ok := inst.Export(name).(*Func)
	if !ok {
		t.Fatalf("no function %s", name)
	}
	return f.Call(context.Background(), args...)
}

// TestGCArrayLimit checks that array allocation is bounded by
// Config.MaxArrayElems and Config.MaxMemoryBytes.
func TestGCArrayLimit(t *testing.T) {
	m := compile3(t, `(module
  (type $a (array (mut i64)))
  (type $r (array (mut anyref)))
  (func (export "new") (param i32) (result i32) (array.len (array.new_default $a (local.get 0))))
  (func (export "newr") (param i32) (result i32) (array.len (array.new $r (ref.null any) (local.get 0)))))`)
	for _, tc := range []struct {
		cfg      Config
		fn       string
		ok, fail int32
	}{
		{Config{MaxArrayElems: 1000}, "new", 1000, 1001},
		{Config{MaxMemoryBytes: 1 << 16}, "new", 8192, 8193},
		{Config{MaxMemoryBytes: 1 << 16}, "newr", 4096, 4097},
		{Config{}, "new", 1 << 20, -1},
	} {
		inst, err := NewStore(tc.cfg).Instantiate(context.Background(), m, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := call(t, inst, tc.fn, I32(tc.ok))
		if err != nil || res[0].I32() != tc.ok {
			t.Errorf("%+v: %s(%d) = %v, %v", tc.cfg, tc.fn, tc.ok, res, err)
		}
		_, err = call(t, inst, tc.fn, I32(tc.fail))
		var tr *Trap
		if !errors.As(err, &tr) || tr.Kind != TrapAllocationTooLarge {
			t.Errorf("%+v: %s(%d): got %v, want an allocation trap", tc.cfg, tc.fn, tc.fail, err)
		}
	}
}

// TestGCFields checks packed, v128 and reference fields of structs and
// arrays, and objects handed to and back from the host.
func TestGCFields(t *testing.T) {
	m := compile3(t, `(module
  (type $s (struct (field $b (mut i8)) (field $h (mut i16)) (field $v (mut v128)) (field $r (mut (ref null $s)))))
  (type $va (array (mut v128)))
  (func (export "mk") (param i32) (result (ref $s))
    (struct.new $s (local.get 0) (local.get 0) (v128.const i64x2 1 2) (struct.new_default $s)))
  (func (export "b") (param (ref $s)) (result i32 i32)
    (struct.get_s $s $b (local.get 0)) (struct.get_u $s $b (local.get 0)))
  (func (export "h") (param (ref $s)) (result i32 i32)
    (struct.get_s $s $h (local.get 0)) (struct.get_u $s $h (local.get 0)))
  (func (export "v") (param (ref $s)) (result i64)
    (i64x2.extract_lane 1 (struct.get $s $v (local.get 0))))
  (func (export "inner") (param (ref $s)) (result i32)
    (ref.is_null (struct.get $s $r (struct.get $s $r (local.get 0)))))
  (func (export "va") (result i64) (local $a (ref null $va))
    (local.set $a (array.new_default $va (i32.const 8)))
    (array.fill $va (local.get $a) (i32.const 2) (v128.const i64x2 7 9) (i32.const 3))
    (array.copy $va $va (local.get $a) (i32.const 0) (local.get $a) (i32.const 3) (i32.const 5))
    (i64.add (i64x2.extract_lane 1 (array.get $va (local.get $a) (i32.const 1)))
             (i64x2.extract_lane 0 (array.get $va (local.get $a) (i32.const 0))))))`)
	inst, err := NewStore(Config{}).Instantiate(context.Background(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := call(t, inst, "mk", I32(0x1ff80))
	if err != nil {
		t.Fatal(err)
	}
	s, ok := res[0].Ref.(*Struct)
	if !ok {
		t.Fatalf("mk returned %T", res[0].Ref)
	}
	for _, tc := range []struct {
		fn   string
		want []int64
	}{
		{"b", []int64{-128, 128}},
		{"h", []int64{-128, 0xff80}},
		{"v", []int64{2}},
		{"inner", []int64{1}},
	} {
		res, err := call(t, inst, tc.fn, Value{Type: res[0].Type, Ref: s})
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range tc.want {
			if res[i].I64() != w && int64(res[i].I32()) != w {
				t.Errorf("%s: result %d = %v, want %d", tc.fn, i, res[i], w)
			}
		}
	}
	res, err = call(t, inst, "va")
	if err != nil || res[0].I64() != 9+7 {
		t.Errorf("va() = %v, %v; want 16", res, err)
	}
}

// TestGCLinking checks import matching with canonical types across
// modules: equivalent recursion groups match, declared subtypes match
// their supertypes, and other types do not.
func TestGCLinking(t *testing.T) {
	ctx := context.Background()
	s := NewStore(Config{})
	a, err := s.Instantiate(ctx, compile3(t, `(module
  (rec (type $n (sub (struct (field (ref null $n))))) (type $f (sub (func (param (ref null $n))))))
  (type $g (sub $f (func (param (ref null $n)))))
  (func (export "f") (type $f))
  (func (export "g") (type $g))
  (global (export "n") (ref null $n) (struct.new_default $n)))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	resolve := func(mod, name string) Extern { return a.Export(name) }
	for _, tc := range []struct {
		name, src string
		ok        bool
	}{
		{"same group", `(module
  (rec (type $n (sub (struct (field (ref null $n))))) (type $f (sub (func (param (ref null $n))))))
  (import "a" "f" (func (type $f)))
  (import "a" "g" (func (type $f)))
  (import "a" "n" (global (ref null $n))))`, true},
		{"subtype expected", `(module
  (rec (type $n (sub (struct (field (ref null $n))))) (type $f (sub (func (param (ref null $n))))))
  (type $g (sub $f (func (param (ref null $n)))))
  (import "a" "f" (func (type $g))))`, false},
		{"other group", `(module
  (rec (type $n (struct (field (ref null $n)))) (type $f (func (param (ref null $n)))))
  (import "a" "f" (func (type $f))))`, false},
		{"abstract global", `(module (import "a" "n" (global structref)))`, true},
		{"wrong global", `(module (import "a" "n" (global arrayref)))`, false},
	} {
		_, err := s.Instantiate(ctx, compile3(t, tc.src), resolve)
		var le *LinkError
		if tc.ok && err != nil || !tc.ok && !errors.As(err, &le) {
			t.Errorf("%s: got %v", tc.name, err)
		}
	}
}

// TestWasm2NonFinalTypes checks that a module built in Go whose types are
// not marked final (SubType's zero value) still links with host functions
// and passes call_indirect under the Wasm 2.0 rules, where every type is
// final.
func TestWasm2NonFinalTypes(t *testing.T) {
	ft := wasm.FuncType{Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32}}
	wm := &wasm.Module{
		Types:   []wasm.SubType{{Comp: wasm.CompType{Kind: wasm.CompFunc, Func: ft}}},
		Imports: []wasm.Import{{Module: "env", Name: "f", Kind: wasm.ExternFunc, Func: 0}},
		Exports: []wasm.Export{{Name: "f", Kind: wasm.ExternFunc, Index: 0}},
	}
	m, err := Compile(wm)
	if err != nil {
		t.Fatal(err)
	}
	s := NewStore(Config{})
	host := s.NewHostFunc(ft, func(ctx context.Context, args []Value) ([]Value, error) { return args, nil })
	if _, err := s.Instantiate(context.Background(), m, func(string, string) Extern { return host }); err != nil {
		t.Fatal(err)
	}
}
