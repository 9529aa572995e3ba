package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/rivulet-ml/rivulet/lib/models"
	"github.com/rivulet-ml/rivulet/lib/progress"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// Serving defaults.
const (
	DefaultCommitInterval = time.Second
	DefaultKeepVersions   = 5
	DefaultPollRecords    = 1000
	// shutdownWait bounds the graceful part of a shutdown: the HTTP
	// server's in-flight requests, the last flush and commit.
	shutdownWait = 10 * time.Second
	// pollTick bounds one poll, so that an idle loop still commits, checks
	// its idle timeout and probes the broker.
	pollTick = 200 * time.Millisecond
)

// Headers of a prediction record, naming the record it scores.
const (
	HeaderSourcePartition = stream.HeaderSourcePartition
	HeaderSourceOffset    = stream.HeaderSourceOffset
	HeaderReplica         = "rivulet-replica"
)

type config struct {
	common
	features, predictions, group, replica string
	initialModel                          string
	initialParams                         []string
	learn                                 bool
	httpAddr                              string
	start                                 StartOffset
	maxRecords                            int
	idleTimeout                           time.Duration
	commitInterval                        time.Duration
	sessionTimeout                        time.Duration
	keep, pollRecords                     int
	onReady                               func(Ready)
	onSwap                                func(Swap)
	progress                              progress.Reporter

	logMu sync.Mutex
	log   io.Writer
}

func (c *config) logf(format string, args ...any) {
	if c.log == nil {
		return
	}
	c.logMu.Lock()
	fmt.Fprintf(c.log, "serve %s: "+format, append([]any{c.replica}, args...)...)
	c.logMu.Unlock()
}

// Ready is what WithReady reports.
type Ready struct {
	Replica    string  `json:"replica"`
	Group      string  `json:"group"`
	Partitions []int32 `json:"partitions"` // of the features topic, assigned to this replica
	HTTPAddr   string  `json:"http_addr,omitempty"`
	Version    int64   `json:"version"` // served model version
}

// Summary is the result of a run.
type Summary struct {
	Replica          string          `json:"replica"`
	Group            string          `json:"group"`
	Records          int64           `json:"records"`
	DeadLettered     int64           `json:"dead_lettered"`
	ByVersion        map[int64]int64 `json:"by_version"`
	Seconds          float64         `json:"seconds"` // first record reached to last prediction encoded
	RecordsPerSecond float64         `json:"records_per_second"`
	Commits          int64           `json:"commits"`
	MeanMs           struct {
		Messaging  float64 `json:"messaging"`
		Processing float64 `json:"processing"`
		EndToEnd   float64 `json:"end_to_end"`
	} `json:"mean_ms"`
	Swaps    []Swap      `json:"swaps"`
	Rejected []Rejection `json:"rejected_model_updates,omitempty"`
}

// Service is a running scoring service (see Start).
type Service struct {
	c      *config
	store  *versions
	m      *serviceMetrics
	upd    *updates
	cancel context.CancelFunc
	done   chan struct{}
	ready  chan Ready

	httpAddr string
	state    atomic.Value // string: what /healthz reports

	sum *Summary
	err error
}

// Serve runs the scoring service until ctx ends (a graceful shutdown: the
// records in hand are scored, predictions flushed, offsets committed, the
// group left), WithMaxRecords records were scored, or WithIdleTimeout
// passed without a record. See the package documentation.
func Serve(ctx context.Context, opts ...ServeOption) (*Summary, error) {
	s, err := newService(opts)
	if err != nil {
		return nil, err
	}
	go s.run(ctx)
	<-s.done
	return s.sum, s.err
}

// Start starts the scoring service in the background and returns once it
// is ready: model loaded, partitions assigned, HTTP listening. ctx bounds
// only that wait; the service runs until Stop. If it fails before it is
// ready, Start returns the error.
func Start(ctx context.Context, opts ...ServeOption) (*Service, error) {
	s, err := newService(opts)
	if err != nil {
		return nil, err
	}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	go s.run(rctx)
	select {
	case <-s.ready:
		return s, nil
	case <-s.done:
		cancel()
		return nil, s.err
	case <-ctx.Done():
		cancel()
		<-s.done
		return nil, ctx.Err()
	}
}

// Stop shuts the service down gracefully and returns its summary.
func (s *Service) Stop() (*Summary, error) {
	if s.cancel != nil {
		s.cancel()
	}
	<-s.done
	return s.sum, s.err
}

// Done is closed when the service has stopped.
func (s *Service) Done() <-chan struct{} { return s.done }

// HTTPAddr is the address the HTTP server listens on ("" without one).
func (s *Service) HTTPAddr() string { return s.httpAddr }

// Version returns the served model version (-1 before the first).
func (s *Service) Version() int64 {
	if m := s.store.current(); m != nil {
		return m.Version
	}
	return -1
}

// WaitVersion waits until version v (or a newer one) is served.
func (s *Service) WaitVersion(ctx context.Context, v int64) error {
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for s.Version() < v {
		select {
		case <-ctx.Done():
			return fmt.Errorf("serve: version %d not served after waiting (serving %d): %w", v, s.Version(), ctx.Err())
		case <-s.done:
			return fmt.Errorf("serve: stopped before version %d was served: %v", v, s.err)
		case <-t.C:
		}
	}
	return nil
}

// Replica is the replica's name (WithReplicaID).
func (s *Service) Replica() string { return s.c.replica }

// Records returns how many records the service has scored so far.
func (s *Service) Records() int64 { return int64(s.m.records.Load()) }

// WaitRecords waits until the service has scored n records in all.
func (s *Service) WaitRecords(ctx context.Context, n int64) error {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for s.Records() < n {
		select {
		case <-ctx.Done():
			return fmt.Errorf("serve: %d of %d records scored: %w", s.Records(), n, ctx.Err())
		case <-s.done:
			return fmt.Errorf("serve: stopped after %d of %d records: %v", s.Records(), n, s.err)
		case <-t.C:
		}
	}
	return nil
}

// Swaps returns the swaps so far.
func (s *Service) Swaps() []Swap {
	sw, _ := s.upd.history()
	return sw
}

func newService(opts []ServeOption) (*Service, error) {
	c := &config{
		common:         common{schema: SchemaMaliciousURL},
		features:       DefaultFeaturesTopic,
		predictions:    DefaultPredictionsTopic,
		group:          DefaultGroup,
		commitInterval: DefaultCommitInterval,
		sessionTimeout: stream.DefaultSessionTimeout,
		keep:           DefaultKeepVersions,
		pollRecords:    DefaultPollRecords,
	}
	for _, o := range opts {
		o.applyServe(c)
	}
	c.common.defaults()
	if c.replica == "" {
		host, _ := os.Hostname()
		c.replica = host + "-" + strconv.Itoa(os.Getpid())
	}
	switch {
	case c.group == "":
		return nil, errors.New("serve: a consumer group is needed (replicas share partitions through it)")
	case c.features == "" || c.predictions == "":
		return nil, errors.New("serve: the features and predictions topics must be named")
	case c.features == c.predictions || c.features == c.modelTopic || c.predictions == c.modelTopic:
		return nil, fmt.Errorf("serve: features (%s), predictions (%s) and model updates (%s) need three different topics", c.features, c.predictions, c.modelTopic)
	}
	if c.commitInterval <= 0 {
		c.commitInterval = DefaultCommitInterval
	}
	c.keep = max(c.keep, 1)
	c.pollRecords = max(c.pollRecords, 1)
	m := newMetrics()
	store := newVersions(c.keep)
	s := &Service{c: c, store: store, m: m, upd: newUpdates(c, store, m), done: make(chan struct{}), ready: make(chan Ready, 1)}
	s.state.Store("starting")
	return s, nil
}

// run is the service's life: HTTP, models, consumer, shutdown.
func (s *Service) run(ctx context.Context) {
	defer close(s.done)
	c := s.c
	defer s.upd.close()
	var srv *http.Server
	if c.httpAddr != "" {
		ln, err := net.Listen("tcp", c.httpAddr)
		if err != nil {
			s.err = fmt.Errorf("serve: HTTP: %w", err)
			return
		}
		s.httpAddr = ln.Addr().String()
		srv = &http.Server{Handler: s.handler(), ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(ln)
		c.logf("HTTP on http://%s (POST /predict, GET /healthz, GET /metrics)\n", s.httpAddr)
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), shutdownWait)
			defer cancel()
			srv.Shutdown(sctx)
		}()
	}
	s.err = s.consume(ctx)
	s.state.Store("stopped")
	if errors.Is(s.err, context.Canceled) && ctx.Err() != nil {
		s.err = nil // asked to stop: a graceful shutdown, not an error
	}
}

// consume loads the models and runs the scoring loop.
func (s *Service) consume(ctx context.Context) error {
	c := s.c
	if err := stream.WaitForBroker(ctx, c.brokers, c.brokerWait); err != nil {
		return err
	}
	for _, t := range []string{c.features, c.predictions} {
		ectx, cancel := context.WithTimeout(ctx, c.brokerWait)
		err := stream.EnsureTopic(ectx, c.brokers, t, 0)
		cancel()
		if err != nil {
			return err
		}
	}
	s.state.Store("loading models")
	if err := s.upd.catchUp(ctx); err != nil {
		return err
	}
	if s.store.current() == nil && c.initialModel != "" {
		clf, err := models.NewClassifier(c.initialModel, c.initialParams, nil)
		if err != nil {
			return fmt.Errorf("serve: initial model: %w", err)
		}
		m := &Model{Meta: Meta{Version: 0, Name: c.initialModel, Params: c.initialParams, Schema: c.schema}, LoadedAt: time.Now(), clf: clf}
		s.store.add(m)
		s.m.version.Store(0)
		c.logf("no model published on %s yet: serving an untrained %s as version 0\n", c.modelTopic, c.initialModel)
	}
	fctx, stopFollow := context.WithCancel(ctx)
	followErr := make(chan error, 1)
	go func() { followErr <- s.upd.follow(fctx) }()
	defer func() {
		stopFollow()
		<-followErr
	}()
	if s.store.current() == nil {
		s.state.Store("waiting for a model")
		c.logf("waiting for the first model version on %s\n", c.modelTopic)
		for s.store.current() == nil {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case err := <-followErr:
				followErr <- err
				return err
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	l := newLoop(s)
	err := l.run(ctx, followErr)
	sum := &Summary{Replica: c.replica, Group: c.group, Records: int64(s.m.records.Load()), DeadLettered: l.dead,
		ByVersion: map[int64]int64{}, Commits: int64(s.m.commits.Load())}
	s.m.mu.Lock()
	for v, n := range s.m.byVersion {
		sum.ByVersion[v] = int64(n.Load())
	}
	s.m.mu.Unlock()
	if l.n > 0 {
		sum.Seconds = l.last.Sub(l.first).Seconds()
		if sum.Seconds > 0 {
			sum.RecordsPerSecond = float64(l.n) / sum.Seconds
		}
		mean := func(h *histogram) float64 {
			return float64(h.sumNanos.Load()) / float64(l.n) / float64(time.Millisecond)
		}
		sum.MeanMs.Messaging, sum.MeanMs.Processing, sum.MeanMs.EndToEnd = mean(s.m.messaging), mean(s.m.processing), mean(s.m.endToEnd)
	}
	sum.Swaps, sum.Rejected = s.upd.history()
	s.sum = sum
	return err
}

// loop is the scoring loop and its state; one goroutine runs it.
type loop struct {
	s   *Service
	c   *config
	m   *serviceMetrics
	cl  *kgo.Client // features, in the group
	out *kgo.Client // predictions
	dlq *stream.DeadLetterWriter
	rep progress.Reporter

	rd      stream.URLRecord
	proba   []float64
	model   *Model
	counter *atomic.Uint64
	polled  int // records scored or dead-lettered in the current poll
	n       int64
	dead    int64
	done    bool

	first, last time.Time

	mu       sync.Mutex // shared with the group callbacks
	assigned map[int32]bool
	next     map[int32]kgo.EpochOffset // per partition, the offset after the last record handled
	dirty    bool
	ready    bool
	setupErr error

	errMu   sync.Mutex
	sendErr error

	produceCtx context.Context
	replica    []byte // header value, shared by every prediction
}

func newLoop(s *Service) *loop {
	return &loop{s: s, c: s.c, m: s.m, assigned: map[int32]bool{}, next: map[int32]kgo.EpochOffset{},
		rep: progress.Nop(s.c.progress), replica: []byte(s.c.replica)}
}

func (l *loop) run(ctx context.Context, followErr chan error) error {
	c := l.c
	l.produceCtx = context.WithoutCancel(ctx)
	var err error
	l.out, err = kgo.NewClient(
		kgo.SeedBrokers(c.brokers...),
		kgo.ClientID("rivulet-serve-"+c.replica),
		kgo.DefaultProduceTopic(c.predictions),
		kgo.DialTimeout(2*time.Second),
		kgo.ProducerLinger(0),
		kgo.RecordPartitioner(kgo.StickyKeyPartitioner(kgo.PartitionerHasher(crc32Hasher))),
	)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer l.out.Close()
	l.dlq = stream.NewDeadLetterWriter(c.brokers, c.features)
	defer l.dlq.Close()

	l.cl, err = kgo.NewClient(
		kgo.SeedBrokers(c.brokers...),
		kgo.ClientID("rivulet-serve-"+c.replica),
		kgo.DialTimeout(2*time.Second),
		kgo.FetchMaxWait(stream.DefaultMaxWait),
		kgo.ConsumerGroup(c.group),
		kgo.ConsumeTopics(c.features),
		kgo.DisableAutoCommit(),
		kgo.BlockRebalanceOnPoll(),
		kgo.SessionTimeout(c.sessionTimeout),
		kgo.HeartbeatInterval(stream.DefaultHeartbeatInterval),
		kgo.RebalanceTimeout(stream.DefaultRebalanceTimeout),
		kgo.ConsumeResetOffset(l.resetOffset()),
		kgo.AdjustFetchOffsetsFn(l.adjustOffsets),
		kgo.OnPartitionsAssigned(func(_ context.Context, _ *kgo.Client, assigned map[string][]int32) {
			if len(assigned[c.features]) == 0 {
				l.signalReady()
			}
		}),
		kgo.OnPartitionsRevoked(func(ctx context.Context, _ *kgo.Client, lost map[string][]int32) { l.revoked(ctx, lost, true) }),
		kgo.OnPartitionsLost(func(ctx context.Context, _ *kgo.Client, lost map[string][]int32) { l.revoked(ctx, lost, false) }),
	)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// Leaving the group hands the partitions over at once instead of after
	// the session timeout.
	defer l.cl.CloseAllowingRebalance()

	total := int64(c.maxRecords)
	if total <= 0 {
		total = -1
	}
	l.rep.Start("serve "+c.features, total)
	defer l.rep.Done()
	l.s.state.Store("joining group " + c.group)
	err = l.poll(ctx, followErr)
	// Drain: every record handed to the loop has been scored; flush the
	// predictions and commit, also when ctx has ended.
	ferr := l.commit(context.WithoutCancel(ctx))
	l.mu.Lock()
	err = errors.Join(l.setupErr, err)
	l.mu.Unlock()
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		c.logf("stopping: %d records scored, predictions flushed, offsets committed\n", l.n)
	}
	return errors.Join(err, ferr)
}

func (l *loop) resetOffset() kgo.Offset {
	if l.c.start == Earliest {
		return kgo.NewOffset().AtStart()
	}
	return kgo.NewOffset().AtEnd()
}

// adjustOffsets resolves "latest" into exact offsets before fetching
// starts, so that WithReady can promise that every record produced from
// then on is scored.
func (l *loop) adjustOffsets(ctx context.Context, offs map[string]map[int32]kgo.Offset) (map[string]map[int32]kgo.Offset, error) {
	c := l.c
	parts := offs[c.features]
	var ends map[int]int64
	for p, o := range parts {
		if o.EpochOffset().Offset >= 0 || c.start == Earliest {
			continue
		}
		if ends == nil {
			var err error
			if ends, err = stream.TopicEndOffsets(ctx, c.brokers, c.features); err != nil {
				l.mu.Lock()
				l.setupErr = err
				l.mu.Unlock()
				return offs, nil
			}
		}
		parts[p] = kgo.NewOffset().At(ends[int(p)])
	}
	l.mu.Lock()
	for p := range parts {
		l.assigned[p] = true
	}
	n := len(l.assigned)
	l.mu.Unlock()
	l.m.partitions.Store(int64(n))
	c.logf("assigned partitions %v of %s (now %v)\n", keys(parts), c.features, l.partitions())
	l.signalReady()
	return offs, nil
}

func (l *loop) partitions() []int32 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return keys(l.assigned)
}

func (l *loop) signalReady() {
	l.mu.Lock()
	if l.ready {
		l.mu.Unlock()
		return
	}
	l.ready = true
	l.mu.Unlock()
	r := Ready{Replica: l.c.replica, Group: l.c.group, Partitions: l.partitions(), HTTPAddr: l.s.httpAddr, Version: l.s.Version()}
	if len(r.Partitions) == 0 {
		l.c.logf("no partition of %s assigned (more replicas than partitions?); waiting for a rebalance\n", l.c.features)
	}
	l.s.state.Store("ok")
	if l.c.onReady != nil {
		l.c.onReady(r)
	}
	l.s.ready <- r
}

// revoked commits what was scored of partitions that are being taken
// away (after its predictions are acknowledged), so that the next owner
// continues exactly there. Lost partitions (the session expired) cannot be
// committed any more.
func (l *loop) revoked(ctx context.Context, lost map[string][]int32, commitFirst bool) {
	if commitFirst {
		if err := l.commit(ctx); err != nil {
			l.c.logf("committing before a rebalance: %v\n", err)
		}
	}
	l.mu.Lock()
	for _, p := range lost[l.c.features] {
		delete(l.assigned, p)
		delete(l.next, p)
	}
	n := len(l.assigned)
	l.mu.Unlock()
	l.m.partitions.Store(int64(n))
	verb := "revoked"
	if !commitFirst {
		verb = "lost"
	}
	l.c.logf("partitions %v of %s %s (now %v)\n", lost[l.c.features], l.c.features, verb, l.partitions())
}

func (l *loop) poll(ctx context.Context, followErr chan error) error {
	c := l.c
	probeEvery := min(max(c.brokerWait/2, 500*time.Millisecond), 5*time.Second)
	lastRecord, lastProbe, lastCommit := time.Now(), time.Now(), time.Now()
	for !l.done {
		select {
		case err := <-followErr:
			followErr <- err
			if err != nil {
				return err
			}
		default:
		}
		pctx, cancel := context.WithTimeout(ctx, pollTick)
		fs := l.cl.PollRecords(pctx, c.pollRecords)
		cancel()
		if err := fetchErr(fs); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		if ctx.Err() != nil {
			l.s.state.Store("stopping")
		}
		// Records polled are scored even when ctx has just ended: a
		// graceful shutdown drains what is in hand.
		l.polled = 0
		var perr error
		fs.EachRecord(func(r *kgo.Record) {
			if perr != nil || l.done {
				return // not handled: read again by the partition's next owner
			}
			perr = l.process(ctx, r)
		})
		if perr != nil {
			return perr
		}
		if err := l.failed(); err != nil {
			return err
		}
		now := time.Now()
		if l.polled > 0 {
			lastRecord = now
		}
		if now.Sub(lastCommit) >= c.commitInterval {
			lastCommit = now
			if err := l.commit(ctx); err != nil {
				return err
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		l.cl.AllowRebalance()
		if l.polled == 0 && c.idleTimeout > 0 && now.Sub(lastRecord) >= c.idleTimeout {
			c.logf("no record for %v; stopping\n", c.idleTimeout)
			return nil
		}
		if l.polled == 0 && now.Sub(lastRecord) >= probeEvery && now.Sub(lastProbe) >= probeEvery {
			// franz-go retries a lost broker for ever; an idle service
			// checks, so that an outage becomes an error, not a hang.
			lastProbe = now
			if err := stream.WaitForBroker(ctx, c.brokers, c.brokerWait); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return fmt.Errorf("serve: lost the broker while consuming %s: %w", c.features, err)
			}
		}
	}
	return nil
}

// commit flushes the predictions, then commits the offsets of the records
// they score: a record's offset is never committed before its prediction
// is in Kafka (at-least-once).
func (l *loop) commit(ctx context.Context) error {
	fctx, cancel := context.WithTimeout(ctx, 4*l.c.brokerWait)
	defer cancel()
	if err := l.out.Flush(fctx); err != nil {
		return fmt.Errorf("serve: flushing predictions to %s: %w", l.c.predictions, err)
	}
	if err := l.failed(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.dirty {
		return nil
	}
	offsets := make(map[int32]kgo.EpochOffset, len(l.next))
	for p, o := range l.next {
		offsets[p] = o
	}
	var cerr error
	l.cl.CommitOffsetsSync(fctx, map[string]map[int32]kgo.EpochOffset{l.c.features: offsets},
		func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, err error) {
			if err != nil {
				cerr = err
				return
			}
			for _, t := range resp.Topics {
				for _, p := range t.Partitions {
					if e := kerr.ErrorForCode(p.ErrorCode); e != nil && cerr == nil {
						cerr = fmt.Errorf("topic %s partition %d: %w", t.Topic, p.Partition, e)
					}
				}
			}
		})
	if cerr != nil {
		return fmt.Errorf("serve: committing offsets of group %s: %w", l.c.group, cerr)
	}
	l.dirty = false
	l.m.commits.Add(1)
	return nil
}

// handled records that r needs no more work: its prediction (or dead
// letter) is on its way, so its offset may be committed after the next
// flush.
func (l *loop) handled(r *kgo.Record) {
	l.polled++
	l.mu.Lock()
	l.next[r.Partition] = kgo.EpochOffset{Epoch: r.LeaderEpoch, Offset: r.Offset + 1}
	l.dirty = true
	l.mu.Unlock()
}

func (l *loop) sent(_ *kgo.Record, err error) {
	if err == nil {
		return
	}
	l.errMu.Lock()
	if l.sendErr == nil {
		l.sendErr = fmt.Errorf("serve: writing a prediction to %s: %w", l.c.predictions, err)
	}
	l.errMu.Unlock()
}

func (l *loop) failed() error {
	l.errMu.Lock()
	defer l.errMu.Unlock()
	return l.sendErr
}

// encodingOf returns the value of a record's encoding header, as one of
// the constant names when it is a known encoding (no allocation per
// record).
func encodingOf(r *kgo.Record) string {
	for i := len(r.Headers) - 1; i >= 0; i-- {
		if r.Headers[i].Key != stream.EncodingHeader {
			continue
		}
		switch string(r.Headers[i].Value) {
		case stream.EncodingJSON:
			return stream.EncodingJSON
		case stream.EncodingBinaryV1:
			return stream.EncodingBinaryV1
		}
		return string(r.Headers[i].Value) // DecodeURLRecord names it in its error
	}
	return ""
}

// process scores one record: decode, predict (and learn), write the
// prediction, mark the offset. A record that does not decode goes to the
// dead-letter topic.
func (l *loop) process(ctx context.Context, r *kgo.Record) error {
	reached := time.Now()
	if l.n == 0 {
		l.first = reached
	}
	out, err := l.score(r, reached)
	if err != nil {
		msg := asMessage(r)
		cause := stream.WrapMessage(msg, err)
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 4*l.c.brokerWait)
		serr := l.dlq.Send(sctx, msg, cause)
		cancel()
		if serr != nil {
			return serr
		}
		l.dead++
		l.m.recordErrors.Add(1)
		l.m.deadLetters.Add(1)
		l.c.logf("dead-lettered to %s: %v\n", l.dlq.Topic(), cause)
		l.handled(r)
		return nil
	}
	// A prediction of a record in hand is written even during a graceful
	// shutdown, so its produce does not end with ctx (l.produceCtx).
	l.out.Produce(l.produceCtx, out, l.sent)
	departure := out.Timestamp
	l.m.messaging.observe(reached.Sub(l.rd.Sent))
	l.m.processing.observe(departure.Sub(reached))
	l.m.endToEnd.observe(departure.Sub(l.rd.Sent))
	l.m.records.Add(1)
	l.counter.Add(1)
	l.n++
	l.last = departure
	l.handled(r)
	l.rep.Add(1)
	if l.c.maxRecords > 0 && l.n >= int64(l.c.maxRecords) {
		l.done = true
	}
	return nil
}

// outRecord is a prediction record with room for its headers, so that
// both come from one allocation.
type outRecord struct {
	rec kgo.Record
	hdr [3]kgo.RecordHeader
}

// score decodes r, scores it with the served model (learning it too with
// WithLearn) and returns the prediction record. Its value and its header
// values share one buffer: two allocations per record in all.
func (l *loop) score(r *kgo.Record, reached time.Time) (*kgo.Record, error) {
	if err := stream.DecodeURLRecord(r.Value, encodingOf(r), &l.rd); err != nil {
		return nil, err
	}
	if m := l.s.store.current(); m != l.model {
		l.model, l.counter = m, l.m.versionCounter(m.Version)
	}
	if l.c.learn {
		y := 0
		if l.rd.Y {
			y = 1
		}
		l.proba = l.model.predictLearn(l.rd.X, y, l.proba)
	} else {
		l.proba = l.model.PredictProba(l.rd.X, l.proba)
	}
	departure := time.Now()
	p := Prediction{ID: l.rd.ID, Y: l.rd.Y, Score: Score(l.proba), Version: l.model.Version,
		MessagingMs:  ms(reached.Sub(l.rd.Sent)),
		ProcessingMs: ms(departure.Sub(reached)),
		EndToEndMs:   ms(departure.Sub(l.rd.Sent)),
	}
	buf := p.Append(make([]byte, 0, 224))
	n := len(buf)
	buf = strconv.AppendInt(buf, int64(r.Partition), 10)
	m := len(buf)
	buf = strconv.AppendInt(buf, r.Offset, 10)
	out := &outRecord{rec: kgo.Record{Key: r.Key, Value: buf[:n:n], Timestamp: departure}}
	out.hdr = [3]kgo.RecordHeader{
		{Key: HeaderSourcePartition, Value: buf[n:m:m]},
		{Key: HeaderSourceOffset, Value: buf[m:]},
		{Key: HeaderReplica, Value: l.replica},
	}
	out.rec.Headers = out.hdr[:]
	return &out.rec, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
