// Command hello is a Go GOOS=wasip1 hello world. Its hello.wasm (built by
// build.sh) is a realistic, ~3 MB module that the decoder and validator
// benchmarks and the start-up measurement use.
package main

import "fmt"

func main() {
	fmt.Println("hello, world")
}
