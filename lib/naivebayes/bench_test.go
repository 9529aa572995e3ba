package naivebayes

import (
	"os"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/datasets"
)

// maliciousSample is the shared MaliciousURL excerpt, relative to this
// package directory (the repository's ../shared).
const maliciousSample = "../../../shared/data/malicious-url/sample-2000.svm"

// loadMalicious reads the excerpt, or skips when it is not present.
func loadMalicious(tb testing.TB) []record {
	tb.Helper()
	f, err := os.Open(maliciousSample)
	if err != nil {
		tb.Skipf("MaliciousURL sample not available (%v); it lives in ../shared/data/malicious-url next to the repository", err)
	}
	defer f.Close()
	rd := datasets.NewSVMLightReader(f, maliciousSample)
	var out []record
	for rd.Next() {
		y := 0
		if rd.Y() {
			y = 1
		}
		out = append(out, record{rd.X().Clone(), y})
	}
	if err := rd.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// BenchmarkGaussianNB is one predict_proba_one + learn_one per op on the
// 9-feature dense stream of the River golden test.
func BenchmarkGaussianNB(b *testing.B) {
	dense, _ := gaussStream()
	m := NewGaussianNB()
	dst := make([]float64, 0, 4)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r := dense[i%len(dense)]
		dst = m.PredictProbaOne(r.x, dst)
		m.LearnOne(r.x, r.y)
	}
}

// BenchmarkGaussianNBPredict is PredictProbaOne alone on a trained model.
func BenchmarkGaussianNBPredict(b *testing.B) {
	dense, _ := gaussStream()
	m := NewGaussianNB()
	for _, r := range dense {
		m.LearnOne(r.x, r.y)
	}
	dst := make([]float64, 0, 4)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		dst = m.PredictProbaOne(dense[i%len(dense)].x, dst)
	}
}

// BenchmarkBernoulliNBMaliciousURL is one predict + learn per op over the
// 2000 MaliciousURL records on a fresh model (test-then-train, as the
// original consumer); ns/op is per record.
func BenchmarkBernoulliNBMaliciousURL(b *testing.B) {
	recs := loadMalicious(b)
	var m *BernoulliNB
	dst := make([]float64, 0, 4)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%len(recs) == 0 {
			m, _ = NewBernoulliNB()
		}
		r := recs[i%len(recs)]
		dst = m.PredictProbaOne(r.x, dst)
		m.LearnOne(r.x, r.y)
	}
}

// BenchmarkBernoulliNBMaliciousURLReplay replays the 2000 records in a loop
// on one growing model, so feature counts grow far past one pass (many
// heavy features): a worst case for the absent-feature sum.
func BenchmarkBernoulliNBMaliciousURLReplay(b *testing.B) {
	recs := loadMalicious(b)
	m, _ := NewBernoulliNB()
	dst := make([]float64, 0, 4)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r := recs[i%len(recs)]
		dst = m.PredictProbaOne(r.x, dst)
		m.LearnOne(r.x, r.y)
	}
}
