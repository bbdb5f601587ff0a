package bench

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strconv"
	"time"
)

// Result is one measurement of a workload under a runtime.
type Result struct {
	Compile  time.Duration // decode + validate + translate/compile
	Run      time.Duration // the call of run(n), or the whole WASI command
	Checksum uint64
}

// Measure compiles bin with rt, then runs workload w with size n once
// (instantiating a reactor outside the timed section) and times both
// phases. A WASI command's run time includes its instantiation, which is
// when it runs.
func Measure(ctx context.Context, rt Runtime, w Workload, bin []byte, n int) (Result, error) {
	var res Result
	runtime.GC()
	t0 := time.Now()
	c, err := rt.Compile(ctx, bin)
	res.Compile = time.Since(t0)
	if err != nil {
		return res, err
	}
	defer c.Close(ctx)
	if w.WASI {
		var out bytes.Buffer
		runtime.GC()
		t0 = time.Now()
		err = c.RunWASI(ctx, []string{w.Name, strconv.Itoa(n)}, &out)
		res.Run = time.Since(t0)
		if err != nil {
			return res, err
		}
		res.Checksum, err = ParseChecksum(out.String())
		return res, err
	}
	inst, err := c.Instantiate(ctx)
	if err != nil {
		return res, err
	}
	if n > 1<<31-1 {
		return res, fmt.Errorf("bench: size %d too large", n)
	}
	runtime.GC()
	t0 = time.Now()
	res.Checksum, err = inst.Run(ctx, int32(n))
	res.Run = time.Since(t0)
	return res, err
}
