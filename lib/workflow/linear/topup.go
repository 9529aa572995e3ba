package linear

import (
	"context"
	"errors"
	"fmt"

	"github.com/segmentio/kafka-go"

	"github.com/rivulet-ml/rivulet/lib/stream"
)

// TopUp makes cfg.Topic hold at least want records: it counts what the
// topic holds (a topic that does not exist holds none) and, when that is
// fewer, sends the difference with Send(cfg) (cfg.Count is set to it). It
// returns what the topic held before and what was sent (nil when nothing
// was). Notebook 02 uses it so that it runs without notebook 01 first.
func TopUp(ctx context.Context, cfg SendConfig, want int64) (held int64, sent *SendResult, err error) {
	if len(cfg.Brokers) == 0 {
		cfg.Brokers = stream.SplitBrokers("")
	}
	if cfg.Topic == "" {
		cfg.Topic = DefaultTopic
	}
	if err := stream.WaitForBroker(ctx, cfg.Brokers, cfg.BrokerWait); err != nil {
		return 0, nil, err
	}
	ends, err := stream.TopicEndOffsets(ctx, cfg.Brokers, cfg.Topic)
	if err != nil && !errors.Is(err, kafka.UnknownTopicOrPartition) {
		return 0, nil, fmt.Errorf("linear: counting the records of %s: %w", cfg.Topic, err)
	}
	for _, o := range ends {
		held += o
	}
	if held >= want {
		return held, nil, nil
	}
	cfg.Count = want - held
	sent, err = Send(ctx, cfg)
	return held, sent, err
}
