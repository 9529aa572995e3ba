package urls

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/models"
	"github.com/rivulet-ml/rivulet/lib/progress"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// Consumer defaults.
const (
	// DefaultModel is the original's AdaptiveRandomForestClassifier.
	DefaultModel = "arf"
	// DefaultGroup names the consumer group offsets are committed for.
	DefaultGroup = "rivulet-urls"
	// DefaultMaxMessages is the original's max_messages.
	DefaultMaxMessages = 5000
	// DefaultCommitInterval is the original's auto.commit.interval.ms.
	DefaultCommitInterval = time.Second
	// DefaultPollRecords is how many received records one poll hands to
	// the processing loop at most, the original's consume(num_messages=1000).
	DefaultPollRecords = 1000
	// memoryEvery is how often the model's memory is sampled, as the
	// original's "every 1000 messages".
	memoryEvery = 1000
)

// DefaultModelParams are the original's model arguments for DefaultModel:
// AdaptiveRandomForestClassifier(leaf_prediction="mc").
var DefaultModelParams = []string{"leaf_prediction=mc"}

// Order is the order of prediction and learning on each record.
type Order int

const (
	// Prequential predicts, then learns: every prediction is on a record
	// the model has not seen (test-then-train), River's
	// progressive_val_score.
	Prequential Order = iota
	// LearnFirst learns, then predicts on the same record, as the
	// original's consumer did; its metrics are training-set scores.
	LearnFirst
)

func (o Order) String() string {
	if o == LearnFirst {
		return "learn-first"
	}
	return "prequential"
}

// ParseOrder reads "prequential" or "learn-first".
func ParseOrder(s string) (Order, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "prequential", "predict-first", "":
		return Prequential, nil
	case "learn-first", "learn_first", "original":
		return LearnFirst, nil
	}
	return 0, fmt.Errorf("urls: order %q: want prequential or learn-first", s)
}

// StartOffset says where a partition without a committed offset starts.
type StartOffset int

const (
	// Latest reads only records produced after the consumer started, the
	// original's auto.offset.reset=latest.
	Latest StartOffset = iota
	// Earliest reads every retained record.
	Earliest
)

type consumeConfig struct {
	common
	group            string
	partitions       int // 0: group subscription; P > 0: manual 0..P-1; -1: all, manual
	model            string
	params           []string
	classifier       base.Classifier
	order            Order
	maxMessages      int
	start            StartOffset
	idleTimeout      time.Duration
	predictionsTopic string
	modelVersion     int
	commitInterval   time.Duration
	pollRecords      int
	progress         progress.Reporter
	log              io.Writer
	onReady          func([]int)
	onSample         func(Sample)
	keepSamples      bool
	localSrc         Records
	localOpts        []ProduceOption
}

// ConsumeOption configures Consume.
type ConsumeOption interface{ applyConsume(*consumeConfig) }

type consumeOpt func(*consumeConfig)

func (o consumeOpt) applyConsume(c *consumeConfig) { o(c) }

// WithGroup sets the consumer group whose offsets are read at start and
// committed as records are processed (default "rivulet-urls").
func WithGroup(id string) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.group = id })
}

// WithPartitions assigns partitions 0..p-1 by hand instead of joining the
// group's rebalancing, as the original did (assign, with 16 partitions at
// HEAD, 8 in its README); -1 assigns every partition of the topic. 0, the
// default, subscribes as a member of the group.
func WithPartitions(p int) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.partitions = p })
}

// WithModel names the model in the lib/models registry and its River
// parameters ("name=value"); default "arf" with leaf_prediction=mc.
func WithModel(name string, params ...string) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.model, c.params = name, params })
}

// WithClassifier uses m instead of a registry model.
func WithClassifier(m base.Classifier) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.classifier = m })
}

// WithOrder sets the prediction/learning order (default Prequential).
func WithOrder(o Order) ConsumeOption { return consumeOpt(func(c *consumeConfig) { c.order = o }) }

// WithMaxMessages stops after n records were processed (default 5000;
// dead-lettered records do not count). n <= 0 runs until ctx ends or the
// idle timeout.
func WithMaxMessages(n int) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.maxMessages = n })
}

// WithStartOffset sets where partitions without a committed offset start
// (default Latest, the original's auto.offset.reset).
func WithStartOffset(s StartOffset) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.start = s })
}

// WithIdleTimeout stops the run when no record arrived for d (default: wait
// for ever, as the original did).
func WithIdleTimeout(d time.Duration) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.idleTimeout = d })
}

// WithPredictions writes every prediction to topic as JSON {id, y, score,
// version, latencies}, like the original's endpoint wrote to "predictions".
func WithPredictions(topic string) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.predictionsTopic = topic })
}

// WithModelVersion sets the version written with each prediction (default
// 0: the model the consumer started with, as the original endpoint's
// initial model).
func WithModelVersion(v int) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.modelVersion = v })
}

// WithCommitInterval sets how often processed offsets are committed
// (default 1 s, the original's auto.commit.interval.ms). Offsets are always
// committed once more when the run ends.
func WithCommitInterval(d time.Duration) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.commitInterval = d })
}

// WithPollRecords sets how many received records one poll hands to the
// processing loop at most (default 1000, the original's
// consume(num_messages=1000)).
func WithPollRecords(n int) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.pollRecords = n })
}

// WithConsumeProgress reports records processed.
func WithConsumeProgress(r progress.Reporter) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.progress = r })
}

// WithConsumeLog receives the original's printed lines ("Now subscribing…",
// "Processed 1000", "Closing Consumer - Total time take in seconds …") and
// one line per dead-lettered record.
func WithConsumeLog(w io.Writer) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.log = w })
}

// WithReady is called once the consumer is positioned on its partitions and
// every record produced from then on will be read: the moment to start a
// producer when reading from Latest.
func WithReady(fn func(partitions []int)) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.onReady = fn })
}

// WithOnSample is called after every processed record, on the processing
// goroutine (keep it quick), e.g. to update a live plot.
func WithOnSample(fn func(Sample)) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.onSample = fn })
}

// WithoutSamples keeps no per-record telemetry in the Summary, for long or
// endless runs: memory stays bounded (percentiles then come from a uniform
// sample of a million records once the run is longer; means and extremes
// stay exact).
func WithoutSamples() ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.keepSamples = false })
}

// Consume reads feature records and predicts and learns one at a time,
// measuring every step, until WithMaxMessages records were processed, the
// idle timeout passes, or ctx ends (then the summary so far is returned with
// ctx's error). See the package documentation.
//
// Records are fetched with franz-go's client (see client.go): a poll hands
// over up to WithPollRecords records from every partition at once.
func Consume(ctx context.Context, opts ...ConsumeOption) (*Summary, error) {
	c := consumeConfig{
		group:          DefaultGroup,
		model:          DefaultModel,
		params:         DefaultModelParams,
		maxMessages:    DefaultMaxMessages,
		commitInterval: DefaultCommitInterval,
		pollRecords:    DefaultPollRecords,
		keepSamples:    true,
	}
	for _, o := range opts {
		o.applyConsume(&c)
	}
	c.common.defaults()
	if c.group == "" {
		return nil, errors.New("urls: a consumer group is needed to commit offsets")
	}
	c.pollRecords = max(c.pollRecords, 1)
	if c.commitInterval <= 0 {
		c.commitInterval = DefaultCommitInterval
	}
	model := c.classifier
	modelName := "custom"
	if model == nil {
		m, err := models.NewClassifier(c.model, c.params, nil)
		if err != nil {
			return nil, fmt.Errorf("urls: %w", err)
		}
		model, modelName = m, c.model
	}
	if err := stream.WaitForBroker(ctx, c.brokers, c.brokerWait); err != nil {
		return nil, err
	}
	ectx, cancel := context.WithTimeout(ctx, c.brokerWait)
	err := stream.EnsureTopic(ectx, c.brokers, c.topic, 0)
	cancel()
	if err != nil {
		return nil, err
	}

	dlq := newDeadLetters(stream.NewDeadLetterWriter(c.brokers, c.topic), 4*c.brokerWait)
	defer dlq.close()
	var preds *producer
	if c.predictionsTopic != "" {
		if preds, err = newProducer(c.brokers, c.predictionsTopic); err != nil {
			return nil, err
		}
		defer preds.close()
	}
	l := &loop{cfg: &c, model: model, dlq: dlq, preds: preds, next: map[int32]int64{},
		rec: newRecorder(c.maxMessages, c.keepSamples, modelName, c.order, c.topic)}
	l.rep = progress.Nop(c.progress)
	l.local = newLocalProducer(ctx, &c)
	total := int64(c.maxMessages)
	if total <= 0 {
		total = -1
	}
	l.rep.Start("consume "+c.topic, total)
	defer l.rep.Done()
	l.printf("Now subscribing to features topic:%s\n", c.topic)

	var runErr error
	if c.partitions != 0 {
		runErr = l.runManual(ctx)
	} else {
		runErr = l.runGroup(ctx)
	}
	sum := l.rec.summary()
	sum.DeadLettered = l.dead
	produced, err := l.local.finish(runErr == nil)
	sum.Produced = produced
	runErr = errors.Join(runErr, err)
	if preds != nil {
		if err := preds.flush(context.WithoutCancel(ctx), 4*c.brokerWait); err != nil {
			runErr = errors.Join(runErr, err)
		}
	}
	l.printf("Closing Consumer - Total time take in seconds %s\n", pyFloat(sum.Seconds))
	return sum, runErr
}

// loop is the single-threaded processing loop and its state.
type loop struct {
	cfg   *consumeConfig
	model base.Classifier
	dlq   *deadLetters
	preds *producer
	rec   *recorder
	rep   progress.Reporter
	local *localProducer // nil without WithLocalProducer

	dead    int
	done    bool
	ready   bool
	rd      stream.URLRecord
	proba   []float64
	predBuf []byte

	// Commit state. In group mode the rebalance callbacks read it too; with
	// BlockRebalanceOnPoll they never run while the loop processes, but the
	// mutex keeps that reasoning out of the race detector's way.
	mu         sync.Mutex
	next       map[int32]int64 // next offset to commit, per partition
	dirty      bool
	lastCommit time.Time
}

func (l *loop) printf(format string, args ...any) {
	if l.cfg.log != nil {
		fmt.Fprintf(l.cfg.log, format, args...)
	}
}

func (l *loop) signalReady(partitions []int) {
	if l.ready {
		return
	}
	l.ready = true
	if len(partitions) == 0 {
		l.printf("no partitions of %s assigned to this member of group %s; waiting for a rebalance\n", l.cfg.topic, l.cfg.group)
	}
	if l.cfg.onReady != nil {
		l.cfg.onReady(partitions)
	}
	if l.local != nil {
		l.printf("Starting the producer of %s\n", l.cfg.topic)
		l.local.start()
	}
}

// receivedAt is the instant a fetched record was buffered by the client,
// carried in kgo.Record.Context (the field kgo provides for consumer-side
// enrichment by hooks).
type receivedAt int64

func (receivedAt) Deadline() (time.Time, bool) { return time.Time{}, false }
func (receivedAt) Done() <-chan struct{}       { return nil }
func (receivedAt) Err() error                  { return nil }
func (receivedAt) Value(any) any               { return nil }

// stampReceipt is a kgo hook that stamps every record when it is buffered,
// i.e. received from the broker.
type stampReceipt struct{}

func (stampReceipt) OnFetchRecordBuffered(r *kgo.Record) {
	r.Context = receivedAt(time.Now().UnixNano())
}

func (l *loop) clientOpts() []kgo.Opt {
	return []kgo.Opt{
		kgo.SeedBrokers(l.cfg.brokers...),
		kgo.ClientID("rivulet-consume-urls"),
		kgo.DialTimeout(2 * time.Second),
		// A record is delivered as soon as the broker has it; the wait only
		// paces an idle fetch.
		kgo.FetchMaxWait(stream.DefaultMaxWait),
		kgo.WithHooks(stampReceipt{}),
	}
}

// startOffsets returns where each of the given partitions starts: the
// group's committed offset, or else the latest or earliest offset. "Latest"
// is resolved here, explicitly, so that WithReady can promise that every
// record produced from then on is read.
func (l *loop) startOffsets(ctx context.Context, partitions []int32) (map[int32]kgo.Offset, error) {
	c := l.cfg
	committed, err := stream.CommittedOffsets(ctx, c.brokers, c.group, c.topic)
	if errors.Is(err, kafka.GroupIdNotFound) {
		// Some brokers (kfake) answer an offset fetch for a group that never
		// committed with this error; Apache Kafka answers "no offsets".
		committed, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ends map[int]int64
	out := make(map[int32]kgo.Offset, len(partitions))
	for _, p := range partitions {
		if off, ok := committed[int(p)]; ok {
			out[p] = kgo.NewOffset().At(off)
			continue
		}
		if c.start == Earliest {
			out[p] = kgo.NewOffset().AtStart()
			continue
		}
		if ends == nil {
			if ends, err = stream.TopicEndOffsets(ctx, c.brokers, c.topic); err != nil {
				return nil, err
			}
		}
		out[p] = kgo.NewOffset().At(ends[int(p)])
	}
	return out, nil
}

// runManual assigns partitions 0..P-1 by hand, as the original did, and
// commits for the group with standalone commits (no member, generation -1),
// which Kafka accepts for a group without members.
func (l *loop) runManual(ctx context.Context) error {
	c := l.cfg
	ends, err := stream.TopicEndOffsets(ctx, c.brokers, c.topic)
	if err != nil {
		return err
	}
	n := c.partitions
	if n < 0 {
		n = len(ends)
	}
	if n > len(ends) {
		return fmt.Errorf("urls: topic %s has %d partitions; cannot assign partitions 0..%d", c.topic, len(ends), n-1)
	}
	parts := make([]int32, n)
	for p := range parts {
		parts[p] = int32(p)
	}
	offsets, err := l.startOffsets(ctx, parts)
	if err != nil {
		return err
	}
	cl, err := kgo.NewClient(append(l.clientOpts(),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{c.topic: offsets}))...)
	if err != nil {
		return fmt.Errorf("urls: %w", err)
	}
	defer cl.Close()
	admin := &kafka.Client{Addr: kafka.TCP(c.brokers...), Transport: &kafka.Transport{DialTimeout: 2 * time.Second}}
	defer admin.Transport.(*kafka.Transport).CloseIdleConnections()
	commit := func(ctx context.Context, next map[int32]int64) error {
		req := &kafka.OffsetCommitRequest{GroupID: c.group, GenerationID: -1, Topics: map[string][]kafka.OffsetCommit{}}
		for p, off := range next {
			req.Topics[c.topic] = append(req.Topics[c.topic], kafka.OffsetCommit{Partition: int(p), Offset: off})
		}
		resp, err := admin.OffsetCommit(ctx, req)
		if err != nil {
			return err
		}
		for _, pr := range resp.Topics[c.topic] {
			if pr.Error != nil {
				return fmt.Errorf("topic %s partition %d: %w", c.topic, pr.Partition, pr.Error)
			}
		}
		return nil
	}
	ints := make([]int, n)
	for p := range ints {
		ints[p] = p
	}
	l.signalReady(ints)
	err = l.poll(ctx, cl, commit, false)
	return errors.Join(err, l.finalCommit(ctx, commit))
}

// runGroup joins the consumer group and lets the group assign partitions.
// Rebalances happen only between polls (BlockRebalanceOnPoll); a member
// losing partitions first commits what it processed of them.
func (l *loop) runGroup(ctx context.Context) error {
	c := l.cfg
	var cl *kgo.Client
	var setupErr error
	var setupMu sync.Mutex
	commit := func(ctx context.Context, next map[int32]int64) error {
		offs := make(map[int32]kgo.EpochOffset, len(next))
		for p, off := range next {
			offs[p] = kgo.EpochOffset{Epoch: -1, Offset: off}
		}
		var cerr error
		cl.CommitOffsetsSync(ctx, map[string]map[int32]kgo.EpochOffset{c.topic: offs},
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
		return cerr
	}
	revoked := func(ctx context.Context, _ *kgo.Client, lost map[string][]int32, commitFirst bool) {
		if commitFirst {
			if err := l.finalCommit(ctx, commit); err != nil {
				l.printf("committing before a rebalance: %v\n", err)
			}
		}
		l.mu.Lock()
		for _, p := range lost[c.topic] {
			delete(l.next, p)
		}
		l.mu.Unlock()
	}
	var err error
	cl, err = kgo.NewClient(append(l.clientOpts(),
		kgo.ConsumerGroup(c.group),
		kgo.ConsumeTopics(c.topic),
		kgo.DisableAutoCommit(),
		kgo.BlockRebalanceOnPoll(),
		kgo.SessionTimeout(stream.DefaultSessionTimeout),
		kgo.HeartbeatInterval(stream.DefaultHeartbeatInterval),
		kgo.RebalanceTimeout(stream.DefaultRebalanceTimeout),
		kgo.AdjustFetchOffsetsFn(func(ctx context.Context, assigned map[string]map[int32]kgo.Offset) (map[string]map[int32]kgo.Offset, error) {
			parts := make([]int32, 0, len(assigned[c.topic]))
			for p := range assigned[c.topic] {
				parts = append(parts, p)
			}
			offsets, err := l.startOffsets(ctx, parts)
			if err != nil {
				setupMu.Lock()
				setupErr = err
				setupMu.Unlock()
				return assigned, nil
			}
			ints := make([]int, 0, len(parts))
			for _, p := range parts {
				ints = append(ints, int(p))
			}
			sort.Ints(ints)
			l.signalReady(ints)
			return map[string]map[int32]kgo.Offset{c.topic: offsets}, nil
		}),
		kgo.OnPartitionsAssigned(func(_ context.Context, _ *kgo.Client, assigned map[string][]int32) {
			if len(assigned[c.topic]) == 0 {
				l.signalReady(nil)
			}
		}),
		kgo.OnPartitionsRevoked(func(ctx context.Context, cl *kgo.Client, m map[string][]int32) { revoked(ctx, cl, m, true) }),
		kgo.OnPartitionsLost(func(ctx context.Context, cl *kgo.Client, m map[string][]int32) { revoked(ctx, cl, m, false) }),
	)...)
	if err != nil {
		return fmt.Errorf("urls: %w", err)
	}
	defer cl.CloseAllowingRebalance()
	err = l.poll(ctx, cl, commit, true)
	setupMu.Lock()
	err = errors.Join(setupErr, err)
	setupMu.Unlock()
	return errors.Join(err, l.finalCommit(ctx, commit))
}

// pollTick bounds one poll, so the loop also commits, checks for an idle
// timeout and probes the broker when no record arrives.
const pollTick = 200 * time.Millisecond

// poll runs the processing loop until the run is finished.
func (l *loop) poll(ctx context.Context, cl *kgo.Client, commit func(context.Context, map[int32]int64) error, group bool) error {
	c := l.cfg
	// An idle consumer checks the broker this often: kgo retries a lost
	// broker for ever, so an outage becomes an error within the broker
	// wait instead of a hang.
	probeEvery := min(max(c.brokerWait/2, 500*time.Millisecond), 5*time.Second)
	lastRecord, lastProbe := time.Now(), time.Now()
	l.lastCommit = time.Now()
	for !l.done {
		pctx, cancel := context.WithTimeout(ctx, pollTick)
		fs := cl.PollRecords(pctx, c.pollRecords)
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		for _, fe := range fs.Errors() {
			if errors.Is(fe.Err, context.DeadlineExceeded) || errors.Is(fe.Err, context.Canceled) {
				continue
			}
			if errors.Is(fe.Err, kgo.ErrClientClosed) {
				return fmt.Errorf("urls: the Kafka client closed while consuming %s", c.topic)
			}
			return fmt.Errorf("urls: reading topic %s partition %d: %w", fe.Topic, fe.Partition, fe.Err)
		}
		n := 0
		var perr error
		fs.EachRecord(func(r *kgo.Record) {
			if l.done || perr != nil {
				return // left uncommitted: read again by the next consumer
			}
			n++
			perr = l.process(ctx, r, time.Now())
		})
		if perr != nil {
			return perr
		}
		now := time.Now()
		if n > 0 {
			lastRecord = now
		}
		// Commit while rebalances are still blocked, so a commit never
		// overlaps the rebalance callbacks' own.
		if now.Sub(l.lastCommit) >= c.commitInterval {
			if err := l.commit(ctx, commit); err != nil {
				return err
			}
		}
		if group {
			cl.AllowRebalance()
		}
		if n == 0 && c.idleTimeout > 0 && now.Sub(lastRecord) >= c.idleTimeout {
			l.printf("no record for %v; stopping\n", c.idleTimeout)
			return nil
		}
		if n == 0 && now.Sub(lastRecord) >= probeEvery && now.Sub(lastProbe) >= probeEvery {
			lastProbe = now
			if err := stream.WaitForBroker(ctx, c.brokers, c.brokerWait); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return fmt.Errorf("urls: lost the broker while consuming %s: %w", c.topic, err)
			}
		}
	}
	return nil
}

// finalCommit commits what was processed once every dead letter is
// acknowledged; records received but not processed are left for the next
// reader (at-least-once).
func (l *loop) finalCommit(ctx context.Context, commit func(context.Context, map[int32]int64) error) error {
	ferr := l.dlq.flush()
	return errors.Join(ferr, l.commit(context.WithoutCancel(ctx), commit))
}

func (l *loop) commit(ctx context.Context, commit func(context.Context, map[int32]int64) error) error {
	if err := l.dlq.failed(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lastCommit = time.Now()
	if !l.dirty {
		return nil
	}
	offsets := make(map[int32]int64, len(l.next))
	held := false
	for p, next := range l.next {
		offsets[p] = l.dlq.limit(int(p), next)
		held = held || offsets[p] != next
	}
	cctx, cancel := context.WithTimeout(ctx, l.cfg.brokerWait)
	defer cancel()
	if err := commit(cctx, offsets); err != nil {
		return fmt.Errorf("urls: committing offsets of group %s: %w", l.cfg.group, err)
	}
	// A dead letter still on its way holds its partition back; commit the
	// rest of that partition once the broker has it.
	l.dirty = held
	return nil
}

func (l *loop) markDone(partition int32, offset int64) {
	l.mu.Lock()
	l.next[partition] = offset + 1
	l.dirty = true
	l.mu.Unlock()
}

// asMessage converts a record for the dead-letter writer (kafka-go).
func asMessage(r *kgo.Record) kafka.Message {
	m := kafka.Message{Topic: r.Topic, Partition: int(r.Partition), Offset: r.Offset, Key: r.Key, Value: r.Value, Time: r.Timestamp}
	for _, h := range r.Headers {
		m.Headers = append(m.Headers, kafka.Header{Key: h.Key, Value: h.Value})
	}
	return m
}

func encodingOf(r *kgo.Record) string {
	for i := len(r.Headers) - 1; i >= 0; i-- {
		if r.Headers[i].Key == stream.EncodingHeader {
			return string(r.Headers[i].Value)
		}
	}
	return ""
}

// process handles one record: decode, predict and learn (or dead-letter),
// measure, and mark its offset for commit.
func (l *loop) process(ctx context.Context, r *kgo.Record, reached time.Time) error {
	received := reached
	if at, ok := r.Context.(receivedAt); ok {
		received = time.Unix(0, int64(at))
	}
	if err := stream.DecodeURLRecord(r.Value, encodingOf(r), &l.rd); err != nil {
		msg := asMessage(r)
		cause := stream.WrapMessage(msg, err)
		if serr := l.dlq.send(msg, cause); serr != nil {
			return serr
		}
		l.dead++
		l.printf("dead-lettered to %s: %v\n", l.dlq.w.Topic(), cause)
		l.markDone(r.Partition, r.Offset)
		return nil
	}
	y := 0
	if l.rd.Y {
		y = 1
	}
	var t0, t1, t2 time.Time
	if l.cfg.order == Prequential {
		t0 = time.Now()
		l.proba = l.model.PredictProbaOne(l.rd.X, l.proba)
		t1 = time.Now()
		l.model.LearnOne(l.rd.X, y)
		t2 = time.Now()
	} else {
		t1 = time.Now()
		l.model.LearnOne(l.rd.X, y)
		t2 = time.Now()
		l.proba = l.model.PredictProbaOne(l.rd.X, l.proba)
		t0 = time.Now()
	}
	departure := time.Now()
	s := Sample{
		Index:            l.rec.n,
		Partition:        int(r.Partition),
		Offset:           r.Offset,
		Y:                l.rd.Y,
		Predicted:        base.Argmax(l.proba),
		MessagingMs:      ms(reached.Sub(l.rd.Sent)),
		MessagingRecvMs:  ms(received.Sub(l.rd.Sent)),
		MessagingKafkaMs: ms(received.Sub(r.Timestamp)),
		QueueMs:          ms(reached.Sub(received)),
		LearningMs:       ms(t2.Sub(t1)),
		ProcessingMs:     ms(departure.Sub(reached)),
		EndToEndMs:       ms(departure.Sub(l.rd.Sent)),
	}
	if l.cfg.order == Prequential {
		s.PredictionMs = ms(t1.Sub(t0))
	} else {
		s.PredictionMs = ms(t0.Sub(t2))
	}
	if len(l.proba) > 1 {
		s.Score = l.proba[1]
	}
	if s.Predicted < 0 {
		s.Score = -1
	}
	l.rec.add(&s, l.proba, reached, departure)
	if l.rec.n%memoryEvery == 0 {
		l.printf("Processed %d\n", l.rec.n)
		if mr, ok := l.model.(base.MemoryReporter); ok {
			l.rec.memory = append(l.rec.memory, mr.MemoryBytes())
		}
	}
	if l.preds != nil {
		l.predBuf = appendPrediction(l.predBuf[:0], &l.rd, &s, l.cfg.modelVersion)
		value := append([]byte(nil), l.predBuf...)
		if err := l.preds.send(ctx, &kgo.Record{Key: r.Key, Value: value, Timestamp: departure}); err != nil {
			return err
		}
	}
	l.markDone(r.Partition, r.Offset)
	l.rep.Add(1)
	if l.cfg.onSample != nil {
		l.cfg.onSample(s)
	}
	if l.cfg.maxMessages > 0 && l.rec.n >= l.cfg.maxMessages {
		l.done = true
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
