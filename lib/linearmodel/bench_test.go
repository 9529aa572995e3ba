package linearmodel

import (
	"math/rand/v2"
	"testing"

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
// present features out of millions.
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
