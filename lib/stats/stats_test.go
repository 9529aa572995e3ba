package stats

import (
	"math"
	"testing"
)

// River's stats.Var doctest: 0, 2, 1, 2.916666, 7.7, 12.56666.
func TestVarRiverDoctest(t *testing.T) {
	v := NewVar(1)
	want := []float64{0, 2, 1, 2.9166666666666665, 7.7, 12.566666666666668}
	for i, x := range []float64{3, 5, 4, 7, 10, 12} {
		v.Update(x, 1)
		if got := v.Get(); math.Abs(got-want[i]) > 1e-12 {
			t.Fatalf("after %d values: var %.15g, want %.15g", i+1, got, want[i])
		}
	}
}

func TestGaussianPDFCDF(t *testing.T) {
	g := NewGaussian()
	if g.PDF(1) != 0 || g.CDF(1) != 0 {
		t.Fatal("an empty Gaussian has pdf and cdf 0, as River")
	}
	for _, x := range []float64{-1, 0, 1} {
		g.Update(x, 1)
	}
	// mean 0, sample variance 1
	if got, want := g.PDF(0), 1/math.Sqrt(2*math.Pi); math.Abs(got-want) > 1e-15 {
		t.Fatalf("pdf(0)=%v want %v", got, want)
	}
	if got := g.CDF(0); got != 0.5 {
		t.Fatalf("cdf(0)=%v", got)
	}
}

func TestWeightedEqualsRepeated(t *testing.T) {
	a, b := NewVar(1), NewVar(1)
	a.Update(2, 3)
	a.Update(5, 1)
	for i := 0; i < 3; i++ {
		b.Update(2, 1)
	}
	b.Update(5, 1)
	if math.Abs(a.Get()-b.Get()) > 1e-12 || a.Mean != b.Mean {
		t.Fatalf("weight 3 should equal three updates: %v vs %v", a, b)
	}
}

// Values printed by River 0.26.1:
//
//	g = proba.Gaussian(); [g.update(x, w) for x, w in [(1.5, 2), (2.25, 1), (-0.5, 3)]]
//	g.mu, g.sigma, g(0.3), g.cdf(0.3)
func TestGaussianMatchesRiver(t *testing.T) {
	g := NewGaussian()
	for _, xw := range [][2]float64{{1.5, 2}, {2.25, 1}, {-0.5, 3}} {
		g.Update(xw[0], xw[1])
	}
	got := []float64{g.Mu(), g.Sigma(), g.PDF(0.3), g.CDF(0.3)}
	want := riverGaussianGolden
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("value %d: got %.17g, River %.17g", i, got[i], want[i])
		}
	}
}

var riverGaussianGolden = []float64{0.625, 1.2624381172952597, 0.3057092925091497, 0.3984201962940517}

// NumpySum follows numpy.add.reduce's pairwise order, which differs from a
// left-to-right loop: 1e16 + 1 + ... (eight ones in interleaved lanes) + -1e16.
func TestNumpySumOrder(t *testing.T) {
	v := make([]float64, 16)
	v[0] = 1e16
	for i := 1; i < 15; i++ {
		v[i] = 1
	}
	v[15] = -1e16
	loop := 0.0
	for _, x := range v {
		loop += x
	}
	// numpy.add.reduce(v) == 12.0 (NumPy 2.4.6): the lanes keep most
	// ones apart from the large values until the lanes are combined.
	if got := NumpySum(v); got == loop || got != 12 {
		t.Fatalf("NumpySum=%v, left-to-right=%v; want numpy's 12", got, loop)
	}
}
