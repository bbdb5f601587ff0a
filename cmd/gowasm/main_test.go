package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	fibWat    = "../../examples/fib.wat"
	trapWat   = "testdata/trap.wat"
	passWast  = "../../spectest/testdata/pass.wast"
	failWast  = "../../spectest/testdata/fail.wast"
	helloWast = "../../examples/hello.wast"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     string // exact, unless "" (then unchecked) or prefixed with "~" (contains)
		stderrHave string // substring of stderr
	}{
		{"no args", nil, exitUsage, "", "Usage: gowasm"},
		{"help", []string{"help"}, exitOK, "~Commands:", ""},
		{"--help", []string{"--help"}, exitOK, "~Exit status:", ""},
		{"help run", []string{"help", "run"}, exitOK, "~--invoke <NAME>", ""},
		{"help unknown", []string{"help", "nope"}, exitUsage, "", `unknown command "nope"`},
		{"unknown command", []string{"nope"}, exitUsage, "", `unknown command "nope"`},
		{"version", []string{"version"}, exitOK, "~gowasm ", ""},
		{"run -h", []string{"run", "-h"}, exitOK, "", "Usage: gowasm run"},
		{"run bad flag", []string{"run", "--nope", fibWat}, exitUsage, "", "flag provided but not defined"},
		{"run no file", []string{"run"}, exitUsage, "", "expected a FILE"},
		{"run missing file", []string{"run", "testdata/missing.wat"}, exitFailure, "", "missing.wat"},
		{"run fib", []string{"run", "--invoke", "fib", fibWat, "20"}, exitOK, "6765\n", ""},
		{"run fib 0", []string{"run", "--invoke=fib", fibWat, "0"}, exitOK, "0\n", ""},
		{"run no start", []string{"run", fibWat}, exitOK, "", ""},
		{"run arg count", []string{"run", "--invoke", "fib", fibWat}, exitUsage, "", "takes 1 arguments"},
		{"run bad arg", []string{"run", "--invoke", "fib", fibWat, "x"}, exitUsage, "", `invalid i64 "x"`},
		{"run no export", []string{"run", "--invoke", "nope", fibWat}, exitFailure, "", `no exported function "nope"`},
		{"run results", []string{"run", "--invoke", "add", trapWat, "-7", "0.5"}, exitOK, "-7\n0.5\n", ""},
		{"run trap", []string{"run", "--invoke", "trap", trapWat}, exitTrap, "", "unreachable"},
		{"validate ok", []string{"validate", fibWat}, exitOK, "", ""},
		{"validate invalid", []string{"validate", "testdata/invalid.wat"}, exitFailure, "", "invalid module"},
		{"validate two files", []string{"validate", fibWat, fibWat}, exitUsage, "", "expected one FILE"},
		{"print", []string{"print", fibWat}, exitOK, "~(module", ""},
		{"print folded", []string{"print", "--folded", fibWat}, exitOK, "~(module", ""},
		{"wast pass", []string{"wast", passWast, helloWast}, exitOK, "~ passed, 0 failed, 0 skipped\n", ""},
		{"wast fail", []string{"wast", failWast}, exitFailure, "~fail.wast:", ""},
		{"wast missing file", []string{"wast", "testdata/missing.wast"}, exitFailure, "~missing.wast: no such file or directory\n0 passed, 1 failed, 0 skipped\n", ""},
		{"wast verbose", []string{"wast", "-v", helloWast}, exitOK, "~assert_trap: 1 passed, 0 failed, 0 skipped\n", ""},
		{"wast no files", []string{"wast"}, exitUsage, "", "expected at least one FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout.String(), stderr.String())
			}
			switch {
			case tt.stdout == "":
			case strings.HasPrefix(tt.stdout, "~"):
				if !strings.Contains(stdout.String(), tt.stdout[1:]) {
					t.Errorf("stdout %q does not contain %q", stdout.String(), tt.stdout[1:])
				}
			default:
				if stdout.String() != tt.stdout {
					t.Errorf("stdout %q, want %q", stdout.String(), tt.stdout)
				}
			}
			if !strings.Contains(stderr.String(), tt.stderrHave) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tt.stderrHave)
			}
		})
	}
}

// TestParseRoundTrip converts the text example to binary and runs the
// binary.
func TestParseRoundTrip(t *testing.T) {
	out := filepath.Join(t.TempDir(), "fib.wasm")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"parse", fibWat, "-o", out}, &stdout, &stderr); code != exitOK {
		t.Fatalf("parse: exit %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte(wasmMagic)) {
		t.Fatalf("output does not start with the wasm magic: % x", b[:min(len(b), 8)])
	}
	stdout.Reset()
	if code := run([]string{"run", "--invoke", "fib", out, "10"}, &stdout, &stderr); code != exitOK || stdout.String() != "55\n" {
		t.Fatalf("run fib.wasm: exit %d, stdout %q, stderr %s", code, stdout.String(), stderr.String())
	}
	if code := run([]string{"validate", out}, &stdout, &stderr); code != exitOK {
		t.Fatalf("validate fib.wasm: exit %d: %s", code, stderr.String())
	}
}

func TestFormatResult(t *testing.T) {
	tests := []struct {
		typ  string
		arg  string
		want string
	}{
		{"i32", "-1", "-1"},
		{"i32", "4294967295", "-1"},
		{"i32", "0x10", "16"},
		{"i64", "-9223372036854775808", "-9223372036854775808"},
		{"i64", "18446744073709551615", "-1"},
		{"f32", "1", "1"},
		{"f32", "0.1", "0.1"},
		{"f64", "1e21", "1000000000000000000000"},
		{"f64", "-inf", "-inf"},
		{"f64", "nan", "NaN"},
	}
	for _, tt := range tests {
		typ := valType(tt.typ)
		v, err := parseArg(tt.arg, typ)
		if err != nil {
			t.Errorf("parseArg(%q, %s): %v", tt.arg, tt.typ, err)
			continue
		}
		if got := formatResult(&v); got != tt.want {
			t.Errorf("formatResult(parseArg(%q, %s)) = %q, want %q", tt.arg, tt.typ, got, tt.want)
		}
	}
	for _, bad := range []struct{ typ, arg string }{{"i32", "4294967296"}, {"i32", "1.5"}, {"i64", ""}, {"f32", "x"}} {
		if _, err := parseArg(bad.arg, valType(bad.typ)); err == nil {
			t.Errorf("parseArg(%q, %s) succeeded", bad.arg, bad.typ)
		}
	}
}
