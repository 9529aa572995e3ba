package stream

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
)

// DeadLetterSuffix is appended to a topic's name to name its dead-letter
// topic.
const DeadLetterSuffix = ".dlq"

// Headers a dead letter carries besides the original record's headers.
const (
	HeaderError           = "rivulet-error"            // the error text
	HeaderSourceTopic     = "rivulet-source-topic"     // topic the record came from
	HeaderSourcePartition = "rivulet-source-partition" // its partition, decimal
	HeaderSourceOffset    = "rivulet-source-offset"    // its offset, decimal
	HeaderFailedAt        = "rivulet-failed-at"        // when it failed, RFC 3339 with nanoseconds, UTC
)

// DeadLetterTopic returns the dead-letter topic of source: source + ".dlq".
func DeadLetterTopic(source string) string { return source + DeadLetterSuffix }

// DeadLetterWriter sends records that cannot be processed to a dead-letter
// topic, so that a malformed record is kept for inspection and the stream
// goes on. It is safe for concurrent use.
type DeadLetterWriter struct {
	w      *kafka.Writer
	source string
	sent   atomic.Int64
	now    func() time.Time
}

// NewDeadLetterWriter returns a writer to DeadLetterTopic(sourceTopic).
// Every Send waits until the broker has the dead letter, so the caller can
// commit the source offset right after it. opts tune the underlying writer
// as for NewWriter.
func NewDeadLetterWriter(brokers []string, sourceTopic string, opts ...WriterOption) *DeadLetterWriter {
	// Dead letters are rare and each Send must be durable before it
	// returns: a batch of one is sent at once, with no linger.
	opts = append([]WriterOption{WithBatchSize(1)}, opts...)
	return &DeadLetterWriter{
		w:      NewWriter(brokers, DeadLetterTopic(sourceTopic), opts...),
		source: sourceTopic,
		now:    time.Now,
	}
}

// Topic returns the dead-letter topic written to.
func (d *DeadLetterWriter) Topic() string { return d.w.Topic }

// Send writes msg to the dead-letter topic with its key, value, timestamp
// and headers, plus the rivulet-* headers describing cause and origin. A
// header of the original record with one of those names is replaced, so a
// record dead-lettered twice names its latest failure. When cause is a
// *MessageError for msg itself, its inner error is the text recorded, as the
// origin headers already say where the record came from.
func (d *DeadLetterWriter) Send(ctx context.Context, msg kafka.Message, cause error) error {
	if cause == nil {
		cause = errors.New("unspecified error")
	}
	var me *MessageError
	if errors.As(cause, &me) && me.Topic == msg.Topic && me.Partition == msg.Partition && me.Offset == msg.Offset {
		cause = me.Err
	}
	source := msg.Topic
	if source == "" {
		source = d.source
	}
	headers := make([]kafka.Header, 0, len(msg.Headers)+5)
	for _, h := range msg.Headers {
		if !isDeadLetterHeader(h.Key) {
			headers = append(headers, h)
		}
	}
	headers = append(headers,
		kafka.Header{Key: HeaderError, Value: []byte(cause.Error())},
		kafka.Header{Key: HeaderSourceTopic, Value: []byte(source)},
		kafka.Header{Key: HeaderSourcePartition, Value: strconv.AppendInt(nil, int64(msg.Partition), 10)},
		kafka.Header{Key: HeaderSourceOffset, Value: strconv.AppendInt(nil, msg.Offset, 10)},
		kafka.Header{Key: HeaderFailedAt, Value: []byte(d.now().UTC().Format(time.RFC3339Nano))},
	)
	dead := kafka.Message{Key: msg.Key, Value: msg.Value, Headers: headers, Time: msg.Time}
	if err := d.w.WriteMessages(ctx, dead); err != nil {
		return fmt.Errorf("stream: dead-letter %s: %w", WrapMessage(msg, cause), err)
	}
	d.sent.Add(1)
	return nil
}

func isDeadLetterHeader(key string) bool {
	switch key {
	case HeaderError, HeaderSourceTopic, HeaderSourcePartition, HeaderSourceOffset, HeaderFailedAt:
		return true
	}
	return false
}

// Sent returns how many dead letters were written successfully.
func (d *DeadLetterWriter) Sent() int64 { return d.sent.Load() }

// Close flushes and closes the underlying writer.
func (d *DeadLetterWriter) Close() error { return d.w.Close() }

// Header returns the value of the last header named key, and whether there
// was one.
func Header(msg kafka.Message, key string) (string, bool) {
	for i := len(msg.Headers) - 1; i >= 0; i-- {
		if msg.Headers[i].Key == key {
			return string(msg.Headers[i].Value), true
		}
	}
	return "", false
}
