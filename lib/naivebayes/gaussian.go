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
	g.refresh()
}

// refresh recomputes sigma from n and s.
func (g *gauss) refresh() {
	g.sigma = 0
	if g.n > 0 {
		if v := g.s / g.n; v > 0 {
			g.sigma = math.Sqrt(v)
		}
	}
}

// termLiteral is River's _log_gaussian_pdf, log(1e-9 + pdf(v)), computed
// literally, where pdf is River's Gaussian.__call__ with ddof 0: 0 unless
// the variance is positive, else norm_pdf((v−μ)/σ)/σ.
func (g *gauss) termLiteral(v float64) float64 {
	if g.sigma == 0 {
		return logPdfEps
	}
	z := (v - g.mean) / g.sigma
	// A density too small to move 1e-9 gives exactly log(1e-9).
	if a := pdfEps + math.Exp(-0.5*z*z)/sqrt2Pi/g.sigma; a != pdfEps {
		return math.Log(a)
	}
	return logPdfEps
}

// Evaluating the joint log-likelihood.
//
// River sums log(1e-9 + pdf) over the features of x: an exp and a log per
// (class, feature), 80 % of the time of a prediction if done literally.
// Where the density dominates 1e-9 (ε = 1e-9/pdf ≤ e^−10, the usual case)
//
//	log(1e-9 + pdf) = −z²/2 − log(√(2π)·σ) + log1p(ε)
//
// so a class's sum over such features is Σ −z²/2 − log Π √(2π)·σ + Σ log1p(ε):
// one log per class (of a product kept in range by moving its binary
// exponent aside), a cheap exp per feature for ε (whose error reaches the
// result multiplied by ε ≤ 4.5e-5) and log1p(ε) ≈ ε − ε²/2 + ε³/3 (the
// omitted terms are under 1e-18). z = (v−μ)/σ is River's. The result
// differs from River's term-by-term sum by rounding only: a few 1e-16 per
// feature, the size of the rounding River's own formula commits and of
// the difference between Go's and CPython's libm. The other features —
// small densities, zero variances, never-seen (class, feature) pairs,
// non-finite values — take River's formula literally.
const (
	// log1pCutoff is e^−10, the largest ε taken by the series.
	log1pCutoff = 4.5399929762484854e-05
	// epsScale is 1e-9·√(2π): ε = epsScale·σ·e^(z²/2).
	epsScale = pdfEps * 2.5066282746310002
	// normRange bounds the running product of σ before its exponent is
	// moved aside; σ lies in [1e-162, 1e155], so no step leaves the
	// normal range.
	normRange = 0x1p300
)

// termChunk is the largest number of features termSum takes at once.
const termChunk = 128

// termSum is one class's log prior plus its sum of terms over at most
// termChunk features of a record, given as their slots (−1 or past the end
// of st for a (class, feature) never seen, River's missing Gaussian) and
// values (not NaN); invPrior is 1/P(class), or 1 to leave the prior out.
func termSum(st []gauss, slots []int32, vals []float64, invPrior float64) float64 {
	slots = slots[:min(len(slots), termChunk)]
	vals = vals[:len(slots)]
	var halfZ2, series, literal float64 // Σ −z²/2, Σ log1p(ε), literal terms
	// The log prior joins the product of the σ: prod·2^prodExp is
	// Π σ / P(class) over the n features taking the series.
	b := math.Float64bits(invPrior)
	prod := math.Float64frombits(b&(1<<52-1) | 1023<<52)
	prodExp, n := int64(b>>52)-1023, 0
	// The features needing River's literal formula are set aside and
	// computed after the loop, which thus calls nothing and keeps its
	// sums in registers.
	var late [termChunk]uint8
	nLate := 0
	for k, slot := range slots {
		if uint(slot) >= uint(len(st)) || st[slot].sigma == 0 {
			literal += logPdfEps
			continue
		}
		g := &st[slot]
		z := (vals[k] - g.mean) / g.sigma
		h := 0.5 * z * z
		if h <= 708 { // false for NaN
			// ε's relative error of 1.5e-13 reaches the sum as 7e-18.
			if eps := float64(epsScale*g.sigma) * expRough(h); eps <= log1pCutoff {
				halfZ2 -= h
				series += float64(eps * float64(1-float64(eps*float64(0.5-float64(eps*(1.0/3))))))
				prod *= g.sigma
				if !(prod < normRange && prod > 1/normRange) {
					// Move the binary exponent aside (prod is normal).
					b := math.Float64bits(prod)
					prodExp += int64(b>>52) - 1023
					prod = math.Float64frombits(b&(1<<52-1) | 1023<<52)
				}
				n++
				continue
			}
		}
		late[nLate] = uint8(k)
		nLate++
	}
	for _, k := range late[:nLate] {
		literal += st[slots[k]].termLiteral(vals[k])
	}
	logNorm := float64(math.Log(prod)+float64(float64(prodExp)*math.Ln2)) + float64(float64(n)*logSqrt2Pi)
	return float64(float64(halfZ2-logNorm)+literal) + series
}

// logSqrt2Pi is log √(2π).
var logSqrt2Pi = math.Log(sqrt2Pi)

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
	if x.Idx == nil && len(x.Val) <= m.slots.IdentityPrefix() && len(x.Val) <= len(st) {
		// Dense record over features already interned at their own
		// index: slots are the indices themselves.
		st := st[:len(x.Val)]
		for i, v := range x.Val {
			if v == v { // NaN marks a missing feature
				st[i].update(v, w)
			}
		}
		return
	}
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
			if v == v {
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

// JointLogLikelihood writes River's joint_log_likelihood(x) into dst (one
// entry per class in the dense range; classes never seen get -Inf) and
// returns it; it is empty before any learning.
func (m *GaussianNB) JointLogLikelihood(x feature.Vector, dst []float64) []float64 {
	dst = base.Grow(dst, m.classes.numClasses())
	if len(m.classes.order) == 0 {
		return dst
	}
	for c := range dst {
		dst[c] = 0
		if !m.classes.seen[c] {
			dst[c] = math.Inf(-1)
		}
	}
	// The present features are resolved to slots once for all classes,
	// in chunks that fit on the stack.
	const chunk = termChunk
	var slots [chunk]int32
	var vals [chunk]float64
	n := 0
	total := m.classes.total()
	first := true
	flush := func() {
		for c := range dst {
			if m.classes.seen[c] {
				var st []gauss
				if c < len(m.stats) {
					st = m.stats[c]
				}
				invPrior, logPrior := 1.0, 0.0
				if first {
					invPrior = total / m.classes.count[c]
					if invPrior > math.MaxFloat64 { // a weight below 1e-308 of the total
						invPrior, logPrior = 1, math.Log(m.classes.count[c]/total)
					}
				}
				dst[c] += logPrior + termSum(st, slots[:n], vals[:n], invPrior)
			}
		}
		n, first = 0, false
	}
	if x.Idx == nil {
		for i, v := range x.Val {
			if v == v { // NaN marks a missing feature
				slots[n], vals[n] = int32(m.slots.Slot(i)), v
				if n++; n == chunk {
					flush()
				}
			}
		}
	} else {
		for k, i := range x.Idx {
			if v := x.Val[k]; v == v {
				slots[n], vals[n] = int32(m.slots.Slot(int(i))), v
				if n++; n == chunk {
					flush()
				}
			}
		}
	}
	flush()
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
			g.refresh()
			st[i] = g
		}
		m.stats[c] = st
	}
	return m, d.Err()
}

func init() {
	snapshot.Register("naivebayes.gaussian", decodeGaussianNB)
}
