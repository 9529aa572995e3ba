package stream

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
)

// ProduceStrings writes values to topic, one record each with no key, and
// returns once the broker has them all. It suits notebooks and tests; use
// NewWriter for a stream.
func ProduceStrings(ctx context.Context, brokers []string, topic string, values []string) error {
	if len(values) == 0 {
		return nil
	}
	msgs := make([]kafka.Message, len(values))
	for i, v := range values {
		msgs[i] = kafka.Message{Value: []byte(v)}
	}
	w := NewWriter(brokers, topic)
	err := w.WriteMessages(ctx, msgs...)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("stream: produce %d records to %s: %w", len(values), topic, err)
	}
	return nil
}

// ConsumeN reads n records of topic from the start of every partition,
// without a consumer group (nothing is committed), and returns them ordered
// by partition then offset: Kafka orders records only within a partition. If
// fewer than n arrive within timeout it returns those it has and a
// *TimeoutError. The topic may be created while ConsumeN waits. With more
// than n records in the topic, which n are returned depends on timing.
func ConsumeN(ctx context.Context, brokers []string, topic string, n int, timeout time.Duration) ([]kafka.Message, error) {
	if n <= 0 {
		return nil, nil
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	timedOut := func(got []kafka.Message, err error) ([]kafka.Message, error) {
		sortByPartitionOffset(got)
		return got, &TimeoutError{Topic: topic, Want: int64(n), Got: int64(len(got)),
			Waited: time.Since(start).Round(time.Millisecond), Partial: err}
	}

	c := newClient(brokers)
	var parts []int
	var err error
	for {
		if parts, err = partitionsOf(ctx, c, topic); err == nil {
			break
		}
		select {
		case <-ctx.Done():
			closeClient(c)
			return timedOut(nil, err)
		case <-time.After(pollInterval):
		}
	}
	closeClient(c)

	var (
		mu      sync.Mutex
		got     = make([]kafka.Message, 0, n)
		lastErr error
		wg      sync.WaitGroup
	)
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	for _, p := range parts {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			r := NewReader(brokers, topic, WithPartition(p))
			defer r.Close()
			for {
				m, err := r.ReadMessage(rctx)
				mu.Lock()
				if err != nil {
					if rctx.Err() == nil {
						lastErr = WrapMessage(kafka.Message{Topic: topic, Partition: p, Offset: -1}, err)
					}
					mu.Unlock()
					return
				}
				if len(got) < n {
					got = append(got, m)
				}
				if len(got) == n {
					stop()
				}
				mu.Unlock()
			}
		}(p)
	}
	wg.Wait()
	if len(got) < n {
		// Readers only stop early on ctx; a reader that failed for another
		// reason left the others running until then.
		return timedOut(got, lastErr)
	}
	sortByPartitionOffset(got)
	return got, nil
}

func sortByPartitionOffset(ms []kafka.Message) {
	sort.Slice(ms, func(i, j int) bool {
		if ms[i].Partition != ms[j].Partition {
			return ms[i].Partition < ms[j].Partition
		}
		return ms[i].Offset < ms[j].Offset
	})
}
