package main

import "github.com/gowasm/gowasm/wasm"

// valType returns the number type named s.
func valType(s string) wasm.ValType {
	switch s {
	case "i32":
		return wasm.I32
	case "i64":
		return wasm.I64
	case "f32":
		return wasm.F32
	}
	return wasm.F64
}
