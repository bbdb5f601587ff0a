package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	cprogWasm  = "../../testdata/wasi/cprog.wasm"
	hostileWat = "testdata/hostile.wat"
)

// TestRunWASI runs a wasi-libc program through gowasm run with --dir and
// --env, and checks its output, exit status and the files it made.
func TestRunWASI(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"run", "--dir", dir + "::/data", "--env", "GREETING=hi", cprogWasm, "x"}, &stdout, &stderr)
	if code != 7 {
		t.Fatalf("exit code %d, want 7 (the guest's)\nstderr: %s", code, stderr.String())
	}
	for _, want := range []string{"argv[1]=x\n", "GREETING=hi\n", "escape via ..: refused\n", "absolute outside preopen: refused\n"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout %q lacks %q", stdout.String(), want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "sub", "moved.txt")); err != nil {
		t.Errorf("the guest's file is missing: %v", err)
	}
}

// TestRunLimits checks the flags that stop hostile guests.
func TestRunLimits(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"timeout", []string{"run", "--timeout", "100ms", "--invoke", "spin", hostileWat}, exitTrap, "", "interrupted"},
		{"fuel", []string{"run", "--fuel", "100000", "--invoke", "spin", hostileWat}, exitTrap, "", "out of fuel"},
		{"recursion", []string{"run", "--invoke", "recurse", hostileWat}, exitTrap, "", "call stack exhausted"},
		{"max-memory", []string{"run", "--max-memory", "4MiB", "--invoke", "grow", hostileWat}, exitOK, "64\n", ""},
		{"bad size", []string{"run", "--max-memory", "lots", "--invoke", "grow", hostileWat}, exitUsage, "", "invalid size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, &stdout, &stderr); code != tt.code {
				t.Fatalf("exit code %d, want %d\nstderr: %s", code, tt.code, stderr.String())
			}
			if tt.stdout != "" && stdout.String() != tt.stdout {
				t.Errorf("stdout %q, want %q", stdout.String(), tt.stdout)
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.stderr)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"65536", 65536, true}, {"64Ki", 65536, true}, {"10MiB", 10 << 20, true},
		{"1G", 1e9, true}, {"2Gi", 2 << 30, true}, {"x", 0, false}, {"-1", 0, false},
		{"99999999999999Gi", 0, false},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
