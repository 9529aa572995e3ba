package linear

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
	"gonum.org/v1/gonum/mat"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/linearmodel"
	"github.com/rivulet-ml/rivulet/lib/metrics"
	"github.com/rivulet-ml/rivulet/lib/progress"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// Learner names for LearnConfig.Models.
const (
	// ModelRLS is exact multi-output recursive least squares
	// (linearmodel.RLS).
	ModelRLS = "rls"
	// ModelSGD is River's PerOutputRegressor(LinearRegression()): one SGD
	// linear regression per output, River's defaults.
	ModelSGD = "sgd"
)

// Where Learn starts reading (LearnConfig.From).
const (
	// FromRun starts at the first record of the run that published the
	// latest truth, so an older run's records on the same topic are not
	// mixed in. Without a truth it behaves as FromEarliest.
	FromRun = "run"
	// FromEarliest starts at the oldest retained record.
	FromEarliest = "earliest"
	// FromLatest reads only records produced after Learn starts.
	FromLatest = "latest"
)

// LearnConfig configures Learn. The zero value learns RLS on
// dataLinearModel from the latest sender run until ctx ends.
type LearnConfig struct {
	Brokers    []string // default stream.SplitBrokers("")
	Topic      string   // default DefaultTopic
	TruthTopic string   // default Topic + TruthSuffix
	// Format is "numpy", "json" or "binary"; "" takes the truth's format,
	// else numpy.
	Format string
	// Inputs and Outputs are n and m; 0 takes them from the truth, else the
	// seed's 10 and 8. A record of another length is an error naming its
	// topic, partition and offset.
	Inputs, Outputs int
	// Count is how many records to learn; 0 learns until ctx ends or the
	// stream has been idle for IdleTimeout.
	Count int64
	// From is FromRun (default), FromEarliest or FromLatest.
	From string
	// Models lists the learners fed side by side with the same records:
	// ModelRLS and/or ModelSGD (default: RLS only).
	Models []string
	// RLSOptions and SGDOptions configure the learners (defaults: λ = 1,
	// δ = 1e4; River's LinearRegression defaults).
	RLSOptions []linearmodel.RLSOption
	SGDOptions []linearmodel.Option
	// CheckpointEvery is the spacing of the learning curves in records
	// (default Count/200, or 1000 for an endless run). Records 1, 2, 5,
	// 10, 20, 50, ... below it are checkpoints too, for log-scale plots.
	CheckpointEvery int64
	// IdleTimeout ends the run when no record arrives for that long
	// (0: wait for ever).
	IdleTimeout time.Duration
	// TruthWait bounds the wait for a truth record when From is FromRun
	// and none exists yet (default 0: do not wait, read from the earliest
	// offset). The learner keeps looking for the truth while it runs.
	TruthWait time.Duration
	// SkipBad sends undecodable records to Topic + ".dlq" and goes on;
	// otherwise the first bad record ends the run with a
	// *stream.MessageError.
	SkipBad bool
	// BrokerWait bounds the wait for an unreachable broker (default
	// stream.DefaultBrokerWait).
	BrokerWait time.Duration
	// Progress receives the number of records learnt.
	Progress progress.Reporter
	// OnCheckpoint, if set, is called at every checkpoint with the current
	// point of each model (in Models order), for live plots.
	OnCheckpoint func(records int64, points []Point)
}

// Point is one model's prequential state after Records records: River's
// MAE and RMSE micro-averaged over the outputs (every output's error is one
// observation, as metrics.multioutput.MicroAverage), R² macro-averaged (the
// mean of each output's River R2), and ‖B̂−B‖_F / ‖B‖_F (NaN while no
// truth is known; null in JSON).
type Point struct {
	Records       int64
	MAE           float64
	RMSE          float64
	R2            float64
	RelativeError float64
}

// MarshalJSON writes NaN and ±Inf as null.
func (p Point) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Records       int64    `json:"records"`
		MAE           *float64 `json:"mae"`
		RMSE          *float64 `json:"rmse"`
		R2            *float64 `json:"r2"`
		RelativeError *float64 `json:"relative_error"`
	}{p.Records, finite(p.MAE), finite(p.RMSE), finite(p.R2), finite(p.RelativeError)})
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// ModelResult is one learner's outcome.
type ModelResult struct {
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Final       Point     `json:"final"`
	Series      []Point   `json:"series"`
	PerOutputR2 []float64 `json:"per_output_r2"`
	// B is the learnt m×n coefficient matrix by rows, Intercepts its
	// intercepts.
	B          [][]float64 `json:"b"`
	Intercepts []float64   `json:"intercepts"`
}

// Matrix returns B̂ as a gonum matrix.
func (r *ModelResult) Matrix() *mat.Dense { return (&Truth{B: r.B}).Matrix() }

// LearnResult summarises a Learn run.
type LearnResult struct {
	Topic            string        `json:"topic"`
	Format           string        `json:"format"`
	Inputs           int           `json:"inputs"`
	Outputs          int           `json:"outputs"`
	From             string        `json:"from"`
	Records          int64         `json:"records"`
	DeadLetters      int64         `json:"dead_letters"`
	Elapsed          time.Duration `json:"elapsed_ns"`
	RecordsPerSecond float64       `json:"records_per_second"`
	Truth            *Truth        `json:"truth,omitempty"`
	Models           []ModelResult `json:"models"`
}

// learner is one model with its prequential metrics.
type learner struct {
	name, desc string
	model      linearmodel.MultiRegressor
	rls        *linearmodel.RLS // fast path: prior prediction from the update
	mae        metrics.MAE
	rmse       metrics.RMSE
	r2         []metrics.R2
	pred       []float64
	res        ModelResult
}

func newLearners(cfg *LearnConfig, n, m int) ([]*learner, error) {
	names := cfg.Models
	if len(names) == 0 {
		names = []string{ModelRLS}
	}
	seen := map[string]bool{}
	var out []*learner
	for _, name := range names {
		if seen[name] {
			return nil, fmt.Errorf("linear: model %q listed twice", name)
		}
		seen[name] = true
		l := &learner{name: name, r2: make([]metrics.R2, m), pred: make([]float64, m)}
		switch name {
		case ModelRLS:
			r, err := linearmodel.NewRLS(n, m, cfg.RLSOptions...)
			if err != nil {
				return nil, err
			}
			l.model, l.rls = r, r
			l.desc = "multi-output recursive least squares"
		case ModelSGD:
			p, err := linearmodel.NewPerOutputLinearRegression(m, cfg.SGDOptions...)
			if err != nil {
				return nil, err
			}
			l.model = p
			l.desc = "River PerOutputRegressor(LinearRegression) with SGD"
		default:
			return nil, fmt.Errorf("linear: unknown model %q (want %s or %s)", name, ModelRLS, ModelSGD)
		}
		l.res = ModelResult{Name: name, Description: l.desc}
		out = append(out, l)
	}
	return out, nil
}

// learn is one test-then-train step.
func (l *learner) learn(x feature.Vector, y []float64) {
	if l.rls != nil {
		l.rls.PredictLearnOne(x, y, l.pred)
	} else {
		l.pred = l.model.PredictOne(x, l.pred)
		l.model.LearnOne(x, y)
	}
	for j, yj := range y {
		p := l.pred[j]
		l.mae.Update(yj, p, 1)
		l.rmse.Update(yj, p, 1)
		l.r2[j].Update(yj, p, 1)
	}
}

func (l *learner) point(records int64, inputs int, truth *mat.Dense) Point {
	r2 := 0.0
	for j := range l.r2 {
		r2 += l.r2[j].Get()
	}
	p := Point{Records: records, MAE: l.mae.Get(), RMSE: l.rmse.Get(), R2: r2 / float64(len(l.r2)), RelativeError: math.NaN()}
	if truth != nil {
		bHat, _ := l.coefficients(inputs)
		p.RelativeError = relativeError(bHat, truth)
	}
	return p
}

func (l *learner) coefficients(inputs int) (*mat.Dense, []float64) {
	return l.model.(linearmodel.CoefficientModel).Coefficients(inputs)
}

// relativeError is ‖B̂ − B‖_F / ‖B‖_F.
func relativeError(bHat, b *mat.Dense) float64 {
	var d mat.Dense
	d.Sub(bHat, b)
	return mat.Norm(&d, 2) / mat.Norm(b, 2)
}

// isEarlyCheckpoint marks 1, 2, 5, 10, 20, 50, ... .
func isEarlyCheckpoint(n int64) bool {
	for n >= 10 && n%10 == 0 {
		n /= 10
	}
	return n == 1 || n == 2 || n == 5
}

// Learn consumes the linear-model topic and learns it test-then-train with
// the configured models. It returns after Count records, when ctx ends
// (no error: that is how an endless run stops) or after IdleTimeout
// without records.
func Learn(ctx context.Context, cfg LearnConfig) (*LearnResult, error) {
	if len(cfg.Brokers) == 0 {
		cfg.Brokers = stream.SplitBrokers("")
	}
	if cfg.Topic == "" {
		cfg.Topic = DefaultTopic
	}
	if cfg.TruthTopic == "" {
		cfg.TruthTopic = cfg.Topic + TruthSuffix
	}
	if cfg.From == "" {
		cfg.From = FromRun
	}
	if cfg.From != FromRun && cfg.From != FromEarliest && cfg.From != FromLatest {
		return nil, fmt.Errorf("linear: from %q: want %s, %s or %s", cfg.From, FromRun, FromEarliest, FromLatest)
	}
	if cfg.Count < 0 {
		return nil, fmt.Errorf("linear: count %d is negative", cfg.Count)
	}
	if err := stream.WaitForBroker(ctx, cfg.Brokers, cfg.BrokerWait); err != nil {
		return nil, err
	}

	truth, err := findTruth(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	n, m := cfg.Inputs, cfg.Outputs
	formatName := cfg.Format
	if truth != nil {
		if n == 0 {
			n = truth.Params.Inputs
		}
		if m == 0 {
			m = truth.Params.Outputs
		}
		if n != truth.Params.Inputs || m != truth.Params.Outputs {
			return nil, fmt.Errorf("linear: configured n=%d m=%d but the truth in %s says n=%d m=%d", n, m, cfg.TruthTopic, truth.Params.Inputs, truth.Params.Outputs)
		}
		if formatName == "" {
			formatName = truth.Format
		}
	}
	if n == 0 {
		n = 10
	}
	if m == 0 {
		m = 8
	}
	format, err := stream.ParseLinearFormat(formatName)
	if err != nil {
		return nil, err
	}
	codec, err := stream.NewLinearCodec(format, n, m)
	if err != nil {
		return nil, err
	}
	learners, err := newLearners(&cfg, n, m)
	if err != nil {
		return nil, err
	}
	every := cfg.CheckpointEvery
	if every <= 0 {
		every = 1000
		if cfg.Count > 0 {
			every = max(1, cfg.Count/200)
		}
	}

	res := &LearnResult{Topic: cfg.Topic, Format: format.String(), Inputs: n, Outputs: m, From: cfg.From, Truth: truth}
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()

	// The truth may arrive after the learner started (sender started
	// later); keep looking for it in the background.
	var truthPtr atomic.Pointer[Truth]
	var truthB atomic.Pointer[mat.Dense]
	setTruth := func(t *Truth) {
		truthPtr.Store(t)
		truthB.Store(t.Matrix())
	}
	if truth != nil {
		setTruth(truth)
	} else {
		go func() {
			for readCtx.Err() == nil {
				if t, err := LatestTruth(readCtx, cfg.Brokers, cfg.TruthTopic); err == nil {
					if t.Params.Inputs == n && t.Params.Outputs == m {
						setTruth(t)
					}
					return
				}
				select {
				case <-readCtx.Done():
				case <-time.After(time.Second):
				}
			}
		}()
	}

	src, err := openSource(readCtx, &cfg, truth)
	if err != nil {
		return nil, err
	}
	defer src.close()

	var dlq *stream.DeadLetterWriter
	if cfg.SkipBad {
		dlq = stream.NewDeadLetterWriter(cfg.Brokers, cfg.Topic)
		defer dlq.Close()
	}

	// Idle watchdog: cancels the read when no record arrived for
	// IdleTimeout. It watches a counter the loop bumps, so the loop does
	// not read the clock per record.
	var arrived atomic.Int64
	var idled atomic.Bool
	if cfg.IdleTimeout > 0 {
		go func() {
			t := time.NewTicker(min(cfg.IdleTimeout/4+time.Millisecond, 250*time.Millisecond))
			defer t.Stop()
			seen, since := arrived.Load(), time.Now()
			for {
				select {
				case <-readCtx.Done():
					return
				case now := <-t.C:
					if n := arrived.Load(); n != seen {
						seen, since = n, now
					} else if now.Sub(since) > cfg.IdleTimeout {
						idled.Store(true)
						stopReading()
						return
					}
				}
			}
		}()
	}

	rep := progress.Nop(cfg.Progress)
	total := cfg.Count
	if total == 0 {
		total = -1
	}
	rep.Start("learn "+cfg.Topic, total)
	defer rep.Done()

	var rec stream.LinearRecord
	var pending int64 // progress not yet reported
	points := make([]Point, len(learners))
	checkpoint := func(records int64) {
		b := truthB.Load()
		for i, l := range learners {
			points[i] = l.point(records, n, b)
			l.res.Series = append(l.res.Series, points[i])
		}
		if cfg.OnCheckpoint != nil {
			cfg.OnCheckpoint(records, points)
		}
	}
	began := time.Now()
	var runErr error
	for cfg.Count == 0 || res.Records < cfg.Count {
		msg, err := src.next(readCtx)
		if err != nil {
			if readCtx.Err() != nil && (ctx.Err() != nil || idled.Load()) {
				if ctx.Err() != nil && cfg.Count > 0 {
					runErr = ctx.Err()
				}
				break
			}
			runErr = err
			break
		}
		arrived.Add(1)
		if err := codec.DecodeMessage(msg, &rec); err != nil {
			if dlq == nil {
				runErr = err
				break
			}
			if err := dlq.Send(ctx, msg, err); err != nil {
				runErr = fmt.Errorf("dead-letter: %w", err)
				break
			}
			res.DeadLetters++
			continue
		}
		x := feature.Dense(rec.X)
		for _, l := range learners {
			l.learn(x, rec.Y)
		}
		res.Records++
		if pending++; pending == 256 {
			rep.Add(pending)
			pending = 0
		}
		if r := res.Records; r%every == 0 || (r < every && isEarlyCheckpoint(r)) || r == cfg.Count {
			checkpoint(r)
		}
	}
	rep.Add(pending)
	res.Elapsed = time.Since(began)
	if secs := res.Elapsed.Seconds(); secs > 0 {
		res.RecordsPerSecond = float64(res.Records) / secs
	}
	stopReading()
	if t := truthPtr.Load(); t != nil {
		res.Truth = t
	}
	if res.Records > 0 {
		if s := learners[0].res.Series; len(s) == 0 || s[len(s)-1].Records != res.Records {
			checkpoint(res.Records)
		}
	}
	for _, l := range learners {
		b, icpt := l.coefficients(n)
		l.res.B, l.res.Intercepts = MatrixRows(b), icpt
		l.res.PerOutputR2 = make([]float64, m)
		for j := range l.r2 {
			l.res.PerOutputR2[j] = l.r2[j].Get()
		}
		if len(l.res.Series) > 0 {
			l.res.Final = l.res.Series[len(l.res.Series)-1]
		} else {
			l.res.Final = Point{RelativeError: math.NaN(), MAE: math.NaN(), RMSE: math.NaN(), R2: math.NaN()}
		}
		res.Models = append(res.Models, l.res)
	}
	return res, runErr
}

// findTruth reads the latest truth, waiting up to cfg.TruthWait for one.
func findTruth(ctx context.Context, cfg *LearnConfig) (*Truth, error) {
	deadline := time.Now().Add(cfg.TruthWait)
	for {
		t, err := LatestTruth(ctx, cfg.Brokers, cfg.TruthTopic)
		if err == nil {
			return t, nil
		}
		if !errors.Is(err, ErrNoTruth) {
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// source yields the topic's records: one partition reader read directly,
// or several merged through a channel.
type source struct {
	readers []*kafka.Reader
	ch      chan kafka.Message
	errc    chan error
	wg      sync.WaitGroup
}

func openSource(ctx context.Context, cfg *LearnConfig, truth *Truth) (*source, error) {
	// Wait for the topic: the learner may start before the sender.
	var ends map[int]int64
	for {
		var err error
		ends, err = stream.TopicEndOffsets(ctx, cfg.Brokers, cfg.Topic)
		if err == nil {
			break
		}
		if !errors.Is(err, kafka.UnknownTopicOrPartition) {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	s := &source{}
	for p := range ends {
		start := kafka.FirstOffset
		switch cfg.From {
		case FromLatest:
			start = kafka.LastOffset
		case FromRun:
			if truth != nil && truth.Topic == cfg.Topic {
				if off, ok := truth.StartOffsets[p]; ok {
					start = off
				}
			}
		}
		r := stream.NewReader(cfg.Brokers, cfg.Topic, stream.WithPartition(p),
			stream.WithReaderTuning(func(c *kafka.ReaderConfig) { c.QueueCapacity = 4096 }))
		if err := r.SetOffset(start); err != nil {
			s.close()
			r.Close()
			return nil, err
		}
		s.readers = append(s.readers, r)
	}
	if len(s.readers) > 1 {
		s.ch = make(chan kafka.Message, 4096)
		s.errc = make(chan error, len(s.readers))
		for _, r := range s.readers {
			s.wg.Add(1)
			go func(r *kafka.Reader) {
				defer s.wg.Done()
				for {
					msg, err := r.ReadMessage(ctx)
					if err != nil {
						s.errc <- err
						return
					}
					select {
					case s.ch <- msg:
					case <-ctx.Done():
						s.errc <- ctx.Err()
						return
					}
				}
			}(r)
		}
	}
	return s, nil
}

func (s *source) next(ctx context.Context) (kafka.Message, error) {
	if s.ch == nil {
		return s.readers[0].ReadMessage(ctx)
	}
	select {
	case msg := <-s.ch:
		return msg, nil
	case err := <-s.errc:
		return kafka.Message{}, err
	case <-ctx.Done():
		return kafka.Message{}, ctx.Err()
	}
}

func (s *source) close() {
	for _, r := range s.readers {
		r.Close()
	}
	s.wg.Wait()
}
