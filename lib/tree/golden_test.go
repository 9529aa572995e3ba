package tree

import (
	"math"
	"strconv"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

// libmDeviations lists the golden runs whose predicted labels are known to
// leave River's, with the record where they first do and why. Both causes
// are last-bit differences between Go's math package and the glibc libm
// CPython calls; rivulet does not emulate glibc's rounding errors. Such a
// run must still match River exactly before that record, differ on at most
// maxDiffs records, and reach River's accuracy within 0.2 points.
var libmDeviations = map[string]struct {
	first, maxDiffs int
	why             string
}{
	"hat_agrawal_drift": {654, 4, "at record 414 a Gaussian split computes erf(-0.5979262846109521): glibc returns " +
		"-0.6022215414595633, Go -0.6022215414595634 (the correctly rounded value), so a child leaf starts with weight " +
		"21.98526358575524 in River and 21.985263585755238 here; at record 540 River's grace-period test sees " +
		"71.98526358575523-21.98526358575524 = 49.99999999999999 < 50 and waits one record, this tree splits"},
	"arftree_sea_w": {1133, 400, "a Gaussian split's class weights differ in the last bit (glibc's erf, see " +
		"hat_agrawal_drift): a child starts with 59.475807616447256 here and 59.47580761644726 in River, so a later " +
		"grace-period test fires one record apart, the trees split at different times and drift apart; accuracy " +
		"stays within 0.1 point"},
	"hat_led": {44, 2, "River's naive Bayes gives classes 0 and 6 exactly equal probabilities (equal products of " +
		"count ratios) and breaks the tie towards class 0; here the logs of those ratios round differently in the " +
		"last bit (Go's math.Log vs glibc's log), so class 6 is ahead by 1 ulp. Computing those logs correctly " +
		"rounded (double-double, as glibc nearly always rounds) reproduces River's run exactly, but costs about 18 " +
		"times math.Log, too much for one label in 5000"},
}

// TestGoldenRiver replays every River 0.26.1 run recorded in
// testdata/golden.txt (gen_fixtures.py) and requires the same prequential
// accuracy, the same predicted label for every record, the same tree shape
// and, at the recorded checkpoints, the same probabilities.
func TestGoldenRiver(t *testing.T) {
	for _, g := range loadGoldens(t) {
		if g.data == "malicious" || g.kind == "arftree" {
			continue // TestGoldenMaliciousURL, TestGoldenARFLeaves
		}
		if g.data == "agrawal_projected" {
			// SRP trains members on x restricted to a subspace; both ways
			// of handing a projection to the tree must give River's run.
			t.Run(g.name+"/sparse", func(t *testing.T) {
				names, x, y := dataset(t, g.data)
				m := newModel(t, g.kind, optionsFor(t, g.params, names))
				checkGolden(t, g, m, projectRows(x, g.rows, true), y[:g.rows])
			})
			t.Run(g.name+"/dense_nan", func(t *testing.T) {
				names, x, y := dataset(t, g.data)
				m := newModel(t, g.kind, optionsFor(t, g.params, names))
				checkGolden(t, g, m, projectRows(x, g.rows, false), y[:g.rows])
			})
			continue
		}
		t.Run(g.name, func(t *testing.T) {
			names, x, y := dataset(t, g.data)
			m := newModel(t, g.kind, optionsFor(t, g.params, names))
			checkGolden(t, g, m, denseRows(x, g.rows), y[:g.rows])
		})
	}
}

// projectedFeatures is gen_fixtures.py's subspace of Agrawal: salary, age,
// elevel, car, hvalue, loan.
var projectedFeatures = []int32{0, 2, 3, 4, 6, 8}

// projectRows restricts Agrawal records to projectedFeatures, as sparse
// vectors or as dense vectors with NaN (missing) elsewhere.
func projectRows(x [][]float64, n int, sparse bool) []fv {
	out := make([]fv, n)
	for i := range out {
		if sparse {
			val := make([]float64, len(projectedFeatures))
			for k, f := range projectedFeatures {
				val[k] = x[i][f]
			}
			out[i] = feature.Sparse(projectedFeatures, val)
			continue
		}
		val := make([]float64, len(x[i]))
		for f := range val {
			val[f] = math.NaN()
		}
		for _, f := range projectedFeatures {
			val[f] = x[i][f]
		}
		out[i] = feature.Dense(val)
	}
	return out
}

func checkGolden(t *testing.T, g *golden, m interface {
	LearnOne(x fv, y int)
	PredictOne(x fv) int
	PredictProbaOne(x fv, dst []float64) []float64
	Summary() Summary
}, xs []fv, ys []int) {
	t.Helper()
	var dst []float64
	maxDiff := 0.0
	probaAt := map[int][]float64{}
	wrap := &probeModel{m: m, probe: func(i int) {
		if _, ok := g.probas[i]; ok {
			dst = m.PredictProbaOne(xs[i], dst)
			probaAt[i] = append([]float64(nil), dst...)
		}
	}}
	acc, preds := prequential(wrap, xs, ys)
	if dev, ok := libmDeviations[g.name]; ok {
		n := 0
		for i := range preds {
			if preds[i] != g.preds[i] {
				n++
			}
		}
		if preds[:dev.first] != g.preds[:dev.first] || n > dev.maxDiffs || math.Abs(acc-g.accuracy) > 0.002 {
			t.Errorf("known libm deviation grew: %d differing labels (allowed %d from record %d), accuracy %.6f vs River %.6f; %s",
				n, dev.maxDiffs, dev.first, acc, g.accuracy, firstDiff(preds, g.preds))
		}
		t.Logf("%d labels differ from River from record %d on: %s", n, dev.first, dev.why)
		return
	}
	if preds != g.preds {
		n := 0
		for i := range preds {
			if preds[i] != g.preds[i] {
				n++
			}
		}
		t.Errorf("predicted labels differ from River on %d of %d records; %s", n, len(preds), firstDiff(preds, g.preds))
	}
	if math.Abs(acc-g.accuracy) > 1e-12 {
		t.Errorf("accuracy %.6f, River %.6f", acc, g.accuracy)
	}
	for i, want := range g.probas {
		got := probaAt[i]
		for c, p := range want {
			q := 0.0
			if c < len(got) {
				q = got[c]
			}
			maxDiff = math.Max(maxDiff, math.Abs(p-q))
		}
		for c, q := range got {
			if _, ok := want[c]; !ok && q != 0 {
				t.Errorf("record %d: class %d has probability %v, absent in River", i, c, q)
			}
		}
	}
	if maxDiff > 1e-9 {
		t.Errorf("probabilities differ from River by up to %g", maxDiff)
	}
	s := m.Summary()
	for k, got := range map[string]int{"n_nodes": s.Nodes, "n_branches": s.Branches, "n_leaves": s.Leaves, "height": s.Height} {
		if w, ok := g.summary[k]; ok && w != strconv.Itoa(got) {
			t.Errorf("%s = %d, River %s", k, got, w)
		}
	}
	t.Logf("accuracy %.4f (River %.4f), max probability difference %g", acc, g.accuracy, maxDiff)
}

// probeModel calls probe before each prediction so that probabilities can be
// read at the recorded checkpoints without disturbing the run.
type probeModel struct {
	m interface {
		LearnOne(x fv, y int)
		PredictOne(x fv) int
	}
	probe func(i int)
	i     int
}

func (p *probeModel) PredictOne(x fv) int {
	p.probe(p.i)
	return p.m.PredictOne(x)
}

func (p *probeModel) LearnOne(x fv, y int) {
	p.m.LearnOne(x, y)
	p.i++
}

// TestGoldenARFLeaves replays River's ARF base learner
// (river.forest.adaptive_random_forest.BaseTreeClassifier): random-subspace
// leaves drawing rng.sample(sorted(x.keys()), max_features) from a shared
// generator, optionally trained with ARF's poisson(6) weights.
func TestGoldenARFLeaves(t *testing.T) {
	for _, g := range loadGoldens(t) {
		if g.kind != "arftree" {
			continue
		}
		t.Run(g.name, func(t *testing.T) {
			names, x, y := dataset(t, g.data)
			params := map[string]string{}
			for k, v := range g.params {
				params[k] = v
			}
			k, _ := strconv.Atoi(params["max_features"])
			rngSeed, _ := strconv.Atoi(params["rng_seed"])
			var weights *pyrand.Rand
			if s, ok := params["weight_seed"]; ok {
				seed, _ := strconv.Atoi(s)
				weights = pyrand.New(int64(seed))
			}
			delete(params, "max_features")
			delete(params, "rng_seed")
			delete(params, "weight_seed")
			// River keys Agrawal's features by name and SEA's by integer.
			order := ByIndex
			if g.data == "agrawal" {
				order = ByName(feature.NewSchema(names...))
			}
			opts := append(optionsFor(t, params, names), WithLeafFeatureSampler(pyrand.New(int64(rngSeed)), k, order))
			m := &weightedModel{HoeffdingTreeClassifier: must(NewHoeffdingTreeClassifier(opts...)), weights: weights}
			checkGolden(t, g, m, denseRows(x, g.rows), y[:g.rows])
		})
	}
}

// weightedModel trains with ARF's poisson(6) weights when weights is set.
type weightedModel struct {
	*HoeffdingTreeClassifier
	weights *pyrand.Rand
}

func (w *weightedModel) LearnOne(x fv, y int) {
	if w.weights == nil {
		w.HoeffdingTreeClassifier.LearnOne(x, y)
		return
	}
	if k := w.weights.Poisson(6); k > 0 {
		w.HoeffdingTreeClassifier.LearnWeighted(x, y, float64(k))
	}
}
