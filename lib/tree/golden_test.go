package tree

import (
	"math"
	"strconv"
	"testing"
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
	"hat_led": {44, 2, "River's naive Bayes gives classes 0 and 6 exactly equal probabilities (equal products of " +
		"count ratios) and breaks the tie towards class 0; here the logs of those ratios round differently in the " +
		"last bit (Go's math.Log vs glibc's log), so class 6 is ahead by 1 ulp"},
}

// TestGoldenRiver replays every River 0.26.1 run recorded in
// testdata/golden.txt (gen_fixtures.py) and requires the same prequential
// accuracy, the same predicted label for every record, the same tree shape
// and, at the recorded checkpoints, the same probabilities.
func TestGoldenRiver(t *testing.T) {
	for _, g := range loadGoldens(t) {
		if g.data == "malicious" {
			continue // TestGoldenMaliciousURL
		}
		t.Run(g.name, func(t *testing.T) {
			names, x, y := dataset(t, g.data)
			m := newModel(t, g.kind, optionsFor(t, g.params, names))
			checkGolden(t, g, m, denseRows(x, g.rows), y[:g.rows])
		})
	}
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
