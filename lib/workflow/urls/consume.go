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
	// DefaultQueue is how many received records may wait for the
	// processing loop, the original's consume(num_messages=1000).
	DefaultQueue = 1000
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
	queue            int
	progress         progress.Reporter
	log              io.Writer
	onReady          func([]int)
	onSample         func(Sample)
	keepSamples      bool
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

// WithQueue sets how many received records may wait for the processing
// loop (default 1000).
func WithQueue(n int) ConsumeOption { return consumeOpt(func(c *consumeConfig) { c.queue = n }) }

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

// delivery is a record handed from a partition fetcher to the loop.
type delivery struct {
	msg      kafka.Message
	received time.Time
	err      error
}

// session is a set of partitions the loop owns: for a group member, one
// generation; for manual assignment, the whole run.
type session struct {
	offsets map[int]int64 // start offset per partition
	commit  func(ctx context.Context, next map[int]int64) error
	ended   <-chan struct{} // closed when a rebalance ends the generation
	close   func() error
}

func (s *session) partitions() []int {
	out := make([]int, 0, len(s.offsets))
	for p := range s.offsets {
		out = append(out, p)
	}
	sort.Ints(out)
	return out
}

// Consume reads feature records and predicts and learns one at a time,
// measuring every step, until WithMaxMessages records were processed, the
// idle timeout passes, or ctx ends (then the summary so far is returned with
// ctx's error). See the package documentation.
func Consume(ctx context.Context, opts ...ConsumeOption) (*Summary, error) {
	c := consumeConfig{
		group:          DefaultGroup,
		model:          DefaultModel,
		params:         DefaultModelParams,
		maxMessages:    DefaultMaxMessages,
		commitInterval: DefaultCommitInterval,
		queue:          DefaultQueue,
		keepSamples:    true,
	}
	for _, o := range opts {
		o.applyConsume(&c)
	}
	c.common.defaults()
	if c.group == "" {
		return nil, errors.New("urls: a consumer group is needed to commit offsets")
	}
	if c.queue < 1 {
		c.queue = 1
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
	var preds *flushWriter
	if c.predictionsTopic != "" {
		preds = newFlushWriter(c.brokers, c.predictionsTopic, nil)
		defer preds.close()
	}
	l := &loop{cfg: &c, model: model, dlq: dlq, preds: preds,
		rec: newRecorder(c.maxMessages, c.keepSamples, modelName, c.order, c.topic)}
	l.rep = progress.Nop(c.progress)
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
	preds *flushWriter
	rec   *recorder
	rep   progress.Reporter

	dead    int
	done    bool
	next    map[int]int64 // next offset to commit, per partition
	dirty   bool
	rd      stream.URLRecord
	proba   []float64
	predBuf []byte
	ready   bool
}

func (l *loop) printf(format string, args ...any) {
	if l.cfg.log != nil {
		fmt.Fprintf(l.cfg.log, format, args...)
	}
}

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
	committed, err := stream.CommittedOffsets(ctx, c.brokers, c.group, c.topic)
	if errors.Is(err, kafka.GroupIdNotFound) {
		// Some brokers (kfake) answer an offset fetch for a group that never
		// committed with this error; Apache Kafka answers "no offsets".
		committed, err = nil, nil
	}
	if err != nil {
		return err
	}
	offsets := make(map[int]int64, n)
	for p := range n {
		off, ok := committed[p]
		switch {
		case ok:
		case c.start == Latest:
			off = ends[p]
		default:
			off = kafka.FirstOffset
		}
		offsets[p] = off
	}
	client := &kafka.Client{Addr: kafka.TCP(c.brokers...), Transport: &kafka.Transport{DialTimeout: 2 * time.Second}}
	defer client.Transport.(*kafka.Transport).CloseIdleConnections()
	s := &session{
		offsets: offsets,
		commit: func(ctx context.Context, next map[int]int64) error {
			// A standalone commit (generation -1, no member): the group has
			// no members, as with the original's assign().
			req := &kafka.OffsetCommitRequest{GroupID: c.group, GenerationID: -1, Topics: map[string][]kafka.OffsetCommit{}}
			for p, off := range next {
				req.Topics[c.topic] = append(req.Topics[c.topic], kafka.OffsetCommit{Partition: p, Offset: off})
			}
			resp, err := client.OffsetCommit(ctx, req)
			if err != nil {
				return err
			}
			for _, pr := range resp.Topics[c.topic] {
				if pr.Error != nil {
					return fmt.Errorf("topic %s partition %d: %w", c.topic, pr.Partition, pr.Error)
				}
			}
			return nil
		},
		close: func() error { return nil },
	}
	_, err = l.runSession(ctx, s)
	return err
}

func (l *loop) runGroup(ctx context.Context) error {
	c := l.cfg
	start := kafka.LastOffset
	if c.start == Earliest {
		start = kafka.FirstOffset
	}
	cg, err := kafka.NewConsumerGroup(kafka.ConsumerGroupConfig{
		ID:                c.group,
		Brokers:           c.brokers,
		Topics:            []string{c.topic},
		StartOffset:       start,
		HeartbeatInterval: stream.DefaultHeartbeatInterval,
		SessionTimeout:    stream.DefaultSessionTimeout,
		RebalanceTimeout:  stream.DefaultRebalanceTimeout,
		JoinGroupBackoff:  time.Second,
		Timeout:           c.brokerWait,
	})
	if err != nil {
		return fmt.Errorf("urls: consumer group %s: %w", c.group, err)
	}
	defer cg.Close()
	for {
		gctx, cancel := context.WithTimeout(ctx, c.brokerWait+stream.DefaultRebalanceTimeout)
		gen, err := cg.Next(gctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("urls: joining consumer group %s: %w", c.group, err)
		}
		var ends map[int]int64
		offsets := map[int]int64{}
		for _, a := range gen.Assignments[c.topic] {
			off := a.Offset
			if off == kafka.LastOffset {
				// Resolve "latest" now, so that WithReady means every
				// record produced from here on is read.
				if ends == nil {
					if ends, err = stream.TopicEndOffsets(ctx, c.brokers, c.topic); err != nil {
						return err
					}
				}
				off = ends[a.ID]
			}
			offsets[a.ID] = off
		}
		ended := make(chan struct{})
		gen.Start(func(gctx context.Context) {
			<-gctx.Done()
			close(ended)
		})
		s := &session{
			offsets: offsets,
			commit: func(_ context.Context, next map[int]int64) error {
				return gen.CommitOffsets(map[string]map[int]int64{c.topic: next})
			},
			ended: ended,
			close: func() error { return nil },
		}
		finished, err := l.runSession(ctx, s)
		if err != nil || finished {
			return err
		}
		l.printf("consumer group %s rebalanced; rejoining\n", c.group)
	}
}

// runSession fetches the session's partitions and processes records until
// the run is finished (true) or the session ends by a rebalance (false).
func (l *loop) runSession(ctx context.Context, s *session) (finished bool, err error) {
	c := l.cfg
	fctx, stopFetch := context.WithCancel(ctx)
	deliveries := make(chan delivery, c.queue)
	var wg sync.WaitGroup
	var readers []*kafka.Reader
	for _, p := range s.partitions() {
		r := stream.NewReader(c.brokers, c.topic, stream.WithPartition(p))
		if err := r.SetOffset(s.offsets[p]); err != nil {
			stopFetch()
			return false, err
		}
		readers = append(readers, r)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fetch(fctx, r, deliveries)
		}()
	}
	l.next = map[int]int64{}
	defer func() {
		stopFetch()
		for _, r := range readers {
			r.Close()
		}
		wg.Wait()
		// A final commit of what was processed, once every dead letter is
		// acknowledged; records received but not processed are left for the
		// next reader (at-least-once).
		if ferr := l.dlq.flush(); ferr != nil && err == nil {
			err = ferr
		}
		if cerr := l.commit(context.WithoutCancel(ctx), s); cerr != nil && err == nil {
			err = cerr
		}
		if cerr := s.close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if c.onReady != nil && !l.ready {
		l.ready = true
		c.onReady(s.partitions())
	}
	if len(readers) == 0 {
		l.printf("no partitions of %s assigned to this member of group %s; waiting for a rebalance\n", c.topic, c.group)
	}

	commitTick := time.NewTicker(c.commitInterval)
	defer commitTick.Stop()
	// An idle consumer checks the broker this often (see below).
	probeEvery := min(max(c.brokerWait/2, 500*time.Millisecond), 5*time.Second)
	probe := time.NewTicker(probeEvery)
	defer probe.Stop()
	lastRecord := time.Now()
	var idle <-chan time.Time
	var idleTimer *time.Timer
	if c.idleTimeout > 0 {
		idleTimer = time.NewTimer(c.idleTimeout)
		defer idleTimer.Stop()
		idle = idleTimer.C
	}
	for {
		select {
		case d := <-deliveries:
			if d.err != nil {
				return false, d.err
			}
			lastRecord = time.Now()
			if err := l.process(ctx, d, lastRecord); err != nil {
				return false, err
			}
			if idleTimer != nil {
				idleTimer.Reset(c.idleTimeout)
			}
			if l.done {
				return true, nil
			}
		case <-commitTick.C:
			if err := l.commit(ctx, s); err != nil {
				return false, err
			}
		case <-probe.C:
			// kafka-go readers retry a lost broker for ever; an idle
			// consumer checks the broker itself so that an outage becomes
			// an error within the broker wait, not a hang.
			if time.Since(lastRecord) >= probeEvery {
				if err := stream.WaitForBroker(ctx, c.brokers, c.brokerWait); err != nil {
					if ctx.Err() != nil {
						return true, ctx.Err()
					}
					return false, fmt.Errorf("urls: lost the broker while consuming %s: %w", c.topic, err)
				}
			}
		case <-idle:
			l.printf("no record for %v; stopping\n", c.idleTimeout)
			return true, nil
		case <-s.ended:
			return false, nil
		case <-ctx.Done():
			return true, ctx.Err()
		}
	}
}

func fetch(ctx context.Context, r *kafka.Reader, out chan<- delivery) {
	for {
		m, err := r.FetchMessage(ctx)
		received := time.Now()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			err = fmt.Errorf("urls: reading topic %s partition %d: %w", r.Config().Topic, r.Config().Partition, err)
		}
		select {
		case out <- delivery{msg: m, received: received, err: err}:
		case <-ctx.Done():
			return
		}
		if err != nil {
			return
		}
	}
}

func (l *loop) commit(ctx context.Context, s *session) error {
	if err := l.dlq.failed(); err != nil {
		return err
	}
	if !l.dirty {
		return nil
	}
	offsets := make(map[int]int64, len(l.next))
	held := false
	for p, next := range l.next {
		offsets[p] = l.dlq.limit(p, next)
		held = held || offsets[p] != next
	}
	cctx, cancel := context.WithTimeout(ctx, l.cfg.brokerWait)
	defer cancel()
	if err := s.commit(cctx, offsets); err != nil {
		select {
		case <-s.ended:
			// The generation ended: the partitions may belong to another
			// member now, which will re-read the uncommitted records.
			return nil
		default:
		}
		return fmt.Errorf("urls: committing offsets of group %s: %w", l.cfg.group, err)
	}
	// A dead letter still on its way holds its partition back; commit the
	// rest of that partition once the broker has it.
	l.dirty = held
	return nil
}

func (l *loop) markDone(msg kafka.Message) {
	l.next[msg.Partition] = msg.Offset + 1
	l.dirty = true
}

// process handles one record: decode, predict and learn (or dead-letter),
// measure, and mark its offset for commit.
func (l *loop) process(ctx context.Context, d delivery, reached time.Time) error {
	msg := d.msg
	enc, _ := stream.Header(msg, stream.EncodingHeader)
	if err := stream.DecodeURLRecord(msg.Value, enc, &l.rd); err != nil {
		cause := stream.WrapMessage(msg, err)
		if serr := l.dlq.send(msg, cause); serr != nil {
			return serr
		}
		l.dead++
		l.printf("dead-lettered to %s: %v\n", l.dlq.w.Topic(), cause)
		l.markDone(msg)
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
		Partition:        msg.Partition,
		Offset:           msg.Offset,
		Y:                l.rd.Y,
		Predicted:        base.Argmax(l.proba),
		MessagingMs:      ms(reached.Sub(l.rd.Sent)),
		MessagingRecvMs:  ms(d.received.Sub(l.rd.Sent)),
		MessagingKafkaMs: ms(d.received.Sub(msg.Time)),
		QueueMs:          ms(reached.Sub(d.received)),
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
	} else if len(l.proba) == 1 {
		s.Score = 0 // only class 0 seen so far
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
		if err := l.preds.write(ctx, kafka.Message{Key: msg.Key, Value: value, Time: departure}); err != nil {
			return err
		}
	}
	l.markDone(msg)
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
