package core

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parallel calls fn(i) for every i in [0, n) on at most workers goroutines and returns the
// error of the lowest i that failed. With one worker it runs in the caller's goroutine and
// stops at the first error: in js/wasm (GOMAXPROCS 1) CPU work gains nothing from
// goroutines, so it pays nothing for them either.
func parallel(n, workers int, fn func(i int) error) error {
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			if err := fn(i); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, n)
	var (
		next atomic.Int64
		wg   sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				errs[i] = fn(i)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// cpuWorkers is how many goroutines CPU-bound work (signature checks, HPKE seals) is spread
// over: one per processor Go may use, so one in js/wasm.
func cpuWorkers() int { return runtime.GOMAXPROCS(0) }
