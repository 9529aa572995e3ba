package synth

import (
	"fmt"
	"math"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

var conceptDriftParams = []string{"position", "width", "seed", "alpha"}

// ConceptDriftStream is River's synth.ConceptDriftStream: record t (from 1)
// comes from the drift stream with probability
//
//	p(t) = 1 / (1 + exp(-4 (t - position) / width))
//
// (drawn as U > p → original stream), and from the original stream
// otherwise. Each stream advances only when it is drawn from. Streams can
// be nested to chain drifts.
//
// Records are dense vectors in the original stream's schema. Streams with
// the same number of features but different names (SEA's 0, 1, 2 and
// STAGGER's size, color, shape) are joined position by position, where
// River would hand the model dicts with different keys.
//
// One deliberate difference: far before the change (position - t > 177 ·
// width) River's math.exp overflows and raises OverflowError; here p is 0
// and the original stream is used, which is the limit River's formula
// tends to.
type ConceptDriftStream struct {
	stream, drift Stream
	position      int
	width         int
	seed          int64
	rng           *pyrand.Rand
	t             int
}

// NewConceptDriftStream joins stream and drift. Options and River's
// defaults: Position (5000), Width (1000), Seed, Alpha (overrides Width).
// A nil stream is River's default Agrawal(seed); a nil drift is
// Agrawal(seed, classification_function=2), both seeded with the same
// seed as the mixing, exactly as River builds them.
func NewConceptDriftStream(stream, drift Stream, opts ...Option) (*ConceptDriftStream, error) {
	c := config{position: 5000, width: 1000}
	if err := c.apply("ConceptDriftStream", opts, conceptDriftParams...); err != nil {
		return nil, err
	}
	seed := c.resolvedSeed()
	var err error
	if stream == nil {
		if stream, err = NewAgrawal(Seed(seed)); err != nil {
			return nil, err
		}
	}
	if drift == nil {
		if drift, err = NewAgrawal(Seed(seed), ClassificationFunction(2)); err != nil {
			return nil, err
		}
	}
	if stream.NFeatures() != drift.NFeatures() {
		return nil, fmt.Errorf("synth: ConceptDriftStream: inconsistent number of features between the stream (%d) and the drift stream (%d)",
			stream.NFeatures(), drift.NFeatures())
	}
	width := c.width
	if c.hasAlpha {
		if !(c.alpha > 0 && c.alpha <= 90) {
			return nil, fmt.Errorf("synth: ConceptDriftStream alpha = %v: valid values are in the range (0.0, 90.0]", c.alpha)
		}
		// int() truncates toward zero.
		width = max(int(1/math.Tan(c.alpha*math.Pi/180)), 1)
	}
	if width <= 0 {
		return nil, fmt.Errorf("synth: ConceptDriftStream width = %d, want at least 1", width)
	}
	g := &ConceptDriftStream{stream: stream, drift: drift, position: c.position, width: width, seed: seed}
	g.rng = pyrand.New(seed)
	return g, nil
}

// NFeatures, Schema and Nominal are the original stream's.
func (g *ConceptDriftStream) NFeatures() int { return g.stream.NFeatures() }

// NClasses is the larger of the two streams' class counts (River reports
// the original stream's, which undercounts when the drift stream has more).
func (g *ConceptDriftStream) NClasses() int { return max(g.stream.NClasses(), g.drift.NClasses()) }

func (g *ConceptDriftStream) Schema() *feature.Schema { return g.stream.Schema() }
func (g *ConceptDriftStream) Nominal() []string       { return g.stream.Nominal() }

// Width is the width of the change (after Alpha).
func (g *ConceptDriftStream) Width() int { return g.width }

// Reset restarts the mixing and both streams.
func (g *ConceptDriftStream) Reset() {
	g.rng = pyrand.New(g.seed)
	g.t = 0
	g.stream.Reset()
	g.drift.Reset()
}

// Next draws the next record from one of the two streams.
func (g *ConceptDriftStream) Next(x []float64) int {
	g.t++
	v := -4.0 * float64(g.t-g.position) / float64(g.width)
	p := 1.0 / (1.0 + math.Exp(v))
	if g.rng.Random() > p {
		return g.stream.Next(x)
	}
	return g.drift.Next(x)
}
