package forest

import (
	"github.com/rivulet-ml/rivulet/lib/drift"
	"github.com/rivulet-ml/rivulet/lib/ensemble"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
	"github.com/rivulet-ml/rivulet/lib/tree"
)

// ARFSnapshotKind is the snapshot kind of ARFClassifier.
const ARFSnapshotKind = "forest.ARFClassifier"

func init() {
	snapshot.Register(ARFSnapshotKind, func(d *snapshot.Decoder) (snapshot.Model, error) {
		f := decodeARF(d)
		if err := d.Err(); err != nil {
			return nil, err
		}
		return f, nil
	})
}

// SnapshotKind is ARFSnapshotKind.
func (f *ARFClassifier) SnapshotKind() string { return ARFSnapshotKind }

// EncodeSnapshot writes the parameters, the shared generator once, and
// every tree (with its background tree, detectors and accuracy). The
// worker count is not stored: a loaded forest runs on one goroutine until
// SetWorkers.
func (f *ARFClassifier) EncodeSnapshot(e *snapshot.Encoder) {
	f.flush()
	e.Int(1)
	c := &f.cfg
	e.Int(int64(c.nModels))
	e.Int(int64(c.maxFeatures.kind))
	e.Int(int64(c.maxFeatures.count))
	e.Float(c.maxFeatures.fraction)
	e.Float(c.lambda)
	e.Bool(c.disableWeightedVote)
	drift.EncodeDetector(e, c.driftProto)
	drift.EncodeDetector(e, c.warningProto)
	encodeTreeParams(e, &c.tree)
	e.Bool(c.names != nil)
	if c.names != nil {
		names := c.names.Names()
		e.Uint(uint64(len(names)))
		for _, n := range names {
			e.String(n)
		}
	}
	e.Int(c.seed)
	e.Bool(c.seeded)
	ensemble.EncodeRand(e, f.rng)
	e.Int(int64(f.maxFeatures))
	e.Bool(f.proto != nil)
	if f.proto == nil {
		return
	}
	f.proto.EncodeShared(e)
	for _, m := range f.members {
		m.tree.EncodeShared(e)
		e.Bool(m.bg != nil)
		if m.bg != nil {
			m.bg.EncodeShared(e)
		}
		e.Float(m.metric.Correct)
		e.Float(m.metric.Total)
		ensemble.EncodeTracked(e, m.drift)
		ensemble.EncodeTracked(e, m.warning)
		e.Int(int64(m.nDrifts))
		e.Int(int64(m.nWarnings))
	}
}

func encodeTreeParams(e *snapshot.Encoder, p *TreeParams) {
	e.Int(int64(p.GracePeriod))
	e.Int(int64(p.MaxDepth))
	e.String(string(p.SplitCriterion))
	e.Float(p.Delta)
	e.Float(p.Tau)
	e.String(string(p.LeafPrediction))
	e.Int(int64(p.NBThreshold))
	e.Bool(p.NominalAttributes != nil)
	e.Ints(p.NominalAttributes)
	e.Int(int64(p.NSplits))
	e.Bool(p.BinarySplit)
	e.Float(p.MinBranchFraction)
	e.Float(p.MaxShareToSplit)
	e.Float(p.MaxSize)
	e.Int(int64(p.MemoryEstimatePeriod))
	e.Bool(p.StopMemManagement)
	e.Bool(p.RemovePoorAttrs)
	e.Bool(p.MeritPreprune)
}

func decodeTreeParams(d *snapshot.Decoder) TreeParams {
	var p TreeParams
	p.GracePeriod = int(d.IntIn(1, 1<<40))
	p.MaxDepth = int(d.IntIn(-1, 1<<40))
	p.SplitCriterion = tree.SplitCriterion(d.String())
	p.Delta = d.Float()
	p.Tau = d.Float()
	p.LeafPrediction = tree.LeafPrediction(d.String())
	p.NBThreshold = int(d.IntIn(0, 1<<40))
	hasNominal := d.Bool()
	p.NominalAttributes = d.Ints()
	if hasNominal && p.NominalAttributes == nil {
		p.NominalAttributes = []int{}
	}
	p.NSplits = int(d.IntIn(1, 1<<20))
	p.BinarySplit = d.Bool()
	p.MinBranchFraction = d.Float()
	p.MaxShareToSplit = d.Float()
	p.MaxSize = d.Float()
	p.MemoryEstimatePeriod = int(d.IntIn(1, 1<<62))
	p.StopMemManagement = d.Bool()
	p.RemovePoorAttrs = d.Bool()
	p.MeritPreprune = d.Bool()
	return p
}

func decodeARF(d *snapshot.Decoder) *ARFClassifier {
	d.Version(1)
	var c config
	c.nModels = int(d.IntIn(1, 1<<20))
	c.maxFeatures.kind = maxFeaturesKind(d.IntIn(0, int64(maxFeaturesAll)))
	c.maxFeatures.count = int(d.IntIn(-1<<40, 1<<40))
	c.maxFeatures.fraction = d.Float()
	c.lambda = d.Float()
	c.disableWeightedVote = d.Bool()
	c.driftProto = drift.DecodeDetector(d)
	c.warningProto = drift.DecodeDetector(d)
	c.tree = decodeTreeParams(d)
	if d.Bool() {
		n := d.Len(1)
		names := make([]string, 0, n)
		for i := 0; i < n && d.Err() == nil; i++ {
			names = append(names, d.String())
		}
		c.names = feature.NewSchema(names...)
	}
	c.seed = d.Int()
	c.seeded = d.Bool()
	c.workers = 1
	if d.Err() != nil {
		return nil
	}
	if !(c.lambda > 0) {
		d.Fail("lambda_value %v is not positive", c.lambda)
		return nil
	}
	if _, err := newTree(&c, 1, pyrand.New(0)); err != nil {
		d.Fail("tree parameters: %v", err)
		return nil
	}
	f := &ARFClassifier{cfg: c}
	f.rng = ensemble.DecodeRand(d)
	f.maxFeatures = int(d.IntIn(0, 1<<40))
	if !d.Bool() || d.Err() != nil {
		return f
	}
	f.proto = tree.DecodeHoeffdingTreeShared(d, f.rng)
	f.poisson = ensemble.NewPoisson(c.lambda)
	for i := 0; i < c.nModels && d.Err() == nil; i++ {
		m := &member{tree: tree.DecodeHoeffdingTreeShared(d, f.rng)}
		if d.Bool() {
			m.bg = tree.DecodeHoeffdingTreeShared(d, f.rng)
		}
		m.metric.Correct = d.Float()
		m.metric.Total = d.Float()
		m.drift = ensemble.DecodeTracked(d)
		m.warning = ensemble.DecodeTracked(d)
		m.nDrifts = int(d.IntIn(0, 1<<62))
		m.nWarnings = int(d.IntIn(0, 1<<62))
		f.members = append(f.members, m)
	}
	if d.Err() != nil {
		return nil
	}
	f.allocScratch()
	return f
}
