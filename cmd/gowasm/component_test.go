package main

import (
	"bytes"
	"strings"
	"testing"
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
