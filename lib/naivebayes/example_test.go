package naivebayes_test

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/naivebayes"
)

// Test-then-train on a tiny dense stream: the first prediction is empty
// (River's {}), later ones are class distributions. River 0.26.1 prints
// the same values. At record 3 the variances are still 0 after one value
// per class, so every density is 0 and only the priors speak.
func ExampleGaussianNB() {
	m := naivebayes.NewGaussianNB()
	xs := [][]float64{{1.0, 5.1}, {3.0, 0.9}, {1.2, 4.8}, {2.9, 1.2}, {1.1, 5.0}}
	ys := []int{0, 1, 0, 1, 0}
	var p []float64
	for i, x := range xs {
		p = m.PredictProbaOne(feature.Dense(x), p)
		fmt.Printf("record %d: %.3f\n", i, p)
		m.LearnOne(feature.Dense(x), ys[i])
	}
	fmt.Println(m.PredictOne(feature.Dense([]float64{2.8, 1.0})))
	// Output:
	// record 0: []
	// record 1: [1.000]
	// record 2: [0.500 0.500]
	// record 3: [0.667 0.333]
	// record 4: [1.000 0.000]
	// 1
}

// BernoulliNB on sparse binary features; a feature never seen in training
// (index 99) is ignored, as in River (which prints the same values).
func ExampleBernoulliNB() {
	m, err := naivebayes.NewBernoulliNB(naivebayes.WithAlpha(1))
	if err != nil {
		panic(err)
	}
	spam := feature.Sparse([]int32{1, 4}, []float64{1, 1})
	ham := feature.Sparse([]int32{2, 3}, []float64{1, 1})
	for i := 0; i < 3; i++ {
		m.LearnOne(spam, 1)
		m.LearnOne(ham, 0)
	}
	p := m.PredictProbaOne(feature.Sparse([]int32{4, 99}, []float64{1, 1}), nil)
	fmt.Printf("%.4f %d features\n", p, m.NumFeatures())
	// Output: [0.0588 0.9412] 4 features
}
