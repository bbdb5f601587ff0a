package text

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/binary"
	wbin "github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/wasm"
)

// TestWabtDifferential compares the modules this parser produces for the
// spec scripts with the binaries wabt's wast2json produced for them, when
// GOWASM_WAST2JSON_DIR names a directory of its .json and .wasm outputs.
// It is a development aid (wabt is not a dependency).
func TestWabtDifferential(t *testing.T) {
	dir := os.Getenv("GOWASM_WAST2JSON_DIR")
	if dir == "" {
		t.Skip("GOWASM_WAST2JSON_DIR not set (directory of wast2json output)")
	}
	version := "wasm-2.0"
	opt := Options{}
	if v := os.Getenv("GOWASM_WAST2JSON_VERSION"); v != "" {
		version = v
		if v == "wasm-3.0" {
			opt.Features = wasm.Wasm3
		}
	}
	files := specFiles(t, version)
	var same, differ, missing int
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), ".wast")
		data, err := os.ReadFile(filepath.Join(dir, base+".json"))
		if err != nil {
			continue
		}
		var js struct {
			Commands []struct {
				Type       string `json:"type"`
				Line       int    `json:"line"`
				Filename   string `json:"filename"`
				ModuleType string `json:"module_type"`
			} `json:"commands"`
		}
		if err := json.Unmarshal(data, &js); err != nil {
			t.Fatal(err)
		}
		byLine := map[int]string{}
		for _, c := range js.Commands {
			if c.Filename != "" && (c.ModuleType == "" || c.ModuleType == "binary") {
				byLine[c.Line] = c.Filename
			}
		}
		src, _ := os.ReadFile(f)
		s, err := ParseScriptOptions(src, filepath.Base(f), opt)
		if err != nil {
			t.Error(err)
			continue
		}
		for _, c := range s.Commands {
			if c.Module == nil || c.Module.Form == ModuleBinary {
				continue
			}
			m := c.Module.Module
			if c.Module.Form == ModuleQuote {
				if c.Kind == CmdAssertMalformed {
					continue
				}
				m, err = ParseQuoteOptions(c.Module.Quote, "q", opt)
				if err != nil {
					continue
				}
			}
			fn, ok := byLine[c.Pos.Line]
			if !ok {
				fn, ok = byLine[c.Module.Pos.Line]
			}
			if !ok {
				missing++
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, fn))
			if err != nil {
				t.Fatal(err)
			}
			wm, err := binary.Decode(b)
			if err != nil {
				missing++
				continue
			}
			if d := diffModules(m, wm); d != "" {
				differ++
				if differ <= 40 {
					t.Errorf("%s:%d: %s", filepath.Base(f), c.Pos.Line, d)
				}
			} else {
				same++
			}
		}
	}
	t.Logf("modules identical to wabt's: %d, different: %d, not compared: %d", same, differ, missing)
}

func diffModules(a, b *wasm.Module) string {
	norm := func(v any) any {
		j, _ := json.Marshal(v)
		return strings.ReplaceAll(string(j), ":null", ":[]")
	}
	check := func(name string, x, y any) string {
		if nx, ny := norm(x), norm(y); !reflect.DeepEqual(nx, ny) {
			return fmt.Sprintf("%s differ:\n mine %.600s\n wabt %.600s", name, nx, ny)
		}
		return ""
	}
	normElems := func(es []wasm.Elem) {
		for i := range es {
			e := &es[i]
			if e.Type.Heap.Kind == wasm.HeapFunc {
				e.Type.Nullable = true
			}
			if e.Indices != nil {
				e.Exprs = []wasm.Expr{}
				for _, x := range e.Indices {
					e.Exprs = append(e.Exprs, append(wbin.AppendInstr(nil, &wasm.Instr{Op: wasm.OpRefFunc, X: x}), 0x0B))
				}
				e.Indices = nil
			}
		}
	}
	normElems(a.Elems)
	normElems(b.Elems)
	for i := range a.Code {
		a.Code[i].BodyOffset = 0
	}
	for i := range b.Code {
		b.Code[i].BodyOffset = 0
	}
	parts := []struct {
		n    string
		x, y any
	}{
		{"types", a.Types, b.Types},
		{"imports", a.Imports, b.Imports},
		{"funcs", a.Funcs, b.Funcs},
		{"tables", a.Tables, b.Tables},
		{"memories", a.Memories, b.Memories},
		{"globals", a.Globals, b.Globals},
		{"exports", a.Exports, b.Exports},
		{"start", [2]any{a.Start, a.HasStart}, [2]any{b.Start, b.HasStart}},
		{"elems", a.Elems, b.Elems},
		{"data", a.Data, b.Data},
		{"code", a.Code, b.Code},
		{"tags", a.Tags, b.Tags},
	}
	if len(a.Code) == len(b.Code) {
		for i := range a.Code {
			x, y := a.Code[i].Body, b.Code[i].Body
			if string(x) != string(y) {
				k := 0
				for k < len(x) && k < len(y) && x[k] == y[k] {
					k++
				}
				lo := max(0, k-8)
				return fmt.Sprintf("code of func %d differs at %d: mine % x | wabt % x", i, k, x[lo:min(len(x), k+8)], y[lo:min(len(y), k+8)])
			}
		}
	}
	for _, p := range parts {
		if d := check(p.n, p.x, p.y); d != "" {
			return d
		}
	}
	return ""
}
