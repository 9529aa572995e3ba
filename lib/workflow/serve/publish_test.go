package serve

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// TestTooLargeIsRefusedNamingTheLimit needs no broker: limits are checked
// before anything is sent.
func TestTooLargeIsRefusedNamingTheLimit(t *testing.T) {
	m := trained(t, 1, 500)
	size := len(snap(t, m))
	cases := []struct {
		opts  []PublishOption
		limit int
		says  string
	}{
		{[]PublishOption{WithoutChunking(), WithMaxMessageBytes(20000)}, 20000 - recordOverhead, "one Kafka message (max message bytes 20000"},
		{[]PublishOption{WithMaxSnapshotBytes(1000)}, 1000, "the whole snapshot"},
	}
	for _, c := range cases {
		_, err := PublishSnapshot(context.Background(), snap(t, m), append(c.opts, WithBrokers("127.0.0.1:1"), WithVersion(3))...)
		var tl *TooLargeError
		if !errors.As(err, &tl) || tl.Limit != c.limit || tl.Bytes != size || tl.Version != 3 {
			t.Fatalf("err = %v; want a *TooLargeError for %d bytes over %d", err, size, c.limit)
		}
		msg := err.Error()
		for _, want := range []string{strconv.Itoa(size) + " bytes", strconv.Itoa(c.limit) + "-byte limit", c.says, "version 3"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%q does not say %q", msg, want)
			}
		}
	}
}

func TestPublishRefusesWhatIsNotASnapshot(t *testing.T) {
	_, err := PublishSnapshot(context.Background(), []byte("pickle"), WithBrokers("127.0.0.1:1"))
	if err == nil || !strings.Contains(err.Error(), "not a rivulet snapshot") {
		t.Fatalf("err = %v", err)
	}
}

// TestVersionsNumberThemselves publishes without versions (1, 2, 3), then
// an explicit one, and reads the records back: key, headers, chunks.
func TestVersionsNumberThemselves(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	tp := newTopics()
	ctx := context.Background()
	if v, err := LatestVersion(ctx, brokers, tp.models); err != nil || v != 0 {
		t.Fatalf("LatestVersion of a missing topic = %d, %v; want 0", v, err)
	}
	m := trained(t, 1, 500)
	for want := int64(1); want <= 3; want++ {
		res := tp.publish(t, brokers, m, WithMetrics(map[string]float64{"accuracy": 0.5}))
		if res.Version != want || res.Chunks != 1 {
			t.Fatalf("published version %d in %d records, want %d in 1", res.Version, res.Chunks, want)
		}
	}
	res := tp.publish(t, brokers, m, WithVersion(10), WithMaxMessageBytes(20000))
	if res.Chunks < 3 {
		t.Fatalf("%d bytes in %d chunks of at most %d", res.Bytes, res.Chunks, 20000-recordOverhead)
	}
	if v, err := LatestVersion(ctx, brokers, tp.models); err != nil || v != 10 {
		t.Fatalf("LatestVersion = %d, %v; want 10", v, err)
	}
	if res := tp.publish(t, brokers, m); res.Version != 11 {
		t.Fatalf("next automatic version %d, want 11", res.Version)
	}

	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(tp.models), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var recs []*kgo.Record
	for len(recs) < 4+res.Chunks {
		fs := cl.PollFetches(pctx)
		if err := fs.Err0(); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, fs.Records()...)
	}
	for _, r := range recs {
		meta, chunk, chunks, err := parseMeta(r)
		if err != nil {
			t.Fatalf("offset %d: %v", r.Offset, err)
		}
		if string(r.Key) != strconv.FormatInt(meta.Version, 10) || meta.Name != "gaussian-nb" || meta.Kind != "naivebayes.gaussian" ||
			meta.Schema != SchemaMaliciousURL || meta.CreatedAt.IsZero() || meta.Bytes != res.Bytes || meta.Checksum != res.Checksum {
			t.Errorf("offset %d: key %s, meta %+v", r.Offset, r.Key, meta)
		}
		if meta.Version <= 3 && (meta.Metrics["accuracy"] != 0.5 || chunks != 1) {
			t.Errorf("offset %d: metrics %v, chunks %d", r.Offset, meta.Metrics, chunks)
		}
		if meta.Version == 10 && (chunks != res.Chunks || chunk != int(r.Offset-2)) {
			t.Errorf("offset %d: chunk %d/%d, want %d/%d", r.Offset, chunk, chunks, r.Offset-2, res.Chunks)
		}
	}
}

func TestPublishWithoutBrokerFailsInBoundedTime(t *testing.T) {
	m := trained(t, 1, 100)
	start := time.Now()
	_, err := PublishSnapshot(context.Background(), snap(t, m), WithBrokers("127.0.0.1:1"), WithBrokerWait(500*time.Millisecond))
	var bu *stream.BrokerUnreachableError
	if !errors.As(err, &bu) {
		t.Fatalf("err = %v, want *stream.BrokerUnreachableError", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
}
