package linearmodel

import (
	"math"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// farOffset moves feature indices to MaliciousURL's range, past any
// direct table of the slot index.
const farOffset = 3_000_000

func shifted(x feature.Vector, by int32) feature.Vector {
	idx := make([]int32, len(x.Idx))
	for k, i := range x.Idx {
		idx[k] = i + by
	}
	return feature.Sparse(idx, x.Val)
}

// TestFarIndicesLearnTheSame: moving every feature index by three million
// changes neither predictions nor weights (bit for bit), and the model's
// memory stays proportional to its few features; sized by the largest
// index it took 24 MB.
func TestFarIndicesLearnTheSame(t *testing.T) {
	stream := regStream(5, 300, 8, true)
	near, _ := NewLinearRegression(WithL2(0.01))
	far, _ := NewLinearRegression(WithL2(0.01))
	nearClf, _ := NewLogisticRegression()
	farClf, _ := NewLogisticRegression()
	for n, r := range stream {
		fx := shifted(r.x, farOffset)
		if a, b := near.PredictOne(r.x), far.PredictOne(fx); a != b {
			t.Fatalf("record %d: near predicts %v, far %v", n, a, b)
		}
		if a, b := nearClf.ProbaTrue(r.x), farClf.ProbaTrue(fx); a != b {
			t.Fatalf("record %d: near P(1) %v, far %v", n, a, b)
		}
		near.LearnOne(r.x, r.y)
		far.LearnOne(fx, r.y)
		y := 0
		if r.y > 3 {
			y = 1
		}
		nearClf.LearnOne(r.x, y)
		farClf.LearnOne(fx, y)
	}
	for i := range 8 {
		if near.Weight(i) != far.Weight(i+farOffset) || near.Weight(i) == 0 {
			t.Errorf("feature %d: near weight %v, far %v", i, near.Weight(i), far.Weight(i+farOffset))
		}
	}
	if far.NumFeatures() != 8 {
		t.Errorf("NumFeatures = %d, want 8", far.NumFeatures())
	}
	for _, m := range []interface{ MemoryBytes() int64 }{far, farClf} {
		if b := m.MemoryBytes(); b > 16_000 {
			t.Errorf("%T with 8 features near index %d: %d bytes", m, farOffset, b)
		}
	}
}

// TestDenseNaNGetsNoWeight: a missing dense feature has no key in River's
// weights dict, so it gets no weight until it is present.
func TestDenseNaNGetsNoWeight(t *testing.T) {
	m, _ := NewLogisticRegression()
	m.LearnOne(feature.Dense([]float64{1, math.NaN(), 2}), 1)
	if m.NumFeatures() != 2 {
		t.Fatalf("NumFeatures = %d, want 2", m.NumFeatures())
	}
	if f, w := m.FeatureWeight(1); f != 2 || w <= 0 {
		t.Errorf("second weighted feature = %d (weight %v), want feature 2 with a positive weight", f, w)
	}
	m.LearnOne(feature.Dense([]float64{1, 3, 2}), 0)
	if m.NumFeatures() != 3 || m.Weight(1) >= 0 {
		t.Errorf("after feature 1 appears: %d features, weight %v", m.NumFeatures(), m.Weight(1))
	}
	if w := m.Weights(); len(w) != 3 || w[1] != m.Weight(1) {
		t.Errorf("Weights() = %v", w)
	}
}

func TestLearnAllocatesNothing(t *testing.T) {
	sparse := regStream(2, 50, 12, true)
	dense := regStream(2, 50, 12, false)
	m, _ := NewLinearRegression()
	for _, s := range [][]regRecord{sparse, dense} {
		for _, r := range s {
			m.LearnOne(shifted(r.x, farOffset), r.y)
			m.LearnOne(r.x, r.y)
		}
	}
	far := shifted(sparse[7].x, farOffset)
	allocs := testing.AllocsPerRun(100, func() {
		m.LearnOne(far, 1)
		m.LearnOne(sparse[3].x, 1)
		m.LearnOne(dense[3].x, 1)
		m.PredictOne(far)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per learning round, want 0", allocs)
	}
}

// legacyLogReg writes a LogisticRegression snapshot in layout version 1,
// which stored the weights densely by feature index.
type legacyLogReg struct{ m *LogisticRegression }

func (l legacyLogReg) SnapshotKind() string { return kindLogisticRegression }

func (l legacyLogReg) EncodeSnapshot(e *snapshot.Encoder) {
	c := l.m.cfg
	e.Int(1)
	for _, v := range []float64{c.lr, c.interceptLR, c.interceptInit, c.l2, c.clipGradient, c.weightPos, c.weightNeg} {
		e.Float(v)
	}
	e.Bool(c.classWeights)
	e.Float(l.m.intercept)
	e.Floats(l.m.Weights())
}

func TestSnapshotLayouts(t *testing.T) {
	stream := regStream(9, 120, 6, true)
	m, _ := NewLogisticRegression(WithL2(0.001))
	label := func(r regRecord) int {
		if r.y > 3 {
			return 1
		}
		return 0
	}
	for _, r := range stream[:60] {
		m.LearnOne(shifted(r.x, 70_000), label(r))
	}
	v1, err := snapshot.Unmarshal(snapshot.Marshal(legacyLogReg{m}))
	if err != nil {
		t.Fatal(err)
	}
	v2, err := snapshot.Unmarshal(snapshot.Marshal(m))
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range []*LogisticRegression{v1.(*LogisticRegression), v2.(*LogisticRegression)} {
		if got.NumFeatures() != m.NumFeatures() {
			t.Fatalf("restored %d features, want %d", got.NumFeatures(), m.NumFeatures())
		}
		for _, r := range stream[60:] {
			x := shifted(r.x, 70_000)
			if a, b := m.ProbaTrue(x), got.ProbaTrue(x); a != b {
				t.Fatalf("restored model predicts %v, original %v", b, a)
			}
		}
	}
	for _, r := range stream[60:] {
		x := shifted(r.x, 70_000)
		m.LearnOne(x, label(r))
		v2.(*LogisticRegression).LearnOne(x, label(r))
	}
	checkFloats(t, "weights after restoring", v2.(*LogisticRegression).Weights(), m.Weights())
}
