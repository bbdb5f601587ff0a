package component

import (
	"context"
	"errors"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

// stdioLinker returns a linker whose wasi:cli std streams write to the
// test log.
func stdioLinker(t *testing.T, ver string) *Linker {
	l := NewLinker()
	l.DefineUnknownImportsAsTraps()
	defineStdio(t, l, ver)
	return l
}

// defineStdio defines the wasi:cli functions of version ver that the
// tests need.
func defineStdio(t *testing.T, l *Linker, ver string) {
	stream := &Type{Kind: KindOwn}
	for i, n := range []string{"stdin", "stdout", "stderr"} {
		h := uint32(i + 1)
		l.DefineFunc("wasi:cli/"+n+"@"+ver+"#get-"+n, FuncType{Results: []Param{{"", stream}}},
			func(context.Context, []Val) ([]Val, error) { return []Val{Own(nil, h)}, nil })
	}
	l.DefineFunc("wasi:filesystem/preopens@"+ver+"#get-directories",
		FuncType{Results: []Param{{"", ListOf(TupleOf(&Type{Kind: KindOwn}, Prim(KindString)))}}},
		func(context.Context, []Val) ([]Val, error) { return []Val{List()}, nil })
	l.DefineFunc("wasi:cli/environment@"+ver+"#get-arguments", FuncType{Results: []Param{{"", ListOf(Prim(KindString))}}},
		func(context.Context, []Val) ([]Val, error) { return []Val{List(String("main"))}, nil })
	l.DefineFunc("wasi:cli/environment@"+ver+"#get-environment",
		FuncType{Results: []Param{{"", ListOf(TupleOf(Prim(KindString), Prim(KindString)))}}},
		func(context.Context, []Val) ([]Val, error) { return []Val{List()}, nil })
	for _, n := range []string{"stdin", "stdout", "stderr"} {
		l.DefineFunc("wasi:cli/terminal-"+n+"@"+ver+"#get-terminal-"+n, FuncType{Results: []Param{{"", OptionOf(&Type{Kind: KindOwn})}}},
			func(context.Context, []Val) ([]Val, error) { return []Val{None()}, nil })
	}
	errT := VariantOf(Case{"last-operation-failed", &Type{Kind: KindOwn}}, Case{"closed", nil})
	self := Param{"self", &Type{Kind: KindBorrow}}
	l.DefineFunc("wasi:io/streams@"+ver+"#[method]output-stream.check-write", FuncType{Params: []Param{self},
		Results: []Param{{"", ResultOf(Prim(KindU64), errT)}}},
		func(context.Context, []Val) ([]Val, error) { v := U64(4096); return []Val{Ok(&v)}, nil })
	l.DefineFunc("wasi:io/streams@"+ver+"#[method]output-stream.write", FuncType{Params: []Param{self, {"contents", ListOf(Prim(KindU8))}},
		Results: []Param{{"", ResultOf(nil, errT)}}},
		func(_ context.Context, args []Val) ([]Val, error) {
			b, _ := args[1].AsBytes()
			t.Logf("guest output: %s", b)
			return []Val{Ok(nil)}, nil
		})
	l.DefineFunc("wasi:io/streams@"+ver+"#[method]output-stream.blocking-flush", FuncType{Params: []Param{self},
		Results: []Param{{"", ResultOf(nil, errT)}}},
		func(context.Context, []Val) ([]Val, error) { return []Val{Ok(nil)}, nil })
	l.DefineFunc("wasi:io/streams@"+ver+"#[method]output-stream.subscribe", FuncType{Params: []Param{self},
		Results: []Param{{"", &Type{Kind: KindOwn}}}},
		func(context.Context, []Val) ([]Val, error) { return []Val{Own(nil, 1)}, nil })
	l.DefineFunc("wasi:io/poll@"+ver+"#[method]pollable.block", FuncType{Params: []Param{self}},
		func(context.Context, []Val) ([]Val, error) { return nil, nil })
	l.DefineFunc("wasi:io/streams@"+ver+"#[method]output-stream.blocking-write-and-flush",
		FuncType{Params: []Param{{"self", &Type{Kind: KindBorrow}}, {"contents", ListOf(Prim(KindU8))}},
			Results: []Param{{"", ResultOf(nil, errT)}}},
		func(_ context.Context, args []Val) ([]Val, error) {
			b := make([]byte, len(args[1].Elems()))
			for i, e := range args[1].Elems() {
				b[i] = byte(e.AsUint())
			}
			t.Logf("guest output: %s", b)
			return []Val{Ok(nil)}, nil
		})
}

// TestGuestAssertion checks that a guest's stderr output reaches a host
// function through the WASI adapter (the C guest does not implement
// list-minmax8 and fails an assertion).
func TestGuestAssertion(t *testing.T) {
	c := loadFixture(t, "lists.component.wasm")
	inst, err := stdioLinker(t, "0.2.0").Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatal(err)
	}
	f := inst.Func("test:lists/test#list-minmax8")
	_, args, err := ParseWAVECall(f.Type(), "f([0, 255], [-128, 127])")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Call(context.Background(), args...)
	var trap *interp.Trap
	if !errors.As(err, &trap) || trap.Kind != interp.TrapUnreachable {
		t.Fatalf("got %v, want an unreachable trap", err)
	}
}

// TestHostResource: a component imports resource r and [constructor]r,
// uses it and drops it; the host destructor runs.
func TestHostResource(t *testing.T) {
	c := loadFixture(t, "resource-borrow-simple.component.wasm")
	imps, err := c.Imports()
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range imps {
		if im.Desc.Func != nil {
			t.Logf("import %s: %v", im.Name, im.Desc.Func)
		}
	}
	var dropped []uint32
	rt := NewResourceType("r", func(_ context.Context, rep uint32) error {
		dropped = append(dropped, rep)
		return nil
	})
	l := NewLinker()
	l.DefineResource("r", rt)
	var borrowed []uint32
	for _, im := range imps {
		im := im
		switch im.Name {
		case "[constructor]r":
			l.DefineFunc(im.Name, *im.Desc.Func, func(context.Context, []Val) ([]Val, error) {
				return []Val{Own(rt, 42)}, nil
			})
		case "test":
			l.DefineFunc(im.Name, *im.Desc.Func, func(_ context.Context, args []Val) ([]Val, error) {
				rep, _ := args[0].Handle()
				borrowed = append(borrowed, rep)
				return nil, nil
			})
		}
	}
	inst, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Func("test-imports").Call(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(borrowed) != 1 || borrowed[0] != 42 || len(dropped) != 1 || dropped[0] != 42 {
		t.Fatalf("borrowed %v, dropped %v", borrowed, dropped)
	}
}
