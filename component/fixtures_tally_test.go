package component

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/interp"
)

// fixtureBehaviourTests maps each jco runtime fixture to the existing
// tests of this package that check its behaviour (calls with expected
// results), not only that it decodes and instantiates. The existing tests
// are organised by feature, not by fixture, so one test covers several
// fixtures; a fixture counts as checked and passing when all its tests
// pass.
var fixtureBehaviourTests = map[string][]string{
	"adder.component.wasm":                   {"TestCallFixtures", "TestAdder"},
	"asmjs_bigint.component.wasm":            {"TestCallFixtures"},
	"numbers.component.wasm":                 {"TestCallFixtures", "TestTestImports", "TestNoReentry"},
	"lists.component.wasm":                   {"TestCallFixtures", "TestTestImports", "TestBytesFastPath", "TestGuestAssertion"},
	"options.component.wasm":                 {"TestCallFixtures", "TestTestImports"},
	"records.component.wasm":                 {"TestCallFixtures", "TestTestImports"},
	"flavorful.component.wasm":               {"TestCallFixtures", "TestTestImports"},
	"variants.component.wasm":                {"TestCallFixtures"},
	"strings.component.wasm":                 {"TestCallFixtures", "TestTestImports"},
	"versions.component.wasm":                {"TestCallFixtures"},
	"many-arguments.component.wasm":          {"TestTestImports", "TestManyArguments"},
	"many_arguments.component.wasm":          {"TestManyArguments"},
	"smoke.component.wasm":                   {"TestTestImports"},
	"simple-nested.component.wasm":           {"TestPassthrough"},
	"simple-nested-optimized.component.wasm": {"TestPassthrough"},
	"results.component.wasm":                 {"TestPassthrough"},
	"async_call.component.wasm":              {"TestPassthrough"},
	"resource-borrow-simple.component.wasm":  {"TestHostResource"},
	"resources.component.wasm":               {"TestResources", "TestDropResource"},
	"resource_borrow_export.component.wasm":  {"TestResourceFixtures"},
	"resource_with_lists.component.wasm":     {"TestResourceFixtures"},
}

// behaviourTests are the existing tests named in fixtureBehaviourTests.
var behaviourTests = map[string]func(*testing.T){
	"TestCallFixtures":     TestCallFixtures,
	"TestAdder":            TestAdder,
	"TestTestImports":      TestTestImports,
	"TestNoReentry":        TestNoReentry,
	"TestBytesFastPath":    TestBytesFastPath,
	"TestGuestAssertion":   TestGuestAssertion,
	"TestManyArguments":    TestManyArguments,
	"TestPassthrough":      TestPassthrough,
	"TestHostResource":     TestHostResource,
	"TestResources":        TestResources,
	"TestDropResource":     TestDropResource,
	"TestResourceFixtures": TestResourceFixtures,
}

// TestJcoFixturesTally compiles and instantiates every jco runtime
// fixture (the *.component.wasm files, the example_guest_*.wasm ones and
// the *.wat ones, which gowasm cannot parse, through the binaries
// testdata/components/jco-wat/build.sh converts them to; a missing binary
// fails the test) with the wasi:cli stdio imports the existing tests
// provide (stdioLinker) and every other import trapping, reruns the
// existing behavioural tests of the fixtures and the per-fixture tests,
// and logs a per-fixture table and a summary line.
func TestJcoFixturesTally(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "components/jco-fixtures/runtime")
	files, _ := filepath.Glob(filepath.Join(dir, "*.wasm"))
	wat, _ := filepath.Glob(filepath.Join(dir, "*.wat"))
	files = append(files, wat...)
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no fixtures in %s", dir)
		}
		t.Skipf("no fixtures in %s (github.com/bytecodealliance/jco)", dir)
	}
	sort.Strings(files)

	// Run each behavioural test once.
	passed := map[string]bool{}
	// Per-fixture tests registered by the fixtures_*_test.go files.
	perFixture := map[string]func(*testing.T){}
	for _, m := range []map[string]func(*testing.T){resourceFixtureTests, moreFixtureTests, watFixtureTests} {
		for n, f := range m {
			perFixture[n] = f
		}
	}
	fixtureNames := make([]string, 0, len(perFixture))
	for n := range perFixture {
		fixtureNames = append(fixtureNames, n)
	}
	sort.Strings(fixtureNames)
	for _, n := range fixtureNames {
		passed["fixture:"+n] = t.Run("fixture/"+n, perFixture[n])
	}
	names := make([]string, 0, len(behaviourTests))
	for n := range behaviourTests {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		passed[n] = t.Run(n, behaviourTests[n])
	}

	type row struct {
		name                  string
		decoded, instantiated bool
		tests                 []string
		behaviourOK           bool
		err                   string
	}
	var rows []row
	nDec, nInst, nBeh := 0, 0, 0
	ctx := context.Background()
	for _, f := range files {
		r := row{name: filepath.Base(f), tests: fixtureBehaviourTests[filepath.Base(f)]}
		if _, ok := perFixture[r.name]; ok {
			r.tests = append(append([]string(nil), r.tests...), "fixture:"+r.name)
		}
		// The text fixtures are read through their converted binaries.
		read := os.ReadFile
		if strings.HasSuffix(f, ".wat") {
			read = func(string) ([]byte, error) { return readWatBinary(r.name) }
		}
		if b, err := read(f); err != nil {
			r.err = "read: " + err.Error()
		} else if c, err := Compile(ctx, b); err != nil {
			r.err = "compile: " + err.Error()
		} else {
			r.decoded = true
			nDec++
			l := stdioLinker(t, "0.2.0")
			if _, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), c); err != nil {
				r.err = "instantiate: " + err.Error()
			} else {
				r.instantiated = true
				nInst++
			}
		}
		if len(r.tests) > 0 && r.instantiated {
			r.behaviourOK = true
			for _, n := range r.tests {
				r.behaviourOK = r.behaviourOK && passed[n]
			}
			if r.behaviourOK {
				nBeh++
			}
		}
		rows = append(rows, r)
	}
	for n := range perFixture {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("a per-fixture test names %s, which is not in %s", n, dir)
		}
	}
	for n := range fixtureBehaviourTests {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("fixtureBehaviourTests names %s, which is not in %s", n, dir)
		}
	}

	yn := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	t.Logf("%-48s %-7s %-12s %-9s %s", "fixture", "decoded", "instantiated", "behaviour", "tests / error")
	for _, r := range rows {
		beh := "-"
		if len(r.tests) > 0 {
			beh = "FAIL"
			if r.behaviourOK {
				beh = "pass"
			}
		}
		detail := strings.Join(r.tests, ",")
		if r.err != "" {
			detail = r.err
		}
		t.Logf("%-48s %-7s %-12s %-9s %s", r.name, yn(r.decoded), yn(r.instantiated), beh, detail)
	}
	t.Logf("jco fixtures: %d decoded, %d instantiated, %d with behaviour checked and passing / %d total",
		nDec, nInst, nBeh, len(rows))

	for _, r := range rows {
		if !r.decoded || !r.instantiated {
			t.Errorf("%s: %s", r.name, r.err)
		}
	}
}
