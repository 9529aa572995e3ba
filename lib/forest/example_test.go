package forest_test

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/forest"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
	"github.com/rivulet-ml/rivulet/lib/synth"
	"github.com/rivulet-ml/rivulet/lib/tree"
)

// River 0.26.1's ARFClassifier doctest: progressive_val_score over the
// first 1000 records of a drifting Agrawal stream skips the first
// prediction (there is none) and prints "Accuracy: 67.97%", with 2
// warnings and 1 drift. Agrawal's features are keyed by name in River, so
// leaves sort them by name when they draw their random subsets.
func ExampleARFClassifier() {
	stream, _ := synth.NewConceptDriftStream(nil, nil, synth.Seed(42), synth.Position(500), synth.Width(40))
	params := forest.DefaultTreeParams()
	params.LeafPrediction = tree.MajorityClass
	model, _ := forest.NewARFClassifier(
		forest.WithSeed(8),
		forest.WithTreeParams(params),
		forest.WithFeatureNames(stream.Schema()),
	)
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
	fmt.Println("features per leaf:", model.MaxFeaturesResolved())

	// A snapshot restores the forest, shared generator included.
	restored, err := snapshot.Unmarshal(snapshot.Marshal(model))
	fmt.Println("restored:", restored.SnapshotKind(), err)
	// Output:
	// Accuracy: 67.97%
	// warnings, drifts: 2 1
	// features per leaf: 3
	// restored: forest.ARFClassifier <nil>
}
