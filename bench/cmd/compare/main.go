// Command compare runs the benchmark workloads under gowasm, wazero's
// interpreter and wazero's compiler and prints a comparison table:
// compile and run times (medians over several rounds, the runtimes
// alternating within each round), the gowasm/wazero-interp run-time
// ratio and its geometric mean, checksum agreement, peak RSS per
// workload and runtime (one child process each), and the process-level
// start-up time of testdata/go-hello.
//
// Usage (from the bench directory):
//
//	go run ./cmd/compare [-rounds 5] [-filter regexp] [-size 1] [-md]
//
// Build with -tags nogowasm to leave the gowasm engine out (wazero only).
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/gowasm/gowasm/bench"
)

// Exit codes of the child modes.
const (
	exitOK    = 0
	exitError = 1
	exitNA    = 3
)

type options struct {
	rounds      int
	filter      *regexp.Regexp
	size        float64
	runtimes    []bench.Runtime
	rss         bool
	startup     bool
	startupRuns int
	timeout     time.Duration
	md          bool
}

func main() {
	// Child modes, used for the per-process measurements.
	if len(os.Args) > 1 && strings.HasPrefix(os.Args[1], "-child-") {
		os.Exit(child(os.Args[1:]))
	}
	var (
		o        options
		filter   string
		runtimes string
	)
	flag.IntVar(&o.rounds, "rounds", 5, "number of rounds (medians are taken over them)")
	flag.StringVar(&filter, "filter", "", "run only the workloads whose name matches this regexp")
	flag.Float64Var(&o.size, "size", 1, "scale every workload's default size by this factor")
	flag.StringVar(&runtimes, "runtimes", "gowasm,wazero-interp,wazero-compiler", "comma-separated runtimes to compare")
	flag.BoolVar(&o.rss, "rss", true, "measure peak RSS (one child process per workload and runtime)")
	flag.BoolVar(&o.startup, "startup", true, "measure process start-up of testdata/go-hello")
	flag.IntVar(&o.startupRuns, "startup-runs", 7, "child processes per runtime for the start-up measurement")
	flag.DurationVar(&o.timeout, "timeout", 2*time.Minute, "time limit for one run")
	flag.BoolVar(&o.md, "md", false, "print Markdown tables")
	flag.Parse()
	var err error
	if o.filter, err = regexp.Compile(filter); err != nil {
		fatal(err)
	}
	for _, name := range strings.Split(runtimes, ",") {
		rt := bench.RuntimeByName(strings.TrimSpace(name))
		if rt == nil {
			fatal(fmt.Errorf("unknown runtime %q", name))
		}
		o.runtimes = append(o.runtimes, rt)
	}
	if o.rounds < 1 {
		o.rounds = 1
	}
	if err := compare(o); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "compare:", err)
	os.Exit(1)
}

// cell accumulates the measurements of one workload under one runtime.
type cell struct {
	compile, run []time.Duration
	sums         []uint64
	err          error
	rss          int64 // KiB, 0 when not measured
	rssErr       error
}

func (c *cell) na() bool { return c.err != nil && errors.Is(c.err, bench.ErrNotAvailable) }

func compare(o options) error {
	ctx := context.Background()
	var ws []bench.Workload
	for _, w := range bench.Workloads {
		if o.filter.MatchString(w.Name) {
			ws = append(ws, w)
		}
	}
	if len(ws) == 0 {
		return errors.New("no workload matches the filter")
	}
	bins := make(map[string][]byte)
	for _, w := range ws {
		b, err := w.Load()
		if err != nil {
			return err
		}
		bins[w.Name] = b
	}
	cells := make(map[string][]*cell) // workload → per runtime
	for _, w := range ws {
		cs := make([]*cell, len(o.runtimes))
		for i := range cs {
			cs[i] = &cell{}
		}
		cells[w.Name] = cs
	}
	fmt.Fprintln(os.Stderr, header())
	for r := 0; r < o.rounds; r++ {
		fmt.Fprintf(os.Stderr, "round %d/%d:", r+1, o.rounds)
		for _, w := range ws {
			n := w.Size(o.size)
			fmt.Fprintf(os.Stderr, " %s", w.Name)
			// Alternate the runtimes' order from round to round.
			for k := range o.runtimes {
				i := (k + r) % len(o.runtimes)
				c := cells[w.Name][i]
				if c.err != nil {
					continue
				}
				rctx, cancel := context.WithTimeout(ctx, o.timeout)
				res, err := bench.Measure(rctx, o.runtimes[i], w, bins[w.Name], n)
				cancel()
				if err != nil {
					c.err = err
					continue
				}
				c.compile = append(c.compile, res.Compile)
				c.run = append(c.run, res.Run)
				c.sums = append(c.sums, res.Checksum)
			}
		}
		fmt.Fprintln(os.Stderr)
	}
	var baseRSS int64
	if o.rss {
		fmt.Fprint(os.Stderr, "peak RSS:")
		var err error
		baseRSS, err = childRSS("-child-none")
		if err != nil {
			return fmt.Errorf("baseline child: %w", err)
		}
		for _, w := range ws {
			fmt.Fprintf(os.Stderr, " %s", w.Name)
			for i, rt := range o.runtimes {
				c := cells[w.Name][i]
				if c.err != nil {
					c.rssErr = c.err
					continue
				}
				c.rss, c.rssErr = childRSS("-child-run", rt.Name(), w.Name, strconv.Itoa(w.Size(o.size)))
			}
		}
		fmt.Fprintln(os.Stderr)
	}
	var st startupResult
	if o.startup {
		fmt.Fprintln(os.Stderr, "start-up: go-hello")
		st = measureStartup(ctx, o)
	}

	fmt.Println(header())
	fmt.Printf("rounds: %d, size scale: %g; times are medians; run = the call of run(n) (a WASI command: its whole execution)\n\n", o.rounds, o.size)
	printTimes(o, ws, cells)
	if o.rss {
		fmt.Println()
		printRSS(o, ws, cells, baseRSS)
	}
	if o.startup {
		fmt.Println()
		printStartup(o, st)
	}
	// Errors other than n/a, once each.
	var errs []string
	for _, w := range ws {
		for i, c := range cells[w.Name] {
			if c.err != nil && !c.na() {
				errs = append(errs, fmt.Sprintf("%s/%s: %v", w.Name, o.runtimes[i].Name(), c.err))
			} else if c.rssErr != nil && c.err == nil {
				errs = append(errs, fmt.Sprintf("%s/%s (RSS child): %v", w.Name, o.runtimes[i].Name(), c.rssErr))
			}
		}
	}
	if len(errs) > 0 {
		fmt.Println("\nerrors:")
		for _, e := range errs {
			fmt.Println("  " + e)
		}
	}
	return nil
}

func header() string {
	wz := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/tetratelabs/wazero" {
				wz = d.Version
			}
		}
	}
	load := "unknown"
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			load = strings.Join(f[:3], " ")
		}
	}
	return fmt.Sprintf("%s  %s %s/%s  wazero %s  nproc %d  cpu %q  load average %s",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), runtime.Version(), runtime.GOOS, runtime.GOARCH,
		wz, runtime.NumCPU(), cpuModel(), load)
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func fmtDur(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d >= time.Second:
		return fmt.Sprintf("%.2fs", d.Seconds())
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.0fms", float64(d)/1e6)
	case d >= time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/1e6)
	default:
		return fmt.Sprintf("%.0fµs", float64(d)/1e3)
	}
}

// table prints rows either aligned (tabwriter) or as Markdown.
type table struct {
	md   bool
	rows [][]string
}

func (t *table) add(cols ...string) { t.rows = append(t.rows, cols) }

func (t *table) print(w io.Writer) {
	if t.md {
		for i, r := range t.rows {
			fmt.Fprintf(w, "| %s |\n", strings.Join(r, " | "))
			if i == 0 {
				seps := make([]string, len(r))
				for j := range seps {
					seps[j] = "---"
					if j > 0 {
						seps[j] = "--:"
					}
				}
				fmt.Fprintf(w, "|%s|\n", strings.Join(seps, "|"))
			}
		}
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, r := range t.rows {
		fmt.Fprintf(tw, "%s\t\n", strings.Join(r, "\t"))
	}
	tw.Flush()
}

func shortName(name string) string {
	return strings.NewReplacer("wazero-interp", "wz-interp", "wazero-compiler", "wz-comp").Replace(name)
}

func cellStr(c *cell, f func(*cell) string) string {
	switch {
	case c.na():
		return "n/a"
	case c.err != nil && len(c.run) == 0:
		return "error"
	}
	return f(c)
}

func printTimes(o options, ws []bench.Workload, cells map[string][]*cell) {
	t := &table{md: o.md}
	hdr := []string{"workload", "n"}
	for _, rt := range o.runtimes {
		hdr = append(hdr, "compile "+shortName(rt.Name()))
	}
	for _, rt := range o.runtimes {
		hdr = append(hdr, "run "+shortName(rt.Name()))
	}
	gi, ii, ci := index(o, "gowasm"), index(o, "wazero-interp"), index(o, "wazero-compiler")
	if gi >= 0 && ii >= 0 {
		hdr = append(hdr, "gowasm/wz-interp")
	}
	if gi >= 0 && ci >= 0 {
		hdr = append(hdr, "gowasm/wz-comp")
	}
	hdr = append(hdr, "checksum")
	t.add(hdr...)
	var logI, logC []float64
	for _, w := range ws {
		cs := cells[w.Name]
		row := []string{w.Name, strconv.Itoa(w.Size(o.size))}
		for _, c := range cs {
			row = append(row, cellStr(c, func(c *cell) string { return fmtDur(median(c.compile)) }))
		}
		for _, c := range cs {
			row = append(row, cellStr(c, func(c *cell) string { return fmtDur(median(c.run)) }))
		}
		ratio := func(j int, logs *[]float64) string {
			g, p := cs[gi], cs[j]
			if len(g.run) == 0 || len(p.run) == 0 {
				return "n/a"
			}
			r := float64(median(g.run)) / float64(median(p.run))
			*logs = append(*logs, math.Log(r))
			return fmt.Sprintf("%.2f", r)
		}
		if gi >= 0 && ii >= 0 {
			row = append(row, ratio(ii, &logI))
		}
		if gi >= 0 && ci >= 0 {
			row = append(row, ratio(ci, &logC))
		}
		row = append(row, checksum(cs))
		t.add(row...)
	}
	geo := func(logs []float64) string {
		if len(logs) == 0 {
			return "n/a"
		}
		s := 0.0
		for _, l := range logs {
			s += l
		}
		return fmt.Sprintf("%.2f", math.Exp(s/float64(len(logs))))
	}
	if gi >= 0 && (ii >= 0 || ci >= 0) {
		row := []string{"geomean", ""}
		for range 2 * len(o.runtimes) {
			row = append(row, "")
		}
		if ii >= 0 {
			row = append(row, geo(logI))
		}
		if ci >= 0 {
			row = append(row, geo(logC))
		}
		row = append(row, "")
		t.add(row...)
	}
	t.print(os.Stdout)
}

func index(o options, name string) int {
	for i, rt := range o.runtimes {
		if rt.Name() == name {
			return i
		}
	}
	return -1
}

// checksum tells whether every measurement of every runtime agrees.
func checksum(cs []*cell) string {
	var v uint64
	seen, agree := false, true
	for _, c := range cs {
		for _, s := range c.sums {
			if !seen {
				v, seen = s, true
			} else if s != v {
				agree = false
			}
		}
	}
	switch {
	case !seen:
		return "-"
	case !agree:
		return "MISMATCH"
	}
	return fmt.Sprintf("ok %016x", v)
}

func printRSS(o options, ws []bench.Workload, cells map[string][]*cell, base int64) {
	fmt.Printf("peak RSS (MiB, one child process per cell; a child that runs nothing: %.1f MiB)\n", float64(base)/1024)
	if o.md {
		fmt.Println()
	}
	t := &table{md: o.md}
	hdr := []string{"workload"}
	for _, rt := range o.runtimes {
		hdr = append(hdr, shortName(rt.Name()))
	}
	t.add(hdr...)
	for _, w := range ws {
		row := []string{w.Name}
		for _, c := range cells[w.Name] {
			switch {
			case c.na():
				row = append(row, "n/a")
			case c.rssErr != nil:
				row = append(row, "error")
			default:
				row = append(row, fmt.Sprintf("%.1f", float64(c.rss)/1024))
			}
		}
		t.add(row...)
	}
	t.print(os.Stdout)
}

// startupResult holds the start-up measurements of go-hello, per runtime.
type startupResult struct {
	runs       [][]time.Duration // wall time of child processes
	errs       []error
	compile    [][]time.Duration // in-process compile time
	compileErr []error
	base       time.Duration // wall time of a child that runs nothing
}

func printStartup(o options, st startupResult) {
	fmt.Printf("start-up of testdata/go-hello (process: median wall time of %d child processes that read, compile, instantiate and run it to exit, a child that runs nothing taking %s; compile: in-process median of %d)\n",
		o.startupRuns, fmtDur(st.base), o.rounds)
	if o.md {
		fmt.Println()
	}
	t := &table{md: o.md}
	hdr := []string{"go-hello"}
	for _, rt := range o.runtimes {
		hdr = append(hdr, shortName(rt.Name()))
	}
	t.add(hdr...)
	row := func(name string, runs [][]time.Duration, errs []error) {
		r := []string{name}
		for i := range o.runtimes {
			switch {
			case errs[i] != nil && errors.Is(errs[i], bench.ErrNotAvailable):
				r = append(r, "n/a")
			case errs[i] != nil:
				r = append(r, "error")
			default:
				r = append(r, fmtDur(median(runs[i])))
			}
		}
		t.add(r...)
	}
	row("process start-up", st.runs, st.errs)
	row("compile", st.compile, st.compileErr)
	t.print(os.Stdout)
	for i := range o.runtimes {
		for _, err := range []error{st.errs[i], st.compileErr[i]} {
			if err != nil && !errors.Is(err, bench.ErrNotAvailable) {
				fmt.Printf("  %s: %v\n", o.runtimes[i].Name(), err)
			}
		}
	}
}

func measureStartup(ctx context.Context, o options) startupResult {
	nr := len(o.runtimes)
	st := startupResult{
		runs: make([][]time.Duration, nr), errs: make([]error, nr),
		compile: make([][]time.Duration, nr), compileErr: make([]error, nr),
	}
	path, err := bench.HelloPath()
	var bin []byte
	if err == nil {
		bin, err = os.ReadFile(path)
	}
	if err != nil {
		for i := range st.errs {
			st.errs[i], st.compileErr[i] = err, err
		}
		return st
	}
	for k := 0; k < o.rounds; k++ {
		for j := range o.runtimes {
			i := (j + k) % nr
			if st.compileErr[i] != nil {
				continue
			}
			runtime.GC()
			t0 := time.Now()
			c, err := o.runtimes[i].Compile(ctx, bin)
			d := time.Since(t0)
			if err != nil {
				st.compileErr[i] = err
				continue
			}
			c.Close(ctx)
			st.compile[i] = append(st.compile[i], d)
		}
	}
	var base []time.Duration
	for k := 0; k < o.startupRuns; k++ {
		if d, err := childWall("-child-none"); err == nil {
			base = append(base, d)
		}
		for j := range o.runtimes {
			i := (j + k) % nr
			if st.errs[i] != nil {
				continue
			}
			d, err := childWall("-child-start", o.runtimes[i].Name(), path)
			if err != nil {
				st.errs[i] = err
				continue
			}
			st.runs[i] = append(st.runs[i], d)
		}
	}
	if len(base) > 0 {
		st.base = median(base)
	}
	return st
}

// runChild runs this program in a child mode and returns its state.
func runChild(args ...string) (*os.ProcessState, time.Duration, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, 0, err
	}
	cmd := exec.Command(exe, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = io.Discard
	t0 := time.Now()
	err = cmd.Run()
	d := time.Since(t0)
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == exitNA {
			return nil, d, bench.ErrNotAvailable
		}
		return nil, d, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return cmd.ProcessState, d, nil
}

// childRSS runs a child mode through a relay process and returns the
// child's peak RSS in KiB, as the relay reads it from the child's
// os.ProcessState.SysUsage().
//
// The relay is needed because os/exec starts children with
// clone(CLONE_VM|CLONE_VFORK) on Linux: at execve the kernel folds the
// high-water RSS of the shared (parent's) address space into the child's
// ru_maxrss, so a child started directly by this large process would
// report at least this process's peak. The relay is small, so the floor
// it leaves is the baseline printed with the table.
func childRSS(args ...string) (int64, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	cmd := exec.Command(exe, append([]string{"-child-relay"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == exitNA {
			return 0, bench.ErrNotAvailable
		}
		return 0, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return strconv.ParseInt(strings.TrimSpace(stdout.String()), 10, 64)
}

// relay runs a child mode and prints its peak RSS in KiB.
func relay(args []string) int {
	ps, _, err := runChild(args...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		if errors.Is(err, bench.ErrNotAvailable) {
			return exitNA
		}
		return exitError
	}
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		fmt.Fprintln(os.Stderr, "no rusage on this system")
		return exitError
	}
	fmt.Println(ru.Maxrss) // KiB on Linux
	return exitOK
}

func childWall(args ...string) (time.Duration, error) {
	_, d, err := runChild(args...)
	return d, err
}

// child runs one child mode and returns the exit code:
//
//	-child-relay MODE ARGS...          run a child mode, print its peak RSS
//	-child-none                        do nothing (baseline)
//	-child-run RUNTIME WORKLOAD N      compile and run one workload once
//	-child-start RUNTIME FILE          run a WASI command once
func child(args []string) int {
	ctx := context.Background()
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, err)
		if errors.Is(err, bench.ErrNotAvailable) {
			return exitNA
		}
		return exitError
	}
	switch {
	case args[0] == "-child-relay" && len(args) > 1:
		return relay(args[1:])
	case args[0] == "-child-none" && len(args) == 1:
		return exitOK
	case args[0] == "-child-run" && len(args) == 4:
		rt := bench.RuntimeByName(args[1])
		w, ok := bench.Lookup(args[2])
		n, err := strconv.Atoi(args[3])
		if rt == nil || !ok || err != nil {
			return fail(fmt.Errorf("bad child arguments %q", args))
		}
		bin, err := w.Load()
		if err != nil {
			return fail(err)
		}
		res, err := bench.Measure(ctx, rt, w, bin, n)
		if err != nil {
			return fail(err)
		}
		fmt.Println(res.Checksum)
		return exitOK
	case args[0] == "-child-start" && len(args) == 3:
		rt := bench.RuntimeByName(args[1])
		if rt == nil {
			return fail(fmt.Errorf("unknown runtime %q", args[1]))
		}
		bin, err := os.ReadFile(args[2])
		if err != nil {
			return fail(err)
		}
		c, err := rt.Compile(ctx, bin)
		if err != nil {
			return fail(err)
		}
		if err := c.RunWASI(ctx, []string{"hello"}, os.Stdout); err != nil {
			return fail(err)
		}
		return exitOK
	}
	return fail(fmt.Errorf("bad child arguments %q", args))
}
