package stream_test

// The checks here run against any broker: TestEmbedded* runs them on a fresh
// lib/broker, TestApache* on the Apache Kafka broker from
// environment/kafka/kafka.sh (skipped unless RIVULET_APACHE_BROKERS is set).
// Topic and group names are unique per run because the Apache broker
// outlives the test.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// checkTimeout bounds each check: group joins against a real broker take a
// few seconds, anything beyond this is a failure.
const checkTimeout = 60 * time.Second

func checkProduceConsume(t *testing.T, brokers []string) {
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	topic := kafkatest.Unique("produce-consume")
	if err := stream.EnsureTopic(ctx, brokers, topic, 4); err != nil {
		t.Fatal(err)
	}
	want := []string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"}
	if err := stream.ProduceStrings(ctx, brokers, topic, want); err != nil {
		t.Fatal(err)
	}
	got, err := stream.ConsumeN(ctx, brokers, topic, len(want), 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for i, m := range got {
		seen[string(m.Value)]++
		if m.Topic != topic {
			t.Errorf("message %d: topic %q, want %q", i, m.Topic, topic)
		}
		if i > 0 && (m.Partition < got[i-1].Partition || m.Partition == got[i-1].Partition && m.Offset <= got[i-1].Offset) {
			t.Errorf("messages not ordered by partition, offset: %d/%d after %d/%d", m.Partition, m.Offset, got[i-1].Partition, got[i-1].Offset)
		}
	}
	for _, v := range want {
		if seen[v] != 1 {
			t.Errorf("value %q received %d times, want 1", v, seen[v])
		}
	}
	ends, err := stream.TopicEndOffsets(ctx, brokers, topic)
	if err != nil {
		t.Fatal(err)
	}
	if len(ends) != 4 {
		t.Errorf("TopicEndOffsets: %d partitions, want 4", len(ends))
	}
	var total int64
	for _, o := range ends {
		total += o
	}
	if total != int64(len(want)) {
		t.Errorf("end offsets add up to %d, want %d", total, len(want))
	}
}

// produceKeyed writes n records with keys "1".."n" (as the original
// producer did) and values "v1".."vn".
func produceKeyed(ctx context.Context, t *testing.T, brokers []string, topic string, n int) {
	t.Helper()
	w := stream.NewWriter(brokers, topic)
	msgs := make([]kafka.Message, n)
	for i := range msgs {
		msgs[i] = kafka.Message{Key: []byte(strconv.Itoa(i + 1)), Value: []byte("v" + strconv.Itoa(i+1))}
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func checkGroupCommit(t *testing.T, brokers []string) {
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	topic, group := kafkatest.Unique("group-commit"), kafkatest.Unique("learners")
	const n = 200
	if err := stream.EnsureTopic(ctx, brokers, topic, 4); err != nil {
		t.Fatal(err)
	}
	produceKeyed(ctx, t, brokers, topic, n)

	r := stream.NewReader(brokers, topic, stream.WithGroup(group))
	seen := map[string]bool{}
	for len(seen) < n {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			t.Fatalf("after %d messages: %v", len(seen), err)
		}
		if seen[string(m.Key)] {
			t.Fatalf("key %s delivered twice", m.Key)
		}
		seen[string(m.Key)] = true
		if err := r.CommitMessages(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	committed, err := stream.CommittedOffsets(ctx, brokers, group, topic)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, o := range committed {
		sum += o
	}
	if sum != n {
		t.Errorf("committed offsets add up to %d, want %d (%v)", sum, n, committed)
	}

	// A restarted member resumes after the commits: the only record it
	// gets is the one produced after the restart.
	r2 := stream.NewReader(brokers, topic, stream.WithGroup(group))
	defer r2.Close()
	w := stream.NewWriter(brokers, topic)
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte("after-restart"), Value: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	m, err := r2.ReadMessage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if string(m.Key) != "after-restart" {
		t.Errorf("restarted member got key %q, want only the record produced after the restart", m.Key)
	}
}

// waitForAssignment waits until group has want members and every member
// has partitions, so that records produced afterwards are split cleanly.
func waitForAssignment(ctx context.Context, t *testing.T, brokers []string, group string, want int) {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(brokers...)}
	var last string
	for {
		resp, err := c.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
		if err == nil && len(resp.Groups) == 1 && resp.Groups[0].Error == nil {
			g := resp.Groups[0]
			ready := g.GroupState == "Stable" && len(g.Members) == want
			for _, m := range g.Members {
				np := 0
				for _, tp := range m.MemberAssignments.Topics {
					np += len(tp.Partitions)
				}
				ready = ready && np > 0
			}
			if ready {
				return
			}
			last = fmt.Sprintf("state %s, %d members", g.GroupState, len(g.Members))
		} else if err != nil {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			t.Fatalf("group %s never had %d members with partitions (last: %s)", group, want, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func checkGroupSplit(t *testing.T, brokers []string) {
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	topic, group := kafkatest.Unique("group-split"), kafkatest.Unique("pair")
	const n, partitions = 400, 8
	if err := stream.EnsureTopic(ctx, brokers, topic, partitions); err != nil {
		t.Fatal(err)
	}
	readers := []*kafka.Reader{
		stream.NewReader(brokers, topic, stream.WithGroup(group)),
		stream.NewReader(brokers, topic, stream.WithGroup(group)),
	}
	type delivery struct {
		member int
		msg    kafka.Message
	}
	deliveries := make(chan delivery, n)
	rctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for i, r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer r.Close()
			for {
				m, err := r.ReadMessage(rctx)
				if err != nil {
					return
				}
				deliveries <- delivery{i, m}
			}
		}()
	}
	waitForAssignment(ctx, t, brokers, group, 2)
	produceKeyed(ctx, t, brokers, topic, n)

	byKey := map[string]int{}
	owner := map[int]int{} // partition -> member
	perMember := [2]int{}
	for len(byKey) < n {
		select {
		case d := <-deliveries:
			k := string(d.msg.Key)
			if _, dup := byKey[k]; dup {
				t.Fatalf("key %s delivered twice", k)
			}
			byKey[k] = d.member
			perMember[d.member]++
			if o, ok := owner[d.msg.Partition]; ok && o != d.member {
				t.Errorf("partition %d read by both members", d.msg.Partition)
			}
			owner[d.msg.Partition] = d.member
		case <-ctx.Done():
			t.Fatalf("got %d of %d messages", len(byKey), n)
		}
	}
	stop()
	wg.Wait()
	if perMember[0] == 0 || perMember[1] == 0 {
		t.Errorf("members got %v messages; want both to get some", perMember)
	}
	if len(owner) != partitions {
		t.Errorf("records came from %d partitions, want %d", len(owner), partitions)
	}
}

func checkHeadersAndTime(t *testing.T, brokers []string) {
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	topic := kafkatest.Unique("headers")
	at := time.Date(2023, 4, 3, 12, 30, 45, 123_000_000, time.UTC) // Kafka keeps milliseconds
	sent := kafka.Message{
		Key:   []byte("k"),
		Value: []byte("payload"),
		Time:  at,
		Headers: []kafka.Header{
			{Key: "content-type", Value: []byte("application/json")},
			{Key: "empty", Value: []byte{}},
			{Key: "binary", Value: []byte{0, 1, 2, 255}},
		},
	}
	w := stream.NewWriter(brokers, topic, stream.WithBatchSize(1))
	if err := w.WriteMessages(ctx, sent); err != nil {
		t.Fatal(err)
	}
	w.Close()
	got, err := stream.ConsumeN(ctx, brokers, topic, 1, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	m := got[0]
	if string(m.Key) != "k" || string(m.Value) != "payload" {
		t.Errorf("key/value %q/%q", m.Key, m.Value)
	}
	if !m.Time.Equal(at) {
		t.Errorf("time %v, want %v", m.Time, at)
	}
	if len(m.Headers) != len(sent.Headers) {
		t.Fatalf("headers %v, want %v", m.Headers, sent.Headers)
	}
	for i, h := range sent.Headers {
		if m.Headers[i].Key != h.Key || string(m.Headers[i].Value) != string(h.Value) {
			t.Errorf("header %d = %q:%q, want %q:%q", i, m.Headers[i].Key, m.Headers[i].Value, h.Key, h.Value)
		}
	}
}

// checkDeadLetters runs a consumer loop in which a record that fails to
// parse goes to the dead-letter topic and the loop carries on.
func checkDeadLetters(t *testing.T, brokers []string) {
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	topic, group := kafkatest.Unique("scores"), kafkatest.Unique("parser")
	if err := stream.EnsureTopic(ctx, brokers, topic, 1); err != nil {
		t.Fatal(err)
	}
	values := []string{"1", "2", "three", "4"}
	w := stream.NewWriter(brokers, topic)
	for i, v := range values {
		m := kafka.Message{Key: []byte(strconv.Itoa(i)), Value: []byte(v),
			Headers: []kafka.Header{{Key: "trace", Value: []byte("t" + strconv.Itoa(i))}}}
		if err := w.WriteMessages(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()

	dlq := stream.NewDeadLetterWriter(brokers, topic)
	r := stream.NewReader(brokers, topic, stream.WithGroup(group))
	sum := 0
	before := time.Now().UTC()
	for range values {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		v, err := strconv.Atoi(string(m.Value))
		if err != nil {
			if err := dlq.Send(ctx, m, stream.WrapMessage(m, err)); err != nil {
				t.Fatal(err)
			}
		} else {
			sum += v
		}
		if err := r.CommitMessages(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	r.Close()
	if err := dlq.Close(); err != nil {
		t.Fatal(err)
	}
	if sum != 7 {
		t.Errorf("sum of good records %d, want 7", sum)
	}
	if dlq.Sent() != 1 {
		t.Errorf("Sent() = %d, want 1", dlq.Sent())
	}
	if dlq.Topic() != topic+".dlq" {
		t.Errorf("Topic() = %q", dlq.Topic())
	}

	dead, err := stream.ConsumeN(ctx, brokers, topic+".dlq", 1, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	d := dead[0]
	if string(d.Key) != "2" || string(d.Value) != "three" {
		t.Errorf("dead letter key/value %q/%q, want 2/three", d.Key, d.Value)
	}
	wantHeaders := map[string]string{
		"trace":                    "t2",
		stream.HeaderError:         `strconv.Atoi: parsing "three": invalid syntax`,
		stream.HeaderSourceTopic:   topic,
		stream.HeaderSourceOffset:  "2",
		"rivulet-source-partition": "0",
	}
	for k, want := range wantHeaders {
		if got, ok := stream.Header(d, k); !ok || got != want {
			t.Errorf("header %s = %q (present %v), want %q", k, got, ok, want)
		}
	}
	failedAt, ok := stream.Header(d, "rivulet-failed-at")
	ts, err := time.Parse(time.RFC3339Nano, failedAt)
	if !ok || err != nil || ts.Before(before.Add(-time.Second)) || ts.After(time.Now().Add(time.Second)) {
		t.Errorf("rivulet-failed-at = %q (%v), want a time of this run", failedAt, err)
	}
	committed, err := stream.CommittedOffsets(ctx, brokers, group, topic)
	if err != nil {
		t.Fatal(err)
	}
	if committed[0] != int64(len(values)) {
		t.Errorf("committed offset %v, want %d: the stream must go on past the bad record", committed, len(values))
	}
}

func checkEnsureTopicIdempotent(t *testing.T, brokers []string) {
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	topic := kafkatest.Unique("ensure")
	for i, parts := range []int{3, 3, 5} {
		if err := stream.EnsureTopic(ctx, brokers, topic, parts); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	ends, err := stream.TopicEndOffsets(ctx, brokers, topic)
	if err != nil {
		t.Fatal(err)
	}
	if len(ends) != 3 {
		t.Errorf("%d partitions after EnsureTopic(3), (3), (5); want the first count, 3", len(ends))
	}
	_, err = stream.TopicEndOffsets(ctx, brokers, kafkatest.Unique("never-created"))
	if !errors.Is(err, kafka.UnknownTopicOrPartition) {
		t.Errorf("end offsets of a missing topic: %v, want UnknownTopicOrPartition", err)
	}
}

var checks = []struct {
	name string
	run  func(*testing.T, []string)
}{
	{"ProduceConsume", checkProduceConsume},
	{"GroupCommit", checkGroupCommit},
	{"GroupSplit", checkGroupSplit},
	{"HeadersAndTime", checkHeadersAndTime},
	{"DeadLetters", checkDeadLetters},
	{"EnsureTopicIdempotent", checkEnsureTopicIdempotent},
}

func TestEmbedded(t *testing.T) {
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t, []string{kafkatest.Embedded(t)})
		})
	}
}

func TestApache(t *testing.T) {
	brokers := stream.SplitBrokers(kafkatest.Apache(t))
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t, brokers)
		})
	}
}
