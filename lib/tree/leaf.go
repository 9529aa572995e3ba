package tree

import (
	"math"
	"sort"
	"unsafe"

	"github.com/rivulet-ml/rivulet/lib/drift"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

// classStats is River's class-count dict {class: weight}. The dict's
// insertion order is kept in order because River breaks argmax ties by it
// and sums in it; a class can be present with weight 0 (children of a split
// inherit such entries), which River's naive Bayes treats differently from
// an absent class, so presence is tracked apart from the weight.
type classStats struct {
	w     []float64 // by class
	has   []bool    // by class: key present
	order []int32   // present classes in insertion order
	total float64   // sum(w) in insertion order (River's total_weight)
}

func (s *classStats) add(c int, w float64) {
	if c >= len(s.w) {
		n := max(c+1, 2)
		s.w = append(s.w, make([]float64, n-len(s.w))...)
		s.has = append(s.has, make([]bool, n-len(s.has))...)
	}
	if s.has[c] {
		s.w[c] += w
	} else {
		s.has[c] = true
		s.w[c] = w
		s.order = append(s.order, int32(c))
	}
	s.sum()
}

// classSlots is one more than the largest class present: the initial
// width of the leaf's observers (they widen when another class arrives).
func (s *classStats) classSlots() int {
	n := 0
	for _, c := range s.order {
		n = max(n, int(c)+1)
	}
	return n
}

func (s *classStats) sum() {
	t := 0.0
	for _, c := range s.order {
		t += s.w[c]
	}
	s.total = t
}

// mcArgmax is the class River's max(normalize(stats), key=get) picks: the
// first maximum in insertion order of the normalized weights.
func (s *classStats) mcArgmax() int {
	inv := 1.0
	if s.total != 0 && !math.IsNaN(s.total) {
		inv = 1 / s.total
	}
	best, bv := -1, 0.0
	for _, c := range s.order {
		v := s.w[c]
		if s.total != 0 && !math.IsNaN(s.total) {
			v *= inv
		}
		if best < 0 || v > bv {
			best, bv = int(c), v
		}
	}
	return best
}

// mcInto writes normalize_values_in_dict(stats) into dst (by class).
// River scales by the reciprocal of the sum, not by division.
func (s *classStats) mcInto(dst []float64) {
	if s.total == 0 || math.IsNaN(s.total) {
		for _, c := range s.order {
			dst[c] = s.w[c]
		}
		return
	}
	inv := 1 / s.total
	for _, c := range s.order {
		dst[c] = s.w[c] * inv
	}
}

// isPure is observed_class_distribution_is_pure: fewer than two classes
// with nonzero weight.
func (s *classStats) isPure() bool {
	n := 0
	for _, c := range s.order {
		if s.w[c] != 0 {
			n++
			if n == 2 {
				return false
			}
		}
	}
	return true
}

func (s *classStats) maxWeight() float64 {
	m := 0.0
	for i, c := range s.order {
		if v := s.w[c]; i == 0 || v > m {
			m = v
		}
	}
	return m
}

func (s *classStats) bytes() int64 {
	return 8*int64(cap(s.w)) + int64(cap(s.has)) + 4*int64(cap(s.order))
}

func (s *classStats) clone() classStats {
	return classStats{
		w:     append([]float64(nil), s.w...),
		has:   append([]bool(nil), s.has...),
		order: append([]int32(nil), s.order...),
		total: s.total,
	}
}

// errorMean is River's stats.Mean of a node's 0/1 errors.
type errorMean struct{ n, mean float64 }

func (m *errorMean) update(x float64) {
	m.n++
	m.mean += float64((1 / m.n) * (x - m.mean))
}

// leaf is a learning node: River's LeafMajorityClass / LeafNaiveBayes /
// LeafNaiveBayesAdaptive (the prediction mode is the tree's), plus the
// AdaLeafClassifier state of HAT and the random subspace of ARF leaves.
type leaf struct {
	stats       classStats
	depth       int
	lastSplitAt float64 // River's last_split_attempt_at
	mcCorrect   float64 // NBA: weight the majority class predicted right
	nbCorrect   float64 // NBA: weight naive Bayes predicted right
	obs         *observers
	disabled    []int32   // features dropped by remove_poor_attrs, sorted
	sampled     []int32   // ARF: features this leaf observes (nil: not drawn)
	ver         uint64    // bumped whenever naive Bayes' inputs change (memo key)
	priorLog    []float64 // by class: cached log prior, valid while priorVer == ver+1
	priorVer    uint64

	// Hoeffding adaptive tree.
	det drift.Detector
	err errorMean
}

func (l *leaf) active() bool { return l.obs != nil }

func (l *leaf) deactivate() {
	l.obs = nil
	l.ver++
}

func (l *leaf) activate() {
	if l.obs == nil {
		l.obs = newObservers(l.stats.classSlots())
		l.ver++
	}
}

// promise is calculate_promise: weight outside the majority class.
func (l *leaf) promise() float64 {
	if l.stats.total > 0 {
		return l.stats.total - l.stats.maxWeight()
	}
	return 0
}

func (l *leaf) isDisabled(f int32) bool {
	i := sort.Search(len(l.disabled), func(i int) bool { return l.disabled[i] >= f })
	return i < len(l.disabled) && l.disabled[i] == f
}

// disable is HTLeaf.disable_attribute: only a feature with an observer is
// disabled, and it stays disabled across deactivation and reactivation.
func (l *leaf) disable(f int32) {
	if l.obs == nil {
		return
	}
	s := l.obs.slot(f)
	if s < 0 || l.obs.kind[s] == slotDisabled {
		return
	}
	l.obs.kind[s] = slotDisabled
	l.ver++
	i := sort.Search(len(l.disabled), func(i int) bool { return l.disabled[i] >= f })
	l.disabled = append(l.disabled, 0)
	copy(l.disabled[i+1:], l.disabled[i:])
	l.disabled[i] = f
}

// obsBytes is the analytic size of the observers, kept by them.
func (l *leaf) obsBytes() int64 {
	if l.obs == nil {
		return 0
	}
	return l.obs.size
}

func (l *leaf) bytes() int64 {
	b := int64(unsafe.Sizeof(*l)) + l.stats.bytes() + 4*int64(cap(l.disabled)) + 4*int64(cap(l.sampled)) + 8*int64(cap(l.priorLog))
	b += l.obsBytes()
	if l.det != nil {
		b += detectorBytes(l.det)
	}
	return b
}

// observe is one feature of HTLeaf.update_splitters: the observer is made
// on first sight, nominal if the feature is declared nominal, Gaussian
// otherwise (River also treats non-numeric values as nominal; rivulet's
// feature values are numbers, and string categories come with a schema
// that declares them nominal).
func (l *leaf) observe(cfg *config, f int32, v float64, y int, w float64) {
	o := l.obs
	s := o.slot(f)
	if s < 0 {
		if len(l.disabled) > 0 && l.isDisabled(f) {
			return
		}
		k := slotNumeric
		if cfg.isNominal(f) {
			k = slotNominal
		}
		s = o.addSlot(f, k)
	}
	switch o.kind[s] {
	case slotNumeric:
		b := int(o.ref[s])*o.stride + y
		o.gauss[b].update(v, w, &o.stamp)
	case slotNominal:
		if o.nominal[o.ref[s]].update(v, y, w, o.stride, &o.stamp) {
			o.resized()
		}
	}
}

// learnObservers is HTLeaf.update_splitters for an active leaf. slots, if
// not nil, holds the observer slot of each entry of a sparse x (-1: none),
// as naive Bayes found them for this record.
func (l *leaf) learnObservers(cfg *config, x feature.Vector, y int, w float64, keys *[]int, slots []int32) {
	l.obs.ensureClass(y)
	if cfg.sampler != nil {
		if len(l.sampled) == 0 {
			l.sampled = cfg.sampler.draw(x, l.sampled[:0], keys)

		}
		for _, f := range l.sampled {
			if v, ok := x.Get(int(f)); ok {
				l.observe(cfg, f, v, y, w)
			}
		}
		return
	}
	if x.Idx == nil {
		for f, v := range x.Val {
			if v == v {
				l.observe(cfg, int32(f), v, y, w)
			}
		}
		return
	}
	if slots != nil {
		o := l.obs
		for i, f := range x.Idx {
			if s := slots[i]; s >= 0 {
				switch o.kind[s] {
				case slotNumeric:
					o.gauss[int(o.ref[s])*o.stride+y].update(x.Val[i], w, &o.stamp)
				case slotNominal:
					if o.nominal[o.ref[s]].update(x.Val[i], y, w, o.stride, &o.stamp) {
						o.resized()
					}
				}
				continue
			}
			l.observe(cfg, f, x.Val[i], y, w)
		}
		return
	}
	for i, f := range x.Idx {
		l.observe(cfg, f, x.Val[i], y, w)
	}
}

// naiveBayes is do_naive_bayes_prediction: it writes the class
// probabilities into votes (by class, for the classes of the leaf's stats)
// and reports false where River returns {} (no weight). For a sparse x it
// records the observer slot of each entry in slots (len(x.Idx), -1: none).
func (l *leaf) naiveBayes(x feature.Vector, votes []float64, slots []int32) bool {
	st := &l.stats
	if x.Idx != nil {
		for i := range slots {
			slots[i] = -1
		}
	}
	if len(st.order) == 0 || st.total == 0 {
		return false
	}
	if l.priorVer != l.ver+1 {
		if cap(l.priorLog) < len(st.w) {
			l.priorLog = make([]float64, len(st.w))
		}
		l.priorLog = l.priorLog[:len(st.w)]
		for _, c := range st.order {
			if w := st.w[c]; w > 0 {
				l.priorLog[c] = math.Log(w / st.total)
			} else {
				// River gives an absent-weight class a log-vote of 0 and
				// no likelihood, which makes it win against any class
				// whose log-likelihood is negative. Kept for parity.
				l.priorLog[c] = 0
			}
		}
		l.priorVer = l.ver + 1
	}
	for _, c := range st.order {
		votes[c] = l.priorLog[c]
	}
	if o := l.obs; o != nil && len(o.feat) > 0 {
		if x.Idx == nil {
			// Slot order is River's splitter order, so the sums round
			// exactly as River's.
			for s, f := range o.feat {
				if int(f) >= len(x.Val) {
					continue
				}
				if v := x.Val[f]; v == v {
					l.nbFeature(o, s, v, votes)
				}
			}
		} else {
			// Sparse records: features in ascending index order. River sums
			// in splitter-creation order; the two orders differ only in the
			// last bits of the log-likelihoods.
			for i, f := range x.Idx {
				s := o.slot(f)
				if s >= 0 {
					slots[i] = int32(s)
					l.nbFeature(o, s, x.Val[i], votes)
				}
			}
		}
	}
	maxLL := math.Inf(-1)
	for i, c := range st.order {
		if v := votes[c]; i == 0 || v > maxLL {
			maxLL = v
		}
	}
	sum := 0.0
	for _, c := range st.order {
		sum += math.Exp(votes[c] - maxLL)
	}
	lse := maxLL + math.Log(sum)
	for _, c := range st.order {
		votes[c] = math.Exp(votes[c] - lse)
	}
	return true
}

func (l *leaf) nbFeature(o *observers, s int, v float64, votes []float64) {
	st := &l.stats
	switch o.kind[s] {
	case slotNumeric:
		b := int(o.ref[s]) * o.stride
		cells := o.gauss[b : b+o.stride]
		for _, c := range st.order {
			if st.w[c] <= 0 || int(c) >= len(cells) {
				continue
			}
			if lp, ok := cells[c].logPDF(v); ok && lp > math.Inf(-1) {
				votes[c] += lp
			}
		}
	case slotNominal:
		nom := &o.nominal[o.ref[s]]
		for _, c := range st.order {
			if st.w[c] <= 0 {
				continue
			}
			if lp, ok := nom.condLogProba(v, int(c)); ok {
				votes[c] += lp
			}
		}
	}
}

// touchNominal reproduces a side effect of River's naive Bayes on nominal
// observers: cond_proba reads a defaultdict, so predicting adds the
// leaf's classes to the observer in stats order, and that order becomes
// the class order of binary nominal split children. rivulet's predictions
// do not write to the model, so the touch is replayed when the record is
// learnt: under predict-then-learn (prequential) evaluation this is the
// same order River produces.
func (l *leaf) touchNominal(x feature.Vector) {
	o := l.obs
	if o == nil || len(o.nominal) == 0 || len(l.stats.order) == 0 || l.stats.total == 0 {
		return
	}
	for _, s := range o.nominalSlots {
		if o.kind[s] != slotNominal {
			continue
		}
		if _, ok := featureValue(x, o.feat[s]); !ok {
			continue
		}
		nom := &o.nominal[o.ref[s]]
		for _, c := range l.stats.order {
			if l.stats.w[c] > 0 {
				o.ensureClass(int(c))
				nom.touch(int(c), &o.stamp)
			}
		}
	}
}

// argmaxIn is max(dict, key=dict.get) over the classes in order.
func argmaxIn(order []int32, v []float64) int {
	best, bv := -1, 0.0
	for _, c := range order {
		if x := v[c]; best < 0 || x > bv {
			best, bv = int(c), x
		}
	}
	return best
}

// leafSampler draws the random feature subsets of ARF leaves.
type leafSampler struct {
	rng   *pyrand.Rand
	k     int
	order FeatureOrder
	idx   []int
	// byName is the positions 0..len-1 of a dense record sorted by name
	// (stably), computed once per width: the name order of a dense
	// record's keys is this order with the missing ones left out.
	byName []int
}

// draw is BaseRandomLeaf._sample_features: rng.sample(sorted(x.keys()), k),
// or all keys when the record has fewer than k.
func (s *leafSampler) draw(x feature.Vector, dst []int32, keys *[]int) []int32 {
	var ks []int
	switch {
	case s.order.byName && x.Idx == nil:
		if len(s.byName) != len(x.Val) {
			s.byName = s.byName[:0]
			for i := range x.Val {
				s.byName = append(s.byName, i)
			}
			sort.SliceStable(s.byName, func(a, b int) bool { return s.order.less(s.byName[a], s.byName[b]) })
		}
		ks = (*keys)[:0]
		for _, i := range s.byName {
			if v := x.Val[i]; v == v {
				ks = append(ks, i)
			}
		}
	case s.order.byName:
		ks = x.Keys((*keys)[:0])
		sort.SliceStable(ks, func(a, b int) bool { return s.order.less(ks[a], ks[b]) })
	default:
		ks = x.Keys((*keys)[:0])
	}
	*keys = ks
	if len(ks) < s.k {
		for _, f := range ks {
			dst = append(dst, int32(f))
		}
		return dst
	}
	s.idx = s.rng.SampleIndicesInto(s.idx[:0], len(ks), s.k)
	for _, i := range s.idx {
		dst = append(dst, int32(ks[i]))
	}
	return dst
}
