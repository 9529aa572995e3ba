package serve

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/models"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// TestRunStages deploys three trained stages and checks every step: each
// version is published, served and scores exactly the records streamed
// while it served; the streamed records are the ones after the training
// windows; the REST exchange names the last version; the run is saved and
// read back.
func TestRunStages(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	tp := newTopics()
	m, err := models.NewClassifier("gaussian-nb", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	const n, versions, perVersion = 100, 3, 40
	stages, err := TrainStages(m, newSynth(1, 1000), n, versions)
	if err != nil || len(stages) != versions {
		t.Fatalf("%d stages, %v", len(stages), err)
	}
	// The records RunStages must stream: 400..519 of the same stream.
	want := newSynth(1, 1000)
	for range stages[versions-1].EvalTo {
		want.Next()
	}
	want.Next()
	firstStreamed := want.X().Clone()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var log strings.Builder
	run, err := RunStages(ctx, stages, newSynth(1, 1000),
		WithBrokers(brokers...), WithModelTopic(tp.models), WithBrokerWait(10*time.Second),
		WithPublishOptions(WithModelName("gaussian-nb")),
		WithServeOptions(WithFeaturesTopic(tp.features), WithPredictionsTopic(tp.predictions)),
		WithStreamPerVersion(perVersion), WithStreamThrottle(perVersion, 0), WithRunLog(&log))
	if err != nil {
		t.Fatalf("%v\nlog:\n%s", err, log.String())
	}

	if len(run.Published) != versions || len(run.Served) != versions {
		t.Fatalf("%d published, %d served; want %d each", len(run.Published), len(run.Served), versions)
	}
	snaps := map[int64]base.Classifier{}
	for i, p := range run.Published {
		s := run.Served[i]
		if p.Version != int64(i+1) || s.Version != p.Version || s.Stage != i+1 || s.Streamed != perVersion {
			t.Errorf("stage %d: published %+v, served %+v", i+1, p.Meta, s)
		}
		if p.Checksum != stages[i].Checksum || p.Name != "gaussian-nb" || p.Metrics["accuracy"] != stages[i].Metrics["accuracy"] {
			t.Errorf("stage %d published as %+v; want its snapshot, name and metrics", i+1, p.Meta)
		}
		sm, err := snapshot.Unmarshal(stages[i].Snapshot)
		if err != nil {
			t.Fatal(err)
		}
		snaps[p.Version] = sm.(base.Classifier)
	}
	if run.Streamed != versions*perVersion || run.Summary == nil || run.Summary.Records != int64(run.Streamed) {
		t.Fatalf("streamed %d, summary %+v", run.Streamed, run.Summary)
	}
	if len(run.Swaps) != versions || run.Swaps[0].Live || !run.Swaps[versions-1].Live {
		t.Errorf("swaps %+v: want version 1 at start, then %d live swaps", run.Swaps, versions-1)
	}

	// Every record scored once, by the version served when it came, with
	// that version's own score.
	if len(run.Predictions) != run.Streamed {
		t.Fatalf("%d predictions of %d records", len(run.Predictions), run.Streamed)
	}
	features := readFeatures(t, brokers, tp.features)
	ids := map[uuid.UUID]bool{}
	byVersion := map[int64]int{}
	for _, p := range run.Predictions {
		if ids[p.ID] {
			t.Fatalf("record %s scored twice", p.ID)
		}
		ids[p.ID] = true
		byVersion[p.Version]++
		if p.Replica != run.Replica {
			t.Fatalf("prediction of replica %q in a run of %q", p.Replica, run.Replica)
		}
		rec, ok := features[p.ID]
		if !ok {
			t.Fatalf("prediction of %s, which was not streamed", p.ID)
		}
		if want := Score(snaps[p.Version].PredictProbaOne(rec.X, nil)); p.Score != want {
			t.Fatalf("record %s: score %v by version %d, which gives %v", p.ID, p.Score, p.Version, want)
		}
	}
	for v := int64(1); v <= versions; v++ {
		if byVersion[v] != perVersion {
			t.Errorf("predictions by version %v; want %d each", byVersion, perVersion)
			break
		}
	}

	// The training windows were skipped: the REST request is the first
	// record streamed, record 400 of the stream.
	if wantReq := string(AppendRequest(nil, firstStreamed, versions)); run.Request != wantReq {
		t.Errorf("request %s\nwant %s", run.Request, wantReq)
	}
	status, body, _ := strings.Cut(run.Response, " OK ")
	var resp PredictResponse
	if status != "200" || json.Unmarshal([]byte(body), &resp) != nil || resp.Version != versions ||
		resp.Score != Score(snaps[versions].PredictProbaOne(firstStreamed, nil)) {
		t.Errorf("response %q", run.Response)
	}
	if !strings.Contains(run.Health, `"replica":"`+run.Replica+`"`) || !strings.Contains(run.Metrics, "# TYPE") {
		t.Errorf("health %q, metrics %.200q", run.Health, run.Metrics)
	}
	for _, line := range []string{"published stage 3 as version 3", "streamed 40 records while version 2 served; all scored", "service stopped: 120 records scored"} {
		if !strings.Contains(log.String(), line) {
			t.Errorf("log lacks %q:\n%s", line, log.String())
		}
	}

	path := filepath.Join(t.TempDir(), "run.json")
	if err := run.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadStagesRun(path)
	if err != nil || len(back.Predictions) != len(run.Predictions) || back.Predictions[7].ID != run.Predictions[7].ID || back.Predictions[7].Score != run.Predictions[7].Score ||
		back.Summary.Records != run.Summary.Records || back.Response != run.Response {
		t.Fatalf("LoadStagesRun: %v", err)
	}
	if _, err := LoadStagesRun(filepath.Join(t.TempDir(), "none.json")); err == nil || !strings.Contains(err.Error(), "run the serving cell first") {
		t.Errorf("missing file: %v", err)
	}
}

func TestRunStagesErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := RunStages(ctx, nil, newSynth(1, 10)); err == nil || !strings.Contains(err.Error(), "no stages") {
		t.Errorf("no stages: %v", err)
	}
	brokers := []string{kafkatest.Embedded(t)}
	tp := newTopics()
	m, _ := models.NewClassifier("gaussian-nb", nil, nil)
	stages, err := TrainStages(m, newSynth(1, 300), 100, 2)
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	// The source ends inside the windows (300 records of 300 needed plus
	// none to stream would pass; 250 cannot).
	_, err = RunStages(cctx, stages, newSynth(1, 250), WithBrokers(brokers...), WithModelTopic(tp.models),
		WithServeOptions(WithFeaturesTopic(tp.features), WithPredictionsTopic(tp.predictions), WithHTTP("")))
	if err == nil || !strings.Contains(err.Error(), "the records end after 250, inside the stages' training and evaluation windows (300 records)") {
		t.Errorf("short source: %v", err)
	}
	if _, err := RunStages(cctx, stages, newSynth(1, 400), WithStreamPerVersion(0)); err == nil || !strings.Contains(err.Error(), "must be positive") {
		t.Errorf("0 per version: %v", err)
	}
}

func TestStreamPerVersion(t *testing.T) {
	for _, c := range []struct{ records, stages, n, want int }{
		{2000, 5, 200, 160}, // notebook 06 on the excerpt: (2000-1200)/5
		{5000, 5, 100, 880},
		{1000, 5, 200, 1}, // nothing left: still one each
		{1000, 0, 200, 1},
	} {
		if got := StreamPerVersion(c.records, c.stages, c.n); got != c.want {
			t.Errorf("StreamPerVersion(%d, %d, %d) = %d, want %d", c.records, c.stages, c.n, got, c.want)
		}
	}
}

func TestScoresByVersion(t *testing.T) {
	preds := []Prediction{{Version: 2, Score: 0.2}, {Version: 1, Score: 0.1}, {Version: 2, Score: 0.3}, {Version: 1, Score: 0.4}, {Version: 3, Score: 0.5}}
	got := ScoresByVersion(preds)
	want := []VersionScores{
		{1, []float64{0, 1}, []float64{0.1, 0.4}},
		{2, []float64{2, 3}, []float64{0.2, 0.3}},
		{3, []float64{4}, []float64{0.5}},
	}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i := range want {
		if got[i].Version != want[i].Version || !slices.Equal(got[i].Index, want[i].Index) || !slices.Equal(got[i].Score, want[i].Score) {
			t.Errorf("group %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if ScoresByVersion(nil) != nil {
		t.Error("no predictions: want no groups")
	}
}

func TestMetricsWithoutHistograms(t *testing.T) {
	in := "# HELP rivulet_records_total Records scored.\n# TYPE rivulet_records_total counter\nrivulet_records_total 12\n" +
		"rivulet_e2e_seconds_bucket{le=\"0.001\"} 3\nrivulet_e2e_seconds_sum 0.01\nrivulet_e2e_seconds_count 12\n"
	want := "rivulet_records_total 12\nrivulet_e2e_seconds_sum 0.01\nrivulet_e2e_seconds_count 12"
	if got := MetricsWithoutHistograms(in); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
