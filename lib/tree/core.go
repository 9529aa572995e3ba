package tree

import (
	"fmt"
	"math"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

// core is the state both tree types share: River's HoeffdingTree plus
// HoeffdingTreeClassifier, and, with adaptive set, the
// HoeffdingAdaptiveTreeClassifier additions.
type core struct {
	cfg      config
	adaptive bool

	root          *node
	classes       int    // class slots: largest class seen + 1
	seen          []bool // River's classes set
	trainWeight   float64
	growthAllowed bool
	obsPeak       int64  // largest observer set any leaf has had (memory management)
	sizeEpoch     uint64 // branch size caches are valid at this epoch; bumping it drops them all

	rng                                            *pyrand.Rand // HAT's bootstrap generator
	nAlternate, nPrunedAlternate, nSwitchAlternate int

	// nbm remembers the last naive Bayes predictions by (leaf, leaf
	// version, record contents): predict-then-learn and HAT's per-branch
	// predictions ask the same leaf about the same record several times.
	nbm nbMemo

	// Scratch space reused across calls: trees are not safe for concurrent
	// use (River's are not either).
	votes  []float64
	proba  []float64
	keys   []int
	split  splitScratch
	leaves []*node
	found  []*leaf
	path   []*node // the branches of the current learning descent (HT)

	// last is the walk of the last dense prediction (HT): learning or
	// predicting the same record again starts from its leaf instead of
	// walking again. structStamp counts the changes that can move records
	// to other leaves (splits, new branches' children); learning at a leaf
	// does not, since only fully routed walks are remembered.
	last        lastDescent
	structStamp uint64
}

// lastDescent is a prediction's walk to its leaf, valid while stamp equals
// the tree's structStamp and for a record equal to xVal.
type lastDescent struct {
	stamp        uint64
	leaf, parent *node
	pidx         int
	path         []*node
	xVal         []float64
}

// maxRememberedWidth bounds the dense records whose walk is remembered:
// comparing a record must stay much cheaper than walking.
const maxRememberedWidth = 64

// predictDescend is sortToLeaf for a prediction, remembering the walk of a
// dense record that every branch could route.
func (t *core) predictDescend(x feature.Vector) *node {
	if d, ok := t.lastDescentOf(x); ok {
		return d.leaf
	}
	if x.Idx != nil || len(x.Val) > maxRememberedWidth {
		t.last.stamp = 0
		return t.root.sortToLeaf(x)
	}
	n := t.root
	var parent *node
	pidx := -1
	routed := true
	path := t.last.path[:0]
	for n.leaf == nil {
		path = append(path, n)
		i, ok := n.route(x)
		if !ok {
			routed = false
			i = n.mostCommon()
		}
		parent, pidx = n, i
		n = n.children[i]
	}
	t.last.path = path
	t.last.stamp = 0
	if routed {
		t.last.stamp, t.last.leaf, t.last.parent, t.last.pidx = t.structStamp, n, parent, pidx
		t.last.xVal = append(t.last.xVal[:0], x.Val...)
	}
	return n
}

// lastDescentOf returns the remembered walk if it is x's in the tree as it
// is now.
func (t *core) lastDescentOf(x feature.Vector) (*lastDescent, bool) {
	d := &t.last
	if d.stamp == 0 || d.stamp != t.structStamp || x.Idx != nil || len(x.Val) != len(d.xVal) {
		return nil, false
	}
	for i, v := range x.Val {
		if math.Float64bits(v) != math.Float64bits(d.xVal[i]) {
			return nil, false
		}
	}
	return d, true
}

func newCore(cfg config, adaptive bool) *core {
	t := &core{cfg: cfg, adaptive: adaptive, growthAllowed: true, sizeEpoch: 1, structStamp: 1}
	if adaptive {
		if cfg.seeded {
			t.rng = pyrand.New(cfg.seed)
		} else {
			t.rng = pyrand.NewUnseeded()
		}
	}
	return t
}

func (t *core) noteClass(y int) {
	if y < 0 {
		panic(fmt.Sprintf("tree: negative class %d (classes are 0, 1, 2, ...)", y))
	}
	if y >= t.classes {
		t.classes = y + 1
		t.seen = append(t.seen, make([]bool, t.classes-len(t.seen))...)
		t.votes = make([]float64, t.classes)
	}
	t.seen[y] = true
}

func checkWeight(w float64) {
	if !(w >= 0) || math.IsInf(w, 0) {
		panic(fmt.Sprintf("tree: sample weight %v, want a finite value >= 0", w))
	}
}

func (t *core) newLeaf(stats classStats, depth int) *node {
	l := &leaf{stats: stats, depth: depth, lastSplitAt: stats.total}
	l.obs = newObservers(l.stats.classSlots())
	if t.adaptive {
		l.det = t.cfg.detector.CloneFresh()
	}
	t.readyPrior(l)
	return &node{leaf: l, depth: depth}
}

// readyPrior sizes the leaf's log-prior cache for its classes, when the
// tree's predictions or learning use naive Bayes, so that predicting never
// changes a leaf's size: memory surveys only re-measure what learning
// touched.
func (t *core) readyPrior(l *leaf) {
	if n := len(l.stats.w); cap(l.priorLog) < n && (t.nbaLeaves() || t.cfg.leafPrediction != MajorityClass) {
		l.priorLog = make([]float64, n)
	}
}

// fallback continues learning's walk from n, a branch that cannot route x
// (or a leaf, returned as it is): a new category at a multiway branch gets
// a leaf of its own; a missing feature follows the most common path. The
// branches passed are touched.
func (t *core) fallback(n *node, x feature.Vector) *node {
	for n.leaf == nil {
		if v, ok := featureValue(x, n.feature); ok && n.kind == nominalMultiway {
			child := t.newLeaf(classStats{}, n.depth+1)
			n.addChild(v, child)
			t.structStamp++
			return child
		}
		n = n.children[n.mostCommon()].descendTouching(x)
	}
	return n
}

// nbaLeaves reports whether leaves score their majority-class and naive
// Bayes predictions while learning: River's NBA leaves do, and every HAT
// leaf is an NBA leaf whatever leaf_prediction says.
func (t *core) nbaLeaves() bool {
	return t.adaptive || t.cfg.leafPrediction == NaiveBayesAdaptive
}

// nb is leaf l's naive Bayes prediction for x, computed once per leaf
// state and record. The votes are indexed by class and valid for the
// classes of l's stats; ok is false where River returns {}. For a sparse x
// the entry also holds each entry's observer slot.
func (t *core) nb(l *leaf, x feature.Vector) *nbEntry {
	if e := t.nbm.find(l, x); e != nil {
		return e
	}
	e := t.nbm.slot(l, x, t.classes)
	e.ok = l.naiveBayes(x, e.votes, e.slots)
	return e
}

// nbInto writes l's naive Bayes prediction into dst (by class).
func (t *core) nbInto(l *leaf, x feature.Vector, dst []float64) bool {
	e := t.nb(l, x)
	if e.ok {
		for _, c := range l.stats.order {
			dst[c] = e.votes[c]
		}
	}
	return e.ok
}

// leafLearn is the leaf's learn_one: NBA bookkeeping, class counts, then
// the observers if the leaf is active.
func (t *core) leafLearn(l *leaf, x feature.Vector, y int, w float64) {
	var slots []int32
	if l.active() {
		if t.nbaLeaves() {
			if len(l.stats.order) == 0 || l.stats.mcArgmax() == y {
				l.mcCorrect += w
			}
			e := t.nb(l, x)
			if e.ok && argmaxIn(l.stats.order, e.votes) == y {
				l.nbCorrect += w
			}
			if x.Idx != nil {
				slots = e.slots
			}
			l.touchNominal(x)
		} else if t.cfg.leafPrediction == NaiveBayes && l.stats.total >= float64(t.cfg.nbThreshold) {
			l.touchNominal(x)
		}
		if slots == nil && x.Idx != nil {
			if e := t.nbm.find(l, x); e != nil {
				slots = e.slots
			}
		}
	}
	l.stats.add(y, w)
	t.readyPrior(l)
	if l.active() {
		l.learnObservers(&t.cfg, x, y, w, &t.keys, slots)
	}
	l.ver++
	// Observers only grow here, so this keeps obsPeak above every leaf's.
	t.obsPeak = max(t.obsPeak, l.obsBytes())
}

// leafDist writes the leaf's prediction (HTC semantics) into dst, which
// holds zeros; classes the leaf has not seen stay 0.
func (t *core) leafDist(l *leaf, x feature.Vector, dst []float64) {
	switch t.cfg.leafPrediction {
	case NaiveBayes:
		if l.active() && l.stats.total >= float64(t.cfg.nbThreshold) {
			t.nbInto(l, x, dst)
			return
		}
	case NaiveBayesAdaptive:
		if l.active() && l.nbCorrect >= l.mcCorrect {
			t.nbInto(l, x, dst)
			return
		}
	}
	l.stats.mcInto(dst)
}

// hatLeafDist is AdaLeafClassifier.prediction: the leaf's distribution
// divided by Σdist·error², so that when several leaves vote the most
// accurate weighs most. It returns false where River returns None or {}.
func (t *core) hatLeafDist(l *leaf, x feature.Vector, dst []float64) bool {
	st := &l.stats
	if len(st.order) == 0 {
		return false
	}
	switch {
	case !l.active() || t.cfg.leafPrediction == MajorityClass:
		st.mcInto(dst)
	case t.cfg.leafPrediction == NaiveBayes:
		if st.total >= float64(t.cfg.nbThreshold) {
			if !t.nbInto(l, x, dst) {
				return false
			}
		} else {
			st.mcInto(dst)
		}
	default:
		if l.nbCorrect >= l.mcCorrect {
			if !t.nbInto(l, x, dst) {
				return false
			}
		} else {
			st.mcInto(dst)
		}
	}
	sum := 0.0
	for _, c := range st.order {
		sum += dst[c]
	}
	e := l.err.mean
	factor := float64(sum*e) * e
	if factor != 0 && !math.IsNaN(factor) {
		inv := 1 / factor
		for _, c := range st.order {
			dst[c] *= inv
		}
	}
	return true
}

func (t *core) scratchProba() []float64 {
	if cap(t.proba) < t.classes {
		t.proba = make([]float64, t.classes)
	}
	p := t.proba[:t.classes]
	clear(p)
	return p
}

// argmaxSeen is River's predict_one: the first maximum over the classes
// seen, in ascending order.
func (t *core) argmaxSeen(p []float64) int {
	best, bv := -1, 0.0
	for c, v := range p {
		if !t.seen[c] {
			continue
		}
		if best < 0 || v > bv {
			best, bv = c, v
		}
	}
	return best
}

// forEachLeaf visits the leaves in River's iter_leaves order: depth first,
// left to right, and for HAT the leaves of a branch child's alternate right
// after that child's own (the root's alternate is not visited, as in River).
func (t *core) collectLeaves() []*node {
	t.leaves = t.leaves[:0]
	if t.root != nil {
		t.leaves = appendLeaves(t.leaves, t.root)
	}
	return t.leaves
}

func appendLeaves(dst []*node, n *node) []*node {
	if n.leaf != nil {
		return append(dst, n)
	}
	for _, c := range n.children {
		dst = appendLeaves(dst, c)
		if c.leaf == nil && c.ada != nil && c.ada.alt != nil {
			dst = appendLeaves(dst, c.ada.alt)
		}
	}
	return dst
}

// Summary describes a tree's shape, River's summary property.
type Summary struct {
	Nodes, Branches, Leaves int
	ActiveLeaves            int
	InactiveLeaves          int
	Height                  int
	TotalObservedWeight     float64
	// Hoeffding adaptive trees only.
	AlternateTrees, PrunedAlternateTrees, SwitchedAlternateTrees int
}

func (t *core) summary() Summary {
	s := Summary{TotalObservedWeight: t.trainWeight}
	if t.root == nil {
		return s
	}
	var walk func(n *node) int
	walk = func(n *node) int {
		s.Nodes++
		if n.leaf != nil {
			s.Leaves++
			return 1
		}
		s.Branches++
		h := 0
		for _, c := range n.children {
			h = max(h, walk(c))
		}
		return h + 1
	}
	s.Height = walk(t.root)
	// Active and inactive leaves are counted, not tracked: River's running
	// counters drift (HAT counts alternates and re-deactivations).
	for _, n := range t.collectLeaves() {
		if n.leaf.active() {
			s.ActiveLeaves++
		} else {
			s.InactiveLeaves++
		}
	}
	s.AlternateTrees, s.PrunedAlternateTrees, s.SwitchedAlternateTrees = t.nAlternate, t.nPrunedAlternate, t.nSwitchAlternate
	return s
}
