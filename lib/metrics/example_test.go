package metrics_test

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/metrics"
)

// River's ROCAUC doctest: the 10-threshold approximation reads 0.875 where
// the exact area is 0.75.
func ExampleROCAUC() {
	yTrue := []int{0, 0, 1, 1}
	pTrue := []float64{.1, .4, .35, .8}
	approx := metrics.NewROCAUC()
	exact := metrics.NewExactROCAUC()
	for i, y := range yTrue {
		proba := []float64{1 - pTrue[i], pTrue[i]}
		approx.UpdateProba(y, proba, 1)
		exact.UpdateProba(y, proba, 1)
	}
	fmt.Println(approx.Name(), approx.Get())
	fmt.Println(exact.Name(), exact.Get())
	// Output:
	// ROCAUC 0.875
	// ExactROCAUC 0.75
}

// River's R2 doctest.
func ExampleR2() {
	yTrue := []float64{3, -0.5, 2, 7}
	yPred := []float64{2.5, 0.0, 2, 8}
	m := metrics.NewR2()
	for i := range yTrue {
		m.Update(yTrue[i], yPred[i], 1)
		fmt.Printf("%.4f\n", m.Get())
	}
	// Output:
	// 0.0000
	// 0.9184
	// 0.9231
	// 0.9486
}

// Metrics built by name, fed labels or probabilities as each requires.
func ExampleNew() {
	var ms []metrics.ClassificationMetric
	for _, name := range []string{"Accuracy", "macro_f1", "LogLoss"} {
		m, err := metrics.NewClassification(name)
		if err != nil {
			panic(err)
		}
		ms = append(ms, m)
	}
	records := []struct {
		y     int
		proba []float64
	}{{0, []float64{.8, .2}}, {1, []float64{.3, .7}}, {1, []float64{.6, .4}}}
	for _, r := range records {
		for _, m := range ms {
			m.UpdateProba(r.y, r.proba, 1) // label metrics use the argmax
		}
	}
	for _, m := range ms {
		fmt.Printf("%s %.4f\n", m.Name(), m.Get())
	}
	// Output:
	// Accuracy 0.6667
	// MacroF1 0.6667
	// LogLoss 0.4987
}
