package spectest

import (
	"bufio"
	"context"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/text"
	"github.com/gowasm/gowasm/wasm"
)

// TestPassScript runs a hand-written script whose commands must all pass.
func TestPassScript(t *testing.T) {
	var out strings.Builder
	sum, err := RunFile(context.Background(), "testdata/pass.wast", Options{Stdout: &out})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sum.Failures {
		t.Errorf("%s", f)
	}
	for _, n := range sum.Notes {
		t.Logf("note: %s", n)
	}
	c := sum.Total()
	if c.Failed != 0 || c.Skipped != 0 || c.Passed < 30 {
		t.Errorf("counts: %s", c)
	}
	if got, want := out.String(), "1 : i32\n2 : i32\n"; got != want {
		t.Errorf("spectest.print_i32 wrote %q, want %q", got, want)
	}
}

// TestFailScript runs a script whose assertions are all wrong: each must
// be reported, at its line.
func TestFailScript(t *testing.T) {
	const path = "testdata/fail.wast"
	sum, err := RunFile(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	first := true
	for n := 1; sc.Scan(); n++ {
		if strings.HasPrefix(sc.Text(), "(") {
			if first { // the first module loads fine
				first = false
				continue
			}
			want = append(want, n)
		}
	}
	var got []int
	for _, f := range sum.Failures {
		got = append(got, f.Pos.Line)
		if !strings.HasPrefix(f.String(), path+":") {
			t.Errorf("failure %q does not start with the file name", f)
		}
	}
	sort.Ints(got)
	if len(got) != len(want) {
		t.Fatalf("failures at lines %v, want %v\n%s", got, want, failureList(sum))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("failures at lines %v, want %v\n%s", got, want, failureList(sum))
		}
	}
	if c := sum.Total(); c.Passed != 1 || c.Failed != len(want) {
		t.Errorf("counts: %s", c)
	}
	t.Logf("\n%s", failureList(sum))
}

func failureList(s Summary) string {
	var b strings.Builder
	for _, f := range s.Failures {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func TestPanicSite(t *testing.T) {
	var site string
	func() {
		defer func() {
			recover()
			site = panicSite()
		}()
		var m map[string]int
		m["x"] = 1 // panics
	}()
	if !strings.Contains(site, "TestPanicSite") {
		t.Errorf("panicSite() = %q, want the panicking function", site)
	}
}

// TestPanicRecovered checks that a panic while running a command (here in
// a host function the engine calls) fails that command only.
func TestPanicRecovered(t *testing.T) {
	const src = `
(module
  (import "spectest" "boom" (func $boom))
  (func (export "boom") (call $boom))
  (func (export "one") (result i32) (i32.const 1)))
(assert_return (invoke "boom"))
(assert_return (invoke "one") (i32.const 1))
`
	script, err := text.ParseScript([]byte(src), "panic.wast")
	if err != nil {
		t.Fatal(err)
	}
	r := newRunner(script.File, Options{})
	r.host.exports["boom"] = r.store.NewHostFunc(wasm.FuncType{},
		func(context.Context, []interp.Value) ([]interp.Value, error) { panic("boom") })
	for i := range script.Commands {
		r.run(context.Background(), &script.Commands[i])
	}
	if c := r.sum.Total(); c.Passed != 2 || c.Failed != 1 {
		t.Fatalf("counts %s, want 2 passed, 1 failed; failures: %v", c, r.sum.Failures)
	}
	t.Logf("%s", r.sum.Failures[0])
	if f := r.sum.Failures[0]; f.Pos.Line != 6 || !strings.Contains(f.Message, "boom") {
		t.Errorf("failure %s: want line 6 mentioning the panic", f)
	}
}

// TestCancelled checks that a cancelled run fails the first command it
// does not run and skips the rest.
func TestCancelled(t *testing.T) {
	script, err := text.ParseScript([]byte("(module)\n(module)\n(module)\n"), "c.wast")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sum := RunScript(ctx, script, Options{})
	if c := sum.Total(); c != (Counts{Failed: 1, Skipped: 2}) {
		t.Errorf("counts %s, want 0 passed, 1 failed, 2 skipped", c)
	}
	if len(sum.Failures) != 1 || sum.Failures[0].Pos.Line != 1 {
		t.Errorf("failures %v, want one at line 1", sum.Failures)
	}
}
