package linearmodel

import (
	"math/rand/v2"
	"os"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/datasets"
	"github.com/rivulet-ml/rivulet/lib/feature"
)

func benchRecords(n, d, k int) ([]feature.Vector, [][]float64) {
	rng := rand.New(rand.NewPCG(1, 1))
	xs := make([]feature.Vector, n)
	ys := make([][]float64, n)
	for s := range xs {
		x := make([]float64, d)
		for i := range x {
			x[i] = rng.Float64()
		}
		y := make([]float64, k)
		for j := range y {
			y[j] = rng.NormFloat64()
		}
		xs[s], ys[s] = feature.Dense(x), y
	}
	return xs, ys
}

// BenchmarkRLSUpdate: one record of the sender's stream (d = 10, m = 8),
// learnt with its prior prediction, per op.
func BenchmarkRLSUpdate(b *testing.B) {
	xs, ys := benchRecords(1024, 10, 8)
	r, _ := NewRLS(10, 8)
	prior := make([]float64, 8)
	b.ReportAllocs()
	cpu := startCPU(b)
	defer cpu.stop()
	i := 0
	for b.Loop() {
		r.PredictLearnOne(xs[i&1023], ys[i&1023], prior)
		i++
	}
}

// BenchmarkLinearRegressionLearn: one output of one record (d = 10).
func BenchmarkLinearRegressionLearn(b *testing.B) {
	xs, ys := benchRecords(1024, 10, 1)
	m, _ := NewLinearRegression()
	b.ReportAllocs()
	cpu := startCPU(b)
	defer cpu.stop()
	i := 0
	for b.Loop() {
		m.LearnOne(xs[i&1023], ys[i&1023][0])
		i++
	}
}

// BenchmarkPerOutputSGD: test-then-train of one record over 8 outputs.
func BenchmarkPerOutputSGD(b *testing.B) {
	xs, ys := benchRecords(1024, 10, 8)
	m, _ := NewPerOutputLinearRegression(8)
	pred := make([]float64, 8)
	b.ReportAllocs()
	cpu := startCPU(b)
	defer cpu.stop()
	i := 0
	for b.Loop() {
		pred = m.PredictOne(xs[i&1023], pred)
		m.LearnOne(xs[i&1023], ys[i&1023])
		i++
	}
}

// BenchmarkLogisticRegressionSparse: a MaliciousURL-like record, about 100
// present features out of millions, drawn uniformly over 1.5 million
// indices (some 100,000 distinct features): a worst case for memory
// locality, every lookup a cache miss.
func BenchmarkLogisticRegressionSparse(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	const n = 1024
	xs := make([]feature.Vector, n)
	ys := make([]int, n)
	for s := range xs {
		idx := make([]int32, 0, 100)
		val := make([]float64, 0, 100)
		next := int32(0)
		for k := 0; k < 100; k++ {
			next += 1 + int32(rng.IntN(30000))
			idx = append(idx, next)
			val = append(val, rng.Float64())
		}
		xs[s] = feature.Sparse(idx, val)
		ys[s] = rng.IntN(2)
	}
	m, _ := NewLogisticRegression()
	for s := range xs {
		m.LearnOne(xs[s], ys[s])
	}
	proba := make([]float64, 2)
	b.ReportAllocs()
	cpu := startCPU(b)
	defer cpu.stop()
	i := 0
	for b.Loop() {
		proba = m.PredictProbaOne(xs[i&(n-1)], proba)
		m.LearnOne(xs[i&(n-1)], ys[i&(n-1)])
		i++
	}
}

// maliciousSample is the shared MaliciousURL excerpt, relative to this
// package directory (the repository's ../shared).
const maliciousSample = "../../../shared/data/malicious-url/sample-2000.svm"

// BenchmarkLogisticRegressionMaliciousURL is one PredictProbaOne +
// LearnOne per op over the 2000 MaliciousURL records (indices up to 3.2
// million, 14,350 distinct), starting a fresh model at every pass, as a
// consumer does from an empty model; ns/op is per record. bytes/model is
// MemoryBytes after a full pass.
func BenchmarkLogisticRegressionMaliciousURL(b *testing.B) {
	f, err := os.Open(maliciousSample)
	if err != nil {
		b.Skipf("MaliciousURL sample not available (%v); it lives in ../shared/data/malicious-url next to the repository", err)
	}
	rd := datasets.NewSVMLightReader(f, maliciousSample)
	var xs []feature.Vector
	var ys []int
	for rd.Next() {
		y := 0
		if rd.Y() {
			y = 1
		}
		xs, ys = append(xs, rd.X().Clone()), append(ys, y)
	}
	f.Close()
	if err := rd.Err(); err != nil {
		b.Fatal(err)
	}
	var m *LogisticRegression
	full := int64(0)
	proba := make([]float64, 2)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		j := i % len(xs)
		if j == 0 {
			if m != nil {
				full = m.MemoryBytes()
			}
			m, _ = NewLogisticRegression()
		}
		proba = m.PredictProbaOne(xs[j], proba)
		m.LearnOne(xs[j], ys[j])
	}
	if full == 0 {
		full = m.MemoryBytes()
	}
	b.ReportMetric(float64(full), "bytes/model")
}
