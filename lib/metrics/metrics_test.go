package metrics

import (
	"math"
	"strconv"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

func parseHex(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad golden %q: %v", s, err)
	}
	return v
}

// checkSeries compares m.Get() after every 30th update with River's values.
func checkSeries(t *testing.T, name string, got []float64, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d checkpoints, want %d", name, len(got), len(want))
	}
	for i, w := range want {
		if g := got[i]; g != parseHex(t, w) {
			t.Errorf("%s after %d updates = %x (%.17g), River %s", name, 30*(i+1), g, g, w)
		}
	}
}

// Goldens printed by River 0.26.1 (float.hex of metric.get() after every
// 30th update) for 300 weighted multi-class records:
//
//	rng = random.Random(2024)
//	y = rng.randrange(4); yp = y if rng.random() < 0.6 else rng.randrange(4); w = 0.5 + rng.random()
//	metric.update(y, yp, w)
//
// with metrics.Accuracy(), MacroF1(), MicroF1(), MacroPrecision(),
// MacroRecall(), MicroPrecision(), and F1/Precision/Recall(pos_val=1).
func TestLabelMetricsMatchRiver(t *testing.T) {
	golden := map[string][]string{
		"Accuracy":       {"0x1.6e480191301cfp-1", "0x1.6890f96e1b272p-1", "0x1.6e93788143a6ap-1", "0x1.747cf48cf5edep-1", "0x1.74c3aa426d3fcp-1", "0x1.83820bc6e911dp-1", "0x1.827b5a2d7f24ep-1", "0x1.7bc87179b8516p-1", "0x1.80bec472ed40ap-1", "0x1.7d4bf46c43328p-1"},
		"MacroF1":        {"0x1.66c7b8667c437p-1", "0x1.5d3e879c1c54ap-1", "0x1.5e76de4ef9ca1p-1", "0x1.64589442dc9e0p-1", "0x1.6b581252449bdp-1", "0x1.7beae497ebb0ap-1", "0x1.7c2182f207991p-1", "0x1.76a166eeca4b8p-1", "0x1.7cee270f86279p-1", "0x1.7a2075a9f4ae2p-1"},
		"MicroF1":        {"0x1.6e480191301cfp-1", "0x1.6890f96e1b272p-1", "0x1.6e93788143a67p-1", "0x1.747cf48cf5edap-1", "0x1.74c3aa426d3fap-1", "0x1.83820bc6e9119p-1", "0x1.827b5a2d7f249p-1", "0x1.7bc87179b8514p-1", "0x1.80bec472ed407p-1", "0x1.7d4bf46c43326p-1"},
		"MacroPrecision": {"0x1.82910d3687968p-1", "0x1.63ebc2e17664cp-1", "0x1.6088c3bbc54c5p-1", "0x1.663a38b4cbcfcp-1", "0x1.6c4d395888106p-1", "0x1.7cf131934360ep-1", "0x1.7c9b4854036b3p-1", "0x1.774c1fd20ac51p-1", "0x1.7d4155c9660aep-1", "0x1.7a581764957d7p-1"},
		"MacroRecall":    {"0x1.5dba292489746p-1", "0x1.5ba3e9ca90932p-1", "0x1.5d3ebdfd200b9p-1", "0x1.640677d1dae04p-1", "0x1.6c1c3bf086ed4p-1", "0x1.7b93d0a621f0ep-1", "0x1.7bfc874333d2bp-1", "0x1.76b1396ca3231p-1", "0x1.7d963cb3a80c1p-1", "0x1.7ad60220075bdp-1"},
		"MicroPrecision": {"0x1.6e480191301cfp-1", "0x1.6890f96e1b272p-1", "0x1.6e93788143a67p-1", "0x1.747cf48cf5edap-1", "0x1.74c3aa426d3f9p-1", "0x1.83820bc6e9118p-1", "0x1.827b5a2d7f249p-1", "0x1.7bc87179b8513p-1", "0x1.80bec472ed407p-1", "0x1.7d4bf46c43326p-1"},
		"F1":             {"0x1.972f73de5ae0dp-1", "0x1.98da424c0a23bp-1", "0x1.8a5cb55754009p-1", "0x1.8d3c859c72e1ap-1", "0x1.9a3841e048cd4p-1", "0x1.a38934b20135dp-1", "0x1.9cff7f9f4f3bbp-1", "0x1.9c321fa3ba509p-1", "0x1.a26aec190b3c8p-1", "0x1.9ab98da3026f1p-1"},
		"Precision":      {"0x1.9297638519d2cp-1", "0x1.9e5695bc904a8p-1", "0x1.79388c5cad06ep-1", "0x1.72fe83a08b26dp-1", "0x1.7dfd3195a688ap-1", "0x1.92d125c4460dcp-1", "0x1.928fe46841b2dp-1", "0x1.8c77bdf266c2cp-1", "0x1.93696c5b84a90p-1", "0x1.8b7c55d64d81ap-1"},
		"Recall":         {"0x1.9be2aaa56f32ep-1", "0x1.9382a1e620dd4p-1", "0x1.9d22a8271dabap-1", "0x1.ab7944722af00p-1", "0x1.baf4cb0bc82b8p-1", "0x1.b5b3f01b63cd9p-1", "0x1.a7fd4ed743a6bp-1", "0x1.ad39288f48614p-1", "0x1.b2953fef213e3p-1", "0x1.ab2f782350463p-1"},
	}
	ms := []ClassificationMetric{NewAccuracy(), NewMacroF1(), NewMicroF1(), NewMacroPrecision(), NewMacroRecall(),
		NewMicroPrecision(), NewF1(), NewPrecision(), NewRecall()}
	got := map[string][]float64{}
	r := pyrand.New(2024)
	for i := 0; i < 300; i++ {
		y := r.RandBelow(4)
		yp := y
		if r.Random() >= 0.6 {
			yp = r.RandBelow(4)
		}
		w := 0.5 + r.Random()
		for _, m := range ms {
			m.Update(y, yp, w)
			if i%30 == 29 {
				got[m.Name()] = append(got[m.Name()], m.Get())
			}
		}
	}
	for _, m := range ms {
		checkSeries(t, m.Name(), got[m.Name()], golden[m.Name()])
	}
}

// Goldens from River 0.26.1 for 300 weighted binary probability records:
//
//	rng = random.Random(77)
//	y = rng.randrange(2); p = rng.random(); p = min(1.0, p + 0.2) if y == 1 else p; w = 0.5 + rng.random()
//	metric.update(y, {0: 1 - p, 1: p}, w)
//
// with metrics.ROCAUC(), ROCAUC(n_thresholds=7), ROCAUC(n_thresholds=300)
// and LogLoss().
func TestProbaMetricsMatchRiver(t *testing.T) {
	golden := map[string][]string{
		"ROCAUC":    {"0x1.3f197cdc0e9d8p-1", "0x1.3f8cb93c78aecp-1", "0x1.6d25b7c60df95p-1", "0x1.6fbcf0a1e780bp-1", "0x1.6b589eddc032fp-1", "0x1.61187e411ddb9p-1", "0x1.5ece982c974c8p-1", "0x1.53acf74fc9d63p-1", "0x1.5bf9d5435c677p-1", "0x1.57fbe78d4498fp-1"},
		"ROCAUC7":   {"0x1.23603aa0b4bd9p-1", "0x1.2d32c2d3c309dp-1", "0x1.5d4e769548a7ep-1", "0x1.60c897b5be883p-1", "0x1.5d49a229c1701p-1", "0x1.524db0dfcc7f2p-1", "0x1.5421aa4d09d67p-1", "0x1.4c10b7dde38d6p-1", "0x1.54acededb32e8p-1", "0x1.4f55b2cbb110ap-1"},
		"ROCAUC300": {"0x1.41e02d7edeb90p-1", "0x1.3d24f5bf359dcp-1", "0x1.6c3968442fb68p-1", "0x1.6d969b94b033cp-1", "0x1.69b334853c7a2p-1", "0x1.5dcf06666a874p-1", "0x1.5ca8621d6b025p-1", "0x1.53431b8a8daa9p-1", "0x1.5d42635e81ac7p-1", "0x1.58d0f38966ccfp-1"},
		"LogLoss":   {"0x1.97b680979fa6ep-1", "0x1.802f2436ba793p-1", "0x1.43807bd898332p-1", "0x1.45f953b7535dbp-1", "0x1.4d5a22406ed40p-1", "0x1.673fcfabc51f6p-1", "0x1.689e11a94b393p-1", "0x1.762fe9cad8ea4p-1", "0x1.6ba8ece3154b6p-1", "0x1.6e72b22ef09bap-1"},
	}
	roc7, _ := NewROCAUCWith(7, 1)
	roc300, _ := NewROCAUCWith(300, 1)
	names := []string{"ROCAUC", "ROCAUC7", "ROCAUC300", "LogLoss"}
	ms := []ClassificationMetric{NewROCAUC(), roc7, roc300, NewLogLoss()}
	got := map[string][]float64{}
	r := pyrand.New(77)
	proba := make([]float64, 2)
	for i := 0; i < 300; i++ {
		y := r.RandBelow(2)
		p := r.Random()
		if y == 1 {
			p = min(1.0, p+0.2)
		}
		w := 0.5 + r.Random()
		proba[0], proba[1] = 1-p, p
		for k, m := range ms {
			m.UpdateProba(y, proba, w)
			if i%30 == 29 {
				got[names[k]] = append(got[names[k]], m.Get())
			}
		}
	}
	for _, n := range names {
		checkSeries(t, n, got[n], golden[n])
	}
}

// Goldens from River 0.26.1 for 300 weighted regression records:
//
//	rng = random.Random(99)
//	y = rng.random()*10 - 5; yp = y + (rng.random() - 0.5) * 2; w = 0.5 + rng.random()
//
// with metrics.MAE(), MSE(), RMSE() and R2().
func TestRegressionMetricsMatchRiver(t *testing.T) {
	golden := map[string][]string{
		"MAE":  {"0x1.093e5c9820478p-1", "0x1.feb7750456db4p-2", "0x1.f1fe0d457c0adp-2", "0x1.02f3cc1de90c8p-1", "0x1.01e68403da33bp-1", "0x1.0668003142595p-1", "0x1.09577352cd9b3p-1", "0x1.03910e631656cp-1", "0x1.05b078f5b2421p-1", "0x1.07b17a815aaefp-1"},
		"MSE":  {"0x1.69f656038888dp-2", "0x1.50b79b1f1a500p-2", "0x1.3dcd234c0ee10p-2", "0x1.53867f98fd7f6p-2", "0x1.5385c2835fbd5p-2", "0x1.5d7bad4a654b7p-2", "0x1.63c390b49117bp-2", "0x1.5b61580331a3dp-2", "0x1.5f6bfebd583aep-2", "0x1.61f7fbc9f55a5p-2"},
		"RMSE": {"0x1.3067a6c1a6c57p-1", "0x1.25990279f23ffp-1", "0x1.1d3b526fcfda0p-1", "0x1.26d1c6668107dp-1", "0x1.26d1744e7b1aap-1", "0x1.2b1c89e493b34p-1", "0x1.2dc98b7ed1324p-1", "0x1.2a35d1e910c26p-1", "0x1.2bf0a2e8a9a95p-1", "0x1.2d065f193e71dp-1"},
		"R2":   {"0x1.eb93e3c87a205p-1", "0x1.e98bd771e061bp-1", "0x1.eb16f9c0e8426p-1", "0x1.ea40f4620f3dbp-1", "0x1.ea2419faa0f5fp-1", "0x1.e933b24c14af5p-1", "0x1.e96f32399f50ap-1", "0x1.eb0e107c4ade7p-1", "0x1.eb11214ea1caep-1", "0x1.eb520daad1024p-1"},
	}
	ms := []RegressionMetric{NewMAE(), NewMSE(), NewRMSE(), NewR2()}
	got := map[string][]float64{}
	r := pyrand.New(99)
	for i := 0; i < 300; i++ {
		y := r.Random()*10 - 5
		yp := y + (r.Random()-0.5)*2
		w := 0.5 + r.Random()
		for _, m := range ms {
			m.Update(y, yp, w)
			if i%30 == 29 {
				got[m.Name()] = append(got[m.Name()], m.Get())
			}
		}
	}
	for _, m := range ms {
		checkSeries(t, m.Name(), got[m.Name()], golden[m.Name()])
	}
}

// River's R2 doctest: y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0.0, 2, 8]
// prints 0.0, 0.9183, 0.9230, 0.9486 (the last digits below are
// float.hex-exact values printed by River 0.26.1).
func TestR2RiverDoctest(t *testing.T) {
	yt := []float64{3, -0.5, 2, 7}
	yp := []float64{2.5, 0.0, 2, 8}
	want := []float64{0.0, 0.9183673469387755, 0.9230769230769231, 0.9486081370449679}
	m := NewR2()
	for i := range yt {
		m.Update(yt[i], yp[i], 1)
		if g := m.Get(); math.Abs(g-want[i]) > 1e-15 {
			t.Errorf("R2 after %d = %.17g, River %.17g", i+1, g, want[i])
		}
	}
}

// River's LogLoss doctest: y_true = [True, False, False, True],
// y_pred = [0.9, 0.1, 0.2, 0.65] -> 0.105360, 0.105360, 0.144621, 0.216161.
func TestLogLossRiverDoctest(t *testing.T) {
	yt := []int{1, 0, 0, 1}
	p := []float64{0.9, 0.1, 0.2, 0.65}
	want := []float64{0.10536051565782628, 0.10536051565782628, 0.14462152754328741, 0.21616187468057912}
	m := NewLogLoss()
	for i := range yt {
		m.UpdateProba(yt[i], []float64{1 - p[i], p[i]}, 1)
		if g := m.Get(); math.Abs(g-want[i]) > 1e-15 {
			t.Errorf("LogLoss after %d = %.17g, River %.17g", i+1, g, want[i])
		}
	}
}

// River's ROCAUC doctest: y_true = [0, 0, 1, 1], y_pred = [.1, .4, .35, .8]
// gives 0.875 with 10 thresholds and 0.75 with 20; the exact AUC is 0.75.
func TestROCAUCRiverDoctest(t *testing.T) {
	yt := []int{0, 0, 1, 1}
	p := []float64{.1, .4, .35, .8}
	m10 := NewROCAUC()
	m20, err := NewROCAUCWith(20, 1)
	if err != nil {
		t.Fatal(err)
	}
	exact := NewExactROCAUC()
	for i := range yt {
		for _, m := range []ClassificationMetric{m10, m20, exact} {
			m.UpdateProba(yt[i], []float64{1 - p[i], p[i]}, 1)
		}
	}
	if g := m10.Get(); g != 0.875 {
		t.Errorf("ROCAUC(10) = %v, River 0.875", g)
	}
	if g := m20.Get(); g != 0.75 {
		t.Errorf("ROCAUC(20) = %v, River 0.75", g)
	}
	if g := exact.Get(); g != 0.75 {
		t.Errorf("ExactROCAUC = %v, want 0.75", g)
	}
	if _, err := NewROCAUCWith(1, 1); err == nil {
		t.Error("ROCAUC with 1 threshold accepted")
	}
}

// The exact AUC equals the brute-force Mann–Whitney statistic over all
// weighted pairs, including ties, across merges of its buffer.
func TestExactROCAUCBruteForce(t *testing.T) {
	r := pyrand.New(5)
	m := NewExactROCAUC()
	type rec struct {
		pos  bool
		s, w float64
	}
	var recs []rec
	for i := 0; i < 700; i++ {
		pos := r.Random() < 0.4
		s := float64(r.RandBelow(50)) / 49 // many ties
		if pos {
			s = math.Min(1, s+0.1)
		}
		w := 0.5 + r.Random()
		recs = append(recs, rec{pos, s, w})
		m.UpdateScore(pos, s, w)
		if i%97 == 0 || i == 699 {
			var num, pw, nw float64
			for _, a := range recs {
				if a.pos {
					pw += a.w
				} else {
					nw += a.w
				}
			}
			for _, a := range recs {
				if !a.pos {
					continue
				}
				for _, b := range recs {
					if b.pos {
						continue
					}
					switch {
					case a.s > b.s:
						num += a.w * b.w
					case a.s == b.s:
						num += 0.5 * a.w * b.w
					}
				}
			}
			want := 0.0
			if pw > 0 && nw > 0 {
				want = num / (pw * nw)
			}
			if g := m.Get(); math.Abs(g-want) > 1e-12 {
				t.Fatalf("after %d records exact AUC %v, brute force %v", i+1, g, want)
			}
		}
	}
	if d := m.NumDistinctScores(); d > 100 {
		t.Fatalf("%d distinct scores kept for at most 100 distinct values", d)
	}
}

// River's binary metrics compare the labels with pos_val but then look up
// the confusion matrix with pos_val, so any pos_val other than True/1
// always yields 0 in River 0.26.1. Here the positive class works as
// intended: F1 for class 2 equals F1 for class 1 after relabeling.
func TestBinaryMetricsOtherPositiveClass(t *testing.T) {
	r := pyrand.New(3)
	f2, f1 := NewF1For(2), NewF1()
	p2, p1 := NewPrecisionFor(2), NewPrecision()
	for i := 0; i < 500; i++ {
		y, yp := r.RandBelow(3), r.RandBelow(3)
		w := r.Random()
		f2.Update(y, yp, w)
		p2.Update(y, yp, w)
		f1.Update(b2i(y == 2), b2i(yp == 2), w)
		p1.Update(b2i(y == 2), b2i(yp == 2), w)
	}
	if f2.Get() != f1.Get() || p2.Get() != p1.Get() || f2.Get() == 0 {
		t.Fatalf("F1 for class 2 = %v, relabeled %v", f2.Get(), f1.Get())
	}
}

func TestEmptyMetricsAreZero(t *testing.T) {
	for _, n := range Names() {
		m, err := New(n)
		if err != nil {
			t.Fatal(err)
		}
		if g := m.Get(); g != 0 {
			t.Errorf("%s before any update = %v, want 0 (River)", m.Name(), g)
		}
	}
}

func TestNewByName(t *testing.T) {
	for _, c := range []struct{ in, name string }{
		{"MacroF1", "MacroF1"}, {"macro_f1", "MacroF1"}, {"roc-auc", "ROCAUC"}, {"R2", "R2"}, {"exact_rocauc", "ExactROCAUC"},
	} {
		m, err := New(c.in)
		if err != nil || m.Name() != c.name {
			t.Errorf("New(%q) = %v, %v; want %s", c.in, m, err, c.name)
		}
	}
	if _, err := New("bogus"); err == nil {
		t.Error("unknown metric accepted")
	}
	if _, err := NewClassification("mae"); err == nil {
		t.Error("MAE accepted as a classification metric")
	}
	if _, err := NewRegression("accuracy"); err == nil {
		t.Error("Accuracy accepted as a regression metric")
	}
	for _, n := range Names() {
		m, _ := New(n)
		if c, ok := m.(ClassificationMetric); ok {
			if want := n == "rocauc" || n == "exactrocauc" || n == "logloss"; c.RequiresLabels() == want {
				t.Errorf("%s RequiresLabels = %v", n, c.RequiresLabels())
			}
		}
	}
}

func TestLabelMetricFromProba(t *testing.T) {
	a, b := NewMacroF1(), NewMacroF1()
	r := pyrand.New(8)
	p := make([]float64, 3)
	for i := 0; i < 200; i++ {
		for k := range p {
			p[k] = float64(r.RandBelow(4)) // ties on purpose
		}
		y := r.RandBelow(3)
		a.UpdateProba(y, p, 1)
		// The argmax with ties going to the lowest class.
		best := 0
		for k := range p {
			if p[k] > p[best] {
				best = k
			}
		}
		b.Update(y, best, 1)
	}
	a.UpdateProba(0, nil, 1) // an empty prediction is skipped
	if a.Get() != b.Get() || a.ConfusionMatrix().NumSamples() != 200 {
		t.Fatalf("UpdateProba %v vs Update %v", a.Get(), b.Get())
	}
}

func TestConfusionMatrix(t *testing.T) {
	cm := NewConfusionMatrix()
	cm.Update(0, 0, 1)
	cm.Update(0, 2, 2)
	cm.Update(2, 2, 1)
	cm.Update(5, 0, 0.5) // grows past the initial size
	if cm.At(0, 2) != 2 || cm.Support(0) != 3 || cm.PredictedWeight(0) != 1.5 || cm.TotalWeight() != 4.5 {
		t.Fatalf("counts wrong:\n%v", cm)
	}
	if cm.FalsePositives(2) != 2 || cm.FalseNegatives(0) != 2 || cm.TrueNegatives(0) != 1 {
		t.Fatal("derived counts wrong")
	}
	if got := cm.Classes(nil); len(got) != 3 || got[0] != 0 || got[1] != 2 || got[2] != 5 {
		t.Fatalf("classes %v", got)
	}
	want := "     0  2  5\n0    1  2  0\n2    0  1  0\n5  0.5  0  0\n"
	if s := cm.String(); s != want {
		t.Fatalf("rendering:\n%q\nwant\n%q", s, want)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("negative class accepted")
		}
	}()
	cm.Update(-1, 0, 1)
}

func TestUpdateAllocatesNothing(t *testing.T) {
	ms := []ClassificationMetric{NewAccuracy(), NewMacroF1(), NewF1(), NewROCAUC(), NewLogLoss()}
	p := []float64{0.3, 0.7}
	for _, m := range ms {
		m.UpdateProba(1, p, 1) // size the confusion matrices
		m.Update(0, 1, 1)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		for _, m := range ms {
			if m.RequiresLabels() {
				m.Update(1, 0, 1)
			} else {
				m.UpdateProba(1, p, 1)
			}
			_ = m.Get()
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per update", allocs)
	}
}

func BenchmarkROCAUCUpdate(b *testing.B) {
	m := NewROCAUC()
	p := []float64{0.3, 0.7}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p[1] = float64(i%1000) / 1000
		p[0] = 1 - p[1]
		m.UpdateProba(i&1, p, 1)
	}
}

func BenchmarkExactROCAUCUpdate(b *testing.B) {
	m := NewExactROCAUC()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.UpdateScore(i&1 == 1, float64(i%1000)/1000, 1)
	}
	_ = m.Get()
}

func BenchmarkMacroF1Update(b *testing.B) {
	m := NewMacroF1()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Update(i%5, (i/3)%5, 1)
	}
}
