package synth

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

var staggerParams = []string{"classification_function", "seed", "balance_classes"}

// STAGGER is River's synth.STAGGER: size, color and shape, each 0-2
// (small/medium/large, red/blue/green, circle/square/triangle), labelled by
// function 0 (size small and color red), 1 (color green or shape circle) or
// 2 (size medium or large).
type STAGGER struct {
	function int
	balance  bool
	seed     int64

	rng                   *pyrand.Rand
	nextClassShouldBeZero bool
	schema                *feature.Schema
}

// NewSTAGGER returns a STAGGER generator. Options: ClassificationFunction
// (0-2, default 0), Seed, BalanceClasses (default false).
func NewSTAGGER(opts ...Option) (*STAGGER, error) {
	var c config
	if err := c.apply("STAGGER", opts, staggerParams...); err != nil {
		return nil, err
	}
	if c.classificationFunction < 0 || c.classificationFunction > 2 {
		return nil, fmt.Errorf("synth: STAGGER classification_function %d: valid values are 0, 1, 2", c.classificationFunction)
	}
	g := &STAGGER{
		function: c.classificationFunction,
		balance:  c.balanceClasses,
		seed:     c.resolvedSeed(),
		schema:   feature.NewSchema("size", "color", "shape"),
	}
	g.Reset()
	return g, nil
}

func (g *STAGGER) NFeatures() int          { return 3 }
func (g *STAGGER) NClasses() int           { return 2 }
func (g *STAGGER) Schema() *feature.Schema { return g.schema }

// Nominal returns size, color and shape.
func (g *STAGGER) Nominal() []string { return []string{"size", "color", "shape"} }

// Reset restarts the stream; a function chosen by GenerateDrift stays.
func (g *STAGGER) Reset() {
	g.rng = pyrand.New(g.seed)
	g.nextClassShouldBeZero = false
}

// ClassificationFunction is the label function in use.
func (g *STAGGER) ClassificationFunction() int { return g.function }

// GenerateDrift switches to another label function drawn from the stream's
// generator, as River's generate_drift does.
func (g *STAGGER) GenerateDrift() {
	f := g.rng.RandInt(0, 2)
	for f == g.function {
		f = g.rng.RandInt(0, 2)
	}
	g.function = f
}

// Next writes size, color and shape into x[0:3] and returns the label.
func (g *STAGGER) Next(x []float64) int {
	x = x[:3]
	var size, color, shape, y int
	for {
		size = g.rng.RandInt(0, 2)
		color = g.rng.RandInt(0, 2)
		shape = g.rng.RandInt(0, 2)
		switch g.function {
		case 0:
			y = b2i(size == 0 && color == 0)
		case 1:
			y = b2i(color == 2 || shape == 0)
		default:
			y = b2i(size == 1 || size == 2)
		}
		if !g.balance {
			break
		}
		if (g.nextClassShouldBeZero && y == 0) || (!g.nextClassShouldBeZero && y == 1) {
			g.nextClassShouldBeZero = !g.nextClassShouldBeZero
			break
		}
	}
	x[0], x[1], x[2] = float64(size), float64(color), float64(shape)
	return y
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
