package serve

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/models"
	_ "github.com/rivulet-ml/rivulet/lib/naivebayes" // registers gaussian-nb
	"github.com/rivulet-ml/rivulet/lib/snapshot"
	"github.com/rivulet-ml/rivulet/lib/stream"
	_ "github.com/rivulet-ml/rivulet/lib/tree" // registers ht and hat
	"github.com/rivulet-ml/rivulet/lib/workflow/urls"
)

// synthRecords is a deterministic sparse stream shaped like MaliciousURL:
// 30 of 1000 feature indices present per record, the label decided by
// which half of the index range carries more weight.
type synthRecords struct {
	rng  *rand.Rand
	left int
	x    feature.Vector
	y    bool
}

func newSynth(seed uint64, n int) *synthRecords {
	return &synthRecords{rng: rand.New(rand.NewPCG(seed, 7)), left: n}
}

func (s *synthRecords) Next() bool {
	if s.left == 0 {
		return false
	}
	s.left--
	idx := map[int32]bool{}
	for len(idx) < 30 {
		idx[int32(s.rng.IntN(1000))] = true
	}
	s.x = feature.Vector{}
	for i := range idx {
		s.x.Idx = append(s.x.Idx, i)
	}
	slices.Sort(s.x.Idx)
	low := 0.0
	for _, i := range s.x.Idx {
		v := s.rng.Float64()
		s.x.Val = append(s.x.Val, v)
		if i < 500 {
			low += v
		} else {
			low -= v
		}
	}
	s.y = low > 0
	return true
}
func (s *synthRecords) X() feature.Vector { return s.x }
func (s *synthRecords) Y() bool           { return s.y }
func (s *synthRecords) Err() error        { return nil }

// trained returns a Gaussian naive Bayes (deterministic; its snapshot of
// about 50 KB exercises chunking) that learned n synthetic records.
func trained(t testing.TB, seed uint64, n int) base.Classifier {
	t.Helper()
	m, err := models.NewClassifier("gaussian-nb", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	src := newSynth(seed, n)
	for src.Next() {
		y := 0
		if src.Y() {
			y = 1
		}
		m.LearnOne(src.X(), y)
	}
	return m
}

func snap(t testing.TB, m base.Classifier) []byte {
	t.Helper()
	return snapshot.Marshal(m.(snapshot.Model))
}

type topics struct{ features, predictions, models, group string }

func newTopics() topics {
	return topics{kafkatest.Unique("features"), kafkatest.Unique("predictions"), kafkatest.Unique("model_updates"), kafkatest.Unique("serve")}
}

func (tp topics) serveOpts(brokers []string, extra ...ServeOption) []ServeOption {
	return append([]ServeOption{WithBrokers(brokers...), WithFeaturesTopic(tp.features), WithPredictionsTopic(tp.predictions),
		WithModelTopic(tp.models), WithGroup(tp.group), WithBrokerWait(10 * time.Second)}, extra...)
}

func (tp topics) publish(t testing.TB, brokers []string, m base.Classifier, opts ...PublishOption) PublishResult {
	t.Helper()
	opts = append([]PublishOption{WithBrokers(brokers...), WithModelTopic(tp.models), WithModelName("gaussian-nb")}, opts...)
	res, err := PublishSnapshot(context.Background(), snap(t, m), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (tp topics) produce(t testing.TB, brokers []string, seed uint64, n int) {
	t.Helper()
	_, err := urls.Produce(context.Background(), newSynth(seed, n), urls.WithBrokers(brokers...), urls.WithTopic(tp.features),
		urls.WithTopicPartitions(4), urls.WithMaxSize(n), urls.WithThrottle(n, 0))
	if err != nil {
		t.Fatal(err)
	}
}

func start(t testing.TB, opts ...ServeOption) *Service {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := Start(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	return s
}

func waitPredictions(t testing.TB, brokers []string, topic string, n int) []Prediction {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := stream.WaitForMessages(ctx, brokers, topic, int64(n)); err != nil {
		t.Fatal(err)
	}
	preds, err := ReadPredictions(ctx, brokers, topic, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	return preds
}

// TestSwapDropsNothingScoresNothingTwice scores a stream while versions
// are published: every record is scored exactly once, by the version that
// was served when it arrived, and the offsets committed at shutdown cover
// exactly the records whose predictions are in the topic.
func TestSwapDropsNothingScoresNothingTwice(t *testing.T) {
	checkSwap(t, []string{kafkatest.Embedded(t)})
}

func TestApacheSwapDropsNothingScoresNothingTwice(t *testing.T) {
	checkSwap(t, stream.SplitBrokers(kafkatest.Apache(t)))
}

func checkSwap(t *testing.T, brokers []string) {
	tp := newTopics()
	m1, m2 := trained(t, 1, 300), trained(t, 2, 3000)
	if v := tp.publish(t, brokers, m1).Version; v != 1 {
		t.Fatalf("first version published as %d, want 1", v)
	}
	var swaps []Swap
	svc := start(t, tp.serveOpts(brokers, WithOnSwap(func(s Swap) { swaps = append(swaps, s) }))...)
	if svc.Version() != 1 {
		t.Fatalf("serving version %d, want 1", svc.Version())
	}
	tp.produce(t, brokers, 10, 200)
	waitPredictions(t, brokers, tp.predictions, 200)

	res := tp.publish(t, brokers, m2, WithMaxMessageBytes(24<<10)) // chunked
	if res.Version != 2 || res.Chunks < 2 {
		t.Fatalf("second publication: version %d in %d chunks; want version 2 in several", res.Version, res.Chunks)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := svc.WaitVersion(ctx, 2); err != nil {
		t.Fatal(err)
	}
	tp.produce(t, brokers, 11, 200)
	preds := waitPredictions(t, brokers, tp.predictions, 400)
	sum, err := svc.Stop()
	if err != nil {
		t.Fatal(err)
	}

	if len(preds) != 400 {
		t.Fatalf("%d predictions, want 400", len(preds))
	}
	ids := map[uuid.UUID]bool{}
	for _, p := range preds {
		if ids[p.ID] {
			t.Errorf("record %s scored twice", p.ID)
		}
		ids[p.ID] = true
	}
	// The first 200 were all scored before version 2 existed; the rest
	// were produced after it was served.
	counts := map[int64]int{}
	for _, p := range preds {
		counts[p.Version]++
	}
	if counts[1] != 200 || counts[2] != 200 {
		t.Errorf("predictions by version %v, want 200 by version 1 and 200 by version 2", counts)
	}
	if sum.Records != 400 || sum.ByVersion[1] != 200 || sum.ByVersion[2] != 200 || sum.DeadLettered != 0 {
		t.Errorf("summary %+v", sum)
	}
	if len(swaps) != 2 || swaps[0].Live || !swaps[1].Live || swaps[1].Version != 2 || swaps[1].Previous != 1 {
		t.Errorf("swaps %+v: want version 1 loaded at start, then a live swap to 2", swaps)
	}
	t.Logf("version 2 (%d bytes in %d chunks) served %.1f ms after publishing", res.Bytes, res.Chunks, swaps[len(swaps)-1].LatencyMs)

	// Scores are the models' own: recompute them from the records.
	byVersion := map[int64]base.Classifier{1: m1, 2: m2}
	features := readFeatures(t, brokers, tp.features)
	for _, p := range preds {
		x, ok := features[p.ID]
		if !ok {
			t.Fatalf("prediction for %s, a record not in %s", p.ID, tp.features)
		}
		if want := Score(byVersion[p.Version].PredictProbaOne(x.X, nil)); p.Score != want || p.Y != x.Y {
			t.Fatalf("record %s: score %v y %v by version %d; the model gives %v, the record says %v", p.ID, p.Score, p.Y, p.Version, want, x.Y)
		}
		if p.Replica == "" || p.MessagingMs <= 0 || p.ProcessingMs <= 0 || p.EndToEndMs < p.MessagingMs {
			t.Fatalf("prediction %+v: replica and latencies missing or inconsistent", p)
		}
	}
	committed, err := stream.CommittedOffsets(ctx, brokers, tp.group, tp.features)
	if err != nil {
		t.Fatal(err)
	}
	ends, err := stream.TopicEndOffsets(ctx, brokers, tp.features)
	if err != nil {
		t.Fatal(err)
	}
	for p, end := range ends {
		if committed[p] != end {
			t.Errorf("partition %d: committed %d, end %d: a graceful stop commits every scored record", p, committed[p], end)
		}
	}
}

// readFeatures reads a features topic whole, by record id.
func readFeatures(t testing.TB, brokers []string, topic string) map[uuid.UUID]stream.URLRecord {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ends, err := stream.TopicEndOffsets(ctx, brokers, topic)
	if err != nil {
		t.Fatal(err)
	}
	total := int64(0)
	for _, e := range ends {
		total += e
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	out := map[uuid.UUID]stream.URLRecord{}
	for read := int64(0); read < total; {
		fs := cl.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			t.Fatal(err)
		}
		fs.EachRecord(func(r *kgo.Record) {
			read++
			var rec stream.URLRecord
			if err := stream.DecodeURLRecord(r.Value, encodingOf(r), &rec); err == nil {
				rec.X = rec.X.Clone()
				out[rec.ID] = rec
			}
		})
	}
	return out
}
