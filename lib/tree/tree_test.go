package tree

import (
	"math"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

// nominalStream: feature 0 is a category in {0, 1, 2} that decides the
// class (category 2 is the most frequent), feature 1 is noise.
func nominalStream(n int) ([]feature.Vector, []int) {
	r := pyrand.New(1)
	xs := make([]feature.Vector, n)
	ys := make([]int, n)
	for i := range xs {
		c := []float64{0, 1, 2, 2}[r.RandBelow(4)]
		xs[i] = feature.Dense([]float64{c, r.Random()})
		ys[i] = int(c) % 2
	}
	return xs, ys
}

// TestRoutingOfUnseenAndMissing checks River's routing rules at a multiway
// nominal branch: an unseen category gets a new leaf when learning and
// follows the most traversed child when predicting, as does a missing
// feature.
func TestRoutingOfUnseenAndMissing(t *testing.T) {
	xs, ys := nominalStream(600)
	m := must(NewHoeffdingTreeClassifier(WithNominalAttributes(0), WithGracePeriod(50), WithLeafPrediction(MajorityClass)))
	for i, x := range xs {
		m.LearnOne(x, ys[i])
	}
	root := m.c.root
	if root.leaf != nil || root.kind != nominalMultiway || root.feature != 0 || len(root.children) != 3 {
		t.Fatalf("want a 3-way split on feature 0, got %+v", root)
	}
	// Category 2 is the heaviest child; its leaf predicts class 0.
	heavy := root.children[root.mostCommon()]
	if root.values[root.mostCommon()] != 2 {
		t.Fatalf("most traversed child is category %v, want 2", root.values[root.mostCommon()])
	}
	want := m.PredictProbaOne(feature.Dense([]float64{2, 0.5}), nil)
	for _, x := range []feature.Vector{
		feature.Dense([]float64{7, 0.5}),           // unseen category
		feature.Dense([]float64{math.NaN(), 0.5}),  // missing (dense)
		feature.Sparse([]int32{1}, []float64{0.5}), // missing (sparse)
	} {
		got := m.PredictProbaOne(x, nil)
		if got[0] != want[0] || got[1] != want[1] {
			t.Errorf("%v: P = %v, want the most traversed child's %v", x, got, want)
		}
	}
	before := heavy.leaf.stats.total
	m.LearnOne(feature.Dense([]float64{math.NaN(), 0.5}), 1)
	if heavy.leaf.stats.total != before+1 {
		t.Errorf("a record missing the split feature did not go to the most traversed child")
	}
	m.LearnOne(feature.Dense([]float64{7, 0.5}), 1)
	if len(root.children) != 4 || root.values[3] != 7 || root.children[3].leaf.stats.w[1] != 1 {
		t.Fatalf("an unseen category did not get its own leaf: %v", root.values)
	}
	if got := m.PredictOne(feature.Dense([]float64{7, 0.5})); got != 1 {
		t.Errorf("the new category's leaf predicts %d, want 1", got)
	}
	if s := m.Summary(); s.Leaves != 4 || s.Branches != 1 {
		t.Errorf("summary %+v", s)
	}
}

func TestContract(t *testing.T) {
	m := must(NewHoeffdingTreeClassifier())
	x := feature.Dense([]float64{1, 2})
	if m.PredictOne(x) != -1 || len(m.PredictProbaOne(x, nil)) != 0 {
		t.Fatal("an untrained tree must predict -1 and an empty distribution")
	}
	m.LearnWeighted(x, 3, 0) // ignored
	if m.PredictOne(x) != -1 {
		t.Fatal("a zero weight was learnt")
	}
	m.LearnOne(x, 2)
	if p := m.PredictProbaOne(x, nil); len(p) != 3 || p[2] != 1 || m.PredictOne(x) != 2 {
		t.Fatalf("P = %v, predicted %d", p, m.PredictOne(x))
	}
	for _, bad := range []func(){
		func() { m.LearnOne(x, -1) },
		func() { m.LearnWeighted(x, 0, math.NaN()) },
		func() { m.LearnWeighted(x, 0, -1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("invalid class or weight accepted")
				}
			}()
			bad()
		}()
	}
	// HAT-only options are rejected by HT, and bad values are errors.
	for _, o := range []Option{WithSeed(1), WithBootstrapSampling(false), WithGracePeriod(0), WithDelta(0),
		WithSplitCriterion("entropy"), WithLeafPrediction("knn"), WithMaxShareToSplit(0), WithSplits(0), Option{}} {
		if _, err := NewHoeffdingTreeClassifier(o); err == nil {
			t.Errorf("option %q accepted", o.name)
		}
	}
	if _, err := NewHoeffdingAdaptiveTreeClassifier(WithSeed(1), WithSwitchSignificance(0.01)); err != nil {
		t.Error(err)
	}
}

// TestCloneAndReseed checks River's clone() semantics: a seeded HAT's clone
// replays the same bootstrap draws; Reseed changes them.
func TestCloneAndReseed(t *testing.T) {
	xs, ys := agrawalStream(t, 1500, 0)
	a := must(NewHoeffdingAdaptiveTreeClassifier(agrawalNominal, WithGracePeriod(50), WithSeed(4)))
	for i, x := range xs {
		a.LearnOne(x, ys[i])
	}
	b := a.CloneFresh().(*HoeffdingAdaptiveTreeClassifier)
	c := a.CloneFresh().(*HoeffdingAdaptiveTreeClassifier)
	c.Reseed(5)
	_, predsA := prequential(must(NewHoeffdingAdaptiveTreeClassifier(agrawalNominal, WithGracePeriod(50), WithSeed(4))), xs, ys)
	_, predsB := prequential(b, xs, ys)
	if predsA != predsB {
		t.Error("a clone of a seeded tree does not replay it")
	}
	if b.c.rng.Random() == c.c.rng.Random() {
		t.Error("Reseed did not change the bootstrap stream")
	}
	if b.Summary().TotalObservedWeight != 1500 || c.Summary().TotalObservedWeight != 0 {
		t.Error("clones share state")
	}
}

// TestLog2IsMathLog2: the split criterion's log2 must give math.Log2's
// bits for every input.
func TestLog2IsMathLog2(t *testing.T) {
	src := pyrand.New(8)
	xs := []float64{0, math.Copysign(0, -1), 1, 2, 0.5, 0.25, 3, 1e-300, 5e-324, 2.2250738585072014e-308,
		math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), -1, -0.5, 1 + 1e-15, 1 - 1e-16}
	for i := 0; i < 200000; i++ {
		xs = append(xs, math.Ldexp(src.Random()+0.5, int(src.RandBelow(2000))-1000))
	}
	for e := -1074; e <= 1023; e++ {
		xs = append(xs, math.Ldexp(1, e))
	}
	for _, x := range xs {
		got, want := log2(x), math.Log2(x)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("log2(%v) = %v, math.Log2 gives %v", x, got, want)
		}
	}
}
