package forest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/lib/datasets"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/synth"
	"github.com/rivulet-ml/rivulet/lib/tree"
)

// Benchmarks (one op = one record). Reproduce the figures of the package
// report with, for example:
//
//	go test -run '^$' -bench 'ARFAgrawal' -benchtime 100000x -cpu 1,2 ./lib/forest
//	go test -run '^$' -bench 'ARFMaliciousURL' -benchtime 2000x ./lib/forest
//
// -benchtime 100000x makes one op per record of the 100k-record stream, from
// an empty forest, as River's and MOA's published figures do.

type records struct {
	xs     []feature.Vector
	ys     []int
	schema *feature.Schema
}

var (
	agrawalOnce sync.Once
	agrawalData records
)

// agrawal100k is River's Agrawal(classification_function=0, seed=42).
func agrawal100k(b testing.TB) records {
	agrawalOnce.Do(func() {
		s, err := synth.NewAgrawal(synth.ClassificationFunction(0), synth.Seed(42))
		if err != nil {
			b.Fatal(err)
		}
		agrawalData.schema = s.Schema()
		for x, y := range synth.Take(s, 100_000) {
			agrawalData.xs = append(agrawalData.xs, x.Clone())
			agrawalData.ys = append(agrawalData.ys, y)
		}
	})
	return agrawalData
}

// maliciousPath is the shared MaliciousURL excerpt, outside the
// repository (../shared/data/malicious-url/PROVENANCE.md).
var maliciousPath = filepath.Join("..", "..", "..", "shared", "data", "malicious-url", "sample-2000.svm")

var (
	maliciousOnce sync.Once
	maliciousData records
	maliciousErr  error
)

func malicious(b testing.TB) records {
	maliciousOnce.Do(func() {
		f, err := os.Open(maliciousPath)
		if err != nil {
			maliciousErr = err
			return
		}
		defer f.Close()
		r := datasets.NewSVMLightReader(f, maliciousPath)
		for r.Next() {
			maliciousData.xs = append(maliciousData.xs, r.X().Clone())
			y := 0
			if r.Y() {
				y = 1
			}
			maliciousData.ys = append(maliciousData.ys, y)
		}
		maliciousErr = r.Err()
	})
	if maliciousErr != nil {
		b.Skipf("MaliciousURL sample not available (%v); see ../shared/data/malicious-url/PROVENANCE.md", maliciousErr)
	}
	return maliciousData
}

// grown is a forest with WithFeatureNames(d.schema) and opts that has
// predicted and learnt the first warm records.
func (d records) grown(b testing.TB, warm int, opts ...Option) *ARFClassifier {
	f, err := NewARFClassifier(append([]Option{WithFeatureNames(d.schema)}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	d.feed(f, 0, warm)
	return f
}

// feed has f predict then learn records [from, to) and returns the time
// it took.
func (d records) feed(f *ARFClassifier, from, to int) time.Duration {
	start := time.Now()
	for j := from; j < to; j++ {
		f.PredictOne(d.xs[j])
		f.LearnOne(d.xs[j], d.ys[j])
	}
	return time.Since(start)
}

func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkARFAgrawal: ARF(10) with River's defaults (nba leaves, sqrt
// features, λ 6) on Agrawal, predict then learn each record.
func BenchmarkARFAgrawal(b *testing.B) {
	d := agrawal100k(b)
	for _, w := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[w], func(b *testing.B) {
			f, err := NewARFClassifier(WithSeed(42), WithFeatureNames(d.schema), WithWorkers(w))
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				j := i % len(d.xs)
				f.PredictOne(d.xs[j])
				f.LearnOne(d.xs[j], d.ys[j])
			}
			reportRate(b)
		})
	}
}

// BenchmarkARFAgrawalSpeedup measures what two workers on two processors
// gain over one worker on one processor, for ten trees (River's default)
// and thirty. Each op grows a one-worker and a two-worker forest on records 0–5000 of Agrawal, then feeds both records
// 5000–20000 in turns of 500 records, one forest after the other, timing
// the first with GOMAXPROCS 1 and the second with GOMAXPROCS 2; its
// speed-up is the ratio of the two forests' total times. Turns of a few
// milliseconds put both forests in the same moments of a shared machine,
// whose speed drifts over seconds. It reports the median and the best
// speed-up of the ops, and as a yardstick for the machine the median
// slowdown of the slower of two one-worker forests run side by side on
// two processors against one alone (1 when both processors are fully
// available).
func BenchmarkARFAgrawalSpeedup(b *testing.B) {
	for _, trees := range []int{10, 30} {
		b.Run(fmt.Sprintf("trees=%d", trees), func(b *testing.B) { arfSpeedup(b, trees) })
	}
}

func arfSpeedup(b *testing.B, trees int) {
	d := agrawal100k(b)
	const warm, n, turn = 5000, 15000, 500
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	// grow builds a forest; the caller sets GOMAXPROCS.
	grow := func(workers int) *ARFClassifier {
		return d.grown(b, warm, WithSeed(42), WithWorkers(workers), WithNModels(trees))
	}
	feed := d.feed
	// alone times one one-worker forest on all records; side runs two at
	// once, each on its own goroutine.
	alone := func() time.Duration {
		runtime.GOMAXPROCS(1)
		f := grow(1)
		return feed(f, warm, warm+n)
	}
	side := func() time.Duration {
		runtime.GOMAXPROCS(2)
		var wg sync.WaitGroup
		var a, c time.Duration
		wg.Add(2)
		go func() { defer wg.Done(); f := grow(1); a = feed(f, warm, warm+n) }()
		go func() { defer wg.Done(); f := grow(1); c = feed(f, warm, warm+n) }()
		wg.Wait()
		return max(a, c)
	}
	var ratios, slowdowns []float64
	for i := 0; i < b.N; i++ {
		runtime.GOMAXPROCS(1)
		one := grow(1)
		runtime.GOMAXPROCS(2)
		two := grow(2)
		var tOne, tTwo time.Duration
		for from := warm; from < warm+n; from += turn {
			runtime.GOMAXPROCS(1)
			time.Sleep(time.Millisecond) // the idle helper parks
			tOne += feed(one, from, from+turn)
			runtime.GOMAXPROCS(2)
			tTwo += feed(two, from, from+turn)
		}
		two.Close()
		ratios = append(ratios, float64(tOne)/float64(tTwo))
		slowdowns = append(slowdowns, float64(side())/float64(alone()))
	}
	slices.Sort(ratios)
	slices.Sort(slowdowns)
	b.ReportMetric(ratios[len(ratios)/2], "median-speedup")
	b.ReportMetric(ratios[len(ratios)-1], "best-speedup")
	b.ReportMetric(slowdowns[len(slowdowns)/2], "side-by-side-slowdown")
}

// BenchmarkARFBarrierCeiling bounds what any two-worker forest can gain on
// this machine when every record must be voted on before the next: two
// five-tree forests, one per goroutine and processor, learn records
// 5000–20000 (after 5000 to grow them), once running freely and once
// meeting at a spinning barrier after every record, which is all the
// synchronisation River's predict-then-learn order needs and no data
// crosses between the cores. It reports the median, over the ops, of the
// speed-up of each against one ten-tree forest on one processor.
func BenchmarkARFBarrierCeiling(b *testing.B) {
	d := agrawal100k(b)
	const warm, n = 5000, 15000
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	grow := func(seed int64, trees int) *ARFClassifier {
		return d.grown(b, warm, WithSeed(seed), WithNModels(trees))
	}
	oneCore := func() time.Duration {
		runtime.GOMAXPROCS(1)
		return d.feed(grow(42, 10), warm, warm+n)
	}
	halves := func(barrier bool) time.Duration {
		runtime.GOMAXPROCS(2)
		var arrived [2]struct {
			j atomic.Int64
			_ [56]byte
		}
		var grown, done sync.WaitGroup
		var begin atomic.Bool
		grown.Add(2)
		done.Add(2)
		for g := range 2 {
			go func() {
				defer done.Done()
				f := grow(int64(42+g), 5)
				grown.Done()
				for !begin.Load() {
				}
				for j := warm; j < warm+n; j++ {
					f.PredictOne(d.xs[j])
					f.LearnOne(d.xs[j], d.ys[j])
					if barrier {
						arrived[g].j.Store(int64(j))
						for arrived[1-g].j.Load() < int64(j) {
						}
					}
				}
			}()
		}
		grown.Wait()
		start := time.Now()
		begin.Store(true)
		done.Wait()
		return time.Since(start)
	}
	var free, barred []float64
	for i := 0; i < b.N; i++ {
		one := oneCore()
		free = append(free, float64(one)/float64(halves(false)))
		barred = append(barred, float64(one)/float64(halves(true)))
	}
	slices.Sort(free)
	slices.Sort(barred)
	b.ReportMetric(free[len(free)/2], "free-speedup")
	b.ReportMetric(barred[len(barred)/2], "barrier-speedup")
}

// BenchmarkARFMaliciousURL: the original project's ARF (leaf_prediction
// mc, other parameters River's; seed 42 here) on the first records of
// MaliciousURL. learn times LearnOne over the records in order from an
// empty forest; predict times PredictOne after training on all of them.
func BenchmarkARFMaliciousURL(b *testing.B) {
	d := malicious(b)
	newARF := func() *ARFClassifier {
		tp := DefaultTreeParams()
		tp.LeafPrediction = tree.MajorityClass
		f, err := NewARFClassifier(WithSeed(42), WithTreeParams(tp))
		if err != nil {
			b.Fatal(err)
		}
		return f
	}
	b.Run("learn", func(b *testing.B) {
		f := newARF()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			j := i % len(d.xs)
			f.LearnOne(d.xs[j], d.ys[j])
		}
		reportRate(b)
	})
	b.Run("predict", func(b *testing.B) {
		f := newARF()
		for j := range d.xs {
			f.LearnOne(d.xs[j], d.ys[j])
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			f.PredictOne(d.xs[i%len(d.xs)])
		}
		reportRate(b)
	})
}
