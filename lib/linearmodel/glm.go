package linearmodel

import (
	"fmt"
	"math"

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
type glm struct {
	cfg       config
	weights   []float64 // weights[i] is feature i's weight; absent = 0
	intercept float64
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

// raw is River's _raw_dot_one: w·x + intercept over the present features.
func (g *glm) raw(x feature.Vector) float64 {
	s := 0.0
	w := g.weights
	if x.Idx == nil {
		n := min(len(x.Val), len(w))
		for i, xi := range x.Val[:n] {
			if xi == xi { // NaN marks a missing feature
				s += w[i] * xi
			}
		}
		return s + g.intercept
	}
	for k, i := range x.Idx {
		if int(i) < len(w) {
			s += w[i] * x.Val[k]
		}
	}
	return s + g.intercept
}

// grow makes room for every feature of x, as River's defaultdict creates a
// zero weight on first access.
func (g *glm) grow(x feature.Vector) {
	need := len(x.Val)
	if x.Idx != nil {
		need = 0
		if n := len(x.Idx); n > 0 {
			need = int(x.Idx[n-1]) + 1
		}
	}
	if need > len(g.weights) {
		if need <= cap(g.weights) {
			g.weights = g.weights[:need]
		} else {
			nw := make([]float64, need, max(need, 2*cap(g.weights)))
			copy(nw, g.weights)
			g.weights = nw
		}
	}
}

// step applies River's _fit for a loss gradient already multiplied by the
// sample weight: clamp, update the intercept, then w_j −= lr·(g·x_j + l2·w_j)
// for each present feature j (the gradient only has the record's keys, so
// L2 shrinks only the weights of present features).
func (g *glm) step(x feature.Vector, lossGrad float64) {
	clip := g.cfg.clipGradient
	if lossGrad > clip {
		lossGrad = clip
	} else if lossGrad < -clip {
		lossGrad = -clip
	}
	g.intercept -= g.cfg.interceptLR * lossGrad
	lr, l2 := g.cfg.lr, g.cfg.l2
	w := g.weights
	if x.Idx == nil {
		w = w[:len(x.Val)]
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
	for k, i := range x.Idx {
		w[i] -= lr * (lossGrad*x.Val[k] + l2*w[i])
	}
}

// Weights returns a copy of the weights indexed by feature (features never
// seen have weight 0 and may be beyond the returned length).
func (g *glm) Weights() []float64 { return append([]float64(nil), g.weights...) }

// Weight returns feature i's weight (0 if never seen).
func (g *glm) Weight(i int) float64 {
	if i < 0 || i >= len(g.weights) {
		return 0
	}
	return g.weights[i]
}

// Intercept returns the intercept (bias).
func (g *glm) Intercept() float64 { return g.intercept }

// MemoryBytes counts the weight storage.
func (g *glm) MemoryBytes() int64 { return int64(cap(g.weights))*8 + 96 }

func (g *glm) reset() {
	g.weights = g.weights[:0]
	g.intercept = g.cfg.interceptInit
}

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
	e.Floats(g.weights)
}

func decodeGLM(d *snapshot.Decoder) glm {
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
	g.weights = d.Floats()
	if d.Err() == nil {
		if err := c.validate(); err != nil {
			d.Fail("%v", err)
		}
	}
	return g
}
