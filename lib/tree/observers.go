package tree

import (
	"math"
	"unsafe"
)

// denseSlotLimit bounds the feature indices a leaf maps to observer slots
// with a plain slice; larger indices (sparse data such as MaliciousURL,
// 3.2 million possible features) go through a short list, and through an
// open-addressing table once a leaf has more than sparseListLimit of them.
// Dense streams therefore never hash, and the leaves of random forests,
// which observe a few sampled features, never build a table.
const (
	denseSlotLimit  = 1024
	sparseListLimit = 16
)

type slotKind uint8

const (
	slotNumeric  slotKind = iota // River's GaussianSplitter
	slotNominal                  // River's NominalSplitterClassif
	slotDisabled                 // dropped by remove_poor_attrs
)

// gaussCell is River's GaussianSplitter state for one (feature, class):
// the proba.Gaussian (a ddof=1 stats.Var) plus the class's min and max.
// variance and halfLogVar cache what naive Bayes needs, from the same
// values River uses, so results are unchanged: the variance is recomputed
// on every update, the logarithm on the first log-pdf after one (leaves
// that predict by majority class never take it).
type gaussCell struct {
	n, mean, s float64
	min, max   float64
	variance   float64 // s/(n-1) when n > 1, else 0 (stats.Var.get)
	halfLogVar float64 // 0.5*log(variance) when variance > 0; NaN: not computed yet
	stamp      int64   // 0: class unseen; else order of first update
}

func (g *gaussCell) update(v, w float64, stamp *int64) {
	if g.stamp == 0 {
		*stamp++
		g.stamp = *stamp
		g.min, g.max = v, v
	} else {
		if v < g.min {
			g.min = v
		}
		if v > g.max {
			g.max = v
		}
	}
	// stats.Var.update with stats.Mean.update's order of operations. The
	// float64 conversions forbid fused multiply-adds (Go may fuse x*y+z on
	// some architectures), which would round differently from Python.
	old := g.mean
	g.n += w
	g.mean += float64((w / g.n) * (v - g.mean))
	g.s += float64(float64(w*(v-old)) * (v - g.mean))
	if g.n > 1 {
		g.variance = g.s / (g.n - 1)
	} else {
		g.variance = 0
	}
	g.halfLogVar = math.NaN()
}

// halfLogTau is River's _HALF_LOG_TAU = 0.5*log(2π).
var halfLogTau = 0.5 * math.Log(2*math.Pi)

// logPDF is proba.Gaussian.log_pdf; ok is false where River returns -inf
// for a degenerate distribution.
func (g *gaussCell) logPDF(x float64) (float64, bool) {
	if g.variance > 0 {
		if g.halfLogVar != g.halfLogVar {
			g.halfLogVar = 0.5 * math.Log(g.variance)
		}
		d := x - g.mean
		return d*d/(-2.0*g.variance) - halfLogTau - g.halfLogVar, true
	}
	return 0, false
}

// cdf is proba.Gaussian.cdf: norm_cdf((x-mu)/sigma), 0 when sigma is 0.
func (g *gaussCell) cdf(x float64) float64 {
	sigma := math.Sqrt(g.variance)
	if sigma == 0 {
		return 0
	}
	return 0.5 * (1.0 + math.Erf(((x-g.mean)/sigma)/math.Sqrt2))
}

// nominalObs is River's NominalSplitterClassif for one feature: per class,
// the weight of each category.
type nominalObs struct {
	values     []float64         // categories in order of first appearance
	small      []int32           // position+1 of the integer categories 0..smallCategories-1
	index      map[float64]int32 // value -> position of other categories, built past a few values
	counts     []float64         // [position*stride + class]
	has        []bool            // (position, class) seen, River's dict key
	classTotal []float64         // per class: Σ counts (cond_proba's denominator)
	classGen   []uint64          // per class: bumped by every update of the class
	logp       []float64         // [position*stride + class]: cached log(cond_proba)
	logpGen    []uint64          // classGen the cached log was computed at (0: none)
	stamp      []int64           // per class: order of first touch
}

const (
	nominalIndexFrom = 16
	smallCategories  = 64
)

func smallCategory(v float64) (int, bool) {
	if v >= 0 && v < smallCategories {
		if i := int(v); float64(i) == v {
			return i, true
		}
	}
	return 0, false
}

func (o *nominalObs) find(v float64) int {
	if i, ok := smallCategory(v); ok {
		if i < len(o.small) {
			return int(o.small[i]) - 1
		}
		return -1
	}
	if o.index != nil {
		if p, ok := o.index[v]; ok {
			return int(p)
		}
		return -1
	}
	for i, u := range o.values {
		if u == v {
			return i
		}
	}
	return -1
}

func (o *nominalObs) add(v float64, stride int) int {
	p := len(o.values)
	o.values = append(o.values, v)
	for i := 0; i < stride; i++ {
		o.counts = append(o.counts, 0)
		o.has = append(o.has, false)
		o.logp = append(o.logp, 0)
		o.logpGen = append(o.logpGen, 0)
	}
	if i, ok := smallCategory(v); ok {
		if i >= len(o.small) {
			o.small = append(o.small, make([]int32, i+1-len(o.small))...)
		}
		o.small[i] = int32(p + 1)
		return p
	}
	if o.index != nil {
		o.index[v] = int32(p)
	} else if len(o.values) > nominalIndexFrom {
		o.index = make(map[float64]int32, 2*len(o.values))
		for i, u := range o.values {
			o.index[u] = int32(i)
		}
	}
	return p
}

// touch records the first access of class c, which fixes the class order
// River's defaultdict gives the children of a binary nominal split.
func (o *nominalObs) touch(c int, stamp *int64) {
	if o.stamp[c] == 0 {
		*stamp++
		o.stamp[c] = *stamp
	}
}

// update adds weight w of class c to category v; grew reports a new
// category (the observer's size changed).
func (o *nominalObs) update(v float64, c int, w float64, stride int, stamp *int64) (grew bool) {
	o.touch(c, stamp)
	p := o.find(v)
	if p < 0 {
		p = o.add(v, stride)
		grew = true
	}
	i := p*stride + c
	o.counts[i] += w
	o.has[i] = true
	o.classTotal[c] += w
	o.classGen[c]++
	return grew
}

// condLogProba is log(cond_proba) when cond_proba > 0: log of the share
// of class c's weight on value v, without Laplace smoothing. The logarithm is
// cached until class c is updated again, so predicting between updates
// costs no logarithm; the value is the one math.Log gives, cached or not.
func (o *nominalObs) condLogProba(v float64, c int) (float64, bool) {
	p := o.find(v)
	stride := len(o.classTotal)
	if p < 0 || c >= stride {
		return 0, false
	}
	i := p*stride + c
	if !o.has[i] || o.classTotal[c] == 0 {
		return 0, false
	}
	if g := o.classGen[c]; o.logpGen[i] == g && g != 0 {
		return o.logp[i], true
	}
	q := o.counts[i] / o.classTotal[c]
	if !(q > 0) {
		return 0, false
	}
	l := math.Log(q)
	o.logp[i], o.logpGen[i] = l, o.classGen[c]
	return l, true
}

func (o *nominalObs) restride(old, stride int) {
	nv := len(o.values)
	counts := make([]float64, nv*stride)
	has := make([]bool, nv*stride)
	for p := 0; p < nv; p++ {
		copy(counts[p*stride:p*stride+old], o.counts[p*old:(p+1)*old])
		copy(has[p*stride:p*stride+old], o.has[p*old:(p+1)*old])
	}
	o.counts, o.has = counts, has
	o.logp = make([]float64, nv*stride)
	o.logpGen = make([]uint64, nv*stride)
	o.classTotal = append(o.classTotal, make([]float64, stride-old)...)
	o.classGen = append(o.classGen, make([]uint64, stride-old)...)
	o.stamp = append(o.stamp, make([]int64, stride-old)...)
}

func (o *nominalObs) bytes() int64 {
	b := int64(unsafe.Sizeof(*o)) +
		8*int64(cap(o.values)) + 4*int64(cap(o.small)) + 8*int64(cap(o.counts)) + int64(cap(o.has)) +
		8*int64(cap(o.classTotal)) + 8*int64(cap(o.stamp)) +
		8*int64(cap(o.classGen)) + 8*int64(cap(o.logp)) + 8*int64(cap(o.logpGen))
	if o.index != nil {
		b += mapEntryBytes * int64(len(o.index))
	}
	return b
}

// mapEntryBytes is the analytic cost of one map entry (key, value, tophash
// and load-factor slack).
const mapEntryBytes = 40

// observers are a leaf's splitters, River's HTLeaf.splitters dict. Slots
// are numbered in order of creation, which is the dict's insertion order;
// River's split candidates and naive Bayes sums follow that order.
type observers struct {
	stride       int          // classes per Gaussian block / nominal row
	dense        []int32      // feature -> slot+1 for features < denseSlotLimit
	sparseFeat   []int32      // features beyond, while at most sparseListLimit
	sparseSlot   []int32      // their slots
	sparse       *slotTable   // features beyond, past sparseListLimit
	feat         []int32      // slot -> feature
	kind         []slotKind   // slot -> kind
	ref          []int32      // slot -> Gaussian block or nominal index
	gauss        []gaussCell  // block b is gauss[b*stride:(b+1)*stride]
	nominal      []nominalObs //
	nominalSlots []int32      // slots of nominal features, in creation order
	stamp        int64        // last order stamp handed out
	// size is bytes() as of the last change of shape (a slot, a class or
	// a category added): values only change in place in between, so the
	// memory manager reads it at no cost.
	size int64
}

func newObservers(classes int) *observers {
	if classes < 2 {
		classes = 2
	}
	o := &observers{stride: classes}
	o.resized()
	return o
}

// resized records a change of shape.
func (o *observers) resized() { o.size = o.bytes() }

func (o *observers) slot(f int32) int {
	if f < denseSlotLimit {
		if int(f) < len(o.dense) {
			return int(o.dense[f]) - 1
		}
		return -1
	}
	if o.sparse == nil {
		for i, g := range o.sparseFeat {
			if g == f {
				return int(o.sparseSlot[i])
			}
		}
		return -1
	}
	return o.sparse.find(f)
}

func (o *observers) addSlot(f int32, k slotKind) int {
	s := len(o.feat)
	o.feat = append(o.feat, f)
	o.kind = append(o.kind, k)
	switch k {
	case slotNumeric:
		b := len(o.gauss) / o.stride
		o.ref = append(o.ref, int32(b))
		o.gauss = append(o.gauss, make([]gaussCell, o.stride)...)
	case slotNominal:
		o.nominalSlots = append(o.nominalSlots, int32(s))
		o.ref = append(o.ref, int32(len(o.nominal)))
		o.nominal = append(o.nominal, nominalObs{
			classTotal: make([]float64, o.stride),
			classGen:   make([]uint64, o.stride),
			stamp:      make([]int64, o.stride),
		})
	default:
		o.ref = append(o.ref, -1)
	}
	if f < denseSlotLimit {
		if int(f) >= len(o.dense) {
			n := int(f) + 1
			if c := 2 * len(o.dense); c > n {
				n = min(c, denseSlotLimit)
			}
			o.dense = append(o.dense, make([]int32, n-len(o.dense))...)
		}
		o.dense[f] = int32(s + 1)
	} else {
		switch {
		case o.sparse != nil:
			o.sparse.insert(f, int32(s))
		case len(o.sparseFeat) < sparseListLimit:
			o.sparseFeat = append(o.sparseFeat, f)
			o.sparseSlot = append(o.sparseSlot, int32(s))
		default:
			o.sparse = newSlotTable(4 * sparseListLimit)
			for i, g := range o.sparseFeat {
				o.sparse.insert(g, o.sparseSlot[i])
			}
			o.sparse.insert(f, int32(s))
			o.sparseFeat, o.sparseSlot = nil, nil
		}
	}
	o.resized()
	return s
}

// ensureClass widens every block so that class c has a cell.
func (o *observers) ensureClass(c int) {
	if c < o.stride {
		return
	}
	old := o.stride
	stride := max(c+1, 2*old)
	nb := len(o.gauss) / old
	g := make([]gaussCell, nb*stride)
	for b := 0; b < nb; b++ {
		copy(g[b*stride:b*stride+old], o.gauss[b*old:(b+1)*old])
	}
	o.gauss = g
	for i := range o.nominal {
		o.nominal[i].restride(old, stride)
	}
	o.stride = stride
	o.resized()
}

func (o *observers) cells(s int) []gaussCell {
	b := int(o.ref[s]) * o.stride
	return o.gauss[b : b+o.stride]
}

func (o *observers) bytes() int64 {
	b := int64(unsafe.Sizeof(*o)) + 4*int64(cap(o.dense)) + 4*int64(cap(o.feat)) + 4*int64(cap(o.nominalSlots)) +
		int64(cap(o.kind)) + 4*int64(cap(o.ref)) +
		int64(unsafe.Sizeof(gaussCell{}))*int64(cap(o.gauss)) +
		int64(unsafe.Sizeof(nominalObs{}))*int64(cap(o.nominal)-len(o.nominal))
	for i := range o.nominal {
		b += o.nominal[i].bytes()
	}
	b += 4 * int64(cap(o.sparseFeat)+cap(o.sparseSlot))
	if o.sparse != nil {
		b += o.sparse.bytes()
	}
	return b
}

// slotTable maps sparse feature indices (never 0: they are at least
// denseSlotLimit) to observer slots by open addressing with linear
// probing, kept at most half full. A leaf of a tree on MaliciousURL looks
// up about a hundred features per prediction; Go's map cost most of it.
type slotTable struct {
	keys  []int32 // 0: empty
	slots []int32
	n     int
	shift uint32
}

func newSlotTable(size int) *slotTable {
	bits := uint32(4)
	for 1<<bits < size {
		bits++
	}
	return &slotTable{keys: make([]int32, 1<<bits), slots: make([]int32, 1<<bits), shift: 32 - bits}
}

func (t *slotTable) home(f int32) int { return int((uint32(f) * 0x9E3779B1) >> t.shift) }

// find returns f's slot or -1.
func (t *slotTable) find(f int32) int {
	mask := len(t.keys) - 1
	for i := t.home(f); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case f:
			return int(t.slots[i])
		case 0:
			return -1
		}
	}
}

// insert adds f (not present) with its slot.
func (t *slotTable) insert(f, slot int32) {
	if 2*(t.n+1) > len(t.keys) {
		bigger := newSlotTable(2 * len(t.keys))
		for i, k := range t.keys {
			if k != 0 {
				bigger.insert(k, t.slots[i])
			}
		}
		*t = *bigger
	}
	mask := len(t.keys) - 1
	i := t.home(f)
	for t.keys[i] != 0 {
		i = (i + 1) & mask
	}
	t.keys[i], t.slots[i] = f, slot
	t.n++
}

func (t *slotTable) bytes() int64 {
	return int64(unsafe.Sizeof(*t)) + 4*int64(cap(t.keys)+cap(t.slots))
}
