package linearmodel_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/linearmodel"
	"github.com/rivulet-ml/rivulet/lib/synth"
)

// Recover the coefficients of the sender notebook's stream y = B x + w with
// exact recursive least squares and with River's per-output SGD.
func ExampleRLS() {
	gen, err := synth.NewLinearModel(synth.WithSeed(7))
	if err != nil {
		panic(err)
	}
	rls, _ := linearmodel.NewRLS(gen.Inputs(), gen.Outputs())
	sgd, _ := linearmodel.NewPerOutputLinearRegression(gen.Outputs())

	x, y := make([]float64, gen.Inputs()), make([]float64, gen.Outputs())
	for i := 0; i < 2000; i++ {
		gen.Next(x, y)
		rls.LearnOne(feature.Dense(x), y)
		sgd.LearnOne(feature.Dense(x), y)
	}
	b := gen.Coefficients()
	relErr := func(m linearmodel.CoefficientModel) float64 {
		bHat, _ := m.Coefficients(gen.Inputs())
		var d mat.Dense
		d.Sub(bHat, b)
		return mat.Norm(&d, 2) / mat.Norm(b, 2)
	}
	fmt.Printf("RLS relative error below 2%%: %v\n", relErr(rls) < 0.02)
	fmt.Printf("SGD relative error below 2%%: %v\n", relErr(sgd) < 0.02)
	// Output:
	// RLS relative error below 2%: true
	// SGD relative error below 2%: false
}

func ExampleLogisticRegression() {
	model, _ := linearmodel.NewLogisticRegression(linearmodel.WithLearningRate(0.5))
	// Class 1 when the first feature is larger than the second.
	data := [][2]float64{{1, 0}, {0, 1}, {0.9, 0.2}, {0.1, 0.7}, {0.8, 0.3}, {0.3, 0.9}}
	for epoch := 0; epoch < 20; epoch++ {
		for _, d := range data {
			y := 0
			if d[0] > d[1] {
				y = 1
			}
			model.LearnOne(feature.Dense(d[:]), y)
		}
	}
	p := model.PredictProbaOne(feature.Dense([]float64{0.95, 0.05}), nil)
	fmt.Printf("P(1) > 0.9: %v, class %d\n", p[1] > 0.9, model.PredictOne(feature.Dense([]float64{0.95, 0.05})))
	// Output:
	// P(1) > 0.9: true, class 1
}
