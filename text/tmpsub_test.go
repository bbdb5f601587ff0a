package text

import (
	"os"
	"path/filepath"
	"testing"
)

func TestTmpSub(t *testing.T) {
	files, _ := filepath.Glob("/work/shared/spec/wasm-3.0/*/*.wast")
	f2, _ := filepath.Glob("/work/shared/spec/wasm-3.0/*/*/*.wast")
	files = append(files, f2...)
	for _, f := range files {
		src, _ := os.ReadFile(f)
		s, err := ParseScriptOptions(src, f, Options{Wasm3: true})
		if err != nil {
			t.Log(err)
			continue
		}
		mal, rej := 0, 0
		for _, c := range s.Commands {
			if c.Module == nil || c.Module.Form != ModuleQuote {
				continue
			}
			_, err := ParseQuoteOptions(c.Module.Quote, "q", Options{Wasm3: true})
			if c.Kind == CmdAssertMalformed {
				mal++
				if err != nil {
					rej++
				}
			} else if err != nil {
				t.Logf("%s:%d: %v", f, c.Pos.Line, err)
			}
		}
		t.Logf("ok %s malformed %d/%d", filepath.Base(f), rej, mal)
	}
}
