package stream

import (
	"log/slog"
	"time"

	"github.com/segmentio/kafka-go"
)

// Writer defaults, chosen for one-record-at-a-time streaming rather than
// kafka-go's bulk-load defaults.
const (
	// DefaultBatchSize caps the records per partition batch. A batch is sent
	// when it is full or DefaultBatchTimeout after its first record.
	DefaultBatchSize = 1000
	// DefaultBatchTimeout bounds how long a record waits for its batch to
	// fill. kafka-go's own default is 1 s, which makes every synchronous
	// WriteMessages call that does not fill a batch take a full second
	// (kafka-go#1180); 5 ms keeps latency low and still batches bursts.
	DefaultBatchTimeout = 5 * time.Millisecond
)

// WriterOption configures NewWriter and NewDeadLetterWriter.
type WriterOption func(*kafka.Writer)

// WithAsync makes WriteMessages return at once; the records are sent in the
// background and onDone is called with every batch and its error (nil on
// success). Close flushes what is pending. A nil onDone logs failed batches
// through slog.Default so that no failure goes unseen.
func WithAsync(onDone func(msgs []kafka.Message, err error)) WriterOption {
	return func(w *kafka.Writer) {
		w.Async = true
		if onDone == nil {
			onDone = logFailedBatch
		}
		w.Completion = onDone
	}
}

func logFailedBatch(msgs []kafka.Message, err error) {
	if err == nil || len(msgs) == 0 {
		return
	}
	slog.Error("kafka write failed", "topic", msgs[0].Topic, "messages", len(msgs), "err", err)
}

// WithBatchSize sets how many records a partition batch holds before it is
// sent. Synchronous callers that write n records per call over p partitions
// get the lowest latency with a batch size of about n/p, so that batches fill
// instead of waiting for the timeout. 1 sends every record on its own.
func WithBatchSize(n int) WriterOption { return func(w *kafka.Writer) { w.BatchSize = n } }

// WithBatchTimeout sets how long a record may wait for its batch to fill.
func WithBatchTimeout(d time.Duration) WriterOption {
	return func(w *kafka.Writer) { w.BatchTimeout = d }
}

// WithCompression compresses batches: kafka.Gzip, Snappy, Lz4 or Zstd.
func WithCompression(c kafka.Compression) WriterOption {
	return func(w *kafka.Writer) { w.Compression = c }
}

// WithRequiredAcks sets the acknowledgement level: kafka.RequireAll (the
// default here), RequireOne, or RequireNone (fire and forget; errors are not
// reported). Note that kafka-go's own zero value is RequireNone.
func WithRequiredAcks(a kafka.RequiredAcks) WriterOption {
	return func(w *kafka.Writer) { w.RequiredAcks = a }
}

// WithBalancer chooses the partitioner.
func WithBalancer(b kafka.Balancer) WriterOption { return func(w *kafka.Writer) { w.Balancer = b } }

// WithWriterLogger routes kafka-go's writer logs; errors go to errs.
func WithWriterLogger(info, errs kafka.Logger) WriterOption {
	return func(w *kafka.Writer) { w.Logger, w.ErrorLogger = info, errs }
}

// WithWriterTuning applies fn to the writer after every other option, for
// kafka-go settings this package has no option for.
func WithWriterTuning(fn func(*kafka.Writer)) WriterOption { return fn }

// NewWriter returns a kafka-go Writer for topic (or, with topic "", for the
// topics named on each message), tuned for streaming: batches of up to
// DefaultBatchSize records sent after at most DefaultBatchTimeout, acks from
// all in-sync replicas, and topics created automatically when the broker
// allows it (the first write to a new topic waits up to 10 s for the topic's
// leaders, which kafka-go alone does not).
//
// Records with a key go to the partition librdkafka's default partitioner
// ("consistent_random", CRC32 of the key) picks, so keyed records land where
// the original Python (confluent-kafka) producers put them; records without a
// key go to a random partition. Close the writer to flush it.
func NewWriter(brokers []string, topic string, opts ...WriterOption) *kafka.Writer {
	w := &kafka.Writer{
		Addr:                   kafka.TCP(brokers...),
		Topic:                  topic,
		Balancer:               &kafka.CRC32Balancer{},
		BatchSize:              DefaultBatchSize,
		BatchTimeout:           DefaultBatchTimeout,
		RequiredAcks:           kafka.RequireAll,
		AllowAutoTopicCreation: true,
		Transport:              autoCreateTransport,
	}
	for _, o := range opts {
		o(w)
	}
	return w
}
