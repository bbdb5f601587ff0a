package preview2

import (
	"context"
	"io"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gowasm/gowasm/component"
)

// TestNoPanics calls every host function with arguments a guest may
// pass, valid or not: handles the host knows, stale ones, ones of
// another resource, numbers at the ends of their ranges, big lists. No
// call may panic, and each returns in time (blocking calls end with the
// call's context).
func TestNoPanics(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	h, r := testHost(t, Config{Stdin: pr, Args: []string{"x"}, Env: []string{"A=B"}})
	ctx := context.Background()
	// Live handles of every kind, and one dropped.
	live := map[*component.ResourceType][]uint32{}
	for _, v := range []component.Val{
		h.newInputStream(strings.NewReader("data")), h.newInputStream(h.io.stdin),
		h.newOutputStream(io.Discard), h.newOutputStream(failWriter{}),
		h.newPollable(&pollable{}), h.newPollable(&pollable{deadline: time.Now().Add(time.Hour)}),
		h.newError(io.ErrUnexpectedEOF),
	} {
		rep, rt := v.Handle()
		live[rt] = append(live[rt], rep)
	}
	dropped := h.newPollable(&pollable{})
	if err := component.DropResource(ctx, dropped); err != nil {
		t.Fatal(err)
	}
	droppedRep, _ := dropped.Handle()
	other := component.NewResourceType("other", nil)

	// candidates returns argument values for a parameter of type typ.
	candidates := func(typ *component.Type) []component.Val {
		switch typ.Kind {
		case component.KindBorrow, component.KindOwn:
			mk := component.Borrow
			if typ.Kind == component.KindOwn {
				mk = component.Own
			}
			vs := []component.Val{mk(typ.Resource, droppedRep), mk(typ.Resource, 0), mk(typ.Resource, 1<<32-1), mk(other, 1)}
			for _, rep := range live[typ.Resource] {
				vs = append(vs, mk(typ.Resource, rep))
			}
			return vs
		case component.KindU64:
			return []component.Val{component.U64(0), component.U64(1), component.U64(maxChunk), component.U64(maxChunk + 1), component.U64(1 << 63), component.U64(1<<64 - 1)}
		case component.KindU8:
			return []component.Val{component.U8(0), component.U8(255)}
		case component.KindList:
			if typ.Elem.Kind == component.KindU8 {
				return []component.Val{component.Bytes(nil), component.Bytes([]byte("x")), component.Bytes(make([]byte, 1<<20))}
			}
			var all []component.Val
			for _, rt := range []*component.ResourceType{h.io.pollRT} {
				for _, rep := range append(live[rt], droppedRep) {
					all = append(all, component.Borrow(rt, rep))
				}
			}
			return []component.Val{component.List(), component.List(all...)}
		case component.KindResult:
			return []component.Val{component.Ok(nil), component.Err(nil)}
		}
		t.Fatalf("no candidates for %s", typ)
		return nil
	}
	names := make([]string, 0, len(r.funcs))
	for n := range r.funcs {
		names = append(names, n)
	}
	sort.Strings(names)
	calls := 0
	for _, name := range names {
		f := r.funcs[name]
		// Every combination of the candidates of each parameter.
		args := [][]component.Val{nil}
		for _, p := range f.typ.Params {
			var next [][]component.Val
			for _, prefix := range args {
				for _, c := range candidates(p.Type) {
					next = append(next, append(append([]component.Val(nil), prefix...), c))
				}
			}
			args = next
		}
		for _, a := range args {
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("%s%v panics: %v", name, a, p)
					}
				}()
				cctx, cancel := context.WithTimeout(ctx, 5*time.Millisecond)
				defer cancel()
				start := time.Now()
				f.fn(cctx, a)
				if d := time.Since(start); d > time.Second {
					t.Errorf("%s%v took %v", name, a, d)
				}
				calls++
			}()
		}
	}
	t.Logf("%d calls", calls)
}
