package tree

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/models"
)

// TestRegistry builds River's doctest models by name with River parameter
// names and checks the doctest accuracies.
func TestRegistry(t *testing.T) {
	names, x, y := dataset(t, "agrawal")
	schema := feature.NewSchema(names...)
	m, err := models.NewClassifier("ht", []string{"grace_period=100", "delta=1e-5", "nominal_attributes=elevel,car,zipcode"}, schema)
	if err != nil {
		t.Fatal(err)
	}
	if acc, _ := prequential(m, denseRows(x, 1000), y); fmtPct(acc) != "84.58" {
		t.Errorf("ht doctest accuracy %s%%, River 84.58%%", fmtPct(acc))
	}
	sea, sx, sy := dataset(t, "sea")
	m, err = models.NewClassifier("HoeffdingAdaptiveTreeClassifier", []string{"grace_period=100", "delta=1e-5",
		"leaf_prediction=nb", "nb_threshold=10", "seed=0"}, feature.NewSchema(sea...))
	if err != nil {
		t.Fatal(err)
	}
	if acc, _ := prequential(m, denseRows(sx, 1000), sy); fmtPct(acc) != "91.49" {
		t.Errorf("hat doctest accuracy %s%%, River 91.49%%", fmtPct(acc))
	}
	// Every parameter by River name.
	all := []string{"grace_period=50", "delta=0.001", "tau=0.1", "split_criterion=gini", "leaf_prediction=mc",
		"nb_threshold=5", "nominal_attributes=car", "max_depth=4", "n_splits=5", "binary_split=true",
		"min_branch_fraction=0.02", "max_share_to_split=0.95", "max_size=10", "memory_estimate_period=5000",
		"stop_mem_management=true", "remove_poor_attrs=true", "merit_preprune=false"}
	ht, err := models.NewClassifier("ht", all, schema)
	if err != nil {
		t.Fatal(err)
	}
	c := ht.(*HoeffdingTreeClassifier).c.cfg
	if c.gracePeriod != 50 || c.delta != 0.001 || c.tau != 0.1 || c.criterion != Gini || c.leafPrediction != MajorityClass ||
		c.nbThreshold != 5 || len(c.nominal) != 1 || c.nominal[0] != 4 || c.maxDepth != 4 || c.nSplits != 5 || !c.binarySplit ||
		c.minBranchFraction != 0.02 || c.maxShareToSplit != 0.95 || c.maxSizeMiB != 10 || c.memoryEstimatePeriod != 5000 ||
		!c.stopMemManagement || !c.removePoorAttrs || c.meritPreprune {
		t.Errorf("parameters not applied: %+v", c)
	}
	hat, err := models.NewClassifier("hat", append(all, "bootstrap_sampling=false", "drift_window_threshold=100",
		"switch_significance=0.01", "seed=7", "drift_detector.delta=0.01"), schema)
	if err != nil {
		t.Fatal(err)
	}
	hc := hat.(*HoeffdingAdaptiveTreeClassifier).c.cfg
	if hc.bootstrapSampling || hc.driftWindowThreshold != 100 || hc.switchSignificance != 0.01 || !hc.seeded || hc.seed != 7 {
		t.Errorf("HAT parameters not applied: %+v", hc)
	}
	for _, bad := range [][]string{
		{"grace_period=0"}, {"delta=2"}, {"split_criterion=entropy"}, {"leaf_prediction=knn"},
		{"nominal_attributes=nope"}, {"max_depth=-3"}, {"max_depth=deep"}, {"no_such_param=1"}, {"seed=3"},
	} {
		if _, err := models.NewClassifier("ht", bad, schema); err == nil {
			t.Errorf("ht %v: no error", bad)
		} else if !strings.Contains(err.Error(), strings.Split(bad[0], "=")[0]) {
			t.Errorf("ht %v: error %q does not name the parameter", bad, err)
		}
	}
	if _, err := models.NewClassifier("hat", []string{"max_depth=none", "seed=none"}, schema); err != nil {
		t.Errorf("none values: %v", err)
	}
}

func fmtPct(acc float64) string { return fmt.Sprintf("%.2f", 100*acc) }
