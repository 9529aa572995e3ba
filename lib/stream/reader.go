package stream

import (
	"time"

	"github.com/segmentio/kafka-go"
)

// Reader defaults for low-latency streaming.
const (
	// DefaultMaxWait is how long the broker holds an empty fetch. A record
	// that arrives ends the wait at once (MinBytes is 1), so this only sets
	// how often an idle reader polls; kafka-go's default is 10 s, which also
	// delays shutdown.
	DefaultMaxWait = 250 * time.Millisecond
	// DefaultHeartbeatInterval is how often group members heartbeat; a
	// member learns about a rebalance on its next heartbeat, so a short
	// interval makes joins and leaves quick (kafka-go's default is 3 s).
	DefaultHeartbeatInterval = time.Second
	// DefaultSessionTimeout is how long a silent member keeps its
	// partitions. Kafka's group.min.session.timeout.ms is 6 s.
	DefaultSessionTimeout = 10 * time.Second
	// DefaultRebalanceTimeout bounds how long a rebalance waits for members
	// to rejoin.
	DefaultRebalanceTimeout = 10 * time.Second
)

// ReaderOption configures NewReader.
type ReaderOption func(*kafka.ReaderConfig)

// WithGroup makes the reader a member of consumer group id: partitions are
// shared among the group's members, and ReadMessage or CommitMessages commit
// offsets so that a restarted member continues after the last commit.
func WithGroup(id string) ReaderOption { return func(c *kafka.ReaderConfig) { c.GroupID = id } }

// WithPartition reads one partition directly, without a group and without
// committing offsets. It cannot be combined with WithGroup.
func WithPartition(p int) ReaderOption { return func(c *kafka.ReaderConfig) { c.Partition = p } }

// FromEarliest starts at the oldest retained record when there is no
// committed offset (the default).
func FromEarliest() ReaderOption {
	return func(c *kafka.ReaderConfig) { c.StartOffset = kafka.FirstOffset }
}

// FromLatest starts after the newest record when there is no committed
// offset: only records produced from now on are read.
func FromLatest() ReaderOption {
	return func(c *kafka.ReaderConfig) { c.StartOffset = kafka.LastOffset }
}

// WithCommitInterval commits group offsets in the background every d instead
// of on every ReadMessage/CommitMessages call. Faster, but a crash replays up
// to d worth of records.
func WithCommitInterval(d time.Duration) ReaderOption {
	return func(c *kafka.ReaderConfig) { c.CommitInterval = d }
}

// WithMaxWait sets how long the broker may hold a fetch that has no data.
func WithMaxWait(d time.Duration) ReaderOption {
	return func(c *kafka.ReaderConfig) { c.MaxWait = d }
}

// WithMinBytes sets how many bytes a fetch waits for (up to MaxWait). 1, the
// default here, returns every record as soon as it exists.
func WithMinBytes(n int) ReaderOption { return func(c *kafka.ReaderConfig) { c.MinBytes = n } }

// WithReaderLogger routes kafka-go's reader logs; errors go to errs.
func WithReaderLogger(info, errs kafka.Logger) ReaderOption {
	return func(c *kafka.ReaderConfig) { c.Logger, c.ErrorLogger = info, errs }
}

// WithReaderTuning applies fn to the configuration after every other
// option, for kafka-go settings this package has no option for.
func WithReaderTuning(fn func(*kafka.ReaderConfig)) ReaderOption { return fn }

// NewReader returns a kafka-go Reader of topic, tuned for low latency: a
// record is delivered as soon as the broker has it, group membership changes
// take about a second, and without a committed offset reading starts at the
// earliest record. Without WithGroup or WithPartition it reads partition 0.
//
// Like kafka.NewReader it panics on an invalid configuration (no brokers, no
// topic, a group combined with a partition).
func NewReader(brokers []string, topic string, opts ...ReaderOption) *kafka.Reader {
	cfg := kafka.ReaderConfig{
		Brokers:           brokers,
		Topic:             topic,
		MinBytes:          1,
		MaxBytes:          10 << 20,
		MaxWait:           DefaultMaxWait,
		StartOffset:       kafka.FirstOffset,
		HeartbeatInterval: DefaultHeartbeatInterval,
		SessionTimeout:    DefaultSessionTimeout,
		RebalanceTimeout:  DefaultRebalanceTimeout,
		JoinGroupBackoff:  time.Second,
		ReadBackoffMin:    50 * time.Millisecond,
		ReadBackoffMax:    time.Second,
	}
	for _, o := range opts {
		o(&cfg)
	}
	return kafka.NewReader(cfg)
}
