package validate_test

import (
	"errors"
	"fmt"

	"github.com/gowasm/gowasm/text"
	"github.com/gowasm/gowasm/validate"
)

func ExampleModule() {
	ok, err := text.ParseModule([]byte(`(module
  (func (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))`), "ok.wat")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(validate.Module(ok))

	// The function returns an i64 where its type says i32.
	bad, err := text.ParseModule([]byte(`(module
  (func (result i32) (i64.const 1)))`), "bad.wat")
	if err != nil {
		fmt.Println(err)
		return
	}
	err = validate.Module(bad)
	fmt.Println(err)
	var verr *validate.Error
	if errors.As(err, &verr) {
		fmt.Println("function", verr.Func, "offset", verr.Offset)
	}
	// Output:
	// <nil>
	// validate: function 0, offset 0x2: type mismatch: expected i32, got i64
	// function 0 offset 2
}
