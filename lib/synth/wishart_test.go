package synth

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// testScale is an SPD matrix with unequal variances and correlations, so a
// bug that confuses W with I, L with Lᵀ or rows with columns shows up.
func testScale() *mat.SymDense {
	return mat.NewSymDense(3, []float64{
		2.0, 0.6, -0.3,
		0.6, 1.0, 0.2,
		-0.3, 0.2, 0.5,
	})
}

// moments draws n samples and returns the mean of Λ, the mean of μ and the
// covariance of μ.
func moments(t *testing.T, nw *NormalWishart, n int, seed uint64) (meanPrec, meanMu, covMu *mat.Dense) {
	t.Helper()
	d := nw.Dim()
	rng := rand.New(rand.NewPCG(seed, 1))
	meanPrec = mat.NewDense(d, d, nil)
	meanMu = mat.NewDense(1, d, nil)
	sumOuter := mat.NewDense(d, d, nil)
	for s := 0; s < n; s++ {
		mu, prec := nw.Sample(rng)
		for i := 0; i < d; i++ {
			meanMu.Set(0, i, meanMu.At(0, i)+mu[i])
			for j := 0; j < d; j++ {
				meanPrec.Set(i, j, meanPrec.At(i, j)+prec.At(i, j))
				sumOuter.Set(i, j, sumOuter.At(i, j)+mu[i]*mu[j])
			}
		}
	}
	meanPrec.Scale(1/float64(n), meanPrec)
	meanMu.Scale(1/float64(n), meanMu)
	covMu = mat.NewDense(d, d, nil)
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			covMu.Set(i, j, sumOuter.At(i, j)/float64(n)-meanMu.At(0, i)*meanMu.At(0, j))
		}
	}
	return meanPrec, meanMu, covMu
}

func assertClose(t *testing.T, what string, got, want mat.Matrix, tol float64) {
	t.Helper()
	r, c := want.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if g, w := got.At(i, j), want.At(i, j); math.Abs(g-w) > tol {
				t.Errorf("%s[%d,%d] = %.4f, want %.4f ± %.3f", what, i, j, g, w, tol)
			}
		}
	}
}

func TestBartlettMoments(t *testing.T) {
	w := testScale()
	const nu, lambda = 7.0, 2.0
	mu0 := []float64{1, -2, 0.5}
	nw, err := NewNormalWishart(mu0, lambda, w, nu, Bartlett)
	if err != nil {
		t.Fatal(err)
	}
	meanPrec, meanMu, covMu := moments(t, nw, 40000, 3)

	// E[Λ] = νW.
	var wantPrec mat.Dense
	wantPrec.Scale(nu, w)
	assertClose(t, "E[Λ]", meanPrec, &wantPrec, 0.08)

	// E[μ] = μ0 and Cov(μ) = E[(λΛ)⁻¹] = W⁻¹ / (λ(ν−D−1)).
	assertClose(t, "E[μ]", meanMu, mat.NewDense(1, 3, mu0), 0.02)
	var winv mat.Dense
	if err := winv.Inverse(w); err != nil {
		t.Fatal(err)
	}
	winv.Scale(1/(lambda*(nu-3-1)), &winv)
	assertClose(t, "Cov(μ)", covMu, &winv, 0.06)
}

func TestOriginalScatterMoments(t *testing.T) {
	w := testScale()
	const nu = 7.0
	mu0 := []float64{1, -2, 0.5}
	// λ is ignored by the original construction: pass a value that would
	// change Cov(μ) if it were used.
	nw, err := NewNormalWishart(mu0, 50, w, nu, OriginalScatter)
	if err != nil {
		t.Fatal(err)
	}
	meanPrec, meanMu, covMu := moments(t, nw, 40000, 5)
	var wantPrec mat.Dense
	wantPrec.Scale(nu, w)
	assertClose(t, "E[Λ]", meanPrec, &wantPrec, 0.08)
	assertClose(t, "E[μ]", meanMu, mat.NewDense(1, 3, mu0), 0.03)
	// Cov(μ) = W, independent of Λ.
	assertClose(t, "Cov(μ)", covMu, w, 0.05)
}

func TestBartlettPrecisionIsSPD(t *testing.T) {
	nw, err := NewNormalWishart(make([]float64, 10), 1, identity(10), 10, Bartlett)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for s := 0; s < 200; s++ {
		_, prec := nw.Sample(rng)
		var chol mat.Cholesky
		if !chol.Factorize(prec) {
			t.Fatalf("sample %d: Λ is not positive definite", s)
		}
	}
}

func TestNormalWishartRejectsBadParameters(t *testing.T) {
	cases := []struct {
		name   string
		mu0    []float64
		lambda float64
		w      mat.Symmetric
		nu     float64
		c      Construction
	}{
		{"empty", nil, 1, identity(1), 3, Bartlett},
		{"dim mismatch", make([]float64, 2), 1, identity(3), 5, Bartlett},
		{"lambda zero", make([]float64, 2), 0, identity(2), 5, Bartlett},
		{"lambda NaN", make([]float64, 2), math.NaN(), identity(2), 5, Bartlett},
		{"nu too small", make([]float64, 3), 1, identity(3), 2, Bartlett},
		{"scatter nu fractional", make([]float64, 3), 1, identity(3), 4.5, OriginalScatter},
		{"scatter nu below D", make([]float64, 3), 1, identity(3), 2, OriginalScatter},
		{"W not PD", make([]float64, 2), 1, mat.NewSymDense(2, []float64{1, 2, 2, 1}), 5, Bartlett},
		{"mu0 inf", []float64{math.Inf(1), 0}, 1, identity(2), 5, Bartlett},
		{"unknown construction", make([]float64, 2), 1, identity(2), 5, Construction(9)},
	}
	for _, c := range cases {
		if _, err := NewNormalWishart(c.mu0, c.lambda, c.w, c.nu, c.c); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	// ν just above D−1 is a valid (fractional) Wishart.
	if _, err := NewNormalWishart(make([]float64, 3), 1, identity(3), 2.5, Bartlett); err != nil {
		t.Errorf("ν = 2.5, D = 3: %v", err)
	}
}

func TestParseConstruction(t *testing.T) {
	for _, c := range []Construction{Bartlett, OriginalScatter} {
		got, err := ParseConstruction(c.String())
		if err != nil || got != c {
			t.Errorf("ParseConstruction(%q) = %v, %v", c.String(), got, err)
		}
	}
	if _, err := ParseConstruction("wishart-ish"); err == nil {
		t.Error("unknown construction accepted")
	}
}

func identity(n int) *mat.SymDense {
	s := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		s.SetSym(i, i, 1)
	}
	return s
}

func BenchmarkNormalWishartSample(b *testing.B) {
	nw, err := NewNormalWishart(make([]float64, 10), 1, identity(10), 15, Bartlett)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	for b.Loop() {
		nw.Sample(rng)
	}
}
