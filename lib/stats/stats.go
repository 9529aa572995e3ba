package stats

import "math"

// Mean is a weighted running mean.
type Mean struct {
	N    float64 // total weight
	Mean float64
}

// Update adds x with weight w.
func (m *Mean) Update(x, w float64) {
	m.N += w
	if m.N > 0 {
		// River's order of operations; float64() forbids a fused multiply-add
		// so results match River bit for bit.
		m.Mean += float64(w/m.N) * (x - m.Mean)
	}
}

// Get returns the mean (0 before any update).
func (m *Mean) Get() float64 { return m.Mean }

// Reset forgets everything.
func (m *Mean) Reset() { *m = Mean{} }

// Var is River's stats.Var: a weighted Welford running variance. Ddof is
// the delta degrees of freedom (River's default is 1, the sample variance).
type Var struct {
	Ddof float64
	N    float64 // total weight
	Mean float64
	M2   float64 // weighted sum of squared deviations
}

// NewVar returns a variance with the given ddof.
func NewVar(ddof float64) Var { return Var{Ddof: ddof} }

// Update adds x with weight w, in River's order of operations.
func (v *Var) Update(x, w float64) {
	v.N += w
	if v.N <= 0 {
		return
	}
	old := v.Mean
	v.Mean += float64(w/v.N) * (x - old)
	v.M2 += float64(w*(x-old)) * (x - v.Mean)
}

// Get returns the variance, or 0 until the weight exceeds ddof.
func (v *Var) Get() float64 {
	if v.N > v.Ddof {
		return v.M2 / (v.N - v.Ddof)
	}
	return 0
}

// Gaussian is River's proba.Gaussian: a normal distribution fitted online
// through a ddof=1 variance.
type Gaussian struct {
	V Var
}

// NewGaussian returns an empty estimator.
func NewGaussian() Gaussian { return Gaussian{V: Var{Ddof: 1}} }

// Update adds x with weight w.
func (g *Gaussian) Update(x, w float64) {
	g.V.Ddof = 1
	g.V.Update(x, w)
}

// N is the total weight seen.
func (g *Gaussian) N() float64 { return g.V.N }

// Mu is the mean.
func (g *Gaussian) Mu() float64 { return g.V.Mean }

// Variance is the sample variance (ddof 1).
func (g *Gaussian) Variance() float64 {
	if g.V.N > 1 {
		return g.V.M2 / (g.V.N - 1)
	}
	return 0
}

// Sigma is the standard deviation.
func (g *Gaussian) Sigma() float64 { return math.Sqrt(g.Variance()) }

// PDF is the density at x, computed as River 0.26 does
// (norm_pdf((x-mu)/sigma)/sigma). As in River it is 0 when the variance is 0.
func (g *Gaussian) PDF(x float64) float64 {
	v := g.Variance()
	if v <= 0 {
		return 0
	}
	sigma := math.Sqrt(v)
	z := (x - g.V.Mean) / sigma
	return math.Exp(-0.5*z*z) / math.Sqrt(2.0*math.Pi) / sigma
}

// LogPDF is the log density at x (River's log_pdf), -Inf when the variance
// is 0.
func (g *Gaussian) LogPDF(x float64) float64 {
	v := g.Variance()
	if v <= 0 {
		return math.Inf(-1)
	}
	d := x - g.V.Mean
	return d*d/(-2.0*v) - 0.5*math.Log(2*math.Pi) - 0.5*math.Log(v)
}

// CDF is the cumulative probability at x; 0 when sigma is 0, as River.
func (g *Gaussian) CDF(x float64) float64 {
	s := g.Sigma()
	if s == 0 {
		return 0
	}
	return 0.5 * (1.0 + math.Erf((x-g.V.Mean)/s/math.Sqrt(2.0)))
}
