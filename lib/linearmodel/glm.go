package linearmodel

import (
	"fmt"
	"math"
	"slices"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// Option configures LinearRegression and LogisticRegression. The names
// follow River's parameters.
type Option func(*config)

type config struct {
	lr            float64 // optimizer=optim.SGD(lr)
	interceptLR   float64
	interceptInit float64
	l2            float64
	clipGradient  float64
	weightPos     float64 // Log(weight_pos, weight_neg); unused by regression
	weightNeg     float64
	classWeights  bool
}

func defaultConfig() config {
	return config{lr: 0.01, interceptLR: 0.01, clipGradient: 1e12, weightPos: 1, weightNeg: 1}
}

// WithLearningRate sets the SGD learning rate of the weights (River:
// optimizer=optim.SGD(lr); default 0.01).
func WithLearningRate(lr float64) Option { return func(c *config) { c.lr = lr } }

// WithInterceptLR sets the constant learning rate of the intercept (River:
// intercept_lr; default 0.01). 0 freezes the intercept at its initial value.
func WithInterceptLR(lr float64) Option { return func(c *config) { c.interceptLR = lr } }

// WithInterceptInit sets the initial intercept (River: intercept_init).
func WithInterceptInit(v float64) Option { return func(c *config) { c.interceptInit = v } }

// WithL2 sets the L2 penalty (River: l2; default 0).
func WithL2(l2 float64) Option { return func(c *config) { c.l2 = l2 } }

// WithClipGradient clamps the loss gradient to ±clip (River: clip_gradient;
// default 1e12).
func WithClipGradient(clip float64) Option { return func(c *config) { c.clipGradient = clip } }

// WithClassWeights sets the log loss's weight_pos and weight_neg (River:
// loss=optim.losses.Log(weight_pos, weight_neg)). LogisticRegression only.
func WithClassWeights(pos, neg float64) Option {
	return func(c *config) { c.weightPos, c.weightNeg, c.classWeights = pos, neg, true }
}

func (c *config) validate() error {
	check := func(name string, v float64, allowZero bool) error {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || (!allowZero && v == 0) {
			want := "> 0"
			if allowZero {
				want = "≥ 0"
			}
			return fmt.Errorf("linearmodel: %s = %v, want a finite number %s", name, v, want)
		}
		return nil
	}
	for _, e := range []error{
		check("lr", c.lr, true),
		check("intercept_lr", c.interceptLR, true),
		check("l2", c.l2, true),
		check("clip_gradient", c.clipGradient, false),
		check("weight_pos", c.weightPos, true),
		check("weight_neg", c.weightNeg, true),
	} {
		if e != nil {
			return e
		}
	}
	if math.IsNaN(c.interceptInit) || math.IsInf(c.interceptInit, 0) {
		return fmt.Errorf("linearmodel: intercept_init = %v, want a finite number", c.interceptInit)
	}
	return nil
}

// glm is River's GLM learning step with plain SGD: the parts shared by
// linear and logistic regression.
//
// River keeps the weights in a dict that gains a zero entry on first
// access; here the features seen are interned into dense slots by a
// feature.SlotIndex and the weights are a slice by slot, so the memory
// follows the number of distinct features (MaliciousURL: some ten
// thousand) rather than the largest index (3.2 million). A missing feature
// (NaN in a dense vector) gets no weight, as it has no key in River's dict.
type glm struct {
	cfg       config
	index     feature.SlotIndex
	weights   []float64 // weights[slot]; the slot's feature is index.Feature(slot)
	intercept float64
	xslots    []int32 // learn scratch: the slot of each entry of x, −1 for a dense NaN
}

func newGLM(opts []Option) (glm, error) {
	c := defaultConfig()
	for _, o := range opts {
		o(&c)
	}
	if err := c.validate(); err != nil {
		return glm{}, err
	}
	return glm{cfg: c, intercept: c.interceptInit}, nil
}

// raw is River's _raw_dot_one: w·x + intercept over the present features,
// summed in x's order. A feature never learnt has weight 0 and is skipped.
// It only reads the model, so concurrent predictions are safe.
func (g *glm) raw(x feature.Vector) float64 {
	s := 0.0
	w := g.weights
	if x.Idx == nil {
		// Below the identity prefix, feature i's weight is w[i].
		n := min(len(x.Val), g.index.IdentityPrefix())
		for i, xi := range x.Val[:n] {
			if xi == xi { // NaN marks a missing feature
				s += w[i] * xi
			}
		}
		for i := n; i < len(x.Val); i++ {
			if xi := x.Val[i]; xi == xi {
				if slot := g.index.Slot(i); slot >= 0 {
					s += w[slot] * xi
				}
			}
		}
		return s + g.intercept
	}
	// Slots are resolved a chunk at a time into a stack buffer, so
	// predicting stays read-only and allocation-free.
	var buf [64]int32
	for start := 0; start < len(x.Idx); start += len(buf) {
		idx := x.Idx[start:min(start+len(buf), len(x.Idx))]
		slots := buf[:len(idx)]
		g.index.Slots(idx, slots)
		val := x.Val[start : start+len(idx)]
		for k, slot := range slots {
			if slot >= 0 {
				s += w[slot] * val[k]
			}
		}
	}
	return s + g.intercept
}

// addFeature gives feature i, not seen before, a zero weight, as River's
// defaultdict does on first access, and returns its slot.
func (g *glm) addFeature(i int) int {
	slot, _ := g.index.Intern(i)
	g.weights = append(g.weights, 0)
	return slot
}

// prepare gives every present feature of x a weight and reports whether x
// is dense within the identity prefix, where feature i's weight is
// weights[i]; otherwise it records the slot of each entry of x in
// g.xslots for rawLearn and step.
func (g *glm) prepare(x feature.Vector) (direct bool) {
	g.xslots = g.xslots[:0]
	if x.Idx == nil {
		if len(x.Val) <= g.index.IdentityPrefix() {
			return true
		}
		for i, xi := range x.Val {
			if xi == xi && g.index.Slot(i) < 0 {
				g.addFeature(i)
			}
		}
		if len(x.Val) <= g.index.IdentityPrefix() {
			return true
		}
		for i, xi := range x.Val {
			slot := -1
			if xi == xi {
				slot = g.index.Slot(i)
			}
			g.xslots = append(g.xslots, int32(slot))
		}
		return false
	}
	g.xslots = slices.Grow(g.xslots, len(x.Idx))[:len(x.Idx)]
	g.index.Slots(x.Idx, g.xslots)
	for k, slot := range g.xslots {
		if slot < 0 {
			g.xslots[k] = int32(g.addFeature(int(x.Idx[k])))
		}
	}
	return false
}

// rawLearn is raw for the x just prepared: the same sum in the same order.
func (g *glm) rawLearn(x feature.Vector, direct bool) float64 {
	if direct {
		return g.raw(x)
	}
	s := 0.0
	w := g.weights
	for k, slot := range g.xslots {
		if slot >= 0 {
			s += w[slot] * x.Val[k]
		}
	}
	return s + g.intercept
}

// step applies River's _fit for a loss gradient already multiplied by the
// sample weight, on the x just prepared: clamp, update the intercept, then
// w_j −= lr·(g·x_j + l2·w_j) for each present feature j (the gradient only
// has the record's keys, so L2 shrinks only the weights of present
// features).
func (g *glm) step(x feature.Vector, direct bool, lossGrad float64) {
	clip := g.cfg.clipGradient
	if lossGrad > clip {
		lossGrad = clip
	} else if lossGrad < -clip {
		lossGrad = -clip
	}
	g.intercept -= g.cfg.interceptLR * lossGrad
	lr, l2 := g.cfg.lr, g.cfg.l2
	if direct {
		w := g.weights[:len(x.Val)]
		if l2 == 0 {
			for i, xi := range x.Val {
				if xi == xi {
					w[i] -= lr * (lossGrad * xi)
				}
			}
			return
		}
		for i, xi := range x.Val {
			if xi == xi {
				w[i] -= lr * (lossGrad*xi + l2*w[i])
			}
		}
		return
	}
	w := g.weights
	if l2 == 0 {
		for k, slot := range g.xslots {
			if slot >= 0 {
				w[slot] -= lr * (lossGrad * x.Val[k])
			}
		}
		return
	}
	for k, slot := range g.xslots {
		if slot >= 0 {
			w[slot] -= lr * (lossGrad*x.Val[k] + l2*w[slot])
		}
	}
}

// Weights returns the weights as a dense slice indexed by feature, up to
// the largest feature index seen (features never seen have weight 0 and
// may be beyond the returned length). On a stream with large feature
// indices prefer Weight, or NumFeatures and FeatureWeight.
func (g *glm) Weights() []float64 {
	n := 0
	for _, f := range g.index.Features() {
		n = max(n, int(f)+1)
	}
	out := make([]float64, n)
	for slot, f := range g.index.Features() {
		out[f] = g.weights[slot]
	}
	return out
}

// Weight returns feature i's weight (0 if never seen).
func (g *glm) Weight(i int) float64 {
	if slot := g.index.Slot(i); slot >= 0 {
		return g.weights[slot]
	}
	return 0
}

// NumFeatures is the number of distinct features that have a weight
// (River's len(weights)).
func (g *glm) NumFeatures() int { return g.index.Len() }

// FeatureWeight returns the k-th feature given a weight, in first-seen
// order (River's weights dict order), and its weight; 0 ≤ k < NumFeatures.
func (g *glm) FeatureWeight(k int) (feature int, weight float64) {
	return g.index.Feature(k), g.weights[k]
}

// Intercept returns the intercept (bias).
func (g *glm) Intercept() float64 { return g.intercept }

// MemoryBytes counts the weights, the feature index and the scratch.
func (g *glm) MemoryBytes() int64 {
	return 160 + 8*int64(cap(g.weights)) + 4*int64(cap(g.xslots)) + g.index.MemoryBytes()
}

func (g *glm) reset() {
	g.index.Reset()
	g.weights = g.weights[:0]
	g.intercept = g.cfg.interceptInit
}

// glmLayout is the snapshot layout version of LinearRegression and
// LogisticRegression. Version 1 stored the weights densely by feature
// index; version 2 stores the features in slot order and their weights.
const glmLayout = 2

func (g *glm) encode(e *snapshot.Encoder) {
	c := g.cfg
	e.Float(c.lr)
	e.Float(c.interceptLR)
	e.Float(c.interceptInit)
	e.Float(c.l2)
	e.Float(c.clipGradient)
	e.Float(c.weightPos)
	e.Float(c.weightNeg)
	e.Bool(c.classWeights)
	e.Float(g.intercept)
	e.Int32s(g.index.Features())
	e.Floats(g.weights)
}

// decodeGLM reads a glm of layout version 1 or 2.
func decodeGLM(d *snapshot.Decoder, version int) glm {
	var g glm
	c := &g.cfg
	c.lr = d.Float()
	c.interceptLR = d.Float()
	c.interceptInit = d.Float()
	c.l2 = d.Float()
	c.clipGradient = d.Float()
	c.weightPos = d.Float()
	c.weightNeg = d.Float()
	c.classWeights = d.Bool()
	g.intercept = d.Float()
	if version == 1 {
		// Dense by feature index: a zero weight is indistinguishable from
		// an unseen feature and predicts the same, so only non-zero
		// weights are interned.
		for i, w := range d.Floats() {
			if w != 0 {
				g.index.Intern(i)
				g.weights = append(g.weights, w)
			}
		}
	} else {
		feats := d.Int32s()
		g.weights = d.Floats()
		if d.Err() == nil && len(feats) != len(g.weights) {
			d.Fail("linearmodel: %d features but %d weights", len(feats), len(g.weights))
		}
		if d.Err() == nil {
			if err := g.index.Restore(feats); err != nil {
				d.Fail("linearmodel: %v", err)
			}
		}
	}
	if d.Err() == nil {
		if err := c.validate(); err != nil {
			d.Fail("%v", err)
		}
	}
	return g
}
