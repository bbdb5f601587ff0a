package validate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/text"
)

func TestSpec3Dev(t *testing.T) {
	if os.Getenv("SPEC3") == "" {
		t.Skip()
	}
	files, _ := filepath.Glob("/work/shared/spec/wasm-3.0/*.wast")
	var inv, rej, val, acc, unread, nofile int
	fails := map[string]int{}
	for _, f := range files {
		src, _ := os.ReadFile(f)
		s, err := parseScript(src, f)
		if err != nil {
			nofile++
			continue
		}
		base := filepath.Base(f)
		for i := range s.Commands {
			cmd := &s.Commands[i]
			if cmd.Module == nil {
				continue
			}
			switch cmd.Kind {
			case text.CmdModule, text.CmdAssertUnlinkable, text.CmdAssertTrap, text.CmdAssertInvalid:
			default:
				continue
			}
			m, err := loadModule(cmd.Module)
			if err != nil {
				unread++
				continue
			}
			err = ModuleOptions(m, Options{Features: Wasm3})
			if cmd.Kind == text.CmdAssertInvalid {
				inv++
				if err != nil {
					rej++
				} else {
					fails[base+" accepts-invalid"]++
					if os.Getenv("SPEC3V") != "" { t.Logf("%s:%d: accepted, want %s", base, cmd.Pos.Line, cmd.Message) }
				}
			} else {
				val++
				if err == nil {
					acc++
				} else {
					msg := err.Error()
					if i := strings.LastIndex(msg, ": "); i > 0 { msg = msg[i+2:] }
					fails[base+" rejects-valid: "+ msg]++
					if os.Getenv("SPEC3V") != "" { t.Logf("%s:%d: %v", base, cmd.Pos.Line, err) }
				}
			}
		}
	}
	for k, n := range fails {
		t.Logf("%4d %s", n, k)
	}
	t.Logf("3.0: invalid rejected %d/%d, valid accepted %d/%d, unreadable %d, files unparsed %d", rej, inv, acc, val, unread, nofile)
}
