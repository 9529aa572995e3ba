package ensemble_test

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/ensemble"
	"github.com/rivulet-ml/rivulet/lib/naivebayes"
	"github.com/rivulet-ml/rivulet/lib/synth"
	"github.com/rivulet-ml/rivulet/lib/tree"
)

// River 0.26.1's SRPClassifier doctest: three Hoeffding-tree members on a
// drifting Agrawal stream. progressive_val_score skips the first
// prediction (there is none) and prints "Accuracy: 72.67%".
func ExampleSRPClassifier() {
	stream, _ := synth.NewConceptDriftStream(nil, nil, synth.Seed(42), synth.Position(500), synth.Width(50))
	nominal := []int{}
	for _, name := range []string{"age", "car", "zipcode"} {
		i, _ := stream.Schema().Index(name)
		nominal = append(nominal, i)
	}
	base, _ := tree.NewHoeffdingTreeClassifier(tree.WithGracePeriod(50), tree.WithDelta(0.01),
		tree.WithNominalAttributes(nominal...))
	model, _ := ensemble.NewSRPClassifier(ensemble.WithModel(base), ensemble.WithNModels(3), ensemble.WithSeed(42))

	correct, seen := 0, 0
	for x, y := range synth.Take(stream, 1000) {
		if p := model.PredictOne(x); p >= 0 {
			seen++
			if p == y {
				correct++
			}
		}
		model.LearnOne(x, y)
	}
	fmt.Printf("Accuracy: %.2f%%\n", 100*float64(correct)/float64(seen))
	fmt.Println("warnings, drifts:", model.NWarningsDetected(), model.NDriftsDetected())
	fmt.Println("subspaces after the resets:", model.Subspaces())
	// Output:
	// Accuracy: 72.67%
	// warnings, drifts: 3 3
	// subspaces after the resets: [[4 6 0 7 2] [5 8 0 1 4] [2 3 8 0 5]]
}

// MOA's training (one update of weight k instead of k updates) and
// members learning on two goroutines; the result does not depend on the
// number of workers.
func ExampleWithWeightedLearning() {
	stream, _ := synth.NewSEA(synth.Seed(42))
	model, _ := ensemble.NewSRPClassifier(
		ensemble.WithModel(naivebayes.NewGaussianNB()),
		ensemble.WithSeed(1),
		ensemble.WithWeightedLearning(true),
		ensemble.WithWorkers(2),
	)
	defer model.Close()
	correct := 0
	for x, y := range synth.Take(stream, 2000) {
		if model.PredictOne(x) == y {
			correct++
		}
		model.LearnOne(x, y)
	}
	fmt.Println("correct:", correct)
	// Output:
	// correct: 1834
}
