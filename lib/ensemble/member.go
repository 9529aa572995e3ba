package ensemble

import (
	"fmt"
	"math"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/drift"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

// Accuracy is River's metrics.Accuracy as kept per ensemble member for the
// weighted vote: correctly classified weight over total weight, 0 before
// any update.
type Accuracy struct {
	Correct, Total float64
}

// Update counts one prediction of weight 1. A missing prediction (-1,
// River's None) counts as wrong, as River's confusion matrix does.
func (a *Accuracy) Update(y, yPred int) {
	a.Total++
	if y == yPred {
		a.Correct++
	}
}

// Get returns the accuracy.
func (a *Accuracy) Get() float64 {
	if a.Total == 0 {
		return 0
	}
	return a.Correct / a.Total
}

// TrackedDetector wraps a drift detector and counts the updates since it
// last started afresh, so an ensemble can tell, before training a member,
// whether its next update can possibly report a drift. ADWIN only tests
// for a change every clock-th update since its window was last cleared
// (River's `tick % clock`), so the other updates cannot fire; ensembles
// use this to run the members whose detectors cannot fire in parallel
// while keeping River's order of random draws.
type TrackedDetector struct {
	Det   drift.Detector
	Ticks int // updates since construction, the last reset or the last drift
}

// NewTracked wraps a fresh clone of proto, or returns the zero value (no
// detector) for a nil proto.
func NewTracked(proto drift.Detector) TrackedDetector {
	if proto == nil {
		return TrackedDetector{}
	}
	return TrackedDetector{Det: proto.CloneFresh()}
}

// Enabled reports whether there is a detector.
func (t *TrackedDetector) Enabled() bool { return t.Det != nil }

// Update feeds x and reports a drift.
func (t *TrackedDetector) Update(x float64) bool {
	t.Ticks++
	if t.Det.Update(x) {
		// The window is cleared at the start of the next update, which
		// restarts ADWIN's clock.
		t.Ticks = 0
		return true
	}
	return false
}

// Reset makes the detector fresh: River replaces it with a clone, which is
// the same as resetting it.
func (t *TrackedDetector) Reset() {
	if t.Det != nil {
		t.Det.Reset()
	}
	t.Ticks = 0
}

// MayFire reports whether the next Update can report a drift. It is exact
// for ADWIN and conservatively true for other detectors.
func (t *TrackedDetector) MayFire() bool {
	if t.Det == nil {
		return false
	}
	if a, ok := t.Det.(*drift.ADWIN); ok {
		return (t.Ticks+1)%a.Clock() == 0
	}
	return true
}

// ClassOrderer is implemented by base models whose River counterpart lists
// its predicted classes in the order it first saw them (River's naive Bayes
// models keep a class_counts dict), so River's max(proba, key=proba.get)
// breaks ties toward the class seen first. Ensembles use the order to cast
// a member's vote as River does. Models without it break ties toward the
// lowest class, which is River's order for trees (sorted(classes)).
type ClassOrderer interface {
	// ClassOrder returns the classes seen so far, in first-seen order. The
	// caller does not modify or keep the slice.
	ClassOrder() []int
}

// argmaxInOrder is River's max(dict, key=dict.get) over proba's classes
// listed in order: the first class with the largest value wins.
func argmaxInOrder(proba []float64, order []int) int {
	best, bv := -1, 0.0
	for _, c := range order {
		if c < len(proba) && (best < 0 || proba[c] > bv) {
			best, bv = c, proba[c]
		}
	}
	return best
}

// PredictMember is a member's predict_one as River computes it: the most
// probable class, ties broken in the model's class order when it has one
// (ClassOrderer), else toward the lowest class. buf is scratch for the
// probabilities and is returned grown.
func PredictMember(m base.Classifier, x feature.Vector, buf []float64) (int, []float64) {
	if o, ok := m.(ClassOrderer); ok {
		buf = m.PredictProbaOne(x, buf)
		if len(buf) == 0 {
			return -1, buf
		}
		return argmaxInOrder(buf, o.ClassOrder()), buf
	}
	return m.PredictOne(x), buf
}

// appendClassOrder extends order, the keys of River's Counter of member
// votes, with the classes of one member's distribution of n classes in the
// member's dict order.
func appendClassOrder(order []int, m base.Classifier, n int) []int {
	add := func(c int) {
		for _, o := range order {
			if o == c {
				return
			}
		}
		order = append(order, c)
	}
	if o, ok := m.(ClassOrderer); ok {
		for _, c := range o.ClassOrder() {
			if c < n {
				add(c)
			}
		}
		return order
	}
	for c := range n {
		add(c)
	}
	return order
}

// RepetitionInvariant is implemented by models for which one update of
// integer weight k leaves exactly the state of k unit updates (counting
// models such as Bernoulli naive Bayes). SRP then makes the single
// weighted update even when it reproduces River's k calls of learn_one: the
// result is the same, bit for bit, and cheaper.
type RepetitionInvariant interface {
	// WeightIsRepetition reports whether LearnWeighted(x, y, k) equals k
	// calls of LearnOne(x, y) for every integer k >= 1.
	WeightIsRepetition() bool
}

// learnK trains m k times on (x, y): one weighted update when weighted is
// set or the model is RepetitionInvariant, else k unit updates.
func learnK(m base.Classifier, x feature.Vector, y, k int, weighted bool) {
	if !weighted {
		if r, ok := m.(RepetitionInvariant); ok && r.WeightIsRepetition() {
			weighted = true
		}
	}
	if weighted {
		m.LearnWeighted(x, y, float64(k))
		return
	}
	for range k {
		m.LearnOne(x, y)
	}
}

// PredictFromProba is a member's PredictMember given the distribution p it
// returns for x (PredictProbaOne), without predicting again: the class
// order's argmax for a ClassOrderer, else the first maximum when it is
// positive (a class with a positive probability has been seen, so this is
// what PredictOne returns). An all-zero distribution, where PredictOne
// picks among the classes the model has seen, falls back on PredictOne.
func PredictFromProba(m base.Classifier, x feature.Vector, p []float64) int {
	if len(p) == 0 {
		return -1
	}
	if o, ok := m.(ClassOrderer); ok {
		return argmaxInOrder(p, o.ClassOrder())
	}
	best := base.Argmax(p)
	if p[best] > 0 {
		return best
	}
	return m.PredictOne(x)
}

// RecordMemo remembers the record of the last ensemble prediction, so that
// the learning call that follows on the same record (predict then learn,
// as in progressive validation) can reuse the members' predictions instead
// of computing them again. It compares contents, not slice identity: the
// caller may reuse its buffers.
type RecordMemo struct {
	idx    []int32
	val    []float64
	sparse bool
	valid  bool
}

// Store remembers x.
func (r *RecordMemo) Store(x feature.Vector) {
	r.idx = append(r.idx[:0], x.Idx...)
	r.val = append(r.val[:0], x.Val...)
	r.sparse = x.Idx != nil
	r.valid = true
}

// Invalidate forgets the record (the model changed).
func (r *RecordMemo) Invalidate() { r.valid = false }

// Matches reports whether x is the remembered record, bit for bit.
func (r *RecordMemo) Matches(x feature.Vector) bool {
	if !r.valid || (x.Idx != nil) != r.sparse || len(x.Val) != len(r.val) || len(x.Idx) != len(r.idx) {
		return false
	}
	for i, v := range x.Idx {
		if r.idx[i] != v {
			return false
		}
	}
	for i, v := range x.Val {
		if math.Float64bits(r.val[i]) != math.Float64bits(v) {
			return false
		}
	}
	return true
}

// Poisson draws River's Knuth Poisson (river.utils.random.poisson) with
// exp(-rate) computed once: the same draws as pyrand.Rand.Poisson.
type Poisson struct{ limit float64 }

// NewPoisson returns a sampler of Poisson(rate).
func NewPoisson(rate float64) Poisson { return Poisson{limit: math.Exp(-rate)} }

// Draw consumes one r.Random() per iteration, as River does.
func (p Poisson) Draw(r *pyrand.Rand) int {
	k := 0
	prod := 1.0
	for prod > p.limit {
		k++
		prod *= r.Random()
	}
	return k - 1
}

// CheckClass refuses a negative class on the caller's goroutine: with
// workers an ensemble's members learn on the team, where their own panic
// could not be recovered. Ensembles call it first thing when they learn.
func CheckClass(y int) {
	if y < 0 {
		panic(fmt.Sprintf("ensemble: negative class %d (classes are 0, 1, 2, ...)", y))
	}
}
