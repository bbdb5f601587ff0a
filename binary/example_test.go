package binary_test

import (
	"fmt"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/wasm"
)

// A module that exports a function "add" of type [i32 i32] -> [i32].
var addModule = []byte{
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
	0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, // type section
	0x03, 0x02, 0x01, 0x00, // function section
	0x07, 0x07, 0x01, 0x03, 'a', 'd', 'd', 0x00, 0x00, // export section
	0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, // code section
}

func ExampleDecode() {
	m, err := binary.Decode(addModule)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("types:", len(m.Types), "functions:", len(m.Funcs))
	fmt.Println("export:", m.Exports[0].Name)

	// Function bodies stay in the binary format; walk them with ReadInstr.
	r := binary.NewReader(m.Code[0].Body, m.Code[0].BodyOffset)
	for r.Len() > 0 {
		in, err := binary.ReadInstr(r)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(in.Op)
	}

	// Errors name the section, function and offset.
	_, err = binary.Decode(addModule[:len(addModule)-1])
	fmt.Println(err)
	// Output:
	// types: 1 functions: 1
	// export: add
	// local.get
	// local.get
	// i32.add
	// end
	// binary: section 10 (code), offset 0x20: length out of bounds
}

func ExampleEncode() {
	m := &wasm.Module{}
	b, err := binary.Encode(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("% x\n", b)

	// Encoding a decoded module gives the same bytes back.
	m, err = binary.Decode(addModule)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err = binary.Encode(m)
	fmt.Println(string(b) == string(addModule), err)
	// Output:
	// 00 61 73 6d 01 00 00 00
	// true <nil>
}
