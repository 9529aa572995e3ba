package throughput

import (
	"context"
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
)

// BenchmarkClock is the cost of one reading of the clock the timed loops
// use; every timed record pays two.
func BenchmarkClock(b *testing.B) {
	cfg, err := newConfig(nil)
	if err != nil {
		b.Fatal(err)
	}
	var sink time.Duration
	for b.Loop() {
		sink += cfg.now()
	}
	_ = sink
}

// nopModel does nothing, so a measurement of it is pure overhead.
type nopModel struct{}

func (nopModel) LearnOne(feature.Vector, int)                            {}
func (nopModel) LearnWeighted(feature.Vector, int, float64)              {}
func (nopModel) PredictProbaOne(_ feature.Vector, d []float64) []float64 { return d[:0] }
func (nopModel) PredictOne(feature.Vector) int                           { return 0 }

// BenchmarkTimedRecordOverhead reports what the Rivulet method adds per
// timed record (ns/record): the clock reads and the bookkeeping, measured on
// a model that does nothing. It should stay far below the cheapest model.
func BenchmarkTimedRecordOverhead(b *testing.B) {
	d := fakeData(2000)
	m := Model{Name: "nop", New: func() (base.Classifier, error) { return nopModel{}, nil }}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := Measure(context.Background(), m, d, 1000, WithWarmup(0), WithRepetitions(1), WithConsumers(0))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Train.Mean), "ns/record")
	}
}

func BenchmarkSummarize(b *testing.B) {
	src := make([]time.Duration, 3000)
	for i := range src {
		src[i] = time.Duration((i * 7919) % 3001)
	}
	buf := make([]time.Duration, len(src))
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, src)
		summarize(buf, nil)
	}
}
