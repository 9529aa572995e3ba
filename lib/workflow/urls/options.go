package urls

import (
	"time"

	"github.com/rivulet-ml/rivulet/lib/stream"
)

// common holds the settings Produce and Consume share.
type common struct {
	brokers    []string
	topic      string
	brokerWait time.Duration
}

func (c *common) defaults() {
	if len(c.brokers) == 0 {
		c.brokers = stream.SplitBrokers("")
	}
	if c.topic == "" {
		c.topic = DefaultTopic
	}
	if c.brokerWait <= 0 {
		c.brokerWait = stream.DefaultBrokerWait
	}
}

// Option is a setting for both Produce and Consume.
type Option func(*common)

func (o Option) applyProduce(c *produceConfig) { o(&c.common) }
func (o Option) applyConsume(c *consumeConfig) { o(&c.common) }

// WithBrokers sets the bootstrap brokers (default stream.DefaultBrokers():
// RIVULET_BROKERS or 127.0.0.1:9092).
func WithBrokers(brokers ...string) Option { return func(c *common) { c.brokers = brokers } }

// WithTopic sets the feature topic (default "features").
func WithTopic(topic string) Option { return func(c *common) { c.topic = topic } }

// WithBrokerWait bounds how long an unreachable broker is waited for before
// the run fails with a *stream.BrokerUnreachableError (default
// stream.DefaultBrokerWait). Flushes may take four times as long.
func WithBrokerWait(d time.Duration) Option { return func(c *common) { c.brokerWait = d } }
