package ensemble

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/drift"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// SRPSnapshotKind is the snapshot kind of SRPClassifier.
const SRPSnapshotKind = "ensemble.SRPClassifier"

func init() {
	snapshot.Register(SRPSnapshotKind, func(d *snapshot.Decoder) (snapshot.Model, error) {
		s, err := decodeSRP(d)
		if err != nil {
			return nil, err
		}
		return s, nil
	})
}

// EncodeModel writes a nested model as a complete snapshot (kind, payload
// and checksum), so any registered model can be a member.
func EncodeModel(e *snapshot.Encoder, m base.Classifier) {
	sm, ok := m.(snapshot.Model)
	if !ok {
		// Constructors reject models without snapshots; reaching this is a
		// programming error.
		panic(fmt.Sprintf("ensemble: member %T cannot be snapshotted", m))
	}
	e.Blob(snapshot.Marshal(sm))
}

// DecodeModel reads a model written by EncodeModel.
func DecodeModel(d *snapshot.Decoder) base.Classifier {
	b := d.Blob()
	if d.Err() != nil {
		return nil
	}
	m, err := snapshot.Unmarshal(b)
	if err != nil {
		d.Fail("member model: %v", err)
		return nil
	}
	c, ok := m.(base.Classifier)
	if !ok {
		d.Fail("member model of kind %s is not a classifier", m.SnapshotKind())
		return nil
	}
	return c
}

// EncodeRand writes a generator's state; DecodeRand restores it.
func EncodeRand(e *snapshot.Encoder, r *pyrand.Rand) { e.Uint64s(r.State()) }

// DecodeRand reads a generator written by EncodeRand.
func DecodeRand(d *snapshot.Decoder) *pyrand.Rand {
	st := d.Uint64s()
	r := pyrand.New(0)
	if d.Err() == nil && !r.SetState(st) {
		d.Fail("invalid random generator state (%d words)", len(st))
	}
	return r
}

// EncodeTracked writes a tracked detector (nil detectors included).
func EncodeTracked(e *snapshot.Encoder, t TrackedDetector) {
	drift.EncodeDetector(e, t.Det)
	e.Int(int64(t.Ticks))
}

// DecodeTracked reads a tracked detector written by EncodeTracked.
func DecodeTracked(d *snapshot.Decoder) TrackedDetector {
	det := drift.DecodeDetector(d)
	ticks := int(d.IntIn(0, 1<<62))
	return TrackedDetector{Det: det, Ticks: ticks}
}

// SnapshotKind is SRPSnapshotKind.
func (s *SRPClassifier) SnapshotKind() string { return SRPSnapshotKind }

// EncodeSnapshot writes the parameters, the generator, every member with
// its detectors and background learner, and the prototype model. The
// worker count is not stored: a loaded ensemble runs on one goroutine
// until SetWorkers.
func (s *SRPClassifier) EncodeSnapshot(e *snapshot.Encoder) {
	e.Int(1)
	c := &s.cfg
	e.Int(int64(c.nModels))
	e.Int(int64(c.subspace.kind))
	e.Float(c.subspace.fraction)
	e.Int(int64(c.subspace.count))
	e.Int(int64(c.method))
	e.Int(int64(s.method))
	e.Float(c.lambda)
	drift.EncodeDetector(e, c.driftProto)
	drift.EncodeDetector(e, c.warningProto)
	e.Int(int64(c.detectorMode))
	e.Bool(c.disableWeightedVote)
	e.Int(c.seed)
	e.Bool(c.seeded)
	e.Bool(c.weightedLearning)
	EncodeModel(e, c.model)
	EncodeRand(e, s.rng)
	e.Int(int64(s.nSeen))
	e.Uint(uint64(len(s.members)))
	for _, m := range s.members {
		m.encode(e)
	}
}

func (m *srpMember) encode(e *snapshot.Encoder) {
	EncodeModel(e, m.model)
	e.Float(m.metric.Correct)
	e.Float(m.metric.Total)
	e.Bool(m.features != nil)
	if m.features != nil {
		e.Ints(m.features)
	}
	EncodeTracked(e, m.drift)
	EncodeTracked(e, m.warning)
	e.Bool(m.isBG)
	e.Int(int64(m.nDrifts))
	e.Int(int64(m.nWarnings))
	e.Int(int64(m.createdOn))
	e.Bool(m.bg != nil)
	if m.bg != nil {
		m.bg.encode(e)
	}
}

func decodeSRP(d *snapshot.Decoder) (*SRPClassifier, error) {
	d.Version(1)
	var c srpConfig
	c.nModels = int(d.IntIn(1, 1<<20))
	c.subspace.kind = subspaceKind(d.IntIn(0, int64(subspaceRmSqrt)))
	c.subspace.fraction = d.Float()
	c.subspace.count = int(d.IntIn(-1<<31, 1<<31))
	c.method = TrainingMethod(d.IntIn(0, int64(Resampling)))
	method := TrainingMethod(d.IntIn(0, int64(Resampling)))
	c.lambda = d.Float()
	c.driftProto = drift.DecodeDetector(d)
	c.warningProto = drift.DecodeDetector(d)
	c.detectorMode = DetectorMode(d.IntIn(0, int64(NoWarningDetection)))
	c.disableWeightedVote = d.Bool()
	c.seed = d.Int()
	c.seeded = d.Bool()
	c.weightedLearning = d.Bool()
	c.model = DecodeModel(d)
	c.workers = 1
	if d.Err() != nil {
		return nil, d.Err()
	}
	if _, ok := c.model.(base.Cloner); !ok {
		return nil, fmt.Errorf("ensemble: SRP snapshot's base model %T cannot be cloned", c.model)
	}
	s := &SRPClassifier{cfg: c, method: method, projDirty: true}
	s.rng = DecodeRand(d)
	s.nSeen = int(d.IntIn(0, 1<<62))
	n := d.Len(8)
	if d.Err() == nil && n != 0 && n != c.nModels {
		d.Fail("%d members for n_models=%d", n, c.nModels)
	}
	for i := 0; i < n && d.Err() == nil; i++ {
		s.members = append(s.members, decodeSRPMember(d, 0))
	}
	if d.Err() != nil {
		return nil, d.Err()
	}
	return s, nil
}

func decodeSRPMember(d *snapshot.Decoder, depth int) *srpMember {
	m := &srpMember{}
	m.model = DecodeModel(d)
	m.metric.Correct = d.Float()
	m.metric.Total = d.Float()
	if d.Bool() {
		f := d.Ints()
		if f == nil {
			f = []int{}
		}
		m.setFeatures(f)
	}
	m.drift = DecodeTracked(d)
	m.warning = DecodeTracked(d)
	m.isBG = d.Bool()
	m.nDrifts = int(d.IntIn(0, 1<<62))
	m.nWarnings = int(d.IntIn(0, 1<<62))
	m.createdOn = int(d.IntIn(0, 1<<62))
	if d.Bool() {
		if depth > 0 {
			d.Fail("a background learner has its own background learner")
			return m
		}
		m.bg = decodeSRPMember(d, depth+1)
	}
	return m
}
