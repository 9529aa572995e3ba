package urls

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/progress"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// The original's parameters (MaliciousURLModelProducer at HEAD).
const (
	DefaultTopic     = "features"
	DefaultFlushSize = 600
	DefaultSleep     = time.Second
	DefaultMaxSize   = 5000
)

// Records is a stream of labelled sparse records, such as a
// *datasets.SVMLightIter. X's storage may be reused by the next call to Next.
type Records interface {
	Next() bool
	X() feature.Vector
	Y() bool
	Err() error
}

type produceConfig struct {
	common
	flushSize    int
	sleep        time.Duration
	maxSize      int
	rate         float64
	encoding     string
	partitions   int
	progress     progress.Reporter
	log          io.Writer
	flushTimeout time.Duration
	clientOpts   []kgo.Opt
	now          func() time.Time
	sleepFn      func(context.Context, time.Duration) error
}

// ProduceOption configures Produce.
type ProduceOption interface{ applyProduce(*produceConfig) }

type produceOpt func(*produceConfig)

func (o produceOpt) applyProduce(c *produceConfig) { o(c) }

// WithThrottle sets the original's throttle: flushSize records as fast as
// possible, then a flush (wait until the broker has them all), then a pause
// of sleep. The defaults are the original's 600 and 1 s.
func WithThrottle(flushSize int, sleep time.Duration) ProduceOption {
	return produceOpt(func(c *produceConfig) { c.flushSize, c.sleep = flushSize, sleep })
}

// WithMaxSize sets how many records to send in all (default 5000, the
// original's max_size). A negative value sends every record of the source.
func WithMaxSize(n int) ProduceOption {
	return produceOpt(func(c *produceConfig) { c.maxSize = n })
}

// WithRate replaces the bursts by a smooth rate of perSecond records per
// second: record n is due n/perSecond seconds after the start and is sent
// as soon as it is due. 0 keeps the original's bursts.
func WithRate(perSecond float64) ProduceOption {
	return produceOpt(func(c *produceConfig) { c.rate = perSecond })
}

// WithEncoding chooses the value encoding: stream.EncodingJSON (the
// original's, the default) or stream.EncodingBinaryV1, which is marked by
// the stream.EncodingHeader header.
func WithEncoding(enc string) ProduceOption {
	return produceOpt(func(c *produceConfig) { c.encoding = enc })
}

// WithTopicPartitions creates the topic with n partitions if it does not
// exist (default: the broker's default). An existing topic is left as it is.
func WithTopicPartitions(n int) ProduceOption {
	return produceOpt(func(c *produceConfig) { c.partitions = n })
}

// WithProduceProgress reports records sent.
func WithProduceProgress(r progress.Reporter) ProduceOption {
	return produceOpt(func(c *produceConfig) { c.progress = r })
}

// WithProduceLog receives the original's printed lines ("Queue full,
// flushing 600", "final flushing count - 5000, time taken in seconds- …").
func WithProduceLog(w io.Writer) ProduceOption {
	return produceOpt(func(c *produceConfig) { c.log = w })
}

// WithClientOptions passes options to the underlying franz-go client
// (after this package's own), e.g. kgo.ProducerLinger.
func WithClientOptions(opts ...kgo.Opt) ProduceOption {
	return produceOpt(func(c *produceConfig) { c.clientOpts = append(c.clientOpts, opts...) })
}

// ProduceResult says what Produce sent.
type ProduceResult struct {
	Topic string `json:"topic"`
	// Records counts the records sent; when Produce fails (or ctx ends),
	// the records handed to the client before, not all of them
	// acknowledged.
	Records int           `json:"records"`
	Bursts  int           `json:"bursts"` // flushes at flush_size boundaries
	Elapsed time.Duration `json:"-"`
	Seconds float64       `json:"seconds"`
	// RecordsPerSecond is Records over the wall time, sleeps included.
	RecordsPerSecond float64 `json:"records_per_second"`
	Encoding         string  `json:"encoding"`
}

// Produce sends records from src to the topic as the original producer did:
// each record becomes {"id": uuid4, "f": features, "y": "true"|"false",
// "st": epoch seconds taken just before encoding} with the running count
// (1, 2, …) as the Kafka key, so the key hash spreads records over the
// partitions. The Kafka record timestamp is set when the record is handed to
// the client, as librdkafka does in produce().
//
// Records leave the client while a burst is built, batched only while a
// request is in flight (the original's librdkafka lingered up to 100 ms); a
// flush waits until the broker has acknowledged every record, so a failed
// delivery is an error, never a silent loss. Keys hash to partitions as
// librdkafka's default partitioner does (CRC-32).
//
// A broker that is down makes Produce fail within the broker wait (10 s by
// default) with a *stream.BrokerUnreachableError.
func Produce(ctx context.Context, src Records, opts ...ProduceOption) (res ProduceResult, err error) {
	c := produceConfig{
		flushSize: DefaultFlushSize,
		sleep:     DefaultSleep,
		maxSize:   DefaultMaxSize,
		encoding:  stream.EncodingJSON,
		now:       time.Now,
		sleepFn:   sleepCtx,
	}
	for _, o := range opts {
		o.applyProduce(&c)
	}
	c.common.defaults()
	c.flushTimeout = 4 * c.brokerWait
	res = ProduceResult{Topic: c.topic, Encoding: c.encoding}
	cnt := 0
	defer func() {
		if err != nil {
			res.Records = cnt // handed to the client before the failure or cancellation
		}
	}()
	switch {
	case c.encoding != stream.EncodingJSON && c.encoding != stream.EncodingBinaryV1:
		return res, fmt.Errorf("urls: unknown encoding %q (want %q or %q)", c.encoding, stream.EncodingJSON, stream.EncodingBinaryV1)
	case c.rate < 0:
		return res, fmt.Errorf("urls: rate %v must not be negative", c.rate)
	case c.rate == 0 && c.flushSize <= 0:
		return res, fmt.Errorf("urls: flush size %d must be positive", c.flushSize)
	}
	if err := stream.WaitForBroker(ctx, c.brokers, c.brokerWait); err != nil {
		return res, err
	}
	ectx, cancel := context.WithTimeout(ctx, c.brokerWait)
	err = stream.EnsureTopic(ectx, c.brokers, c.topic, c.partitions)
	cancel()
	if err != nil {
		return res, err
	}

	w, err := newProducer(c.brokers, c.topic, c.clientOpts...)
	if err != nil {
		return res, err
	}
	defer w.close()
	wctx, cancel := context.WithTimeout(ctx, c.brokerWait)
	err = w.warm(wctx)
	cancel()
	if err != nil {
		return res, err
	}
	rep := progress.Nop(c.progress)
	total := int64(c.maxSize)
	if c.maxSize < 0 {
		total = -1
	}
	rep.Start("produce "+c.topic, total)
	defer rep.Done()

	var encHeader []kgo.RecordHeader
	if c.encoding == stream.EncodingBinaryV1 {
		encHeader = []kgo.RecordHeader{{Key: stream.EncodingHeader, Value: []byte(stream.EncodingBinaryV1)}}
	}
	start := c.now()
	var rec stream.URLRecord
	for c.maxSize < 0 || cnt < c.maxSize {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if c.rate > 0 {
			due := start.Add(time.Duration(float64(cnt) / c.rate * float64(time.Second)))
			if d := due.Sub(c.now()); d > 0 {
				if err := c.sleepFn(ctx, d); err != nil {
					return res, err
				}
			}
		}
		if !src.Next() {
			break
		}
		cnt++
		rec.ID = uuid.New()
		rec.X, rec.Y = src.X(), src.Y()
		rec.Sent = c.now()
		var value []byte
		var err error
		if c.encoding == stream.EncodingBinaryV1 {
			value, err = stream.AppendURLRecordBinary(make([]byte, 0, 64+10*rec.X.Len()), &rec)
		} else {
			value, err = stream.AppendURLRecordJSON(make([]byte, 0, 64+16*rec.X.Len()), &rec)
		}
		if err != nil {
			return res, fmt.Errorf("urls: record %d: %w", cnt, err)
		}
		r := &kgo.Record{Key: strconv.AppendInt(nil, int64(cnt), 10), Value: value, Headers: encHeader, Timestamp: c.now()}
		if err := w.send(ctx, r); err != nil {
			return res, fmt.Errorf("urls: record %d: %w", cnt, err)
		}
		rep.Add(1)
		if c.rate == 0 && cnt%c.flushSize == 0 {
			line := fmt.Sprintf("Queue full, flushing %d", cnt)
			c.printf("%s\n", line)
			rep.Describe(line)
			if err := w.flush(ctx, c.flushTimeout); err != nil {
				return res, err
			}
			res.Bursts++
			if c.sleep > 0 {
				if err := c.sleepFn(ctx, c.sleep); err != nil {
					return res, err
				}
			}
		}
	}
	if err := src.Err(); err != nil {
		return res, err
	}
	if err := w.flush(ctx, c.flushTimeout); err != nil {
		return res, err
	}
	res.Records = cnt
	res.Elapsed = c.now().Sub(start)
	res.Seconds = res.Elapsed.Seconds()
	if res.Seconds > 0 {
		res.RecordsPerSecond = float64(cnt) / res.Seconds
	}
	final := fmt.Sprintf("final flushing count - %d, time taken in seconds- %s", cnt, strconv.FormatFloat(res.Seconds, 'f', -1, 64))
	c.printf("%s\n", final)
	rep.Describe(final)
	return res, nil
}

func (c *produceConfig) printf(format string, args ...any) {
	if c.log != nil {
		fmt.Fprintf(c.log, format, args...)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
