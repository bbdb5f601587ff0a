package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/internal/testenv"
)

const componentsDir = "../../testdata/components/"

// TestRunAdderComponents runs the guide's adder components and the echo
// component (built by testdata/components/build.sh from WAT and C) through
// gowasm run --invoke.
func TestRunAdderComponents(t *testing.T) {
	type call struct {
		invoke string
		stdout string
	}
	adderCalls := func(f string) []call {
		return []call{
			{f + "(1, 2)", "3\n"},
			{f + "(-3, 2)", "-1\n"},
			{f + "(2147483647, 1)", "-2147483648\n"},
			{f + "(-2147483648, -1)", "2147483647\n"},
			{f + "(0, 0)", "0\n"},
		}
	}
	components := []struct {
		file  string
		calls []call
	}{
		{"adder-wat.component.wasm", adderCalls("add")},
		{"adder-c.component.wasm", adderCalls("add")},
		{"interfaced-adder.component.wasm", adderCalls("wasi-mindmap:interfaced-adder/add#add")},
		{"echo.component.wasm", []call{
			{`echo("hello, world")`, "\"hello, world\"\n"},
			{`echo("")`, "\"\"\n"},
			{`echo("h\u{e9}llo \"q\"\n")`, "\"h\u00e9llo \\\"q\\\"\\n\"\n"},
		}},
	}
	for _, c := range components {
		for _, tc := range c.calls {
			t.Run(c.file+"/"+tc.invoke, func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				code := run([]string{"run", "--invoke", tc.invoke, componentsDir + c.file}, &stdout, &stderr)
				if code != exitOK {
					t.Fatalf("exit code %d, want %d\nstderr: %s", code, exitOK, stderr.String())
				}
				if stdout.String() != tc.stdout {
					t.Errorf("stdout %q, want %q", stdout.String(), tc.stdout)
				}
			})
		}
	}
}

// TestRunAdderComponentErrors checks that bad calls fail with a message
// that says what is wrong.
func TestRunAdderComponentErrors(t *testing.T) {
	const adder = componentsDir + "adder-wat.component.wasm"
	const interfaced = componentsDir + "interfaced-adder.component.wasm"
	tests := []struct {
		name       string
		args       []string
		stderrHave []string
	}{
		{"unknown function", []string{"run", "--invoke", "sub(1, 2)", adder}, []string{`no exported function "sub"`, "exports: add"}},
		{"unknown interface function", []string{"run", "--invoke", "wasi-mindmap:interfaced-adder/add#sub(1, 2)", interfaced},
			[]string{`no exported function "wasi-mindmap:interfaced-adder/add#sub"`}},
		{"world-level name for interface export", []string{"run", "--invoke", "add(1, 2)", interfaced}, []string{`no exported function "add"`}},
		{"too few arguments", []string{"run", "--invoke", "add(1)", adder}, []string{"--invoke:", "expected ','"}},
		{"too many arguments", []string{"run", "--invoke", "add(1, 2, 3)", adder}, []string{"--invoke:", "expected ')'"}},
		{"string for s32", []string{"run", "--invoke", `add("x", 2)`, adder}, []string{"--invoke:", "argument x", "invalid s32"}},
		{"out of range s32", []string{"run", "--invoke", "add(2147483648, 1)", adder}, []string{"--invoke:", "argument x"}},
		{"no call", []string{"run", adder}, []string{"needs --invoke"}},
		{"extra arguments", []string{"run", "--invoke", "add(1, 2)", adder, "3"}, []string{"arguments go inside the --invoke call"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			if code == exitOK {
				t.Fatalf("exit code %d, want non-zero\nstdout: %s", code, stdout.String())
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
			for _, s := range tt.stderrHave {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr %q does not contain %q", stderr.String(), s)
				}
			}
		})
	}
}

// TestRunWASIComponents runs components that import WASI 0.2 with the
// preview2 host: wasi:cli/run commands (jco's fixtures, with the output
// jco's tests expect), and --invoke on components importing WASI.
func TestRunWASIComponents(t *testing.T) {
	composed := func(name string) string {
		return filepath.Join(testenv.Require(t, "components/jco-fixtures/composed"), name)
	}
	runtime := func(name string) string {
		return filepath.Join(testenv.Require(t, "components/jco-fixtures/runtime"), name)
	}
	tests := []struct {
		name           string
		args           func() []string
		code           int
		stdout, stderr string // exact, or a substring with stderrHave
		stderrHave     bool
	}{
		{"componentize-js greet", func() []string {
			return []string{"run", "--invoke", `greet("gowasm")`, componentsDir + "js/greeter-js.component.wasm"}
		}, exitOK, "\"Hello, gowasm!\"\n", "", false},
		// jco packages/jco/test/cli.js "hello_stdout".
		{"hello_stdout", func() []string { return []string{"run", composed("hello_stdout.component.wasm")} },
			exitOK, "writing to stdout: hello, world\n", "writing to stderr: hello, world\n", false},
		// jco packages/jco/test/transcoding.js "Transcoding UTF8 <-> UTF16".
		{"utf8-utf16 arguments", func() []string { return []string{"run", composed("utf8-utf16.composed.wasm"), "asdf中文🀄️⏰"} },
			exitOK, "ret: asdf中文🀄️⏰asdf中文🀄️⏰\n", "", false},
		// jco packages/jco/test/cli.js "pollable hang": it must return.
		{"pollable hang", func() []string { return []string{"run", composed("stdout-pollable-hang.component.wasm")} },
			exitOK, "", "", false},
		// jco-fixtures/commands/tests.json.
		{"dir.virt", func() []string { return []string{"run", composed("../commands/dir.virt.wasm"), "/foo"} },
			exitOK, "Listing directory: /foo\n - .\n - ..\n - foo\n", "", false},
		// jco packages/jco/test/transcoding.js "Transcoding": the
		// composition lets CUSTOM=VAL through only.
		{"env-allow --invoke", func() []string {
			return []string{"run", "--env", "HOME=/nowhere", "--invoke", "test-get-env()", composed("env-allow.composed.wasm")}
		}, exitOK, "[(\"CUSTOM\", \"VAL\")]\n", "", false},
		{"stdio --invoke", func() []string { return []string{"run", "--invoke", "test-stdio()", composed("stdio.composed.wasm")} },
			exitOK, "Hello world\n", "", false},
		{"no run export", func() []string { return []string{"run", composed("stdio.composed.wasm")} },
			exitFailure, "", "needs --invoke", true},
		// A trap (here: out of fuel) in run exits with 134.
		{"trap", func() []string { return []string{"run", "--fuel", "1000", composed("hello_stdout.component.wasm")} },
			exitTrap, "", "out of fuel", true},
		// An import outside wasi: that nobody defines fails to link.
		{"missing import", func() []string { return []string{"run", "--invoke", "f()", runtime("lists.component.wasm")} },
			exitFailure, "", `missing import "test:lists/test#`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args(), &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout.String(), stderr.String())
			}
			if stdout.String() != tt.stdout {
				t.Errorf("stdout %q, want %q", stdout.String(), tt.stdout)
			}
			if tt.stderrHave && !strings.Contains(stderr.String(), tt.stderr) || !tt.stderrHave && stderr.String() != tt.stderr {
				t.Errorf("stderr %q, want %q", stderr.String(), tt.stderr)
			}
		})
	}
}

// TestRunComponentCommand runs the C program of testdata/wasi wrapped as
// a WASIp2 command (wasi/preview2/testdata/cprog.component.wasm) with
// --env, --dir and stdin, and checks what it prints and its status: the
// program exits with 7, which the preview1 adapter turns into
// exit(err), status 1, as in wasmtime.
func TestRunComponentCommand(t *testing.T) {
	const cprog = "../../wasi/preview2/testdata/cprog.component.wasm"
	if _, err := os.Stat(cprog); err != nil {
		t.Skipf("%v", err)
	}
	var want struct {
		Args   []string          `json:"args"`
		Env    map[string]string `json:"env"`
		Stdin  string            `json:"stdin"`
		Stdout string            `json:"stdout"`
		Stderr string            `json:"stderr"`
	}
	b, err := os.ReadFile("../../testdata/wasi/cprog.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	// The guest reads os.Stdin, as gowasm run passes it.
	in := filepath.Join(t.TempDir(), "stdin")
	if err := os.WriteFile(in, []byte(want.Stdin), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	saved := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = saved }()

	args := []string{"run", "--dir", t.TempDir() + "::/data"}
	for k, v := range want.Env {
		args = append(args, "--env", k+"="+v)
	}
	args = append(append(args, cprog), want.Args...)
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != 1 {
		t.Errorf("exit code %d, want 1\nstderr: %s", code, stderr.String())
	}
	if stdout.String() != want.Stdout || stderr.String() != want.Stderr {
		t.Errorf("stdout %q\nstderr %q\nwant %q\n%q", stdout.String(), stderr.String(), want.Stdout, want.Stderr)
	}
}

// TestRunHostileComponent checks that the limits of gowasm run apply to
// components: an endless loop is stopped by --fuel and by --timeout,
// memory growth by --max-memory, endless recursion by the call-depth
// limit; each is a trap (exit 134) with a message, the host unharmed.
func TestRunHostileComponent(t *testing.T) {
	file := componentsDir + "hostile/hostile.wasm"
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"--fuel", "100000", "--invoke", "spin()"}, 134, "", "out of fuel"},
		{[]string{"--timeout", "200ms", "--invoke", "spin()"}, 134, "", "interrupted"},
		{[]string{"--max-memory", "1MiB", "--invoke", "grow()"}, exitOK, "15\n", ""},
		{[]string{"--invoke", "recurse()"}, 134, "", "call stack exhausted"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append(append([]string{"run"}, tt.args...), file), &stdout, &stderr)
			if code != tt.code || stdout.String() != tt.stdout || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr containing %q",
					code, stdout.String(), stderr.String(), tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

// TestRunAllowNetwork runs a wasi:sockets guest (it binds and listens on
// loopback, returning its port): sockets are denied (the guest traps on
// the error) unless --allow-network.
func TestRunAllowNetwork(t *testing.T) {
	file := componentsDir + "sockets/tcp-listen.wasm"
	for _, allow := range []bool{false, true} {
		args := []string{"run", "--invoke", "listen()", file}
		if allow {
			args = append([]string{"run", "--allow-network"}, args[1:]...)
		}
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		switch {
		case !allow && (code != 134 || !strings.Contains(stderr.String(), "unreachable")):
			t.Errorf("without --allow-network: exit %d, stderr %q; want a trap", code, stderr.String())
		case allow && (code != exitOK || strings.TrimSpace(stdout.String()) == "0" || stdout.Len() == 0):
			t.Errorf("with --allow-network: exit %d, stdout %q, stderr %q; want a port", code, stdout.String(), stderr.String())
		}
	}
}
