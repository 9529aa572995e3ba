package synth

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// LinearModelParams are the hyper-parameters of a LinearModel stream. The
// zero value is not useful; DefaultLinearModelParams returns the seed
// notebook's values.
type LinearModelParams struct {
	Inputs     int     `json:"inputs"`      // n, the length of x
	Outputs    int     `json:"outputs"`     // m, the length of y
	LatentDim  int     `json:"latent_dim"`  // ν of the normal-Wishart prior (the original's latent_dim)
	Lambda     float64 `json:"lambda"`      // λ of the normal-Wishart prior
	NoiseScale float64 `json:"noise_scale"` // standard deviation of each noise component
	Seed       int64   `json:"seed"`
	// Construction is "bartlett" (a true normal-Wishart) or "original"
	// (the seed notebook's sampler); see Construction.
	Construction string `json:"construction"`
	// PriorMean (μ0, length Inputs) and Scale (W, Inputs×Inputs row-major)
	// default to the zero vector and the identity when nil.
	PriorMean []float64 `json:"prior_mean,omitempty"`
	Scale     []float64 `json:"scale,omitempty"`
}

// DefaultLinearModelParams are the seed notebook's defaults: n = 10 inputs,
// m = 8 outputs, latent_dim = 15, W = I, μ0 = 0, λ = 1, noise scale 0.1,
// with the true normal-Wishart construction and seed 0.
func DefaultLinearModelParams() LinearModelParams {
	return LinearModelParams{
		Inputs:       10,
		Outputs:      8,
		LatentDim:    15,
		Lambda:       1,
		NoiseScale:   0.1,
		Construction: Bartlett.String(),
	}
}

// LinearOption configures NewLinearModel.
type LinearOption func(*LinearModelParams)

// WithInputs sets n, the number of explanatory variables.
func WithInputs(n int) LinearOption { return func(p *LinearModelParams) { p.Inputs = n } }

// WithOutputs sets m, the number of explained variables.
func WithOutputs(m int) LinearOption { return func(p *LinearModelParams) { p.Outputs = m } }

// WithLatentDim sets ν, the normal-Wishart degrees of freedom (the
// original's latent_dim: the number of Gaussian draws behind its precision).
func WithLatentDim(nu int) LinearOption { return func(p *LinearModelParams) { p.LatentDim = nu } }

// WithLambda sets λ, the normal-Wishart scaling of the mean's precision.
func WithLambda(lambda float64) LinearOption { return func(p *LinearModelParams) { p.Lambda = lambda } }

// WithNoiseScale sets the standard deviation of each noise component.
func WithNoiseScale(s float64) LinearOption { return func(p *LinearModelParams) { p.NoiseScale = s } }

// WithSeed seeds the stream: the same seed gives the same B and records.
func WithSeed(seed int64) LinearOption { return func(p *LinearModelParams) { p.Seed = seed } }

// WithConstruction selects the normal-Wishart sampler.
func WithConstruction(c Construction) LinearOption {
	return func(p *LinearModelParams) { p.Construction = c.String() }
}

// WithPriorMean sets μ0 (length n). It is copied.
func WithPriorMean(mu0 []float64) LinearOption {
	return func(p *LinearModelParams) { p.PriorMean = append([]float64(nil), mu0...) }
}

// WithScale sets W, the n×n scale matrix of the Wishart. It is copied.
func WithScale(w mat.Symmetric) LinearOption {
	return func(p *LinearModelParams) {
		d := w.SymmetricDim()
		p.Scale = make([]float64, d*d)
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				p.Scale[i*d+j] = w.At(i, j)
			}
		}
	}
}

// WithParams replaces all parameters at once (for configurations read from
// flags or a truth message).
func WithParams(params LinearModelParams) LinearOption {
	return func(p *LinearModelParams) { *p = params }
}

// LinearModel generates the sender notebook's stream
//
//	y = B x + w,   x ~ U(0, 1)ⁿ,   w ~ N(0, s²I_m),
//
// with a counter starting at 0. B (m×n) is drawn once: (μ, Λ) from a
// normal-Wishart NW(μ0, λ, W, ν), then each row of B from N(μ, Λ⁻¹).
//
// Difference from the original: the original drew one noise vector per call
// of sample(sample_size) and added it to every record of the batch, so
// records of one batch shared their noise. Its send loop asked for one
// record per call, so the stream it sent had fresh noise per message, which
// is what LinearModel always does: w is drawn per record.
//
// The random source is a PCG seeded from Seed (math/rand/v2); numpy's
// stream cannot be reproduced bit for bit, only its statistics.
type LinearModel struct {
	params    LinearModelParams
	b         []float64 // m×n row-major
	mu        []float64
	precision *mat.SymDense
	rng       *rand.Rand
	counter   int64
}

// NewLinearModel builds a generator and draws B. Defaults are
// DefaultLinearModelParams.
func NewLinearModel(opts ...LinearOption) (*LinearModel, error) {
	p := DefaultLinearModelParams()
	for _, o := range opts {
		o(&p)
	}
	if p.Inputs < 1 || p.Outputs < 1 {
		return nil, fmt.Errorf("synth: linear model needs at least one input and one output, got n=%d m=%d", p.Inputs, p.Outputs)
	}
	if !(p.NoiseScale >= 0) || math.IsInf(p.NoiseScale, 0) {
		return nil, fmt.Errorf("synth: linear model noise scale %v, want a finite number ≥ 0", p.NoiseScale)
	}
	c, err := ParseConstruction(p.Construction)
	if err != nil {
		return nil, err
	}
	p.Construction = c.String()
	n := p.Inputs
	mu0, scale, err := linearPrior(p)
	if err != nil {
		return nil, err
	}
	nw, err := NewNormalWishart(mu0, p.Lambda, scale, float64(p.LatentDim), c)
	if err != nil {
		return nil, err
	}
	g := &LinearModel{params: p, rng: rand.New(newSource(p.Seed))}
	var chol []float64
	g.mu, g.precision, chol = nw.sample(g.rng)
	if chol == nil {
		if chol, err = choleskyLower(g.precision); err != nil {
			return nil, err
		}
	}
	// Rows of B ~ N(μ, Λ⁻¹): with Λ = C Cᵀ, C⁻ᵀ z has covariance Λ⁻¹, which
	// avoids forming the inverse the original computed.
	m := p.Outputs
	g.b = make([]float64, m*n)
	z := make([]float64, n)
	for r := 0; r < m; r++ {
		for i := range z {
			z[i] = g.rng.NormFloat64()
		}
		solveLowerTransposed(chol, n, z)
		for i := range z {
			if math.IsNaN(z[i]) || math.IsInf(z[i], 0) {
				return nil, errors.New("synth: sampled precision matrix is numerically singular")
			}
			g.b[r*n+i] = g.mu[i] + z[i]
		}
	}
	return g, nil
}

// linearPrior returns μ0 and W of p's normal-Wishart prior: p.PriorMean and
// p.Scale, or the zero vector and the identity when they are nil.
func linearPrior(p LinearModelParams) (mu0 []float64, scale *mat.SymDense, err error) {
	if p.Inputs < 1 {
		return nil, nil, fmt.Errorf("synth: linear model needs at least one input, got n=%d", p.Inputs)
	}
	n := p.Inputs
	mu0 = p.PriorMean
	if mu0 == nil {
		mu0 = make([]float64, n)
	} else if len(mu0) != n {
		return nil, nil, fmt.Errorf("synth: prior mean has %d entries, want n = %d", len(mu0), n)
	}
	if p.Scale == nil {
		scale = mat.NewSymDense(n, nil)
		for i := 0; i < n; i++ {
			scale.SetSym(i, i, 1)
		}
	} else {
		if len(p.Scale) != n*n {
			return nil, nil, fmt.Errorf("synth: scale matrix has %d entries, want n×n = %d", len(p.Scale), n*n)
		}
		for i := 0; i < n; i++ {
			for j := 0; j < i; j++ {
				if p.Scale[i*n+j] != p.Scale[j*n+i] {
					return nil, nil, fmt.Errorf("synth: scale matrix is not symmetric at (%d, %d)", i, j)
				}
			}
		}
		scale = mat.NewSymDense(n, append([]float64(nil), p.Scale...))
	}
	return mu0, scale, nil
}

// newSource derives a PCG source from a signed seed; the second word is a
// fixed odd constant so that seeds 0 and 1 still give unrelated streams.
func newSource(seed int64) *rand.PCG {
	return rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15)
}

// Params returns the generator's parameters (with defaults filled in).
func (g *LinearModel) Params() LinearModelParams { return g.params }

// Inputs is n.
func (g *LinearModel) Inputs() int { return g.params.Inputs }

// Outputs is m.
func (g *LinearModel) Outputs() int { return g.params.Outputs }

// Counter is the counter the next record will carry.
func (g *LinearModel) Counter() int64 { return g.counter }

// Coefficients returns a copy of B (m×n): y = B x + w.
func (g *LinearModel) Coefficients() *mat.Dense {
	return mat.NewDense(g.params.Outputs, g.params.Inputs, append([]float64(nil), g.b...))
}

// Mean returns a copy of μ, the mean of B's rows.
func (g *LinearModel) Mean() []float64 { return append([]float64(nil), g.mu...) }

// Precision returns a copy of Λ, the precision of B's rows.
func (g *LinearModel) Precision() *mat.SymDense {
	p := mat.NewSymDense(g.params.Inputs, nil)
	p.CopySym(g.precision)
	return p
}

// Next writes the next record into x (length n) and y (length m) and
// returns its counter. It does not allocate.
func (g *LinearModel) Next(x, y []float64) int64 {
	n, m := g.params.Inputs, g.params.Outputs
	if len(x) != n || len(y) != m {
		panic(fmt.Sprintf("synth: LinearModel.Next needs len(x)=%d and len(y)=%d, got %d and %d", n, m, len(x), len(y)))
	}
	for i := range x {
		x[i] = g.rng.Float64()
	}
	s := g.params.NoiseScale
	for j := range y {
		row := g.b[j*n : j*n+n]
		v := 0.0
		for i, xi := range x {
			v += row[i] * xi
		}
		y[j] = v + s*g.rng.NormFloat64()
	}
	c := g.counter
	g.counter++
	return c
}

// Sample returns the next record in new slices (convenient in notebooks).
func (g *LinearModel) Sample() (counter int64, x, y []float64) {
	x = make([]float64, g.params.Inputs)
	y = make([]float64, g.params.Outputs)
	counter = g.Next(x, y)
	return counter, x, y
}
