// Command gowasm validates, converts, prints and runs WebAssembly modules
// and runs WebAssembly script (.wast) tests.
//
// Usage:
//
//	gowasm <COMMAND> [OPTIONS] [ARGS]...
//
// Run "gowasm help" for the list of commands and "gowasm help COMMAND" for
// the options of one.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
