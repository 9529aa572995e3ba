package tree

import (
	"sort"
	"unsafe"
)

// memoryBytes is the analytic size of the whole model: the tree struct,
// its scratch space and every node, leaf, observer and drift detector
// (alternate subtrees included), counted from lengths and capacities.
func (t *core) memoryBytes() int64 { return t.survey().bytes }

// walkMemoryBytes is memoryBytes measured without the branches' caches,
// node by node: what the cached survey must always agree with.
func (t *core) walkMemoryBytes() int64 {
	b := t.fixedBytes()
	if t.root != nil {
		b += subtreeBytes(t.root)
	}
	return b
}

// fixedBytes is the part of memoryBytes outside the nodes.
func (t *core) fixedBytes() int64 {
	b := int64(unsafe.Sizeof(*t)) + int64(cap(t.seen)) + 8*int64(cap(t.votes)+cap(t.proba)+cap(t.keys)) +
		8*int64(cap(t.leaves)+cap(t.found)+cap(t.path)+cap(t.last.path)+cap(t.last.xVal)) + int64(unsafe.Sizeof(suggestion{}))*int64(cap(t.split.sugg)) +
		9*int64(cap(t.split.dists.w)) + 8*int64(cap(t.split.dists.sums)) + t.nbm.bytes()
	if t.rng != nil {
		b += 2560 // MT19937 state
	}
	if t.cfg.detector != nil {
		b += detectorBytes(t.cfg.detector)
	}
	return b
}

// sizeAgg is what the memory manager needs to know about a subtree: its
// bytes and, over its managed leaves, their count, how many are inactive,
// and the sum of their observer sizes.
type sizeAgg struct {
	bytes, leafObs   int64
	leaves, inactive int
}

func (a *sizeAgg) add(b sizeAgg) {
	a.bytes += b.bytes
	a.leafObs += b.leafObs
	a.leaves += b.leaves
	a.inactive += b.inactive
}

// survey measures the tree as memoryBytes and collectLeaves see it. Each
// branch caches its share until a learning descent touches it, so after a
// split only the path to the split leaf is measured again: ensembles split
// often, and re-measuring every leaf after every split made memory
// management cost more than learning.
func (t *core) survey() sizeAgg {
	var a sizeAgg
	if t.root != nil {
		a = t.subtreeAgg(t.root)
		// River's iter_leaves does not visit the root's alternate: it is
		// measured, its leaves are not managed.
		a.bytes += t.altAgg(t.root, false).bytes
	}
	a.bytes += t.fixedBytes()
	return a
}

// subtreeAgg is n's subtree without n's own alternate. The alternates of
// its branches count with their leaves, placed where appendLeaves places
// them.
func (t *core) subtreeAgg(n *node) sizeAgg {
	if l := n.leaf; l != nil {
		ob := l.obsBytes()
		a := sizeAgg{bytes: n.bytes(), leafObs: ob, leaves: 1}
		if !l.active() {
			a.inactive = 1
		}
		return a
	}
	if n.sizeEpoch == t.sizeEpoch {
		return n.size
	}
	a := sizeAgg{bytes: n.bytes()}
	for _, c := range n.children {
		a.add(t.subtreeAgg(c))
		a.add(t.altAgg(c, true))
	}
	n.size, n.sizeEpoch = a, t.sizeEpoch
	return a
}

// shiftPath carries a change of the subtree below the current learning
// descent (t.path) from before to after into the cached sizes of the
// branches on the path, so that a plain Hoeffding tree never re-measures a
// branch: its memory check after a split costs O(1). A branch whose cache
// is stale is left alone (its ancestors are stale too). An adaptive tree
// keeps t.path empty: its descents touch the branches they pass instead.
// The maximum observer size can only rise this way; it then remembers the
// largest observer set a leaf has had, which is what the memory manager
// wants it for.
func (t *core) shiftPath(before, after sizeAgg) {
	for _, p := range t.path {
		if p.sizeEpoch != t.sizeEpoch {
			continue
		}
		a := &p.size
		a.bytes += after.bytes - before.bytes
		a.leafObs += after.leafObs - before.leafObs
		a.leaves += after.leaves - before.leaves
		a.inactive += after.inactive - before.inactive
	}
}

// touchPath marks every branch of the current learning descent stale.
func (t *core) touchPath() {
	for _, p := range t.path {
		p.touch()
	}
}

// altAgg is n's alternate subtree (and, bytes only, the alternate's own
// alternate); withLeaves says whether its leaves are managed.
func (t *core) altAgg(n *node, withLeaves bool) sizeAgg {
	if n.leaf != nil || n.ada == nil || n.ada.alt == nil {
		return sizeAgg{}
	}
	alt := n.ada.alt
	a := t.subtreeAgg(alt)
	if !withLeaves {
		a = sizeAgg{bytes: a.bytes}
	}
	a.bytes += t.altAgg(alt, false).bytes
	return a
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
	sv := t.survey()
	total := sv.bytes
	limit := t.cfg.maxBytes()
	if sv.inactive > 0 || float64(total) > limit {
		if t.cfg.stopMemManagement {
			// River (and MOA) stop all growth here, even when the only
			// inactive leaves are pre-pruned ones and memory is fine.
			t.growthAllowed = false
			return
		}
	}
	// A leaf kept or made active is charged the largest observer set any
	// leaf has had: new and reactivated leaves start with empty observers
	// and grow, and the budget must still hold once they have.
	fullObs := t.obsPeak
	depthLimit := t.cfg.depthLimit()
	// Fast path: charging a leaf as active never costs less than as
	// inactive, so if every leaf fits as active the procedure below keeps
	// them all whatever their promise order. fullObs bounds every leaf's
	// observers, so the size with every leaf active is total − Σobs +
	// leaves×fullObs. Skipping
	// the sort matters: ensembles split often, and sorting every leaf by
	// promise after each split dominated their learning time.
	if all := total - sv.leafObs + int64(sv.leaves)*fullObs; float64(all) <= limit {
		if sv.inactive > 0 {
			for _, n := range t.collectLeaves() {
				if l := n.leaf; !l.active() && l.depth < depthLimit {
					l.activate()
				}
			}
			t.sizeEpoch++ // leaves changed off any learning path
		}
		return
	}
	leaves := t.collectLeaves()
	defer func() { t.sizeEpoch++ }() // leaves change off any learning path
	total = t.survey().bytes         // collecting may have grown t.leaves
	var leafTotal int64
	for _, n := range leaves {
		leafTotal += n.leaf.bytes()
	}
	fixed := total - leafTotal
	inactiveSize := func(n *node) int64 {
		return n.leaf.bytes() - n.leaf.obsBytes()
	}
	activeSize := func(n *node) int64 {
		return inactiveSize(n) + max(fullObs, n.leaf.obsBytes())
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
	if float64(t.survey().bytes) > t.cfg.maxBytes() {
		t.enforceSizeLimit()
	}
}
