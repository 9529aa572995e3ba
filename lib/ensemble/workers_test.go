package ensemble

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestWorkersStress runs many small batches, with gaps long enough for
// the helpers to park, and checks every index runs exactly once.
func TestWorkersStress(t *testing.T) {
	for _, size := range []int{2, 3, 4} {
		w := NewWorkers(size)
		var hits [7]atomic.Int32
		rounds := 20000
		if testing.Short() {
			rounds = 2000
		}
		for r := 0; r < rounds; r++ {
			n := 1 + r%7
			for i := range hits[:n] {
				hits[i].Store(0)
			}
			w.Run(n, func(i int) { hits[i].Add(1) })
			for i := range hits[:n] {
				if hits[i].Load() != 1 {
					t.Fatalf("size %d round %d: index %d ran %d times", size, r, i, hits[i].Load())
				}
			}
			if r%97 == 0 {
				time.Sleep(time.Duration(r%5) * time.Millisecond) // let the helpers park
			}
		}
		w.Close()
		w.Run(3, func(i int) { hits[i].Add(1) }) // after Close: on the caller
	}
}

// BenchmarkWorkersRun measures the cost of one parallel batch of ten
// trivial tasks (the synchronisation overhead per record).
func BenchmarkWorkersRun(b *testing.B) {
	for _, size := range []int{1, 2} {
		b.Run(map[int]string{1: "size=1", 2: "size=2"}[size], func(b *testing.B) {
			w := NewWorkers(size)
			defer w.Close()
			var sink [10][8]int // a cache line per task, as members are apart in memory
			fn := func(i int) { sink[i][0]++ }
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				w.Run(10, fn)
			}
		})
	}
}
