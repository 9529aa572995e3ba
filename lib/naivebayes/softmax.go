package naivebayes

import (
	"math"

	"github.com/rivulet-ml/rivulet/lib/stats"
)

// jllToProba turns the joint log-likelihoods of the seen classes (jll[c]
// for c in order, the classes in first-seen order) into probabilities in
// place, as River's BaseNB.predict_proba_one: exp(jll − logsumexp(jll)),
// with SciPy 1.17's logsumexp:
//
//	a_max = max(a); m = #(a == a_max)
//	s = Σ_{a_i ≠ a_max} exp(a_i − a_max) / m   (NumPy pairwise sum, class order)
//	lse = log1p(s) + log(m) + a_max            (log Σ exp(a) if not finite)
//
// Entries of classes not in order (gaps in the dense class range, where
// seen[c] is false) are set to 0.
func jllToProba(jll []float64, order []int, seen []bool) {
	var buf [64]float64
	terms := buf[:0]
	if len(order) > len(buf) {
		terms = make([]float64, 0, len(order))
	}
	aMax := math.Inf(-1)
	for _, c := range order {
		aMax = maxOf(aMax, jll[c])
	}
	m := 0.0
	for _, c := range order {
		if jll[c] == aMax {
			m++
			terms = append(terms, 0)
		} else {
			terms = append(terms, math.Exp(jll[c]-aMax))
		}
	}
	s := stats.NumpySum(terms)
	if s != 0 {
		s /= m
	}
	lse := math.Log1p(s) + aMax
	if m != 1 { // log(1) is 0, which adds nothing
		lse = math.Log1p(s) + math.Log(m) + aMax
	}
	if math.IsInf(lse, 0) || math.IsNaN(lse) {
		for k, c := range order {
			terms[k] = math.Exp(jll[c])
		}
		lse = math.Log(stats.NumpySum(terms))
	}
	for c := range jll {
		if seen[c] {
			jll[c] = math.Exp(jll[c] - lse)
		} else {
			jll[c] = 0
		}
	}
}

// maxOf is math.Max with the ordered cases inlined.
func maxOf(x, y float64) float64 {
	switch {
	case x > y:
		return x
	case y > x:
		return y
	}
	return math.Max(x, y) // equal (±0 matters), or a NaN
}
