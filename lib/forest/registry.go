package forest

import (
	"sort"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/drift"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/models"
	"github.com/rivulet-ml/rivulet/lib/tree"
)

func init() {
	models.Register(models.Entry{
		Name:      "arf",
		RiverName: "ARFClassifier",
		Description: "River's forest.ARFClassifier (adaptive random forest). Forest: n_models=10 " +
			"max_features=sqrt|log2|none|int|float lambda_value=6 disable_weighted_vote=false " +
			"drift_detector.delta=0.001 warning_detector.delta=0.01 (drift_detector=none / warning_detector=none " +
			"disable them) seed=none workers=1 (rivulet: trees on n goroutines, same results). Trees: grace_period=50 " +
			"delta=0.01 tau=0.05 leaf_prediction=nba|nb|mc nb_threshold=0 nominal_attributes=a,b max_depth=none " +
			"split_criterion=info_gain|gini|hellinger n_splits=10 binary_split=false min_branch_fraction=0.01 " +
			"max_share_to_split=0.99 max_size=100 memory_estimate_period=2000000 stop_mem_management=false " +
			"remove_poor_attrs=false merit_preprune=true. The original project used leaf_prediction=mc.",
		Classifier: func(p *models.Params, s *feature.Schema) (base.Classifier, error) {
			opts, err := arfParams(p, s)
			if err != nil {
				return nil, err
			}
			return NewARFClassifier(opts...)
		},
	})
}

// arfParams reads ARFClassifier's parameters by their River names (see the
// "arf" entry of lib/models). Features the schema names are sorted by name
// when leaves draw their subsets, as River sorts string keys.
func arfParams(p *models.Params, s *feature.Schema) ([]Option, error) {
	tp := DefaultTreeParams()
	tp.GracePeriod = p.Int("grace_period", tp.GracePeriod)
	tp.Delta = p.Float("delta", tp.Delta)
	tp.Tau = p.Float("tau", tp.Tau)
	tp.SplitCriterion = tree.SplitCriterion(p.OneOf("split_criterion", "info_gain", "info_gain", "gini", "hellinger"))
	tp.LeafPrediction = tree.LeafPrediction(p.OneOf("leaf_prediction", "nba", "nba", "nb", "mc"))
	tp.NBThreshold = p.Int("nb_threshold", tp.NBThreshold)
	nominal := append(p.Nominal(s), s.Nominal()...)
	sort.Ints(nominal)
	tp.NominalAttributes = nominal
	tp.NSplits = p.Int("n_splits", tp.NSplits)
	tp.BinarySplit = p.Bool("binary_split", tp.BinarySplit)
	tp.MinBranchFraction = p.Float("min_branch_fraction", tp.MinBranchFraction)
	tp.MaxShareToSplit = p.Float("max_share_to_split", tp.MaxShareToSplit)
	tp.MaxSize = p.Float("max_size", tp.MaxSize)
	tp.MemoryEstimatePeriod = p.Int("memory_estimate_period", tp.MemoryEstimatePeriod)
	tp.StopMemManagement = p.Bool("stop_mem_management", tp.StopMemManagement)
	tp.RemovePoorAttrs = p.Bool("remove_poor_attrs", tp.RemovePoorAttrs)
	tp.MeritPreprune = p.Bool("merit_preprune", tp.MeritPreprune)
	if d, ok := p.OptionalInt("max_depth"); ok {
		if d < 0 {
			p.Fail("max_depth", "an integer >= 0 or none")
		}
		tp.MaxDepth = d
	}

	opts := []Option{
		WithTreeParams(tp),
		WithNModels(p.Int("n_models", 10)),
		WithLambda(p.Float("lambda_value", 6)),
		WithDisableWeightedVote(p.Bool("disable_weighted_vote", false)),
		WithWorkers(p.Int("workers", 1)),
	}
	if v := p.String("max_features", "sqrt"); v != "" {
		mf, err := ParseMaxFeatures(v)
		if err != nil {
			p.Fail("max_features", "sqrt, log2, none, an int or a float")
		}
		opts = append(opts, WithMaxFeatures(mf))
	}
	opts = append(opts,
		WithDriftDetector(detectorParam(p, "drift_detector", 0.001)),
		WithWarningDetector(detectorParam(p, "warning_detector", 0.01)))
	if seed, ok := p.OptionalInt("seed"); ok {
		opts = append(opts, WithSeed(int64(seed)))
	}
	if s != nil && s.Len() > 0 {
		opts = append(opts, WithFeatureNames(s))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return opts, nil
}

// detectorParam reads "name=adwin|none" and "name.delta": an ADWIN with
// that delta, or nil for none.
func detectorParam(p *models.Params, name string, delta float64) drift.Detector {
	kind := p.OneOf(name, "adwin", "adwin", "none")
	d := p.Sub(name).Float("delta", delta)
	if kind == "none" {
		return nil
	}
	a, err := drift.BuildADWIN(drift.WithDelta(d))
	if err != nil {
		p.Fail(name+".delta", "a number in (0, 1)")
		return nil
	}
	return a
}
