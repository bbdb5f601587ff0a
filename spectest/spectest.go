// Package spectest runs WebAssembly script (.wast) files, the format of the
// official specification tests, against the gowasm engine.
//
// Each script runs in its own interp.Store, with the standard "spectest"
// host module available for import (print functions, global_i32/i64/f32/
// f64, table, memory). Every command is checked and counted; a panic
// inside the engine while running a command is recovered and counted as a
// failure of that command, so one bug does not stop the run.
//
// Supported commands: module (text, binary, quote; module definition and
// module instance), register, invoke, get, assert_return, assert_trap,
// assert_exhaustion, assert_invalid (the module must decode and then fail
// validation), assert_malformed (it must fail to decode or parse),
// assert_unlinkable and assert_exception (an uncaught wasm exception). A module that fails to
// load makes the later commands that use it fail. Results are compared
// bit-exactly, with the NaN and per-lane patterns of the spec tests;
// expected failure messages are compared loosely, a mismatch being noted
// (Summary.Notes) rather than failed.
package spectest

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/text"
	"github.com/gowasm/gowasm/wasm"
)

// Options configure a script run. The zero value is ready to use.
type Options struct {
	// Stdout receives the output of the spectest print functions. nil
	// means io.Discard.
	Stdout io.Writer
	// Config holds the engine limits of the run's store.
	Config interp.Config
	// CommandTimeout bounds each command: its context is cancelled after
	// this long, which makes a running guest trap with TrapInterrupted.
	// 0 means no timeout.
	CommandTimeout time.Duration
	// Features selects the rules beyond Wasm 2.0 (wasm.Wasm3 for the
	// 3.0 suite) used to parse, decode and compile the script's modules.
	Features wasm.Features
}

// Counts counts commands by outcome.
type Counts struct {
	Passed, Failed, Skipped int
}

// add adds o to c.
func (c *Counts) add(o Counts) {
	c.Passed += o.Passed
	c.Failed += o.Failed
	c.Skipped += o.Skipped
}

// String returns "N passed, N failed, N skipped".
func (c Counts) String() string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped", c.Passed, c.Failed, c.Skipped)
}

// Failure is a command that did not behave as the script expects.
type Failure struct {
	Pos     text.Pos
	Command string // the command kind, e.g. "assert_return"
	Message string // "expected …, got …"
}

// String returns "file:line: command: message".
func (f Failure) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", f.Pos.File, f.Pos.Line, f.Command, f.Message)
}

// Summary is the outcome of running one or more scripts.
type Summary struct {
	// Kinds counts the commands by kind ("module", "assert_return" ...).
	Kinds map[string]Counts
	// Failures lists the failed commands in script order.
	Failures []Failure
	// Notes lists remarks that are not failures, such as a trap or error
	// whose message differs from the one the script expects.
	Notes []string
}

// Total returns the counts over all command kinds.
func (s *Summary) Total() Counts {
	var t Counts
	for _, c := range s.Kinds {
		t.add(c)
	}
	return t
}

// KindNames returns the command kinds counted, sorted.
func (s *Summary) KindNames() []string {
	names := make([]string, 0, len(s.Kinds))
	for k := range s.Kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Add merges o into s.
func (s *Summary) Add(o Summary) {
	for k, c := range o.Kinds {
		s.count(k, c)
	}
	s.Failures = append(s.Failures, o.Failures...)
	s.Notes = append(s.Notes, o.Notes...)
}

// count adds c to the counts of kind.
func (s *Summary) count(kind string, c Counts) {
	if s.Kinds == nil {
		s.Kinds = make(map[string]Counts)
	}
	k := s.Kinds[kind]
	k.add(c)
	s.Kinds[kind] = k
}

// RunFile parses and runs the script at path. The error reports a file
// that cannot be read or parsed; failed commands are in the Summary.
func RunFile(ctx context.Context, path string, opt Options) (Summary, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return Summary{}, err
	}
	script, err := parseScript(src, path, opt.Features)
	if err != nil {
		return Summary{}, err
	}
	return RunScript(ctx, script, opt), nil
}

// parseScript parses a script, turning a panic of the parser into an
// error.
func parseScript(src []byte, path string, feat wasm.Features) (s *text.Script, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: parser panic: %v%s", path, r, panicSite())
		}
	}()
	return text.ParseScriptOptions(src, path, text.Options{Features: feat})
}

// RunScript runs the commands of script in a new store and returns what
// passed, failed and was skipped.
func RunScript(ctx context.Context, script *text.Script, opt Options) Summary {
	r := newRunner(script.File, opt)
	for i := range script.Commands {
		c := &script.Commands[i]
		if err := ctx.Err(); err != nil {
			// The first command not run fails; the rest are skipped.
			r.sum.count(commandName(c), Counts{Failed: 1})
			r.sum.Failures = append(r.sum.Failures, Failure{Pos: c.Pos, Command: commandName(c),
				Message: fmt.Sprintf("not run: run cancelled (%v); %d later commands skipped", err, len(script.Commands)-i-1)})
			for j := i + 1; j < len(script.Commands); j++ {
				r.sum.count(commandName(&script.Commands[j]), Counts{Skipped: 1})
			}
			break
		}
		r.run(ctx, c)
	}
	return r.sum
}

// commandName returns the script keyword of a command kind.
func commandName(c *text.Command) string {
	switch c.Kind {
	case text.CmdModule:
		if c.Module != nil && c.Module.Definition {
			return "module definition"
		}
		return "module"
	case text.CmdModuleInstance:
		return "module instance"
	case text.CmdRegister:
		return "register"
	case text.CmdAction:
		if c.Action != nil && c.Action.Kind == text.ActionGet {
			return "get"
		}
		return "invoke"
	case text.CmdAssertReturn:
		return "assert_return"
	case text.CmdAssertTrap:
		return "assert_trap"
	case text.CmdAssertExhaustion:
		return "assert_exhaustion"
	case text.CmdAssertException:
		return "assert_exception"
	case text.CmdAssertInvalid:
		return "assert_invalid"
	case text.CmdAssertMalformed:
		return "assert_malformed"
	case text.CmdAssertUnlinkable:
		return "assert_unlinkable"
	}
	return fmt.Sprintf("command(%d)", int(c.Kind))
}

// oneLine shortens a message to its first line and at most 300 bytes.
func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
