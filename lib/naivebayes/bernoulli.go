package naivebayes

import (
	"fmt"
	"math"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// smallCounts bounds the integer counts kept in a per-class histogram.
// A feature whose count leaves that range (a larger or fractional count)
// becomes "heavy" for the class and is then visited individually; counts
// never decrease, so it stays heavy.
const smallCounts = 256

// bernoulliClass is one class's state.
type bernoulliClass struct {
	counts []float64 // per feature: weight of records with value > threshold
	// small[k] counts the non-heavy features whose count is k.
	small   [smallCounts]int64
	heavy   []int32  // heavy features, in the order they became heavy
	isHeavy []uint64 // bitset over features
	// den is River's class_counts[c] + alpha*2.
	den float64
	// absentSum is Σ over seen features of log(1e-9 + (1 − p)), valid
	// unless dirty.
	absentSum float64
	dirty     bool
	// Correction-ratio memo for small counts: memo[k] is valid when
	// memoDen[k] equals den.
	memo    [smallCounts]float64
	memoDen [smallCounts]float64
}

func (pc *bernoulliClass) heavyAt(i int) bool { return pc.isHeavy[i>>6]&(1<<(uint(i)&63)) != 0 }

func smallIndex(count float64) (int, bool) {
	k := int(count)
	return k, float64(k) == count && k >= 0 && k < smallCounts
}

// setCount moves feature i of the class from count old to count new.
func (pc *bernoulliClass) setCount(i int, old, new float64) {
	pc.counts[i] = new
	if pc.heavyAt(i) {
		return
	}
	k, _ := smallIndex(old)
	pc.small[k]--
	if k2, ok := smallIndex(new); ok {
		pc.small[k2]++
		return
	}
	pc.isHeavy[i>>6] |= 1 << (uint(i) & 63)
	pc.heavy = append(pc.heavy, int32(i))
}

// BernoulliNB is River's naive_bayes.BernoulliNB(alpha=1.0,
// true_threshold=0.0). See the package documentation for how River's
// sum over all seen features is computed without visiting them.
type BernoulliNB struct {
	alpha     float64
	threshold float64

	classes  classTable
	perClass []*bernoulliClass // nil for classes never seen
	// slots interns the features seen (River's feature_counts keys);
	// per-class arrays are indexed by slot.
	slots   feature.SlotIndex
	present []int32 // PredictProbaOne scratch: slots of x's features above the threshold
	scratch []float64
}

// BernoulliOption configures a BernoulliNB.
type BernoulliOption func(*BernoulliNB)

// WithAlpha sets the additive smoothing (River's alpha, default 1).
func WithAlpha(a float64) BernoulliOption { return func(m *BernoulliNB) { m.alpha = a } }

// WithTrueThreshold sets the binarisation threshold: values above it count
// as present (River's true_threshold, default 0).
func WithTrueThreshold(t float64) BernoulliOption { return func(m *BernoulliNB) { m.threshold = t } }

// NewBernoulliNB returns an empty model with River's defaults changed by
// opts, or an error for an invalid parameter.
func NewBernoulliNB(opts ...BernoulliOption) (*BernoulliNB, error) {
	m := &BernoulliNB{alpha: 1, threshold: 0}
	for _, o := range opts {
		o(m)
	}
	if !(m.alpha >= 0) || math.IsInf(m.alpha, 1) {
		return nil, fmt.Errorf("naivebayes: BernoulliNB alpha must be finite and non-negative, got %v", m.alpha)
	}
	if math.IsNaN(m.threshold) {
		return nil, fmt.Errorf("naivebayes: BernoulliNB true_threshold must not be NaN")
	}
	return m, nil
}

// Alpha and TrueThreshold return the parameters.
func (m *BernoulliNB) Alpha() float64         { return m.alpha }
func (m *BernoulliNB) TrueThreshold() float64 { return m.threshold }

// LearnOne updates the model with x of class y.
func (m *BernoulliNB) LearnOne(x feature.Vector, y int) { m.LearnWeighted(x, y, 1) }

// LearnWeighted updates the model with x of class y and weight w; for an
// integer w it equals w calls of LearnOne (w = 0 is a no-op; negative or
// NaN weights panic).
func (m *BernoulliNB) LearnWeighted(x feature.Vector, y int, w float64) {
	checkLearn(y, w)
	if w == 0 {
		return
	}
	if m.classes.add(y, w) {
		if y >= len(m.perClass) {
			m.perClass = append(m.perClass, make([]*bernoulliClass, y+1-len(m.perClass))...)
		}
		pc := &bernoulliClass{}
		pc.grow(m.slots.Len())
		pc.small[0] = int64(m.slots.Len())
		m.perClass[y] = pc
	}
	cls := m.perClass[y]
	cls.den = m.classes.count[y] + m.alpha*2
	cls.dirty = true // the denominator changed: every term of the class did
	if x.Idx == nil {
		for i, v := range x.Val {
			if v == v {
				m.learnFeature(cls, i, v, w)
			}
		}
		return
	}
	for k, i := range x.Idx {
		if v := x.Val[k]; v == v {
			m.learnFeature(cls, int(i), v, w)
		}
	}
}

// grow extends the per-slot arrays to n slots.
func (pc *bernoulliClass) grow(n int) {
	if n <= cap(pc.counts) {
		pc.counts = pc.counts[:n]
	} else {
		g := make([]float64, n, max(n, 2*cap(pc.counts), 64))
		copy(g, pc.counts)
		pc.counts = g
	}
	words := (cap(pc.counts) + 63) / 64
	if words > len(pc.isHeavy) {
		h := make([]uint64, words)
		copy(h, pc.isHeavy)
		pc.isHeavy = h
	}
}

// learnFeature is River's feature_counts[i].update({y: x_i > t}).
func (m *BernoulliNB) learnFeature(cls *bernoulliClass, i int, v, w float64) {
	slot := m.slots.Slot(i)
	if slot < 0 {
		slot, _ = m.slots.Intern(i)
		// A new feature has count 0 in every class.
		for _, pc := range m.perClass {
			if pc == nil {
				continue
			}
			pc.grow(m.slots.Len())
			pc.small[0]++
			if !pc.dirty {
				pc.absentSum += m.absentTerm(pc, 0)
			}
		}
	}
	if v > m.threshold {
		old := cls.counts[slot]
		cls.setCount(slot, old, old+w)
	}
}

// absentTerm is River's log(1e-9 + (1.0 − p)) for a feature of count k.
func (m *BernoulliNB) absentTerm(pc *bernoulliClass, k float64) float64 {
	return math.Log(1e-09 + (1.0 - (k+m.alpha)/pc.den))
}

// correctionRatio is (1e-9 + p) / (1e-9 + (1 − p)) for a present feature
// of count k, whose logarithm is River's log(1e-9 + p) − log(1e-9 +
// (1 − p)); memoised for small counts until the class's denominator
// changes.
func (m *BernoulliNB) correctionRatio(pc *bernoulliClass, k float64) float64 {
	ki, small := smallIndex(k)
	if small && pc.memoDen[ki] == pc.den {
		return pc.memo[ki]
	}
	p := (k + m.alpha) / pc.den
	r := (1e-09 + p) / (1e-09 + (1.0 - p))
	if small {
		pc.memo[ki], pc.memoDen[ki] = r, pc.den
	}
	return r
}

// logProduct is Σ log f over the factors, as the logarithm of their
// product: one logarithm instead of one per factor. The product is
// renormalised with Frexp every 16 factors; each factor lies in
// [1e-9, 1e9], so it can neither overflow nor underflow in between.
func logProduct(prod float64, exp int) float64 {
	return math.Log(prod) + float64(exp)*math.Ln2
}

// refresh recomputes a class's absent-feature sum: one logarithm per
// distinct small count, and for heavy features the logarithm of the
// product of their terms (renormalised with Frexp so it cannot
// underflow), which costs a multiplication per feature instead of a
// logarithm. Each factor is River's 1e-9 + (1 − p) exactly; only the
// summation differs from River's.
func (m *BernoulliNB) refresh(pc *bernoulliClass) {
	if !pc.dirty {
		return
	}
	s := 0.0
	for k, n := range pc.small {
		if n != 0 {
			s += float64(n) * m.absentTerm(pc, float64(k))
		}
	}
	if len(pc.heavy) > 0 {
		prod, exp := 1.0, 0
		for j, f := range pc.heavy {
			prod *= 1e-09 + (1.0 - (pc.counts[f]+m.alpha)/pc.den)
			if j&15 == 15 {
				frac, e := math.Frexp(prod)
				prod, exp = frac, exp+e
			}
		}
		s += logProduct(prod, exp)
	}
	pc.absentSum = s
	pc.dirty = false
}

// JointLogLikelihood writes River's joint_log_likelihood(x) into dst (one
// entry per class in the dense range; classes never seen get -Inf) and
// returns it; it is empty before any learning. Features of x never seen
// in training are ignored, as in River.
func (m *BernoulliNB) JointLogLikelihood(x feature.Vector, dst []float64) []float64 {
	dst = base.Grow(dst, m.classes.numClasses())
	if len(m.classes.order) == 0 {
		return dst
	}
	// The features of x that count as present: seen, and above the
	// threshold (NaN never is).
	m.present = m.present[:0]
	if x.Idx == nil {
		for i, v := range x.Val {
			if v > m.threshold {
				if slot := m.slots.Slot(i); slot >= 0 {
					m.present = append(m.present, int32(slot))
				}
			}
		}
	} else {
		for j, i := range x.Idx {
			if x.Val[j] > m.threshold {
				if slot := m.slots.Slot(int(i)); slot >= 0 {
					m.present = append(m.present, int32(slot))
				}
			}
		}
	}
	total := m.classes.total()
	for c := range dst {
		if !m.classes.seen[c] {
			dst[c] = math.Inf(-1)
			continue
		}
		pc := m.perClass[c]
		m.refresh(pc)
		// River sums a logarithm per present feature; the logarithm of
		// their product differs from that sum by rounding only.
		prod, exp := 1.0, 0
		for j, slot := range m.present {
			prod *= m.correctionRatio(pc, pc.counts[slot])
			if j&15 == 15 {
				frac, e := math.Frexp(prod)
				prod, exp = frac, exp+e
			}
		}
		corr := 0.0
		if len(m.present) > 0 {
			corr = logProduct(prod, exp)
		}
		dst[c] = math.Log(m.classes.count[c]/total) + (pc.absentSum + corr)
	}
	return dst
}

// PredictProbaOne returns the class probabilities for x (empty before any
// learning). It allocates nothing when dst has room.
func (m *BernoulliNB) PredictProbaOne(x feature.Vector, dst []float64) []float64 {
	dst = m.JointLogLikelihood(x, dst)
	if len(m.classes.order) > 0 {
		jllToProba(dst, m.classes.order, m.classes.seen)
	}
	return dst
}

// PredictOne returns the most probable class (lowest index on ties), or -1
// before any learning.
func (m *BernoulliNB) PredictOne(x feature.Vector) int {
	m.scratch = m.PredictProbaOne(x, m.scratch)
	return base.Argmax(m.scratch)
}

// NumFeatures is the number of distinct features seen (River's
// len(feature_counts)).
func (m *BernoulliNB) NumFeatures() int { return m.slots.Len() }

// NumClasses is the size of the dense class range seen so far.
func (m *BernoulliNB) NumClasses() int { return m.classes.numClasses() }

// FeatureCount is River's feature_counts[i][c]: the weight of class-c
// records whose feature i was above the threshold.
func (m *BernoulliNB) FeatureCount(i, c int) float64 {
	slot, ok := m.slots.Lookup(i)
	if !ok || c < 0 || c >= len(m.perClass) || m.perClass[c] == nil {
		return 0
	}
	return m.perClass[c].counts[slot]
}

// CloneFresh returns an empty BernoulliNB with the same parameters.
func (m *BernoulliNB) CloneFresh() base.Classifier {
	return &BernoulliNB{alpha: m.alpha, threshold: m.threshold}
}

// MemoryBytes estimates the model's heap footprint.
func (m *BernoulliNB) MemoryBytes() int64 {
	b := int64(160+17*cap(m.classes.count)+8*cap(m.classes.order)+8*cap(m.perClass)+4*cap(m.present)+8*cap(m.scratch)) + m.slots.MemoryBytes()
	for _, pc := range m.perClass {
		if pc != nil {
			b += int64(24*smallCounts+128) + 8*int64(cap(pc.counts)) + 8*int64(cap(pc.isHeavy)) + 4*int64(cap(pc.heavy))
		}
	}
	return b
}

// SnapshotKind is "naivebayes.bernoulli".
func (m *BernoulliNB) SnapshotKind() string { return "naivebayes.bernoulli" }

// EncodeSnapshot writes parameters, classes, the seen features and the
// non-zero counts; histograms and sums are rebuilt on decoding.
func (m *BernoulliNB) EncodeSnapshot(e *snapshot.Encoder) {
	e.Int(1)
	e.Float(m.alpha)
	e.Float(m.threshold)
	m.classes.encode(e)
	encodeSlots(e, &m.slots)
	for _, c := range m.classes.order {
		pc := m.perClass[c]
		// The heavy order fixes the product order, so a restored model
		// continues bit for bit.
		e.Int32s(pc.heavy)
		n := 0
		for _, v := range pc.counts {
			if v != 0 {
				n++
			}
		}
		e.Uint(uint64(n))
		for slot, v := range pc.counts {
			if v != 0 {
				e.Uint(uint64(slot))
				e.Float(v)
			}
		}
	}
}

func decodeBernoulliNB(d *snapshot.Decoder) (snapshot.Model, error) {
	d.Version(1)
	alpha, threshold := d.Float(), d.Float()
	if d.Err() != nil {
		return nil, d.Err()
	}
	m, err := NewBernoulliNB(WithAlpha(alpha), WithTrueThreshold(threshold))
	if err != nil {
		d.Fail("%v", err)
		return nil, d.Err()
	}
	m.classes.decode(d)
	decodeSlots(d, &m.slots)
	if d.Err() != nil {
		return nil, d.Err()
	}
	size := uint64(m.slots.Len())
	m.perClass = make([]*bernoulliClass, m.classes.numClasses())
	for _, c := range m.classes.order {
		pc := &bernoulliClass{den: m.classes.count[c] + m.alpha*2, dirty: true}
		pc.grow(int(size))
		heavy := d.Int32s()
		n := d.Len(9)
		if d.Err() != nil {
			return nil, d.Err()
		}
		for _, i := range heavy {
			if i < 0 || uint64(i) >= size || pc.heavyAt(int(i)) {
				d.Fail("BernoulliNB: invalid heavy feature %d", i)
				return nil, d.Err()
			}
			pc.isHeavy[i>>6] |= 1 << (uint(i) & 63)
		}
		pc.heavy = heavy
		prev := -1
		light := int64(size)
		for j := 0; j < n; j++ {
			i := d.Uint()
			v := d.Float()
			if d.Err() == nil && (i >= size || int(i) <= prev || !(v > 0)) {
				d.Fail("BernoulliNB: count %v of feature %d invalid", v, i)
			}
			if d.Err() != nil {
				return nil, d.Err()
			}
			prev = int(i)
			pc.counts[i] = v
			if pc.heavyAt(int(i)) {
				continue
			}
			k, ok := smallIndex(v)
			if !ok {
				d.Fail("BernoulliNB: feature %d has count %v but is not listed as heavy", i, v)
				return nil, d.Err()
			}
			pc.small[k]++
			light--
		}
		light -= int64(len(heavy))
		if light < 0 {
			d.Fail("BernoulliNB: more counted features than seen features")
			return nil, d.Err()
		}
		pc.small[0] += light
		m.perClass[c] = pc
	}
	return m, d.Err()
}

func init() {
	snapshot.Register("naivebayes.bernoulli", decodeBernoulliNB)
}
