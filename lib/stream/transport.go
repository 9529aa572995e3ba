package stream

import (
	"context"
	"net"
	"time"

	"github.com/segmentio/kafka-go"
	metadataAPI "github.com/segmentio/kafka-go/protocol/metadata"
)

// autoCreateWait bounds how long a writer waits for an automatically created
// topic to get its partition leaders.
const autoCreateWait = 10 * time.Second

// autoCreateTransport is the transport of every writer from NewWriter. It
// is kafka.DefaultTransport, which kafka-go writers share anyway, plus one
// fix: Apache Kafka creates a topic asynchronously when a metadata request
// asks for it, and answers that very request with UNKNOWN_TOPIC_OR_PARTITION
// or LEADER_NOT_AVAILABLE; kafka-go's Writer gives up on the first such
// answer, so the first write to a new topic fails on a real broker (kfake
// answers with the created topic at once). Retrying the metadata request
// until the leaders exist makes the first write wait instead.
var autoCreateTransport kafka.RoundTripper = autoCreateRetry{rt: kafka.DefaultTransport}

type autoCreateRetry struct{ rt kafka.RoundTripper }

func (t autoCreateRetry) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	m, ok := req.(*metadataAPI.Request)
	if !ok || !m.AllowAutoTopicCreation {
		return t.rt.RoundTrip(ctx, addr, req)
	}
	deadline := time.Now().Add(autoCreateWait)
	backoff := 20 * time.Millisecond
	for {
		resp, err := t.rt.RoundTrip(ctx, addr, req)
		if err != nil || !stillCreating(resp) || time.Now().After(deadline) {
			return resp, err
		}
		select {
		case <-ctx.Done():
			return resp, err
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 500*time.Millisecond)
	}
}

// stillCreating reports whether a metadata response shows a topic that is
// being created: unknown yet, or without leaders. If automatic creation is
// off on the broker, the topic stays unknown and the writer gets the error
// after autoCreateWait.
func stillCreating(resp kafka.Response) bool {
	md, ok := resp.(*metadataAPI.Response)
	if !ok {
		return false
	}
	for _, t := range md.Topics {
		switch kafka.Error(t.ErrorCode) {
		case kafka.UnknownTopicOrPartition, kafka.LeaderNotAvailable:
			return true
		}
		for _, p := range t.Partitions {
			if kafka.Error(p.ErrorCode) == kafka.LeaderNotAvailable {
				return true
			}
		}
	}
	return false
}
