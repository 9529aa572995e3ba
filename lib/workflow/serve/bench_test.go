package serve

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/datasets"
	_ "github.com/rivulet-ml/rivulet/lib/forest" // registers arf
	"github.com/rivulet-ml/rivulet/lib/models"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// benchARF is the original's model, ARF(leaf_prediction="mc"), trained on
// the whole MaliciousURL excerpt, and the excerpt's records.
func benchARF(b *testing.B) (base.Classifier, []stream.URLRecord) {
	b.Helper()
	if _, err := os.Stat(samplePath); err != nil {
		b.Skipf("MaliciousURL excerpt not found at %s: %v", samplePath, err)
	}
	m, err := models.NewClassifier("arf", []string{"leaf_prediction=mc", "seed=42"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	it := datasets.FromFiles(samplePath).Iter()
	defer it.Close()
	var recs []stream.URLRecord
	for it.Next() {
		y := 0
		if it.Y() {
			y = 1
		}
		m.LearnOne(it.X(), y)
		recs = append(recs, stream.URLRecord{ID: uuid.New(), X: it.X().Clone(), Y: it.Y(), Sent: time.Now()})
	}
	return m, recs
}

// benchService is a Service serving m, without Kafka.
func benchService(b *testing.B, m base.Classifier) *Service {
	s, err := newService(nil)
	if err != nil {
		b.Fatal(err)
	}
	s.store.add(&Model{Meta: Meta{Version: 1, Name: "arf"}, clf: m})
	s.state.Store("ok")
	return s
}

// BenchmarkScoreRecord is the scoring loop's work per record without
// Kafka: decode the feature record (the original's JSON, or binary/v1),
// predict with ARF(mc), encode the prediction record.
func BenchmarkScoreRecord(b *testing.B) {
	m, recs := benchARF(b)
	for _, enc := range []string{stream.EncodingJSON, stream.EncodingBinaryV1} {
		values := make([][]byte, len(recs))
		for i := range recs {
			var err error
			if enc == stream.EncodingJSON {
				values[i], err = stream.AppendURLRecordJSON(nil, &recs[i])
			} else {
				values[i], err = stream.AppendURLRecordBinary(nil, &recs[i])
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		b.Run(strings.ReplaceAll(enc, "/", "-"), func(b *testing.B) {
			l := newLoop(benchService(b, m))
			r := &kgo.Record{Key: []byte("1"), Headers: []kgo.RecordHeader{{Key: stream.EncodingHeader, Value: []byte(enc)}}}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				r.Value = values[i%len(values)]
				if _, err := l.score(r, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPredictHTTP posts the original's test payload to POST /predict
// over a real loopback connection, one request at a time, and reports the
// latency percentiles seen by the client.
func BenchmarkPredictHTTP(b *testing.B) {
	m, _ := benchARF(b)
	_, x := examplePayload(b)
	payload := string(AppendRequest(nil, x, 1)) // the original's payload, naming the version served here
	s := benchService(b, m)
	srv := httptest.NewServer(s.handler())
	defer srv.Close()
	client := srv.Client()
	var lat []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		resp, err := client.Post(srv.URL+"/predict", "application/json", strings.NewReader(payload))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) }
	b.ReportMetric(q(0.5), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
}

// BenchmarkPublishToServed publishes an ARF(mc) snapshot and waits until a
// running service (embedded broker) serves it: ns/op is the time from
// publishing to the swap.
func BenchmarkPublishToServed(b *testing.B) {
	m, _ := benchARF(b)
	brokers := []string{kafkatest.Embedded(b)}
	tp := newTopics()
	snapBytes := snap(b, m)
	ctx := context.Background()
	if _, err := PublishSnapshot(ctx, snapBytes, WithBrokers(brokers...), WithModelTopic(tp.models)); err != nil {
		b.Fatal(err)
	}
	svc := start(b, tp.serveOpts(brokers)...)
	for b.Loop() {
		res, err := PublishSnapshot(ctx, snapBytes, WithBrokers(brokers...), WithModelTopic(tp.models))
		if err != nil {
			b.Fatal(err)
		}
		if err := svc.WaitVersion(ctx, res.Version); err != nil {
			b.Fatal(err)
		}
	}
	// Publisher's created-at to received (Kafka), received to served
	// (reassemble, verify, decode), and the whole, of the live swaps.
	var recv, load, worst float64
	sw := svc.Swaps()[1:]
	for _, s := range sw {
		recv += ms(s.ReceivedAt.Sub(s.PublishedAt))
		load += ms(s.EffectiveAt.Sub(s.ReceivedAt))
		worst = max(worst, s.LatencyMs)
	}
	b.ReportMetric(recv/float64(len(sw)), "to-received-ms")
	b.ReportMetric(load/float64(len(sw)), "decode-ms")
	b.ReportMetric(worst, "max-swap-ms")
	b.ReportMetric(float64(len(snapBytes)), "snapshot-bytes")
}
