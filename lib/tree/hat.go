package tree

import (
	"math"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

// HoeffdingAdaptiveTreeClassifier is River's
// tree.HoeffdingAdaptiveTreeClassifier (HAT): a Hoeffding tree whose nodes
// watch their error with a drift detector, grow an alternate subtree when
// the error rises, and swap it in once it is significantly better.
//
// River behaviours kept for parity (see the package documentation for the
// full list): a Poisson draw of 0 still trains with the original weight;
// an alternate leaf that splits replaces the subtree it shadows at once.
//
// A HoeffdingAdaptiveTreeClassifier is not safe for concurrent use.
type HoeffdingAdaptiveTreeClassifier struct {
	c *core
}

var (
	_ base.Classifier     = (*HoeffdingAdaptiveTreeClassifier)(nil)
	_ base.MemoryReporter = (*HoeffdingAdaptiveTreeClassifier)(nil)
	_ base.Cloner         = (*HoeffdingAdaptiveTreeClassifier)(nil)
	_ base.Seeder         = (*HoeffdingAdaptiveTreeClassifier)(nil)
)

// NewHoeffdingAdaptiveTreeClassifier returns an empty adaptive tree with
// River's defaults changed by opts.
func NewHoeffdingAdaptiveTreeClassifier(opts ...Option) (*HoeffdingAdaptiveTreeClassifier, error) {
	cfg, err := buildConfig(true, opts)
	if err != nil {
		return nil, err
	}
	return &HoeffdingAdaptiveTreeClassifier{c: newCore(cfg, true)}, nil
}

// LearnOne learns x of class y with weight 1.
func (h *HoeffdingAdaptiveTreeClassifier) LearnOne(x feature.Vector, y int) {
	h.LearnWeighted(x, y, 1)
}

// LearnWeighted learns x of class y with weight w. Zero weights are
// ignored; negative, infinite and NaN weights panic.
func (h *HoeffdingAdaptiveTreeClassifier) LearnWeighted(x feature.Vector, y int, w float64) {
	checkWeight(w)
	if w == 0 {
		return
	}
	t := h.c
	t.noteClass(y)
	t.trainWeight += w
	if t.root == nil {
		t.root = t.newLeaf(classStats{}, 0)
	}
	t.hatLearn(t.root, x, y, w, nil, -1)
	if math.Mod(t.trainWeight, float64(t.cfg.memoryEstimatePeriod)) == 0 {
		t.estimateModelSize()
	}
}

func (t *core) hatLearn(n *node, x feature.Vector, y int, w float64, parent *node, pidx int) {
	if n.leaf != nil {
		t.hatLeafLearn(n, x, y, w, parent, pidx)
		return
	}
	t.hatBranchLearn(n, x, y, w, parent, pidx)
}

// predictedClass is max(dist, key=dist.get) of a HAT leaf's prediction, or
// -1 where River's is None.
func (t *core) predictedClass(l *leaf, x feature.Vector) int {
	p := t.scratchProba()
	if !t.hatLeafDist(l, x, p) {
		return -1
	}
	return argmaxIn(l.stats.order, p)
}

// errorUpdate feeds a node's 0/1 error to its detector and error mean and
// reports a drift with a rising error (River resets the mean on any drift,
// and ignores drifts that lowered it).
func errorUpdate(det interface{ Update(float64) bool }, m *errorMean, wrong bool) bool {
	x := 0.0
	if wrong {
		x = 1
	}
	old := m.mean
	drifted := det.Update(x)
	m.update(x)
	if drifted && old > m.mean {
		*m = errorMean{}
		return false
	}
	return drifted
}

// hatLeafLearn is AdaLeafClassifier.learn_one.
func (t *core) hatLeafLearn(n *node, x feature.Vector, y int, w float64, parent *node, pidx int) {
	l := n.leaf
	if t.cfg.bootstrapSampling {
		// River multiplies the weight by k only when k > 0: a draw of 0
		// still trains with the original weight, so the bootstrap never
		// skips a record. Kept for parity (the seed of every golden test
		// depends on this stream of draws).
		if k := t.rng.Poisson(1); k > 0 {
			w *= float64(k)
		}
	}
	errorUpdate(l.det, &l.err, y != t.predictedClass(l, x))
	t.leafLearn(l, x, y, w)
	seen := l.stats.total
	if seen-l.lastSplitAt >= float64(t.cfg.gracePeriod) {
		if l.depth >= t.cfg.depthLimit() {
			l.deactivate()
		} else if l.active() {
			t.attemptSplit(n, parent, pidx)
			l.lastSplitAt = seen
		}
	}
}

// hatBranchLearn is AdaBranchClassifier.learn_one.
func (t *core) hatBranchLearn(n *node, x feature.Vector, y int, w float64, parent *node, pidx int) {
	n.touch()
	a := n.ada
	wrong := y != t.predictedClass(n.sortToLeaf(x).leaf, x)
	a.stats.add(y, w)
	if errorUpdate(a.det, &a.err, wrong) {
		a.err = errorMean{}
		alt := t.newLeaf(classStats{}, n.depth+1)
		alt.depth--
		alt.leaf.depth--
		a.alt = alt
		t.nAlternate++
	} else if a.alt != nil {
		altErr := &a.alt.leaf.err
		threshold := float64(t.cfg.driftWindowThreshold)
		if altErr.n > threshold && a.err.n > threshold {
			oldRate, altRate := a.err.mean, altErr.mean
			nn := 1.0/altErr.n + 1.0/a.err.n
			bound := math.Sqrt(float64(float64(float64(2.0*oldRate)*(1.0-oldRate))*math.Log(2.0/t.cfg.switchSignificance)) * nn)
			if bound < oldRate-altRate {
				t.killTreeChildren(n)
				if parent != nil {
					parent.children[pidx] = a.alt
					a.alt = nil
				} else {
					// River switches the root but keeps the alternate
					// pointer, so the new root learns this record below.
					t.root = a.alt
				}
				t.nSwitchAlternate++
			} else if bound < altRate-oldRate {
				a.alt = nil
				t.nPrunedAlternate++
			}
		}
	}
	if a.alt != nil {
		// The alternate learns as if it stood in this subtree's place: if
		// it splits, River's _attempt_to_split puts the new branch in the
		// parent's slot, replacing this subtree at once. Kept for parity.
		t.hatLearn(a.alt, x, y, w, parent, pidx)
	}
	if i, ok := n.route(x); ok {
		t.hatLearn(n.children[i], x, y, w, n, i)
		return
	}
	if v, ok := featureValue(x, n.feature); ok && n.kind == nominalMultiway {
		child := t.newLeaf(classStats{}, n.depth+1)
		i := n.addChild(v, child)
		t.hatLearn(child, x, y, w, n, i)
		return
	}
	i := n.mostCommon()
	t.hatLearn(n.children[i], x, y, w, n, i)
}

// killTreeChildren is AdaBranchClassifier.kill_tree_children, run on a
// subtree being replaced by its alternate: the alternates of its branch
// children are dropped (and counted as pruned). The replaced subtree still
// learns the current record in River, now without those alternates, which
// changes the bootstrap draws that follow; kept for parity.
func (t *core) killTreeChildren(n *node) {
	for _, c := range n.children {
		if c.leaf != nil {
			continue
		}
		if c.ada.alt != nil {
			t.nPrunedAlternate++
			c.ada.alt = nil
		}
		t.killTreeChildren(c)
	}
}

// collectFound is AdaBranchClassifier.traverse(x, until_leaf=True): the
// alternates met on the path, then the leaf. River's walk yields a node
// reached through most_common_path twice, so such a node's alternate votes
// twice; kept.
func (t *core) collectFound(x feature.Vector) []*leaf {
	found := t.found[:0]
	n := t.root
	visit := func(n *node) {
		if n.leaf == nil && n.ada.alt != nil {
			found = append(found, n.ada.alt.leaf)
		}
	}
	visit(n)
	for n.leaf == nil {
		i, ok := n.route(x)
		if !ok {
			i = n.mostCommon()
			n = n.children[i]
			visit(n)
		} else {
			n = n.children[i]
		}
		visit(n)
	}
	found = append(found, n.leaf)
	t.found = found
	return found
}

func (t *core) hatProba(x feature.Vector, p []float64) {
	if t.root == nil {
		return
	}
	if t.root.leaf != nil {
		t.addLeafVote(t.root.leaf, x, p)
	} else {
		for _, l := range t.collectFound(x) {
			t.addLeafVote(l, x, p)
		}
	}
	sum := 0.0
	for _, v := range p {
		sum += v
	}
	if sum != 0 && !math.IsNaN(sum) {
		inv := 1 / sum
		for c := range p {
			p[c] *= inv
		}
	}
}

func (t *core) addLeafVote(l *leaf, x feature.Vector, p []float64) {
	if cap(t.votes) < t.classes {
		t.votes = make([]float64, t.classes)
	}
	d := t.votes[:t.classes]
	clear(d)
	if !t.hatLeafDist(l, x, d) {
		return
	}
	for _, c := range l.stats.order {
		p[c] += d[c]
	}
}

// PredictProbaOne writes the class probabilities of x into dst: the
// error-weighted votes of the leaf and of every alternate on the path,
// normalized. Before any learning it returns an empty slice.
func (h *HoeffdingAdaptiveTreeClassifier) PredictProbaOne(x feature.Vector, dst []float64) []float64 {
	t := h.c
	if t.classes == 0 {
		return dst[:0]
	}
	dst = base.Grow(dst, t.classes)
	t.hatProba(x, dst)
	return dst
}

// PredictOne returns the most probable class, the lowest on ties, or -1
// before any learning.
func (h *HoeffdingAdaptiveTreeClassifier) PredictOne(x feature.Vector) int {
	t := h.c
	if t.classes == 0 {
		return -1
	}
	p := t.scratchProba()
	t.hatProba(x, p)
	return t.argmaxSeen(p)
}

// MemoryBytes is the analytic size of the model in bytes.
func (h *HoeffdingAdaptiveTreeClassifier) MemoryBytes() int64 { return h.c.memoryBytes() }

// CloneFresh returns an untrained tree with the same parameters. As River's
// clone() re-creates random.Random(seed), a seeded tree's clone replays the
// same bootstrap draws; an unseeded one gets a fresh OS seed.
func (h *HoeffdingAdaptiveTreeClassifier) CloneFresh() base.Classifier {
	return &HoeffdingAdaptiveTreeClassifier{c: newCore(h.c.cfg, true)}
}

// Reseed sets the seed and restarts the bootstrap generator from it; later
// clones use the new seed too.
func (h *HoeffdingAdaptiveTreeClassifier) Reseed(seed int64) {
	h.c.cfg.seed, h.c.cfg.seeded = seed, true
	h.c.rng = pyrand.New(seed)
}

// Summary reports the tree's shape and alternate-tree counters.
func (h *HoeffdingAdaptiveTreeClassifier) Summary() Summary { return h.c.summary() }
