package serve

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/models"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// TestEveryStageTrains is the regression test of the original's bug: each
// stage must learn its 100 records, so every published version differs
// from the one before (the original published one model five times).
func TestEveryStageTrains(t *testing.T) {
	m, err := models.NewClassifier("gaussian-nb", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	stages, err := TrainStages(m, newSynth(1, 1000), 100, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) != 5 {
		t.Fatalf("%d stages", len(stages))
	}
	seen := map[uint32]bool{}
	for i, s := range stages {
		if s.Index != i+1 || s.Learned != 100 || s.TrainFrom != 100*i || s.TrainTo != 100*(i+1) || s.EvalFrom != s.TrainTo || s.EvalTo != s.EvalFrom+100 {
			t.Errorf("stage %d: %+v", i+1, s)
		}
		if seen[s.Checksum] {
			t.Errorf("stage %d published the same model as an earlier stage", i+1)
		}
		seen[s.Checksum] = true
		for _, k := range []string{"accuracy", "f1", "recall", "rocauc", "rocauc_labels"} {
			if v, ok := s.Metrics[k]; !ok || v < 0 || v > 1 {
				t.Errorf("stage %d: metric %s = %v", i+1, k, v)
			}
			if _, ok := s.Cumulative[k]; !ok {
				t.Errorf("stage %d: no cumulative %s", i+1, k)
			}
		}
		if _, err := snapshot.Unmarshal(s.Snapshot); err != nil {
			t.Errorf("stage %d snapshot: %v", i+1, err)
		}
	}
	// Stage 1's evaluation window is all stage 1 saw; the cumulative
	// metrics of stage 1 are its own.
	if stages[0].Metrics["accuracy"] != stages[0].Cumulative["accuracy"] {
		t.Errorf("stage 1: window %v, cumulative %v", stages[0].Metrics, stages[0].Cumulative)
	}
	// A model trained on more data evaluates better here.
	if stages[4].Metrics["accuracy"] <= stages[0].Metrics["accuracy"]-0.05 {
		t.Logf("accuracy by stage: %v … %v", stages[0].Metrics["accuracy"], stages[4].Metrics["accuracy"])
	}

	path := filepath.Join(t.TempDir(), "stages.json")
	if err := SaveStages(path, stages); err != nil {
		t.Fatal(err)
	}
	back, err := LoadStages(path)
	if err != nil || len(back) != 5 || back[4].Checksum != stages[4].Checksum || string(back[4].Snapshot) != string(stages[4].Snapshot) {
		t.Fatalf("LoadStages: %d stages, %v", len(back), err)
	}
	if _, err := LoadStages(filepath.Join(t.TempDir(), "none.json")); err == nil || !strings.Contains(err.Error(), "run the training cell first") {
		t.Errorf("missing file: %v", err)
	}
}

func TestStagesStopWhenTheDataRunsOut(t *testing.T) {
	m, _ := models.NewClassifier("gaussian-nb", nil, nil)
	stages, err := TrainStages(m, newSynth(1, 450), 100, 5)
	if err != nil || len(stages) != 3 {
		t.Fatalf("%d stages from 450 records (%v); want 3: stage 4 would evaluate records 400..499", len(stages), err)
	}
	m, _ = models.NewClassifier("gaussian-nb", nil, nil)
	if _, err := TrainStages(m, newSynth(1, 150), 100, 5); err == nil || !strings.Contains(err.Error(), "fewer than one stage needs (200)") {
		t.Errorf("err = %v", err)
	}
}
