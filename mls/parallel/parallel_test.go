package parallel

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
)

func TestForEachRunsEveryIndexOnce(t *testing.T) {
	for _, workers := range []int{0, 1, 2, 7, 100} {
		var seen [50]atomic.Int32
		if err := ForEach(len(seen), workers, func(i int) error { seen[i].Add(1); return nil }); err != nil {
			t.Fatal(err)
		}
		for i := range seen {
			if got := seen[i].Load(); got != 1 {
				t.Fatalf("workers=%d: index %d ran %d times", workers, i, got)
			}
		}
	}
}

func TestForEachReturnsTheLowestFailure(t *testing.T) {
	for _, workers := range []int{1, 4} {
		err := ForEach(20, workers, func(i int) error {
			if i == 5 || i == 13 {
				return fmt.Errorf("item %d", i)
			}
			return nil
		})
		if err == nil || err.Error() != "item 5" {
			t.Fatalf("workers=%d: got %v, want item 5", workers, err)
		}
	}
	if err := ForEach(0, 4, func(int) error { return errors.New("never called") }); err != nil {
		t.Fatalf("no items: %v", err)
	}
}
