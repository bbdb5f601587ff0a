package interp

import (
	"context"
	"testing"
	"time"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/text"
	"github.com/gowasm/gowasm/wasm"
)

// FuzzCompileRun checks that decoding, compiling, instantiating and
// running arbitrary modules never panics or hangs.
func FuzzCompileRun(f *testing.F) {
	for _, src := range []string{benchWAT, trapsWAT, `(module
	  (memory 1) (global $g (mut i64) (i64.const 5))
	  (func (export "f") (param i32 i64 f32 f64) (result i64)
	    (block $b (result i64)
	      (br_table $b $b (i64.const 3) (local.get 0)))
	    (global.get $g) (i64.add)
	    (i64.store offset=8 (i32.const 16) (local.get 1))
	    (i64.load (i32.const 16)) (i64.mul)))`} {
		m, err := text.ParseModule([]byte(src), "seed.wat")
		if err != nil {
			f.Fatal(err)
		}
		bin, err := binary.Encode(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bin)
	}
	f.Fuzz(func(t *testing.T, bin []byte) {
		m, err := binary.Decode(bin)
		if err != nil {
			return
		}
		cm, err := Compile(m)
		if err != nil {
			return
		}
		s := NewStore(Config{MaxMemoryPages: 16, MaxTableElems: 1 << 16, MaxCallDepth: 500})
		nop := func(ctx context.Context, args []Value) ([]Value, error) { return nil, nil }
		in, err := s.Instantiate(context.Background(), cm, func(mod, name string) Extern {
			for _, im := range m.Imports {
				if im.Module == mod && im.Name == name && im.Kind == wasm.ExternFunc {
					if ft := m.FuncTypeAt(im.Func); ft != nil && len(ft.Results) == 0 {
						return s.NewHostFunc(*ft, nop)
					}
				}
			}
			return nil
		})
		if err != nil {
			return
		}
		for _, ex := range m.Exports {
			fn, ok := in.Export(ex.Name).(*Func)
			if !ok {
				continue
			}
			args := make([]Value, len(fn.Type().Params))
			for i, p := range fn.Type().Params {
				args[i].Type = p
			}
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			fn.Call(ctx, args...)
			cancel()
		}
	})
}
