package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/rivulet-ml/rivulet/internal/jsonfile"
	"github.com/rivulet-ml/rivulet/internal/syncio"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/stream"
	"github.com/rivulet-ml/rivulet/lib/workflow/urls"
)

// Defaults of RunStages.
const (
	// DefaultStreamPerVersion is how many records are streamed while each
	// version serves when WithStreamPerVersion is not given.
	DefaultStreamPerVersion = 100
	// DefaultStreamFlushSize and DefaultStreamSleep are the bursts records
	// are streamed in: smaller and quicker than the original producer's
	// 600 and 1 s, so that a demonstration of five versions takes seconds.
	DefaultStreamFlushSize = 100
	DefaultStreamSleep     = 100 * time.Millisecond
)

// StagesRun is what RunStages did, saved by notebook 06 for its later
// cells and printed by `rivulet serve stages --json`.
type StagesRun struct {
	// Replica and Group are the service's: a fresh pair per run unless
	// WithServeOptions names them.
	Replica string `json:"replica"`
	Group   string `json:"group"`
	// Published holds one publication per stage, in stage order.
	Published []PublishResult `json:"published"`
	// Served says, per stage, which version served and how many records
	// were streamed while it did.
	Served []StageServed `json:"served"`
	// Streamed is the number of records streamed in all.
	Streamed int `json:"streamed"`
	// Summary is the service's, after the graceful stop; Swaps its swaps.
	Summary *Summary `json:"summary"`
	Swaps   []Swap   `json:"swaps"`
	// Predictions are this run's own (its replica's), read back from the
	// predictions topic after the stop.
	Predictions []Prediction `json:"predictions"`
	// The REST exchange, empty when the service ran without HTTP:
	// Request is the body sent to POST /predict, Response the answer's
	// status line and body, Health and Metrics the bodies of GET /healthz
	// and GET /metrics.
	Request  string `json:"request,omitempty"`
	Response string `json:"response,omitempty"`
	Health   string `json:"health,omitempty"`
	Metrics  string `json:"metrics,omitempty"`
}

// StageServed is one stage of a StagesRun.
type StageServed struct {
	Stage    int   `json:"stage"`
	Version  int64 `json:"version"`
	Streamed int   `json:"streamed"`
}

// StagesOption configures RunStages. The settings shared by publishing and
// serving (WithBrokers, WithModelTopic, WithSchema, WithBrokerWait) are
// StagesOptions themselves; WithPublishOptions and WithServeOptions pass
// the others on.
type StagesOption interface{ applyStages(*stagesConfig) }

type stagesConfig struct {
	publish   []PublishOption
	serve     []ServeOption
	perStage  int
	flushSize int
	sleep     time.Duration
	request   *feature.Vector
	log       io.Writer
}

type stagesOpt func(*stagesConfig)

func (o stagesOpt) applyStages(c *stagesConfig) { o(c) }

func (o Option) applyStages(c *stagesConfig) {
	c.publish = append(c.publish, o)
	c.serve = append(c.serve, o)
}

// WithPublishOptions applies opts to every publication, e.g.
// WithModelName("arf", "leaf_prediction=mc"). Each stage's metrics are
// attached after them; WithVersion makes no sense here (the topic numbers
// the versions).
func WithPublishOptions(opts ...PublishOption) StagesOption {
	return stagesOpt(func(c *stagesConfig) { c.publish = append(c.publish, opts...) })
}

// WithServeOptions applies opts to the scoring service after RunStages'
// own: a fresh consumer group and replica name, HTTP on a free port of
// 127.0.0.1, start at the latest offsets. Use it for the topics
// (WithFeaturesTopic, WithPredictionsTopic), WithLearn, or WithHTTP("") to
// run without the REST exchange. WithMaxRecords and WithIdleTimeout would
// stop the service under the run's feet: leave them out.
func WithServeOptions(opts ...ServeOption) StagesOption {
	return stagesOpt(func(c *stagesConfig) { c.serve = append(c.serve, opts...) })
}

// WithStreamPerVersion streams n records while each version serves
// (default DefaultStreamPerVersion). StreamPerVersion shares a data set
// among the versions.
func WithStreamPerVersion(n int) StagesOption {
	return stagesOpt(func(c *stagesConfig) { c.perStage = n })
}

// WithStreamThrottle streams in bursts of flushSize records with a pause of
// sleep after each (default DefaultStreamFlushSize, DefaultStreamSleep), as
// urls.WithThrottle.
func WithStreamThrottle(flushSize int, sleep time.Duration) StagesOption {
	return stagesOpt(func(c *stagesConfig) { c.flushSize, c.sleep = flushSize, sleep })
}

// WithRequest sets the features sent to POST /predict (default: the first
// record streamed). The original's test payload was record 5 of Day0.
func WithRequest(x feature.Vector) StagesOption {
	return stagesOpt(func(c *stagesConfig) { x = x.Clone(); c.request = &x })
}

// WithRunLog receives one line per step (publication, records streamed and
// scored) and the service's own log lines.
func WithRunLog(w io.Writer) StagesOption { return stagesOpt(func(c *stagesConfig) { c.log = w }) }

// StreamPerVersion shares what a data set of records holds after the
// training and evaluation windows of stages of stageRecords each among the
// stages' versions: at least 1 each.
func StreamPerVersion(records, stages, stageRecords int) int {
	if stages <= 0 {
		return 1
	}
	return max((records-(stages+1)*stageRecords)/stages, 1)
}

// RunStages deploys trained stages the way the original's
// PublishModelUpdates notebook and endpoint meant to, in one call that
// stops everything it started before it returns:
//
//  1. publishes stage 1, so that the service has a model when it starts;
//  2. starts a scoring service (Start) reading the features topic from its
//     latest offsets in a consumer group of its own;
//  3. for each stage: publishes its version (from the second on), waits
//     until the service serves it, streams the next records of src to the
//     features topic (urls.Produce) and waits until they are all scored;
//  4. sends the REST endpoint a POST /predict naming the served version and
//     reads GET /healthz and GET /metrics (unless WithHTTP("") was given);
//  5. stops the service gracefully and reads this run's predictions back.
//
// src must be the records the stages were trained on, from the start:
// RunStages skips the training and evaluation windows (the last stage's
// EvalTo records) and streams what follows. A source that runs out streams
// fewer records; one that ends inside the windows is an error.
func RunStages(ctx context.Context, stages []Stage, src urls.Records, opts ...StagesOption) (*StagesRun, error) {
	if len(stages) == 0 {
		return nil, errors.New("serve: no stages to run (train them with TrainStages)")
	}
	c := stagesConfig{perStage: DefaultStreamPerVersion, flushSize: DefaultStreamFlushSize, sleep: DefaultStreamSleep}
	for _, o := range opts {
		o.applyStages(&c)
	}
	if c.perStage <= 0 {
		return nil, fmt.Errorf("serve: %d records per version: must be positive", c.perStage)
	}
	if c.log != nil {
		// The service logs from its own goroutines into the same writer.
		c.log = &syncio.Writer{W: c.log}
	}
	logf := func(format string, args ...any) {
		if c.log != nil {
			fmt.Fprintf(c.log, format, args...)
		}
	}
	run := &StagesRun{}
	publish := func(s Stage) (PublishResult, error) {
		opts := append(append([]PublishOption{}, c.publish...), WithMetrics(s.Metrics))
		res, err := PublishSnapshot(ctx, s.Snapshot, opts...)
		if err != nil {
			return res, fmt.Errorf("serve: publishing stage %d: %w", s.Index, err)
		}
		logf("published stage %d as version %d: %d bytes in %d record(s), %s\n",
			s.Index, res.Version, res.Bytes, res.Chunks, ChecksumString(res.Checksum))
		run.Published = append(run.Published, res)
		return res, nil
	}
	first, err := publish(stages[0])
	if err != nil {
		return nil, err
	}

	// A fresh group and replica name: other services on the broker score
	// the same records in their own groups, and this run keeps to its own
	// predictions.
	id := fmt.Sprintf("rivulet-stages-%d", time.Now().UnixNano())
	svcOpts := append([]ServeOption{WithGroup(id), WithReplicaID(id), WithHTTP("127.0.0.1:0"),
		WithStartOffset(Latest), WithLog(c.log)}, c.serve...)
	svc, err := Start(ctx, svcOpts...)
	if err != nil {
		return nil, err
	}
	defer svc.Stop() // also when a step below fails; Stop twice is harmless
	run.Replica, run.Group = svc.c.replica, svc.c.group
	if err := svc.WaitVersion(ctx, first.Version); err != nil {
		return nil, err
	}
	brokers, features, predictions := svc.c.brokers, svc.c.features, svc.c.predictions
	from, err := stream.TopicEndOffsets(ctx, brokers, predictions) // this run's predictions start here
	if err != nil {
		return nil, err
	}

	skip := stages[len(stages)-1].EvalTo
	for i := 0; i < skip; i++ {
		if !src.Next() {
			if err := src.Err(); err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("serve: the records end after %d, inside the stages' training and evaluation windows (%d records)", i, skip)
		}
	}
	rec := &firstRecord{Records: src}
	for i, s := range stages {
		if i > 0 {
			res, err := publish(s)
			if err != nil {
				return nil, err
			}
			if err := svc.WaitVersion(ctx, res.Version); err != nil {
				return nil, err
			}
		}
		sent, err := urls.Produce(ctx, rec, urls.WithBrokers(brokers...), urls.WithTopic(features),
			urls.WithBrokerWait(svc.c.brokerWait), urls.WithMaxSize(c.perStage), urls.WithThrottle(c.flushSize, c.sleep))
		if err != nil {
			return nil, fmt.Errorf("serve: streaming stage %d's records: %w", s.Index, err)
		}
		run.Streamed += sent.Records
		if err := svc.WaitRecords(ctx, int64(run.Streamed)); err != nil {
			return nil, err
		}
		v := svc.Version()
		run.Served = append(run.Served, StageServed{Stage: s.Index, Version: v, Streamed: sent.Records})
		logf("  streamed %d records while version %d served; all scored\n", sent.Records, v)
	}

	if addr := svc.HTTPAddr(); addr != "" {
		x := rec.x
		if c.request != nil {
			x = *c.request
		}
		if err := run.exchange(ctx, "http://"+addr, x, svc.Version()); err != nil {
			return nil, err
		}
	}
	if run.Summary, err = svc.Stop(); err != nil {
		return nil, err
	}
	run.Swaps = run.Summary.Swaps
	all, err := ReadPredictions(ctx, brokers, predictions, from, 0)
	if err != nil {
		return nil, err
	}
	run.Predictions = OfReplica(all, run.Replica)
	logf("service stopped: %d records scored, %d predictions read back from %s, %d model swaps\n",
		run.Summary.Records, len(run.Predictions), predictions, len(run.Swaps))
	return run, nil
}

// exchange asks the REST endpoint at base to score x with version, and
// reads its health and metrics documents.
func (run *StagesRun) exchange(ctx context.Context, base string, x feature.Vector, version int64) error {
	run.Request = string(AppendRequest(nil, x, version))
	status, body, err := httpDo(ctx, http.MethodPost, base+"/predict", run.Request)
	if err != nil {
		return err
	}
	run.Response = status + " " + body
	if _, run.Health, err = httpDo(ctx, http.MethodGet, base+"/healthz", ""); err != nil {
		return err
	}
	_, run.Metrics, err = httpDo(ctx, http.MethodGet, base+"/metrics", "")
	return err
}

func httpDo(ctx context.Context, method, url, body string) (status, respBody string, err error) {
	var rd io.Reader
	if body != "" {
		rd = bytes.NewReader([]byte(body))
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return "", "", err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", "", fmt.Errorf("serve: %s %s: %w", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", "", fmt.Errorf("serve: %s %s: %w", method, url, err)
	}
	return resp.Status, string(b), nil
}

// firstRecord keeps a copy of the first record read through it: the
// default REST request.
type firstRecord struct {
	urls.Records
	x    feature.Vector
	seen bool
}

func (f *firstRecord) Next() bool {
	ok := f.Records.Next()
	if ok && !f.seen {
		f.x, f.seen = f.Records.X().Clone(), true
	}
	return ok
}

// Save writes the run to path as JSON, for later notebook cells.
func (run *StagesRun) Save(path string) error {
	if err := jsonfile.Save(path, run); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// LoadStagesRun reads what StagesRun.Save wrote.
func LoadStagesRun(path string) (*StagesRun, error) {
	var run StagesRun
	if err := jsonfile.Load(path, &run, "the serving cell"); err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return &run, nil
}
