package ensemble

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/datasets"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/naivebayes"
	"github.com/rivulet-ml/rivulet/lib/synth"
	"github.com/rivulet-ml/rivulet/lib/tree"
)

// Benchmarks (one op = one record). Reproduce the report's figures with:
//
//	go test -run '^$' -bench 'SRPAgrawal' -benchtime 100000x -cpu 1,2 ./lib/ensemble
//	go test -run '^$' -bench 'SRPMaliciousURL' -benchtime 2000x ./lib/ensemble
//
// -benchtime 100000x makes one op per record of the 100k-record stream, from
// an empty ensemble.

type records struct {
	xs []feature.Vector
	ys []int
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

// BenchmarkSRPAgrawal: SRP(10) with River's default base model
// (HoeffdingTree(grace_period=50, delta=0.01)) on Agrawal, predict then
// learn each record; "repeat" is River's k unit updates, "weighted" MOA's
// single update of weight k.
func BenchmarkSRPAgrawal(b *testing.B) {
	d := agrawal100k(b)
	for _, weighted := range []bool{false, true} {
		for _, w := range []int{1, 2} {
			name := fmt.Sprintf("repeat/workers=%d", w)
			if weighted {
				name = fmt.Sprintf("weighted/workers=%d", w)
			}
			b.Run(name, func(b *testing.B) {
				s, err := NewSRPClassifier(WithSeed(42), WithWeightedLearning(weighted), WithWorkers(w))
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					j := i % len(d.xs)
					s.PredictOne(d.xs[j])
					s.LearnOne(d.xs[j], d.ys[j])
				}
				reportRate(b)
			})
		}
	}
}

// srpHAT is the original project's SRP(HAT(grace_period=100, delta=1e-5,
// leaf_prediction="nb", nb_threshold=10, seed=0), seed=42).
func srpHAT(b *testing.B, weighted bool) *SRPClassifier {
	hat, err := tree.NewHoeffdingAdaptiveTreeClassifier(tree.WithGracePeriod(100), tree.WithDelta(1e-5),
		tree.WithLeafPrediction(tree.NaiveBayes), tree.WithNBThreshold(10), tree.WithSeed(0))
	if err != nil {
		b.Fatal(err)
	}
	s, err := NewSRPClassifier(WithModel(hat), WithSeed(42), WithWeightedLearning(weighted))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// srpNB is the original project's SRP(BernoulliNB(alpha=1), seed=42).
func srpNB(b *testing.B, _ bool) *SRPClassifier {
	nb, err := naivebayes.NewBernoulliNB(naivebayes.WithAlpha(1))
	if err != nil {
		b.Fatal(err)
	}
	s, err := NewSRPClassifier(WithModel(nb), WithSeed(42))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkSRPMaliciousURL: the original project's two SRP configurations
// on the first records of MaliciousURL. learn times LearnOne over the
// records in order from an empty ensemble; predict times PredictOne after
// training on all of them.
func BenchmarkSRPMaliciousURL(b *testing.B) {
	d := malicious(b)
	for _, c := range []struct {
		name     string
		build    func(*testing.B, bool) *SRPClassifier
		weighted bool
	}{{"hat", srpHAT, false}, {"hat-weighted", srpHAT, true}, {"nb", srpNB, false}} {
		b.Run(c.name+"/learn", func(b *testing.B) {
			s := c.build(b, c.weighted)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				j := i % len(d.xs)
				s.LearnOne(d.xs[j], d.ys[j])
			}
			reportRate(b)
		})
		b.Run(c.name+"/predict", func(b *testing.B) {
			s := c.build(b, c.weighted)
			for j := range d.xs {
				s.LearnOne(d.xs[j], d.ys[j])
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s.PredictOne(d.xs[i%len(d.xs)])
			}
			reportRate(b)
		})
	}
}

var _ base.Classifier = (*SRPClassifier)(nil)
