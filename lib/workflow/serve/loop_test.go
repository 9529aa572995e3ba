package serve

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// TestMalformedRecordsAreDeadLettered mixes broken records into the stream:
// each goes to features.dlq naming its origin and error; the rest are
// scored.
func TestMalformedRecordsAreDeadLettered(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	tp := newTopics()
	tp.publish(t, brokers, trained(t, 1, 300))
	svc := start(t, tp.serveOpts(brokers)...)
	tp.produce(t, brokers, 3, 50)
	produceRaw(t, brokers, tp.features,
		&kgo.Record{Key: []byte("x1"), Value: []byte(`{"f": {"1": 1.0}, "y": "true"}`)},
		&kgo.Record{Key: []byte("x2"), Value: []byte(`not json`)},
		&kgo.Record{Key: []byte("x3"), Value: []byte{1, 2, 3}, Headers: []kgo.RecordHeader{{Key: stream.EncodingHeader, Value: []byte("avro")}}})
	tp.produce(t, brokers, 4, 50)
	preds := waitPredictions(t, brokers, tp.predictions, 100)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := stream.WaitForMessages(ctx, brokers, stream.DeadLetterTopic(tp.features), 3); err != nil {
		t.Fatal(err)
	}
	sum, err := svc.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if len(preds) != 100 || sum.Records != 100 || sum.DeadLettered != 3 {
		t.Fatalf("%d predictions, summary %+v; want 100 scored, 3 dead-lettered", len(preds), sum)
	}
	dead, err := stream.ConsumeN(ctx, brokers, stream.DeadLetterTopic(tp.features), 3, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	says := map[string]string{"x1": `missing member "st"`, "x2": "byte 0", "x3": `unknown encoding "avro"`}
	for _, m := range dead {
		cause, _ := stream.Header(m, stream.HeaderError)
		src, _ := stream.Header(m, stream.HeaderSourceTopic)
		if !strings.Contains(cause, says[string(m.Key)]) || src != tp.features {
			t.Errorf("dead letter %s: error %q from %q; want %q from %s", m.Key, cause, src, says[string(m.Key)], tp.features)
		}
	}
}

// TestInitialModelOrWait covers the two starts without a published model:
// an untrained version 0 (the original's behaviour: scores of -1 until it
// has seen a class), or waiting for the first version.
func TestInitialModelOrWait(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	t.Run("version 0", func(t *testing.T) {
		tp := newTopics()
		svc := start(t, tp.serveOpts(brokers, WithInitialModel("hat", "leaf_prediction=mc"))...)
		if svc.Version() != 0 {
			t.Fatalf("version %d, want 0", svc.Version())
		}
		tp.produce(t, brokers, 5, 20)
		for _, p := range waitPredictions(t, brokers, tp.predictions, 20) {
			if p.Version != 0 || p.Score != -1 {
				t.Fatalf("prediction %+v: an untrained model scores -1 with version 0", p)
			}
		}
		// The first published version replaces it.
		tp.publish(t, brokers, trained(t, 1, 100))
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := svc.WaitVersion(ctx, 1); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("wait", func(t *testing.T) {
		tp := newTopics()
		var started time.Time
		go func() {
			time.Sleep(300 * time.Millisecond)
			started = time.Now()
			tp.publish(t, brokers, trained(t, 1, 100))
		}()
		svc := start(t, tp.serveOpts(brokers)...)
		if svc.Version() != 1 || started.IsZero() {
			t.Fatalf("Start returned serving version %d before the first publication", svc.Version())
		}
	})
	t.Run("unknown model", func(t *testing.T) {
		tp := newTopics()
		_, err := Start(context.Background(), tp.serveOpts(brokers, WithInitialModel("no-such-model"))...)
		if err == nil || !strings.Contains(err.Error(), `unknown model "no-such-model"`) {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestLearnKeepsLearning scores with --learn: the served model learns every
// record after scoring it, so the same record scores differently later.
func TestLearnKeepsLearning(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	tp := newTopics()
	tp.publish(t, brokers, trained(t, 1, 50))
	svc := start(t, tp.serveOpts(brokers, WithLearn(true))...)
	before := svc.store.current().PredictProba(newSynthRecord(t, 99), nil)
	tp.produce(t, brokers, 6, 500)
	waitPredictions(t, brokers, tp.predictions, 500)
	svc.Stop()
	after := svc.store.current().PredictProba(newSynthRecord(t, 99), nil)
	if before[1] == after[1] {
		t.Errorf("P(1) stayed %v after learning 500 records", before[1])
	}
}

func newSynthRecord(t testing.TB, seed uint64) feature.Vector {
	t.Helper()
	s := newSynth(seed, 1)
	s.Next()
	return s.X()
}

// TestGracefulStopCommitsWhatWasScored stops a service in the middle of a
// backlog: the committed offsets add up to the records scored, and the
// predictions topic holds exactly those records; a second service in the
// same group scores the rest, nothing twice.
func TestGracefulStopCommitsWhatWasScored(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	tp := newTopics()
	tp.publish(t, brokers, trained(t, 1, 300))
	tp.produce(t, brokers, 7, 3000)
	rep := &countingReporter{at: 500, hit: make(chan struct{})}
	wctx, wcancel := context.WithTimeout(context.Background(), time.Second)
	defer wcancel()
	svc := start(t, tp.serveOpts(brokers, WithStartOffset(Earliest), WithPollRecords(100), WithProgress(rep))...)
	<-rep.hit
	if err := svc.WaitRecords(wctx, 500); err != nil {
		t.Fatal(err)
	}
	short, scancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer scancel()
	if err := svc.WaitRecords(short, 1e9); err == nil || !strings.Contains(err.Error(), "of 1000000000 records scored") {
		t.Errorf("WaitRecords past the backlog: %v", err)
	}
	sum, err := svc.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if sum.Records >= 3000 {
		t.Skipf("the service scored the whole backlog (%d) before it was stopped; nothing to check", sum.Records)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	committed, err := stream.CommittedOffsets(ctx, brokers, tp.group, tp.features)
	if err != nil {
		t.Fatal(err)
	}
	total := int64(0)
	for _, off := range committed {
		total += off
	}
	preds, err := ReadPredictions(ctx, brokers, tp.predictions, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if total != sum.Records || int64(len(preds)) != sum.Records {
		t.Fatalf("scored %d, committed %d, predictions %d: all three must agree after a graceful stop", sum.Records, total, len(preds))
	}
	svc2 := start(t, tp.serveOpts(brokers, WithStartOffset(Earliest))...)
	preds = waitPredictions(t, brokers, tp.predictions, 3000)
	svc2.Stop()
	seen := map[uuid.UUID]bool{}
	for _, p := range preds {
		if seen[p.ID] {
			t.Fatalf("record %s scored twice across a graceful handover", p.ID)
		}
		seen[p.ID] = true
	}
	if len(seen) != 3000 {
		t.Fatalf("%d records scored, want 3000", len(seen))
	}
	t.Logf("stopped after %d of 3000 records; the second service scored the other %d", sum.Records, 3000-sum.Records)
}

// countingReporter is a progress.Reporter that closes hit once at records
// were reported.
type countingReporter struct {
	n    atomic.Int64
	at   int64
	hit  chan struct{}
	once sync.Once
}

func (r *countingReporter) Start(string, int64) {}
func (r *countingReporter) Describe(string)     {}
func (r *countingReporter) Done()               {}
func (r *countingReporter) Add(n int64) {
	if r.n.Add(n) >= r.at {
		r.once.Do(func() { close(r.hit) })
	}
}

// TestTwoReplicasShareAndHandOver runs two services in one group: both get
// partitions, and when one stops the other takes its partitions over from
// its last commit. Every record is scored exactly once (a graceful leave
// commits first); the crash case, with its window of duplicates, is
// cmd/rivulet's TestServeFailover.
func TestTwoReplicasShareAndHandOver(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	tp := newTopics()
	tp.publish(t, brokers, trained(t, 1, 300))
	tp.produce(t, brokers, 8, 10) // creates the topic with 4 partitions
	a := start(t, tp.serveOpts(brokers, WithReplicaID("a"), WithStartOffset(Earliest))...)
	b := start(t, tp.serveOpts(brokers, WithReplicaID("b"), WithStartOffset(Earliest))...)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for a.m.partitions.Load()+b.m.partitions.Load() != 4 || a.m.partitions.Load() == 0 || b.m.partitions.Load() == 0 {
		if ctx.Err() != nil {
			t.Fatalf("partitions a=%d b=%d after 30 s; want both serving, 4 in all", a.m.partitions.Load(), b.m.partitions.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
	tp.produce(t, brokers, 9, 1000)
	waitPredictions(t, brokers, tp.predictions, 1010)
	if _, err := a.Stop(); err != nil {
		t.Fatal(err)
	}
	for b.m.partitions.Load() != 4 {
		if ctx.Err() != nil {
			t.Fatalf("b holds %d partitions after a left", b.m.partitions.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
	tp.produce(t, brokers, 10, 1000)
	preds := waitPredictions(t, brokers, tp.predictions, 2010)
	b.Stop()
	by := map[string]int{}
	seen := map[uuid.UUID]bool{}
	if n := len(OfReplica(preds, "a")) + len(OfReplica(preds, "b")); n != len(preds) {
		t.Errorf("OfReplica: %d of %d predictions", n, len(preds))
	}
	for _, p := range preds {
		by[p.Replica]++
		if seen[p.ID] {
			t.Errorf("record %s scored twice", p.ID)
		}
		seen[p.ID] = true
	}
	if len(preds) != 2010 || by["a"] == 0 || by["b"] <= 1000 {
		t.Errorf("%d predictions, by replica %v", len(preds), by)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []struct {
		opts []ServeOption
		says string
	}{
		{[]ServeOption{WithGroup("")}, "a consumer group is needed"},
		{[]ServeOption{WithFeaturesTopic("t"), WithPredictionsTopic("t")}, "three different topics"},
		{[]ServeOption{WithBrokers("127.0.0.1:1"), WithBrokerWait(200 * time.Millisecond)}, "no Kafka broker reachable at 127.0.0.1:1"},
		{[]ServeOption{WithHTTP("127.0.0.1:-5")}, "serve: HTTP"},
	} {
		_, err := Serve(context.Background(), c.opts...)
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("err = %v; want it to say %q", err, c.says)
		}
	}
	var bu *stream.BrokerUnreachableError
	_, err := Serve(context.Background(), WithBrokers("127.0.0.1:1"), WithBrokerWait(100*time.Millisecond))
	if !errors.As(err, &bu) {
		t.Errorf("err = %v, want a *stream.BrokerUnreachableError", err)
	}
}
