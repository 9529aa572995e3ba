package linear

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/stream"
	"github.com/rivulet-ml/rivulet/lib/synth"
)

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func seedParams(seed int64) synth.LinearModelParams {
	p := synth.DefaultLinearModelParams()
	p.Seed = seed
	return p
}

// TestSendLearnRecoversB is the acceptance run in miniature:
// 2000 records of seed 7 through the embedded broker, RLS recovers B to
// within 2 %, SGD (River's defaults) is still far off after so few records.
func TestSendLearnRecoversB(t *testing.T) {
	ctx := testContext(t)
	brokers := []string{kafkatest.Embedded(t)}
	sent, err := Send(ctx, SendConfig{Brokers: brokers, Params: seedParams(7), Interval: -1, Count: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if sent.Records != 2000 || sent.Truth == nil || len(sent.Truth.B) != 8 {
		t.Fatalf("sent %+v", sent)
	}
	var checkpoints int
	res, err := Learn(ctx, LearnConfig{Brokers: brokers, Count: 2000, Models: []string{ModelRLS, ModelSGD},
		OnCheckpoint: func(int64, []Point) { checkpoints++ }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != 2000 || res.Format != "numpy" || res.Inputs != 10 || res.Outputs != 8 {
		t.Fatalf("learnt %d records, format %s, n=%d m=%d", res.Records, res.Format, res.Inputs, res.Outputs)
	}
	rls, sgd := res.Models[0].Final, res.Models[1].Final
	if !(rls.RelativeError < 0.02) {
		t.Errorf("RLS relative error %v, want < 0.02", rls.RelativeError)
	}
	if !(sgd.RelativeError > rls.RelativeError) {
		t.Errorf("SGD relative error %v not above RLS's %v", sgd.RelativeError, rls.RelativeError)
	}
	if !(rls.R2 > 0.9) || !(rls.RMSE < 0.2) || !(rls.MAE < rls.RMSE) {
		t.Errorf("RLS prequential metrics %+v", rls)
	}
	series := res.Models[0].Series
	if len(series) < 100 || series[0].Records != 1 || series[len(series)-1].Records != 2000 || checkpoints != len(series) {
		t.Errorf("series of %d points from %d to %d, %d callbacks", len(series), series[0].Records, series[len(series)-1].Records, checkpoints)
	}
	// The learnt matrix has the truth's shape, and the result serialises.
	if b := res.Models[0].Matrix(); b.RawMatrix().Rows != 8 || b.RawMatrix().Cols != 10 {
		t.Errorf("B̂ is %d×%d", b.RawMatrix().Rows, b.RawMatrix().Cols)
	}
	if _, err := json.Marshal(res); err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(Point{RelativeError: math.NaN()}); !strings.Contains(string(b), `"relative_error":null`) {
		t.Errorf("NaN point marshals as %s", b)
	}
}

// TestFormatsAndPartitions: JSON and binary records on a three-partition
// topic; the learner takes the format and shape from the truth.
func TestFormatsAndPartitions(t *testing.T) {
	ctx := testContext(t)
	brokers := []string{kafkatest.Embedded(t)}
	for _, f := range []stream.LinearFormat{stream.LinearJSON, stream.LinearBinary} {
		topic := "lin-" + f.String()
		p := seedParams(3)
		p.Inputs, p.Outputs, p.LatentDim = 4, 2, 8
		if _, err := Send(ctx, SendConfig{Brokers: brokers, Topic: topic, Params: p, Format: f, Interval: -1, Count: 600, Partitions: 3}); err != nil {
			t.Fatal(err)
		}
		res, err := Learn(ctx, LearnConfig{Brokers: brokers, Topic: topic, Count: 600})
		if err != nil {
			t.Fatal(err)
		}
		if res.Format != f.String() || res.Inputs != 4 || res.Outputs != 2 || res.Records != 600 {
			t.Fatalf("%v: %+v", f, res)
		}
		if e := res.Models[0].Final.RelativeError; !(e < 0.05) {
			t.Errorf("%v: relative error %v", f, e)
		}
	}
}

// TestLearnFromRun: a second run on the same topic (another seed, another
// B) is read from its own start; FromEarliest reads the first run's
// records, which do not match the latest truth.
func TestLearnFromRun(t *testing.T) {
	ctx := testContext(t)
	brokers := []string{kafkatest.Embedded(t)}
	for _, seed := range []int64{1, 2} {
		if _, err := Send(ctx, SendConfig{Brokers: brokers, Params: seedParams(seed), Interval: -1, Count: 500}); err != nil {
			t.Fatal(err)
		}
	}
	run, err := Learn(ctx, LearnConfig{Brokers: brokers, Count: 500})
	if err != nil {
		t.Fatal(err)
	}
	if run.Truth.Params.Seed != 2 || !(run.Models[0].Final.RelativeError < 0.05) {
		t.Errorf("from run: seed %d, relative error %v", run.Truth.Params.Seed, run.Models[0].Final.RelativeError)
	}
	early, err := Learn(ctx, LearnConfig{Brokers: brokers, Count: 500, From: FromEarliest})
	if err != nil {
		t.Fatal(err)
	}
	if !(early.Models[0].Final.RelativeError > 0.3) {
		t.Errorf("from earliest: relative error %v against the second run's B", early.Models[0].Final.RelativeError)
	}
}

// TestBadRecord: a record of the wrong length stops the learner with an
// error naming it, or goes to the dead-letter topic with SkipBad.
func TestBadRecord(t *testing.T) {
	ctx := testContext(t)
	brokers := []string{kafkatest.Embedded(t)}
	topic := "lin-bad"
	if err := stream.EnsureTopic(ctx, brokers, topic, 1); err != nil {
		t.Fatal(err)
	}
	w := stream.NewWriter(brokers, topic, stream.WithBatchSize(1))
	good := "[0.,1.,2.,3.]"
	for _, v := range []string{good, "[1.,2.,3.]", good} {
		if err := w.WriteMessages(ctx, kafka.Message{Value: []byte(v)}); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	cfg := LearnConfig{Brokers: brokers, Topic: topic, Inputs: 2, Outputs: 1, Count: 2, From: FromEarliest}
	_, err := Learn(ctx, cfg)
	var me *stream.MessageError
	if !errors.As(err, &me) || me.Topic != topic || me.Partition != 0 || me.Offset != 1 ||
		!strings.Contains(err.Error(), "message has 3 values, want 4 (1 counter + 1 outputs + 2 inputs)") {
		t.Fatalf("error %v", err)
	}
	cfg.SkipBad = true
	res, err := Learn(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != 2 || res.DeadLetters != 1 {
		t.Fatalf("records %d dead letters %d", res.Records, res.DeadLetters)
	}
	if e := res.Models[0].Final.RelativeError; !math.IsNaN(e) {
		t.Errorf("relative error %v reported without a truth", e)
	}
}

// TestPacedAndEndless: a paced sender waits between records, an endless one
// stops cleanly when its context ends, and an idle learner stops too.
func TestPacedAndEndless(t *testing.T) {
	ctx := testContext(t)
	brokers := []string{kafkatest.Embedded(t)}
	var echo strings.Builder
	res, err := Send(ctx, SendConfig{Brokers: brokers, Topic: "paced", Interval: 30 * time.Millisecond, Count: 3, Echo: &echo, EchoLimit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != 3 || res.Elapsed < 60*time.Millisecond {
		t.Fatalf("paced: %d records in %v", res.Records, res.Elapsed)
	}
	if e := echo.String(); strings.Count(e, "[") != 2 || !strings.HasPrefix(e, "[ 0.        , ") {
		t.Fatalf("echo: %q", echo.String())
	}
	endless, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	res, err = Send(endless, SendConfig{Brokers: brokers, Topic: "endless", Interval: -1})
	if err != nil || res.Records == 0 {
		t.Fatalf("endless: %d records, %v", res.Records, err)
	}
	lr, err := Learn(ctx, LearnConfig{Brokers: brokers, Topic: "endless", IdleTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if lr.Records != res.Records {
		t.Fatalf("idle learner read %d of %d records", lr.Records, res.Records)
	}
	// A counted run cut short is an error.
	short, cancel2 := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel2()
	if _, err := Send(short, SendConfig{Brokers: brokers, Topic: "short", Interval: 50 * time.Millisecond, Count: 100}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cut-short counted run: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	ctx := testContext(t)
	brokers := []string{kafkatest.Embedded(t)}
	if _, err := Learn(ctx, LearnConfig{Brokers: brokers, From: "middle"}); err == nil {
		t.Error("unknown From accepted")
	}
	if _, err := Learn(ctx, LearnConfig{Brokers: brokers, Models: []string{"ridge"}, Topic: "x", Count: 1}); err == nil {
		t.Error("unknown model accepted")
	}
	if _, err := Send(ctx, SendConfig{Brokers: brokers, Count: -1}); err == nil {
		t.Error("negative count accepted")
	}
	p := seedParams(1)
	p.LatentDim = 3
	if _, err := Send(ctx, SendConfig{Brokers: brokers, Params: p}); err == nil {
		t.Error("ν < n accepted")
	}
}

func TestResultsRoundTrip(t *testing.T) {
	res := &LearnResult{Records: 3, Models: []ModelResult{{Name: "rls", Series: []Point{
		{Records: 1, MAE: 1, RMSE: 2, R2: 0, RelativeError: math.NaN()},
		{Records: 3, MAE: 0.5, RMSE: 0.7, R2: 0.5, RelativeError: 0.25},
	}}}}
	path := t.TempDir() + "/res.json"
	if err := SaveResult(path, res); err != nil {
		t.Fatal(err)
	}
	got, err := LoadLearnResult(path)
	if err != nil {
		t.Fatal(err)
	}
	m := got.Model("rls")
	if m == nil || !math.IsNaN(m.Series[0].RelativeError) || m.Series[1].RelativeError != 0.25 {
		t.Fatalf("round trip: %+v", got)
	}
	x, y, err := m.Curve("relative_error")
	if err != nil || len(x) != 1 || x[0] != 3 || y[0] != 0.25 {
		t.Fatalf("curve %v %v %v", x, y, err)
	}
	if _, _, err := m.Curve("accuracy"); err == nil {
		t.Error("unknown metric accepted")
	}
	if got.Model("sgd") != nil {
		t.Error("missing model found")
	}
	h, rows := MatrixTable([][]float64{{1, 2}, {3, 4.5}}, 2, func(i int) string { return "y" + Subscript(i+1) }, func(j int) string { return "x" + Subscript(j+10) })
	if strings.Join(h, ",") != ",x₁₀,x₁₁" || strings.Join(rows[1], ",") != "y₂,3.00,4.50" {
		t.Fatalf("table %v %v", h, rows)
	}
}
