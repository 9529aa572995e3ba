package tree

import (
	"sort"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/drift"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/models"
)

func init() {
	models.Register(models.Entry{
		Name:      "ht",
		RiverName: "HoeffdingTreeClassifier",
		Description: "River's tree.HoeffdingTreeClassifier (VFDT). Parameters: grace_period=200 delta=1e-7 tau=0.05 " +
			"split_criterion=info_gain|gini|hellinger leaf_prediction=nba|nb|mc nb_threshold=0 nominal_attributes=a,b " +
			"max_depth=none n_splits=10 binary_split=false min_branch_fraction=0.01 max_share_to_split=0.99 " +
			"max_size=100 (MiB) memory_estimate_period=1000000 stop_mem_management=false remove_poor_attrs=false " +
			"merit_preprune=true",
		Classifier: func(p *models.Params, s *feature.Schema) (base.Classifier, error) {
			opts := treeParams(p, s)
			if err := p.Err(); err != nil {
				return nil, err
			}
			return NewHoeffdingTreeClassifier(opts...)
		},
	})
	models.Register(models.Entry{
		Name:      "hat",
		RiverName: "HoeffdingAdaptiveTreeClassifier",
		Description: "River's tree.HoeffdingAdaptiveTreeClassifier (HAT): the ht parameters plus " +
			"bootstrap_sampling=true drift_window_threshold=300 switch_significance=0.05 seed=none " +
			"drift_detector.delta=0.002 (ADWIN per node)",
		Classifier: func(p *models.Params, s *feature.Schema) (base.Classifier, error) {
			opts := treeParams(p, s)
			opts = append(opts,
				WithBootstrapSampling(p.Bool("bootstrap_sampling", true)),
				WithDriftWindowThreshold(p.Int("drift_window_threshold", 300)),
				WithSwitchSignificance(p.Float("switch_significance", 0.05)))
			if seed, ok := p.OptionalInt("seed"); ok {
				opts = append(opts, WithSeed(int64(seed)))
			}
			if dp := p.Sub("drift_detector"); dp.Has("delta") {
				opts = append(opts, WithDriftDetector(drift.NewADWIN(drift.WithDelta(dp.Float("delta", 0.002)))))
			}
			if err := p.Err(); err != nil {
				return nil, err
			}
			return NewHoeffdingAdaptiveTreeClassifier(opts...)
		},
	})
}

// treeParams reads the parameters both trees share, by River name.
// Features the schema marks nominal (string categories) are nominal even
// when not listed, as River treats non-numeric values as nominal.
func treeParams(p *models.Params, s *feature.Schema) []Option {
	nominal := append(p.Nominal(s), s.Nominal()...)
	sort.Ints(nominal)
	opts := []Option{
		WithGracePeriod(p.Int("grace_period", 200)),
		WithDelta(p.Float("delta", 1e-7)),
		WithTau(p.Float("tau", 0.05)),
		WithSplitCriterion(SplitCriterion(p.OneOf("split_criterion", "info_gain", "info_gain", "gini", "hellinger"))),
		WithLeafPrediction(LeafPrediction(p.OneOf("leaf_prediction", "nba", "nba", "nb", "mc"))),
		WithNBThreshold(p.Int("nb_threshold", 0)),
		WithNominalAttributes(nominal...),
		WithSplits(p.Int("n_splits", 10)),
		WithBinarySplit(p.Bool("binary_split", false)),
		WithMinBranchFraction(p.Float("min_branch_fraction", 0.01)),
		WithMaxShareToSplit(p.Float("max_share_to_split", 0.99)),
		WithMaxSize(p.Float("max_size", 100)),
		WithMemoryEstimatePeriod(p.Int("memory_estimate_period", 1_000_000)),
		WithStopMemManagement(p.Bool("stop_mem_management", false)),
		WithRemovePoorAttrs(p.Bool("remove_poor_attrs", false)),
		WithMeritPreprune(p.Bool("merit_preprune", true)),
	}
	if d, ok := p.OptionalInt("max_depth"); ok {
		if d < 0 {
			p.Fail("max_depth", "an integer >= 0 or none")
		}
		opts = append(opts, WithMaxDepth(d))
	}
	return opts
}
