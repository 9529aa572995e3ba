package main

import (
	"encoding/json"
	"testing"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/workflow/serve"
)

// TestServeStagesCLI runs `rivulet serve stages --json` on the excerpt and
// checks that every version was published, served and scored its share.
func TestServeStagesCLI(t *testing.T) {
	needSample(t)
	brokers := kafkatest.Embedded(t)
	out, err := rivuletCmd("serve", "stages", "--brokers", brokers, "--model", "gaussian-nb", "--data", urlSample,
		"--model-topic", kafkatest.Unique("model_updates"), "--features", kafkatest.Unique("features"),
		"--predictions", kafkatest.Unique("predictions"), "--stages", "3", "--stage-records", "100",
		"--per-version", "50", "--sleep", "0", "--json").Output()
	if err != nil {
		t.Fatalf("serve stages: %v\n%s", err, stderrOf(err))
	}
	var run serve.StagesRun
	if err := json.Unmarshal(out, &run); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if len(run.Published) != 3 || run.Streamed != 150 || len(run.Predictions) != 150 || run.Summary.Records != 150 {
		t.Fatalf("published %d, streamed %d, %d predictions; want 3, 150, 150", len(run.Published), run.Streamed, len(run.Predictions))
	}
	for i, s := range run.Served {
		if s.Version != int64(i+1) || s.Streamed != 50 || run.Summary.ByVersion[s.Version] != 50 {
			t.Errorf("stage %d: %+v, %d scored", i+1, s, run.Summary.ByVersion[s.Version])
		}
	}
	if run.Response == "" || run.Health == "" {
		t.Errorf("no REST exchange: response %q, health %q", run.Response, run.Health)
	}

	stdout, stderr, code := runRivulet(t, "serve", "stages", "--per-version", "0")
	if code != 2 {
		t.Errorf("--per-version 0: exit %d, stdout %q, stderr %q; want a usage error", code, stdout, stderr)
	}
}
