package text_test

import (
	"fmt"
	"os"

	"github.com/gowasm/gowasm/text"
)

func ExampleParseModule() {
	src := []byte(`(module
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))))`)
	m, err := text.ParseModule(src, "add.wat")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("functions:", len(m.Funcs), "export:", m.Exports[0].Name)
	fmt.Printf("body: % x\n", m.Code[0].Body)

	// Errors name the file, line and column.
	_, err = text.ParseModule([]byte("(module\n  (func (i32.ad)))"), "bad.wat")
	fmt.Println(err)
	// Output:
	// functions: 1 export: add
	// body: 20 00 20 01 6a 0b
	// bad.wat:2:10: unknown operator "i32.ad"
}

func ExamplePrint() {
	m, err := text.ParseModule([]byte(`(module
  (memory 1)
  (func $inc (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add))`), "inc.wat")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := text.Print(os.Stdout, m, text.PrintOptions{}); err != nil {
		fmt.Println(err)
	}
	fmt.Println("--- folded")
	if err := text.Print(os.Stdout, m, text.PrintOptions{Folded: true}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// (module
	//   (type (;0;) (func (param i32) (result i32)))
	//   (func $inc (;0;) (type 0) (param i32) (result i32)
	//     local.get 0
	//     i32.const 1
	//     i32.add
	//   )
	//   (memory (;0;) 1))
	// --- folded
	// (module
	//   (type (;0;) (func (param i32) (result i32)))
	//   (func $inc (;0;) (type 0) (param i32) (result i32)
	//     (i32.add (local.get 0) (i32.const 1))
	//   )
	//   (memory (;0;) 1))
}
