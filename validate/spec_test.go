package validate

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/internal/testenv"
	"github.com/gowasm/gowasm/text"
	"github.com/gowasm/gowasm/wasm"
)

// specCounts accumulates the conformance figures.
type specCounts struct {
	invalid, rejected, msgMatch int
	valid, accepted             int
	notParsed                   int // modules the decoder or parser could not read
	filesSkipped                int
}

// TestSpec validates every module of the official spec tests, Wasm 2.0
// under the default rules and Wasm 3.0 under wasm.Wasm3: modules that scripts
// define (or expect to fail only at link or run time) must be accepted,
// and assert_invalid modules must be rejected. Scripts the text package
// cannot parse are skipped with a message.
func TestSpec(t *testing.T) {
	for _, suite := range []struct {
		dir string
		opt Options
	}{
		{"wasm-2.0", Options{}},
		{"wasm-3.0", Options{Features: wasm.Wasm3}},
	} {
		t.Run(suite.dir, func(t *testing.T) { specSuite(t, suite.dir, suite.opt) })
	}
}

func specSuite(t *testing.T, suite string, opt Options) {
	dir := testenv.Require(t, filepath.Join("spec", suite))
	files, _ := filepath.Glob(filepath.Join(dir, "*.wast"))
	if len(files) == 0 {
		t.Fatalf("no spec tests in %s", dir)
	}
	var c specCounts
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".wast")
		t.Run(name, func(t *testing.T) { specFile(t, f, opt, &c) })
	}
	t.Logf("%s: assert_invalid rejected %d/%d (message matches %d); valid modules accepted %d/%d; %d modules unreadable; %d files not parsed",
		suite, c.rejected, c.invalid, c.msgMatch, c.accepted, c.valid, c.notParsed, c.filesSkipped)
	if c.filesSkipped == len(files) {
		t.Skip("the text package cannot parse the spec scripts yet")
	}
}

func specFile(t *testing.T, path string, opt Options, c *specCounts) {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	script, err := parseScript(src, path)
	if err != nil {
		c.filesSkipped++
		t.Skipf("text.ParseScript cannot parse the script yet: %v", err)
	}
	for i := range script.Commands {
		cmd := &script.Commands[i]
		if cmd.Module == nil {
			continue
		}
		where := cmd.Pos.File + ":" + strconv.Itoa(cmd.Pos.Line)
		switch cmd.Kind {
		case text.CmdModule, text.CmdAssertUnlinkable, text.CmdAssertTrap:
			c.valid++
			m, err := loadModule(cmd.Module)
			if err != nil {
				c.notParsed++
				t.Logf("%s: module not readable: %v", where, err)
				continue
			}
			if err := ModuleOptions(m, opt); err != nil {
				t.Errorf("%s: valid module rejected: %v", where, err)
				continue
			}
			c.accepted++
		case text.CmdAssertInvalid:
			c.invalid++
			m, err := loadModule(cmd.Module)
			if err != nil {
				// The parser may resolve names and reject the module
				// itself; that still rejects it.
				c.rejected++
				c.notParsed++
				if strings.Contains(err.Error(), cmd.Message) {
					c.msgMatch++
				}
				continue
			}
			err = ModuleOptions(m, opt)
			if err == nil {
				t.Errorf("%s: invalid module accepted (want %q)", where, cmd.Message)
				continue
			}
			var ve *Error
			if !errors.As(err, &ve) {
				t.Errorf("%s: error is not a *Error: %v", where, err)
			}
			c.rejected++
			if strings.Contains(err.Error(), cmd.Message) {
				c.msgMatch++
			} else {
				t.Logf("%s: message %q, want %q", where, err, cmd.Message)
			}
		}
	}
}

// parseScript calls text.ParseScript, turning a panic of the (possibly
// unfinished) parser into an error.
func parseScript(src []byte, path string) (s *text.Script, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, errors.New("parser panic")
		}
	}()
	return text.ParseScript(src, path)
}

// loadModule returns the module of a script command.
func loadModule(sm *text.ScriptModule) (m *wasm.Module, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, errors.New("parser panic")
		}
	}()
	switch sm.Form {
	case text.ModuleBinary:
		return binary.Decode(sm.Binary)
	case text.ModuleQuote:
		return text.ParseQuote(sm.Quote, sm.Pos.File)
	}
	if sm.Module == nil {
		return nil, errors.New("no module")
	}
	return sm.Module, nil
}
