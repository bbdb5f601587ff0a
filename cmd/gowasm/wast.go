package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/gowasm/gowasm/spectest"
)

func cmdWast(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("wast", "[OPTIONS] FILE...",
		"Run WebAssembly script (.wast) files, the format of the specification tests.\n"+
			"Prints each failure as 'file:line: command: expected …, got …' and ends with\n"+
			"'N passed, N failed, N skipped'. Exits with 1 if anything failed.", stderr)
	verbose := fs.Bool("v", false, "also print notes (e.g. differing error messages), per-file and per-command counts")
	printOut := fs.Bool("print", false, "show the output of the spectest print functions")
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		return usageError(fs, stderr, "expected at least one FILE")
	}

	type result struct {
		sum spectest.Summary
		err error
	}
	results := make([]result, len(pos))
	opt := spectest.Options{}
	if *printOut {
		// Files run one at a time so their output does not interleave.
		opt.Stdout = stdout
		for i, path := range pos {
			sum, err := spectest.RunFile(context.Background(), path, opt)
			results[i] = result{sum, err}
		}
	} else {
		var wg sync.WaitGroup
		sem := make(chan struct{}, runtime.GOMAXPROCS(0))
		for i, path := range pos {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				sum, err := spectest.RunFile(context.Background(), path, opt)
				results[i] = result{sum, err}
			}()
		}
		wg.Wait()
	}

	var total spectest.Counts
	var all spectest.Summary
	for i, r := range results {
		if r.err != nil {
			msg := r.err.Error()
			if !strings.Contains(msg, pos[i]) {
				msg = pos[i] + ": " + msg
			}
			fmt.Fprintf(stdout, "%s\n", msg)
			total.Failed++
			continue
		}
		for _, f := range r.sum.Failures {
			fmt.Fprintln(stdout, f)
		}
		c := r.sum.Total()
		if *verbose {
			for _, n := range r.sum.Notes {
				fmt.Fprintf(stdout, "note: %s\n", n)
			}
			fmt.Fprintf(stdout, "%s: %s\n", pos[i], c)
		}
		all.Add(r.sum)
		total.Passed += c.Passed
		total.Failed += c.Failed
		total.Skipped += c.Skipped
	}
	if *verbose {
		for _, k := range all.KindNames() {
			fmt.Fprintf(stdout, "%s: %s\n", k, all.Kinds[k])
		}
	}
	fmt.Fprintln(stdout, total)
	if total.Failed > 0 {
		return exitFailure
	}
	return exitOK
}
