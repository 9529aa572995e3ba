package linear

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/segmentio/kafka-go"

	"github.com/rivulet-ml/rivulet/lib/progress"
	"github.com/rivulet-ml/rivulet/lib/stream"
	"github.com/rivulet-ml/rivulet/lib/synth"
)

// SendConfig configures Send. The zero value sends the seed notebook's
// stream (n=10, m=8, seed 0) in numpy text to dataLinearModel on
// RIVULET_BROKERS, one record per second, until ctx ends.
type SendConfig struct {
	Brokers    []string // default stream.SplitBrokers("")
	Topic      string   // default DefaultTopic
	TruthTopic string   // default Topic + TruthSuffix
	// Params are the generator's; the zero value means
	// synth.DefaultLinearModelParams() (seed 0).
	Params synth.LinearModelParams
	Format stream.LinearFormat
	// Interval is the pause between records, as the original's
	// time.sleep(TIME_INTERVAL). Negative means as fast as possible (the
	// CLI's --interval 0); zero means the original's 1 s.
	Interval time.Duration
	// Count is how many records to send; 0 sends until ctx ends.
	Count int64
	// Partitions is the partition count used when the topic does not exist
	// yet (default 1, which keeps the stream in order).
	Partitions int
	// BrokerWait bounds the wait for an unreachable broker (default
	// stream.DefaultBrokerWait).
	BrokerWait time.Duration
	// Progress receives the number of records sent (nil: none).
	Progress progress.Reporter
	// Echo, when set, receives every sent message's text on its own line,
	// as the original's commented-out print(arr) would have shown; with
	// EchoLimit > 0 only the first EchoLimit messages.
	Echo      io.Writer
	EchoLimit int
}

// SendResult summarises a Send run.
type SendResult struct {
	Topic            string        `json:"topic"`
	TruthTopic       string        `json:"truth_topic"`
	Format           string        `json:"format"`
	Records          int64         `json:"records"`
	Elapsed          time.Duration `json:"elapsed_ns"`
	RecordsPerSecond float64       `json:"records_per_second"`
	Truth            *Truth        `json:"truth"`
}

// burst is how many records an as-fast-as-possible sender hands kafka-go
// per synchronous WriteMessages call.
const burst = 4000

// Send generates the linear-model stream and writes it to cfg.Topic, keyed
// by counter, after publishing the true B once to the truth topic. It stops
// after cfg.Count records or when ctx ends; records already handed to
// Kafka are flushed before it returns. Stopping through ctx is the normal
// end of an endless run (Count 0) and returns no error; it is an error
// when it cuts a counted run short.
func Send(ctx context.Context, cfg SendConfig) (*SendResult, error) {
	cfg = cfg.withDefaults()
	if cfg.Count < 0 {
		return nil, fmt.Errorf("linear: count %d is negative", cfg.Count)
	}
	gen, err := synth.NewLinearModel(synth.WithParams(cfg.Params))
	if err != nil {
		return nil, err
	}
	p := gen.Params()
	codec, err := stream.NewLinearCodec(cfg.Format, p.Inputs, p.Outputs)
	if err != nil {
		return nil, err
	}
	if err := stream.WaitForBroker(ctx, cfg.Brokers, cfg.BrokerWait); err != nil {
		return nil, err
	}
	if err := stream.EnsureTopic(ctx, cfg.Brokers, cfg.Topic, cfg.Partitions); err != nil {
		return nil, err
	}
	if err := stream.EnsureTopic(ctx, cfg.Brokers, cfg.TruthTopic, 1); err != nil {
		return nil, err
	}
	start, err := stream.TopicEndOffsets(ctx, cfg.Brokers, cfg.Topic)
	if err != nil {
		return nil, err
	}
	truth := &Truth{
		Run:          uuid.NewString(),
		Created:      time.Now().UTC(),
		Topic:        cfg.Topic,
		Format:       codec.Format().String(),
		Params:       p,
		B:            MatrixRows(gen.Coefficients()),
		Mu:           gen.Mean(),
		StartOffsets: start,
	}
	if err := publishTruth(ctx, cfg.Brokers, cfg.TruthTopic, truth); err != nil {
		return nil, err
	}

	res := &SendResult{Topic: cfg.Topic, TruthTopic: cfg.TruthTopic, Format: truth.Format, Truth: truth}
	rep := progress.Nop(cfg.Progress)
	total := cfg.Count
	if total == 0 {
		total = -1
	}
	rep.Start("send "+cfg.Topic, total)
	defer rep.Done()

	s := &sender{cfg: cfg, gen: gen, codec: codec, rep: rep, res: res}
	began := time.Now()
	if cfg.Interval < 0 {
		err = s.fast(ctx)
	} else {
		err = s.paced(ctx)
	}
	res.Elapsed = time.Since(began)
	if secs := res.Elapsed.Seconds(); secs > 0 {
		res.RecordsPerSecond = float64(res.Records) / secs
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		if ctx.Err() != nil && cfg.Count == 0 {
			err = nil // an endless run stopped by its caller
		}
	}
	return res, err
}

// withDefaults fills in what a zero field means (see SendConfig).
func (cfg SendConfig) withDefaults() SendConfig {
	if len(cfg.Brokers) == 0 {
		cfg.Brokers = stream.SplitBrokers("")
	}
	if cfg.Topic == "" {
		cfg.Topic = DefaultTopic
	}
	if cfg.TruthTopic == "" {
		cfg.TruthTopic = cfg.Topic + TruthSuffix
	}
	if cfg.Params.Inputs == 0 && cfg.Params.Outputs == 0 {
		seed := cfg.Params.Seed
		cfg.Params = synth.DefaultLinearModelParams()
		cfg.Params.Seed = seed
	}
	if cfg.Interval == 0 {
		cfg.Interval = time.Second
	}
	if cfg.Partitions <= 0 {
		cfg.Partitions = 1
	}
	return cfg
}

type sender struct {
	cfg   SendConfig
	gen   *synth.LinearModel
	codec *stream.LinearCodec
	rep   progress.Reporter
	res   *SendResult
	rec   stream.LinearRecord
	// arena holds one burst's keys and values; kafka-go is done with them
	// once the synchronous WriteMessages returns, so it is reused.
	arena  []byte
	spans  []span
	msgs   []kafka.Message
	echoed int
}

// span locates one message's key arena[k:v] and value arena[v:end].
type span struct{ k, v, end int }

// next generates the next record and encodes its key and value into the
// arena.
func (s *sender) next() error {
	if s.rec.X == nil {
		s.rec.X = make([]float64, s.gen.Inputs())
		s.rec.Y = make([]float64, s.gen.Outputs())
	}
	s.rec.Counter = s.gen.Next(s.rec.X, s.rec.Y)
	sp := span{k: len(s.arena)}
	s.arena = strconv.AppendInt(s.arena, s.rec.Counter, 10)
	sp.v = len(s.arena)
	var err error
	if s.arena, err = s.codec.Append(s.arena, &s.rec); err != nil {
		return fmt.Errorf("record %d: %w", s.rec.Counter, err)
	}
	sp.end = len(s.arena)
	s.spans = append(s.spans, sp)
	if s.cfg.Echo != nil && (s.cfg.EchoLimit <= 0 || s.echoed < s.cfg.EchoLimit) {
		s.echoed++
		fmt.Fprintf(s.cfg.Echo, "%s\n", s.arena[sp.v:])
	}
	return nil
}

// messages turns the burst's spans into messages over the arena's final
// storage (it may have moved while growing).
func (s *sender) messages() []kafka.Message {
	s.msgs = s.msgs[:0]
	for _, sp := range s.spans {
		s.msgs = append(s.msgs, kafka.Message{
			Key:   s.arena[sp.k:sp.v:sp.v],
			Value: s.arena[sp.v:sp.end:sp.end],
		})
	}
	s.arena, s.spans = s.arena[:0], s.spans[:0]
	return s.msgs
}

// write sends the pending messages. A burst already generated is
// delivered even when ctx ends meanwhile, so that a stopped run counts
// exactly what the topic holds; only the broker wait is bounded.
func (s *sender) write(ctx context.Context, w *kafka.Writer) error {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	if err := w.WriteMessages(wctx, s.messages()...); err != nil {
		return fmt.Errorf("write to %s: %w", s.cfg.Topic, err)
	}
	return nil
}

// writeTimeout bounds one synchronous write.
const writeTimeout = 30 * time.Second

func (s *sender) fast(ctx context.Context) error {
	w := stream.NewWriter(s.cfg.Brokers, s.cfg.Topic,
		stream.WithBatchSize(max(1, burst/s.cfg.Partitions)),
		stream.WithBatchTimeout(2*time.Millisecond))
	done := false
	defer func() {
		if !done {
			w.Close()
		}
	}()
	s.arena = make([]byte, 0, burst*320)
	for s.cfg.Count == 0 || s.res.Records < s.cfg.Count {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := int64(burst)
		if s.cfg.Count > 0 {
			n = min(n, s.cfg.Count-s.res.Records)
		}
		for i := int64(0); i < n; i++ {
			if err := s.next(); err != nil {
				return err
			}
		}
		if err := s.write(ctx, w); err != nil {
			return err
		}
		s.res.Records += n
		s.rep.Add(n)
	}
	done = true
	return w.Close()
}

func (s *sender) paced(ctx context.Context) error {
	w := stream.NewWriter(s.cfg.Brokers, s.cfg.Topic, stream.WithBatchSize(1))
	done := false
	defer func() {
		if !done {
			w.Close()
		}
	}()
	tick := time.NewTicker(s.cfg.Interval)
	defer tick.Stop()
	for s.cfg.Count == 0 || s.res.Records < s.cfg.Count {
		if s.res.Records > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-tick.C:
			}
		}
		if err := s.next(); err != nil {
			return err
		}
		if err := s.write(ctx, w); err != nil {
			return err
		}
		s.res.Records++
		s.rep.Add(1)
	}
	done = true
	return w.Close()
}
