package text

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTmpMessages(t *testing.T) {
	files := specFiles(t, "wasm-2.0")
	for _, f := range files {
		src, _ := os.ReadFile(f)
		s, err := ParseScript(src, filepath.Base(f))
		if err != nil {
			continue
		}
		for _, c := range s.Commands {
			if c.Kind != CmdAssertMalformed || c.Module.Form != ModuleQuote {
				continue
			}
			_, err := ParseQuote(c.Module.Quote, "q")
			if err != nil && !strings.Contains(err.Error(), c.Message) {
				t.Logf("%s:%d want %q got %v", filepath.Base(f), c.Pos.Line, c.Message, err)
			}
		}
	}
}
