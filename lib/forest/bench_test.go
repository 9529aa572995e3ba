package forest

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
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
func agrawal100k(b *testing.B) records {
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

func malicious(b *testing.B) records {
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
// gain over one worker on one processor: it alternates the two set-ups on
// the same records (records 5000–20000 of Agrawal, after 5000 to grow the
// trees), each b.N times, so that a slow spell of a shared machine hits
// both alike, and reports the median and the best of the per-pair
// speed-ups. As a yardstick for the machine it also runs two one-worker
// forests side by side on two processors and reports the median slowdown
// of the slower one against one alone (1 when the two processors are
// fully available). One op is one such round.
func BenchmarkARFAgrawalSpeedup(b *testing.B) {
	d := agrawal100k(b)
	const warm, n = 5000, 15000
	// forest times one forest of the given workers; the caller sets
	// GOMAXPROCS.
	forest := func(workers int) time.Duration {
		f, err := NewARFClassifier(WithSeed(42), WithFeatureNames(d.schema), WithWorkers(workers))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		for j := 0; j < warm; j++ {
			f.PredictOne(d.xs[j])
			f.LearnOne(d.xs[j], d.ys[j])
		}
		start := time.Now()
		for j := warm; j < warm+n; j++ {
			f.PredictOne(d.xs[j])
			f.LearnOne(d.xs[j], d.ys[j])
		}
		return time.Since(start)
	}
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	run := func(workers int) time.Duration {
		runtime.GOMAXPROCS(workers)
		return forest(workers)
	}
	side := func() time.Duration {
		runtime.GOMAXPROCS(2)
		var wg sync.WaitGroup
		var a, c time.Duration
		wg.Add(2)
		go func() { defer wg.Done(); a = forest(1) }()
		go func() { defer wg.Done(); c = forest(1) }()
		wg.Wait()
		return max(a, c)
	}
	var ratios, slowdowns []float64
	for i := 0; i < b.N; i++ {
		one, two := run(1), run(2)
		ratios = append(ratios, float64(one)/float64(two))
		slowdowns = append(slowdowns, float64(side())/float64(one))
	}
	slices.Sort(ratios)
	slices.Sort(slowdowns)
	b.ReportMetric(ratios[len(ratios)/2], "median-speedup")
	b.ReportMetric(ratios[len(ratios)-1], "best-speedup")
	b.ReportMetric(slowdowns[len(slowdowns)/2], "side-by-side-slowdown")
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
