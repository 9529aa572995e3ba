package synth

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

var (
	ledParams      = []string{"seed", "noise_percentage", "irrelevant_features"}
	ledDriftParams = []string{"seed", "noise_percentage", "irrelevant_features", "n_drift_features"}
)

const (
	ledRelevant   = 7
	ledAll        = 24
	ledIrrelevant = ledAll - ledRelevant
)

// ledDigits are the seven segments lit for each digit, River's
// _ORIGINAL_INSTANCES.
var ledDigits = [10][ledRelevant]float64{
	{1, 1, 1, 0, 1, 1, 1},
	{0, 0, 1, 0, 0, 1, 0},
	{1, 0, 1, 1, 1, 0, 1},
	{1, 0, 1, 1, 0, 1, 1},
	{0, 1, 1, 1, 0, 1, 0},
	{1, 1, 0, 1, 0, 1, 1},
	{1, 1, 0, 1, 1, 1, 1},
	{1, 0, 1, 0, 0, 1, 0},
	{1, 1, 1, 1, 1, 1, 1},
	{1, 1, 1, 1, 0, 1, 1},
}

// LED is River's synth.LED: the seven segments (keys 0-6) of a digit y in
// 0..9 drawn uniformly, each segment inverted when 0.01 + U <=
// noise_percentage, plus 17 random binary features (keys 7-23) with
// irrelevant_features. All features are categorical 0/1.
type LED struct {
	noise      float64
	irrelevant bool
	seed       int64
	nFeatures  int
	rng        *pyrand.Rand
	schema     *feature.Schema
	// attr maps segment/feature i to its position in the record: the
	// identity for LED, River's swaps for LEDDrift.
	attr [ledAll]int
	// drift is LEDDrift's n_drift_features (0 for LED).
	drift int
}

func newLED(gen string, opts []Option, allowed []string) (*LED, error) {
	var c config
	if err := c.apply(gen, opts, allowed...); err != nil {
		return nil, err
	}
	if err := checkUnit(gen+" noise_percentage", c.noisePercentage); err != nil {
		return nil, err
	}
	if c.nDriftFeatures < 0 {
		return nil, fmt.Errorf("synth: %s n_drift_features = %d, want at least 0", gen, c.nDriftFeatures)
	}
	n := ledRelevant
	if c.irrelevantFeatures {
		n = ledAll
	}
	g := &LED{
		noise:      c.noisePercentage,
		irrelevant: c.irrelevantFeatures,
		seed:       c.resolvedSeed(),
		nFeatures:  n,
		schema:     numberedSchema(n),
		drift:      c.nDriftFeatures,
	}
	g.Reset()
	return g, nil
}

// NewLED returns an LED generator. Options: Seed, NoisePercentage ([0, 1],
// default 0), IrrelevantFeatures (default false).
func NewLED(opts ...Option) (*LED, error) { return newLED("LED", opts, ledParams) }

func (g *LED) NFeatures() int          { return g.nFeatures }
func (g *LED) NClasses() int           { return 10 }
func (g *LED) Schema() *feature.Schema { return g.schema }

// Nominal lists every feature: River counts all of LED's as categorical.
func (g *LED) Nominal() []string { return g.schema.Names() }

// Reset restarts the stream (and, for LEDDrift, draws the swaps again).
func (g *LED) Reset() {
	g.rng = pyrand.New(g.seed)
	for i := range g.attr {
		g.attr[i] = i
	}
	// LEDDrift swaps segments with irrelevant features, but only when
	// there are irrelevant features. With more than 7 drift features later
	// swaps overwrite earlier ones, so the mapping stops being a
	// permutation; that is River's behaviour and is kept.
	if g.irrelevant && g.drift > 0 {
		randomInt := g.rng.RandInt(0, 6)
		offset := g.rng.RandInt(0, ledIrrelevant-1)
		for i := 0; i < g.drift; i++ {
			v1 := (i + randomInt) % 7
			v2 := 7 + (i+offset)%ledIrrelevant
			g.attr[v1] = v2
			g.attr[v2] = v1
		}
	}
}

// Next writes the features into x[0:n] and returns the digit.
func (g *LED) Next(x []float64) int {
	x = x[:g.nFeatures]
	if g.drift > 0 {
		// River's LEDDrift starts each record from -1 placeholders, which
		// show through where overlapping swaps left a position unmapped.
		for i := range x {
			x[i] = -1
		}
	}
	r := g.rng
	y := r.RandInt(0, 9)
	for i := 0; i < ledRelevant; i++ {
		v := ledDigits[y][i]
		if 0.01+r.Random() <= g.noise {
			v = 1 - v
		}
		x[g.attr[i]] = v
	}
	if g.irrelevant {
		for i := ledRelevant; i < ledAll; i++ {
			x[g.attr[i]] = float64(r.RandBelow(2)) // choice([0, 1])
		}
	}
	return y
}

// LEDDrift is River's synth.LEDDrift: LED whose first n_drift_features
// segments trade places with irrelevant features (drawn once per
// iteration). Without irrelevant features nothing moves, as in River.
type LEDDrift struct{ LED }

// NewLEDDrift returns an LEDDrift generator: LED's options plus
// NDriftFeatures (default 0).
func NewLEDDrift(opts ...Option) (*LEDDrift, error) {
	g, err := newLED("LEDDrift", opts, ledDriftParams)
	if err != nil {
		return nil, err
	}
	return &LEDDrift{*g}, nil
}
