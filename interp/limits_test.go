package interp

import (
	"context"
	"errors"
	"testing"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/text"
)

// TestHostileGuests checks that each limit of Config stops a guest that
// would otherwise run or grow forever, with the host alive and a clear
// trap.
func TestHostileGuests(t *testing.T) {
	const src = `(module
  (memory 1)
  (table 1 funcref)
  (func (export "spin") (loop (br 0)))
  (func $rec (export "recurse") (param i32) (result i32)
    (call $rec (i32.add (local.get 0) (i32.const 1))))
  (func (export "grow-memory") (result i32)
    (loop (br_if 0 (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (memory.size))
  (func (export "grow-table") (result i32)
    (loop (br_if 0 (i32.ne (table.grow (ref.null func) (i32.const 1000)) (i32.const -1))))
    (table.size)))`
	tests := []struct {
		name   string
		cfg    Config
		export string
		args   []Value
		want   TrapKind // 0: no trap, check result
		result int32
	}{
		{name: "fuel stops a loop", cfg: Config{Fuel: 100_000}, export: "spin", want: TrapOutOfFuel},
		{name: "fuel stops recursion", cfg: Config{Fuel: 500, MaxCallDepth: 1 << 20}, export: "recurse", args: []Value{I32(0)}, want: TrapOutOfFuel},
		{name: "call depth", cfg: Config{MaxCallDepth: 1000}, export: "recurse", args: []Value{I32(0)}, want: TrapStackExhausted},
		{name: "memory cap", cfg: Config{MaxMemoryPages: 64}, export: "grow-memory", result: 64},
		{name: "table cap", cfg: Config{MaxTableElems: 5001}, export: "grow-table", result: 5001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewStore(tt.cfg)
			in, err := s.Instantiate(context.Background(), compileWAT(t, src), nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := in.Export(tt.export).(*Func).Call(context.Background(), tt.args...)
			if tt.want != 0 {
				var tr *Trap
				if !errors.As(err, &tr) || tr.Kind != tt.want {
					t.Fatalf("got %v, want trap %v", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := res[0].I32(); got != tt.result {
				t.Fatalf("got %d, want %d", got, tt.result)
			}
		})
	}
}

// TestFuelAccounting checks that fuel is consumed per loop iteration and
// call, refunded when unused, and can be topped up.
func TestFuelAccounting(t *testing.T) {
	s := NewStore(Config{Fuel: 10_000})
	in, err := s.Instantiate(context.Background(), compileWAT(t, `(module
  (func (export "count") (param i32)
    (loop (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	count := in.Export("count").(*Func)
	if _, err := count.Call(context.Background(), I32(1000)); err != nil {
		t.Fatal(err)
	}
	left, metered := s.Fuel()
	if !metered || left < 8_900 || left > 9_100 {
		t.Fatalf("fuel left %d (metered %v), want about 9000", left, metered)
	}
	if _, err := count.Call(context.Background(), I32(20_000)); err == nil {
		t.Fatal("expected to run out of fuel")
	}
	s.SetFuel(50_000)
	if _, err := count.Call(context.Background(), I32(20_000)); err != nil {
		t.Fatalf("after refuelling: %v", err)
	}
}

// TestMaxMemoryBytes checks the byte cap and CompileBinary.
func TestMaxMemoryBytes(t *testing.T) {
	m, err := text.ParseModule([]byte(`(module (memory 1)
  (func (export "grow") (result i32)
    (loop (br_if 0 (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (memory.size)))`), "grow.wat")
	if err != nil {
		t.Fatal(err)
	}
	wasmBytes, err := binary.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	cm, err := CompileBinary(context.Background(), wasmBytes)
	if err != nil {
		t.Fatal(err)
	}
	s := NewStore(Config{MaxMemoryBytes: 1 << 20, MaxMemoryPages: 100})
	in, err := s.Instantiate(context.Background(), cm, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := in.Export("grow").(*Func).Call(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := res[0].I32(); got != 16 {
		t.Fatalf("memory grew to %d pages, want 16 (1 MiB)", got)
	}
	if _, err := CompileBinary(context.Background(), wasmBytes[:20]); err == nil {
		t.Fatal("a truncated module compiled")
	}
}
