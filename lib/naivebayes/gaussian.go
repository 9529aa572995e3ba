package naivebayes

import (
	"math"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// pdfEps is River's _PDF_EPS (the source writes 1e-09), added to every
// Gaussian density before its log.
const pdfEps = 1e-09

// logPdfEps is River's _LOG_PDF_EPS, the term of a feature whose density
// is 0 or was never estimated.
var logPdfEps = math.Log(pdfEps)

// sqrt2Pi is River's math.sqrt(2.0 * math.pi), the norm_pdf divisor.
var sqrt2Pi = math.Sqrt(2.0 * math.Pi)

// gauss is River's proba.Gaussian with ddof 0: a weighted Welford running
// mean and sum of squared deviations. sigma caches sqrt(s/n) (0 when the
// variance is not positive), computed exactly as River computes it at
// every density call, so predictions skip a division and a square root.
type gauss struct{ n, mean, s, sigma float64 }

func (g *gauss) update(x, w float64) {
	old := g.mean
	g.n += w
	// River's stats.Mean and stats.Var order; float64() forbids fused
	// multiply-adds that would round differently.
	g.mean += float64((w / g.n) * (x - g.mean))
	g.s += float64(w * (x - old) * (x - g.mean))
	g.sigma = 0
	if g.n > 0 {
		if v := g.s / g.n; v > 0 {
			g.sigma = math.Sqrt(v)
		}
	}
}

// pdf is River's Gaussian.__call__ with ddof 0: 0 unless n > 0 and the
// variance s/n is positive, else norm_pdf((x−μ)/σ)/σ.
func (g *gauss) pdf(x float64) float64 {
	if g.sigma == 0 {
		return 0
	}
	z := (x - g.mean) / g.sigma
	return math.Exp(-0.5*z*z) / sqrt2Pi / g.sigma
}

// GaussianNB is River's naive_bayes.GaussianNB.
type GaussianNB struct {
	classes classTable
	slots   feature.SlotIndex
	stats   [][]gauss // [class][feature slot]; a zero entry was never updated
	scratch []float64 // PredictOne's distribution
}

// NewGaussianNB returns an empty model (River's GaussianNB has no parameters).
func NewGaussianNB() *GaussianNB { return &GaussianNB{} }

// LearnOne updates the model with x of class y.
func (m *GaussianNB) LearnOne(x feature.Vector, y int) { m.LearnWeighted(x, y, 1) }

// LearnWeighted updates the model with x of class y and weight w (w = 0
// is a no-op; negative or NaN weights panic).
func (m *GaussianNB) LearnWeighted(x feature.Vector, y int, w float64) {
	checkLearn(y, w)
	if w == 0 {
		return
	}
	m.classes.add(y, w)
	if y >= len(m.stats) {
		m.stats = append(m.stats, make([][]gauss, y+1-len(m.stats))...)
	}
	st := m.stats[y]
	learn := func(i int, v float64) {
		slot := m.slots.Slot(i)
		if slot < 0 {
			slot, _ = m.slots.Intern(i)
		}
		if slot >= len(st) {
			st = growGauss(st, m.slots.Len())
		}
		st[slot].update(v, w)
	}
	if x.Idx == nil {
		for i, v := range x.Val {
			if v == v { // NaN marks a missing feature
				learn(i, v)
			}
		}
	} else {
		for k, i := range x.Idx {
			if v := x.Val[k]; v == v {
				learn(int(i), v)
			}
		}
	}
	m.stats[y] = st
}

func growGauss(s []gauss, n int) []gauss {
	if n <= cap(s) {
		return s[:n]
	}
	g := make([]gauss, n, max(n, 2*cap(s), 16))
	copy(g, s)
	return g
}

// logPdfTerm is River's _log_gaussian_pdf of feature i for class
// statistics st: log(1e-9 + pdf), or log(1e-9) for a (class, feature)
// never seen.
func (m *GaussianNB) logPdfTerm(st []gauss, i int, v float64) float64 {
	if slot := m.slots.Slot(i); slot >= 0 && slot < len(st) {
		// A density too small to move 1e-9 gives exactly log(1e-9).
		if a := pdfEps + st[slot].pdf(v); a != pdfEps {
			return math.Log(a)
		}
	}
	return logPdfEps
}

// JointLogLikelihood writes River's joint_log_likelihood(x) into dst (one
// entry per class in the dense range; classes never seen get -Inf) and
// returns it; it is empty before any learning.
func (m *GaussianNB) JointLogLikelihood(x feature.Vector, dst []float64) []float64 {
	dst = base.Grow(dst, m.classes.numClasses())
	if len(m.classes.order) == 0 {
		return dst
	}
	total := m.classes.total()
	for c := range dst {
		if !m.classes.seen[c] {
			dst[c] = math.Inf(-1)
			continue
		}
		var st []gauss
		if c < len(m.stats) {
			st = m.stats[c]
		}
		sum := 0.0
		if x.Idx == nil {
			for i, v := range x.Val {
				if v == v {
					sum += m.logPdfTerm(st, i, v)
				}
			}
		} else {
			for k, i := range x.Idx {
				if v := x.Val[k]; v == v {
					sum += m.logPdfTerm(st, int(i), v)
				}
			}
		}
		dst[c] = math.Log(m.classes.count[c]/total) + sum
	}
	return dst
}

// PredictProbaOne returns the class probabilities for x (empty before any
// learning). It allocates nothing when dst has room.
func (m *GaussianNB) PredictProbaOne(x feature.Vector, dst []float64) []float64 {
	dst = m.JointLogLikelihood(x, dst)
	if len(m.classes.order) > 0 {
		jllToProba(dst, m.classes.order, m.classes.seen)
	}
	return dst
}

// PredictOne returns the most probable class (lowest index on ties), or -1
// before any learning.
func (m *GaussianNB) PredictOne(x feature.Vector) int {
	m.scratch = m.PredictProbaOne(x, m.scratch)
	return base.Argmax(m.scratch)
}

// NumClasses is the size of the dense class range seen so far.
func (m *GaussianNB) NumClasses() int { return m.classes.numClasses() }

// NumFeatures is the number of distinct features seen.
func (m *GaussianNB) NumFeatures() int { return m.slots.Len() }

// ClassWeight is the total weight learnt for class c.
func (m *GaussianNB) ClassWeight(c int) float64 {
	if c < 0 || c >= len(m.classes.count) {
		return 0
	}
	return m.classes.count[c]
}

// FeatureStats returns the weight, mean and population variance of feature
// i within class c (zeros when never seen).
func (m *GaussianNB) FeatureStats(c, i int) (n, mean, variance float64) {
	slot, ok := m.slots.Lookup(i)
	if !ok || c < 0 || c >= len(m.stats) || slot >= len(m.stats[c]) {
		return 0, 0, 0
	}
	g := m.stats[c][slot]
	if g.n > 0 {
		variance = g.s / g.n
	}
	return g.n, g.mean, variance
}

// CloneFresh returns an empty GaussianNB.
func (m *GaussianNB) CloneFresh() base.Classifier { return NewGaussianNB() }

// MemoryBytes estimates the model's heap footprint.
func (m *GaussianNB) MemoryBytes() int64 {
	b := int64(128+17*cap(m.classes.count)+8*cap(m.classes.order)+24*cap(m.stats)+8*cap(m.scratch)) + m.slots.MemoryBytes()
	for _, s := range m.stats {
		b += 32 * int64(cap(s))
	}
	return b
}

// SnapshotKind is "naivebayes.gaussian".
func (m *GaussianNB) SnapshotKind() string { return "naivebayes.gaussian" }

// EncodeSnapshot writes the model; only updated (class, feature) entries
// are stored.
func (m *GaussianNB) EncodeSnapshot(e *snapshot.Encoder) {
	e.Int(1)
	m.classes.encode(e)
	encodeSlots(e, &m.slots)
	e.Uint(uint64(len(m.stats)))
	for _, st := range m.stats {
		n := 0
		for i := range st {
			if st[i].n != 0 {
				n++
			}
		}
		e.Uint(uint64(len(st)))
		e.Uint(uint64(n))
		for i := range st {
			if st[i].n != 0 {
				e.Uint(uint64(i))
				e.Float(st[i].n)
				e.Float(st[i].mean)
				e.Float(st[i].s)
			}
		}
	}
}

func decodeGaussianNB(d *snapshot.Decoder) (snapshot.Model, error) {
	d.Version(1)
	m := NewGaussianNB()
	m.classes.decode(d)
	decodeSlots(d, &m.slots)
	k := d.Len(2)
	if d.Err() != nil {
		return nil, d.Err()
	}
	m.stats = make([][]gauss, k)
	for c := range m.stats {
		size := d.Uint()
		n := d.Len(25)
		if d.Err() != nil {
			return nil, d.Err()
		}
		if size > uint64(m.slots.Len()) || uint64(n) > size {
			d.Fail("GaussianNB: class %d has %d entries in a range of %d", c, n, size)
			return nil, d.Err()
		}
		st := make([]gauss, size)
		prev := -1
		for j := 0; j < n; j++ {
			i := d.Uint()
			if d.Err() == nil && (i >= size || int(i) <= prev) {
				d.Fail("GaussianNB: feature index %d out of order or range", i)
			}
			if d.Err() != nil {
				return nil, d.Err()
			}
			prev = int(i)
			g := gauss{n: d.Float(), mean: d.Float(), s: d.Float()}
			if g.n > 0 {
				if v := g.s / g.n; v > 0 {
					g.sigma = math.Sqrt(v)
				}
			}
			st[i] = g
		}
		m.stats[c] = st
	}
	return m, d.Err()
}

func init() {
	snapshot.Register("naivebayes.gaussian", decodeGaussianNB)
}
