package tree_test

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/synth"
	"github.com/rivulet-ml/rivulet/lib/tree"
)

// River's doctest for HoeffdingTreeClassifier: progressive validation on
// the first 1000 records of Agrawal(classification_function=0, seed=42),
// grace_period=100, delta=1e-5, elevel, car and zipcode nominal. River
// 0.26.1 prints "Accuracy: 84.58%".
func Example() {
	gen, _ := synth.NewAgrawal(synth.ClassificationFunction(0), synth.Seed(42))
	model, _ := tree.NewHoeffdingTreeClassifier(
		tree.WithGracePeriod(100),
		tree.WithDelta(1e-5),
		tree.WithNominalAttributes(3, 4, 5), // elevel, car, zipcode
	)
	correct, n := 0, 0
	for x, y := range synth.Take(gen, 1000) {
		// Predict, then learn (River skips the first record, which has no
		// prediction yet).
		if p := model.PredictOne(x); p >= 0 {
			n++
			if p == y {
				correct++
			}
		}
		model.LearnOne(x, y)
	}
	fmt.Printf("Accuracy: %.2f%%\n", 100*float64(correct)/float64(n))
	// Output: Accuracy: 84.58%
}

// River's doctest for HoeffdingAdaptiveTreeClassifier on a drifting SEA
// stream prints "Accuracy: 91.49%".
func ExampleHoeffdingAdaptiveTreeClassifier() {
	stream, _ := synth.NewConceptDriftStream(
		must(synth.NewSEA(synth.Seed(42), synth.Variant(0))),
		must(synth.NewSEA(synth.Seed(42), synth.Variant(1))),
		synth.Seed(1), synth.Position(500), synth.Width(50))
	model, _ := tree.NewHoeffdingAdaptiveTreeClassifier(
		tree.WithGracePeriod(100),
		tree.WithDelta(1e-5),
		tree.WithLeafPrediction(tree.NaiveBayes),
		tree.WithNBThreshold(10),
		tree.WithSeed(0),
	)
	correct, n := 0, 0
	for x, y := range synth.Take(stream, 1000) {
		if p := model.PredictOne(x); p >= 0 {
			n++
			if p == y {
				correct++
			}
		}
		model.LearnOne(x, y)
	}
	fmt.Printf("Accuracy: %.2f%%\n", 100*float64(correct)/float64(n))
	// Output: Accuracy: 91.49%
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
