package throughput

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/datasets"
	"github.com/rivulet-ml/rivulet/lib/feature"
)

// samplePath is the shared MaliciousURL excerpt, outside the repository.
var samplePath = filepath.Join("..", "..", "..", "shared", "data", "malicious-url", "sample-2000.svm")

func needSample(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(samplePath); err != nil {
		t.Skipf("SKIP: MaliciousURL excerpt absent (%s); it lives outside the repository", samplePath)
	}
}

// fakeClock is advanced only by fakeModel, so every timed span is exactly
// the cost the model charged.
type fakeClock struct{ t time.Duration }

func (c *fakeClock) now() time.Duration { return c.t }

// Record i is the dense vector [i]; its costs and labels derive from i.
func learnCost(i int) time.Duration   { return time.Duration(1+(i*7)%13) * time.Microsecond }
func predictCost(i int) time.Duration { return time.Duration(1+(i*5)%11) * time.Microsecond }
func labelOf(i int) int {
	if i%2 == 0 {
		return 1
	}
	return 0
}

// fakeModel charges the clock per call and predicts i%3==0 once it has
// learnt anything (-1 before, River's None).
type fakeModel struct {
	clock   *fakeClock
	learned int
	counts  *callCounts
}

type callCounts struct{ builds, learns, predicts, closes int }

func (m *fakeModel) index(x feature.Vector) int {
	_, v, _ := x.At(0)
	return int(v)
}

func (m *fakeModel) LearnOne(x feature.Vector, y int) { m.LearnWeighted(x, y, 1) }
func (m *fakeModel) LearnWeighted(x feature.Vector, y int, w float64) {
	m.clock.t += learnCost(m.index(x))
	m.learned++
	m.counts.learns++
}
func (m *fakeModel) PredictProbaOne(x feature.Vector, dst []float64) []float64 { return dst[:0] }
func (m *fakeModel) PredictOne(x feature.Vector) int {
	i := m.index(x)
	m.clock.t += predictCost(i)
	m.counts.predicts++
	if m.learned == 0 {
		return -1
	}
	if i%3 == 0 {
		return 1
	}
	return 0
}
func (m *fakeModel) MemoryBytes() int64 { return int64(100 * m.learned) }
func (m *fakeModel) Close() error       { m.counts.closes++; return nil }

var _ base.Classifier = (*fakeModel)(nil)

func fakeData(n int) *Data {
	recs := make([]Record, n)
	for i := range recs {
		recs[i] = Record{X: feature.Dense([]float64{float64(i)}), Y: labelOf(i)}
	}
	return FromRecords("fake", recs)
}

func fakeModelOf(clock *fakeClock, counts *callCounts) Model {
	return Model{Name: "fake", Classifier: "FakeClassifier", New: func() (base.Classifier, error) {
		counts.builds++
		return &fakeModel{clock: clock, counts: counts}, nil
	}}
}

const us = time.Microsecond

// The expected figures come from numpy on the same cost lists (pooled over
// two repetitions): numpy.mean / numpy.percentile(a, 50 | 99) / max.
func TestRivuletMethodDefinitions(t *testing.T) {
	clock := &fakeClock{}
	counts := &callCounts{}
	res, err := Measure(context.Background(), fakeModelOf(clock, counts), fakeData(40), 20,
		withClock(clock.now), WithWarmup(1), WithRepetitions(2), WithConsumers(0))
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got Stats, mean, p50, p99, max time.Duration) {
		t.Helper()
		if got.Records != 40 || got.Mean != mean || got.P50 != p50 || got.P99 != p99 || got.Max != max {
			t.Errorf("%s: got records %d mean %v p50 %v p99 %v max %v; want 40 %v %v %v %v",
				name, got.Records, got.Mean, got.P50, got.P99, got.Max, mean, p50, p99, max)
		}
		if len(got.RepetitionMeans) != 2 || got.RepetitionMeans[0] != mean || got.RepetitionMeans[1] != mean {
			t.Errorf("%s: repetition means %v, want two of %v", name, got.RepetitionMeans, mean)
		}
	}
	check("train [0,20)", res.Train, 6400*time.Nanosecond, 6500*time.Nanosecond, 13*us, 13*us)
	check("predict [20,40)", res.Predict, 6050*time.Nanosecond, 6*us, 11*us, 11*us)
	// predict-then-learn as it runs: the pair's cost, not two loops summed.
	check("predict-then-learn [0,20)", res.Total, 12550*time.Nanosecond, 13*us, 14*us, 14*us)
	if res.Accuracy != 0.5 {
		t.Errorf("prequential accuracy %v, want 0.5 (record 0 is predicted before anything is learnt)", res.Accuracy)
	}
	if !res.HeldOut || res.N != 20 || res.Repetitions != 2 || res.Warmup != 1 {
		t.Errorf("result header %+v", res)
	}
	if res.MemoryBytes != 2000 {
		t.Errorf("memory %d, want that of the model trained on 20 records (2000)", res.MemoryBytes)
	}
	// 3 passes (1 warm-up + 2 timed), each: 2 models, 20+20 learns, 20+20 predictions.
	want := callCounts{builds: 6, learns: 120, predicts: 120, closes: 6}
	if *counts != want {
		t.Errorf("calls %+v, want %+v", *counts, want)
	}
	if got := res.Train.Throughput(); got != 156250 { // round(1 / 6.4e-6 s)
		t.Errorf("train throughput %d, want 156250", got)
	}
}

func TestRivuletMethodWithoutHeldOutRecords(t *testing.T) {
	clock := &fakeClock{}
	counts := &callCounts{}
	res, err := Measure(context.Background(), fakeModelOf(clock, counts), fakeData(30), 20,
		withClock(clock.now), WithWarmup(0), WithRepetitions(1), WithConsumers(0))
	if err != nil {
		t.Fatal(err)
	}
	if res.HeldOut {
		t.Error("HeldOut with 30 < 2n records")
	}
	// Prediction falls back to records [0, 20): mean of predictCost(0..19).
	if res.Predict.Mean != 6150*time.Nanosecond {
		t.Errorf("predict mean %v, want 6.15µs", res.Predict.Mean)
	}
}

func TestOriginalMethodDefinitions(t *testing.T) {
	clock := &fakeClock{}
	counts := &callCounts{}
	res, err := Measure(context.Background(), fakeModelOf(clock, counts), fakeData(40), 20,
		withClock(clock.now), WithMethod(Original), WithWarmup(0), WithRepetitions(2), WithConsumers(0))
	if err != nil {
		t.Fatal(err)
	}
	if res.Train.Mean != 6400*time.Nanosecond || res.Predict.Mean != 6150*time.Nanosecond {
		t.Errorf("train %v predict %v, want 6.4µs and 6.15µs (prediction on the training records)", res.Train.Mean, res.Predict.Mean)
	}
	if res.Total.Mean != res.Train.Mean+res.Predict.Mean {
		t.Errorf("total %v, want the sum %v", res.Total.Mean, res.Train.Mean+res.Predict.Mean)
	}
	if res.Train.P99 != 0 || res.HeldOut {
		t.Errorf("original method has no percentiles and no held-out records: %+v", res)
	}
	if res.Accuracy != 0.55 {
		t.Errorf("accuracy %v, want 0.55 on the training records after training", res.Accuracy)
	}
	if want := (callCounts{builds: 2, learns: 40, predicts: 40, closes: 2}); *counts != want {
		t.Errorf("calls %+v, want %+v", *counts, want)
	}
}

func TestAllCores(t *testing.T) {
	clock := &fakeClock{}
	counts := &callCounts{}
	// The fake clock is shared, so keep to one consumer under -race; the
	// point is the bookkeeping, not the rate.
	res, err := Measure(context.Background(), fakeModelOf(clock, counts), fakeData(40), 20,
		withClock(clock.now), WithWarmup(0), WithRepetitions(1), WithConsumers(1))
	if err != nil {
		t.Fatal(err)
	}
	if res.Consumers != 1 || !(res.Train.AllCores > 0) || !(res.Predict.AllCores > 0) || !(res.Total.AllCores > 0) {
		t.Errorf("all-cores rates not measured: %+v", res)
	}
	// 1 pass (2 models) + 2 models for the consumer.
	if want := (callCounts{builds: 4, learns: 80, predicts: 80, closes: 4}); *counts != want {
		t.Errorf("calls %+v, want %+v", *counts, want)
	}
}

func TestMeasureErrors(t *testing.T) {
	clock := &fakeClock{}
	m := fakeModelOf(clock, &callCounts{})
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		n    int
		opts []Option
		want string
	}{
		{"too many", 50, nil, "only 40 records"},
		{"zero", 0, nil, "at least 1"},
		{"reps", 10, []Option{WithRepetitions(0)}, "repetitions"},
		{"warmup", 10, []Option{WithWarmup(-1)}, "warm-up"},
		{"consumers", 10, []Option{WithConsumers(-2)}, "consumers"},
	} {
		_, err := Measure(ctx, m, fakeData(40), tc.n, tc.opts...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	failing := Model{Name: "broken", New: func() (base.Classifier, error) { return nil, errors.New("no such thing") }}
	if _, err := Measure(ctx, failing, fakeData(4), 2); err == nil || !strings.Contains(err.Error(), "building broken: no such thing") {
		t.Errorf("factory error: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Measure(cancelled, m, fakeData(4), 2, withClock(clock.now)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

// numpy.percentile([1..10], 50 | 99 | 0 | 100) = 5.5, 9.91, 1, 10.
func TestPercentile(t *testing.T) {
	s := make([]time.Duration, 10)
	for i := range s {
		s[i] = time.Duration(i+1) * time.Second
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 5500 * time.Millisecond}, {0.99, 9910 * time.Millisecond}, {0, time.Second}, {1, 10 * time.Second}} {
		if got := percentile(s, tc.q); got != tc.want {
			t.Errorf("percentile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if percentile(nil, 0.5) != 0 {
		t.Error("percentile of nothing")
	}
}

// Python's round is half to even: round(2.5) == 2, round(3.5) == 4.
func TestThroughputRoundsHalfToEven(t *testing.T) {
	for _, tc := range []struct {
		mean time.Duration
		want int64
	}{{400 * time.Millisecond, 2}, {time.Second * 2 / 7, 4}, {1821650 * time.Nanosecond, 549}, {0, 0}} {
		if got := (Stats{Mean: tc.mean}).Throughput(); got != tc.want {
			t.Errorf("throughput at %v = %d, want %d", tc.mean, got, tc.want)
		}
	}
}

func TestConsumersNeeded(t *testing.T) {
	for _, tc := range []struct {
		target, per, u float64
		want           int
	}{
		{800, 900, 1, 1}, {1000, 500, 1, 2}, {1001, 500, 1, 3}, {4900, 700, 0.7, 10},
		{10000, 867, 0.9, 13}, {0, 100, 1, 0},
	} {
		got, err := ConsumersNeeded(tc.target, tc.per, tc.u)
		if err != nil || got != tc.want {
			t.Errorf("ConsumersNeeded(%v, %v, %v) = %d, %v; want %d", tc.target, tc.per, tc.u, got, err, tc.want)
		}
	}
	for _, bad := range [][3]float64{{-1, 1, 1}, {1, 0, 1}, {1, 1, 0}, {1, 1, 1.5}, {math.NaN(), 1, 1}, {1, math.Inf(1), 1}} {
		if _, err := ConsumersNeeded(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("ConsumersNeeded%v: no error", bad)
		}
	}
}

// The re-encoded text of the excerpt is the excerpt's own text, so the
// original method parses what the original parsed.
func TestEncodedTextMatchesFile(t *testing.T) {
	needSample(t)
	d, err := LoadFile(samplePath, 300)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(samplePath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(raw), "\n")[:300]
	got := strings.SplitAfter(string(d.textOf(300)), "\n")
	for i, want := range lines {
		if strings.TrimRight(got[i], " \r\n") != strings.TrimRight(want, " \r\n") {
			t.Fatalf("line %d:\n got %.120q\nwant %.120q", i+1, got[i], want)
		}
	}
}

func TestLoadFile(t *testing.T) {
	needSample(t)
	d, err := LoadFile(samplePath, 2000)
	if err != nil {
		t.Fatal(err)
	}
	pos := 0
	for _, r := range d.Records[:1000] {
		pos += r.Y
	}
	// PROVENANCE.md: the first 1000 records are 646 benign, 354 malicious.
	if len(d.Records) != 2000 || pos != 354 {
		t.Errorf("%d records, %d positive in the first 1000; want 2000 and 354", len(d.Records), pos)
	}
	if !d.HeldOut(1000) || d.HeldOut(1001) {
		t.Error("HeldOut")
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "missing.svm"), 10); err == nil {
		t.Error("no error for a missing file")
	}
	bad := filepath.Join(t.TempDir(), "bad.svm")
	if err := os.WriteFile(bad, []byte("1 3:1 2:1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var se *datasets.SyntaxError
	if _, err := LoadFile(bad, 10); !errors.As(err, &se) || se.Line != 1 {
		t.Errorf("bad file: %v, want a SyntaxError at line 1", err)
	}
}

// A real registered model on real records, both methods, with consumers.
func TestMeasureRealModel(t *testing.T) {
	needSample(t)
	d, err := LoadFile(samplePath, 200)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := Models("gaussian-nb")
	if err != nil {
		t.Fatal(err)
	}
	for _, method := range []Method{Rivulet, Original} {
		res, err := Measure(context.Background(), ms[0], d, 100, WithMethod(method), WithRepetitions(1), WithWarmup(0), WithConsumers(2))
		if err != nil {
			t.Fatal(err)
		}
		if res.Train.Mean <= 0 || res.Predict.Mean <= 0 || res.Total.Mean <= 0 || res.Consumers != 2 || res.Train.AllCores <= 0 {
			t.Errorf("%v: %+v", method, res)
		}
		if res.Accuracy < 0.5 || res.Accuracy > 1 {
			t.Errorf("%v: accuracy %v", method, res.Accuracy)
		}
		if res.MemoryBytes <= 0 {
			t.Errorf("%v: memory %d", method, res.MemoryBytes)
		}
		if runtime.GOOS == "linux" && (res.Train.CPU <= 0 || res.Predict.CPU <= 0 || res.Total.CPU <= 0) {
			t.Errorf("%v: thread CPU time not measured: %v %v %v", method, res.Train.CPU, res.Predict.CPU, res.Total.CPU)
		}
	}
}

func TestLookup(t *testing.T) {
	if _, err := Lookup("no-such-model"); err == nil || !strings.Contains(err.Error(), "known:") {
		t.Errorf("unknown model: %v", err)
	}
	s, err := Lookup("GaussianNB") // River's class name works too
	if err != nil || s.Name != "gaussian-nb" {
		t.Errorf("Lookup(GaussianNB) = %+v, %v", s, err)
	}
	if _, err := (Spec{Name: "x", Registry: []string{"gaussian-nb"}, Params: []string{"nope=1"}}).Model(); err == nil {
		t.Error("an unknown parameter is not reported when resolving")
	}
	if got := SeedModelNames(); strings.Join(got, ",") != "hat,srp-hat,srp-nb,arf" {
		t.Errorf("seed models %v", got)
	}
}

func TestRowsAndTables(t *testing.T) {
	clock := &fakeClock{}
	res, err := Measure(context.Background(), fakeModelOf(clock, &callCounts{}), fakeData(40), 20,
		withClock(clock.now), WithWarmup(0), WithRepetitions(1), WithConsumers(0))
	if err != nil {
		t.Fatal(err)
	}
	row := res.Row() // p99 of one repetition: numpy.percentile(learn costs, 99) = 12.81 µs
	if row.TrainMsPerRecord != 0.0064 || row.TrainP99Ms != 0.01281 || row.MaxTrainThroughput != 156250 ||
		row.TotalMsPerRecord != 0.01255 || row.MaxTotalThroughput != 79681 || row.Accuracy != 0.5 || row.Implementation != "rivulet" {
		t.Errorf("row %+v", row)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, []Row{row}); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"model", "train_ms_per_record", "predict_ms_per_record", "total_ms_per_record",
		"train_p99_ms", "predict_p99_ms", "max_train_throughput", "max_predict_throughput", "max_total_throughput",
		"memory_bytes", "accuracy"} {
		if !strings.Contains(buf.String(), `"`+key+`":`) {
			t.Errorf("JSON lacks %q", key)
		}
	}
	back, err := ReadRows(&buf, "buf")
	if err != nil || len(back) != 1 || back[0] != row {
		t.Errorf("round trip: %v %+v", err, back)
	}

	tab := PhaseTable(append([]Row{row}, SeedREADME()[0]), Training)
	if strings.Join(tab.Headers[:6], "|") != "Classifier|Source|Expected Time(ms) Per Record|Expected Time Million Records (s)|Expected Time Million Records (mins)|Max Throughput (records/s, one thread)" {
		t.Errorf("headers %q", tab.Headers)
	}
	// The seed README's HAT training row, reproduced from its ms per record.
	if got := strings.Join(tab.Rows[1][:6], "|"); got != "HoeffdingAdaptiveTreeClassifier|River, seed README (2023)|1.82165|1821.65|30.3608|549" {
		t.Errorf("seed row %q", got)
	}
	buf.Reset()
	if err := tab.Markdown(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "#### Maximum sustainable throughput for training\n\n| Classifier ") {
		t.Errorf("markdown:\n%s", buf.String())
	}
	buf.Reset()
	if err := WriteCSV(&buf, []Row{row}); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(buf.String()), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], "fake,FakeClassifier,rivulet,rivulet,20,true,0.0064,") {
		t.Errorf("csv:\n%s", buf.String())
	}
}

func TestReadRowsErrors(t *testing.T) {
	if _, err := ReadRows(strings.NewReader(`[{"model": "hat"}, {"accuracy": 1}]`), "f.json"); err == nil || !strings.Contains(err.Error(), "f.json: row 1 has no model") {
		t.Errorf("missing model: %v", err)
	}
	if _, err := ReadRows(strings.NewReader(`[{"model": }]`), "f.json"); err == nil || !strings.Contains(err.Error(), "f.json: offset") {
		t.Errorf("syntax error: %v", err)
	}
}

func TestCompare(t *testing.T) {
	rivulet := []Row{
		{Model: "hat", Classifier: "HAT", Method: "rivulet", N: 1000, TrainMsPerRecord: 0.02, PredictMsPerRecord: 0.01, TotalMsPerRecord: 0.03, Accuracy: 0.90, TrainCPUMsPerRecord: 0.015},
		{Model: "arf", Classifier: "ARF", Method: "rivulet", N: 1000, TrainMsPerRecord: 0.1, PredictMsPerRecord: 0.01, TotalMsPerRecord: 0.1, Accuracy: 0.80},
		{Model: "lonely", Method: "rivulet", TrainMsPerRecord: 1},
	}
	river := []Row{
		{Model: "hat", Method: "rivulet", N: 100, TrainMsPerRecord: 1},
		{Model: "hat", Method: "rivulet", N: 1000, TrainMsPerRecord: 4.4, PredictMsPerRecord: 1.4, TotalMsPerRecord: 6, Accuracy: 0.91, TrainCPUMsPerRecord: 3},
		{Model: "hat", Method: "original", TrainMsPerRecord: 99},
		{Model: "arf", Method: "rivulet", N: 1000, TrainMsPerRecord: 1.3, PredictMsPerRecord: 0.22, TotalMsPerRecord: 1.5, Accuracy: 0.85},
	}
	got := Compare(rivulet, river)
	if len(got) != 2 || got[0].Model != "hat" || got[1].Model != "arf" {
		t.Fatalf("pairs %+v", got)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if !near(got[0].Train, 220) || !near(got[0].Predict, 140) || !near(got[0].Total, 200) || !near(got[0].AccuracyGap, 1) ||
		!near(got[0].TrainCPU, 200) || got[0].PredictCPU != 0 {
		t.Errorf("hat %+v", got[0])
	}
	if !got[0].Met(DefaultTargets) {
		t.Error("hat: 220× / 140× and 1 point should meet 50× and 2 points")
	}
	if got[1].Met(DefaultTargets) { // 13× training, 5 points
		t.Errorf("arf meets the targets: %+v", got[1])
	}
	if n := len(SameN(river, 1000)); n != 2 {
		t.Errorf("SameN kept %d rows, want 2", n)
	}
	tab := RatioTable(got, DefaultTargets)
	if tab.Rows[0][2] != "220" || tab.Rows[0][11] != "yes" || tab.Rows[1][11] != "no" {
		t.Errorf("ratio table %q", tab.Rows)
	}
}

func TestChartAndConsumerPlan(t *testing.T) {
	rows := append([]Row{{Model: "hat", Classifier: "HoeffdingAdaptiveTreeClassifier", Implementation: "rivulet", Method: "rivulet",
		MaxTrainThroughput: 50000, MaxPredictThroughput: 200000, MaxTotalThroughput: 40000}}, SeedREADME()...)
	for _, p := range Phases {
		pl, err := Chart(rows, p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(pl.Title.Text, p.String()) {
			t.Errorf("title %q", pl.Title.Text)
		}
	}
	if got := ByModel(rows); got[0].Model != "hat" || got[1].Model != "hat" || got[1].Implementation != ImplementationSeed || got[2].Model != "srp-hat" {
		t.Errorf("ByModel: %v %v %v", got[0].Model, got[1].Model, got[2].Model)
	}
	if _, err := Chart([]Row{{Model: "x"}}, Training); err == nil {
		t.Error("a chart without figures")
	}
	plan, err := ConsumerPlan(rows, 10000, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	// 10,000 / (0.9 × 40,000) → 1; the seed README's ARF (867/s) → 13, SRP-HAT (34/s) → 327.
	got := map[string]string{}
	for _, r := range plan.Rows {
		got[r[0]+"/"+r[1]] = r[3]
	}
	for k, want := range map[string]string{
		"HoeffdingAdaptiveTreeClassifier/rivulet":                  "1",
		"AdaptiveRandomForestClassifier/River, seed README (2023)": "13",
		"SRPClassifierHAT/River, seed README (2023)":               "327",
	} {
		if got[k] != want {
			t.Errorf("%s: %q consumers, want %s (plan %q)", k, got[k], want, plan.Rows)
		}
	}
	if _, err := ConsumerPlan(rows, 100, 0); err == nil {
		t.Error("utilisation 0 accepted")
	}
}

func TestLoadDefault(t *testing.T) {
	needSample(t)
	t.Setenv(datasets.DataEnv, t.TempDir()) // no MaliciousURL on disk: the excerpt
	d, note, err := LoadDefault(context.Background(), filepath.Join("..", ".."), 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Records) != 100 || !strings.Contains(note, "excerpt") {
		t.Errorf("%d records, note %q", len(d.Records), note)
	}
	if _, _, err := LoadDefault(context.Background(), t.TempDir(), 100); err == nil {
		t.Error("no error without data")
	}
}
