package tree

import (
	"sort"
	"unsafe"
)

// memoryBytes is the analytic size of the whole model: the tree struct,
// its scratch space and every node, leaf, observer and drift detector
// (alternate subtrees included), counted from lengths and capacities.
func (t *core) memoryBytes() int64 {
	b := int64(unsafe.Sizeof(*t)) + int64(cap(t.seen)) + 8*int64(cap(t.votes)+cap(t.proba)+cap(t.keys)) +
		8*int64(cap(t.leaves)+cap(t.found)) + int64(unsafe.Sizeof(suggestion{}))*int64(cap(t.split.sugg)) +
		9*int64(cap(t.split.dists.w)) + 8*int64(cap(t.split.dists.sums)) + t.nbm.bytes()
	if t.rng != nil {
		b += 2560 // MT19937 state
	}
	if t.cfg.detector != nil {
		b += detectorBytes(t.cfg.detector)
	}
	if t.root != nil {
		b += subtreeBytes(t.root)
	}
	return b
}

func subtreeBytes(n *node) int64 {
	b := n.bytes()
	if n.leaf != nil {
		return b
	}
	for _, c := range n.children {
		b += subtreeBytes(c)
	}
	if n.ada != nil && n.ada.alt != nil {
		b += subtreeBytes(n.ada.alt)
	}
	return b
}

// enforceSizeLimit is River's _enforce_size_limit (Kirkby 2007): keep the
// most promising leaves active within max_size, deactivate the others and
// reactivate promising inactive ones.
//
// River estimates the tree as (active×A + inactive×I)×overhead with mean
// leaf sizes A and I measured every memory_estimate_period; until the first
// measurement A = I = 0, so every split reactivates all inactive leaves.
// rivulet measures leaf sizes exactly and analytically at each call, so
// the budget binds from the start: under the budget (every golden test)
// the outcome is River's, "everything fits"; over it, the kept set is
// computed from real sizes instead of averages, which is what keeps
// MemoryBytes within max_size.
func (t *core) enforceSizeLimit() {
	leaves := t.collectLeaves()
	total := t.memoryBytes()
	inactive := 0
	for _, n := range leaves {
		if !n.leaf.active() {
			inactive++
		}
	}
	limit := t.cfg.maxBytes()
	if inactive > 0 || float64(total) > limit {
		if t.cfg.stopMemManagement {
			// River (and MOA) stop all growth here, even when the only
			// inactive leaves are pre-pruned ones and memory is fine.
			t.growthAllowed = false
			return
		}
	}
	// Current sizes. A leaf kept or made active is charged at least the
	// largest observer set any leaf has had: new and reactivated leaves
	// start with empty observers and grow, and the budget must still hold
	// once they have.
	var leafTotal int64
	for _, n := range leaves {
		leafTotal += n.leaf.bytes()
	}
	t.notePeakObservers(leaves)
	fullObs := t.obsPeak
	fixed := total - leafTotal
	inactiveSize := func(n *node) int64 {
		b := n.leaf.bytes()
		if n.leaf.active() {
			b -= n.leaf.obs.bytes()
		}
		return b
	}
	activeSize := func(n *node) int64 {
		return inactiveSize(n) + max(fullObs, n.leaf.obsBytes())
	}
	depthLimit := t.cfg.depthLimit()
	// Fast path: charging a leaf as active never costs less than as
	// inactive, so if every leaf fits as active the procedure below keeps
	// them all whatever their promise order. Skipping the sort matters:
	// ensembles split often, and sorting every leaf by promise after each
	// split dominated their learning time.
	all := fixed
	for _, n := range leaves {
		all += activeSize(n)
	}
	if float64(all) <= limit {
		for _, n := range leaves {
			if l := n.leaf; !l.active() && l.depth < depthLimit {
				l.activate()
			}
		}
		return
	}
	// Stable sort by promise, least promising first, as River's list.sort.
	sort.SliceStable(leaves, func(a, b int) bool { return leaves[a].leaf.promise() < leaves[b].leaf.promise() })

	// size(m): the m most promising leaves active, the rest inactive.
	size := fixed
	for _, n := range leaves {
		size += inactiveSize(n)
	}
	maxActive := 0
	for maxActive < len(leaves) {
		n := leaves[len(leaves)-1-maxActive]
		next := size - inactiveSize(n) + activeSize(n)
		if float64(next) > limit {
			break
		}
		size = next
		maxActive++
	}
	cutoff := len(leaves) - maxActive
	for i := 0; i < cutoff; i++ {
		leaves[i].leaf.deactivate()
	}
	for i := cutoff; i < len(leaves); i++ {
		if l := leaves[i].leaf; !l.active() && l.depth < depthLimit {
			l.activate()
		}
	}
}

// estimateModelSize is River's periodic _estimate_model_size: enforce the
// budget when the model has outgrown it.
func (t *core) estimateModelSize() {
	t.notePeakObservers(t.collectLeaves())
	if float64(t.memoryBytes()) > t.cfg.maxBytes() {
		t.enforceSizeLimit()
	}
}

// notePeakObservers keeps obsPeak, the largest observer set of any leaf
// seen at a memory check: the size a fresh active leaf grows to.
func (t *core) notePeakObservers(leaves []*node) {
	for _, n := range leaves {
		t.obsPeak = max(t.obsPeak, n.leaf.obsBytes())
	}
}
