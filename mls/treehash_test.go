package mls

import (
	"fmt"
	"testing"
)

func BenchmarkTreeHash(b *testing.B) {
	for _, n := range []int{400, 1000} {
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			tree, _ := newTestTree(b, n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				tree.Hash()
			}
		})
	}
}
