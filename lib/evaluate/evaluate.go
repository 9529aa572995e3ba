package evaluate

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"time"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/metrics"
	"github.com/rivulet-ml/rivulet/lib/progress"
)

// Record is one labelled record: a class (int) for classification, a
// target (float64) for regression.
type Record[Y int | float64] struct {
	X feature.Vector
	Y Y
	// W is the weight the model learns the record with; 0 means 1. As in
	// River, metrics are not weighted.
	W float64
}

// FromSlices streams xs[i] with label ys[i]. The slices must have the
// same length; the shorter one bounds the stream otherwise.
func FromSlices[Y int | float64](xs []feature.Vector, ys []Y) iter.Seq[Record[Y]] {
	return func(yield func(Record[Y]) bool) {
		for i := range min(len(xs), len(ys)) {
			if !yield(Record[Y]{X: xs[i], Y: ys[i]}) {
				return
			}
		}
	}
}

// FromRecords streams a slice of records.
func FromRecords[Y int | float64](recs []Record[Y]) iter.Seq[Record[Y]] {
	return func(yield func(Record[Y]) bool) {
		for _, r := range recs {
			if !yield(r) {
				return
			}
		}
	}
}

// FromSeq2 adapts a Go iterator of (features, label) pairs.
func FromSeq2[Y int | float64](seq iter.Seq2[feature.Vector, Y]) iter.Seq[Record[Y]] {
	return func(yield func(Record[Y]) bool) {
		for x, y := range seq {
			if !yield(Record[Y]{X: x, Y: y}) {
				return
			}
		}
	}
}

// FromChan streams records from ch until it is closed or ctx is done (the
// evaluation then reports ctx's error).
func FromChan[Y int | float64](ctx context.Context, ch <-chan Record[Y]) iter.Seq[Record[Y]] {
	return func(yield func(Record[Y]) bool) {
		for {
			select {
			case <-ctx.Done():
				return
			case r, ok := <-ch:
				if !ok || !yield(r) {
					return
				}
			}
		}
	}
}

// FromPull adapts a reader-style source: next advances and reports whether
// a record is available, get returns it. Pass the source's error function
// to WithSourceErr so that a failure is not mistaken for the end.
func FromPull[Y int | float64](next func() bool, get func() (feature.Vector, Y)) iter.Seq[Record[Y]] {
	return func(yield func(Record[Y]) bool) {
		for next() {
			x, y := get()
			if !yield(Record[Y]{X: x, Y: y}) {
				return
			}
		}
	}
}

// MetricValue is a metric's name and value.
type MetricValue struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// Checkpoint is the state of an evaluation after Records records.
type Checkpoint struct {
	Records          int           `json:"records"`
	Metrics          []MetricValue `json:"metrics"`
	Elapsed          time.Duration `json:"elapsed_ns"`
	RecordsPerSecond float64       `json:"records_per_second"`
	// MemoryBytes is the model's MemoryBytes, or -1 when the model does not
	// report its memory.
	MemoryBytes int64 `json:"memory_bytes"`
}

// Result is the outcome of an evaluation.
type Result struct {
	// Records is the number of records learnt.
	Records int `json:"records"`
	// Scored is the number of records whose prediction updated the metrics
	// (records seen before the model could predict are not scored).
	Scored           int           `json:"scored"`
	Metrics          []MetricValue `json:"metrics"`
	Elapsed          time.Duration `json:"elapsed_ns"`
	RecordsPerSecond float64       `json:"records_per_second"`
	MemoryBytes      int64         `json:"memory_bytes"`
	// Checkpoints holds one entry every WithCheckpointEvery records and one
	// for the last record (as River's iter_progressive_val_score).
	Checkpoints []Checkpoint `json:"checkpoints,omitempty"`
}

// Metric returns the final value of the named metric.
func (r *Result) Metric(name string) (float64, bool) {
	for _, m := range r.Metrics {
		if m.Name == name {
			return m.Value, true
		}
	}
	return 0, false
}

// Option configures an evaluation.
type Option func(*config)

type config struct {
	metrics    []metrics.ClassificationMetric
	regMetrics []metrics.RegressionMetric
	every      int
	onCheck    func(Checkpoint)
	progress   progress.Reporter
	label      string
	total      int64
	sourceErr  func() error
	keep       bool
}

// WithMetrics sets the classification metrics (default: Accuracy). The
// metrics are updated in place, so the caller can read them afterwards.
func WithMetrics(ms ...metrics.ClassificationMetric) Option {
	return func(c *config) { c.metrics = append(c.metrics, ms...) }
}

// WithRegressionMetrics sets the regression metrics (default: MAE).
func WithRegressionMetrics(ms ...metrics.RegressionMetric) Option {
	return func(c *config) { c.regMetrics = append(c.regMetrics, ms...) }
}

// WithCheckpointEvery takes a checkpoint every n records (n ≤ 0: none).
// Checkpoints are kept in Result.Checkpoints and passed to the
// WithCheckpointFunc callback.
func WithCheckpointEvery(n int) Option { return func(c *config) { c.every = n } }

// WithCheckpointFunc calls fn at every checkpoint, on the evaluating
// goroutine.
func WithCheckpointFunc(fn func(Checkpoint)) Option { return func(c *config) { c.onCheck = fn } }

// WithoutCheckpointHistory stops Result.Checkpoints from accumulating (for
// very long runs that only need the callback).
func WithoutCheckpointHistory() Option { return func(c *config) { c.keep = false } }

// WithProgress reports the records processed to r, under label.
func WithProgress(r progress.Reporter, label string) Option {
	return func(c *config) { c.progress, c.label = r, label }
}

// WithTotal tells the progress reporter how many records to expect.
func WithTotal(n int64) Option { return func(c *config) { c.total = n } }

// WithSourceErr registers the source's error function, checked when the
// stream ends; a non-nil error fails the evaluation.
func WithSourceErr(fn func() error) Option { return func(c *config) { c.sourceErr = fn } }

func newConfig(opts []Option) *config {
	c := &config{total: -1, keep: true, label: "evaluating"}
	for _, o := range opts {
		o(c)
	}
	return c
}

// ErrBadRecord is wrapped by errors about invalid records.
var ErrBadRecord = errors.New("invalid record")

// progressBatch is how many records are reported to the progress reporter
// at once.
const progressBatch = 1024

// Progressive runs progressive validation of a classifier over src. On
// cancellation of ctx, a source error or an invalid record it stops and
// returns the result so far with the error.
func Progressive(ctx context.Context, model base.Classifier, src iter.Seq[Record[int]], opts ...Option) (*Result, error) {
	cfg := newConfig(opts)
	if len(cfg.regMetrics) > 0 {
		return nil, errors.New("evaluate: regression metrics given to a classification evaluation")
	}
	ms := cfg.metrics
	if len(ms) == 0 {
		ms = []metrics.ClassificationMetric{metrics.NewAccuracy()}
	}
	needProba := false
	for _, m := range ms {
		needProba = needProba || !m.RequiresLabels()
	}
	values := func() []MetricValue {
		out := make([]MetricValue, len(ms))
		for i, m := range ms {
			out[i] = MetricValue{m.Name(), m.Get()}
		}
		return out
	}
	run := newRunner(cfg, model, values)
	var proba []float64
	var err error
	for rec := range src {
		if run.n&255 == 0 {
			if err = ctx.Err(); err != nil {
				break
			}
		}
		if rec.Y < 0 {
			err = fmt.Errorf("evaluate: record %d: %w: negative class %d", run.n+1, ErrBadRecord, rec.Y)
			break
		}
		if needProba {
			proba = model.PredictProbaOne(rec.X, proba)
			if len(proba) > 0 {
				run.scored++
				for _, m := range ms {
					m.UpdateProba(rec.Y, proba, 1)
				}
			}
		} else if yp := model.PredictOne(rec.X); yp >= 0 {
			run.scored++
			for _, m := range ms {
				m.Update(rec.Y, yp, 1)
			}
		}
		if rec.W == 0 {
			model.LearnOne(rec.X, rec.Y)
		} else {
			model.LearnWeighted(rec.X, rec.Y, rec.W)
		}
		run.step()
	}
	return run.finish(ctx, err)
}

// ProgressiveRegression runs progressive validation of a regressor over src.
func ProgressiveRegression(ctx context.Context, model base.Regressor, src iter.Seq[Record[float64]], opts ...Option) (*Result, error) {
	cfg := newConfig(opts)
	if len(cfg.metrics) > 0 {
		return nil, errors.New("evaluate: classification metrics given to a regression evaluation")
	}
	ms := cfg.regMetrics
	if len(ms) == 0 {
		ms = []metrics.RegressionMetric{metrics.NewMAE()}
	}
	values := func() []MetricValue {
		out := make([]MetricValue, len(ms))
		for i, m := range ms {
			out[i] = MetricValue{m.Name(), m.Get()}
		}
		return out
	}
	run := newRunner(cfg, model, values)
	var err error
	for rec := range src {
		if run.n&255 == 0 {
			if err = ctx.Err(); err != nil {
				break
			}
		}
		if math.IsNaN(rec.Y) || math.IsInf(rec.Y, 0) {
			err = fmt.Errorf("evaluate: record %d: %w: target %v", run.n+1, ErrBadRecord, rec.Y)
			break
		}
		yp := model.PredictOne(rec.X)
		run.scored++
		for _, m := range ms {
			m.Update(rec.Y, yp, 1)
		}
		if rec.W == 0 {
			model.LearnOne(rec.X, rec.Y)
		} else {
			model.LearnWeighted(rec.X, rec.Y, rec.W)
		}
		run.step()
	}
	return run.finish(ctx, err)
}

// runner holds the bookkeeping shared by both loops.
type runner struct {
	cfg      *config
	model    any
	values   func() []MetricValue
	rep      progress.Reporter
	start    time.Time
	n        int
	scored   int
	reported int
	lastCP   int
	checks   []Checkpoint
}

func newRunner(cfg *config, model any, values func() []MetricValue) *runner {
	r := &runner{cfg: cfg, model: model, values: values, rep: progress.Nop(cfg.progress)}
	r.rep.Start(cfg.label, cfg.total)
	r.start = time.Now()
	return r
}

func (r *runner) step() {
	r.n++
	if r.n-r.reported >= progressBatch {
		r.rep.Add(int64(r.n - r.reported))
		r.reported = r.n
	}
	if r.cfg.every > 0 && r.n%r.cfg.every == 0 {
		r.checkpoint()
	}
}

func (r *runner) memory() int64 {
	if mr, ok := r.model.(base.MemoryReporter); ok {
		return mr.MemoryBytes()
	}
	return -1
}

func (r *runner) checkpoint() {
	el := time.Since(r.start)
	cp := Checkpoint{Records: r.n, Metrics: r.values(), Elapsed: el, RecordsPerSecond: rate(r.n, el), MemoryBytes: r.memory()}
	r.lastCP = r.n
	if r.cfg.keep {
		r.checks = append(r.checks, cp)
	}
	if r.cfg.onCheck != nil {
		r.cfg.onCheck(cp)
	}
}

func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

func (r *runner) finish(ctx context.Context, err error) (*Result, error) {
	if err == nil && r.cfg.sourceErr != nil {
		if serr := r.cfg.sourceErr(); serr != nil {
			err = fmt.Errorf("evaluate: source failed after %d records: %w", r.n, serr)
		}
	}
	if err == nil {
		// A channel source ends quietly on cancellation; report it.
		err = ctx.Err()
	}
	if r.cfg.every > 0 && r.n > 0 && r.lastCP != r.n {
		r.checkpoint()
	}
	el := time.Since(r.start)
	r.rep.Add(int64(r.n - r.reported))
	r.rep.Done()
	res := &Result{
		Records:          r.n,
		Scored:           r.scored,
		Metrics:          r.values(),
		Elapsed:          el,
		RecordsPerSecond: rate(r.n, el),
		MemoryBytes:      r.memory(),
		Checkpoints:      r.checks,
	}
	return res, err
}
