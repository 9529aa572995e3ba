package tree

import (
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/synth"
)

// agrawalStream returns n records of River's Agrawal(classification_function=f, seed=42).
func agrawalStream(tb testing.TB, n, f int) ([]feature.Vector, []int) {
	tb.Helper()
	g, err := synth.NewAgrawal(synth.ClassificationFunction(f), synth.Seed(42))
	if err != nil {
		tb.Fatal(err)
	}
	buf := make([]float64, n*9)
	xs := make([]feature.Vector, n)
	ys := make([]int, n)
	for i := range xs {
		row := buf[i*9 : (i+1)*9 : (i+1)*9]
		ys[i] = g.Next(row)
		xs[i] = feature.Dense(row)
	}
	return xs, ys
}

var agrawalNominal = WithNominalAttributes(3, 4, 5) // elevel, car, zipcode

// benchPrequential times predict-then-learn over a whole stream with a
// fresh model per iteration and reports records per second.
func benchPrequential(b *testing.B, xs []feature.Vector, ys []int, fresh func() base.Classifier) {
	b.ReportAllocs()
	correct := 0
	cpu0 := processCPU()
	for b.Loop() {
		m := fresh()
		correct = 0
		for i, x := range xs {
			if m.PredictOne(x) == ys[i] {
				correct++
			}
			m.LearnOne(x, ys[i])
		}
	}
	reportRate(b, len(xs), cpu0)
	b.ReportMetric(float64(correct)/float64(len(xs)), "accuracy")
}

// BenchmarkHTAgrawal: HT(nominal elevel, car, zipcode; River defaults) on
// 100k Agrawal records, predict then learn each.
func BenchmarkHTAgrawal(b *testing.B) {
	xs, ys := agrawalStream(b, 100_000, 0)
	benchPrequential(b, xs, ys, func() base.Classifier {
		m, _ := NewHoeffdingTreeClassifier(agrawalNominal)
		return m
	})
}

// BenchmarkHATAgrawal: HAT(nominal elevel, car, zipcode; seed 42; River
// defaults) on 100k Agrawal records.
func BenchmarkHATAgrawal(b *testing.B) {
	xs, ys := agrawalStream(b, 100_000, 0)
	benchPrequential(b, xs, ys, func() base.Classifier {
		m, _ := NewHoeffdingAdaptiveTreeClassifier(agrawalNominal, WithSeed(42))
		return m
	})
}

// reportRate reports records per wall second and per CPU second.
func reportRate(b *testing.B, perOp int, cpu0 time.Duration) {
	n := float64(perOp) * float64(b.N)
	b.ReportMetric(n/b.Elapsed().Seconds(), "records/s")
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(n/cpu.Seconds(), "records/cpu-s")
	}
}

// reportPerRecord reports wall and CPU microseconds per record.
func reportPerRecord(b *testing.B, perOp int, cpu0 time.Duration) {
	n := float64(perOp) * float64(b.N)
	b.ReportMetric(b.Elapsed().Seconds()*1e6/n, "µs/record")
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(cpu.Seconds()*1e6/n, "cpu-µs/record")
	}
}

func trained(b *testing.B, m base.Classifier, xs []feature.Vector, ys []int) {
	for i, x := range xs {
		m.LearnOne(x, ys[i])
	}
}

// BenchmarkHTPredictDense: one prediction of a trained HT (100k Agrawal
// records) per op; must not allocate.
func BenchmarkHTPredictDense(b *testing.B) {
	xs, ys := agrawalStream(b, 100_000, 0)
	m, _ := NewHoeffdingTreeClassifier(agrawalNominal)
	trained(b, m, xs, ys)
	var dst []float64
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		x := xs[i%len(xs)]
		dst = m.PredictProbaOne(x, dst)
		_ = m.PredictOne(x)
		i++
	}
}

// BenchmarkHATPredictDense: as BenchmarkHTPredictDense for HAT.
func BenchmarkHATPredictDense(b *testing.B) {
	xs, ys := agrawalStream(b, 100_000, 0)
	m, _ := NewHoeffdingAdaptiveTreeClassifier(agrawalNominal, WithSeed(42))
	trained(b, m, xs, ys)
	var dst []float64
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		x := xs[i%len(xs)]
		dst = m.PredictProbaOne(x, dst)
		_ = m.PredictOne(x)
		i++
	}
}

func seedHAT() base.Classifier {
	m, _ := NewHoeffdingAdaptiveTreeClassifier(WithGracePeriod(100), WithDelta(1e-5),
		WithLeafPrediction(NaiveBayes), WithNBThreshold(10), WithSeed(0))
	return m
}

// BenchmarkHATMaliciousLearn: the seed project's HAT (grace_period 100,
// delta 1e-5, nb leaves, nb_threshold 10, seed 0) learning the 2000 shared
// MaliciousURL records from scratch; River takes 1.82 ms per record.
func BenchmarkHATMaliciousLearn(b *testing.B) {
	xs, ys := loadSVMLight(b, maliciousPath)
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		m := seedHAT()
		trained(b, m, xs, ys)
	}
	reportPerRecord(b, len(xs), cpu0)
}

// BenchmarkHATMaliciousPredict: predictions of that HAT once trained on the
// 2000 records; River takes 0.57 ms per record.
func BenchmarkHATMaliciousPredict(b *testing.B) {
	xs, ys := loadSVMLight(b, maliciousPath)
	m := seedHAT()
	trained(b, m, xs, ys)
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		for _, x := range xs {
			m.PredictOne(x)
		}
	}
	reportPerRecord(b, len(xs), cpu0)
}
