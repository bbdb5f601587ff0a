package interp

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/gowasm/gowasm/text"
	"github.com/gowasm/gowasm/wasm"
)

const lazyWAT = `(module
  (table 2 funcref)
  (elem (i32.const 0) $sq $fib)
  (type $t (func (param i32) (result i32)))
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect (type $t) (local.get 0) (local.get 1)))
  (func (export "tail") (param i32) (result i32)
    (return_call $sq (local.get 0)))
  (func (export "unused") (result i32) (i32.const 7)))`

// TestLazyTranslation checks that functions are translated on their first
// call (directly, through a table, by a tail call) and not before.
func TestLazyTranslation(t *testing.T) {
	m := compileWAT(t, lazyWAT)
	for i := range m.codes {
		if m.codes[i].Load() != nil {
			t.Fatalf("func %d translated by Compile", i)
		}
	}
	s := NewStore(Config{})
	in, err := s.Instantiate(context.Background(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	call := func(name string, want int32, args ...Value) {
		t.Helper()
		res, err := in.Export(name).(*Func).Call(context.Background(), args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := res[0].I32(); got != want {
			t.Fatalf("%s: got %d, want %d", name, got, want)
		}
	}
	call("fib", 55, I32(10))
	call("indirect", 49, I32(7), I32(0))
	call("indirect", 8, I32(6), I32(1))
	call("tail", 81, I32(9))
	for i, want := range []bool{true, true, true, true, false} {
		if got := m.codes[i].Load() != nil; got != want {
			t.Errorf("func %d: translated %v, want %v", i, got, want)
		}
	}
	// A second store sees the same code.
	s2 := NewStore(Config{})
	in2, err := s2.Instantiate(context.Background(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in2.Export("fib").(*Func).Call(context.Background(), I32(3)); err != nil {
		t.Fatal(err)
	}
	if in2.funcs[1].code != in.funcs[1].code {
		t.Error("stores do not share the translated code")
	}
	if err := m.translateAll(); err != nil {
		t.Fatal(err)
	}
}

// TestLazyConcurrent runs a shared Module in many stores at once (run it
// with -race): translation on first call must be safe.
func TestLazyConcurrent(t *testing.T) {
	m := compileWAT(t, lazyWAT)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := NewStore(Config{})
			in, err := s.Instantiate(context.Background(), m, nil)
			if err != nil {
				errs <- err
				return
			}
			names := []string{"fib", "tail", "indirect", "unused"}
			for k := range 4 {
				name := names[(g+k)%4]
				args := map[string][]Value{"fib": {I32(12)}, "tail": {I32(5)}, "indirect": {I32(3), I32(1)}}[name]
				if _, err := in.Export(name).(*Func).Call(context.Background(), args...); err != nil {
					errs <- fmt.Errorf("%s: %w", name, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestEagerTranslation checks that a function whose frame might not fit
// is translated by Compile, so that the error comes from there.
func TestEagerTranslation(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		wantErr string // "" : compiles, and the function is translated
	}{
		{"too many locals", `(module (func (local ` + strings.Repeat("i64 ", 70000) + `)))`, "too many locals"},
		{"frame too large", `(module (func (local ` + strings.Repeat("i32 ", 49990) + `) ` + strings.Repeat("(i32.eqz (local.get 0)) ", 16000) + strings.Repeat("(drop) ", 16000) + `))`, "frame too large"},
		{"many v128 locals", `(module (func (local ` + strings.Repeat("v128 ", 33000) + `)))`, ""},
		{"big body", `(module (func (result i32) ` + strings.Repeat("(i32.const 1) ", 17000) + strings.Repeat("(i32.add) ", 16999) + `))`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wm, err := text.ParseModule([]byte(tt.src), "test.wat")
			if err != nil {
				t.Fatal(err)
			}
			m, err := Compile(wm)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want an error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.codes[0].Load() == nil {
				t.Fatal("function not translated by Compile")
			}
		})
	}
}

func TestMayOverflowFrame(t *testing.T) {
	if mayOverflowFrame(100, 1000, 2) {
		t.Error("small function")
	}
	if !mayOverflowFrame(65000, 1000, 2) || !mayOverflowFrame(0, 40000, 2) || !mayOverflowFrame(0, 400, 200) {
		t.Error("large function")
	}
	if !mayOverflowFrame(1<<40, 0, 2) {
		t.Error("huge locals")
	}
}

// TestLazyWasm3 checks that under Wasm 3.0 rules functions stay lazy
// unless they may hold an instruction the engine may not run (prefix
// 0xFD: relaxed SIMD). GC and legacy exception instructions are run, so
// they stay lazy.
func TestLazyWasm3(t *testing.T) {
	wm, err := text.ParseModuleOptions([]byte(`(module
  (tag $t)
  (func (export "f") (result i32) (i32.const 1))
  (func (export "g") (result i32) (i31.get_s (ref.i31 (i32.const -1))))
  (func (export "h") (result i32) (try (result i32) (do (throw $t)) (catch_all (i32.const 7))))
  (func (drop (i8x16.splat (i32.const 1)))))`), "test.wat", text.Options{Features: wasm.Wasm3})
	if err != nil {
		t.Skipf("text format: %v", err)
	}
	for i, want := range []bool{false, false, false, true} {
		if mayBeUnsupported(wm, wm.Code[i].Body) != want {
			t.Errorf("mayBeUnsupported(func[%d]) = %v", i, !want)
		}
	}
	m, err := CompileWith(wm, CompileOptions{Features: wasm.Wasm3})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if m.codes[i].Load() != nil {
			t.Errorf("func[%d] translated by Compile", i)
		}
	}
	if m.codes[3].Load() == nil {
		t.Error("func[3] not translated by Compile")
	}
	inst, err := NewStore(Config{}).Instantiate(context.Background(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := inst.Export("g").(*Func).Call(context.Background())
	if err != nil || len(res) != 1 || res[0].I32() != -1 {
		t.Errorf("g() = %v, %v; want -1", res, err)
	}
	res, err = inst.Export("h").(*Func).Call(context.Background())
	if err != nil || len(res) != 1 || res[0].I32() != 7 {
		t.Errorf("h() = %v, %v; want 7", res, err)
	}
}
