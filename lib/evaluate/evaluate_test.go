package evaluate

import (
	"context"
	"errors"
	"math"
	"strconv"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/metrics"
	"github.com/rivulet-ml/rivulet/lib/naivebayes"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

func hexf(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// gaussStream is the naive Bayes golden stream (see lib/naivebayes):
//
//	rng = random.Random(42)
//	for i in range(500):
//	    c = rng.randrange(3); x = {}
//	    for j in range(9):
//	        u = rng.random()
//	        v = rng.random() * (1 + j % 3) + (0.5 * c if j % 3 == c else 0.0)
//	        if u < 0.1: continue
//	        x[j] = v
//
// with dense vectors (NaN = missing) and the raw classes c.
func gaussStream() ([]feature.Vector, []int) {
	r := pyrand.New(42)
	var xs []feature.Vector
	var ys []int
	for i := 0; i < 500; i++ {
		c := r.RandBelow(3)
		val := make([]float64, 9)
		for j := 0; j < 9; j++ {
			u := r.Random()
			v := r.Random() * float64(1+j%3)
			if j%3 == c {
				v += 0.5 * float64(c)
			} else {
				v += 0.0
			}
			if u < 0.1 {
				v = math.NaN()
			}
			val[j] = v
		}
		xs = append(xs, feature.Dense(val))
		ys = append(ys, c)
	}
	return xs, ys
}

// byFirstAppearance maps classes to dense indices in order of first
// appearance, as feature.Labels does, so that River's dict order (which
// breaks prediction ties) is the index order.
func byFirstAppearance(ys []int) []int {
	m := map[int]int{}
	out := make([]int, len(ys))
	for i, y := range ys {
		if _, ok := m[y]; !ok {
			m[y] = len(m)
		}
		out[i] = m[y]
	}
	return out
}

// River 0.26.1:
//
//	evaluate.iter_progressive_val_score(stream, naive_bayes.GaussianNB(),
//	    metrics.Accuracy() + metrics.MacroF1(), step=100)
//
// printing Accuracy and MacroF1 as float.hex at each step;
// progressive_val_score's final Accuracy is 0.6392785571142284 (319/499).
func TestProgressiveGaussianNBMatchesRiver(t *testing.T) {
	xs, ys := gaussStream()
	ys = byFirstAppearance(ys)
	want := [][2]string{
		{"0x1.1c71c71c71c72p-1", "0x1.1b8ebe2608981p-1"},
		{"0x1.34be64577a360p-1", "0x1.319762f458eafp-1"},
		{"0x1.41ed29f4036ccp-1", "0x1.3deeb07fe9694p-1"},
		{"0x1.435e50d79435ep-1", "0x1.420f3f9d6beddp-1"},
		{"0x1.474f84dfadea7p-1", "0x1.4684287de06b4p-1"},
	}
	var seen []Checkpoint
	res, err := Progressive(context.Background(), naivebayes.NewGaussianNB(), FromSlices(xs, ys),
		WithMetrics(metrics.NewAccuracy(), metrics.NewMacroF1()),
		WithCheckpointEvery(100), WithCheckpointFunc(func(c Checkpoint) { seen = append(seen, c) }))
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != 500 || res.Scored != 499 {
		t.Fatalf("records %d scored %d, want 500 and 499", res.Records, res.Scored)
	}
	if acc, _ := res.Metric("Accuracy"); acc != 0.6392785571142284 {
		t.Fatalf("final accuracy %.17g, River 0.6392785571142284", acc)
	}
	if len(res.Checkpoints) != 5 || len(seen) != 5 {
		t.Fatalf("%d checkpoints kept, %d reported; want 5", len(res.Checkpoints), len(seen))
	}
	for i, cp := range res.Checkpoints {
		if cp.Records != 100*(i+1) || cp.MemoryBytes <= 0 || cp.Elapsed <= 0 {
			t.Errorf("checkpoint %d: %+v", i, cp)
		}
		// Accuracy is exact; MacroF1 sums per-class F1 in a different class
		// order (River iterates the raw labels), hence the tolerance.
		if cp.Metrics[0].Value != hexf(t, want[i][0]) {
			t.Errorf("step %d Accuracy %x, River %s", cp.Records, cp.Metrics[0].Value, want[i][0])
		}
		if w := hexf(t, want[i][1]); math.Abs(cp.Metrics[1].Value-w) > 1e-15 {
			t.Errorf("step %d MacroF1 %x, River %s", cp.Records, cp.Metrics[1].Value, want[i][1])
		}
	}
}

// With a probability metric in the set, River predicts probabilities and
// gives the label metrics their argmax:
//
//	stream = [(x, 1 if y == 0 else 0) for x, y in gauss stream]
//	evaluate.iter_progressive_val_score(stream, naive_bayes.GaussianNB(),
//	    metrics.Accuracy() + metrics.ROCAUC() + metrics.LogLoss(), step=250)
func TestProgressiveProbaMetricsMatchRiver(t *testing.T) {
	xs, ys := gaussStream()
	for i, y := range ys {
		if y == 0 {
			ys[i] = 1
		} else {
			ys[i] = 0
		}
	}
	want := [][3]string{
		{"0x1.69e544e22f4b1p-1", "0x1.771e5c3b9b125p-1", "0x1.373b3eb705845p+0"},
		{"0x1.640a42b181cbbp-1", "0x1.7ce1f2ed8f76bp-1", "0x1.c36a898e3a871p-1"},
	}
	res, err := Progressive(context.Background(), naivebayes.NewGaussianNB(), FromSlices(xs, ys),
		WithMetrics(metrics.NewAccuracy(), metrics.NewROCAUC(), metrics.NewLogLoss()), WithCheckpointEvery(250))
	if err != nil {
		t.Fatal(err)
	}
	for i, cp := range res.Checkpoints {
		for k, m := range cp.Metrics {
			// Probabilities match River to a few ulps (Go's Log/Exp are not
			// glibc's), which LogLoss shows in its last digits.
			if w := hexf(t, want[i][k]); math.Abs(m.Value-w) > 1e-13*math.Abs(w) {
				t.Errorf("step %d %s = %x, River %s", cp.Records, m.Name, m.Value, want[i][k])
			}
		}
	}
}

// meanRegressor is River's dummy.StatisticRegressor(stats.Mean()).
type meanRegressor struct{ n, mean float64 }

func (m *meanRegressor) LearnOne(_ feature.Vector, y float64) {
	m.LearnWeighted(feature.Vector{}, y, 1)
}
func (m *meanRegressor) LearnWeighted(_ feature.Vector, y, w float64) {
	m.n += w
	m.mean += float64((w / m.n) * (y - m.mean))
}
func (m *meanRegressor) PredictOne(feature.Vector) float64 { return m.mean }

// River 0.26.1, with rng = random.Random(5) and 300 records
// x = {0: rng.random()}, y = rng.random() * 4 + (i // 100):
//
//	evaluate.iter_progressive_val_score(stream, dummy.StatisticRegressor(stats.Mean()),
//	    metrics.MAE() + metrics.RMSE() + metrics.R2(), step=100)
func TestProgressiveRegressionMatchesRiver(t *testing.T) {
	r := pyrand.New(5)
	var recs []Record[float64]
	for i := 0; i < 300; i++ {
		x := feature.Dense([]float64{r.Random()})
		recs = append(recs, Record[float64]{X: x, Y: r.Random()*4 + float64(i/100)})
	}
	want := [][3]string{
		{"0x1.0f395a9db2e7bp+0", "0x1.38f2b5f53cbfep+0", "-0x1.dac7634af4420p-4"},
		{"0x1.04dcce7ef44ccp+0", "0x1.33c0faed8c3d7p+0", "-0x1.ef84dde942340p-5"},
		{"0x1.111970bc1697ep+0", "0x1.4bca57b634d39p+0", "-0x1.243be7a58b5c0p-5"},
	}
	res, err := ProgressiveRegression(context.Background(), &meanRegressor{}, FromRecords(recs),
		WithRegressionMetrics(metrics.NewMAE(), metrics.NewRMSE(), metrics.NewR2()), WithCheckpointEvery(100))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Checkpoints) != 3 || res.MemoryBytes != -1 {
		t.Fatalf("%d checkpoints, memory %d", len(res.Checkpoints), res.MemoryBytes)
	}
	for i, cp := range res.Checkpoints {
		for k, m := range cp.Metrics {
			if m.Value != hexf(t, want[i][k]) {
				t.Errorf("step %d %s = %x, River %s", cp.Records, m.Name, m.Value, want[i][k])
			}
		}
	}
}

func TestSourcesAgree(t *testing.T) {
	xs, ys := gaussStream()
	ys = byFirstAppearance(ys)
	want := 0.6392785571142284
	// Go iterator.
	seq2 := func(yield func(feature.Vector, int) bool) {
		for i := range xs {
			if !yield(xs[i], ys[i]) {
				return
			}
		}
	}
	res, err := Progressive(context.Background(), naivebayes.NewGaussianNB(), FromSeq2(seq2))
	if err != nil || res.Metrics[0].Value != want {
		t.Fatalf("FromSeq2: %v %v", res, err)
	}
	// Channel.
	ch := make(chan Record[int], 16)
	go func() {
		for i := range xs {
			ch <- Record[int]{X: xs[i], Y: ys[i]}
		}
		close(ch)
	}()
	res, err = Progressive(context.Background(), naivebayes.NewGaussianNB(), FromChan(context.Background(), ch))
	if err != nil || res.Metrics[0].Value != want {
		t.Fatalf("FromChan: %v %v", res, err)
	}
	// Reader style.
	i := -1
	res, err = Progressive(context.Background(), naivebayes.NewGaussianNB(),
		FromPull(func() bool { i++; return i < len(xs) }, func() (feature.Vector, int) { return xs[i], ys[i] }))
	if err != nil || res.Metrics[0].Value != want {
		t.Fatalf("FromPull: %v %v", res, err)
	}
}

func TestStopsOnErrors(t *testing.T) {
	xs, ys := gaussStream()
	// Invalid class.
	bad := append([]int(nil), ys...)
	bad[10] = -1
	res, err := Progressive(context.Background(), naivebayes.NewGaussianNB(), FromSlices(xs, bad))
	if !errors.Is(err, ErrBadRecord) || res.Records != 10 {
		t.Fatalf("bad class: %v after %d records", err, res.Records)
	}
	// Source error.
	boom := errors.New("disk on fire")
	_, err = Progressive(context.Background(), naivebayes.NewGaussianNB(), FromSlices(xs[:5], ys[:5]),
		WithSourceErr(func() error { return boom }))
	if !errors.Is(err, boom) {
		t.Fatalf("source error not reported: %v", err)
	}
	// Cancellation, including a channel that would block forever.
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan Record[int])
	go func() {
		for i := 0; i < 20; i++ {
			ch <- Record[int]{X: xs[i], Y: ys[i]}
		}
		cancel()
	}()
	res, err = Progressive(ctx, naivebayes.NewGaussianNB(), FromChan(ctx, ch))
	if !errors.Is(err, context.Canceled) || res.Records != 20 {
		t.Fatalf("cancel: %v after %d records", err, res.Records)
	}
	// Mismatched metric kinds.
	if _, err := Progressive(context.Background(), naivebayes.NewGaussianNB(), FromSlices(xs, ys),
		WithRegressionMetrics(metrics.NewMAE())); err == nil {
		t.Fatal("regression metric accepted")
	}
	// NaN target.
	_, err = ProgressiveRegression(context.Background(), &meanRegressor{},
		FromRecords([]Record[float64]{{Y: 1}, {Y: math.NaN()}}))
	if !errors.Is(err, ErrBadRecord) {
		t.Fatalf("NaN target: %v", err)
	}
}

// Weighted records reach LearnWeighted; metrics stay unweighted as in River.
func TestWeightsGoToLearning(t *testing.T) {
	m := &meanRegressor{}
	_, err := ProgressiveRegression(context.Background(), m, FromRecords([]Record[float64]{{Y: 1, W: 3}, {Y: 5}}))
	if err != nil {
		t.Fatal(err)
	}
	if m.n != 4 || m.mean != 2 {
		t.Fatalf("weight not applied: n %v mean %v", m.n, m.mean)
	}
}

func TestLoopAllocatesNothingPerRecord(t *testing.T) {
	xs, ys := gaussStream()
	ys = byFirstAppearance(ys)
	model := naivebayes.NewGaussianNB()
	// Warm the model so its storage is sized.
	if _, err := Progressive(context.Background(), model, FromSlices(xs, ys)); err != nil {
		t.Fatal(err)
	}
	acc, roc := metrics.NewAccuracy(), metrics.NewROCAUC()
	perRun := testing.AllocsPerRun(5, func() {
		if _, err := Progressive(context.Background(), model, FromSlices(xs, ys), WithMetrics(acc, roc)); err != nil {
			t.Fatal(err)
		}
	})
	// A fixed number of allocations per evaluation (result, closures,
	// metric values), none per record.
	if perRun > 30 {
		t.Fatalf("%v allocations for %d records", perRun, len(xs))
	}
}

func BenchmarkProgressiveGaussianNB(b *testing.B) {
	xs, ys := gaussStream()
	ys = byFirstAppearance(ys)
	model := naivebayes.NewGaussianNB()
	acc := metrics.NewAccuracy()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Progressive(context.Background(), model, FromSlices(xs, ys), WithMetrics(acc)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(xs)), "ns/record")
}
