package serve

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

func produceRaw(t testing.TB, brokers []string, topic string, recs ...*kgo.Record) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.DefaultProduceTopic(topic), kgo.AllowAutoTopicCreation())
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// TestBadModelUpdatesAreRejectedAndServingGoesOn sends every kind of broken
// update to a running service: each is refused with its reason, copied to
// the dead-letter topic, and the service keeps its model until a valid
// version arrives.
func TestBadModelUpdatesAreRejectedAndServingGoesOn(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	tp := newTopics()
	m := trained(t, 1, 300)
	tp.publish(t, brokers, m)
	svc := start(t, tp.serveOpts(brokers, WithHTTP("127.0.0.1:0"))...)

	good := snap(t, m)
	meta := func(v int64, schema string, crc uint32, size int) Meta {
		return Meta{Version: v, Name: "gaussian-nb", Kind: "naivebayes.gaussian", Schema: schema, CreatedAt: time.Now(), Checksum: crc, Bytes: size}
	}
	goodMeta := func(v int64) Meta { return meta(v, SchemaMaliciousURL, svc.store.current().Checksum, len(good)) }
	bad := []struct {
		rec    *kgo.Record
		reason string
	}{
		{&kgo.Record{Key: []byte("latest"), Value: good}, `key "latest" is not a model version`},
		{&kgo.Record{Key: []byte("5"), Value: good, Headers: meta(5, SchemaMaliciousURL, 1234, len(good)).headers(1, 1)}, "differs from header rivulet-checksum=crc32:000004d2"},
		{&kgo.Record{Key: []byte("6"), Value: good, Headers: meta(6, "iris/dense", goodMeta(6).Checksum, len(good)).headers(1, 1)}, `feature schema "iris/dense"; this service scores "malicious-url/svmlight-index"`},
		{&kgo.Record{Key: []byte("7"), Value: good[:100], Headers: goodMeta(7).headers(2, 2)}, "chunk 2/2 without the chunks before it"},
		{&kgo.Record{Key: []byte("8"), Value: []byte("a pickle"), Headers: meta(8, SchemaMaliciousURL, 1, 8).headers(1, 1)}, "not a rivulet snapshot"},
		{&kgo.Record{Key: []byte("9"), Value: good, Headers: goodMeta(8).headers(1, 1)}, `header rivulet-model-version="8" disagrees with the key "9"`},
	}
	for _, b := range bad {
		produceRaw(t, brokers, tp.models, b.rec)
	}
	m2 := trained(t, 2, 2000)
	tp.publish(t, brokers, m2, WithVersion(2))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := svc.WaitVersion(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if err := stream.WaitForMessages(ctx, brokers, stream.DeadLetterTopic(tp.models), int64(len(bad))); err != nil {
		t.Fatal(err)
	}
	metricsText := get(t, "http://"+svc.HTTPAddr()+"/metrics", 200)
	sum, err := svc.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Rejected) != len(bad) {
		t.Fatalf("%d rejections, want %d: %+v", len(sum.Rejected), len(bad), sum.Rejected)
	}
	for i, b := range bad {
		if !strings.Contains(sum.Rejected[i].Error, b.reason) {
			t.Errorf("rejection %d: %q does not say %q", i, sum.Rejected[i].Error, b.reason)
		}
	}
	if !strings.Contains(metricsText, "\nrivulet_serve_model_updates_rejected_total 6\n") ||
		!strings.Contains(metricsText, "\nrivulet_serve_dead_letters_total 6\n") ||
		!strings.Contains(metricsText, "\nrivulet_serve_model_version 2\n") {
		t.Errorf("metrics do not count the rejections:\n%s", metricsText)
	}
	if len(sum.Swaps) != 2 || sum.Swaps[1].Version != 2 {
		t.Errorf("swaps %+v", sum.Swaps)
	}
}

// TestHistoryIsReadNotDeadLetteredAgain starts a service on a topic whose
// history holds a broken update after the newest good one: it serves the
// good one and leaves the broken one where it is.
func TestHistoryIsReadNotDeadLetteredAgain(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	tp := newTopics()
	m := trained(t, 1, 300)
	tp.publish(t, brokers, m)
	tp.publish(t, brokers, m, WithMaxMessageBytes(20000))
	produceRaw(t, brokers, tp.models, &kgo.Record{Key: []byte("3"), Value: []byte("garbage")})
	svc := start(t, tp.serveOpts(brokers, WithKeepVersions(1))...)
	if svc.Version() != 2 {
		t.Fatalf("serving version %d, want 2 (the newest valid)", svc.Version())
	}
	sum, err := svc.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Rejected) != 1 || len(sum.Swaps) != 1 || sum.Swaps[0].Live {
		t.Errorf("rejected %+v, swaps %+v", sum.Rejected, sum.Swaps)
	}
	ends, err := stream.TopicEndOffsets(context.Background(), brokers, stream.DeadLetterTopic(tp.models))
	if err == nil && ends[0] != 0 {
		t.Errorf("history was dead-lettered again: %v", ends)
	}
}

func TestVersionsOnlyMoveForward(t *testing.T) {
	s := newVersions(2)
	add := func(v int64) bool {
		ok, _ := s.add(&Model{Meta: Meta{Version: v}})
		return ok
	}
	if !add(3) || add(1) || !add(5) || add(4) || add(5) {
		t.Fatal("a version was served out of order")
	}
	if got := s.current().Version; got != 5 {
		t.Fatalf("serving %d", got)
	}
	if got := s.loaded(); len(got) != 2 || got[0] != 4 || got[1] != 5 {
		t.Fatalf("loaded %v, want the newest two [4 5]", got)
	}
}
