package serve_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/rivulet-ml/rivulet/lib/broker"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/models"
	_ "github.com/rivulet-ml/rivulet/lib/naivebayes" // registers gaussian-nb
	"github.com/rivulet-ml/rivulet/lib/snapshot"
	"github.com/rivulet-ml/rivulet/lib/workflow/serve"
	"github.com/rivulet-ml/rivulet/lib/workflow/urls"
)

// A prediction record as the scoring service writes it.
func ExamplePrediction_Append() {
	p := serve.Prediction{Y: true, Score: 0.93, Version: 5, MessagingMs: 1.9, ProcessingMs: 0.004, EndToEndMs: 1.904}
	fmt.Println(string(p.Append(nil)))
	// Output:
	// {"id": "00000000-0000-0000-0000-000000000000", "y": "true", "score": 0.93, "version": 5, "messaging_ms": 1.9, "processing_ms": 0.004, "e2e_ms": 1.904}
}

// The body of POST /predict in the original's test-payload shape, and how
// the service reads it.
func ExampleParseRequest() {
	x := feature.Sparse([]int32{2, 4, 5}, []float64{1, 0.0788382, 0.131034})
	body := serve.AppendRequest(nil, x, 5)
	fmt.Println(string(body))
	got, version, err := serve.ParseRequest(body)
	fmt.Println(got.Idx, got.Val, version, err)
	_, _, err = serve.ParseRequest([]byte(`{"x": {"04": 1}}`))
	fmt.Println(err)
	// Output:
	// {"data": {"version": 5, "x": {"2": 1.0, "4": 0.0788382, "5": 0.131034}}}
	// [2 4 5] [1 0.0788382 0.131034] 5 <nil>
	// request: byte 7: feature key "04": want a feature index in decimal (0 to 2147483647)
}

// Publish a model, start a scoring service, stream records to it and stop
// it, on an embedded broker.
func ExampleStart() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "serve-example")
	defer os.RemoveAll(dir)
	b, err := broker.Start(ctx, broker.WithAddr("127.0.0.1:0"), broker.WithDataDir(dir))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	brokers := serve.WithBrokers(b.Addr())

	// Version 1: a model that learned one record of each class.
	m, _ := models.NewClassifier("gaussian-nb", nil, nil)
	m.LearnOne(feature.Sparse([]int32{1}, []float64{1}), 1)
	m.LearnOne(feature.Sparse([]int32{1}, []float64{0}), 0)
	res, err := serve.Publish(ctx, m.(snapshot.Model), brokers, serve.WithModelName("gaussian-nb"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("published version", res.Version)

	svc, err := serve.Start(ctx, brokers, serve.WithGroup("example"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("serving version", svc.Version())
	records := &twoRecords{}
	if _, err := urls.Produce(ctx, records, urls.WithBrokers(b.Addr()), urls.WithMaxSize(2)); err != nil {
		fmt.Println(err)
		return
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := svc.WaitRecords(wctx, 2); err != nil {
		fmt.Println(err)
		return
	}
	sum, err := svc.Stop()
	fmt.Println("scored", sum.Records, "records by version", sum.ByVersion, err)
	// Output:
	// published version 1
	// serving version 1
	// scored 2 records by version map[1:2] <nil>
}

// twoRecords is a urls.Records stream of one malicious, one benign record.
type twoRecords struct{ n int }

func (r *twoRecords) Next() bool { r.n++; return r.n <= 2 }
func (r *twoRecords) X() feature.Vector {
	return feature.Sparse([]int32{1}, []float64{float64(r.n % 2)})
}
func (r *twoRecords) Y() bool    { return r.n%2 == 1 }
func (r *twoRecords) Err() error { return nil }
