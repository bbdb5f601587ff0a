package spectest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/text"
	"github.com/gowasm/gowasm/validate"
	"github.com/gowasm/gowasm/wasm"
)

// outcome is the result of one command.
type outcome int

const (
	passed outcome = iota
	failed
	skipped
)

// runner holds the state of one script run.
type runner struct {
	file  string
	opt   Options
	store *interp.Store
	host  *hostModule
	sum   Summary

	// instances maps a module's $id to its instance; broken maps the $id
	// of a module that failed to load to the reason.
	instances map[string]*interp.Instance
	broken    map[string]string
	// current is the latest instance, or nil with currentErr saying why.
	current    *interp.Instance
	currentErr string
	// registered maps a register name to an instance.
	registered map[string]*interp.Instance
	// defs maps a module definition's $id to its compiled module;
	// lastDef is the latest definition.
	defs    map[string]*interp.Module
	lastDef *interp.Module
}

func newRunner(file string, opt Options) *runner {
	if opt.Stdout == nil {
		opt.Stdout = io.Discard
	}
	store := interp.NewStore(opt.Config)
	return &runner{
		file:       file,
		opt:        opt,
		store:      store,
		host:       newHostModule(store, opt.Stdout),
		instances:  make(map[string]*interp.Instance),
		broken:     make(map[string]string),
		currentErr: "no module defined yet",
		registered: make(map[string]*interp.Instance),
		defs:       make(map[string]*interp.Module),
	}
}

// run runs one command and records its outcome.
func (r *runner) run(ctx context.Context, c *text.Command) {
	if r.opt.CommandTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.opt.CommandTimeout)
		defer cancel()
	}
	name := commandName(c)
	res, msg := r.safeExec(ctx, c)
	switch res {
	case passed:
		r.sum.count(name, Counts{Passed: 1})
	case skipped:
		r.sum.count(name, Counts{Skipped: 1})
		r.note(c, "skipped: %s", msg)
	default:
		r.sum.count(name, Counts{Failed: 1})
		pos := c.Pos
		if pos.File == "" {
			pos.File = r.file
		}
		r.sum.Failures = append(r.sum.Failures, Failure{Pos: pos, Command: name, Message: oneLine(msg)})
	}
}

// note records a remark about command c.
func (r *runner) note(c *text.Command, format string, args ...any) {
	r.sum.Notes = append(r.sum.Notes, fmt.Sprintf("%s:%d: %s: ", r.file, c.Pos.Line, commandName(c))+
		oneLine(fmt.Sprintf(format, args...)))
}

// safeExec runs exec, turning a panic into a failure.
func (r *runner) safeExec(ctx context.Context, c *text.Command) (res outcome, msg string) {
	defer func() {
		if p := recover(); p != nil {
			res, msg = failed, fmt.Sprintf("panic: %v%s", p, panicSite())
		}
	}()
	return r.exec(ctx, c)
}

// panicSite returns " (at function file:line)" for the function that
// panicked, when called from a deferred function during the panic.
func panicSite() string {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	sawPanic := false
	for {
		f, more := frames.Next()
		if f.Function == "runtime.gopanic" {
			sawPanic = true
		} else if sawPanic && !strings.HasPrefix(f.Function, "runtime.") {
			file := f.File
			if i := strings.LastIndex(file, "/gowasm/"); i >= 0 {
				file = file[i+len("/gowasm/"):]
			}
			return fmt.Sprintf(" (at %s %s:%d)", f.Function, file, f.Line)
		}
		if !more {
			return ""
		}
	}
}

// exec runs one command.
func (r *runner) exec(ctx context.Context, c *text.Command) (outcome, string) {
	switch c.Kind {
	case text.CmdModule:
		return r.execModule(ctx, c)
	case text.CmdModuleInstance:
		return r.execInstance(ctx, c)
	case text.CmdRegister:
		inst, err := r.instance(c.Name)
		if err != nil {
			return failed, err.Error()
		}
		r.registered[c.As] = inst
		return passed, ""
	case text.CmdAction:
		_, err := r.act(ctx, c.Action)
		if err != nil {
			return failed, "expected success, got " + describeErr(err)
		}
		return passed, ""
	case text.CmdAssertReturn:
		return r.execAssertReturn(ctx, c)
	case text.CmdAssertTrap, text.CmdAssertExhaustion:
		return r.execAssertTrap(ctx, c)
	case text.CmdAssertInvalid:
		return r.execAssertInvalid(c)
	case text.CmdAssertMalformed:
		return r.execAssertMalformed(c)
	case text.CmdAssertUnlinkable:
		return r.execAssertUnlinkable(ctx, c)
	case text.CmdAssertException:
		return r.execAssertException(ctx, c)
	}
	return skipped, "unknown command"
}

// stageError is an error from one stage of loading a module.
type stageError struct {
	stage string // "malformed", "invalid", "unlinkable", "trap", "instantiation"
	err   error
}

func (e *stageError) Error() string { return e.stage + ": " + e.err.Error() }

func (e *stageError) Unwrap() error { return e.err }

// decode turns a script module into abstract syntax.
func (r *runner) decode(sm *text.ScriptModule) (*wasm.Module, error) {
	if sm == nil {
		return nil, &stageError{"malformed", errors.New("no module")}
	}
	var (
		m   *wasm.Module
		err error
	)
	switch sm.Form {
	case text.ModuleText:
		m = sm.Module
		if m == nil {
			err = errors.New("script has no module")
		}
	case text.ModuleBinary:
		m, err = binary.DecodeWith(sm.Binary, binary.Options{Features: r.opt.Features})
	case text.ModuleQuote:
		m, err = text.ParseQuoteOptions(sm.Quote, r.file, text.Options{Features: r.opt.Features})
	default:
		err = fmt.Errorf("unknown module form %d", sm.Form)
	}
	if err == nil && m == nil {
		err = errors.New("decoder returned no module and no error")
	}
	if err != nil {
		return nil, &stageError{"malformed", err}
	}
	return m, nil
}

// compile decodes and compiles (validating) a script module.
func (r *runner) compile(sm *text.ScriptModule) (*interp.Module, error) {
	m, err := r.decode(sm)
	if err != nil {
		return nil, err
	}
	cm, err := interp.CompileWith(m, interp.CompileOptions{Features: r.opt.Features})
	if err != nil {
		return nil, &stageError{"invalid", err}
	}
	if cm == nil {
		return nil, &stageError{"invalid", errors.New("Compile returned no module and no error")}
	}
	return cm, nil
}

// instantiate instantiates m with the script's imports.
func (r *runner) instantiate(ctx context.Context, m *interp.Module) (*interp.Instance, error) {
	inst, err := r.store.Instantiate(ctx, m, r.resolve)
	if err != nil {
		var le *interp.LinkError
		var tr *interp.Trap
		switch {
		case errors.As(err, &le):
			return nil, &stageError{"unlinkable", err}
		case errors.As(err, &tr):
			return nil, &stageError{"trap", err}
		}
		return nil, &stageError{"instantiation", err}
	}
	if inst == nil {
		return nil, &stageError{"instantiation", errors.New("Instantiate returned no instance and no error")}
	}
	return inst, nil
}

// resolve supplies imports from the spectest module and registered
// instances.
func (r *runner) resolve(module, name string) interp.Extern {
	if module == "spectest" {
		return r.host.lookup(name)
	}
	if inst := r.registered[module]; inst != nil {
		if e := inst.Export(name); e != nil {
			return e
		}
	}
	return nil
}

// setCurrent makes inst the latest instance, named id if not "".
func (r *runner) setCurrent(id string, inst *interp.Instance, why string) {
	r.current = inst
	r.currentErr = why
	if id != "" {
		if inst != nil {
			r.instances[id] = inst
			delete(r.broken, id)
		} else {
			delete(r.instances, id)
			r.broken[id] = why
		}
	}
}

// instance returns the instance named id, or the latest one.
func (r *runner) instance(id string) (*interp.Instance, error) {
	if id == "" {
		if r.current == nil {
			return nil, fmt.Errorf("no current module: %s", r.currentErr)
		}
		return r.current, nil
	}
	if inst := r.instances[id]; inst != nil {
		return inst, nil
	}
	if why, ok := r.broken[id]; ok {
		return nil, fmt.Errorf("module %s did not load: %s", id, why)
	}
	return nil, fmt.Errorf("unknown module %s", id)
}

func (r *runner) execModule(ctx context.Context, c *text.Command) (outcome, string) {
	sm := c.Module
	id := ""
	if sm != nil {
		id = sm.ID
	}
	m, err := r.compile(sm)
	if err != nil {
		why := fmt.Sprintf("module at line %d: %v", c.Pos.Line, err)
		if sm != nil && sm.Definition {
			r.lastDef = nil
			if id != "" {
				delete(r.defs, id)
			}
			return failed, "expected module to compile, got " + err.Error()
		}
		r.setCurrent(id, nil, why)
		return failed, "expected module to load, got " + err.Error()
	}
	if sm.Definition {
		r.lastDef = m
		if id != "" {
			r.defs[id] = m
		}
		return passed, ""
	}
	inst, err := r.instantiate(ctx, m)
	if err != nil {
		r.setCurrent(id, nil, fmt.Sprintf("module at line %d: %v", c.Pos.Line, err))
		return failed, "expected module to load, got " + err.Error()
	}
	r.setCurrent(id, inst, "")
	return passed, ""
}

func (r *runner) execInstance(ctx context.Context, c *text.Command) (outcome, string) {
	m := r.lastDef
	if c.Def != "" {
		m = r.defs[c.Def]
	}
	if m == nil {
		r.setCurrent(c.Name, nil, "no module definition "+c.Def)
		return failed, "no module definition " + c.Def
	}
	inst, err := r.instantiate(ctx, m)
	if err != nil {
		r.setCurrent(c.Name, nil, fmt.Sprintf("instance at line %d: %v", c.Pos.Line, err))
		return failed, "expected instantiation, got " + err.Error()
	}
	r.setCurrent(c.Name, inst, "")
	return passed, ""
}

// setupError is an action that could not be performed at all (unknown
// module or export, bad arguments), as opposed to one that failed.
type setupError struct{ msg string }

func (e *setupError) Error() string { return e.msg }

// act performs an action and returns its results.
func (r *runner) act(ctx context.Context, a *text.Action) ([]interp.Value, error) {
	if a == nil {
		return nil, &setupError{"command has no action"}
	}
	inst, err := r.instance(a.Module)
	if err != nil {
		return nil, &setupError{err.Error()}
	}
	ext := inst.Export(a.Name)
	if ext == nil {
		return nil, &setupError{fmt.Sprintf("no export %q", a.Name)}
	}
	switch a.Kind {
	case text.ActionGet:
		g, ok := ext.(*interp.Global)
		if !ok {
			return nil, &setupError{fmt.Sprintf("export %q is a %v, not a global", a.Name, ext.ExternKind())}
		}
		return []interp.Value{g.Get()}, nil
	case text.ActionInvoke:
		f, ok := ext.(*interp.Func)
		if !ok {
			return nil, &setupError{fmt.Sprintf("export %q is a %v, not a function", a.Name, ext.ExternKind())}
		}
		args := make([]interp.Value, len(a.Args))
		for i := range a.Args {
			v, err := constValue(&a.Args[i])
			if err != nil {
				return nil, &setupError{fmt.Sprintf("argument %d: %v", i, err)}
			}
			args[i] = v
		}
		return f.Call(ctx, args...)
	}
	return nil, &setupError{fmt.Sprintf("unknown action kind %d", a.Kind)}
}

func (r *runner) execAssertReturn(ctx context.Context, c *text.Command) (outcome, string) {
	vals, err := r.act(ctx, c.Action)
	if err != nil {
		var se *setupError
		if errors.As(err, &se) {
			return failed, err.Error()
		}
		return failed, fmt.Sprintf("expected %s, got %s", formatPatterns(c.Expected), describeErr(err))
	}
	if !matchAll(vals, c.Expected) {
		return failed, fmt.Sprintf("expected %s, got %s", formatPatterns(c.Expected), formatValues(vals))
	}
	return passed, ""
}

// execAssertException runs an action that must end with an uncaught
// wasm exception.
func (r *runner) execAssertException(ctx context.Context, c *text.Command) (outcome, string) {
	vals, err := r.act(ctx, c.Action)
	if err == nil {
		return failed, "expected an uncaught exception, got " + formatValues(vals)
	}
	var x *interp.Exception
	if !errors.As(err, &x) {
		return failed, "expected an uncaught exception, got " + describeErr(err)
	}
	return passed, ""
}

func (r *runner) execAssertTrap(ctx context.Context, c *text.Command) (outcome, string) {
	want := fmt.Sprintf("trap %q", c.Message)
	var err error
	if c.Action != nil {
		var vals []interp.Value
		vals, err = r.act(ctx, c.Action)
		if err == nil {
			return failed, fmt.Sprintf("expected %s, got %s", want, formatValues(vals))
		}
		var se *setupError
		if errors.As(err, &se) {
			return failed, err.Error()
		}
	} else {
		m, cerr := r.compile(c.Module)
		if cerr != nil {
			return failed, fmt.Sprintf("expected %s at instantiation, got %v", want, cerr)
		}
		_, err = r.instantiate(ctx, m)
		if err == nil {
			return failed, fmt.Sprintf("expected %s at instantiation, got an instance", want)
		}
	}
	var tr *interp.Trap
	if !errors.As(err, &tr) {
		return failed, fmt.Sprintf("expected %s, got non-trap error: %v", want, err)
	}
	if c.Kind == text.CmdAssertExhaustion && tr.Kind != interp.TrapStackExhausted {
		return failed, fmt.Sprintf("expected stack exhaustion %q, got %s", c.Message, describeErr(err))
	}
	if got := tr.Message(); !messageMatches(got, c.Message) && !strings.HasPrefix(c.Message, got) &&
		!trapMatches(tr.Kind, c.Message) {
		r.note(c, "expected trap %q, got trap %q", c.Message, got)
	}
	return passed, ""
}

func (r *runner) execAssertInvalid(c *text.Command) (outcome, string) {
	want := fmt.Sprintf("invalid module %q", c.Message)
	m, err := r.decode(c.Module)
	if err != nil {
		return failed, fmt.Sprintf("expected %s, got %v", want, err)
	}
	_, err = interp.CompileWith(m, interp.CompileOptions{Features: r.opt.Features})
	if err == nil {
		return failed, fmt.Sprintf("expected %s, module compiled", want)
	}
	var ve *validate.Error
	if !errors.As(err, &ve) {
		r.note(c, "expected %s, got an error that is not a *validate.Error: %v", want, err)
	} else if !messageMatches(err.Error(), c.Message) {
		r.note(c, "expected %s, got %v", want, err)
	}
	return passed, ""
}

func (r *runner) execAssertMalformed(c *text.Command) (outcome, string) {
	want := fmt.Sprintf("malformed module %q", c.Message)
	m, err := r.decode(c.Module)
	if err == nil {
		if _, cerr := interp.CompileWith(m, interp.CompileOptions{Features: r.opt.Features}); cerr != nil {
			return failed, fmt.Sprintf("expected %s, decoded fine but failed validation: %v", want, cerr)
		}
		return failed, fmt.Sprintf("expected %s, decoded and compiled fine", want)
	}
	if !messageMatches(err.Error(), c.Message) {
		r.note(c, "expected %s, got %v", want, err)
	}
	return passed, ""
}

func (r *runner) execAssertUnlinkable(ctx context.Context, c *text.Command) (outcome, string) {
	want := fmt.Sprintf("unlinkable module %q", c.Message)
	m, err := r.compile(c.Module)
	if err != nil {
		return failed, fmt.Sprintf("expected %s, got %v", want, err)
	}
	_, err = r.instantiate(ctx, m)
	if err == nil {
		return failed, fmt.Sprintf("expected %s, module instantiated", want)
	}
	var le *interp.LinkError
	if !errors.As(err, &le) {
		return failed, fmt.Sprintf("expected %s, got %v", want, err)
	}
	if !messageMatches(err.Error(), c.Message) {
		r.note(c, "expected %s, got %v", want, err)
	}
	return passed, ""
}

// describeErr describes an error for a failure message: a trap by its
// one-line message, without the backtrace.
func describeErr(err error) string {
	var tr *interp.Trap
	if errors.As(err, &tr) {
		return fmt.Sprintf("trap %q", tr.Message())
	}
	return "error: " + err.Error()
}

// messageMatches reports whether an error message loosely matches the
// message a script expects.
func messageMatches(got, want string) bool {
	return strings.Contains(strings.ToLower(got), strings.ToLower(want))
}
