package naivebayes

import (
	"math"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/models"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

var (
	_ base.Classifier     = (*GaussianNB)(nil)
	_ base.MemoryReporter = (*GaussianNB)(nil)
	_ base.Cloner         = (*GaussianNB)(nil)
	_ snapshot.Model      = (*GaussianNB)(nil)
	_ base.Classifier     = (*BernoulliNB)(nil)
	_ base.MemoryReporter = (*BernoulliNB)(nil)
	_ base.Cloner         = (*BernoulliNB)(nil)
	_ snapshot.Model      = (*BernoulliNB)(nil)
)

// bruteJLL is River's BernoulliNB.joint_log_likelihood written literally:
// for every seen feature, in first-seen order, log(1e-9 + p) when present
// above the threshold and log(1e-9 + (1 − p)) otherwise.
func bruteJLL(m *BernoulliNB, order []int, x feature.Vector, c int) float64 {
	pc := m.perClass[c]
	s := 0.0
	for _, f := range order {
		slot, ok := m.slots.Lookup(f)
		if !ok {
			panic("feature not interned")
		}
		k := pc.counts[slot]
		p := (k + m.alpha) / (m.classes.count[c] + m.alpha*2)
		if v, ok := x.Get(f); ok && v > m.threshold {
			s += math.Log(1e-09 + p)
		} else {
			s += math.Log(1e-09 + (1.0 - p))
		}
	}
	return math.Log(m.classes.count[c]/m.classes.total()) + s
}

// The histogram shortcut equals the literal sum over all seen features on
// a stream with many features, large counts (past the dense histogram) and
// weights.
func TestBernoulliNBShortcutEqualsLiteralSum(t *testing.T) {
	r := pyrand.New(11)
	m, _ := NewBernoulliNB(WithAlpha(0.7), WithTrueThreshold(0.25))
	var firstSeen []int
	seen := map[int]bool{}
	var jll []float64
	for i := 0; i < 3000; i++ {
		y := r.RandBelow(4)
		var idx []int32
		var val []float64
		for f := 0; f < 60; f++ {
			// Low features are frequent (counts past the histogram), high ones rare.
			if r.Random() < 1/(1+float64(f)/3) {
				idx = append(idx, int32(f*7+y))
				val = append(val, r.Random())
			}
		}
		x := feature.Sparse(idx, val)
		if i%97 == 0 && i > 0 {
			jll = m.JointLogLikelihood(x, jll)
			for _, c := range m.classes.order {
				want := bruteJLL(m, firstSeen, x, c)
				if math.Abs(jll[c]-want) > 1e-10*math.Abs(want) {
					t.Fatalf("record %d class %d: jll %.17g, literal River sum %.17g", i, c, jll[c], want)
				}
			}
		}
		w := 1.0
		if i%5 == 0 {
			w = 2.5 // fractional counts make features heavy
		}
		m.LearnWeighted(x, y, w)
		for _, f := range idx {
			if !seen[int(f)] {
				seen[int(f)] = true
				firstSeen = append(firstSeen, int(f))
			}
		}
	}
	if m.NumFeatures() != len(firstSeen) {
		t.Fatalf("NumFeatures %d, want %d", m.NumFeatures(), len(firstSeen))
	}
	for slot, f := range m.slots.Features() {
		if int(f) != firstSeen[slot] {
			t.Fatalf("slot %d holds feature %d, first-seen order has %d", slot, f, firstSeen[slot])
		}
	}
	large := 0
	for _, pc := range m.perClass {
		large += len(pc.heavy)
	}
	if large == 0 {
		t.Fatal("the test never exercised heavy features")
	}
}

// For BernoulliNB an integer weight is exactly that many LearnOne calls.
func TestBernoulliNBIntegerWeightEqualsRepeats(t *testing.T) {
	stream := bernStream()
	a, _ := NewBernoulliNB()
	b, _ := NewBernoulliNB()
	var pa, pb []float64
	for i, r := range stream {
		w := i%3 + 1
		a.LearnWeighted(r.x, r.y, float64(w))
		for k := 0; k < w; k++ {
			b.LearnOne(r.x, r.y)
		}
		pa = a.PredictProbaOne(r.x, pa)
		pb = b.PredictProbaOne(r.x, pb)
		for c := range pa {
			if pa[c] != pb[c] {
				t.Fatalf("record %d: weighted %v, repeated %v", i, pa, pb)
			}
		}
	}
}

func TestGaussianNBWeightedCloseToRepeats(t *testing.T) {
	dense, _ := gaussStream()
	a, b := NewGaussianNB(), NewGaussianNB()
	var pa, pb []float64
	for i, r := range dense {
		a.LearnWeighted(r.x, r.y, 3)
		for k := 0; k < 3; k++ {
			b.LearnOne(r.x, r.y)
		}
		pa = a.PredictProbaOne(r.x, pa)
		pb = b.PredictProbaOne(r.x, pb)
		for c := range pa {
			if math.Abs(pa[c]-pb[c]) > 1e-9 {
				t.Fatalf("record %d: weighted %v, repeated %v", i, pa, pb)
			}
		}
	}
}

func roundTrip(t *testing.T, m snapshot.Model) base.Classifier {
	t.Helper()
	b := snapshot.Marshal(m)
	got, err := snapshot.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	// Every strict prefix must be rejected, never crash.
	for cut := len(b) - 1; cut >= 0; cut -= max(1, len(b)/200) {
		if _, err := snapshot.Unmarshal(b[:cut]); err == nil {
			t.Fatalf("truncated snapshot (%d of %d bytes) accepted", cut, len(b))
		}
	}
	return got.(base.Classifier)
}

func TestSnapshotsContinueIdentically(t *testing.T) {
	dense, _ := gaussStream()
	bern := bernStream()
	g := NewGaussianNB()
	bn, _ := NewBernoulliNB(WithAlpha(0.5), WithTrueThreshold(0.3))
	for _, r := range dense[:250] {
		g.LearnOne(r.x, r.y)
	}
	for _, r := range bern[:200] {
		bn.LearnOne(r.x, r.y)
	}
	g2 := roundTrip(t, g)
	bn2 := roundTrip(t, bn)
	check := func(name string, a, b base.Classifier, stream []record) {
		var pa, pb []float64
		for i, r := range stream {
			pa = a.PredictProbaOne(r.x, pa)
			pb = b.PredictProbaOne(r.x, pb)
			if len(pa) != len(pb) {
				t.Fatalf("%s record %d: %v vs %v", name, i, pa, pb)
			}
			for c := range pa {
				if pa[c] != pb[c] {
					t.Fatalf("%s record %d: %v vs restored %v", name, i, pa, pb)
				}
			}
			a.LearnOne(r.x, r.y)
			b.LearnOne(r.x, r.y)
		}
	}
	check("GaussianNB", g, g2, dense[250:])
	check("BernoulliNB", bn, bn2, bern[200:])
}

func TestCloneFreshAndEmptyModel(t *testing.T) {
	bn, _ := NewBernoulliNB(WithAlpha(0.5))
	for _, m := range []base.Classifier{NewGaussianNB(), bn} {
		x := feature.Dense([]float64{1, 2})
		if p := m.PredictProbaOne(x, nil); len(p) != 0 {
			t.Fatalf("%T: empty model predicts %v", m, p)
		}
		if y := m.PredictOne(x); y != -1 {
			t.Fatalf("%T: empty model PredictOne = %d", m, y)
		}
		m.LearnOne(x, 2)
		if p := m.PredictProbaOne(x, nil); len(p) != 3 || p[2] != 1 || p[0] != 0 {
			t.Fatalf("%T: after one record of class 2: %v", m, p)
		}
		c := m.(base.Cloner).CloneFresh()
		if p := c.PredictProbaOne(x, nil); len(p) != 0 {
			t.Fatalf("%T: CloneFresh kept state", m)
		}
		if mr := m.(base.MemoryReporter).MemoryBytes(); mr <= 0 {
			t.Fatalf("%T: MemoryBytes %d", m, mr)
		}
	}
	if c := bn.CloneFresh().(*BernoulliNB); c.Alpha() != 0.5 {
		t.Fatal("CloneFresh lost alpha")
	}
}

func TestBadInput(t *testing.T) {
	if _, err := NewBernoulliNB(WithAlpha(-1)); err == nil {
		t.Error("negative alpha accepted")
	}
	if _, err := NewBernoulliNB(WithTrueThreshold(math.NaN())); err == nil {
		t.Error("NaN threshold accepted")
	}
	for _, f := range []func(){
		func() { NewGaussianNB().LearnOne(feature.Dense([]float64{1}), -1) },
		func() { NewGaussianNB().LearnWeighted(feature.Dense([]float64{1}), 0, -1) },
		func() { NewGaussianNB().LearnWeighted(feature.Dense([]float64{1}), 0, math.NaN()) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("invalid learning call accepted")
				}
			}()
			f()
		}()
	}
}

func TestRegistry(t *testing.T) {
	c, err := models.NewClassifier("BernoulliNB", []string{"alpha=0.25", "true_threshold=0.5"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b := c.(*BernoulliNB); b.Alpha() != 0.25 || b.TrueThreshold() != 0.5 {
		t.Fatalf("parameters not applied: %v %v", b.Alpha(), b.TrueThreshold())
	}
	if _, err := models.NewClassifier("gaussian-nb", nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct {
		name   string
		params []string
	}{{"gaussian-nb", []string{"alpha=1"}}, {"bernoulli-nb", []string{"alpha=-1"}}, {"bernoulli-nb", []string{"alpha=x"}}} {
		if _, err := models.NewClassifier(bad.name, bad.params, nil); err == nil {
			t.Errorf("%s %v accepted", bad.name, bad.params)
		}
	}
}

func TestPredictAllocatesNothing(t *testing.T) {
	dense, sparse := gaussStream()
	g := NewGaussianNB()
	bn, _ := NewBernoulliNB()
	for _, r := range dense {
		g.LearnOne(r.x, r.y)
		bn.LearnOne(r.x, r.y)
	}
	dst := make([]float64, 0, 8)
	for _, c := range []struct {
		name string
		m    base.Classifier
		x    feature.Vector
	}{{"GaussianNB dense", g, dense[7].x}, {"GaussianNB sparse", g, sparse[7].x}, {"BernoulliNB sparse", bn, sparse[7].x}} {
		allocs := testing.AllocsPerRun(200, func() {
			dst = c.m.PredictProbaOne(c.x, dst)
			_ = c.m.PredictOne(c.x)
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per prediction", c.name, allocs)
		}
	}
	// Learning a known layout allocates nothing either.
	allocs := testing.AllocsPerRun(200, func() { g.LearnOne(dense[9].x, dense[9].y) })
	if allocs != 0 {
		t.Errorf("GaussianNB LearnOne: %v allocations", allocs)
	}
}

// farOffset moves features past any direct table, into the hashed part
// of the slot index.
const farOffset = 3_000_000

// Indices past the direct table go through the hash table and behave the
// same.
func TestFarFeatureIndices(t *testing.T) {
	near, _ := NewBernoulliNB()
	far, _ := NewBernoulliNB()
	gNear, gFar := NewGaussianNB(), NewGaussianNB()
	stream := bernStream()
	shift := func(x feature.Vector) feature.Vector {
		idx := make([]int32, len(x.Idx))
		for k, i := range x.Idx {
			idx[k] = i + farOffset
		}
		return feature.Sparse(idx, x.Val)
	}
	var a, b []float64
	for i, r := range stream {
		fx := shift(r.x)
		for _, pair := range [][2]base.Classifier{{near, far}, {gNear, gFar}} {
			a = pair[0].PredictProbaOne(r.x, a)
			b = pair[1].PredictProbaOne(fx, b)
			for c := range a {
				if a[c] != b[c] {
					t.Fatalf("record %d: %T near %v far %v", i, pair[0], a, b)
				}
			}
			pair[0].LearnOne(r.x, r.y)
			pair[1].LearnOne(fx, r.y)
		}
	}
	restored := roundTrip(t, far).(*BernoulliNB)
	if restored.FeatureCount(farOffset+3, 1) != far.FeatureCount(farOffset+3, 1) || restored.NumFeatures() != far.NumFeatures() {
		t.Fatal("far features lost in the snapshot")
	}
}

// NaN is a missing value in sparse vectors too: learning and predicting
// with it equals leaving the feature out.
func TestNaNIsMissingInSparseVectors(t *testing.T) {
	withNaN := feature.Sparse([]int32{0, 1, 2}, []float64{1, math.NaN(), 3})
	without := feature.Sparse([]int32{0, 2}, []float64{1, 3})
	other := feature.Sparse([]int32{0, 1, 2}, []float64{2, 5, 1})
	bnA, _ := NewBernoulliNB()
	bnB, _ := NewBernoulliNB()
	for _, pair := range [][2]base.Classifier{{NewGaussianNB(), NewGaussianNB()}, {bnA, bnB}} {
		a, b := pair[0], pair[1]
		for i := 0; i < 3; i++ {
			a.LearnOne(withNaN, 0)
			b.LearnOne(without, 0)
			a.LearnOne(other, 1)
			b.LearnOne(other, 1)
		}
		pa := a.PredictProbaOne(withNaN, nil)
		pb := b.PredictProbaOne(without, nil)
		for c := range pb {
			if pa[c] != pb[c] || math.IsNaN(pa[c]) {
				t.Fatalf("%T: with NaN %v, without %v", a, pa, pb)
			}
		}
	}
}

// TestMemoryFollowsDistinctFeatures: a model's footprint grows with the
// number of distinct features, not with the largest index, so a
// MaliciousURL-like stream (a few hundred features spread up to 3.2
// million) stays small. Sizing by the largest index cost 13 MB here.
func TestMemoryFollowsDistinctFeatures(t *testing.T) {
	bern, _ := NewBernoulliNB()
	gauss := NewGaussianNB()
	idx := make([]int32, 0, 50)
	val := make([]float64, 0, 50)
	for r := range 20 {
		idx, val = idx[:0], val[:0]
		for k := range 50 {
			idx = append(idx, int32(k*64_000+r*7))
			val = append(val, 1)
		}
		x := feature.Sparse(idx, val)
		bern.LearnOne(x, r%2)
		gauss.LearnOne(x, r%2)
	}
	if bern.NumFeatures() != 1000 || gauss.NumFeatures() != 1000 {
		t.Fatalf("NumFeatures %d, %d; want 1000", bern.NumFeatures(), gauss.NumFeatures())
	}
	for _, m := range []base.MemoryReporter{bern, gauss} {
		if b := m.MemoryBytes(); b > 200_000 {
			t.Errorf("%T over 1000 features up to index 3.2e6: %d bytes", m, b)
		}
	}
}
