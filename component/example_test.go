package component_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"log"
	"os"

	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/interp"
)

// squareWasm is a component that imports a function mul and exports
// square, which calls mul(x, x) (made with jco parse from this text):
//
//	(component
//	  (import "mul" (func (param "a" s32) (param "b" s32) (result s32)))
//	  (core func (canon lower (func 0)))
//	  (core module
//	    (import "host" "mul" (func (param i32 i32) (result i32)))
//	    (func (export "square") (param i32) (result i32)
//	      (call 0 (local.get 0) (local.get 0))))
//	  (core instance (export "mul" (func 0)))
//	  (core instance (instantiate 0 (with "host" (instance 0))))
//	  (func (export "square") (param "x" s32) (result s32)
//	    (canon lift (core func 1 "square"))))
var squareWasm, _ = hex.DecodeString("" +
	"0061736d0d000100070b01400201617a01627a007a0a080100036d756c0100080501010000000140" +
	"0061736d01000000010c0260027f7f017f60017f017f020c0104686f7374036d756c000003020101" +
	"070a010673717561726500010a0a0108002000200010000b0213020101036d756c00000000010468" +
	"6f73741200070801400101787a007a060c01000001010673717561726508060100000100010b0c01" +
	"0006737175617265010100")

// compileFile compiles the component in file.
func compileFile(file string) *component.Component {
	b, err := os.ReadFile(file)
	if err != nil {
		log.Fatal(err)
	}
	c, err := component.Compile(context.Background(), b)
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// Compile a component, instantiate it and call its exported function
// add: func(x: s32, y: s32) -> s32.
func Example() {
	ctx := context.Background()
	b, err := os.ReadFile("../testdata/components/adder-wat.component.wasm")
	if err != nil {
		log.Fatal(err)
	}
	c, err := component.Compile(ctx, b)
	if err != nil {
		log.Fatal(err)
	}
	inst, err := component.NewLinker().Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err != nil {
		log.Fatal(err)
	}
	add := inst.Func("add")
	res, err := add.Call(ctx, component.S32(40), component.S32(2))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(add.Type())
	fmt.Println(res[0].AsInt())
	// Output:
	// func(x: s32, y: s32) -> s32
	// 42
}

// List what a component imports and exports, with the types, without
// instantiating it.
func ExampleComponent_Imports() {
	c, err := component.Compile(context.Background(), squareWasm)
	if err != nil {
		log.Fatal(err)
	}
	imps, err := c.Imports()
	if err != nil {
		log.Fatal(err)
	}
	for _, im := range imps {
		fmt.Printf("import %s: %v\n", im.Name, im.Desc)
	}
	exps, err := c.Exports()
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range exps {
		fmt.Printf("export %s: %v\n", e.Name, e.Desc)
	}
	// Output:
	// import mul: func(a: s32, b: s32) -> s32
	// export square: func(x: s32) -> s32
}

// An exported interface is an instance: its functions and their types.
func ExampleComponent_Exports() {
	c := compileFile("../testdata/components/interfaced-adder.component.wasm")
	exps, err := c.Exports()
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range exps {
		fmt.Printf("%s: %v\n", e.Name, e.Desc)
		if it := e.Desc.Instance; it != nil {
			for _, n := range it.Names {
				if f := it.Exports[n].Func; f != nil {
					fmt.Printf("  %s#%s takes %d parameters\n", e.Name, n, len(f.Params))
				}
			}
		}
	}
	// Output:
	// wasi-mindmap:interfaced-adder/add: instance { add: func(a: s32, b: s32) -> s32 }
	//   wasi-mindmap:interfaced-adder/add#add takes 2 parameters
}

// After instantiation, the functions of an exported interface are named
// "interface#function".
func ExampleInstance_Exports() {
	ctx := context.Background()
	c := compileFile("../testdata/components/interfaced-adder.component.wasm")
	inst, err := component.NewLinker().Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(inst.Exports())
	res, err := inst.Func("wasi-mindmap:interfaced-adder/add#add").Call(ctx, component.S32(2), component.S32(3))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res[0])
	// Output:
	// [wasi-mindmap:interfaced-adder/add wasi-mindmap:interfaced-adder/add#add]
	// 5
}

// A host function with its component type given explicitly, here the
// type the component imports it with, and dynamic values.
func ExampleLinker_DefineFunc() {
	ctx := context.Background()
	c, err := component.Compile(ctx, squareWasm)
	if err != nil {
		log.Fatal(err)
	}
	imps, err := c.Imports()
	if err != nil {
		log.Fatal(err)
	}
	l := component.NewLinker()
	for _, im := range imps {
		if im.Name == "mul" {
			err := l.DefineFunc("mul", *im.Desc.Func, func(_ context.Context, args []component.Val) ([]component.Val, error) {
				fmt.Println("host mul called with", args[0], args[1])
				return []component.Val{component.S32(int32(args[0].AsInt() * args[1].AsInt()))}, nil
			})
			if err != nil {
				log.Fatal(err)
			}
		}
	}
	inst, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err != nil {
		log.Fatal(err)
	}
	res, err := inst.Func("square").Call(ctx, component.S32(-7))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res[0])
	// Output:
	// host mul called with -7 -7
	// 49
}

// A typed host function: its component type, func(a: s32, b: s32) ->
// s32, comes from the Go types.
func ExampleDefineFunc2() {
	ctx := context.Background()
	c, err := component.Compile(ctx, squareWasm)
	if err != nil {
		log.Fatal(err)
	}
	l := component.NewLinker()
	err = component.DefineFunc2(l, "mul", func(_ context.Context, a, b int32) (int32, error) {
		return a * b, nil
	})
	if err != nil {
		log.Fatal(err)
	}
	inst, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err != nil {
		log.Fatal(err)
	}
	res, err := inst.Func("square").Call(ctx, component.S32(12))
	if err != nil {
		log.Fatal(err)
	}
	n, err := component.ValAs[int32](res[0])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n)
	// Output:
	// 144
}

// Call a function from a call written in WAVE, as a command line would,
// and print the result in WAVE.
func ExampleParseWAVECall() {
	ctx := context.Background()
	c := compileFile("../testdata/components/adder-wat.component.wasm")
	inst, err := component.NewLinker().Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err != nil {
		log.Fatal(err)
	}
	exps, err := c.Exports()
	if err != nil {
		log.Fatal(err)
	}
	name, args, err := component.ParseWAVECall(exps[0].Desc.Func, "add(-5, 2)")
	if err != nil {
		log.Fatal(err)
	}
	res, err := inst.Func(name).Call(ctx, args...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s(%s, %s) = %s\n", name, component.FormatWAVE(args[0]), component.FormatWAVE(args[1]), component.FormatWAVE(res[0]))
	_, _, err = component.ParseWAVECall(exps[0].Desc.Func, `add(1, "two")`)
	fmt.Println(err != nil)
	// Output:
	// add(-5, 2) = -3
	// true
}

// Values of any type in their WAVE text form. (A record field whose
// value is none is left out, as WAVE allows.)
func ExampleFormatWAVE() {
	point := component.RecordOf(
		component.Field{Name: "x", Type: component.Prim(component.KindS32)},
		component.Field{Name: "label", Type: component.OptionOf(component.Prim(component.KindString))})
	v, err := component.ParseWAVE(component.ListOf(point), `[{x: 1, label: some("a")}, {x: -2, label: none}]`)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(component.FormatWAVE(v))
	fmt.Println(component.FormatWAVE(component.Tuple(component.U8(7), component.String("hi\n"), component.Enum("red"))))
	// Output:
	// [{x: 1, label: some("a")}, {x: -2}]
	// (7, "hi\n", red)
}
