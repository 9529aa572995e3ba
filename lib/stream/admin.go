package stream

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/segmentio/kafka-go"
)

// DefaultBrokerWait is how long WaitForBroker waits when given no timeout.
const DefaultBrokerWait = 10 * time.Second

// pollInterval paces the helpers that wait for a broker, topic or records.
const pollInterval = 50 * time.Millisecond

// newClient returns a kafka-go admin client with its own transport, so that
// no connection outlives the helper that made it (kafka.DefaultTransport
// would pool them process-wide). Call closeClient when done.
func newClient(brokers []string) *kafka.Client {
	return &kafka.Client{
		Addr:      kafka.TCP(brokers...),
		Transport: &kafka.Transport{DialTimeout: 2 * time.Second, MetadataTTL: time.Second},
	}
}

func closeClient(c *kafka.Client) {
	if t, ok := c.Transport.(*kafka.Transport); ok {
		t.CloseIdleConnections()
	}
}

// WaitForBroker waits until one of brokers answers a metadata request, for
// at most timeout (DefaultBrokerWait when timeout <= 0) or until ctx ends. It
// never hangs: a broker that is down yields a *BrokerUnreachableError within
// the bounded time, e.g.
//
//	no Kafka broker reachable at 127.0.0.1:9092 after 5s (start one with
//	`rivulet broker` or set RIVULET_BROKERS): dial tcp 127.0.0.1:9092:
//	connect: connection refused
func WaitForBroker(ctx context.Context, brokers []string, timeout time.Duration) error {
	if len(brokers) == 0 {
		return errors.New("stream: no brokers given")
	}
	if timeout <= 0 {
		timeout = DefaultBrokerWait
	}
	start := time.Now()
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var last error
	for {
		err := probeBrokers(wctx, brokers)
		if err == nil {
			return nil
		}
		// An attempt cut short by our own deadline says less ("i/o
		// timeout") than the one before it ("connection refused").
		if last == nil || wctx.Err() == nil {
			last = err
		}
		select {
		case <-wctx.Done():
			waited := timeout
			if ctx.Err() != nil { // the caller gave up before the timeout
				waited = time.Since(start).Round(10 * time.Millisecond)
			}
			return &BrokerUnreachableError{Brokers: brokers, Waited: waited, Err: last}
		case <-time.After(pollInterval):
		}
	}
}

// probeBrokers dials each broker and asks the first that accepts for
// metadata. A plain dial comes first because its error ("connection
// refused") says more than kafka-go's wrapped one.
func probeBrokers(ctx context.Context, brokers []string) error {
	var last error
	var d net.Dialer
	for _, b := range brokers {
		dctx, cancel := context.WithTimeout(ctx, time.Second)
		conn, err := d.DialContext(dctx, "tcp", b)
		cancel()
		if err != nil {
			last = err
			continue
		}
		conn.Close()
		c := newClient([]string{b})
		mctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		md, err := c.Metadata(mctx, &kafka.MetadataRequest{})
		cancel()
		closeClient(c)
		if err == nil && len(md.Brokers) == 0 {
			err = fmt.Errorf("broker %s is up but reports no brokers yet", b)
		}
		if err == nil {
			return nil
		}
		last = err
	}
	return last
}

// EnsureTopic creates topic with the given partition count (the broker's
// default when partitions <= 0) and the broker's default replication factor,
// and waits until every partition has a leader. A topic that already exists
// is fine and is left as it is, whatever its partition count.
func EnsureTopic(ctx context.Context, brokers []string, topic string, partitions int) error {
	if topic == "" {
		return errors.New("stream: EnsureTopic: empty topic name")
	}
	if partitions <= 0 {
		partitions = -1
	}
	c := newClient(brokers)
	defer closeClient(c)
	resp, err := c.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
		Topic: topic, NumPartitions: partitions, ReplicationFactor: -1,
	}}})
	if err != nil {
		return fmt.Errorf("stream: create topic %s: %w", topic, err)
	}
	if err := resp.Errors[topic]; err != nil && !errors.Is(err, kafka.TopicAlreadyExists) {
		return fmt.Errorf("stream: create topic %s: %w", topic, err)
	}
	// Ready means the partition leaders answer: on Apache Kafka, metadata
	// can list a leader a moment before that leader serves the partition
	// (NOT_LEADER_OR_FOLLOWER), and a client that trusts metadata alone
	// fails on its first request.
	for {
		_, err := endOffsetsOnce(ctx, c, topic)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("stream: topic %s created but not ready: %w", topic, errors.Join(ctx.Err(), err))
		case <-time.After(pollInterval):
		}
	}
}

// transientWait bounds how long the admin helpers retry errors that a
// broker gives while it settles (a new topic's leaders, a group coordinator
// loading its offsets).
const transientWait = 10 * time.Second

// transient reports whether err is a broker answer that goes away by
// itself shortly. Topic-level UNKNOWN_TOPIC_OR_PARTITION is not among them:
// a missing topic must be reported at once.
func transient(err error) bool {
	var ke kafka.Error
	if !errors.As(err, &ke) {
		return false
	}
	switch ke {
	case kafka.LeaderNotAvailable, kafka.NotLeaderForPartition, kafka.UnknownLeaderEpoch,
		kafka.FencedLeaderEpoch, kafka.OffsetNotAvailable, kafka.RequestTimedOut, kafka.NetworkException,
		kafka.GroupLoadInProgress, kafka.GroupCoordinatorNotAvailable, kafka.NotCoordinatorForGroup,
		kafka.KafkaStorageError:
		return true
	}
	return false
}

// retryTransient calls fn until it returns nil or an error that is not
// transient, for at most transientWait or until ctx ends.
func retryTransient(ctx context.Context, fn func() error) error {
	deadline := time.Now().Add(transientWait)
	for {
		err := fn()
		if err == nil || !transient(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pollInterval):
		}
	}
}

// partitionError is a partition-level metadata problem, a partition without
// a leader for instance.
type partitionError struct {
	topic     string
	partition int
	err       error
}

func (e *partitionError) Error() string {
	return fmt.Sprintf("topic %s partition %d: %v", e.topic, e.partition, e.err)
}

func (e *partitionError) Unwrap() error { return e.err }

// partitionsOf returns topic's partition ids, or an error unless the topic
// exists and every partition has a leader.
func partitionsOf(ctx context.Context, c *kafka.Client, topic string) ([]int, error) {
	md, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, err
	}
	for _, t := range md.Topics {
		if t.Name != topic {
			continue
		}
		if t.Error != nil {
			return nil, fmt.Errorf("topic %s: %w", topic, t.Error)
		}
		if len(t.Partitions) == 0 {
			return nil, fmt.Errorf("topic %s: no partitions yet: %w", topic, kafka.LeaderNotAvailable)
		}
		ids := make([]int, len(t.Partitions))
		for i, p := range t.Partitions {
			if p.Error != nil {
				return nil, &partitionError{topic, p.ID, p.Error}
			}
			if p.Leader.Host == "" {
				return nil, &partitionError{topic, p.ID, kafka.LeaderNotAvailable}
			}
			ids[i] = p.ID
		}
		return ids, nil
	}
	return nil, fmt.Errorf("topic %s: %w", topic, kafka.UnknownTopicOrPartition)
}

// TopicEndOffsets returns each partition's end offset (high-water mark: the
// offset the next record will get). With nothing deleted by retention, their
// sum is the number of records in the topic. A missing topic is an error
// matching kafka.UnknownTopicOrPartition. Errors a broker gives while a new
// topic settles (no leader yet) are retried for up to 10 s.
func TopicEndOffsets(ctx context.Context, brokers []string, topic string) (map[int]int64, error) {
	c := newClient(brokers)
	defer closeClient(c)
	var out map[int]int64
	err := retryTransient(ctx, func() (err error) {
		out, err = endOffsetsOnce(ctx, c, topic)
		return err
	})
	return out, err
}

func endOffsetsOnce(ctx context.Context, c *kafka.Client, topic string) (map[int]int64, error) {
	parts, err := partitionsOf(ctx, c, topic)
	if err != nil {
		return nil, fmt.Errorf("stream: end offsets: %w", err)
	}
	reqs := make([]kafka.OffsetRequest, len(parts))
	for i, p := range parts {
		reqs[i] = kafka.LastOffsetOf(p)
	}
	resp, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("stream: end offsets of %s: %w", topic, err)
	}
	out := make(map[int]int64, len(parts))
	for _, po := range resp.Topics[topic] {
		if po.Error != nil {
			return nil, fmt.Errorf("stream: end offset: %w", &partitionError{topic, po.Partition, po.Error})
		}
		out[po.Partition] = po.LastOffset
	}
	if len(out) != len(parts) {
		return nil, fmt.Errorf("stream: end offsets of %s: got %d of %d partitions", topic, len(out), len(parts))
	}
	return out, nil
}

// WaitForMessages waits until topic's end offsets add up to at least n, or
// ctx ends (then it returns a *TimeoutError). The topic may not exist yet.
func WaitForMessages(ctx context.Context, brokers []string, topic string, n int64) error {
	c := newClient(brokers)
	defer closeClient(c)
	start := time.Now()
	var got int64
	var last error
	for {
		offs, err := endOffsetsOnce(ctx, c, topic)
		if err == nil {
			got = 0
			for _, o := range offs {
				got += o
			}
			if got >= n {
				return nil
			}
		}
		last = err
		select {
		case <-ctx.Done():
			return &TimeoutError{Topic: topic, Want: n, Got: got, Waited: time.Since(start).Round(time.Millisecond), Partial: last}
		case <-time.After(pollInterval):
		}
	}
}

// CommittedOffsets returns the offsets consumer group group has committed
// for topic, by partition. A partition without a commit is absent. The
// committed offset is the next one the group will read. Errors of a
// coordinator that is still loading are retried for up to 10 s.
func CommittedOffsets(ctx context.Context, brokers []string, group, topic string) (map[int]int64, error) {
	c := newClient(brokers)
	defer closeClient(c)
	var out map[int]int64
	err := retryTransient(ctx, func() (err error) {
		out, err = committedOnce(ctx, c, group, topic)
		return err
	})
	return out, err
}

func committedOnce(ctx context.Context, c *kafka.Client, group, topic string) (map[int]int64, error) {
	parts, err := partitionsOf(ctx, c, topic)
	if err != nil {
		return nil, fmt.Errorf("stream: committed offsets: %w", err)
	}
	resp, err := c.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: parts}})
	if err != nil {
		return nil, fmt.Errorf("stream: committed offsets of group %s: %w", group, err)
	}
	if resp.Error != nil {
		return nil, fmt.Errorf("stream: committed offsets of group %s: %w", group, resp.Error)
	}
	out := make(map[int]int64)
	for _, p := range resp.Topics[topic] {
		if p.Error != nil {
			return nil, fmt.Errorf("stream: committed offset of group %s topic %s partition %d: %w", group, topic, p.Partition, p.Error)
		}
		if p.CommittedOffset >= 0 {
			out[p.Partition] = p.CommittedOffset
		}
	}
	return out, nil
}
