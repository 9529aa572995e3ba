package urls

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/segmentio/kafka-go"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/broker"
	"github.com/rivulet-ml/rivulet/lib/datasets"
	_ "github.com/rivulet-ml/rivulet/lib/linearmodel" // registers logistic-regression
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// sample is the real 2000-record MaliciousURL excerpt, relative to this
// package (<repo>/../shared/data/malicious-url/sample-2000.svm).
var sample = filepath.Join("..", "..", "..", SampleRelPath)

func sampleFiles(t testing.TB) *datasets.SVMLightFiles {
	t.Helper()
	if _, err := os.Stat(sample); err != nil {
		t.Skipf("MaliciousURL excerpt not found at %s (<repo>/%s): %v", sample, SampleRelPath, err)
	}
	return datasets.FromFiles(sample)
}

// testModel is deterministic, registered by a package that exists today,
// and handles 3.2M sparse features.
var testModel = WithModel("logistic-regression")

// TestJSONMatchesPythonOnRealRecords encodes every sample record the way the
// original producer built its dict and compares with Python's json.dumps:
//
//	d = {'id': str(uuid.UUID(int=i)), 'f': {int(k): float(v) ...},
//	     'y': str(y).lower(), 'st': 1680000000.0 + i*0.001}
//	md5("\n".join(json.dumps(d) for each record))
func TestJSONMatchesPythonOnRealRecords(t *testing.T) {
	it := sampleFiles(t).Iter()
	var all []byte
	var rec stream.URLRecord
	i := 0
	for it.Next() {
		i++
		var id uuid.UUID
		for k, v := 0, i; k < 8; k, v = k+1, v>>8 {
			id[15-k] = byte(v)
		}
		rec = stream.URLRecord{ID: id, X: it.X(), Y: it.Y(), Sent: stream.FromEpochSeconds(1680000000.0 + float64(i)*0.001)}
		if i > 1 {
			all = append(all, '\n')
		}
		var err error
		if all, err = stream.AppendURLRecordJSON(all, &rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	sum := md5.Sum(all)
	if got := hex.EncodeToString(sum[:]); got != "f89c54682381d5636b98cc3d83c50ee2" || len(all) != 3397882 {
		t.Errorf("md5 %s over %d bytes; Python gives f89c54682381d5636b98cc3d83c50ee2 over 3397882", got, len(all))
	}
}

func TestSummarizeMatchesNumPy(t *testing.T) {
	// numpy.percentile(v, [50, 95, 99]) = 4.0, 8.875, 9.575000000000001; mean 4.318181818181818.
	v := []float64{3.5, 0.25, 7.0, 1.0, 2.0, 9.75, 4.0, 0.5, 6.0, 8.0, 5.5}
	s := Summarize(v)
	want := Stats{Mean: 4.318181818181818, Median: 4, P95: 8.875, P99: 9.575000000000001, Max: 9.75, Min: 0.25}
	if s != want {
		t.Errorf("got %+v, want %+v", s, want)
	}
	if v[0] != 3.5 {
		t.Error("Summarize reordered its input")
	}
}

func TestLongRunsKeepBoundedMemory(t *testing.T) {
	r := newRecorder(0, false, "m", Prequential, "t")
	r.limit = 1000
	const n = 100000
	now := time.Now()
	for i := range n {
		s := Sample{Predicted: -1, MessagingMs: float64(i), EndToEndMs: float64(n - i)}
		r.add(&s, nil, now, now)
	}
	if len(r.series[seriesMessaging]) != 1000 {
		t.Fatalf("kept %d values", len(r.series[seriesMessaging]))
	}
	sum := r.summary()
	m := sum.Latency.Messaging
	if m.Min != 0 || m.Max != n-1 || m.Mean != (n-1)/2.0 || math.Abs(m.Median-n/2) > n/20 || math.Abs(m.P95-0.95*n) > n/40 {
		t.Errorf("messaging %+v", m)
	}
	if e := sum.Latency.EndToEnd; e.Min != 1 || e.Max != n {
		t.Errorf("end to end %+v", e)
	}
	if sum.Samples != nil || sum.Unpredicted != n {
		t.Errorf("samples %v, unpredicted %d", sum.Samples, sum.Unpredicted)
	}
}

// consumeThenProduce starts a consumer and, once it is positioned, a
// producer, as the consumer notebook does; it returns both results.
func consumeThenProduce(t testing.TB, brokers []string, copts []ConsumeOption, popts []ProduceOption, src Records) (*Summary, ProduceResult) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var (
		res  ProduceResult
		perr error
		wg   sync.WaitGroup
	)
	copts = append(copts, WithReady(func([]int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, perr = Produce(ctx, src, popts...)
		}()
	}))
	sum, err := Consume(ctx, copts...)
	wg.Wait()
	if err != nil {
		t.Fatalf("consume: %v", err)
	}
	if perr != nil {
		t.Fatalf("produce: %v", perr)
	}
	return sum, res
}

func TestBrokersProduceAndConsume(t *testing.T) {
	files := sampleFiles(t)
	for _, k := range kafkatest.Brokers(t) {
		for _, mode := range []struct {
			name       string
			partitions int
		}{{"manual", -1}, {"group", 0}} {
			t.Run(k.Name+"/"+mode.name, func(t *testing.T) {
				topic, group := kafkatest.Unique("features"), kafkatest.Unique("urls")
				ctx := context.Background()
				if err := stream.EnsureTopic(ctx, k.Brokers, topic, 4); err != nil {
					t.Fatal(err)
				}
				var plog bytes.Buffer
				var clog bytes.Buffer
				const n = 300
				var seen int
				sum, res := consumeThenProduce(t, k.Brokers,
					[]ConsumeOption{WithBrokers(k.Brokers...), WithTopic(topic), WithGroup(group), WithPartitions(mode.partitions),
						testModel, WithMaxMessages(n), WithConsumeLog(&clog), WithOnSample(func(Sample) { seen++ }),
						WithPredictions(topic + ".predictions")},
					[]ProduceOption{WithBrokers(k.Brokers...), WithTopic(topic), WithThrottle(100, 10*time.Millisecond),
						WithMaxSize(n), WithProduceLog(&plog)},
					files.Iter())
				if res.Records != n || res.Bursts != 3 {
					t.Errorf("produced %+v", res)
				}
				wantLog := "Queue full, flushing 100\nQueue full, flushing 200\nQueue full, flushing 300\nfinal flushing count - 300, time taken in seconds- "
				if !strings.HasPrefix(plog.String(), wantLog) {
					t.Errorf("producer log:\n%s", plog.String())
				}
				if sum.Processed != n || sum.DeadLettered != 0 || seen != n || len(sum.Samples.Score) != n {
					t.Fatalf("processed %d, dead %d, samples %d", sum.Processed, sum.DeadLettered, seen)
				}
				checkSummary(t, sum)
				saved := filepath.Join(t.TempDir(), "summary.json")
				if err := sum.Save(saved); err != nil {
					t.Fatal(err)
				}
				back, err := LoadSummary(saved)
				if err != nil || back.Processed != n || back.Latency != sum.Latency || len(back.Samples.EndToEndMs) != n || back.Samples.Score[7] != sum.Samples.Score[7] {
					t.Errorf("save/load: %v", err)
				}
				if !strings.Contains(clog.String(), "Now subscribing to features topic:"+topic) || !strings.Contains(clog.String(), "Closing Consumer - Total time take in seconds ") {
					t.Errorf("consumer log:\n%s", clog.String())
				}
				// Every processed record was committed: the group's offsets
				// add up to the records produced.
				committed, err := stream.CommittedOffsets(ctx, k.Brokers, group, topic)
				if err != nil {
					t.Fatal(err)
				}
				total := int64(0)
				for _, o := range committed {
					total += o
				}
				if total != n {
					t.Errorf("committed offsets %v add up to %d, want %d", committed, total, n)
				}
				// The predictions topic holds one JSON record per prediction.
				msgs, err := stream.ConsumeN(ctx, k.Brokers, topic+".predictions", n, 30*time.Second)
				if err != nil {
					t.Fatal(err)
				}
				var p struct {
					ID        string             `json:"id"`
					Y         string             `json:"y"`
					Score     float64            `json:"score"`
					Version   int                `json:"version"`
					Latencies map[string]float64 `json:"latencies"`
				}
				if err := json.Unmarshal(msgs[n-1].Value, &p); err != nil || uuid.Validate(p.ID) != nil || (p.Y != "true" && p.Y != "false") || len(p.Latencies) != 5 {
					t.Errorf("prediction %s: %+v, %v", msgs[n-1].Value, p, err)
				}
			})
		}
	}
}

func checkSummary(t *testing.T, s *Summary) {
	t.Helper()
	for _, r := range s.Rows() {
		st := r.Stats
		if !(st.Min <= st.Median && st.Median <= st.P95 && st.P95 <= st.P99 && st.P99 <= st.Max) || math.IsNaN(st.Mean) {
			t.Errorf("%s: inconsistent %+v", r.Name, st)
		}
	}
	l := s.Latency
	if l.Processing.Min <= 0 || l.Learning.Min <= 0 || l.EndToEnd.Min <= l.Messaging.Min-1e-9 || l.Messaging.Min < l.MessagingReceived.Min-1e-9 {
		t.Errorf("implausible latencies %+v", l)
	}
	for name, m := range map[string]float64{"rocauc": s.Metrics.ROCAUC, "exact": s.Metrics.ROCAUCExact, "f1": s.Metrics.F1,
		"recall": s.Metrics.Recall, "accuracy": s.Metrics.Accuracy} {
		if !(m > 0 && m <= 1) {
			t.Errorf("metric %s = %v", name, m)
		}
	}
	if s.RecordsPerSecond <= 0 || s.Seconds <= 0 {
		t.Errorf("rate %v over %v s", s.RecordsPerSecond, s.Seconds)
	}
	var text bytes.Buffer
	if err := s.WriteText(&text); err != nil || !strings.Contains(text.String(), "MESSAGING LATENCY(ms)") || !strings.Contains(s.TableHTML(), "<td style=\"text-align:left\">END TO END DURATIONS(ms)</td>") {
		t.Errorf("table:\n%s\n%v", text.String(), err)
	}
}

// writeRecords writes the first n sample records to one partition in order
// and, when garbageEvery > 0, one malformed record in every garbageEvery
// good ones (in the middle). It returns the offsets of the garbage records.
func writeRecords(t *testing.T, brokers []string, topic string, n, garbageEvery int) []int64 {
	t.Helper()
	garbage := [][]byte{
		[]byte("not json at all"),
		[]byte(`{"f": {"1": 1.0}, "st": 1680000000.5}`),                 // no label
		[]byte(`{"f": {"x": 1.0}, "y": "true", "st": 1680000000.5}`),    // bad key
		[]byte(`{"id": "1", "f": {}, "y": "true", "st": 1680000000.5}`), // bad id
		{},
	}
	it := sampleFiles(t).Take(n)
	var msgs []kafka.Message
	var bad []int64
	var rec stream.URLRecord
	i := 0
	for it.Next() {
		i++
		rec = stream.URLRecord{ID: uuid.NewSHA1(uuid.NameSpaceURL, []byte(strconv.Itoa(i))), X: it.X(), Y: it.Y(), Sent: time.Now()}
		v, err := stream.AppendURLRecordJSON(nil, &rec)
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, kafka.Message{Key: []byte(strconv.Itoa(i)), Value: v, Time: rec.Sent})
		if garbageEvery > 0 && i%garbageEvery == garbageEvery/2 {
			bad = append(bad, int64(len(msgs)))
			g := garbage[len(bad)%len(garbage)]
			if len(bad)%7 == 3 {
				// A valid JSON record sent under an unknown encoding.
				msgs = append(msgs, kafka.Message{Value: v, Headers: []kafka.Header{{Key: stream.EncodingHeader, Value: []byte("avro")}}})
				continue
			}
			msgs = append(msgs, kafka.Message{Value: g})
		}
	}
	if it.Err() != nil {
		t.Fatal(it.Err())
	}
	w := stream.NewWriter(brokers, topic, stream.WithBatchSize(len(msgs)))
	defer w.Close()
	if err := w.WriteMessages(context.Background(), msgs...); err != nil {
		t.Fatal(err)
	}
	return bad
}

// TestBrokersGarbageIsDeadLetteredAndChangesNothing injects 1% malformed records:
// each one must land in <topic>.dlq with its cause and origin, and every good
// record must be processed exactly as in a run without them.
func TestBrokersGarbageIsDeadLetteredAndChangesNothing(t *testing.T) {
	for _, k := range kafkatest.Brokers(t) {
		t.Run(k.Name, func(t *testing.T) {
			ctx := context.Background()
			const n = 1000
			var group string
			run := func(garbageEvery int) (*Summary, []int64, string) {
				var topic string
				topic, group = kafkatest.Unique("features"), kafkatest.Unique("urls")
				if err := stream.EnsureTopic(ctx, k.Brokers, topic, 1); err != nil {
					t.Fatal(err)
				}
				bad := writeRecords(t, k.Brokers, topic, n, garbageEvery)
				sum, err := Consume(ctx, WithBrokers(k.Brokers...), WithTopic(topic), WithGroup(group), WithPartitions(1),
					testModel, WithMaxMessages(n), WithStartOffset(Earliest), WithIdleTimeout(20*time.Second))
				if err != nil {
					t.Fatal(err)
				}
				return sum, bad, topic
			}
			clean, _, _ := run(0)
			dirty, bad, topic := run(100)
			if len(bad) != n/100 || dirty.DeadLettered != len(bad) || clean.DeadLettered != 0 {
				t.Fatalf("garbage %d, dead-lettered %d (clean run %d)", len(bad), dirty.DeadLettered, clean.DeadLettered)
			}
			if clean.Processed != n || dirty.Processed != n {
				t.Fatalf("processed %d and %d, want %d", clean.Processed, dirty.Processed, n)
			}
			for i := range n {
				if clean.Samples.Score[i] != dirty.Samples.Score[i] || clean.Samples.Predicted[i] != dirty.Samples.Predicted[i] || clean.Samples.Y[i] != dirty.Samples.Y[i] {
					t.Fatalf("record %d: clean (%v, %d) vs with garbage (%v, %d)", i, clean.Samples.Score[i], clean.Samples.Predicted[i], dirty.Samples.Score[i], dirty.Samples.Predicted[i])
				}
			}
			if clean.Metrics != dirty.Metrics {
				t.Errorf("metrics differ: %+v vs %+v", clean.Metrics, dirty.Metrics)
			}
			// Dead letters count as handled: the commit covers them and every
			// good record (the last record written is a good one).
			committed, err := stream.CommittedOffsets(ctx, k.Brokers, group, topic)
			if err != nil || committed[0] != int64(n+len(bad)) {
				t.Errorf("committed %v (%v), want partition 0 at %d", committed, err, n+len(bad))
			}
			dead, err := stream.ConsumeN(ctx, k.Brokers, stream.DeadLetterTopic(topic), len(bad), 30*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			// The dead-letter topic has several partitions, so compare as a set.
			want := map[string]bool{}
			for _, b := range bad {
				want[strconv.FormatInt(b, 10)] = true
			}
			for i, m := range dead {
				off, _ := stream.Header(m, stream.HeaderSourceOffset)
				part, _ := stream.Header(m, stream.HeaderSourcePartition)
				cause, _ := stream.Header(m, stream.HeaderError)
				if !want[off] || part != "0" || !strings.Contains(cause, "url record") {
					t.Errorf("dead letter %d: partition %s offset %s (want one of %v), error %q", i, part, off, bad, cause)
				}
				delete(want, off)
			}
		})
	}
}

// TestBrokersTwoGroupMembersShareTheTopic runs two consumers in one group: the
// partitions are split between them and every record is processed once.
func TestBrokersTwoGroupMembersShareTheTopic(t *testing.T) {
	for _, k := range kafkatest.Brokers(t) {
		t.Run(k.Name, func(t *testing.T) {
			ctx := context.Background()
			topic, group := kafkatest.Unique("features"), kafkatest.Unique("urls")
			if err := stream.EnsureTopic(ctx, k.Brokers, topic, 4); err != nil {
				t.Fatal(err)
			}
			type result struct {
				sum *Summary
				err error
			}
			results := make(chan result, 2)
			ready := make(chan []int, 2)
			for range 2 {
				go func() {
					sum, err := Consume(ctx, WithBrokers(k.Brokers...), WithTopic(topic), WithGroup(group), testModel,
						WithMaxMessages(0), WithStartOffset(Earliest), WithIdleTimeout(4*time.Second),
						WithReady(func(p []int) { ready <- p }))
					results <- result{sum, err}
				}()
			}
			for range 2 {
				select {
				case <-ready:
				case <-time.After(60 * time.Second):
					t.Fatal("members not ready")
				}
			}
			writeRecords(t, k.Brokers, topic, 400, 0)
			total := 0
			for range 2 {
				r := <-results
				if r.err != nil {
					t.Fatal(r.err)
				}
				total += r.sum.Processed
				if r.sum.Processed == 0 {
					t.Errorf("a member processed nothing")
				}
			}
			if total != 400 {
				t.Errorf("members processed %d records in all, want 400", total)
			}
			committed, err := stream.CommittedOffsets(ctx, k.Brokers, group, topic)
			if err != nil {
				t.Fatal(err)
			}
			sum := int64(0)
			for _, o := range committed {
				sum += o
			}
			if sum != 400 {
				t.Errorf("committed %v, want 400 in all", committed)
			}
		})
	}
}

// TestRestartResumesAfterCommit checks at-least-once bookkeeping: a second
// consumer of the same group starts after what the first processed.
func TestRestartResumesAfterCommit(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	ctx := context.Background()
	topic, group := kafkatest.Unique("features"), kafkatest.Unique("urls")
	if err := stream.EnsureTopic(ctx, brokers, topic, 2); err != nil {
		t.Fatal(err)
	}
	writeRecords(t, brokers, topic, 200, 0)
	opts := []ConsumeOption{WithBrokers(brokers...), WithTopic(topic), WithGroup(group), WithPartitions(2), testModel,
		WithStartOffset(Earliest), WithIdleTimeout(3 * time.Second)}
	first, err := Consume(ctx, append(opts, WithMaxMessages(120))...)
	if err != nil {
		t.Fatal(err)
	}
	second, err := Consume(ctx, append(opts, WithMaxMessages(0))...)
	if err != nil {
		t.Fatal(err)
	}
	if first.Processed != 120 || second.Processed != 80 {
		t.Errorf("first run %d, second %d; want 120 and 80", first.Processed, second.Processed)
	}
}

func TestBrokerDownIsAnErrorNotAHang(t *testing.T) {
	down := WithBrokers("127.0.0.1:1")
	start := time.Now()
	_, err := Consume(context.Background(), down, testModel, WithBrokerWait(time.Second))
	var bu *stream.BrokerUnreachableError
	if !errors.As(err, &bu) {
		t.Errorf("consume: %v, want a *stream.BrokerUnreachableError", err)
	}
	_, err = Produce(context.Background(), sampleFiles(t).Iter(), down, WithBrokerWait(time.Second))
	if !errors.As(err, &bu) {
		t.Errorf("produce: %v, want a *stream.BrokerUnreachableError", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestBrokerLostMidRunIsAnError stops the broker under an idle consumer:
// kafka-go's readers would retry for ever; Consume must fail within the
// broker wait instead.
func TestBrokerLostMidRunIsAnError(t *testing.T) {
	b, err := broker.Start(context.Background(), broker.WithAddr("127.0.0.1:0"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := Consume(context.Background(), WithBrokers(b.Addr()), WithTopic("features"), WithPartitions(-1), testModel,
			WithBrokerWait(time.Second), WithReady(func([]int) { close(ready) }))
		done <- err
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("consumer ended before it was ready: %v", err)
	}
	stopped := time.Now()
	b.Close()
	select {
	case err := <-done:
		var bu *stream.BrokerUnreachableError
		if !errors.As(err, &bu) || !strings.Contains(err.Error(), "lost the broker") {
			t.Errorf("got %v, want a lost-broker *stream.BrokerUnreachableError", err)
		}
		t.Logf("failed %v after the broker stopped: %v", time.Since(stopped).Round(time.Millisecond), err)
	case <-time.After(30 * time.Second):
		t.Fatal("consumer still running 30 s after the broker stopped")
	}
}

func TestUnknownModelIsAClearError(t *testing.T) {
	_, err := Consume(context.Background(), WithModel("no-such-model"), WithBrokers("127.0.0.1:1"))
	if err == nil || !strings.Contains(err.Error(), `unknown model "no-such-model"`) || !strings.Contains(err.Error(), "logistic-regression") {
		t.Errorf("got %v", err)
	}
}

func TestRateAndThrottle(t *testing.T) {
	files := sampleFiles(t)
	brokers := []string{kafkatest.Embedded(t)}
	ctx := context.Background()
	res, err := Produce(ctx, files.Iter(), WithBrokers(brokers...), WithTopic(kafkatest.Unique("rate")), WithRate(2000), WithMaxSize(200))
	if err != nil {
		t.Fatal(err)
	}
	// Record n is due n/rate after the start: the last (n=199) at 99.5 ms.
	if res.Records != 200 || res.Bursts != 0 || res.Elapsed < 99*time.Millisecond {
		t.Errorf("rate: %+v", res)
	}
	res, err = Produce(ctx, files.Iter(), WithBrokers(brokers...), WithTopic(kafkatest.Unique("burst")), WithThrottle(50, 40*time.Millisecond),
		WithMaxSize(120), WithEncoding(stream.EncodingBinaryV1))
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != 120 || res.Bursts != 2 || res.Elapsed < 80*time.Millisecond {
		t.Errorf("bursts: %+v", res)
	}
	if _, err := Produce(ctx, files.Iter(), WithBrokers(brokers...), WithEncoding("xml")); err == nil {
		t.Error("unknown encoding accepted")
	}
}

func TestBinaryEncodingIsConsumed(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	topic := kafkatest.Unique("bin")
	sum, res := consumeThenProduce(t, brokers,
		[]ConsumeOption{WithBrokers(brokers...), WithTopic(topic), WithPartitions(-1), testModel, WithMaxMessages(150), WithOrder(LearnFirst)},
		[]ProduceOption{WithBrokers(brokers...), WithTopic(topic), WithMaxSize(150), WithThrottle(600, 0), WithEncoding(stream.EncodingBinaryV1)},
		sampleFiles(t).Iter())
	if res.Records != 150 || sum.Processed != 150 || sum.DeadLettered != 0 || sum.Unpredicted != 0 || sum.Order != "learn-first" {
		t.Errorf("produced %d, processed %d, dead %d, unpredicted %d, order %s", res.Records, sum.Processed, sum.DeadLettered, sum.Unpredicted, sum.Order)
	}
}

func TestOpenDataAndNotebookData(t *testing.T) {
	files := sampleFiles(t)
	f, desc, err := OpenData(context.Background(), sample, nil)
	if err != nil || len(f.Paths()) != 1 || desc != sample {
		t.Errorf("file: %v %q %v", f, desc, err)
	}
	dir := t.TempDir()
	for _, d := range []int{10, 2, 0} {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("Day%d.svm", d)), []byte("+1 1:1\n"), 0o644)
	}
	f, _, err = OpenData(context.Background(), dir, nil)
	if err != nil || filepath.Base(f.Paths()[2]) != "Day10.svm" || filepath.Base(f.Paths()[1]) != "Day2.svm" {
		t.Errorf("dir: %v %v", f.Paths(), err)
	}
	t.Setenv(datasets.DataEnv, t.TempDir()) // no full data set there
	spec, max, note, err := NotebookData(filepath.Join("..", "..", ".."))
	if err != nil || spec == "" || max != 2000 || !strings.Contains(note, "min(5000, 2000) = 2000") {
		t.Errorf("notebook data: %q %d %q %v", spec, max, note, err)
	}
	_ = files
}
