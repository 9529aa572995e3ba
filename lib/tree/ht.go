package tree

import (
	"math"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
)

// HoeffdingTreeClassifier is River's tree.HoeffdingTreeClassifier (VFDT):
// an incremental decision tree that splits a leaf once the Hoeffding bound
// shows, with confidence 1-δ, that the best split beats the runner-up.
//
// A HoeffdingTreeClassifier is not safe for concurrent use.
type HoeffdingTreeClassifier struct {
	c *core
}

var (
	_ base.Classifier     = (*HoeffdingTreeClassifier)(nil)
	_ base.MemoryReporter = (*HoeffdingTreeClassifier)(nil)
	_ base.Cloner         = (*HoeffdingTreeClassifier)(nil)
	_ base.Seeder         = (*HoeffdingTreeClassifier)(nil)
)

// NewHoeffdingTreeClassifier returns an empty tree with River's defaults
// changed by opts. It fails on invalid values and on options that only
// apply to the adaptive tree.
func NewHoeffdingTreeClassifier(opts ...Option) (*HoeffdingTreeClassifier, error) {
	cfg, err := buildConfig(false, opts)
	if err != nil {
		return nil, err
	}
	return &HoeffdingTreeClassifier{c: newCore(cfg, false)}, nil
}

// LearnOne learns x of class y with weight 1.
func (h *HoeffdingTreeClassifier) LearnOne(x feature.Vector, y int) { h.LearnWeighted(x, y, 1) }

// LearnWeighted learns x of class y with weight w (River's learn_one(x, y,
// w=w)). A zero weight is ignored; River would record the class with
// weight 0, which its naive Bayes then favours. Negative, infinite and NaN
// weights panic.
func (h *HoeffdingTreeClassifier) LearnWeighted(x feature.Vector, y int, w float64) {
	checkWeight(w)
	if w == 0 {
		return
	}
	t := h.c
	t.noteClass(y)
	t.trainWeight += w
	if t.root == nil {
		t.root = t.newLeaf(classStats{}, 0)
		t.structStamp++
	}
	// walk(x, until_leaf=False): descend while the branch can route x.
	var parent *node
	pidx := -1
	n := t.root
	if d, ok := t.lastDescentOf(x); ok {
		// Predict-then-learn: the prediction's walk is this one.
		n, parent, pidx = d.leaf, d.parent, d.pidx
		t.path = append(t.path[:0], d.path...) // kept: a repeat learns from it too
		for _, p := range t.path {
			p.twValid = false
		}
	} else {
		t.path = t.path[:0]
		for n.leaf == nil {
			n.twValid = false
			t.path = append(t.path, n)
			i, ok := n.route(x)
			if !ok {
				break
			}
			parent, pidx = n, i
			n = n.children[i]
		}
	}
	if n.leaf != nil {
		l := n.leaf
		before := t.subtreeAgg(n)
		t.leafLearn(l, x, y, w)
		deepest := t.growthAllowed && l.active() && l.depth >= t.cfg.depthLimit()
		if deepest {
			l.deactivate()
		}
		t.shiftPath(before, t.subtreeAgg(n))
		if t.growthAllowed && l.active() && !deepest {
			if seen := l.stats.total; seen-l.lastSplitAt >= float64(t.cfg.gracePeriod) {
				t.attemptSplit(n, parent, pidx)
				l.lastSplitAt = seen
			}
		}
	} else {
		// The branch could not route x (see fallback). River does not
		// attempt a split at a leaf reached this way (the attempt waits
		// for the next regularly routed record); kept.
		// Rare enough that the path's size caches are simply dropped.
		t.touchPath()
		n = t.fallback(n, x)
		t.leafLearn(n.leaf, x, y, w)
	}
	if math.Mod(t.trainWeight, float64(t.cfg.memoryEstimatePeriod)) == 0 {
		t.estimateModelSize()
	}
}

// PrepareLearn makes now, on the caller's goroutine, the one random draw
// the next LearnWeighted(x, y, w) with w > 0 would make: the feature subset
// of the leaf x reaches, when the tree has a leaf feature sampler and that
// leaf is active and has not drawn one yet. It routes x exactly as learning
// does, so it creates the root or, for a new category at a multiway nominal
// branch, the new leaf that learning would create. A following
// LearnWeighted(x, y, w) then finds the subset drawn and uses no random
// numbers, which lets a forest train its trees in parallel and still draw
// in River's sequential order. Without a sampler it does nothing.
func (h *HoeffdingTreeClassifier) PrepareLearn(x feature.Vector) {
	t := h.c
	if t.cfg.sampler == nil {
		return
	}
	if t.root == nil {
		t.root = t.newLeaf(classStats{}, 0)
		t.structStamp++
	}
	// The walk touches the branches it passes, as learning's does: the
	// subset drawn (and a new leaf) change the subtree's size.
	n := t.fallback(t.root.descendTouching(x), x)
	if l := n.leaf; l.active() && len(l.sampled) == 0 {
		l.sampled = t.cfg.sampler.draw(x, l.sampled[:0], &t.keys)
	}
}

// LearnMayDraw reports whether LearnWeighted(x, y, w) would now make a
// random draw, so that PrepareLearn(x) must come first to keep the draws
// in order. It reads the tree only, so trees may answer in parallel. The
// answer is conservative: true whenever x cannot be routed to a leaf
// without falling back (a missing feature or a new category).
func (h *HoeffdingTreeClassifier) LearnMayDraw(x feature.Vector) bool {
	t := h.c
	if t.cfg.sampler == nil {
		return false
	}
	if t.root == nil {
		return true
	}
	n := t.root
	if d, ok := t.lastDescentOf(x); ok {
		n = d.leaf // right after predicting x: no second walk
	}
	if n = n.walk(x); n.leaf == nil {
		return true
	}
	return n.leaf.active() && len(n.leaf.sampled) == 0
}

// PredictProbaOne writes the class probabilities of x into dst. Before any
// learning it returns an empty slice.
func (h *HoeffdingTreeClassifier) PredictProbaOne(x feature.Vector, dst []float64) []float64 {
	t := h.c
	if t.classes == 0 {
		return dst[:0]
	}
	dst = base.Grow(dst, t.classes)
	if t.root != nil {
		t.leafDist(t.predictDescend(x).leaf, x, dst)
	}
	return dst
}

// PredictOne returns the most probable class, the lowest on ties, or -1
// before any learning.
func (h *HoeffdingTreeClassifier) PredictOne(x feature.Vector) int {
	t := h.c
	if t.classes == 0 {
		return -1
	}
	p := t.scratchProba()
	if t.root != nil {
		t.leafDist(t.predictDescend(x).leaf, x, p)
	}
	return t.argmaxSeen(p)
}

// MemoryBytes is the analytic size of the model in bytes; max_size bounds it.
func (h *HoeffdingTreeClassifier) MemoryBytes() int64 { return h.c.memoryBytes() }

// CloneFresh returns an untrained tree with the same parameters (River's
// clone()). A leaf feature sampler's generator is shared, not copied, as
// ARF's trees share the forest's.
func (h *HoeffdingTreeClassifier) CloneFresh() base.Classifier {
	return &HoeffdingTreeClassifier{c: newCore(h.c.cfg, false)}
}

// Reseed does nothing: a Hoeffding tree draws no random numbers of its own
// (a leaf feature sampler uses its owner's generator).
func (h *HoeffdingTreeClassifier) Reseed(int64) {}

// Summary reports the tree's shape (River's summary).
func (h *HoeffdingTreeClassifier) Summary() Summary { return h.c.summary() }
