package wasm_test

import (
	"fmt"

	"github.com/gowasm/gowasm/wasm"
)

func ExampleLookupOpcode() {
	op, ok := wasm.LookupOpcode("i32.add")
	fmt.Println(op == wasm.OpI32Add, ok)

	_, ok = wasm.LookupOpcode("i32.plus")
	fmt.Println(ok)
	// Output:
	// true true
	// false
}

func ExampleOpcode_Info() {
	for _, op := range []wasm.Opcode{wasm.OpI32Add, wasm.OpF64Load, wasm.OpI64TruncF32S} {
		info := op.Info()
		fmt.Println(op, info.Params, "->", info.Results)
	}
	// Unknown opcodes have no information.
	fmt.Println(wasm.PrefixedOp(0xFC, 0x7FFF).Info() == nil)
	// Output:
	// i32.add [i32 i32] -> [i32]
	// f64.load [i32] -> [f64]
	// i64.trunc_f32_s [f32] -> [i64]
	// true
}
