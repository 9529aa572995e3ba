package synth

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Construction selects how NormalWishart.Sample draws (μ, Λ).
type Construction int

const (
	// Bartlett draws a true normal-Wishart sample:
	//
	//	Λ ~ Wishart(W, ν)          by the Bartlett decomposition,
	//	μ | Λ ~ N(μ0, (λΛ)⁻¹).
	//
	// With W = L Lᵀ (Cholesky), A lower triangular with A_ii = √χ²(ν−i)
	// (i = 0..D−1) and A_ij ~ N(0, 1) below the diagonal, Λ = (LA)(LA)ᵀ.
	// LA is lower triangular with a positive diagonal, so it is Λ's Cholesky
	// factor for free, and μ is drawn by one triangular solve.
	Bartlett Construction = iota

	// OriginalScatter reproduces the original sender notebook's sampler:
	//
	//	μ ~ N(μ0, W)                   (λ is ignored),
	//	G = ν rows drawn from N(0, W), Λ = GᵀG.
	//
	// The scatter matrix of ν independent N(0, W) rows is itself
	// Wishart(W, ν) distributed, so Λ has the right law when ν is an integer;
	// what differs is μ, which is drawn independently of Λ with covariance W
	// instead of (λΛ)⁻¹. In the original, ν was its latent_dim (15) — the
	// parameter it called ν was only used in an assertion. Use this to
	// reproduce the original stream's statistics: its μ, and hence the
	// coefficients, are on the scale of W rather than of Λ⁻¹ ≈ W⁻¹/(ν−D−1).
	OriginalScatter
)

// String names the construction as the CLI spells it.
func (c Construction) String() string {
	switch c {
	case Bartlett:
		return "bartlett"
	case OriginalScatter:
		return "original"
	}
	return fmt.Sprintf("Construction(%d)", int(c))
}

// ParseConstruction reads "bartlett" or "original".
func ParseConstruction(s string) (Construction, error) {
	switch s {
	case "bartlett", "normal-wishart", "":
		return Bartlett, nil
	case "original", "scatter":
		return OriginalScatter, nil
	}
	return 0, fmt.Errorf("synth: unknown normal-Wishart construction %q (want bartlett or original)", s)
}

// NormalWishart is the normal-Wishart distribution NW(μ0, λ, W, ν), the
// conjugate prior of a multivariate Gaussian with unknown mean μ and
// precision Λ. E[Λ] = νW and E[Λ⁻¹] = W⁻¹/(ν−D−1) for ν > D+1.
type NormalWishart struct {
	mu0          []float64
	lambda       float64
	nu           float64
	cholW        []float64 // lower Cholesky factor of W, row-major D×D
	dim          int
	construction Construction
}

// NewNormalWishart returns NW(mu0, lambda, scale, nu). scale (W) must be
// symmetric positive definite of order len(mu0), lambda > 0, and nu > D−1
// (Bartlett) or an integer ≥ D (OriginalScatter, where smaller values give a
// singular Λ).
func NewNormalWishart(mu0 []float64, lambda float64, scale mat.Symmetric, nu float64, c Construction) (*NormalWishart, error) {
	d := len(mu0)
	if d == 0 {
		return nil, errors.New("synth: normal-Wishart needs a non-empty location vector")
	}
	if scale.SymmetricDim() != d {
		return nil, fmt.Errorf("synth: normal-Wishart scale matrix is %d×%d, want %d×%d", scale.SymmetricDim(), scale.SymmetricDim(), d, d)
	}
	if !(lambda > 0) || math.IsInf(lambda, 0) {
		return nil, fmt.Errorf("synth: normal-Wishart λ = %v, want a finite positive number", lambda)
	}
	switch c {
	case Bartlett:
		if !(nu > float64(d-1)) || math.IsInf(nu, 0) {
			return nil, fmt.Errorf("synth: normal-Wishart ν = %v, want ν > D−1 = %d", nu, d-1)
		}
	case OriginalScatter:
		if nu != math.Trunc(nu) || nu < float64(d) || nu > 1<<20 {
			return nil, fmt.Errorf("synth: original scatter construction needs an integer ν ≥ D = %d draws, got %v", d, nu)
		}
	default:
		return nil, fmt.Errorf("synth: unknown construction %v", c)
	}
	for i, v := range mu0 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("synth: normal-Wishart μ0[%d] = %v is not finite", i, v)
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(scale) {
		return nil, errors.New("synth: normal-Wishart scale matrix W is not positive definite")
	}
	var l mat.TriDense
	chol.LTo(&l)
	lower := make([]float64, d*d)
	for i := 0; i < d; i++ {
		for j := 0; j <= i; j++ {
			lower[i*d+j] = l.At(i, j)
		}
	}
	return &NormalWishart{
		mu0:          append([]float64(nil), mu0...),
		lambda:       lambda,
		nu:           nu,
		cholW:        lower,
		dim:          d,
		construction: c,
	}, nil
}

// Dim is the dimension D.
func (nw *NormalWishart) Dim() int { return nw.dim }

// Construction reports how samples are drawn.
func (nw *NormalWishart) Construction() Construction { return nw.construction }

// Sample draws (μ, Λ) using rng.
func (nw *NormalWishart) Sample(rng *rand.Rand) (mu []float64, precision *mat.SymDense) {
	mu, precision, _ = nw.sample(rng)
	return mu, precision
}

// sample also returns the lower Cholesky factor of Λ (row-major), or nil
// when the construction does not produce one.
func (nw *NormalWishart) sample(rng *rand.Rand) (mu []float64, precision *mat.SymDense, cholPrec []float64) {
	d := nw.dim
	mu = make([]float64, d)
	precision = mat.NewSymDense(d, nil)
	z := make([]float64, d)
	switch nw.construction {
	case Bartlett:
		// A: Bartlett factor. Row i holds √χ²(ν−i) on the diagonal and
		// standard normals to its left.
		a := make([]float64, d*d)
		for i := 0; i < d; i++ {
			chi := distuv.ChiSquared{K: nw.nu - float64(i), Src: rng}
			a[i*d+i] = math.Sqrt(chi.Rand())
			for j := 0; j < i; j++ {
				a[i*d+j] = rng.NormFloat64()
			}
		}
		// M = L A, lower triangular: M_ij = Σ_{k=j..i} L_ik A_kj.
		m := make([]float64, d*d)
		for i := 0; i < d; i++ {
			for j := 0; j <= i; j++ {
				s := 0.0
				for k := j; k <= i; k++ {
					s += nw.cholW[i*d+k] * a[k*d+j]
				}
				m[i*d+j] = s
			}
		}
		fillOuterLower(precision, m, d)
		// μ = μ0 + M⁻ᵀ z / √λ has covariance (M Mᵀ)⁻¹/λ = (λΛ)⁻¹.
		for i := range z {
			z[i] = rng.NormFloat64()
		}
		solveLowerTransposed(m, d, z)
		s := 1 / math.Sqrt(nw.lambda)
		for i := range mu {
			mu[i] = nw.mu0[i] + s*z[i]
		}
		return mu, precision, m
	case OriginalScatter:
		// Draw μ first, as the original did (np.random.multivariate_normal
		// for μ, then for G).
		nw.gaussianW(rng, z)
		for i := range mu {
			mu[i] = nw.mu0[i] + z[i]
		}
		n := int(nw.nu)
		g := make([]float64, d)
		for r := 0; r < n; r++ {
			nw.gaussianW(rng, g)
			for i := 0; i < d; i++ {
				for j := i; j < d; j++ {
					precision.SetSym(i, j, precision.At(i, j)+g[i]*g[j])
				}
			}
		}
		return mu, precision, nil
	}
	panic("synth: unknown construction")
}

// gaussianW fills dst with a draw from N(0, W) = L z.
func (nw *NormalWishart) gaussianW(rng *rand.Rand, dst []float64) {
	d := nw.dim
	var zbuf [16]float64
	z := zbuf[:0]
	if d > len(zbuf) {
		z = make([]float64, 0, d)
	}
	for i := 0; i < d; i++ {
		z = append(z, rng.NormFloat64())
	}
	for i := 0; i < d; i++ {
		s := 0.0
		for k := 0; k <= i; k++ {
			s += nw.cholW[i*d+k] * z[k]
		}
		dst[i] = s
	}
}

// fillOuterLower sets dst = M Mᵀ for a row-major lower-triangular M.
func fillOuterLower(dst *mat.SymDense, m []float64, d int) {
	for i := 0; i < d; i++ {
		for j := 0; j <= i; j++ {
			s := 0.0
			for k := 0; k <= j; k++ {
				s += m[i*d+k] * m[j*d+k]
			}
			dst.SetSym(i, j, s)
		}
	}
}

// solveLowerTransposed overwrites z with the solution v of Mᵀ v = z, M lower
// triangular row-major (back substitution on the upper-triangular Mᵀ).
func solveLowerTransposed(m []float64, d int, z []float64) {
	for i := d - 1; i >= 0; i-- {
		s := z[i]
		for k := i + 1; k < d; k++ {
			s -= m[k*d+i] * z[k]
		}
		z[i] = s / m[i*d+i]
	}
}

// choleskyLower returns the row-major lower Cholesky factor of a, or an
// error when a is not positive definite.
func choleskyLower(a mat.Symmetric) ([]float64, error) {
	d := a.SymmetricDim()
	var chol mat.Cholesky
	if !chol.Factorize(a) {
		return nil, errors.New("synth: sampled precision matrix is not positive definite")
	}
	var l mat.TriDense
	chol.LTo(&l)
	out := make([]float64, d*d)
	for i := 0; i < d; i++ {
		for j := 0; j <= i; j++ {
			out[i*d+j] = l.At(i, j)
		}
	}
	return out, nil
}
