package urls_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rivulet-ml/rivulet/lib/broker"
	"github.com/rivulet-ml/rivulet/lib/datasets"
	_ "github.com/rivulet-ml/rivulet/lib/naivebayes" // registers gaussian-nb
	"github.com/rivulet-ml/rivulet/lib/workflow/urls"
)

func ExampleSummarize() {
	// Latencies in ms; percentiles interpolate like numpy.percentile.
	s := urls.Summarize([]float64{3.5, 0.25, 7, 1, 2, 9.75, 4, 0.5, 6, 8, 5.5})
	fmt.Printf("mean %.3f median %.3f p95 %.3f p99 %.3f max %.2f min %.2f\n", s.Mean, s.Median, s.P95, s.P99, s.Max, s.Min)
	// Output: mean 4.318 median 4.000 p95 8.875 p99 9.575 max 9.75 min 0.25
}

// Example streams a few svmlight records through an embedded broker: the
// consumer positions itself first, then starts the producer, as notebook 04
// does.
func Example() {
	b, err := broker.Start(context.Background(), broker.WithAddr("127.0.0.1:0"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	dir, _ := os.MkdirTemp("", "urls-example")
	defer os.RemoveAll(dir)
	data := filepath.Join(dir, "day.svm")
	os.WriteFile(data, []byte("+1 4:0.0788382 28:1 155213:1\n-1 4:0.0871369 28:1 44:1\n-1 5:0.13 44:1\n+1 4:0.07 155213:1\n"), 0o644)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var produced urls.ProduceResult
	done := make(chan error, 1)
	sum, err := urls.Consume(ctx,
		urls.WithBrokers(b.Addr()), urls.WithTopic("features"), urls.WithPartitions(-1),
		urls.WithModel("gaussian-nb"), urls.WithMaxMessages(4),
		urls.WithReady(func([]int) {
			go func() {
				var err error
				produced, err = urls.Produce(ctx, datasets.FromFiles(data).Iter(),
					urls.WithBrokers(b.Addr()), urls.WithTopic("features"), urls.WithThrottle(600, 0))
				done <- err
			}()
		}))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := <-done; err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("produced", produced.Records, "processed", sum.Processed, "dead-lettered", sum.DeadLettered)
	fmt.Println(sum.Rows()[0].Name, sum.Latency.Messaging.Max > 0)
	// Output:
	// produced 4 processed 4 dead-lettered 0
	// MESSAGING LATENCY(ms) true
}
