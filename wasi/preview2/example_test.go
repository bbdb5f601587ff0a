package preview2_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasi/preview1"
	"github.com/gowasm/gowasm/wasi/preview2"
)

// Example runs a wasi:cli/run command component with the WASIp2 host, as
// gowasm run does: arguments, environment, stdio and a preopened
// directory, then the guest's exit status.
func Example() {
	ctx := context.Background()
	b, err := os.ReadFile("app.component.wasm")
	if err != nil {
		log.Fatal(err)
	}
	c, err := component.Compile(ctx, b)
	if err != nil {
		log.Fatal(err)
	}
	data, err := preview1.DirFS("data")
	if err != nil {
		log.Fatal(err)
	}
	h := preview2.NewHost(preview2.Config{
		Args:     []string{"app", "--verbose"},
		Env:      []string{"HOME=/data"},
		Stdin:    os.Stdin,
		Stdout:   os.Stdout,
		Stderr:   os.Stderr,
		Preopens: []preview1.Preopen{{GuestPath: "/data", FS: data}},
	})
	defer h.Close()
	l := component.NewLinker()
	if err := h.Define(l); err != nil {
		log.Fatal(err)
	}
	// Imports of WASI interfaces the host lacks (wasi:http...) fail when
	// called instead of failing to link.
	if _, err := preview2.DefineUnsupported(l, c); err != nil {
		log.Fatal(err)
	}
	inst, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
	if err != nil {
		log.Fatal(err)
	}
	err = preview2.Run(ctx, inst)
	var exit *preview2.ExitError
	switch {
	case err == nil:
		fmt.Println("success")
	case errors.As(err, &exit):
		fmt.Println("exit status", exit.Code)
	default:
		fmt.Println("trap:", err)
	}
}
