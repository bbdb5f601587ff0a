package preview2

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/internal/testenv"
	"github.com/gowasm/gowasm/interp"
)

// compileFile compiles the component at path, skipping the test when the
// file is missing (failing under CI=true).
func compileFile(t *testing.T, path string) *component.Component {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && os.Getenv("CI") != "true" {
		t.Skipf("%s missing", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	c, err := component.Compile(context.Background(), b)
	if err != nil {
		t.Fatalf("Compile %s: %v", path, err)
	}
	return c
}

// composed returns the path of a jco fixture in components/jco-fixtures/composed.
func composed(t *testing.T, name string) string {
	return filepath.Join(testenv.Require(t, "components/jco-fixtures/composed"), name)
}

// instantiate instantiates c with only the preview2 host of cfg (and
// DefineUnsupported for the WASI interfaces the host leaves out).
func instantiate(t *testing.T, c *component.Component, cfg Config) (*Host, *component.Instance) {
	t.Helper()
	h := NewHost(cfg)
	l := component.NewLinker()
	if err := h.Define(l); err != nil {
		t.Fatalf("Define: %v", err)
	}
	unsup, err := DefineUnsupported(l, c)
	if err != nil {
		t.Fatalf("DefineUnsupported: %v", err)
	}
	if len(unsup) > 0 {
		t.Logf("unsupported imports: %v", unsup)
	}
	inst, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
	if err != nil {
		t.Fatalf("Instantiate: %v", err)
	}
	return h, inst
}

// TestRunCommands runs the wasi:cli/run components of jco's tests and
// checks their output and status against jco's expectations
// (packages/jco/test/cli.js and transcoding.js, and the tests.json of
// the commands fixtures).
func TestRunCommands(t *testing.T) {
	tests := []struct {
		file           string
		args           []string
		stdout, stderr string
	}{
		// cli.js "hello_stdout": jco run prints both lines.
		{"hello_stdout.component.wasm", nil, "writing to stdout: hello, world\n", "writing to stderr: hello, world\n"},
		// transcoding.js "Transcoding UTF8 <-> UTF16".
		{"utf8-utf16.composed.wasm", []string{"asdf中文🀄️⏰"}, "ret: asdf中文🀄️⏰asdf中文🀄️⏰\n", ""},
		// cli.js "pollable hang": the run must finish.
		{"stdout-pollable-hang.component.wasm", nil, "", ""},
		// commands/tests.json: a filesystem virtualised inside the component.
		{"../commands/dir.virt.wasm", []string{"/foo"}, "Listing directory: /foo\n - .\n - ..\n - foo\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c := compileFile(t, composed(t, tt.file))
			var stdout, stderr bytes.Buffer
			_, inst := instantiate(t, c, Config{Args: append([]string{tt.file}, tt.args...), Stdout: &stdout, Stderr: &stderr})
			err := Run(context.Background(), inst)
			if err != nil {
				t.Errorf("Run: %v", err)
			}
			if stdout.String() != tt.stdout || stderr.String() != tt.stderr {
				t.Errorf("stdout %q, stderr %q; want %q, %q", stdout.String(), stderr.String(), tt.stdout, tt.stderr)
			}
		})
	}
}

// greeterJS is the componentize-js component of testdata (imports 18
// WASI interfaces, among them wasi:http).
const greeterJS = "../../testdata/components/js/greeter-js.component.wasm"

// TestGreeterJS instantiates the componentize-js greeter with the host
// and calls greet("gowasm").
func TestGreeterJS(t *testing.T) {
	c := compileFile(t, greeterJS)
	var stderr bytes.Buffer
	_, inst := instantiate(t, c, Config{Stderr: &stderr})
	f := inst.Func("greet")
	if f == nil {
		t.Fatalf("no greet export: %v", inst.Exports())
	}
	res, err := f.Call(context.Background(), component.String("gowasm"))
	if err != nil {
		t.Fatalf("greet: %v (stderr %q)", err, stderr.String())
	}
	if len(res) != 1 || res[0].AsString() != "Hello, gowasm!" {
		t.Fatalf("greet(\"gowasm\") = %v, want \"Hello, gowasm!\"", res)
	}
	if stderr.Len() > 0 {
		t.Logf("stderr: %s", stderr.String())
	}
}

// TestComposedExports calls the exports of jco's composed fixtures:
// env-allow (a virtualised environment that lets only CUSTOM=VAL through,
// transcoding.js "Transcoding") and stdio (resources moved between the
// composed components, cli.js "Resource transfer").
func TestComposedExports(t *testing.T) {
	tests := []struct {
		file, fn string
		env      []string
		want     string // WAVE of the result, "" for none
		stdout   string
	}{
		{"env-allow.composed.wasm", "test-get-env", []string{"HOME=/home/gowasm", "PATH=/bin"}, `[("CUSTOM", "VAL")]`, ""},
		{"stdio.composed.wasm", "test-stdio", nil, "", "Hello world\n"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c := compileFile(t, composed(t, tt.file))
			var stdout, stderr bytes.Buffer
			_, inst := instantiate(t, c, Config{Env: tt.env, Stdout: &stdout, Stderr: &stderr})
			t.Logf("exports %v", inst.Exports())
			f := inst.Func(tt.fn)
			if f == nil {
				t.Fatalf("no export %s: %v", tt.fn, inst.Exports())
			}
			res, err := f.Call(context.Background())
			if err != nil {
				t.Fatalf("%s: %v", tt.fn, err)
			}
			got := ""
			if len(res) == 1 {
				got = component.FormatWAVE(res[0])
			}
			if got != tt.want || stdout.String() != tt.stdout {
				t.Errorf("%s() = %s, stdout %q; want %s, %q", tt.fn, got, stdout.String(), tt.want, tt.stdout)
			}
			t.Logf("stderr %q", stderr.String())
		})
	}
}

// TestRunExit checks how Run reports the ways a guest ends: a host
// function failing with an *ExitError (as wasi:cli/exit does) unwinds
// the guest and becomes Run's result (nil for code 0), any other failure
// is returned as it is. The exit is simulated by a get-stdout that
// exits, in the Rust hello_stdout command.
func TestRunExit(t *testing.T) {
	c := compileFile(t, composed(t, "hello_stdout.component.wasm"))
	imps, err := c.Imports()
	if err != nil {
		t.Fatal(err)
	}
	var stdoutIface string
	for _, im := range imps {
		if strings.HasPrefix(im.Name, "wasi:cli/stdout@") {
			stdoutIface = im.Name
		}
	}
	boom := errors.New("boom")
	tests := []struct {
		name string
		fail error
		want func(error) bool
	}{
		{"exit 0", &ExitError{Code: 0}, func(err error) bool { return err == nil }},
		{"exit 3", &ExitError{Code: 3}, func(err error) bool {
			var e *ExitError
			return errors.As(err, &e) && e.Code == 3
		}},
		{"exit(err)", &ExitError{Code: 1}, func(err error) bool {
			var e *ExitError
			return errors.As(err, &e) && e.Code == 1
		}},
		{"failure", boom, func(err error) bool {
			var e *ExitError
			return errors.Is(err, boom) && !errors.As(err, &e)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout bytes.Buffer
			h := NewHost(Config{Stdout: &stdout})
			defer h.Close()
			l := component.NewLinker()
			if err := h.Define(l); err != nil {
				t.Fatal(err)
			}
			ft := component.FuncType{Results: []component.Param{{Type: &component.Type{Kind: component.KindOwn, Resource: h.io.outRT}}}}
			l.DefineFunc(stdoutIface+"#get-stdout", ft, func(context.Context, []component.Val) ([]component.Val, error) {
				return nil, tt.fail
			})
			inst, err := l.Instantiate(context.Background(), interp.NewStore(interp.Config{}), c)
			if err != nil {
				t.Fatal(err)
			}
			err = Run(context.Background(), inst)
			if !tt.want(err) {
				t.Errorf("Run = %v", err)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q", stdout.String())
			}
			// The instance is left unusable, as after a trap.
			if err := Run(context.Background(), inst); err == nil {
				t.Error("second Run succeeded")
			}
		})
	}
	// A component without wasi:cli/run.
	c = compileFile(t, composed(t, "stdio.composed.wasm"))
	_, inst := instantiate(t, c, Config{})
	if err := Run(context.Background(), inst); err == nil || !strings.Contains(err.Error(), "wasi:cli/run") {
		t.Errorf("Run without a run export = %v", err)
	}
}

// TestSupported checks which interface names the host serves.
func TestSupported(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"wasi:io/streams@0.2.0", true},
		{"wasi:io/streams@0.2.12#[method]output-stream.write", true},
		{"wasi:cli/exit@0.2.99", true},
		{"wasi:filesystem/preopens@0.2.3", true},
		{"wasi:io/streams@0.3.0", false},
		{"wasi:cli/run@0.2.0", false},
		{"wasi:http/types@0.2.10", true},
		{"wasi:http/outgoing-handler@0.2.0", true},
		{"wasi:http/incoming-handler@0.2.0", false}, // exported by guests, never imported
		{"wasi:sockets/tcp@0.2.0", true},
		{"wasi:sockets/ip-name-lookup@0.2.3", true},
		{"wasi:io/streams@0.2.0-rc-2023-10-18", false},
		{"wasi:io/streams", false},
		{"my:io/streams@0.2.0", false},
	}
	for _, tt := range tests {
		if got := Supported(tt.name); got != tt.want {
			t.Errorf("Supported(%q) = %v", tt.name, got)
		}
	}
}
