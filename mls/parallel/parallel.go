// Package parallel runs independent pieces of work on a bounded number of goroutines: mls
// for the public-key operations of large groups (signature checks, HPKE seals to new
// members), core for those and for batches of network lookups.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// ForEach calls fn(i) for every i in [0, n) on at most workers goroutines and returns the
// error of the lowest i that failed. With one worker it runs in the caller's goroutine and
// stops at the first error: CPU-bound work in js/wasm (one processor) pays nothing for
// goroutines that could not run at once anyway.
func ForEach(n, workers int, fn func(i int) error) error {
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

// CPUs is how many workers CPU-bound work gets: one per processor Go may use (one in
// js/wasm).
func CPUs() int { return runtime.GOMAXPROCS(0) }
