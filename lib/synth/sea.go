package synth

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

var seaParams = []string{"variant", "noise", "seed"}

// seaThresholds are River's thresholds on x0 + x1 per variant.
var seaThresholds = [4]float64{8, 9, 7, 9.5}

// SEA is River's synth.SEA: three uniform features on [0, 10) (keys 0, 1,
// 2) and the label x0 + x1 > θ, θ = 8, 9, 7, 9.5 for variants 0-3. With
// noise, a label flips when U < noise. River's labels are bools; here
// False is class 0 and True class 1.
type SEA struct {
	threshold float64
	noise     float64
	seed      int64
	rng       *pyrand.Rand
	schema    *feature.Schema
}

// NewSEA returns a SEA generator. Options: Variant (0-3, default 0), Noise
// (default 0), Seed.
func NewSEA(opts ...Option) (*SEA, error) {
	var c config
	if err := c.apply("SEA", opts, seaParams...); err != nil {
		return nil, err
	}
	if c.variant < 0 || c.variant > 3 {
		return nil, fmt.Errorf("synth: SEA variant %d: possible choices are 0, 1, 2, 3", c.variant)
	}
	g := &SEA{
		threshold: seaThresholds[c.variant],
		noise:     c.noise,
		seed:      c.resolvedSeed(),
		schema:    numberedSchema(3),
	}
	g.Reset()
	return g, nil
}

func (g *SEA) NFeatures() int          { return 3 }
func (g *SEA) NClasses() int           { return 2 }
func (g *SEA) Schema() *feature.Schema { return g.schema }
func (g *SEA) Nominal() []string       { return nil }
func (g *SEA) Reset()                  { g.rng = pyrand.New(g.seed) }

// Next writes x0, x1, x2 into x[0:3] and returns the label.
func (g *SEA) Next(x []float64) int {
	x = x[:3]
	for i := range x {
		x[i] = 0 + float64(10*g.rng.Random()) // uniform(0, 10)
	}
	y := 0
	if x[0]+x[1] > g.threshold {
		y = 1
	}
	// River tests "if self.noise and ...": no draw at all without noise.
	if g.noise != 0 && g.rng.Random() < g.noise {
		y = 1 - y
	}
	return y
}
