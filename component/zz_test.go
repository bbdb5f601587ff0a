package component

import (
	"context"
	"math/rand"
	"os"
	"testing"
	"time"

	"github.com/gowasm/gowasm/interp"
)

func TestZZMutate(t *testing.T) {
	orig, _ := os.ReadFile(sharedDir(t) + "/components/jco-fixtures/runtime/adder.component.wasm")
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 300; i++ {
		b := append([]byte(nil), orig...)
		for k := 0; k < 1+r.Intn(4); k++ {
			b[r.Intn(len(b))] = byte(r.Intn(256))
		}
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		c, err := Compile(ctx, b)
		d1 := time.Since(start)
		if err == nil {
			l := NewLinker()
			l.DefineUnknownImportsAsTraps()
			_, err = l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
		}
		cancel()
		if d := time.Since(start); d > 200*time.Millisecond {
			t.Logf("iter %d: %v (compile %v): %v", i, d, d1, err)
		}
	}
}
