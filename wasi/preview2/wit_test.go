package preview2

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/internal/testenv"
)

// witItem is a function or resource declared by a WIT file.
type witItem struct {
	name   string   // linker name without version: "wasi:io/poll#[method]pollable.ready"
	params []string // parameter names ("self" first for methods); nil for resources
	res    bool     // a resource
}

// witToken matches what witItems needs of WIT: gates, interface and
// resource openings, functions (with their parameter lists, which hold
// no parentheses in WASI's WIT), constructors and braces.
var witToken = regexp.MustCompile(`@unstable\([^)]*\)|@since\([^)]*\)|@deprecated\([^)]*\)|` +
	`\binterface\s+([\w-]+)\s*\{|\bresource\s+([\w-]+)\s*([{;])|` +
	`\bconstructor\s*\(([^)]*)\)|([\w-]+)\s*:\s*(static\s+)?func\s*\(([^)]*)\)|[{}]`)

// witItems returns the stable functions and resources the WIT files of
// package pkg ("wasi:io") in dir declare.
func witItems(t *testing.T, dir, pkg string) []witItem {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.wit"))
	if len(files) == 0 {
		t.Fatalf("no WIT files in %s", dir)
	}
	var items []witItem
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, l := range strings.Split(string(b), "\n") {
			if i := strings.Index(l, "//"); i >= 0 {
				l = l[:i]
			}
			lines = append(lines, l)
		}
		src := strings.Join(lines, "\n")
		type scope struct {
			kind, name string // "interface", "resource" or "" (record, variant... bodies)
			gated      bool
		}
		var stack []scope
		gated := false
		iface := func() string {
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i].kind == "interface" {
					return pkg + "/" + stack[i].name
				}
			}
			return ""
		}
		inGated := func() bool {
			for _, s := range stack {
				if s.gated {
					return true
				}
			}
			return false
		}
		paramNames := func(list string) []string {
			var out []string
			for _, p := range strings.Split(list, ",") {
				if name, _, ok := strings.Cut(p, ":"); ok {
					out = append(out, strings.TrimSpace(name))
				}
			}
			return out
		}
		for _, m := range witToken.FindAllStringSubmatch(src, -1) {
			tok := m[0]
			switch {
			case strings.HasPrefix(tok, "@unstable"):
				gated = true
				continue
			case strings.HasPrefix(tok, "@"):
				continue
			case m[1] != "":
				stack = append(stack, scope{"interface", m[1], gated})
			case m[2] != "":
				if !gated && !inGated() && iface() != "" {
					items = append(items, witItem{name: iface() + "#" + m[2], res: true})
				}
				if m[3] == "{" {
					stack = append(stack, scope{"resource", m[2], gated})
				}
			case strings.HasPrefix(tok, "constructor"):
				if !gated && !inGated() {
					r := stack[len(stack)-1].name
					items = append(items, witItem{name: iface() + "#[constructor]" + r, params: paramNames(m[4])})
				}
			case m[5] != "":
				if !gated && !inGated() && iface() != "" {
					ps := paramNames(m[7])
					name := m[5]
					if top := stack[len(stack)-1]; top.kind == "resource" {
						if m[6] != "" {
							name = "[static]" + top.name + "." + name
						} else {
							name = "[method]" + top.name + "." + name
							ps = append([]string{"self"}, ps...)
						}
					}
					items = append(items, witItem{name: iface() + "#" + name, params: ps})
				}
			case tok == "{":
				stack = append(stack, scope{gated: gated})
			case tok == "}":
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			}
			gated = false
		}
	}
	return items
}

// checkWIT checks the definitions recorded in r for the WASI package pkg
// ("io", "http"...) against its WIT files under root: every stable
// resource and function is defined, each function with the WIT's
// parameter names, except items whose name starts with one of exported
// (interfaces the components export). It adds the names it expects to
// want and returns the numbers of functions and resources checked.
func checkWIT(t *testing.T, r *recorder, root, pkg string, want map[string]bool, exported ...string) (nfuncs, nres int) {
	t.Helper()
items:
	for _, it := range witItems(t, filepath.Join(root, pkg), "wasi:"+pkg) {
		for _, x := range exported {
			if strings.HasPrefix(it.name, x) {
				continue items
			}
		}
		iface, item, _ := strings.Cut(it.name, "#")
		full := iface + "@" + Version + "#" + item
		want[full] = true
		if it.res {
			nres++
			if r.resources[full] == nil {
				t.Errorf("resource %s not defined", full)
			}
			continue
		}
		nfuncs++
		f, ok := r.funcs[full]
		if !ok {
			t.Errorf("function %s not defined", full)
			continue
		}
		var got []string
		for _, p := range f.typ.Params {
			got = append(got, p.Name)
		}
		if !slices.Equal(got, it.params) {
			t.Errorf("%s: parameters %v, WIT has %v", full, got, it.params)
		}
	}
	return nfuncs, nres
}

// TestWIT checks the host's definitions against the WIT of WASI 0.2.12:
// every stable function of wasi:io, wasi:cli (except the exported
// wasi:cli/run), wasi:clocks and wasi:random is defined under its exact
// name with its parameter names, every resource is defined, and nothing
// else is.
func TestWIT(t *testing.T) {
	root := testenv.Require(t, "wit/wasi-"+Version)
	_, r := testHost(t, Config{})
	want := map[string]bool{}
	nfuncs, nres := 0, 0
	for _, pkg := range []string{"io", "cli", "clocks", "random"} {
		nf, nr := checkWIT(t, r, root, pkg, want, "wasi:cli/run#")
		nfuncs, nres = nfuncs+nf, nres+nr
	}
	for name := range r.funcs {
		if !want[name] {
			t.Errorf("function %s defined but not in the WIT", name)
		}
	}
	for name := range r.resources {
		if !want[name] {
			t.Errorf("resource %s defined but not in the WIT", name)
		}
	}
	t.Logf("%d functions and %d resources of WASI %s checked", nfuncs, nres, Version)
	if nfuncs < 40 {
		t.Errorf("only %d functions found in the WIT: the scanner misses some", nfuncs)
	}
}
