package api

import (
	"math/rand/v2"
	"time"
)

// Backoff spaces out reconnection attempts: the wait doubles from Initial up to Max, with
// jitter so that many clients cut off together (a node restart) do not return together.
// The zero value means 250 ms up to 30 s.
type Backoff struct {
	Initial time.Duration
	Max     time.Duration
}

// Delay is the wait before retry number attempt (0 for the first retry): half of the
// exponential step plus a random part of the other half, and never less than hint, the
// node's own retry-after.
func (b Backoff) Delay(attempt int, hint time.Duration) time.Duration {
	first, ceiling := b.Initial, b.Max
	if first <= 0 {
		first = 250 * time.Millisecond
	}
	if ceiling <= 0 {
		ceiling = 30 * time.Second
	}
	step := first
	for i := 0; i < attempt && step < ceiling; i++ {
		step *= 2
	}
	step = min(step, ceiling)
	d := step/2 + rand.N(step/2+1)
	return max(d, hint)
}
