package serve

import (
	"hash/crc32"
	"io"
	"time"

	"github.com/rivulet-ml/rivulet/lib/progress"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// common holds the settings Publish and Serve share.
type common struct {
	brokers    []string
	modelTopic string
	schema     string
	brokerWait time.Duration
}

func (c *common) defaults() {
	if len(c.brokers) == 0 {
		c.brokers = stream.SplitBrokers("")
	}
	if c.modelTopic == "" {
		c.modelTopic = DefaultModelTopic
	}
	if c.brokerWait <= 0 {
		c.brokerWait = stream.DefaultBrokerWait
	}
}

// Option is a setting of both Publish and Serve.
type Option func(*common)

func (o Option) applyPublish(c *publishConfig) { o(&c.common) }
func (o Option) applyServe(c *config)          { o(&c.common) }

// WithBrokers sets the bootstrap brokers (default stream.DefaultBrokers():
// RIVULET_BROKERS or 127.0.0.1:9092).
func WithBrokers(brokers ...string) Option { return func(c *common) { c.brokers = brokers } }

// WithModelTopic sets the model-update topic (default "model_updates").
func WithModelTopic(topic string) Option { return func(c *common) { c.modelTopic = topic } }

// WithSchema names the feature layout: the one a published model was
// trained on, and the one a scoring service accepts (default
// SchemaMaliciousURL). A service given "" accepts any.
func WithSchema(s string) Option { return func(c *common) { c.schema = s } }

// WithBrokerWait bounds how long an unreachable broker is waited for before
// failing with a *stream.BrokerUnreachableError (default
// stream.DefaultBrokerWait).
func WithBrokerWait(d time.Duration) Option { return func(c *common) { c.brokerWait = d } }

// PublishOption configures Publish.
type PublishOption interface{ applyPublish(*publishConfig) }

type publishOpt func(*publishConfig)

func (o publishOpt) applyPublish(c *publishConfig) { o(c) }

// WithVersion publishes as version v (>= 1). Without it the version is one
// more than the highest version already in the topic (1 for an empty
// topic), as a model registry numbers versions.
func WithVersion(v int64) PublishOption { return publishOpt(func(c *publishConfig) { c.version = v }) }

// WithModelName records the model's registry name (e.g. "arf") and its
// River parameters in the headers.
func WithModelName(name string, params ...string) PublishOption {
	return publishOpt(func(c *publishConfig) { c.name, c.params = name, params })
}

// WithMetrics attaches the version's evaluation metrics (the original
// logged them to MLflow next to the artifact).
func WithMetrics(m map[string]float64) PublishOption {
	return publishOpt(func(c *publishConfig) { c.metrics = m })
}

// WithMaxMessageBytes sets the largest record sent (default
// DefaultMaxMessageBytes). Raise it only together with the broker's
// message.max.bytes (or the topic's max.message.bytes).
func WithMaxMessageBytes(n int) PublishOption {
	return publishOpt(func(c *publishConfig) { c.maxMessageBytes = n })
}

// WithMaxSnapshotBytes bounds the whole snapshot (default
// DefaultMaxSnapshotBytes).
func WithMaxSnapshotBytes(n int) PublishOption {
	return publishOpt(func(c *publishConfig) { c.maxSnapshotBytes = n })
}

// WithoutChunking refuses, with a *TooLargeError, a snapshot that does not
// fit one record instead of splitting it.
func WithoutChunking() PublishOption {
	return publishOpt(func(c *publishConfig) { c.chunking = false })
}

// ServeOption configures Serve.
type ServeOption interface{ applyServe(*config) }

type serveOpt func(*config)

func (o serveOpt) applyServe(c *config) { o(c) }

// StartOffset says where a partition of the features topic without a
// committed offset starts.
type StartOffset int

const (
	// Latest scores only records produced after the service joined, the
	// original endpoint's auto.offset.reset=latest.
	Latest StartOffset = iota
	// Earliest scores every retained record.
	Earliest
)

// WithFeaturesTopic sets the topic of records to score (default
// "features").
func WithFeaturesTopic(t string) ServeOption { return serveOpt(func(c *config) { c.features = t }) }

// WithPredictionsTopic sets where predictions go (default "predictions").
func WithPredictionsTopic(t string) ServeOption {
	return serveOpt(func(c *config) { c.predictions = t })
}

// WithGroup sets the consumer group the replicas of one service share
// (default "rivulet-serve").
func WithGroup(g string) ServeOption { return serveOpt(func(c *config) { c.group = g }) }

// WithReplicaID names this replica in logs, /healthz and the predictions'
// headers (default host name and process id).
func WithReplicaID(id string) ServeOption { return serveOpt(func(c *config) { c.replica = id }) }

// WithInitialModel serves a fresh model of the registry as version 0 until
// the first version is published, as the original endpoint served an
// untrained AdaptiveRandomForestClassifier. Without it the service waits
// for a published version before it consumes any record.
func WithInitialModel(name string, params ...string) ServeOption {
	return serveOpt(func(c *config) { c.initialModel, c.initialParams = name, params })
}

// WithLearn makes the served model also learn from every scored record
// (predict, then learn: test-then-train). The next published version
// replaces what it learned.
func WithLearn(on bool) ServeOption { return serveOpt(func(c *config) { c.learn = on }) }

// WithHTTP serves POST /predict, GET /healthz and GET /metrics on addr
// (e.g. "127.0.0.1:8080"; port 0 picks a free one, reported to WithReady).
func WithHTTP(addr string) ServeOption { return serveOpt(func(c *config) { c.httpAddr = addr }) }

// WithStartOffset sets where partitions without a committed offset start
// (default Latest).
func WithStartOffset(s StartOffset) ServeOption { return serveOpt(func(c *config) { c.start = s }) }

// WithMaxRecords stops after n records were scored (default 0: run until
// ctx ends).
func WithMaxRecords(n int) ServeOption { return serveOpt(func(c *config) { c.maxRecords = n }) }

// WithIdleTimeout stops after d without a record (default 0: never).
func WithIdleTimeout(d time.Duration) ServeOption {
	return serveOpt(func(c *config) { c.idleTimeout = d })
}

// WithCommitInterval sets how often scored offsets are committed, each time
// after the predictions so far are acknowledged (default 1 s). A crashed
// replica's successor scores again at most this much of its records.
func WithCommitInterval(d time.Duration) ServeOption {
	return serveOpt(func(c *config) { c.commitInterval = d })
}

// WithSessionTimeout sets how long the group waits for a silent replica
// before moving its partitions (default stream.DefaultSessionTimeout;
// brokers refuse less than their group.min.session.timeout.ms, 6 s by
// default).
func WithSessionTimeout(d time.Duration) ServeOption {
	return serveOpt(func(c *config) { c.sessionTimeout = d })
}

// WithKeepVersions keeps the n newest versions loaded, so that POST
// /predict can ask for an older one (default 5).
func WithKeepVersions(n int) ServeOption { return serveOpt(func(c *config) { c.keep = n }) }

// WithPollRecords caps the records one poll hands to the loop (default
// 1000).
func WithPollRecords(n int) ServeOption { return serveOpt(func(c *config) { c.pollRecords = n }) }

// WithReady is called once the service has its model, its partitions and
// its HTTP listener: every record produced from then on is scored.
func WithReady(fn func(Ready)) ServeOption { return serveOpt(func(c *config) { c.onReady = fn }) }

// WithOnSwap is called after every model swap (from the update goroutine).
func WithOnSwap(fn func(Swap)) ServeOption { return serveOpt(func(c *config) { c.onSwap = fn }) }

// WithLog receives one line per notable event: readiness, assignments,
// swaps, dead letters, commits on revocation, shutdown.
func WithLog(w io.Writer) ServeOption { return serveOpt(func(c *config) { c.log = w }) }

// WithProgress reports records scored.
func WithProgress(r progress.Reporter) ServeOption {
	return serveOpt(func(c *config) { c.progress = r })
}

// crc32Hasher puts a keyed record where librdkafka's default partitioner
// puts it (CRC-32 of the key modulo the partition count), as lib/stream's
// writers and the original's producers do.
func crc32Hasher(key []byte, n int) int { return int(crc32.ChecksumIEEE(key) % uint32(n)) }
