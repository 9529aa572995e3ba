package forest

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/internal/memotest"
	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/drift"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
	"github.com/rivulet-ml/rivulet/lib/synth"
	"github.com/rivulet-ml/rivulet/lib/tree"
)

func mustARF(t testing.TB, opts ...Option) *ARFClassifier {
	t.Helper()
	f, err := NewARFClassifier(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}

// arfGoldenModel builds the Go twin of a configuration of
// testdata/gen_golden.py. River keys Agrawal's features by name and the
// other generators' by integer, hence WithFeatureNames for Agrawal streams.
func arfGoldenModel(t testing.TB, name string, s synth.Stream, extra ...Option) *ARFClassifier {
	t.Helper()
	tp := DefaultTreeParams()
	var opts []Option
	switch name {
	case "arf_doctest":
		tp.LeafPrediction = tree.MajorityClass
		opts = []Option{WithSeed(8), WithFeatureNames(s.Schema())}
	case "arf_default_agrawal":
		opts = []Option{WithSeed(42), WithFeatureNames(s.Schema())}
	case "arf_nominal_cds":
		for _, n := range []string{"elevel", "car", "zipcode"} {
			i, _ := s.Schema().Index(n)
			tp.NominalAttributes = append(tp.NominalAttributes, i)
		}
		opts = []Option{WithSeed(7), WithNModels(5), WithFeatureNames(s.Schema())}
	case "arf_sea_log2":
		tp.GracePeriod = 100
		opts = []Option{WithSeed(1), WithNModels(6), WithMaxFeatures(MaxFeaturesLog2)}
	case "arf_hyper_nb_frac":
		tp.LeafPrediction = tree.NaiveBayes
		tp.NBThreshold = 5
		opts = []Option{WithSeed(3), WithNModels(5), WithMaxFeatures(MaxFeaturesFraction(0.5))}
	case "arf_rbf_unweighted":
		opts = []Option{WithSeed(5), WithNModels(4), WithDisableWeightedVote(true), WithLambda(3), WithMaxFeatures(MaxFeaturesAll)}
	case "arf_hyper_neg_gini":
		tp.SplitCriterion = tree.Gini
		tp.BinarySplit = true
		opts = []Option{WithSeed(9), WithNModels(3), WithMaxFeatures(MaxFeaturesCount(-20))}
	default:
		t.Fatalf("no Go model for golden %q", name)
	}
	opts = append(append(opts, WithTreeParams(tp)), extra...)
	return mustARF(t, opts...)
}

var arfGoldens = []string{"arf_doctest", "arf_default_agrawal", "arf_nominal_cds", "arf_sea_log2",
	"arf_hyper_nb_frac", "arf_rbf_unweighted", "arf_hyper_neg_gini"}

// leavesRiver lists the runs that leave River's trajectory, at the record
// given, for reasons inside the member trees (lib/tree), not the forest:
// the forest's random draws stay in step with River's up to there.
//
//   - arf_default_agrawal: tree 0's leaf created by a split gets an
//     initial class weight of 56.67246589688839 from the Gaussian
//     splitter (River: 56.67246589688838; Go's and glibc's erf differ in
//     the last bit), so at record 1798 its grace-period test computes
//     73.67246589688838 - 23.67246589688839 = 49.99999999999999 < 50 and
//     skips the split attempt River makes; predictions differ from 1911.
//   - arf_hyper_nb_frac: tree 0 splits at record 1433 in River but not
//     here (a borderline split decision of the same kind); the ensemble's
//     predictions differ from 1480.
//
// For those, predictions must match River's up to that record and the
// accuracy over the run must stay within 1.5 points.
var leavesRiver = map[string]int{"arf_default_agrawal": 1911, "arf_hyper_nb_frac": 1480}

// TestARFMatchesRiver replays River 0.26.1 runs (testdata/golden.txt):
// every prediction, the accuracy and the numbers of warnings and drifts.
// They exercise the Poisson weights, the leaves' feature draws from the
// shared generator (by name and by index), background trees and swaps.
func TestARFMatchesRiver(t *testing.T) {
	gs := readGolden(t, "testdata/golden.txt")
	for _, name := range arfGoldens {
		t.Run(name, func(t *testing.T) {
			g, ok := gs[name]
			if !ok {
				t.Skipf("no golden block %q", name)
			}
			s := goldenStream(t, g.stream)
			f := arfGoldenModel(t, name, s)
			acc, preds := prequential(s, f, g.n)
			if at, ok := leavesRiver[name]; ok {
				if preds == g.preds {
					t.Logf("now matches River exactly; remove it from leavesRiver")
				} else if preds[:at] != g.preds[:at] {
					t.Errorf("predictions differ from River before record %d: %s", at, firstDiff(preds, g.preds))
				}
				if math.Abs(acc-g.accuracy) > 0.015 {
					t.Errorf("accuracy %v, River %v", acc, g.accuracy)
				}
				return
			}
			if preds != g.preds {
				t.Errorf("predictions differ from River: %s", firstDiff(preds, g.preds))
			}
			if acc != g.accuracy {
				t.Errorf("accuracy %v, River %v", acc, g.accuracy)
			}
			if f.NWarningsDetected() != g.warnings || f.NDriftsDetected() != g.drifts {
				t.Errorf("warnings/drifts %d/%d, River %d/%d", f.NWarningsDetected(), f.NDriftsDetected(), g.warnings, g.drifts)
			}
		})
	}
}

// TestARFDoctest is River 0.26.1's ARFClassifier doctest:
// progressive_val_score skips the first (None) prediction and prints
// "Accuracy: 67.97%"; n_warnings_detected(), n_drifts_detected() = (2, 1).
// (The 71.07% quoted for older River versions came from a different tree
// implementation.)
func TestARFDoctest(t *testing.T) {
	s, err := synth.NewConceptDriftStream(nil, nil, synth.Seed(42), synth.Position(500), synth.Width(40))
	if err != nil {
		t.Fatal(err)
	}
	f := arfGoldenModel(t, "arf_doctest", s)
	correct, n := 0, 0
	for x, y := range synth.Take(s, 1000) {
		if p := f.PredictOne(x); p >= 0 {
			n++
			if p == y {
				correct++
			}
		}
		f.LearnOne(x, y)
	}
	if got := float64(correct) / float64(n); got < 0.67965 || got >= 0.67975 {
		t.Errorf("accuracy %.4f%% (%d/%d), River's doctest 67.97%%", 100*got, correct, n)
	}
	if f.NWarningsDetected() != 2 || f.NDriftsDetected() != 1 {
		t.Errorf("(warnings, drifts) = (%d, %d), River (2, 1)", f.NWarningsDetected(), f.NDriftsDetected())
	}
}

// TestARFParallelIsSequential: the worker count changes nothing.
func TestARFParallelIsSequential(t *testing.T) {
	gs := readGolden(t, "testdata/golden.txt")
	for _, name := range []string{"arf_doctest", "arf_nominal_cds"} {
		g, ok := gs[name]
		if !ok {
			t.Skipf("no golden block %q", name)
		}
		for _, w := range []int{2, 3} {
			s := goldenStream(t, g.stream)
			f := arfGoldenModel(t, name, s, WithWorkers(w))
			_, preds := prequential(s, f, g.n)
			if preds != g.preds {
				t.Errorf("%s with %d workers: %s", name, w, firstDiff(preds, g.preds))
			}
		}
	}
}

// TestARFSnapshotRoundTrip: a forest saved mid-stream and loaded again
// continues exactly like the original, background trees included.
func TestARFSnapshotRoundTrip(t *testing.T) {
	gs := readGolden(t, "testdata/golden.txt")
	for _, name := range []string{"arf_doctest", "arf_nominal_cds", "arf_sea_log2"} {
		g, ok := gs[name]
		if !ok {
			t.Skipf("no golden block %q", name)
		}
		s := goldenStream(t, g.stream)
		f := arfGoldenModel(t, name, s)
		// Before the first record too: an empty forest must load.
		if _, err := snapshot.Unmarshal(snapshot.Marshal(f)); err != nil {
			t.Fatalf("%s: empty forest: %v", name, err)
		}
		half := g.n / 2
		_, p1 := prequential(s, f, half)
		b := snapshot.Marshal(f)
		m, err := snapshot.Unmarshal(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		l := m.(*ARFClassifier)
		if b2 := snapshot.Marshal(l); string(b2) != string(b) {
			t.Errorf("%s: re-encoding the loaded forest gives different bytes", name)
		}
		s2 := goldenStream(t, g.stream)
		for range synth.Take(s2, half) {
		}
		_, pa := prequential(s, f, g.n-half)
		_, pb := prequential(s2, l, g.n-half)
		if pa != pb {
			t.Errorf("%s: loaded forest diverges: %s", name, firstDiff(pb, pa))
		}
		if p1+pa != g.preds {
			t.Errorf("%s: %s", name, firstDiff(p1+pa, g.preds))
		}
		for _, cut := range []int{len(b) / 2, len(b) - 3} {
			if _, err := snapshot.Unmarshal(b[:cut]); err == nil {
				t.Errorf("%s: truncated snapshot accepted", name)
			}
		}
	}
}

func TestMaxFeaturesResolve(t *testing.T) {
	cases := []struct {
		in   string
		m    int
		want int
	}{
		{"sqrt", 9, 3}, {"sqrt", 6, 2}, {"sqrt", 2, 1}, // round(√6 = 2.449) = 2, round(√2) = 1
		{"sqrt", 12, 3}, {"sqrt", 30, 5}, {"sqrt", 1, 1},
		{"log2", 9, 3}, {"log2", 1, 1}, {"log2", 3, 2}, // log2(3) = 1.58
		{"3", 9, 3}, {"20", 9, 9}, {"-2", 9, 7}, {"-20", 9, 1},
		{"0.5", 25, 12}, {"0.99", 3, 2}, {"1.0", 9, 9}, {"-0.3", 10, 7},
		{"none", 9, 9},
	}
	for _, c := range cases {
		f, err := ParseMaxFeatures(c.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.resolve(c.m); got != c.want {
			t.Errorf("max_features %s with %d features: %d, want %d", c.in, c.m, got, c.want)
		}
	}
	// Python's round is half to even: √x never lands on .5 exactly for
	// integers, but log2 does not either; check the helper on a tie anyway.
	if _, err := ParseMaxFeatures("auto"); err == nil {
		t.Error(`"auto" accepted`)
	}
	if s := MaxFeaturesFraction(1).String(); s != "1.0" {
		t.Errorf("String() = %q", s)
	}
}

func TestARFOptionErrors(t *testing.T) {
	tp := DefaultTreeParams()
	tp.GracePeriod = 0
	for i, opts := range [][]Option{
		{WithNModels(0)},
		{WithLambda(-1)},
		{WithTreeParams(tp)},
	} {
		if _, err := NewARFClassifier(opts...); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
}

// TestARFDetectorsOff: without detectors nothing is ever reset.
func TestARFDetectorsOff(t *testing.T) {
	s, _ := synth.NewConceptDriftStream(nil, nil, synth.Seed(42), synth.Position(500), synth.Width(40))
	f := mustARF(t, WithSeed(8), WithDriftDetector(nil), WithWarningDetector(nil), WithFeatureNames(s.Schema()))
	acc, preds := prequential(s, f, 1000)
	if f.NDriftsDetected() != 0 || f.NWarningsDetected() != 0 || acc < 0.6 || strings.Count(preds, "-") != 1 {
		t.Errorf("acc %v, drifts %d, warnings %d", acc, f.NDriftsDetected(), f.NWarningsDetected())
	}
	// With a custom detector kind the snapshot keeps it.
	g := mustARF(t, WithDriftDetector(drift.NewPageHinkley()), WithWarningDetector(nil))
	prequential(s, g, 50)
	if _, err := snapshot.Unmarshal(snapshot.Marshal(g)); err != nil {
		t.Error(err)
	}
}

// TestARFPredictionsDoNotChangeLearning: learning after a prediction on the
// same record reuses the trees' votes (RecordMemo); learning without one,
// or after a prediction on another record, must end in the same forest.
func TestARFPredictionsDoNotChangeLearning(t *testing.T) {
	s := goldenStream(t, "cds_42_1000_200")
	var xs []feature.Vector
	var ys []int
	for x, y := range synth.Take(s, 1500) {
		xs = append(xs, x.Clone())
		ys = append(ys, y)
	}
	var want string
	for _, workers := range []int{1, 2} {
		got := memotest.Check(t, fmt.Sprintf("%d workers", workers), xs, ys, 1200, func() base.Classifier {
			return arfGoldenModel(t, "arf_nominal_cds", s, WithWorkers(workers))
		})
		if workers == 1 {
			want = got
		} else if got != want {
			t.Errorf("%d workers predict otherwise than one", workers)
		}
	}
}

// TestARFParallelSnapshotAndAccessors: with workers, a record's tree
// learning is deferred to the next call; anything that reads the trees
// (snapshots, counters, memory, the trees themselves) must see it done.
func TestARFParallelSnapshotAndAccessors(t *testing.T) {
	gs := readGolden(t, "testdata/golden.txt")
	g, ok := gs["arf_nominal_cds"]
	if !ok {
		t.Skip("no golden block arf_nominal_cds")
	}
	seq := arfGoldenModel(t, "arf_nominal_cds", goldenStream(t, g.stream))
	par := arfGoldenModel(t, "arf_nominal_cds", goldenStream(t, g.stream), WithWorkers(2))
	defer par.Close()
	s := goldenStream(t, g.stream)
	i := 0
	for x, y := range synth.Take(s, 600) {
		seq.LearnOne(x, y)
		par.LearnOne(x, y)
		if i++; i%150 != 0 {
			continue
		}
		if a, b := snapshot.Marshal(seq), snapshot.Marshal(par); string(a) != string(b) {
			t.Fatalf("record %d: snapshots differ", i)
		}
		par.LearnOne(x, y) // deferred again, then read below
		seq.LearnOne(x, y)
		if a, b := seq.NDriftsDetected()+seq.NWarningsDetected(), par.NDriftsDetected()+par.NWarningsDetected(); a != b {
			t.Fatalf("record %d: %d vs %d detections", i, a, b)
		}
		par.LearnOne(x, y)
		seq.LearnOne(x, y)
		if a, b := seq.MemoryBytes(), par.MemoryBytes(); a != b {
			t.Fatalf("record %d: memory %d vs %d", i, a, b)
		}
		par.LearnOne(x, y)
		seq.LearnOne(x, y)
		for k, tr := range par.Trees() {
			if a, b := seq.Trees()[k].Summary(), tr.Summary(); a != b {
				t.Fatalf("record %d: tree %d %+v vs %+v", i, k, a, b)
			}
		}
	}
	par.LearnOne(feature.Vector{Val: make([]float64, 9)}, 0)
	seq.LearnOne(feature.Vector{Val: make([]float64, 9)}, 0)
	par.SetWorkers(1) // switching runs the deferred learn
	if a, b := snapshot.Marshal(seq), snapshot.Marshal(par); string(a) != string(b) {
		t.Fatal("after SetWorkers(1): snapshots differ")
	}
	// A loaded forest learns in parallel like the original.
	m, err := snapshot.Unmarshal(snapshot.Marshal(par))
	if err != nil {
		t.Fatal(err)
	}
	loaded := m.(*ARFClassifier)
	loaded.SetWorkers(2)
	defer loaded.Close()
	for x, y := range synth.Take(s, 300) {
		loaded.PredictOne(x)
		loaded.LearnOne(x, y)
		seq.PredictOne(x)
		seq.LearnOne(x, y)
	}
	if a, b := snapshot.Marshal(seq), snapshot.Marshal(loaded); string(a) != string(b) {
		t.Fatal("loaded forest with workers: snapshots differ")
	}
}

// TestARFNegativeClassPanicsInCaller: a bad label is refused on the
// caller's goroutine, also when the trees learn later on the workers.
func TestARFNegativeClassPanicsInCaller(t *testing.T) {
	for _, workers := range []int{1, 2} {
		f, err := NewARFClassifier(WithSeed(1), WithWorkers(workers))
		if err != nil {
			t.Fatal(err)
		}
		x := feature.Vector{Val: []float64{1, 2, 3}}
		f.LearnOne(x, 0)
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "negative class -1") {
					t.Errorf("%d workers: recovered %v, want the negative-class panic", workers, r)
				}
			}()
			f.LearnOne(x, -1)
		}()
		f.LearnOne(x, 1) // still usable
		if p := f.PredictProbaOne(x, nil); len(p) != 2 {
			t.Errorf("%d workers: %d class probabilities after the refused record, want 2", workers, len(p))
		}
		f.Close()
	}
}

// TestARFParallelIsSequentialSparse: on sparse MaliciousURL records, read
// through one reused buffer as a stream consumer would, the worker count
// changes no prediction (the sparse lookups of the deferred record and of
// the predicted one must not mix).
func TestARFParallelIsSequentialSparse(t *testing.T) {
	d := malicious(t)
	n := min(len(d.xs), 1500)
	run := func(workers int) []int {
		tp := DefaultTreeParams()
		tp.LeafPrediction = tree.MajorityClass
		tp.GracePeriod = 20
		f, err := NewARFClassifier(WithSeed(42), WithTreeParams(tp), WithWorkers(workers))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var buf feature.Vector
		preds := make([]int, n)
		for i := 0; i < n; i++ {
			buf.Idx = append(buf.Idx[:0], d.xs[i].Idx...)
			buf.Val = append(buf.Val[:0], d.xs[i].Val...)
			preds[i] = f.PredictOne(buf)
			f.LearnOne(buf, d.ys[i])
		}
		return preds
	}
	want := run(1)
	correct := 0
	for i, p := range want {
		if p == d.ys[i] {
			correct++
		}
	}
	if correct < n*3/4 {
		t.Fatalf("one worker: %d/%d correct, the forest learnt nothing", correct, n)
	}
	for _, w := range []int{2, 3} {
		got := run(w)
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%d workers: record %d predicted %d, one worker %d", w, i, got[i], want[i])
			}
		}
	}
}
