package serve

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/rivulet-ml/rivulet/lib/snapshot"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// Size limits of model-update records.
const (
	// DefaultMaxMessageBytes is the largest record Publish sends: below
	// both Apache Kafka's default message.max.bytes (1048588) and the
	// producers' default batch limit (franz-go 1000012, librdkafka's
	// message.max.bytes 1000000), so that it fits every default setup.
	DefaultMaxMessageBytes = 1_000_000
	// DefaultMaxSnapshotBytes bounds a whole snapshot, chunked or not: a
	// scoring service holds the pieces in memory until the last arrives.
	DefaultMaxSnapshotBytes = 256 << 20
	// recordOverhead is kept free in every record for its key, headers
	// and the batch framing around it.
	recordOverhead = 8 << 10
)

// TooLargeError reports a snapshot that Publish refuses to send.
type TooLargeError struct {
	Version int64
	Bytes   int
	Limit   int
	// Setting names the knob that sets Limit.
	Setting string
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("serve: model version %d: snapshot of %d bytes exceeds the %d-byte limit of %s",
		e.Version, e.Bytes, e.Limit, e.Setting)
}

type publishConfig struct {
	common
	version          int64
	name             string
	params           []string
	metrics          map[string]float64
	maxMessageBytes  int
	maxSnapshotBytes int
	chunking         bool
	now              func() time.Time
}

// PublishResult says what Publish sent.
type PublishResult struct {
	Meta
	Topic     string    `json:"topic"`
	Partition int32     `json:"partition"`
	Offset    int64     `json:"offset"` // offset of the first record
	Acked     time.Time `json:"acked"`  // when the broker had every record
}

// Publish sends model's snapshot to the model-update topic as one version:
// key = version, headers = Meta (name, kind, schema, created-at, CRC-32,
// size, metrics), value = the snapshot. A snapshot larger than one record
// is split into chunks of the same key, sent in order to one partition, that
// a scoring service reassembles and verifies before use; WithoutChunking
// refuses it instead. It returns when the broker has acknowledged every
// record.
//
// The topic is created with one partition if it does not exist, so that
// versions stay in publication order. It must not be compacted: chunks
// share their key.
func Publish(ctx context.Context, model snapshot.Model, opts ...PublishOption) (PublishResult, error) {
	return PublishSnapshot(ctx, snapshot.Marshal(model), opts...)
}

// PublishSnapshot publishes snapshot bytes (from snapshot.Marshal or a
// snapshot file) as Publish does. The bytes are verified first.
func PublishSnapshot(ctx context.Context, snap []byte, opts ...PublishOption) (PublishResult, error) {
	c := publishConfig{
		common:           common{schema: SchemaMaliciousURL},
		maxMessageBytes:  DefaultMaxMessageBytes,
		maxSnapshotBytes: DefaultMaxSnapshotBytes,
		chunking:         true,
		now:              time.Now,
	}
	for _, o := range opts {
		o.applyPublish(&c)
	}
	c.common.defaults()
	var res PublishResult
	res.Topic = c.modelTopic
	h, _, err := snapshot.Inspect(snap)
	if err != nil {
		return res, fmt.Errorf("serve: publish: %w", err)
	}
	if c.version < 0 {
		return res, fmt.Errorf("serve: publish: version %d: want >= 1", c.version)
	}
	if c.maxMessageBytes <= 2*recordOverhead {
		return res, fmt.Errorf("serve: publish: max message bytes %d is too small (want > %d)", c.maxMessageBytes, 2*recordOverhead)
	}
	chunkBytes := c.maxMessageBytes - recordOverhead
	if len(snap) > c.maxSnapshotBytes {
		return res, &TooLargeError{Version: c.version, Bytes: len(snap), Limit: c.maxSnapshotBytes, Setting: "the whole snapshot (WithMaxSnapshotBytes / --max-snapshot-bytes)"}
	}
	if !c.chunking && len(snap) > chunkBytes {
		return res, &TooLargeError{Version: c.version, Bytes: len(snap), Limit: chunkBytes,
			Setting: fmt.Sprintf("one Kafka message (max message bytes %d minus %d for key and headers; chunking is off)", c.maxMessageBytes, recordOverhead)}
	}
	if err := stream.WaitForBroker(ctx, c.brokers, c.brokerWait); err != nil {
		return res, err
	}
	ectx, cancel := context.WithTimeout(ctx, c.brokerWait)
	err = stream.EnsureTopic(ectx, c.brokers, c.modelTopic, 1)
	cancel()
	if err != nil {
		return res, err
	}
	if c.version == 0 {
		latest, err := LatestVersion(ctx, c.brokers, c.modelTopic)
		if err != nil {
			return res, err
		}
		c.version = latest + 1
	}
	n := (len(snap) + chunkBytes - 1) / chunkBytes
	res.Meta = Meta{Version: c.version, Name: c.name, Kind: h.Kind, Params: c.params, Schema: c.schema,
		CreatedAt: c.now().UTC(), Checksum: h.Checksum, Bytes: len(snap), Chunks: n, Metrics: c.metrics}

	cl, err := kgo.NewClient(
		kgo.SeedBrokers(c.brokers...),
		kgo.ClientID("rivulet-publish"),
		kgo.DefaultProduceTopic(c.modelTopic),
		kgo.DialTimeout(2*time.Second),
		kgo.ProducerBatchMaxBytes(int32(c.maxMessageBytes)),
		kgo.RecordPartitioner(kgo.StickyKeyPartitioner(kgo.PartitionerHasher(crc32Hasher))),
		// One request in flight keeps the chunks in order across retries.
		kgo.MaxProduceRequestsInflightPerBroker(1),
		kgo.ProduceRequestTimeout(4*c.brokerWait),
	)
	if err != nil {
		return res, fmt.Errorf("serve: publish: %w", err)
	}
	defer cl.Close()
	key := strconv.AppendInt(nil, c.version, 10)
	recs := make([]*kgo.Record, n)
	for i := range n {
		lo, hi := i*chunkBytes, min((i+1)*chunkBytes, len(snap))
		recs[i] = &kgo.Record{Key: key, Value: snap[lo:hi], Headers: res.Meta.headers(i+1, n), Timestamp: res.CreatedAt}
	}
	pctx, cancel := context.WithTimeout(ctx, 4*c.brokerWait)
	defer cancel()
	results := cl.ProduceSync(pctx, recs...)
	if err := results.FirstErr(); err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			err = fmt.Errorf("not acknowledged by the broker within %v", 4*c.brokerWait)
		}
		return res, fmt.Errorf("serve: publish version %d to %s: %w", c.version, c.modelTopic, err)
	}
	res.Acked = time.Now()
	res.Partition, res.Offset = recs[0].Partition, recs[0].Offset
	return res, nil
}

// LatestVersion returns the highest version in the model-update topic,
// read from the last record of each partition (0 when the topic is empty
// or does not exist).
func LatestVersion(ctx context.Context, brokers []string, topic string) (int64, error) {
	ends, err := stream.TopicEndOffsets(ctx, brokers, topic)
	if errors.Is(err, kafka.UnknownTopicOrPartition) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	want := map[int32]kgo.Offset{}
	for p, end := range ends {
		if end > 0 {
			want[int32(p)] = kgo.NewOffset().At(end - 1)
		}
	}
	if len(want) == 0 {
		return 0, nil
	}
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(brokers...),
		kgo.ClientID("rivulet-publish"),
		kgo.DialTimeout(2*time.Second),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: want}),
		kgo.FetchMaxWait(stream.DefaultMaxWait),
	)
	if err != nil {
		return 0, fmt.Errorf("serve: %w", err)
	}
	defer cl.Close()
	pctx, cancel := context.WithTimeout(ctx, stream.DefaultBrokerWait)
	defer cancel()
	var latest int64
	for len(want) > 0 {
		fs := cl.PollFetches(pctx)
		if pctx.Err() != nil {
			return 0, fmt.Errorf("serve: reading the last record of %s: partitions %v did not answer within %v", topic, keys(want), stream.DefaultBrokerWait)
		}
		if err := fs.Err0(); err != nil {
			return 0, fmt.Errorf("serve: reading the last record of %s: %w", topic, err)
		}
		var bad error
		fs.EachRecord(func(r *kgo.Record) {
			if _, ok := want[r.Partition]; !ok || r.Offset != ends[int(r.Partition)]-1 {
				return
			}
			delete(want, r.Partition)
			v, err := strconv.ParseInt(string(r.Key), 10, 64)
			if err != nil || v < 1 {
				bad = fmt.Errorf("serve: the last record of %s partition %d (offset %d) has key %q, not a model version; publish with an explicit version",
					topic, r.Partition, r.Offset, r.Key)
				return
			}
			latest = max(latest, v)
		})
		if bad != nil {
			return 0, bad
		}
	}
	return latest, nil
}

func keys[V any](m map[int32]V) []int32 {
	out := make([]int32, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
