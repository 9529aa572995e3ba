package ensemble

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/internal/memotest"
	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/naivebayes"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
	"github.com/rivulet-ml/rivulet/lib/synth"
	"github.com/rivulet-ml/rivulet/lib/tree"
)

func mustSRP(t testing.TB, opts ...SRPOption) *SRPClassifier {
	t.Helper()
	s, err := NewSRPClassifier(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func gnb() base.Classifier { return withOrder(naivebayes.NewGaussianNB()) }

// denseOnes is a first record with features 0..m-1, as River's
// {i: 1.0 for i in range(m)}.
func denseOnes(m int) feature.Vector {
	v := make([]float64, m)
	for i := range v {
		v[i] = 1
	}
	return feature.Dense(v)
}

// TestSRPSubspacesMatchRiver checks the subspace rules and the order of
// draws against River 0.26.1:
//
//	m = ensemble.SRPClassifier(model=naive_bayes.GaussianNB(), n_models=nm,
//	        subspace_size=ss, training_method=tm, seed=42)
//	m.predict_proba_one({i: 1.0 for i in range(M)})
//	[mm.features for mm in m], m.training_method, m._rng.random()
func TestSRPSubspacesMatchRiver(t *testing.T) {
	cases := []struct {
		m       int
		size    string
		n       int
		method  TrainingMethod
		want    [][]int
		wantTM  TrainingMethod
		nextRnd float64
	}{
		{30, "0.6", 10, Patches, [][]int{
			{16, 19, 0, 17, 6, 22, 20, 24, 26, 13, 7, 14, 8, 27, 5, 11, 25, 15},
			{17, 9, 26, 20, 19, 11, 18, 6, 2, 1, 7, 28, 21, 25, 3, 22, 4, 16},
			{8, 17, 27, 0, 21, 23, 3, 25, 28, 29, 10, 24, 9, 13, 5, 7, 26, 11},
			{20, 26, 11, 5, 27, 25, 6, 21, 8, 29, 2, 28, 17, 7, 18, 16, 23, 4},
			{8, 4, 6, 24, 10, 3, 2, 12, 26, 11, 20, 29, 1, 14, 21, 16, 27, 17},
			{10, 6, 20, 15, 12, 27, 14, 4, 8, 22, 7, 17, 18, 21, 13, 23, 9, 28},
			{28, 23, 8, 16, 24, 5, 26, 3, 20, 9, 29, 6, 4, 11, 25, 27, 12, 14},
			{11, 7, 4, 16, 15, 2, 1, 3, 27, 20, 5, 13, 24, 12, 26, 9, 28, 8},
			{29, 20, 22, 17, 7, 21, 10, 1, 25, 27, 23, 12, 8, 2, 6, 14, 9, 11},
			{20, 3, 0, 23, 8, 7, 24, 4, 28, 17, 2, 18, 13, 1, 27, 16, 21, 29},
		}, Patches, 0.2408715924472331},
		{9, "0.6", 10, Patches, [][]int{
			{0, 1, 2, 4, 7}, {0, 1, 2, 3, 7}, {0, 1, 2, 3, 6}, {0, 1, 2, 4, 8}, {0, 1, 2, 4, 5},
			{0, 1, 2, 4, 6}, {0, 1, 2, 5, 6}, {0, 1, 2, 3, 8}, {0, 1, 2, 3, 4}, {0, 1, 2, 3, 5},
		}, Patches, 0.5904925124490397},
		{9, "sqrt", 5, Subspaces, [][]int{
			{0, 1, 2, 6}, {0, 1, 2, 4}, {0, 1, 2, 5}, {0, 1, 2, 7}, {0, 1, 2, 3},
		}, Subspaces, 0.24489185380347622},
		{25, "rmsqrt", 4, Patches, [][]int{
			{13, 7, 14, 18, 8, 0, 5, 24, 10, 20, 2, 3, 12, 21, 1, 16, 6, 9, 22, 15, 4},
			{20, 3, 0, 8, 7, 24, 4, 23, 2, 13, 22, 14, 1, 17, 11, 21, 15, 10, 5, 6, 18},
			{12, 8, 14, 20, 11, 5, 21, 18, 6, 23, 17, 10, 13, 1, 9, 2, 15, 3, 22, 7, 19},
			{8, 1, 14, 17, 3, 12, 2, 21, 9, 11, 16, 20, 15, 23, 0, 13, 4, 19, 6, 7, 10},
		}, Patches, 0.6846142509898746},
		// Six 2-combinations of 4 features, cycled.
		{4, "0.6", 10, Patches, [][]int{
			{0, 2}, {1, 2}, {0, 3}, {0, 3}, {2, 3}, {0, 1}, {1, 2}, {1, 3}, {0, 1}, {0, 2},
		}, Patches, 0.5904925124490397},
		// round(0.9) = 1 < 2, so k = round(0.9) + 1.
		{3, "0.3", 5, Patches, [][]int{{0, 1}, {0, 2}, {1, 2}, {0, 2}, {0, 1}}, Patches, 0.24489185380347622},
		// k = M: River falls back on resampling, without a shuffle.
		{9, "1.0", 3, Patches, [][]int{nil, nil, nil}, Resampling, 0.6394267984578837},
		{30, "5", 3, Resampling, [][]int{nil, nil, nil}, Resampling, 0.6394267984578837},
	}
	for _, c := range cases {
		z, err := ParseSubspaceSize(c.size)
		if err != nil {
			t.Fatal(err)
		}
		s := mustSRP(t, WithModel(gnb()), WithNModels(c.n), WithSubspaceSize(z), WithTrainingMethod(c.method), WithSeed(42))
		if p := s.PredictProbaOne(denseOnes(c.m), nil); len(p) != 0 {
			t.Errorf("M=%d: prediction before learning = %v, want empty", c.m, p)
		}
		if got := s.Subspaces(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("M=%d size=%s: subspaces\n got %v\nwant %v", c.m, c.size, got, c.want)
		}
		if s.TrainingMethod() != c.wantTM {
			t.Errorf("M=%d size=%s: training method %v, want %v", c.m, c.size, s.TrainingMethod(), c.wantTM)
		}
		if r := s.rng.Random(); r != c.nextRnd {
			t.Errorf("M=%d size=%s: next random %v, want %v (draw count differs from River)", c.m, c.size, r, c.nextRnd)
		}
	}
}

func TestSubspaceSizeParsing(t *testing.T) {
	good := map[string]string{"0.6": "0.6", "1.0": "1.0", "1": "", "sqrt": "sqrt", "RMSQRT": "rmsqrt", "7": "7", "-3": "-3", "2": "", "0": "", "1.5": "", "-0.2": "", "x": ""}
	for in, want := range good {
		z, err := ParseSubspaceSize(in)
		if want == "" {
			if err == nil {
				t.Errorf("ParseSubspaceSize(%q) = %v, want an error", in, z)
			}
			continue
		}
		if err != nil || z.String() != want {
			t.Errorf("ParseSubspaceSize(%q) = %v, %v; want %s", in, z, err, want)
		}
	}
	// The negative form (River documents it, its code rejects it): M+n.
	if k := SubspaceCount(-3).size(10) + 10; k != 7 {
		t.Errorf("negative size: k = %d, want 7", k)
	}
	if _, fb := generateSubspaces([]int{0, 1, 2}, SubspaceCount(-5), 2, pyrand.New(1)); !fb {
		t.Error("k = M-5 < 0 should fall back on resampling")
	}
}

func TestNextCombinationIsLexicographic(t *testing.T) {
	comb := []int{0, 1, 2}
	var got []string
	for {
		got = append(got, strings.Trim(strings.Join(strings.Fields(strings.Trim(fmtInts(comb), "[]")), ""), ""))
		if !nextCombination(comb, 5) {
			break
		}
	}
	// itertools.combinations(range(5), 3)
	want := []string{"012", "013", "014", "023", "024", "034", "123", "124", "134", "234"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func fmtInts(a []int) string {
	var b strings.Builder
	for _, v := range a {
		b.WriteByte(byte('0' + v))
	}
	return b.String()
}

// srpGoldenModel builds the Go twin of a River configuration in
// testdata/gen_golden.py.
func srpGoldenModel(t testing.TB, name string, extra ...SRPOption) base.Classifier {
	t.Helper()
	var opts []SRPOption
	switch name {
	case "srp_gnb_cds":
		opts = []SRPOption{WithModel(gnb()), WithNModels(5), WithSeed(42)}
	case "srp_gnb_hyper":
		opts = []SRPOption{WithModel(gnb()), WithNModels(6), WithSeed(7)}
	case "srp_gnb_rbf_subspaces":
		opts = []SRPOption{WithModel(gnb()), WithNModels(4), WithSeed(3), WithTrainingMethod(Subspaces), WithSubspaceSize(SubspaceSqrt)}
	case "srp_gnb_rbf_resampling":
		opts = []SRPOption{WithModel(gnb()), WithNModels(4), WithSeed(3), WithTrainingMethod(Resampling), WithLambda(1)}
	case "srp_gnb_hyper_nowarn":
		opts = []SRPOption{WithModel(gnb()), WithNModels(4), WithSeed(11), WithDetectorMode(NoWarningDetection), WithSubspaceSize(SubspaceCount(20))}
	case "srp_gnb_hyper_nodrift_unweighted":
		opts = []SRPOption{WithModel(gnb()), WithNModels(4), WithSeed(11), WithDetectorMode(NoDriftDetection),
			WithDisableWeightedVote(true), WithSubspaceSize(SubspaceCount(7))}
	case "srp_bnb_sea":
		bnb, err := naivebayes.NewBernoulliNB(naivebayes.WithAlpha(1))
		if err != nil {
			t.Fatal(err)
		}
		opts = []SRPOption{WithModel(withOrder(bnb)), WithNModels(5), WithSeed(42)}
	case "srp_ht_doctest":
		// nominal_attributes=['age', 'car', 'zipcode'] of Agrawal's schema.
		ht, err := tree.NewHoeffdingTreeClassifier(tree.WithGracePeriod(50), tree.WithDelta(0.01),
			tree.WithNominalAttributes(2, 4, 5))
		if err != nil {
			t.Fatal(err)
		}
		opts = []SRPOption{WithModel(ht), WithNModels(3), WithSeed(42)}
	case "srp_hat_cds":
		hat, err := tree.NewHoeffdingAdaptiveTreeClassifier(tree.WithGracePeriod(100), tree.WithDelta(1e-5),
			tree.WithLeafPrediction(tree.NaiveBayes), tree.WithNBThreshold(10), tree.WithSeed(0))
		if err != nil {
			t.Fatal(err)
		}
		opts = []SRPOption{WithModel(hat), WithNModels(4), WithSeed(42)}
	default:
		t.Fatalf("no Go model for golden %q", name)
	}
	return mustSRP(t, append(opts, extra...)...)
}

// TestSRPMatchesRiver replays River 0.26.1 runs of SRP with naive Bayes
// members (testdata/golden.txt): every prediction, the accuracy and the
// number of warnings and drifts must match. These exercise the draw order
// of Poisson weights, subspaces (lexicographic and random), background
// learners and resets.
func TestSRPMatchesRiver(t *testing.T) {
	gs := readGolden(t, "testdata/golden.txt")
	for _, name := range []string{"srp_gnb_cds", "srp_gnb_hyper", "srp_gnb_rbf_subspaces", "srp_gnb_rbf_resampling",
		"srp_gnb_hyper_nowarn", "srp_gnb_hyper_nodrift_unweighted", "srp_bnb_sea", "srp_ht_doctest", "srp_hat_cds"} {
		t.Run(name, func(t *testing.T) {
			g, ok := gs[name]
			if !ok {
				t.Fatalf("no golden block %q", name)
			}
			m := srpGoldenModel(t, name).(*SRPClassifier)
			acc, preds := prequential(goldenStream(t, g.stream), m, g.n)
			if preds != g.preds {
				t.Errorf("predictions differ from River: %s", firstDiff(preds, g.preds))
			}
			if acc != g.accuracy {
				t.Errorf("accuracy %v, River %v", acc, g.accuracy)
			}
			if g.warnings >= 0 && (m.NWarningsDetected() != g.warnings || m.NDriftsDetected() != g.drifts) {
				t.Errorf("warnings/drifts %d/%d, River %d/%d", m.NWarningsDetected(), m.NDriftsDetected(), g.warnings, g.drifts)
			}
		})
	}
}

// TestSRPParallelIsSequential: the worker count must not change anything,
// in River's repeated training and in MOA's weighted one.
func TestSRPParallelIsSequential(t *testing.T) {
	const n = 2000 // past the first drifts of both streams
	for _, name := range []string{"srp_gnb_cds", "srp_gnb_hyper"} {
		gs := readGolden(t, "testdata/golden.txt")[name]
		for _, weighted := range []bool{false, true} {
			_, seq := prequential(goldenStream(t, gs.stream), srpGoldenModel(t, name, WithWeightedLearning(weighted)), n)
			if !weighted && seq != gs.preds[:n] {
				t.Fatalf("%s: sequential run differs from River: %s", name, firstDiff(seq, gs.preds[:n]))
			}
			for _, w := range []int{2, 3} {
				m := srpGoldenModel(t, name, WithWorkers(w), WithWeightedLearning(weighted))
				_, par := prequential(goldenStream(t, gs.stream), m, n)
				if par != seq {
					t.Errorf("%s weighted=%v with %d workers: %s", name, weighted, w, firstDiff(par, seq))
				}
				if m.(*SRPClassifier).NDriftsDetected() == 0 {
					t.Errorf("%s: no drift in the first %d records; the test does not cover resets", name, n)
				}
			}
		}
	}
}

// TestSRPWeightedLearning: MOA's training makes one weighted update where
// River makes k unit updates.
func TestSRPWeightedLearning(t *testing.T) {
	for _, weighted := range []bool{false, true} {
		c := &counting{inner: gnb()}
		m := mustSRP(t, WithModel(c), WithNModels(3), WithSeed(5), WithWeightedLearning(weighted))
		s := goldenStream(t, "sea")
		for x, y := range synth.Take(s, 200) {
			m.LearnOne(x, y)
		}
		var calls, weight float64
		for _, mm := range m.Members() {
			calls += mm.(*counting).calls
			weight += mm.(*counting).weight
		}
		// λ = 6: about 6 units of weight per member and record.
		if weight < 3000 || weight > 4200 {
			t.Errorf("weighted=%v: total weight %v, want about 3·200·6", weighted, weight)
		}
		if weighted && calls > weight/3 {
			t.Errorf("weighted learning made %v calls for weight %v; want one call per drawn record", calls, weight)
		}
		if !weighted && calls != weight {
			t.Errorf("repeated learning made %v calls for weight %v; want unit updates", calls, weight)
		}
	}
}

// counting counts a model's updates.
type counting struct {
	inner         base.Classifier
	calls, weight float64
}

func (c *counting) LearnOne(x feature.Vector, y int) { c.LearnWeighted(x, y, 1) }
func (c *counting) LearnWeighted(x feature.Vector, y int, w float64) {
	c.calls++
	c.weight += w
	c.inner.LearnWeighted(x, y, w)
}
func (c *counting) PredictProbaOne(x feature.Vector, dst []float64) []float64 {
	return c.inner.PredictProbaOne(x, dst)
}
func (c *counting) PredictOne(x feature.Vector) int { return c.inner.PredictOne(x) }
func (c *counting) CloneFresh() base.Classifier {
	return &counting{inner: c.inner.(base.Cloner).CloneFresh()}
}
func (c *counting) SnapshotKind() string             { return "ensemble_test.counting" }
func (c *counting) EncodeSnapshot(*snapshot.Encoder) {}

// TestSRPSnapshotRoundTrip: a model saved mid-stream and loaded again
// continues exactly like the original.
func TestSRPSnapshotRoundTrip(t *testing.T) {
	for _, name := range []string{"srp_gnb_cds", "srp_gnb_hyper", "srp_bnb_sea", "srp_gnb_hyper_nowarn"} {
		g := readGolden(t, "testdata/golden.txt")[name]
		s := goldenStream(t, g.stream)
		m := srpGoldenModel(t, name)
		half := g.n / 2
		_, p1 := prequential(s, m, half)
		b := snapshot.Marshal(m.(snapshot.Model))
		loaded, err := snapshot.Unmarshal(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		l := loaded.(*SRPClassifier)
		if l.NWarningsDetected() != m.(*SRPClassifier).NWarningsDetected() {
			t.Errorf("%s: warning counts differ after loading", name)
		}
		if b2 := snapshot.Marshal(l); string(b2) != string(b) {
			t.Errorf("%s: re-encoding the loaded model gives different bytes", name)
		}
		s2 := goldenStream(t, g.stream)
		for range synth.Take(s2, half) {
		}
		_, pa := prequential(s, m, g.n-half)
		_, pb := prequential(s2, l, g.n-half)
		if pa != pb {
			t.Errorf("%s: loaded model diverges: %s", name, firstDiff(pb, pa))
		}
		if p1+pa != g.preds {
			t.Errorf("%s: %s", name, firstDiff(p1+pa, g.preds))
		}
		// Corruption is an error, not a panic.
		for _, cut := range []int{len(b) / 3, len(b) - 5} {
			if _, err := snapshot.Unmarshal(b[:cut]); err == nil {
				t.Errorf("%s: truncated snapshot accepted", name)
			}
		}
	}
}

func TestSRPOptionErrors(t *testing.T) {
	bad := [][]SRPOption{
		{WithModel(gnb()), WithNModels(0)},
		{WithModel(gnb()), WithLambda(0)},
		{WithModel(gnb()), WithSubspaceSize(SubspaceFraction(1.5))},
		{WithModel(gnb()), WithSubspaceSize(SubspaceCount(2))},
		{WithModel(gnb()), WithTrainingMethod(TrainingMethod(9))},
		{WithModel(notCloneable{})},
	}
	for i, opts := range bad {
		if _, err := NewSRPClassifier(opts...); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
}

type notCloneable struct{}

func (notCloneable) LearnOne(feature.Vector, int)                            {}
func (notCloneable) LearnWeighted(feature.Vector, int, float64)              {}
func (notCloneable) PredictProbaOne(_ feature.Vector, d []float64) []float64 { return d[:0] }
func (notCloneable) PredictOne(feature.Vector) int                           { return -1 }

// TestSRPSparseProjection: sparse and dense forms of the same records give
// the same model.
func TestSRPSparseProjection(t *testing.T) {
	g := readGolden(t, "testdata/golden.txt")["srp_gnb_hyper"]
	s := goldenStream(t, g.stream)
	m := srpGoldenModel(t, "srp_gnb_hyper").(*SRPClassifier)
	var preds strings.Builder
	for x, y := range synth.Take(s, g.n) {
		sp := map[int]float64{}
		x.Range(func(i int, v float64) { sp[i] = v })
		xs := feature.FromMap(sp)
		if p := m.PredictOne(xs); p < 0 {
			preds.WriteByte('-')
		} else {
			preds.WriteByte(byte('0' + p))
		}
		m.LearnOne(xs, y)
	}
	if preds.String() != g.preds {
		t.Errorf("sparse input: %s", firstDiff(preds.String(), g.preds))
	}
}

// TestSRPPredictionsDoNotChangeLearning: see the forest's twin test.
func TestSRPPredictionsDoNotChangeLearning(t *testing.T) {
	s := goldenStream(t, "hyper25")
	var xs []feature.Vector
	var ys []int
	for x, y := range synth.Take(s, 1500) {
		xs = append(xs, x.Clone())
		ys = append(ys, y)
	}
	memotest.Check(t, "srp_gnb_hyper", xs, ys, 1200, func() base.Classifier {
		return srpGoldenModel(t, "srp_gnb_hyper")
	})
}

// TestNegativeClassPanicsInCaller: with workers, members learn on the
// team; a bad label must be refused on the caller's goroutine instead.
func TestNegativeClassPanicsInCaller(t *testing.T) {
	srp, err := NewSRPClassifier(WithSeed(1), WithWorkers(2))
	if err != nil {
		t.Fatal(err)
	}
	defer srp.Close()
	lev, err := NewLeveragingBagging(gnb(), WithBaggingSeed(1), WithBaggingWorkers(2))
	if err != nil {
		t.Fatal(err)
	}
	defer lev.Close()
	for name, m := range map[string]interface {
		LearnOne(feature.Vector, int)
	}{"srp": srp, "leveraging bagging": lev} {
		x := feature.Vector{Val: []float64{1, 2, 3}}
		m.LearnOne(x, 0)
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "negative class -1") {
					t.Errorf("%s: recovered %v, want the negative-class panic", name, r)
				}
			}()
			m.LearnOne(x, -1)
		}()
		m.LearnOne(x, 1)
	}
}
