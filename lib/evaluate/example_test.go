package evaluate_test

import (
	"context"
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/evaluate"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/metrics"
	"github.com/rivulet-ml/rivulet/lib/naivebayes"
)

// Test-then-train over a slice: the first record cannot be scored (the
// model knows no class yet), every later one is predicted before it is
// learnt. River 0.26.1 prints the same accuracies (50.00%, 60.00%).
func ExampleProgressive() {
	xs := []feature.Vector{
		feature.Dense([]float64{1.0, 5.1}), feature.Dense([]float64{3.0, 0.9}),
		feature.Dense([]float64{1.2, 4.8}), feature.Dense([]float64{2.9, 1.2}),
		feature.Dense([]float64{1.1, 5.0}), feature.Dense([]float64{3.1, 1.0}),
	}
	ys := []int{0, 1, 0, 1, 0, 1}
	res, err := evaluate.Progressive(context.Background(), naivebayes.NewGaussianNB(),
		evaluate.FromSlices(xs, ys),
		evaluate.WithMetrics(metrics.NewAccuracy(), metrics.NewLogLoss()),
		evaluate.WithCheckpointEvery(3))
	if err != nil {
		panic(err)
	}
	for _, cp := range res.Checkpoints {
		fmt.Printf("after %d: accuracy %.3f\n", cp.Records, cp.Metrics[0].Value)
	}
	fmt.Printf("%d records, %d scored\n", res.Records, res.Scored)
	// Output:
	// after 3: accuracy 0.500
	// after 6: accuracy 0.600
	// 6 records, 5 scored
}
