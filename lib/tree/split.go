package tree

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// suggestion is River's BranchFactory. slot < 0 is the null split ("do not
// split"), which is also what a splitter without any valid candidate
// returns.
type suggestion struct {
	merit float64
	slot  int32
	kind  branchKind
	value float64 // threshold or category
}

// splitDists holds the class distributions of the branches of one
// candidate split: branch b, class c at w[b*k+c]. has marks River's dict
// keys; ord is the key order shared by the branches (each branch skips the
// classes it lacks).
type splitDists struct {
	nb, k int
	w     []float64
	has   []bool
	ord   []int32
	sums  []float64
}

func (d *splitDists) reset(nb, k int) {
	d.nb, d.k = nb, k
	n := nb * k
	if cap(d.w) < n {
		d.w = make([]float64, n)
		d.has = make([]bool, n)
	}
	d.w = d.w[:n]
	d.has = d.has[:n]
	clear(d.w)
	clear(d.has)
	if cap(d.sums) < nb {
		d.sums = make([]float64, nb)
	}
	d.sums = d.sums[:nb]
}

func (d *splitDists) set(b, c int, w float64) {
	d.w[b*d.k+c] = w
	d.has[b*d.k+c] = true
}

// branchSums is sum(dist.values()) of each branch, in key order.
func (d *splitDists) branchSums() float64 {
	total := 0.0
	for b := 0; b < d.nb; b++ {
		s := 0.0
		row := b * d.k
		for _, c := range d.ord {
			if d.has[row+int(c)] {
				s += d.w[row+int(c)]
			}
		}
		d.sums[b] = s
		total += s
	}
	return total
}

// splitScratch is the reusable workspace of split attempts.
type splitScratch struct {
	sugg  []suggestion
	dists splitDists
	ord   []int32
	pos   []int
	poor  []int32
}

// numSubsetsGreaterThanFrac counts branches holding more than frac of the
// weight. checkTotal is false for Hellinger, whose River version divides
// without checking.
func numSubsetsGreaterThanFrac(d *splitDists, frac float64, checkTotal bool) int {
	total := d.branchSums()
	n := 0
	if checkTotal && !(total > 0) {
		return 0
	}
	for b := 0; b < d.nb; b++ {
		if d.sums[b]/total > frac {
			n++
		}
	}
	return n
}

// log2 is math.Log2, bit for bit: the same Frexp-then-Log computation,
// with the split into fraction and exponent done inline for positive
// normal numbers (every other input goes to math.Log2). Split attempts
// take thousands of logarithms, and math.Log2's call to Frexp cost a
// third of each.
func log2(x float64) float64 {
	b := math.Float64bits(x)
	e := int(b>>52) & 0x7ff
	if e == 0 || e == 0x7ff || b>>63 != 0 {
		return math.Log2(x)
	}
	frac := math.Float64frombits(b&^(0x7ff<<52) | 1022<<52)
	exp := e - 1022
	if frac == 0.5 {
		return float64(exp - 1)
	}
	return math.Log(frac)*(1/math.Ln2) + float64(exp)
}

// entropy is InfoGainSplitCriterion._compute_entropy_dict over the values
// produced by next, in River's order.
func entropyStats(s *classStats) float64 {
	e, sum := 0.0, 0.0
	for _, c := range s.order {
		if d := s.w[c]; d > 0 {
			e -= float64(d * log2(d))
			sum += d
		}
	}
	if sum > 0 {
		return (e + float64(sum*log2(sum))) / sum
	}
	return 0
}

func entropyBranch(d *splitDists, b int) float64 {
	e, sum := 0.0, 0.0
	row := b * d.k
	for _, c := range d.ord {
		if i := row + int(c); d.has[i] {
			if v := d.w[i]; v > 0 {
				e -= float64(v * log2(v))
				sum += v
			}
		}
	}
	if sum > 0 {
		return (e + float64(sum*log2(sum))) / sum
	}
	return 0
}

// merit is merit_of_split of the configured criterion; preEntropy is the
// information-gain entropy of the leaf's own distribution.
func (t *core) merit(pre *classStats, preEntropy float64, d *splitDists) float64 {
	switch t.cfg.criterion {
	case Gini:
		if numSubsetsGreaterThanFrac(d, t.cfg.minBranchFraction, true) < 2 {
			return math.Inf(-1)
		}
		total := 0.0
		for b := 0; b < d.nb; b++ {
			total += d.sums[b]
		}
		g := 0.0
		for b := 0; b < d.nb; b++ {
			gb := 1.0
			if s := d.sums[b]; s != 0 {
				row := b * d.k
				for _, c := range d.ord {
					if i := row + int(c); d.has[i] {
						r := d.w[i] / s
						gb -= float64(r * r)
					}
				}
			}
			g += float64((d.sums[b] / total) * gb)
		}
		return 1.0 - g
	case Hellinger:
		if numSubsetsGreaterThanFrac(d, t.cfg.minBranchFraction, false) < 2 {
			return math.Inf(-1)
		}
		return hellinger(d)
	default:
		if numSubsetsGreaterThanFrac(d, t.cfg.minBranchFraction, true) < 2 {
			return math.Inf(-1)
		}
		total := 0.0
		for b := 0; b < d.nb; b++ {
			total += d.sums[b]
		}
		e := 0.0
		for b := 0; b < d.nb; b++ {
			e += float64(d.sums[b] * entropyBranch(d, b))
		}
		return preEntropy - e/total
	}
}

// hellinger is HellingerDistanceCriterion.compute_hellinger. River reads
// the classes 0 and 1 of the first two branches and returns 0 when one of
// those keys is missing; rivulet's classes are 0-based indices, so this is
// River's behaviour for 0/1 (and boolean) labels. Where River would divide
// by zero (a class with no weight in either branch) the merit is 0 too.
func hellinger(d *splitDists) float64 {
	if d.nb < 2 || d.k < 2 {
		return 0
	}
	k := d.k
	if !d.has[0*k+1] || !d.has[0*k+0] || !d.has[1*k+1] || !d.has[1*k+0] {
		return 0
	}
	lp, ln := d.w[0*k+1], d.w[0*k+0]
	rp, rn := d.w[1*k+1], d.w[1*k+0]
	tn, tp := ln+rn, lp+rp
	if tn == 0 || tp == 0 {
		return 0
	}
	a := math.Sqrt(ln/tn) - math.Sqrt(lp/tp)
	b := math.Sqrt(rn/tn) - math.Sqrt(rp/tp)
	return math.Sqrt(float64(a*a) + float64(b*b))
}

// rangeOfMerit is range_of_merit: log2 of the number of classes in the
// leaf's dict (at least 2) for information gain and Hellinger, 1 for Gini.
func (t *core) rangeOfMerit(s *classStats) float64 {
	if t.cfg.criterion == Gini {
		return 1
	}
	return log2(float64(max(len(s.order), 2)))
}

func hoeffdingBound(r, delta, n float64) float64 {
	return math.Sqrt((r * r * math.Log(1.0/delta)) / (2.0 * n))
}

// classOrderByStamp lists the classes an observer has seen (stamp != 0) in
// the order River's per-class dict holds them. k is small (the number of
// classes), so an insertion sort is the cheapest.
func classOrderByStamp(dst []int32, stamp func(c int) int64, k int) []int32 {
	dst = dst[:0]
	for c := 0; c < k; c++ {
		st := stamp(c)
		if st == 0 {
			continue
		}
		i := len(dst)
		dst = append(dst, int32(c))
		for i > 0 && stamp(int(dst[i-1])) > st {
			dst[i] = dst[i-1]
			i--
		}
		dst[i] = int32(c)
	}
	return dst
}

// gaussianDists fills d with _class_dists_from_binary_split(threshold).
func gaussianDists(d *splitDists, cells []gaussCell, ord []int32, k int, threshold float64) {
	d.reset(2, k)
	d.ord = ord
	for _, c := range ord {
		g := &cells[c]
		switch {
		case threshold < g.min:
			d.set(1, int(c), g.n)
		case threshold >= g.max:
			d.set(0, int(c), g.n)
		default:
			l := g.cdf(threshold) * g.n
			d.set(0, int(c), l)
			d.set(1, int(c), g.n-l)
		}
	}
}

// bestGaussian is GaussianSplitter.best_evaluated_split_suggestion.
func (t *core) bestGaussian(l *leaf, s int, preEntropy float64) suggestion {
	o := l.obs
	sc := &t.split
	cells := o.cells(s)
	best := suggestion{merit: math.Inf(-1), slot: -1}
	lo, hi := math.Inf(1), math.Inf(-1)
	for c := range cells {
		if cells[c].stamp == 0 {
			continue
		}
		if cells[c].min < lo {
			lo = cells[c].min
		}
		if cells[c].max > hi {
			hi = cells[c].max
		}
	}
	if !(lo < hi) {
		// No threshold lies strictly between min and max (a constant
		// feature, common in sparse data): River returns the null split.
		return best
	}
	sc.ord = classOrderByStamp(sc.ord, func(c int) int64 { return cells[c].stamp }, o.stride)
	bin := (hi - lo) / (float64(t.cfg.nSplits) + 1.0)
	for i := 0; i < t.cfg.nSplits; i++ {
		v := lo + float64(bin*float64(i+1))
		if !(lo < v && v < hi) {
			continue
		}
		gaussianDists(&sc.dists, cells, sc.ord, o.stride, v)
		if m := t.merit(&l.stats, preEntropy, &sc.dists); m > best.merit {
			best = suggestion{merit: m, slot: int32(s), kind: numericBinary, value: v}
		}
	}
	return best
}

// sortedPositions lists a nominal observer's categories by ascending value.
func sortedPositions(dst []int, nom *nominalObs) []int {
	dst = dst[:0]
	for p := range nom.values {
		dst = append(dst, p)
	}
	sort.Slice(dst, func(a, b int) bool { return nom.values[dst[a]] < nom.values[dst[b]] })
	return dst
}

// multiwayDists is _class_dist_from_multiway_split: one branch per category
// in ascending order, classes in ascending order.
func multiwayDists(d *splitDists, nom *nominalObs, pos []int, ord []int32, k int) {
	d.reset(len(pos), k)
	d.ord = ord
	for b, p := range pos {
		row := p * k
		for c := 0; c < k; c++ {
			if nom.has[row+c] {
				d.set(b, c, nom.counts[row+c])
			}
		}
	}
}

// binaryDists is _class_dist_from_binary_split(value): the category against
// all others, classes in the observer's first-touch order.
func binaryDists(d *splitDists, nom *nominalObs, p int, ord []int32, k int) {
	d.reset(2, k)
	d.ord = ord
	for _, c := range ord {
		for q := range nom.values {
			i := q*k + int(c)
			if !nom.has[i] {
				continue
			}
			b := 1
			if q == p {
				b = 0
			}
			j := b*k + int(c)
			d.w[j] += nom.counts[i]
			d.has[j] = true
		}
	}
}

// bestNominal is NominalSplitterClassif.best_evaluated_split_suggestion.
// River visits the binary candidates in the iteration order of a Python
// set of categories (ascending for small non-negative integers, River's
// usual categories); rivulet visits them in ascending order. Only exact
// merit ties between categories could tell the two apart.
func (t *core) bestNominal(l *leaf, s int, preEntropy float64) suggestion {
	o := l.obs
	sc := &t.split
	nom := &o.nominal[o.ref[s]]
	k := o.stride
	best := suggestion{merit: math.Inf(-1), slot: -1}
	sc.pos = sortedPositions(sc.pos, nom)
	if !t.cfg.binarySplit {
		sc.ord = sc.ord[:0]
		for c := 0; c < k; c++ {
			sc.ord = append(sc.ord, int32(c))
		}
		multiwayDists(&sc.dists, nom, sc.pos, sc.ord, k)
		best = suggestion{merit: t.merit(&l.stats, preEntropy, &sc.dists), slot: int32(s), kind: nominalMultiway}
	}
	sc.ord = classOrderByStamp(sc.ord, func(c int) int64 { return nom.stamp[c] }, k)
	for _, p := range sc.pos {
		binaryDists(&sc.dists, nom, p, sc.ord, k)
		if m := t.merit(&l.stats, preEntropy, &sc.dists); m > best.merit {
			best = suggestion{merit: m, slot: int32(s), kind: nominalBinary, value: nom.values[p]}
		}
	}
	return best
}

// suggestions is best_split_suggestions of a majority-class-derived leaf.
func (t *core) suggestions(l *leaf) []suggestion {
	sc := &t.split
	sc.sugg = sc.sugg[:0]
	null := suggestion{merit: math.Inf(-1), slot: -1}
	if m := l.stats.maxWeight(); m != 0 && m/l.stats.total > t.cfg.maxShareToSplit {
		return append(sc.sugg, null)
	}
	if t.cfg.meritPreprune {
		sc.sugg = append(sc.sugg, null)
	}
	pre := 0.0
	if t.cfg.criterion == InfoGain {
		pre = entropyStats(&l.stats)
	}
	o := l.obs
	for s := range o.feat {
		switch o.kind[s] {
		case slotNumeric:
			sc.sugg = append(sc.sugg, t.bestGaussian(l, s, pre))
		case slotNominal:
			sc.sugg = append(sc.sugg, t.bestNominal(l, s, pre))
		}
	}
	return sc.sugg
}

// attemptSplit is _attempt_to_split for the leaf node n, reached from
// parent's child pidx (parent nil: n is the root).
func (t *core) attemptSplit(n, parent *node, pidx int) {
	l := n.leaf
	if l.stats.isPure() {
		return
	}
	sugg := t.suggestions(l)
	// Python's list.sort is stable: among equal merits the later
	// candidate (in splitter order) ends up last and wins.
	slices.SortStableFunc(sugg, func(a, b suggestion) int { return cmp.Compare(a.merit, b.merit) })
	shouldSplit := false
	if len(sugg) < 2 {
		shouldSplit = len(sugg) > 0
	} else {
		bound := hoeffdingBound(t.rangeOfMerit(&l.stats), t.cfg.delta, l.stats.total)
		best, second := sugg[len(sugg)-1], sugg[len(sugg)-2]
		if best.merit-second.merit > bound || bound < t.cfg.tau {
			shouldSplit = true
		}
		if t.cfg.removePoorAttrs {
			t.removePoor(l, sugg, best.merit, bound)
		}
	}
	if !shouldSplit {
		return
	}
	d := sugg[len(sugg)-1]
	before := t.subtreeAgg(n)
	if d.slot < 0 {
		// Pre-pruning: "no split" won. With River's -inf null merit this
		// happens when the majority class exceeds max_share_to_split, or
		// when every candidate is -inf and the tie is forced by tau.
		l.deactivate()
	} else {
		br := t.buildBranch(l, d)
		if parent == nil {
			t.root = br
		} else {
			parent.children[pidx] = br
		}
		n = br
		t.structStamp++
	}
	t.shiftPath(before, t.subtreeAgg(n))
	t.enforceSizeLimit()
}

// removePoor is remove_poor_attrs. River's disable_attribute acts only in
// majority-class leaves (naive Bayes leaves keep every observer). River
// also skips a feature whose key is falsy (the integer 0); rivulet's
// features are indices, so none is skipped.
func (t *core) removePoor(l *leaf, sugg []suggestion, best, bound float64) {
	if t.nbaLeaves() || t.cfg.leafPrediction != MajorityClass {
		return
	}
	sc := &t.split
	sc.poor = sc.poor[:0]
	for _, s := range sugg {
		if s.slot >= 0 && best-s.merit > bound {
			sc.poor = append(sc.poor, l.obs.feat[s.slot])
		}
	}
	for _, f := range sc.poor {
		l.disable(f)
	}
}

// buildBranch assembles the winning suggestion: a branch at the leaf's
// depth whose children are new leaves initialised with the post-split
// class distributions.
func (t *core) buildBranch(l *leaf, d suggestion) *node {
	o := l.obs
	s := int(d.slot)
	sc := &t.split
	br := &node{kind: d.kind, feature: o.feat[s], threshold: d.value, depth: l.depth}
	switch d.kind {
	case numericBinary:
		cells := o.cells(s)
		sc.ord = classOrderByStamp(sc.ord, func(c int) int64 { return cells[c].stamp }, o.stride)
		gaussianDists(&sc.dists, cells, sc.ord, o.stride, d.value)
	case nominalBinary:
		nom := &o.nominal[o.ref[s]]
		sc.ord = classOrderByStamp(sc.ord, func(c int) int64 { return nom.stamp[c] }, o.stride)
		binaryDists(&sc.dists, nom, nom.find(d.value), sc.ord, o.stride)
	case nominalMultiway:
		nom := &o.nominal[o.ref[s]]
		sc.pos = sortedPositions(sc.pos, nom)
		sc.ord = sc.ord[:0]
		for c := 0; c < o.stride; c++ {
			sc.ord = append(sc.ord, int32(c))
		}
		multiwayDists(&sc.dists, nom, sc.pos, sc.ord, o.stride)
		br.threshold = 0
		br.values = make([]float64, 0, len(sc.pos))
		for _, p := range sc.pos {
			br.values = append(br.values, nom.values[p])
		}
		if len(br.values) > nominalIndexFrom {
			br.index = make(map[float64]int32, len(br.values))
			for i, v := range br.values {
				br.index[v] = int32(i)
			}
		}
	}
	dd := &sc.dists
	if br.kind != nominalMultiway && dd.nb == 2 {
		br.children = br.kids[:]
	} else {
		br.children = make([]*node, dd.nb)
	}
	for b := 0; b < dd.nb; b++ {
		var cs classStats
		row := b * dd.k
		for _, c := range dd.ord {
			if dd.has[row+int(c)] {
				cs.add(int(c), dd.w[row+int(c)])
			}
		}
		br.children[b] = t.newLeaf(cs, l.depth+1)
	}
	if t.adaptive {
		br.ada = &adaBranch{det: t.cfg.detector.CloneFresh()}
	}
	return br
}
