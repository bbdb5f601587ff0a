// Command gowork is the Go benchmark workload: goroutines, channels, maps
// and string building. It is built for GOOS=wasip1 GOARCH=wasm (see
// ../../build.sh) and also runs natively. Its only argument is the size
// n; it prints a checksum that does not depend on goroutine scheduling.
package main

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
)

const workers = 4

var syllables = []string{"ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "vu", "ze", "qua", "bre"}

// job asks a worker to generate a batch of words from a seed.
type job struct {
	seed  uint32
	count int
}

func xorshift(s uint32) uint32 {
	s ^= s << 13
	s ^= s >> 17
	s ^= s << 5
	return s
}

// words makes count pseudo-random words and counts them.
func words(j job) map[string]int {
	m := make(map[string]int)
	s := j.seed | 1
	var b strings.Builder
	for i := 0; i < j.count; i++ {
		b.Reset()
		s = xorshift(s)
		parts := 1 + int(s%3)
		for p := 0; p < parts; p++ {
			s = xorshift(s)
			b.WriteString(syllables[s%uint32(len(syllables))])
		}
		if s&7 == 0 {
			b.WriteString(strconv.Itoa(int(s>>20) % 10))
		}
		m[b.String()]++
	}
	return m
}

func run(n int) uint64 {
	jobs := make(chan job)
	results := make(chan map[string]int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- words(j)
			}
		}()
	}
	batches := n/100 + 1
	go func() {
		for i := 0; i < batches; i++ {
			jobs <- job{seed: uint32(i)*2654435761 + 1, count: 100}
		}
		close(jobs)
		wg.Wait()
		close(results)
	}()
	total := make(map[string]int)
	for m := range results {
		for k, v := range m {
			total[k] += v
		}
	}
	keys := make([]string, 0, len(total))
	for k := range total {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h := uint64(14695981039346656037) // FNV-1a
	for _, k := range keys {
		for _, c := range []byte(k + strconv.Itoa(total[k])) {
			h = (h ^ uint64(c)) * 1099511628211
		}
	}
	// Some string manipulation over the result.
	joined := strings.Join(keys, ",")
	upper := strings.ToUpper(joined)
	return h ^ uint64(strings.Count(upper, "KA"))<<32 ^ uint64(len(keys))
}

func main() {
	n := 10000
	if len(os.Args) > 1 {
		v, err := strconv.Atoi(os.Args[1])
		if err != nil {
			os.Stderr.WriteString("gowork: bad size: " + err.Error() + "\n")
			os.Exit(2)
		}
		n = v
	}
	os.Stdout.WriteString(strconv.FormatUint(run(n), 10) + "\n")
}
