package tree

import (
	"unsafe"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/drift"
	"github.com/rivulet-ml/rivulet/lib/feature"
)

type branchKind uint8

const (
	numericBinary   branchKind = iota + 1 // River's NumericBinaryBranch: x <= threshold goes left
	nominalBinary                         // NominalBinaryBranch: x == value goes left
	nominalMultiway                       // NominalMultiwayBranch: one child per category
)

// node is a leaf (leaf != nil) or a branch. One concrete type keeps the
// descent free of interface calls.
type node struct {
	// The fields a descent reads come first, binary children included, so
	// that a level of a walk usually costs one cache line.
	leaf      *leaf
	kind      branchKind
	feature   int32
	threshold float64  // numericBinary threshold, nominalBinary value
	kids      [2]*node // a binary branch's children (children refers to them)
	children  []*node
	values    []float64 // nominalMultiway: category of each child
	index     map[float64]int32
	depth     int

	// tw caches River's DTBranch.total_weight (the sum over the subtree's
	// leaves, recomputed in River on every call) until a leaf below
	// changes; every learning descent invalidates the branches it passes.
	tw      float64
	twValid bool

	// size caches this branch's share of a memory survey (its children's
	// subtrees, its own alternate excluded) while sizeEpoch equals the
	// tree's; learning descents and PrepareLearn invalidate the branches
	// they pass, as they do tw.
	size      sizeAgg
	sizeEpoch uint64

	ada *adaBranch // Hoeffding adaptive tree branches only
}

// adaBranch is the state River's AdaBranchClassifier adds to a branch.
type adaBranch struct {
	stats classStats // classes seen through this branch (River keeps them; unused by predictions)
	det   drift.Detector
	err   errorMean
	alt   *node // alternate subtree; River only ever holds a leaf here
}

func featureValue(x feature.Vector, f int32) (float64, bool) {
	if x.Idx == nil {
		if int(f) < len(x.Val) {
			v := x.Val[f]
			return v, v == v
		}
		return 0, false
	}
	return x.Get(int(f))
}

// route is branch_no: the child x goes to, or ok=false where River raises
// KeyError (feature missing, or a category the multiway branch has not seen).
func (n *node) route(x feature.Vector) (int, bool) {
	v, ok := featureValue(x, n.feature)
	if !ok {
		return -1, false
	}
	switch n.kind {
	case numericBinary:
		if v <= n.threshold {
			return 0, true
		}
		return 1, true
	case nominalBinary:
		if v == n.threshold {
			return 0, true
		}
		return 1, true
	default:
		i := n.findValue(v)
		return i, i >= 0
	}
}

func (n *node) findValue(v float64) int {
	if n.index != nil {
		if i, ok := n.index[v]; ok {
			return int(i)
		}
		return -1
	}
	for i, u := range n.values {
		if u == v {
			return i
		}
	}
	return -1
}

func (n *node) addChild(v float64, child *node) int {
	i := len(n.children)
	n.children = append(n.children, child)
	n.values = append(n.values, v)
	if n.index != nil {
		n.index[v] = int32(i)
	} else if len(n.values) > nominalIndexFrom {
		n.index = make(map[float64]int32, 2*len(n.values))
		for j, u := range n.values {
			n.index[u] = int32(j)
		}
	}
	return i
}

// touch marks a branch a learning descent passes: the caches of its
// subtree's weight and size are stale.
func (n *node) touch() {
	n.twValid = false
	n.sizeEpoch = 0
}

// totalWeight is River's total_weight: a leaf's class weight sum, or the
// sum over a branch's children.
func (n *node) totalWeight() float64 {
	if n.leaf != nil {
		return n.leaf.stats.total
	}
	if !n.twValid {
		s := 0.0
		for _, c := range n.children {
			s += c.totalWeight()
		}
		n.tw, n.twValid = s, true
	}
	return n.tw
}

// mostCommon is most_common_path: the heavier child of a binary branch
// (left on ties), the first heaviest child of a multiway branch.
func (n *node) mostCommon() int {
	if n.kind != nominalMultiway {
		if n.children[0].totalWeight() < n.children[1].totalWeight() {
			return 1
		}
		return 0
	}
	best, bw := 0, 0.0
	for i, c := range n.children {
		if w := c.totalWeight(); i == 0 || w > bw {
			best, bw = i, w
		}
	}
	return best
}

// walk follows x down while the branches can route it: it stops at a leaf
// or at the first branch whose feature x lacks or whose category is new.
func (n *node) walk(x feature.Vector) *node {
	for n.leaf == nil {
		i, ok := n.route(x)
		if !ok {
			break
		}
		n = n.children[i]
	}
	return n
}

// descendTouching is walk that touches the branches it passes (learning's
// walk(x, until_leaf=False)).
func (n *node) descendTouching(x feature.Vector) *node {
	for n.leaf == nil {
		n.touch()
		i, ok := n.route(x)
		if !ok {
			break
		}
		n = n.children[i]
	}
	return n
}

// sortToLeaf is traverse(x, until_leaf=True): missing features and unseen
// categories follow the most common path.
func (n *node) sortToLeaf(x feature.Vector) *node {
	for n.leaf == nil {
		i, ok := n.route(x)
		if !ok {
			i = n.mostCommon()
		}
		n = n.children[i]
	}
	return n
}

func detectorBytes(d drift.Detector) int64 {
	if m, ok := d.(base.MemoryReporter); ok {
		return m.MemoryBytes()
	}
	return 256
}

func (n *node) bytes() int64 {
	b := int64(unsafe.Sizeof(*n))
	if n.leaf != nil {
		return b + n.leaf.bytes()
	}
	if n.kind == nominalMultiway { // binary children live in kids
		b += 8 * int64(cap(n.children))
	}
	b += 8*int64(cap(n.values)) + mapEntryBytes*int64(len(n.index))
	if a := n.ada; a != nil {
		b += int64(unsafe.Sizeof(*a)) + a.stats.bytes() + detectorBytes(a.det)
	}
	return b
}
