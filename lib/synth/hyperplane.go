package synth

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

var hyperplaneParams = []string{"seed", "n_features", "n_drift_features", "mag_change", "noise_percentage", "sigma"}

// Hyperplane is River's synth.Hyperplane: n uniform features on [0, 1)
// (keys 0..n-1) labelled 1 when Σ wᵢxᵢ >= ½ Σ wᵢ. After each record the
// first n_drift_features weights move by ±mag_change, reversing direction
// with probability sigma; the label flips when 0.01 + U <= noise_percentage.
//
// Σ wᵢ is summed left to right in plain double precision, which is what
// Python's sum() did up to CPython 3.11 (the version River's golden values
// come from); CPython 3.12 switched sum() of floats to compensated
// summation, which may change the last bit of the threshold.
type Hyperplane struct {
	nFeatures, nDrift int
	magChange, noise  float64
	sigma             float64
	seed              int64

	rng       *pyrand.Rand
	weights   []float64
	direction []float64
	schema    *feature.Schema
}

// NewHyperplane returns a Hyperplane generator. Options and River's
// defaults: Seed, NFeatures (10), NDriftFeatures (2), MagChange (0),
// NoisePercentage (0.05), Sigma (0.1).
func NewHyperplane(opts ...Option) (*Hyperplane, error) {
	c := config{nFeatures: 10, nDriftFeatures: 2, noisePercentage: 0.05, sigma: 0.1}
	if err := c.apply("Hyperplane", opts, hyperplaneParams...); err != nil {
		return nil, err
	}
	if c.nFeatures < 1 {
		return nil, fmt.Errorf("synth: Hyperplane n_features = %d, want at least 1", c.nFeatures)
	}
	// River would fail with an IndexError while drifting.
	if c.nDriftFeatures < 0 || c.nDriftFeatures > c.nFeatures {
		return nil, fmt.Errorf("synth: Hyperplane n_drift_features = %d, want 0..n_features (%d)", c.nDriftFeatures, c.nFeatures)
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"mag_change", c.magChange}, {"sigma", c.sigma}, {"noise_percentage", c.noisePercentage}} {
		if err := checkUnit("Hyperplane "+p.name, p.v); err != nil {
			return nil, err
		}
	}
	g := &Hyperplane{
		nFeatures: c.nFeatures,
		nDrift:    c.nDriftFeatures,
		magChange: c.magChange,
		noise:     c.noisePercentage,
		sigma:     c.sigma,
		seed:      c.resolvedSeed(),
		weights:   make([]float64, c.nFeatures),
		direction: make([]float64, c.nFeatures),
		schema:    numberedSchema(c.nFeatures),
	}
	g.Reset()
	return g, nil
}

func (g *Hyperplane) NFeatures() int          { return g.nFeatures }
func (g *Hyperplane) NClasses() int           { return 2 }
func (g *Hyperplane) Schema() *feature.Schema { return g.schema }
func (g *Hyperplane) Nominal() []string       { return nil }

// Reset restarts the stream and draws fresh weights, as River does at the
// start of each iteration.
func (g *Hyperplane) Reset() {
	g.rng = pyrand.New(g.seed)
	for i := range g.weights {
		g.weights[i] = g.rng.Random()
	}
	for i := range g.direction {
		g.direction[i] = 0
		if i < g.nDrift {
			g.direction[i] = 1
		}
	}
}

// Weights returns the current hyperplane weights (a copy).
func (g *Hyperplane) Weights() []float64 { return append([]float64(nil), g.weights...) }

// Next writes the features into x[0:n] and returns the label.
func (g *Hyperplane) Next(x []float64) int {
	x = x[:g.nFeatures]
	sumWeights := 0.0
	for _, w := range g.weights {
		sumWeights += w
	}
	sumValue := 0.0
	for i := range x {
		x[i] = g.rng.Random()
		sumValue += float64(g.weights[i] * x[i])
	}
	y := 0
	if sumValue >= sumWeights*0.5 {
		y = 1
	}
	if 0.01+g.rng.Random() <= g.noise {
		y = 1 - y
	}
	for i := 0; i < g.nDrift; i++ {
		g.weights[i] += float64(g.direction[i] * g.magChange)
		if 0.01+g.rng.Random() <= g.sigma {
			g.direction[i] = -g.direction[i]
		}
	}
	return y
}
