package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gowasm/gowasm/spectest"
	"github.com/gowasm/gowasm/wasm"
)

func cmdWast(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("wast", "[OPTIONS] FILE...",
		"Run WebAssembly script (.wast) files, the format of the specification tests.\n"+
			"Prints each failure as 'file:line: command: expected …, got …' and ends with\n"+
			"'N passed, N failed, N skipped'. Exits with 1 if anything failed.", stderr)
	verbose := fs.Bool("v", false, "also print notes (e.g. differing error messages), per-file and per-command counts")
	printOut := fs.Bool("print", false, "show the output of the spectest print functions")
	cmdTimeout := fs.Duration("timeout", time.Minute, "cancel a command running longer than `DURATION` (0: never)")
	fileTimeout := fs.Duration("file-timeout", 5*time.Minute, "give up on a file running longer than `DURATION` (0: never)")
	wasm3 := fs.Bool("wasm3", false, "parse, validate and run the modules under the Wasm 3.0 rules (for the 3.0 suite)")
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
	opt := spectest.Options{CommandTimeout: *cmdTimeout}
	if *wasm3 {
		opt.Features = wasm.Wasm3
	}
	// runFile runs one file, abandoning it (its goroutine ends with the
	// process) when it overruns the file timeout even though its context
	// is cancelled.
	runFile := func(path string) result {
		ctx := context.Background()
		if *fileTimeout <= 0 {
			sum, err := spectest.RunFile(ctx, path, opt)
			return result{sum, err}
		}
		ctx, cancel := context.WithTimeout(ctx, *fileTimeout)
		defer cancel()
		done := make(chan result, 1)
		go func() {
			sum, err := spectest.RunFile(ctx, path, opt)
			done <- result{sum, err}
		}()
		select {
		case r := <-done:
			return r
		case <-time.After(*fileTimeout + 5*time.Second):
			return result{err: fmt.Errorf("%s: timed out after %v", path, *fileTimeout)}
		}
	}
	if *printOut {
		// Files run one at a time so their output does not interleave.
		opt.Stdout = stdout
		for i, path := range pos {
			results[i] = runFile(path)
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
				results[i] = runFile(path)
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
