package naivebayes

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/feature"
)

// literalJLL is River's GaussianNB.joint_log_likelihood written out term
// by term (log(p_class) + Σ log(1e-9 + pdf) in x's order), from the
// model's statistics: the reference for the evaluation JointLogLikelihood
// uses.
func literalJLL(m *GaussianNB, x feature.Vector) []float64 {
	out := make([]float64, m.NumClasses())
	total := m.classes.total()
	for c := range out {
		if !m.classes.seen[c] {
			out[c] = math.Inf(-1)
			continue
		}
		sum := 0.0
		x.Range(func(i int, v float64) {
			if v != v {
				return
			}
			n, mean, variance := m.FeatureStats(c, i)
			term := logPdfEps
			if n > 0 && variance > 0 {
				sigma := math.Sqrt(variance)
				z := (v - mean) / sigma
				if a := pdfEps + math.Exp(-0.5*z*z)/sqrt2Pi/sigma; a != pdfEps {
					term = math.Log(a)
				}
			}
			sum += term
		})
		out[c] = math.Log(m.ClassWeight(c)/total) + sum
	}
	return out
}

// jllGap is the largest |got − want| / max(1, |want|) over classes.
func jllGap(t *testing.T, got, want []float64) float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d log-likelihoods, want %d", len(got), len(want))
	}
	worst := 0.0
	for c := range got {
		if got[c] == want[c] {
			continue
		}
		d := math.Abs(got[c]-want[c]) / math.Max(1, math.Abs(want[c]))
		if d != d {
			d = math.Inf(1)
		}
		worst = math.Max(worst, d)
	}
	return worst
}

// The series evaluation of the joint log-likelihood equals River's literal
// sum to rounding, on streams that exercise both of its paths: dense and
// sparse records, more features than one chunk, tiny and huge variances,
// far-off values (densities below 1e-9), constant features, and classes
// that never saw a feature.
func TestGaussianJLLEqualsLiteralSum(t *testing.T) {
	type gen func(r *rand.Rand, i int) (feature.Vector, int)
	streams := []struct {
		name string
		n    int
		gen  gen
	}{
		{"gaussStream dense", 0, nil},
		{"wide sparse", 300, func(r *rand.Rand, i int) (feature.Vector, int) {
			c := r.IntN(4)
			var idx []int32
			var val []float64
			for j := 0; j < 400; j++ {
				if r.Float64() < 0.5 {
					idx = append(idx, int32(j))
					val = append(val, r.NormFloat64()*float64(1+j%7)+float64(c*(j%3)))
				}
			}
			return feature.Sparse(idx, val), c
		}},
		{"scales", 400, func(r *rand.Rand, i int) (feature.Vector, int) {
			c := r.IntN(3)
			val := make([]float64, 12)
			for j := range val {
				scale := math.Pow(10, float64(j*24-140)) // 1e-140 ... 1e124
				val[j] = scale * (1 + 0.1*r.NormFloat64() + 0.3*float64(c))
			}
			if i%5 == 0 {
				val[3] = math.NaN()
			}
			val[11] = 7 // constant: zero variance
			return feature.Dense(val), c
		}},
		{"outliers", 400, func(r *rand.Rand, i int) (feature.Vector, int) {
			c := r.IntN(2)
			val := make([]float64, 6)
			for j := range val {
				val[j] = r.NormFloat64() * 1e-3
				if r.Float64() < 0.2 {
					val[j] += float64(r.IntN(40)) * 1e-3 // 0 to 40 sigmas away
				}
			}
			return feature.Dense(val), c
		}},
	}
	for _, s := range streams {
		var recs []record
		if s.gen == nil {
			recs, _ = gaussStream()
		} else {
			r := rand.New(rand.NewPCG(uint64(len(s.name)), 9))
			for i := 0; i < s.n; i++ {
				x, y := s.gen(r, i)
				recs = append(recs, record{x, y})
			}
		}
		m := NewGaussianNB()
		worst := 0.0
		var got []float64
		for i, rec := range recs {
			if i > 0 {
				got = m.JointLogLikelihood(rec.x, got)
				worst = math.Max(worst, jllGap(t, got, literalJLL(m, rec.x)))
			}
			m.LearnOne(rec.x, rec.y)
		}
		t.Logf("%s: worst gap %.3g", s.name, worst)
		if worst > 1e-14 {
			t.Errorf("%s: joint log-likelihood %.3g (relative to max(1, |jll|)) from River's literal sum", s.name, worst)
		}
	}
}
