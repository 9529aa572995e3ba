package forest_test

import (
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/forest"
	"github.com/rivulet-ml/rivulet/lib/models"
	"github.com/rivulet-ml/rivulet/lib/synth"
)

func TestRegistry(t *testing.T) {
	s, err := synth.NewConceptDriftStream(nil, nil, synth.Seed(42), synth.Position(500), synth.Width(40))
	if err != nil {
		t.Fatal(err)
	}
	// River's doctest through the registry: the schema makes leaves sort
	// features by name, as River does with Agrawal's string keys.
	m, err := models.NewClassifier("arf", []string{"seed=8", "leaf_prediction=mc"}, s.Schema())
	if err != nil {
		t.Fatal(err)
	}
	correct, n := 0, 0
	for x, y := range synth.Take(s, 1000) {
		if p := m.PredictOne(x); p >= 0 {
			n++
			if p == y {
				correct++
			}
		}
		m.LearnOne(x, y)
	}
	if correct != 679 || n != 999 {
		t.Errorf("registry-built ARF: %d/%d correct, River's doctest 679/999 (67.97%%)", correct, n)
	}
	good := [][]string{
		{"max_features=log2", "n_models=3", "lambda_value=2", "disable_weighted_vote=true"},
		{"max_features=0.5", "drift_detector=none", "warning_detector=none", "workers=2"},
		{"max_features=none", "drift_detector.delta=0.01", "grace_period=20", "nominal_attributes=car,zipcode", "max_depth=3"},
		{"split_criterion=gini", "binary_split=true", "n_splits=5", "remove_poor_attrs=true", "tau=0.1", "nb_threshold=3"},
	}
	for _, p := range good {
		m, err := models.NewClassifier("ARFClassifier", p, s.Schema())
		if err != nil {
			t.Errorf("%v: %v", p, err)
			continue
		}
		m.(*forest.ARFClassifier).Close()
	}
	bad := map[string]string{
		"max_features=auto":        "max_features",
		"leaf_prediction=x":        "leaf_prediction",
		"drift_detector=ddm":       "drift_detector",
		"warning_detector.delta=0": "warning_detector.delta",
		"n_models=0":               "n_models",
		"grace_period=0":           "grace_period",
		"nominal_attributes=q":     "nominal_attributes",
		"max_depth=-1":             "max_depth",
		"seed=x":                   "seed",
		"nope=1":                   "nope",
	}
	for p, want := range bad {
		_, err := models.NewClassifier("arf", []string{p}, s.Schema())
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one mentioning %q", p, err, want)
		}
	}
}
