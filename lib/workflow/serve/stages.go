package serve

import (
	"fmt"
	"time"

	"github.com/rivulet-ml/rivulet/internal/jsonfile"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/metrics"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
	"github.com/rivulet-ml/rivulet/lib/workflow/urls"
)

// DefaultStageRecords is the original's stage size: generate_run learned
// 100 records (max_train_size) and evaluated the next 100.
const DefaultStageRecords = 100

// Stage is one training run of the original's PublishModelUpdates notebook
// (generate_run, one MLflow run per model version), with its bug fixed.
//
// Run i of the original took the first 100·(i+2) records, skipped
// 100·i of them, learned the next 100 and predicted the 100 after those,
// updating its metrics. Its record counter was not reset between runs, so
// from run 1 on it never learned: every published version was the model of
// run 0. Here stage i really learns records [n·i, n·(i+1)) and then
// evaluates, without learning, on [n·(i+1), n·(i+2)), which the next stage
// learns.
type Stage struct {
	Index     int `json:"stage"`      // 1-based; the original's run index + 1
	TrainFrom int `json:"train_from"` // record range learned, [from, to), 0-based
	TrainTo   int `json:"train_to"`
	EvalFrom  int `json:"eval_from"` // record range evaluated
	EvalTo    int `json:"eval_to"`
	Learned   int `json:"learned"` // records learned by this stage
	// Metrics on this stage's evaluation window: accuracy (the original's
	// MicroRecall), f1, recall, rocauc (River's ROCAUC on probabilities)
	// and rocauc_labels (on hard labels, as the original fed it).
	Metrics map[string]float64 `json:"metrics"`
	// Cumulative holds the same metrics over every evaluation window so
	// far: the original's metric objects lived across runs, so the value
	// it logged for run i covered runs 0..i.
	Cumulative map[string]float64 `json:"cumulative"`
	Seconds    float64            `json:"seconds"`
	Snapshot   []byte             `json:"snapshot"`
	Checksum   uint32             `json:"checksum"`
}

type record struct {
	x feature.Vector
	y int
}

type evalMetrics struct {
	accuracy            *metrics.Accuracy
	f1                  *metrics.F1
	recall              *metrics.Recall
	rocauc, rocaucLabel *metrics.ROCAUC
}

func newEvalMetrics() *evalMetrics {
	return &evalMetrics{metrics.NewAccuracy(), metrics.NewF1(), metrics.NewRecall(), metrics.NewROCAUC(), metrics.NewROCAUC()}
}

func (e *evalMetrics) update(y int, proba []float64) {
	pred := base.Argmax(proba)
	if pred < 0 {
		return // no class seen: River's evaluate skips a None prediction
	}
	e.accuracy.Update(y, pred, 1)
	e.f1.Update(y, pred, 1)
	e.recall.Update(y, pred, 1)
	e.rocaucLabel.Update(y, pred, 1)
	e.rocauc.UpdateProba(y, proba, 1)
}

func (e *evalMetrics) values() map[string]float64 {
	return map[string]float64{"accuracy": e.accuracy.Get(), "f1": e.f1.Get(), "recall": e.recall.Get(),
		"rocauc": e.rocauc.Get(), "rocauc_labels": e.rocaucLabel.Get()}
}

// TrainStages trains model in stages of n records read from src and
// returns one Stage per version, each with the model's snapshot after it.
// It stops after versions stages or when src runs out of records for a
// complete stage.
func TrainStages(model base.Classifier, src urls.Records, n, versions int) ([]Stage, error) {
	sm, ok := model.(snapshot.Model)
	if !ok {
		return nil, fmt.Errorf("serve: %T cannot be snapshotted", model)
	}
	if n <= 0 || versions <= 0 {
		return nil, fmt.Errorf("serve: stages of %d records, %d versions: both must be positive", n, versions)
	}
	read := func(k int) []record {
		out := make([]record, 0, k)
		for len(out) < k && src.Next() {
			y := 0
			if src.Y() {
				y = 1
			}
			out = append(out, record{src.X().Clone(), y})
		}
		return out
	}
	cumulative := newEvalMetrics()
	train := read(n)
	var out []Stage
	var proba []float64
	for i := range versions {
		eval := read(n)
		if len(train) < n || len(eval) < n {
			if err := src.Err(); err != nil {
				return out, err
			}
			if len(out) == 0 {
				return nil, fmt.Errorf("serve: the data holds %d records, fewer than one stage needs (%d)", len(train)+len(eval), 2*n)
			}
			break
		}
		start := time.Now()
		for _, r := range train {
			model.LearnOne(r.x, r.y)
		}
		stage := newEvalMetrics()
		for _, r := range eval {
			proba = model.PredictProbaOne(r.x, proba)
			stage.update(r.y, proba)
			cumulative.update(r.y, proba)
		}
		snap := snapshot.Marshal(sm)
		h, _, err := snapshot.Inspect(snap)
		if err != nil {
			return out, err
		}
		out = append(out, Stage{Index: i + 1, TrainFrom: n * i, TrainTo: n * (i + 1), EvalFrom: n * (i + 1), EvalTo: n * (i + 2),
			Learned: len(train), Metrics: stage.values(), Cumulative: cumulative.values(),
			Seconds: time.Since(start).Seconds(), Snapshot: snap, Checksum: h.Checksum})
		train = eval
	}
	return out, src.Err()
}

// SaveStages writes stages (with their snapshots) to path as JSON, for a
// later notebook cell.
func SaveStages(path string, stages []Stage) error {
	if err := jsonfile.Save(path, stages); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// LoadStages reads what SaveStages wrote.
func LoadStages(path string) ([]Stage, error) {
	var out []Stage
	if err := jsonfile.Load(path, &out, "the training cell"); err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return out, nil
}
