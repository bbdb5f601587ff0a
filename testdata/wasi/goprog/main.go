// Command goprog exercises the Go runtime over WASI preview1: goroutines
// and channels, timers, maps and strings, files in the preopened directory
// /data, the environment, arguments, stdin, and the exit status.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	fmt.Println("args:", strings.Join(os.Args[1:], ","))
	fmt.Println("GREETING:", os.Getenv("GREETING"))

	// Goroutines and channels.
	results := make(chan int, 10)
	var wg sync.WaitGroup
	for i := 1; i <= 10; i++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			s := 0
			for k := 1; k <= n*1000; k++ {
				s += k % 7
			}
			results <- s
		}(i)
	}
	wg.Wait()
	close(results)
	total := 0
	for r := range results {
		total += r
	}
	fmt.Println("goroutine total:", total)

	// Timers.
	start := time.Now()
	<-time.After(20 * time.Millisecond)
	timer := time.NewTimer(10 * time.Millisecond)
	<-timer.C
	fmt.Println("timers ok:", time.Since(start) >= 30*time.Millisecond)

	// Maps and strings: word counts from stdin.
	counts := map[string]int{}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		for _, w := range strings.Fields(sc.Text()) {
			counts[strings.ToLower(w)]++
		}
	}
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	sort.Strings(words)
	for _, w := range words {
		fmt.Printf("%s=%d\n", w, counts[w])
	}

	// Files.
	if err := os.WriteFile("/data/go.txt", []byte("written by go\n"), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "write:", err)
		os.Exit(2)
	}
	b, err := os.ReadFile("/data/go.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, "read:", err)
		os.Exit(2)
	}
	fmt.Printf("read back: %q\n", b)
	if err := os.MkdirAll("/data/a/b", 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "mkdir:", err)
		os.Exit(2)
	}
	ents, err := os.ReadDir("/data")
	if err != nil {
		fmt.Fprintln(os.Stderr, "readdir:", err)
		os.Exit(2)
	}
	for _, e := range ents {
		fmt.Println("entry:", e.Name(), e.IsDir())
	}
	_, err = os.ReadFile("/data/../../../etc/hostname")
	fmt.Println("escape refused:", err != nil)

	fmt.Fprintln(os.Stderr, "goprog: exiting with 3")
	os.Exit(3)
}
