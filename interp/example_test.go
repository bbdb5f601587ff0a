package interp_test

import (
	"context"
	"fmt"
	"log"

	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/text"
)

// A module that imports a host function, keeps a string in its memory and
// exports a function that calls the host.
const exampleWAT = `(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello, gowasm")
  (func (export "run") (param i32) (result i32)
    (call $add (local.get 0) (i32.const 1000))))`

// Example compiles a module once, instantiates it with a host function
// written in Go, calls an export and reads the instance's memory.
func Example() {
	ctx := context.Background()
	m, err := text.ParseModule([]byte(exampleWAT), "example.wat")
	if err != nil {
		log.Fatal(err)
	}
	compiled, err := interp.Compile(m) // immutable, shareable between goroutines
	if err != nil {
		log.Fatal(err)
	}

	store := interp.NewStore(interp.Config{MaxMemoryPages: 16})
	var linker interp.Linker
	add := interp.Func2(store, func(ctx context.Context, c *interp.Caller, a, b int32) (int32, error) {
		return a + b, nil
	})
	if err := linker.Define("env", "add", add); err != nil {
		log.Fatal(err)
	}
	inst, err := linker.Instantiate(ctx, store, compiled)
	if err != nil {
		log.Fatal(err)
	}

	run := inst.Export("run").(*interp.Func)
	results, err := run.Call(ctx, interp.I32(42))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("run(42) =", results[0].I32())

	mem := inst.Export("memory").(*interp.Memory)
	fmt.Printf("memory[16:29] = %q\n", mem.Bytes()[16:29])
	// Output:
	// run(42) = 1042
	// memory[16:29] = "hello, gowasm"
}

// ExampleTrap shows a guest trap coming back as *interp.Trap with its kind
// and a wasm backtrace.
func ExampleTrap() {
	m, err := text.ParseModule([]byte(`(module
  (func $inner (result i32) (i32.div_s (i32.const 1) (i32.const 0)))
  (func (export "outer") (result i32) (call $inner)))`), "trap.wat")
	if err != nil {
		log.Fatal(err)
	}
	compiled, err := interp.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	inst, err := interp.NewStore(interp.Config{}).Instantiate(context.Background(), compiled, nil)
	if err != nil {
		log.Fatal(err)
	}
	_, err = inst.Export("outer").(*interp.Func).Call(context.Background())
	if trap, ok := err.(*interp.Trap); ok {
		fmt.Println(trap.Kind == interp.TrapIntegerDivideByZero)
		fmt.Printf("%q %q\n", trap.Backtrace[0].FuncName, trap.Backtrace[1].FuncName)
	}
	// Output:
	// true
	// "inner" ""
}
