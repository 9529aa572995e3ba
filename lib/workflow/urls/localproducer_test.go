package urls

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/datasets"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// synthRecords is a deterministic sparse stream: 20 of 500 features per
// record, the label decided by the first feature's value. left < 0 never
// ends.
type synthRecords struct {
	rng  *rand.Rand
	left int
	x    feature.Vector
	y    bool
}

func newSynthRecords(seed uint64, n int) *synthRecords {
	return &synthRecords{rng: rand.New(rand.NewPCG(seed, 3)), left: n}
}

func (s *synthRecords) Next() bool {
	if s.left == 0 {
		return false
	}
	s.left--
	s.x = feature.Vector{Idx: s.x.Idx[:0], Val: s.x.Val[:0]}
	for i := int32(0); i < 500; i += int32(1 + s.rng.IntN(48)) {
		s.x.Idx = append(s.x.Idx, i)
		s.x.Val = append(s.x.Val, s.rng.Float64())
	}
	s.y = s.x.Val[0] > 0.5
	return true
}
func (s *synthRecords) X() feature.Vector { return s.x }
func (s *synthRecords) Y() bool           { return s.y }
func (s *synthRecords) Err() error        { return nil }

// TestLocalProducerFeedsALiveConsumer: the producer starts only once the
// consumer is positioned at the latest offsets (otherwise records would be
// missed), every record it sends is read, and it has ended when Consume
// returns.
func TestLocalProducerFeedsALiveConsumer(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	topic := kafkatest.Unique("features")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := stream.EnsureTopic(ctx, brokers, topic, 4); err != nil {
		t.Fatal(err)
	}
	var log, plog bytes.Buffer
	readyAt := -1
	sum, err := Consume(ctx, WithBrokers(brokers...), WithTopic(topic), WithGroup(kafkatest.Unique("g")), WithPartitions(-1),
		testModel, WithMaxMessages(200), WithStartOffset(Latest), WithConsumeLog(&log),
		WithReady(func([]int) { readyAt = log.Len() }),
		WithLocalProducer(newSynthRecords(1, -1), WithThrottle(50, 10*time.Millisecond), WithMaxSize(200), WithProduceLog(&plog)))
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if sum.Processed != 200 || sum.Produced == nil || sum.Produced.Records != 200 || sum.Produced.Bursts != 4 || sum.Produced.Topic != topic {
		t.Fatalf("processed %d, produced %+v; want 200 and 200 in 4 bursts to %s", sum.Processed, sum.Produced, topic)
	}
	if i := strings.Index(log.String(), "Starting the producer of "+topic); readyAt < 0 || i < readyAt {
		t.Errorf("the producer did not start after the consumer was ready (ready at byte %d, start at %d):\n%s", readyAt, i, log.String())
	}
	if !strings.Contains(plog.String(), "final flushing count - 200") {
		t.Errorf("producer log:\n%s", plog.String())
	}
	// Exactly the 200 records are in the topic: the producer ran once.
	ends, err := stream.TopicEndOffsets(ctx, brokers, topic)
	if err != nil {
		t.Fatal(err)
	}
	total := int64(0)
	for _, e := range ends {
		total += e
	}
	if total != 200 {
		t.Errorf("%d records in %s, want 200", total, topic)
	}
}

// TestLocalProducerIsStopped: a producer with more to send than the
// consumer reads is stopped after its grace period, without an error; one
// whose consumer is cancelled is stopped at once.
func TestLocalProducerIsStopped(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	begin := time.Now()
	sum, err := Consume(ctx, WithBrokers(brokers...), WithTopic(kafkatest.Unique("features")), WithGroup(kafkatest.Unique("g")),
		WithPartitions(-1), testModel, WithMaxMessages(100),
		WithLocalProducer(newSynthRecords(2, -1), WithThrottle(50, 20*time.Millisecond), WithMaxSize(-1), WithBrokerWait(time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Processed != 100 || sum.Produced == nil || sum.Produced.Records < 100 {
		t.Fatalf("processed %d, produced %+v", sum.Processed, sum.Produced)
	}
	if d := time.Since(begin); d > 30*time.Second {
		t.Errorf("Consume returned after %v: the endless producer was not stopped", d)
	}

	cctx, stop := context.WithCancel(ctx)
	defer stop()
	seen := 0
	sum, err = Consume(cctx, WithBrokers(brokers...), WithTopic(kafkatest.Unique("features")), WithGroup(kafkatest.Unique("g")),
		WithPartitions(-1), testModel, WithMaxMessages(0), WithOnSample(func(Sample) {
			if seen++; seen == 30 {
				stop()
			}
		}),
		WithLocalProducer(newSynthRecords(3, -1), WithThrottle(10, 5*time.Millisecond), WithMaxSize(-1)))
	if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "local producer") {
		t.Errorf("cancelled consumer: err %v; want the consumer's context.Canceled only", err)
	}
	if sum == nil || sum.Processed < 30 || sum.Produced == nil || sum.Produced.Records < 30 {
		t.Errorf("cancelled consumer: %+v", sum)
	}
}

func TestLocalProducerErrorIsConsumeError(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := Consume(ctx, WithBrokers(brokers...), WithTopic(kafkatest.Unique("features")), WithGroup(kafkatest.Unique("g")),
		WithPartitions(-1), testModel, WithMaxMessages(10), WithIdleTimeout(2*time.Second),
		WithLocalProducer(newSynthRecords(4, -1), WithEncoding("xml")))
	if err == nil || !strings.Contains(err.Error(), `urls: the local producer: urls: unknown encoding "xml"`) {
		t.Errorf("err = %v", err)
	}
}

func TestResolveDataAndRecord(t *testing.T) {
	spec, size, note, err := ResolveData("/nowhere", "/some/file.svm", 0)
	if err != nil || spec != "/some/file.svm" || size != DefaultMaxSize || note != "Streaming /some/file.svm, as asked with --data." {
		t.Errorf("given --data: %q %d %q %v", spec, size, note, err)
	}
	if _, size, _, _ = ResolveData("/nowhere", "/some/file.svm", 123); size != 123 {
		t.Errorf("--max-size 123: %d", size)
	}
	t.Setenv(datasets.DataEnv, t.TempDir()) // no full data set there
	if _, _, _, err := ResolveData(t.TempDir(), "", 0); err == nil || !strings.Contains(err.Error(), "no MaliciousURL data") {
		t.Errorf("no data: %v", err)
	}

	files := sampleFiles(t)
	spec, size, _, err = ResolveData(filepath.Join("..", "..", ".."), "", 0)
	if err != nil || spec != sample || size != 2000 {
		t.Errorf("excerpt: %q %d %v", spec, size, err)
	}
	x, y, err := Record(files, 5)
	it := files.Take(5)
	for it.Next() {
	}
	it.Close()
	if err != nil || y != it.Y() || x.Len() != it.X().Len() || x.Idx[3] != it.X().Idx[3] {
		t.Errorf("record 5: %v %v %v", x.Len(), y, err)
	}
	if _, _, err := Record(files, 2001); err == nil || !strings.Contains(err.Error(), "record 2001: the data holds only 2000 records") {
		t.Errorf("record 2001: %v", err)
	}
	if _, _, err := Record(files, 0); err == nil {
		t.Error("record 0 accepted")
	}
}
