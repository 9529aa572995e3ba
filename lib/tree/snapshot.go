package tree

import (
	"math"

	"github.com/rivulet-ml/rivulet/lib/drift"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// Snapshot kinds of the two trees.
const (
	KindHoeffdingTree         = "tree.HoeffdingTreeClassifier"
	KindHoeffdingAdaptiveTree = "tree.HoeffdingAdaptiveTreeClassifier"
)

// Limits that keep a corrupt snapshot from asking for absurd allocations
// or recursion; real trees are far below them.
const (
	maxSnapshotClasses = 1 << 16
	maxSnapshotDepth   = 4096
	maxSnapshotFeature = math.MaxInt32
	maxSnapshotSplits  = 1 << 16
)

// SnapshotKind is KindHoeffdingTree.
func (h *HoeffdingTreeClassifier) SnapshotKind() string { return KindHoeffdingTree }

// SnapshotKind is KindHoeffdingAdaptiveTree.
func (h *HoeffdingAdaptiveTreeClassifier) SnapshotKind() string { return KindHoeffdingAdaptiveTree }

// EncodeSnapshot writes the whole model: parameters, tree, observers,
// drift detectors and generator states, so that a decoded model predicts
// and keeps learning exactly like the original.
func (h *HoeffdingTreeClassifier) EncodeSnapshot(e *snapshot.Encoder) { h.c.encode(e, true) }

// EncodeSnapshot writes the whole model (see HoeffdingTreeClassifier's).
func (h *HoeffdingAdaptiveTreeClassifier) EncodeSnapshot(e *snapshot.Encoder) { h.c.encode(e, true) }

// EncodeShared writes the tree without the state of a leaf feature
// sampler's generator, for an owner (an adaptive random forest) that
// shares one generator among its trees and snapshots it once.
func (h *HoeffdingTreeClassifier) EncodeShared(e *snapshot.Encoder) { h.c.encode(e, false) }

// DecodeHoeffdingTreeShared reads a tree written by EncodeShared and
// attaches rng as its leaf feature sampler's generator (nil if the tree has
// no sampler). Errors are recorded in d and nil is returned.
func DecodeHoeffdingTreeShared(d *snapshot.Decoder, rng *pyrand.Rand) *HoeffdingTreeClassifier {
	c := decodeCore(d, false, false, rng)
	if c == nil {
		return nil
	}
	return &HoeffdingTreeClassifier{c: c}
}

func init() {
	snapshot.Register(KindHoeffdingTree, func(d *snapshot.Decoder) (snapshot.Model, error) {
		c := decodeCore(d, false, true, nil)
		if err := d.Err(); err != nil {
			return nil, err
		}
		return &HoeffdingTreeClassifier{c: c}, nil
	})
	snapshot.Register(KindHoeffdingAdaptiveTree, func(d *snapshot.Decoder) (snapshot.Model, error) {
		c := decodeCore(d, true, true, nil)
		if err := d.Err(); err != nil {
			return nil, err
		}
		return &HoeffdingAdaptiveTreeClassifier{c: c}, nil
	})
}

const layoutVersion = 1

func (t *core) encode(e *snapshot.Encoder, withSamplerRNG bool) {
	e.Int(layoutVersion)
	cfg := &t.cfg
	e.Int(int64(cfg.gracePeriod))
	e.Int(int64(cfg.maxDepth))
	e.String(string(cfg.criterion))
	e.Float(cfg.delta)
	e.Float(cfg.tau)
	e.String(string(cfg.leafPrediction))
	e.Int(int64(cfg.nbThreshold))
	e.Int32s(cfg.nominal)
	e.Int(int64(cfg.nSplits))
	e.Bool(cfg.binarySplit)
	e.Float(cfg.minBranchFraction)
	e.Float(cfg.maxShareToSplit)
	e.Float(cfg.maxSizeMiB)
	e.Int(int64(cfg.memoryEstimatePeriod))
	e.Bool(cfg.stopMemManagement)
	e.Bool(cfg.removePoorAttrs)
	e.Bool(cfg.meritPreprune)
	if t.adaptive {
		e.Bool(cfg.bootstrapSampling)
		e.Int(int64(cfg.driftWindowThreshold))
		e.Float(cfg.switchSignificance)
		e.Int(cfg.seed)
		e.Bool(cfg.seeded)
		drift.EncodeDetector(e, cfg.detector)
		e.Uint64s(t.rng.State())
		e.Int(int64(t.nAlternate))
		e.Int(int64(t.nPrunedAlternate))
		e.Int(int64(t.nSwitchAlternate))
	}
	e.Bool(cfg.sampler != nil)
	if s := cfg.sampler; s != nil {
		e.Int(int64(s.k))
		e.Bool(s.order.byName)
		if s.order.byName {
			names := s.order.schema.Names()
			e.Uint(uint64(len(names)))
			for _, n := range names {
				e.String(n)
			}
		}
		e.Bool(withSamplerRNG)
		if withSamplerRNG {
			e.Uint64s(s.rng.State())
		}
	}
	e.Int(int64(t.classes))
	var seen []int32
	for c, ok := range t.seen {
		if ok {
			seen = append(seen, int32(c))
		}
	}
	e.Int32s(seen)
	e.Float(t.trainWeight)
	e.Bool(t.growthAllowed)
	e.Int(t.obsPeak)
	e.Bool(t.root != nil)
	if t.root != nil {
		t.encodeNode(e, t.root)
	}
}

func encodeStats(e *snapshot.Encoder, s *classStats) {
	e.Int32s(s.order)
	for _, c := range s.order {
		e.Float(s.w[c])
	}
}

func (t *core) encodeNode(e *snapshot.Encoder, n *node) {
	if l := n.leaf; l != nil {
		e.Uint(0)
		encodeStats(e, &l.stats)
		e.Int(int64(l.depth))
		e.Float(l.lastSplitAt)
		e.Float(l.mcCorrect)
		e.Float(l.nbCorrect)
		e.Int32s(l.disabled)
		e.Int32s(l.sampled)
		if t.adaptive {
			drift.EncodeDetector(e, l.det)
			e.Float(l.err.n)
			e.Float(l.err.mean)
		}
		e.Bool(l.obs != nil)
		if o := l.obs; o != nil {
			encodeObservers(e, o)
		}
		return
	}
	e.Uint(1)
	e.Int(int64(n.kind))
	e.Int(int64(n.feature))
	e.Float(n.threshold)
	e.Floats(n.values)
	e.Int(int64(n.depth))
	e.Uint(uint64(len(n.children)))
	for _, c := range n.children {
		t.encodeNode(e, c)
	}
	if t.adaptive {
		a := n.ada
		encodeStats(e, &a.stats)
		drift.EncodeDetector(e, a.det)
		e.Float(a.err.n)
		e.Float(a.err.mean)
		e.Bool(a.alt != nil)
		if a.alt != nil {
			t.encodeNode(e, a.alt)
		}
	}
}

func encodeObservers(e *snapshot.Encoder, o *observers) {
	e.Int(int64(o.stride))
	e.Int(o.stamp)
	e.Uint(uint64(len(o.feat)))
	for s, f := range o.feat {
		e.Int(int64(f))
		e.Int(int64(o.kind[s]))
		switch o.kind[s] {
		case slotNumeric:
			for _, g := range o.cells(s) {
				e.Float(g.n)
				e.Float(g.mean)
				e.Float(g.s)
				e.Float(g.min)
				e.Float(g.max)
				e.Int(g.stamp)
			}
		case slotNominal:
			nom := &o.nominal[o.ref[s]]
			e.Floats(nom.values)
			for i, h := range nom.has {
				e.Bool(h)
				if h {
					e.Float(nom.counts[i])
				}
			}
			for c := 0; c < o.stride; c++ {
				e.Float(nom.classTotal[c])
				e.Int(nom.stamp[c])
			}
		}
	}
}

// decoder wraps snapshot.Decoder with the tree being rebuilt.
type decoder struct {
	d *snapshot.Decoder
	t *core
}

func (dd *decoder) fail(format string, args ...any) { dd.d.Fail(format, args...) }
func (dd *decoder) ok() bool                        { return dd.d.Err() == nil }

func decodeCore(d *snapshot.Decoder, adaptive, standalone bool, sharedRNG *pyrand.Rand) *core {
	d.Version(layoutVersion)
	opts := []Option{
		WithGracePeriod(int(d.IntIn(1, math.MaxInt32))),
		WithMaxDepth(int(d.IntIn(-1, math.MaxInt32))),
		WithSplitCriterion(SplitCriterion(d.String())),
		WithDelta(d.Float()),
		WithTau(d.Float()),
		WithLeafPrediction(LeafPrediction(d.String())),
		WithNBThreshold(int(d.IntIn(0, math.MaxInt32))),
	}
	nominal := d.Int32s()
	for _, f := range nominal {
		if f < 0 {
			d.Fail("negative nominal feature %d", f)
		}
	}
	nom := make([]int, len(nominal))
	for i, f := range nominal {
		nom[i] = int(f)
	}
	opts = append(opts,
		WithNominalAttributes(nom...),
		WithSplits(int(d.IntIn(1, maxSnapshotSplits))),
		WithBinarySplit(d.Bool()),
		WithMinBranchFraction(d.Float()),
		WithMaxShareToSplit(d.Float()),
		WithMaxSize(d.Float()),
		WithMemoryEstimatePeriod(int(d.IntIn(1, math.MaxInt64))),
		WithStopMemManagement(d.Bool()),
		WithRemovePoorAttrs(d.Bool()),
		WithMeritPreprune(d.Bool()),
	)
	var rngState []uint64
	var nAlt, nPruned, nSwitch int64
	if adaptive {
		opts = append(opts,
			WithBootstrapSampling(d.Bool()),
			WithDriftWindowThreshold(int(d.IntIn(0, math.MaxInt32))),
			WithSwitchSignificance(d.Float()))
		seed := d.Int()
		if d.Bool() {
			opts = append(opts, WithSeed(seed))
		}
		det := drift.DecodeDetector(d)
		if d.Err() == nil && det == nil {
			d.Fail("missing drift detector prototype")
		}
		if det != nil {
			opts = append(opts, WithDriftDetector(det))
		}
		rngState = d.Uint64s()
		nAlt = d.IntIn(0, math.MaxInt64)
		nPruned = d.IntIn(0, math.MaxInt64)
		nSwitch = d.IntIn(0, math.MaxInt64)
	}
	if d.Bool() {
		k := int(d.IntIn(1, math.MaxInt32))
		order := ByIndex
		if d.Bool() {
			n := d.Len(1)
			names := make([]string, 0, n)
			for i := 0; i < n && d.Err() == nil; i++ {
				names = append(names, d.String())
			}
			order = ByName(feature.NewSchema(names...))
		}
		rng := sharedRNG
		if d.Bool() {
			state := d.Uint64s()
			// A generator handed in by the owner wins over a stored state.
			if d.Err() == nil && rng == nil {
				rng = pyrand.New(0)
				if !rng.SetState(state) {
					d.Fail("invalid leaf sampler generator state")
				}
			}
		} else if rng == nil && d.Err() == nil {
			d.Fail("tree shares its leaf sampler generator with an owner; decode it with DecodeHoeffdingTreeShared")
		}
		if rng != nil {
			opts = append(opts, WithLeafFeatureSampler(rng, k, order))
		}
	}
	if d.Err() != nil {
		return nil
	}
	cfg, err := buildConfig(adaptive, opts)
	if err != nil {
		d.Fail("%v", err)
		return nil
	}
	t := newCore(cfg, adaptive)
	if adaptive {
		if !t.rng.SetState(rngState) {
			d.Fail("invalid bootstrap generator state")
			return nil
		}
		t.nAlternate, t.nPrunedAlternate, t.nSwitchAlternate = int(nAlt), int(nPruned), int(nSwitch)
	}
	classes := int(d.IntIn(0, maxSnapshotClasses))
	seen := d.Int32s()
	if d.Err() != nil {
		return nil
	}
	if classes > 0 {
		t.noteClass(classes - 1)
		t.seen[classes-1] = false
	}
	for _, c := range seen {
		if c < 0 || int(c) >= classes {
			d.Fail("seen class %d outside [0, %d)", c, classes)
			return nil
		}
		t.seen[c] = true
	}
	t.trainWeight = d.Float()
	t.growthAllowed = d.Bool()
	t.obsPeak = d.IntIn(0, math.MaxInt64)
	dd := &decoder{d: d, t: t}
	if d.Bool() {
		t.root = dd.node(0)
	}
	if d.Err() != nil {
		return nil
	}
	return t
}

func (dd *decoder) stats(s *classStats) {
	order := dd.d.Int32s()
	if !dd.ok() {
		return
	}
	for _, c := range order {
		w := dd.d.Float()
		if c < 0 || int(c) >= dd.t.classes {
			dd.fail("class %d outside [0, %d)", c, dd.t.classes)
			return
		}
		if !(w >= 0) || math.IsInf(w, 0) {
			dd.fail("class weight %v", w)
			return
		}
		if int(c) < len(s.has) && s.has[c] {
			dd.fail("class %d listed twice", c)
			return
		}
		s.add(int(c), w)
	}
}

func (dd *decoder) features(list []int32, what string) bool {
	for i, f := range list {
		if f < 0 || (i > 0 && what == "disabled" && f <= list[i-1]) {
			dd.fail("invalid %s feature list", what)
			return false
		}
	}
	return true
}

func (dd *decoder) detector() drift.Detector {
	det := drift.DecodeDetector(dd.d)
	if dd.ok() && det == nil {
		dd.fail("missing drift detector")
	}
	return det
}

func (dd *decoder) node(level int) *node {
	d, t := dd.d, dd.t
	if level > maxSnapshotDepth {
		dd.fail("tree deeper than %d levels", maxSnapshotDepth)
		return nil
	}
	tag := d.Uint()
	if !dd.ok() {
		return nil
	}
	switch tag {
	case 0:
		l := &leaf{}
		dd.stats(&l.stats)
		l.depth = int(d.IntIn(0, math.MaxInt32))
		l.lastSplitAt = d.Float()
		l.mcCorrect = d.Float()
		l.nbCorrect = d.Float()
		l.disabled = d.Int32s()
		l.sampled = d.Int32s()
		if !dd.features(l.disabled, "disabled") || !dd.features(l.sampled, "sampled") {
			return nil
		}
		if t.adaptive {
			l.det = dd.detector()
			l.err.n = d.Float()
			l.err.mean = d.Float()
		}
		if d.Bool() {
			l.obs = dd.observers()
		}
		if !dd.ok() {
			return nil
		}
		return &node{leaf: l, depth: l.depth}
	case 1:
		n := &node{}
		kind := branchKind(d.IntIn(int64(numericBinary), int64(nominalMultiway)))
		n.kind = kind
		n.feature = int32(d.IntIn(0, maxSnapshotFeature))
		n.threshold = d.Float()
		n.values = d.Floats()
		n.depth = int(d.IntIn(0, math.MaxInt32))
		nc := d.Len(1)
		if !dd.ok() {
			return nil
		}
		switch {
		case kind != nominalMultiway && (nc != 2 || len(n.values) != 0):
			dd.fail("binary branch with %d children", nc)
			return nil
		case kind == nominalMultiway && (nc < 1 || len(n.values) != nc):
			dd.fail("multiway branch with %d children and %d categories", nc, len(n.values))
			return nil
		}
		if kind == nominalMultiway {
			n.children = make([]*node, 0, nc)
		} else {
			n.children = n.kids[:0]
		}
		for i := 0; i < nc; i++ {
			c := dd.node(level + 1)
			if c == nil {
				return nil
			}
			n.children = append(n.children, c)
		}
		if kind == nominalMultiway {
			pos := make(map[float64]int32, len(n.values))
			for i, v := range n.values {
				if _, dup := pos[v]; dup || v != v {
					dd.fail("multiway branch category %v repeated or NaN", v)
					return nil
				}
				pos[v] = int32(i)
			}
			if len(n.values) > nominalIndexFrom {
				n.index = pos
			}
		}
		if t.adaptive {
			a := &adaBranch{}
			dd.stats(&a.stats)
			a.det = dd.detector()
			a.err.n = d.Float()
			a.err.mean = d.Float()
			if d.Bool() {
				alt := dd.node(level + 1)
				if alt == nil {
					return nil
				}
				if alt.leaf == nil {
					dd.fail("alternate subtree is not a leaf")
					return nil
				}
				a.alt = alt
			}
			n.ada = a
		}
		if !dd.ok() {
			return nil
		}
		return n
	}
	dd.fail("unknown node tag %d", tag)
	return nil
}

func (dd *decoder) observers() *observers {
	d := dd.d
	stride := int(d.IntIn(2, maxSnapshotClasses))
	stamp := d.IntIn(0, math.MaxInt64)
	ns := d.Len(2)
	if !dd.ok() {
		return nil
	}
	o := newObservers(stride)
	o.stride = stride
	o.stamp = stamp
	for s := 0; s < ns; s++ {
		f := int32(d.IntIn(0, maxSnapshotFeature))
		k := slotKind(d.IntIn(int64(slotNumeric), int64(slotDisabled)))
		if !dd.ok() {
			return nil
		}
		if o.slot(f) >= 0 {
			dd.fail("feature %d observed twice", f)
			return nil
		}
		// Check that the payload can hold the slot before allocating it.
		if (k == slotNumeric && d.Remaining() < stride*41) || (k == slotNominal && d.Remaining() < stride*9) {
			dd.fail("truncated observer")
			return nil
		}
		o.addSlot(f, k)
		switch k {
		case slotNumeric:
			for c := range o.cells(s) {
				g := &o.cells(s)[c]
				g.n, g.mean, g.s, g.min, g.max = d.Float(), d.Float(), d.Float(), d.Float(), d.Float()
				g.stamp = d.IntIn(0, stamp)
				if g.n > 1 {
					g.variance = g.s / (g.n - 1)
				}
				g.halfLogVar = math.NaN()
			}
		case slotNominal:
			nom := &o.nominal[o.ref[s]]
			values := d.Floats()
			if !dd.ok() {
				return nil
			}
			for _, v := range values {
				if nom.find(v) >= 0 || v != v {
					dd.fail("nominal observer category %v repeated or NaN", v)
					return nil
				}
				if d.Remaining() < stride {
					dd.fail("truncated nominal observer")
					return nil
				}
				p := nom.add(v, stride)
				for c := 0; c < stride; c++ {
					if d.Bool() {
						w := d.Float()
						nom.has[p*stride+c] = true
						nom.counts[p*stride+c] = w
					}
				}
			}
			for c := 0; c < stride; c++ {
				nom.classTotal[c] = d.Float()
				nom.stamp[c] = d.IntIn(0, stamp)
			}
		}
		if !dd.ok() {
			return nil
		}
	}
	o.resized()
	return o
}
