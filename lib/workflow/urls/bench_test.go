package urls

import (
	"context"
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/datasets"
	"github.com/rivulet-ml/rivulet/lib/feature"
	_ "github.com/rivulet-ml/rivulet/lib/forest" // registers arf
	"github.com/rivulet-ml/rivulet/lib/models"
	_ "github.com/rivulet-ml/rivulet/lib/naivebayes" // registers gaussian-nb, bernoulli-nb
	_ "github.com/rivulet-ml/rivulet/lib/tree"       // registers ht, hat
)

// constant is a model that costs nothing, to measure the pipeline itself.
type constant struct{}

func (constant) LearnOne(feature.Vector, int)               {}
func (constant) LearnWeighted(feature.Vector, int, float64) {}
func (constant) PredictOne(feature.Vector) int              { return 0 }
func (constant) PredictProbaOne(_ feature.Vector, dst []float64) []float64 {
	return append(dst[:0], 0.5, 0.5)
}

// cycle repeats a data set's records, for throughput runs longer than the
// 2000-record excerpt (benchmarks only: the notebooks and the CLI never
// send a record twice).
type cycle struct {
	files *datasets.SVMLightFiles
	it    *datasets.SVMLightIter
}

func (c *cycle) Next() bool {
	for {
		if c.it == nil {
			c.it = c.files.Iter()
		}
		if c.it.Next() {
			return true
		}
		c.it.Close()
		c.it = nil
	}
}
func (c *cycle) X() feature.Vector { return c.it.X() }
func (c *cycle) Y() bool           { return c.it.Y() }
func (c *cycle) Err() error        { return nil }

// benchModels are the registered models the benchmarks run, with the
// original's parameters where it had some.
func benchModels() []struct {
	name   string
	params []string
} {
	all := []struct {
		name   string
		params []string
	}{{"arf", []string{"leaf_prediction=mc", "seed=42"}}, {"hat", []string{"leaf_prediction=mc", "seed=0"}}, {"gaussian-nb", nil}, {"logistic-regression", nil}}
	var out []struct {
		name   string
		params []string
	}
	for _, m := range all {
		if _, ok := models.Lookup(m.name); ok {
			out = append(out, m)
		}
	}
	return out
}

// BenchmarkConsumeThroughput measures how many records/s one consumer
// processes from a topic already holding them (the embedded broker, 8
// partitions assigned by hand, the original's learn-then-predict order
// does not change the cost), per model. Run with -benchtime=1x.
func BenchmarkConsumeThroughput(b *testing.B) {
	const n = 20000
	files := sampleFiles(b)
	brokers := []string{kafkatest.Embedded(b)}
	topic := kafkatest.Unique("throughput")
	ctx := context.Background()
	if _, err := Produce(ctx, &cycle{files: files}, WithBrokers(brokers...), WithTopic(topic), WithMaxSize(n), WithThrottle(n, 0)); err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, model ConsumeOption) {
		var rate float64
		for b.Loop() {
			sum, err := Consume(ctx, WithBrokers(brokers...), WithTopic(topic), WithGroup(kafkatest.Unique("g")), WithPartitions(-1),
				model, WithMaxMessages(n), WithStartOffset(Earliest), WithoutSamples(), WithIdleTimeout(30*time.Second))
			if err != nil {
				b.Fatal(err)
			}
			rate = sum.RecordsPerSecond
		}
		b.ReportMetric(rate, "records/s")
	}
	b.Run("constant", func(b *testing.B) { run(b, WithClassifier(constant{})) })
	for _, m := range benchModels() {
		b.Run(m.name, func(b *testing.B) { run(b, WithModel(m.name, m.params...)) })
	}
}

// BenchmarkOfferedLoad replays the original's offered load live: the
// producer sends the 2000-record excerpt in bursts of 600 with a 1 s sleep
// while the consumer learns, and the latency percentiles are reported (in
// ms; e2e is st -> departure). Run with -benchtime=1x.
func BenchmarkOfferedLoad(b *testing.B) {
	files := sampleFiles(b)
	brokers := []string{kafkatest.Embedded(b)}
	run := func(b *testing.B, model ConsumeOption) {
		var sum *Summary
		for b.Loop() {
			topic := kafkatest.Unique("load")
			sum, _ = consumeThenProduce(b, brokers,
				[]ConsumeOption{WithBrokers(brokers...), WithTopic(topic), WithPartitions(-1), model, WithMaxMessages(2000), WithoutSamples()},
				[]ProduceOption{WithBrokers(brokers...), WithTopic(topic), WithMaxSize(2000)},
				files.Iter())
		}
		l := sum.Latency
		b.ReportMetric(l.EndToEnd.P99, "e2e-p99-ms")
		b.ReportMetric(l.EndToEnd.Median, "e2e-median-ms")
		b.ReportMetric(l.MessagingReceived.P99, "received-p99-ms")
		b.ReportMetric(l.QueueWait.P99, "queue-p99-ms")
		b.ReportMetric(l.Processing.Median, "processing-median-ms")
	}
	b.Run("constant", func(b *testing.B) { run(b, WithClassifier(constant{})) })
	for _, m := range benchModels() {
		b.Run(m.name, func(b *testing.B) { run(b, WithModel(m.name, m.params...)) })
	}
}
