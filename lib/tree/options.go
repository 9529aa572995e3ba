package tree

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/rivulet-ml/rivulet/lib/drift"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

// SplitCriterion names a split criterion (River's split_criterion).
type SplitCriterion string

const (
	// InfoGain is the information gain criterion, River's default.
	InfoGain SplitCriterion = "info_gain"
	// Gini is the Gini impurity criterion.
	Gini SplitCriterion = "gini"
	// Hellinger is the Hellinger distance criterion (binary problems; it
	// compares classes 0 and 1).
	Hellinger SplitCriterion = "hellinger"
)

// LeafPrediction names how leaves predict (River's leaf_prediction).
type LeafPrediction string

const (
	// MajorityClass predicts the normalized class counts of the leaf.
	MajorityClass LeafPrediction = "mc"
	// NaiveBayes predicts with naive Bayes over the leaf's observers once
	// the leaf has seen nb_threshold weight.
	NaiveBayes LeafPrediction = "nb"
	// NaiveBayesAdaptive uses naive Bayes while it has been at least as
	// accurate as the majority class on the leaf's training data. Default.
	NaiveBayesAdaptive LeafPrediction = "nba"
)

// ErrOption is wrapped by every configuration error.
var ErrOption = errors.New("tree: invalid option")

// config holds every hyper-parameter. Field comments give River's names.
type config struct {
	gracePeriod          int            // grace_period
	maxDepth             int            // max_depth (-1 = unlimited, River's None)
	criterion            SplitCriterion // split_criterion
	delta                float64        // delta
	tau                  float64        // tau
	leafPrediction       LeafPrediction // leaf_prediction
	nbThreshold          int            // nb_threshold
	nominal              []int32        // nominal_attributes, sorted
	nSplits              int            // splitter=GaussianSplitter(n_splits)
	binarySplit          bool           // binary_split
	minBranchFraction    float64        // min_branch_fraction
	maxShareToSplit      float64        // max_share_to_split
	maxSizeMiB           float64        // max_size
	memoryEstimatePeriod int            // memory_estimate_period
	stopMemManagement    bool           // stop_mem_management
	removePoorAttrs      bool           // remove_poor_attrs
	meritPreprune        bool           // merit_preprune

	// Adaptive tree only.
	bootstrapSampling    bool           // bootstrap_sampling
	driftWindowThreshold int            // drift_window_threshold
	switchSignificance   float64        // switch_significance
	seed                 int64          // seed
	seeded               bool           // false: River's seed=None
	detector             drift.Detector // drift_detector prototype

	sampler *leafSampler // ARF's random-subspace leaves; nil for plain trees
}

func defaultConfig() config {
	return config{
		gracePeriod:          200,
		maxDepth:             -1,
		criterion:            InfoGain,
		delta:                1e-7,
		tau:                  0.05,
		leafPrediction:       NaiveBayesAdaptive,
		nSplits:              10,
		minBranchFraction:    0.01,
		maxShareToSplit:      0.99,
		maxSizeMiB:           100,
		memoryEstimatePeriod: 1_000_000,
		meritPreprune:        true,
		bootstrapSampling:    true,
		driftWindowThreshold: 300,
		switchSignificance:   0.05,
	}
}

// Option configures a HoeffdingTreeClassifier or a
// HoeffdingAdaptiveTreeClassifier. Options named after a HAT-only parameter
// are rejected by NewHoeffdingTreeClassifier.
type Option struct {
	name    string
	hatOnly bool
	apply   func(*config) error
}

func opt(name string, fn func(*config) error) Option { return Option{name: name, apply: fn} }
func hatOpt(name string, fn func(*config) error) Option {
	return Option{name: name, hatOnly: true, apply: fn}
}

func bad(name string, format string, args ...any) error {
	return fmt.Errorf("%w %s: %s", ErrOption, name, fmt.Sprintf(format, args...))
}

// WithGracePeriod sets how much weight a leaf must see between split
// attempts (River's grace_period, default 200).
func WithGracePeriod(n int) Option {
	return opt("grace_period", func(c *config) error {
		if n < 1 {
			return bad("grace_period", "%d, want >= 1", n)
		}
		c.gracePeriod = n
		return nil
	})
}

// WithMaxDepth limits the depth of the tree (River's max_depth; without
// the option the depth is unlimited, River's None). A leaf at depth >=
// max_depth stops growing, so 0 keeps the tree a single leaf. A negative n
// means unlimited.
func WithMaxDepth(n int) Option {
	return opt("max_depth", func(c *config) error {
		if n < 0 {
			n = -1
		}
		c.maxDepth = n
		return nil
	})
}

// WithSplitCriterion picks info_gain (default), gini or hellinger.
func WithSplitCriterion(s SplitCriterion) Option {
	return opt("split_criterion", func(c *config) error {
		switch s {
		case InfoGain, Gini, Hellinger:
			c.criterion = s
			return nil
		}
		// River prints a warning and falls back on info_gain; a typo in a
		// deployed configuration is better caught.
		return bad("split_criterion", "%q, want info_gain, gini or hellinger", s)
	})
}

// WithDelta sets the Hoeffding bound's significance δ (River's delta,
// default 1e-7).
func WithDelta(d float64) Option {
	return opt("delta", func(c *config) error {
		if !(d > 0 && d < 1) {
			return bad("delta", "%v, want 0 < delta < 1", d)
		}
		c.delta = d
		return nil
	})
}

// WithTau sets the tie-breaking threshold (River's tau, default 0.05).
func WithTau(t float64) Option {
	return opt("tau", func(c *config) error {
		if !(t >= 0) || math.IsInf(t, 0) {
			return bad("tau", "%v, want a finite value >= 0", t)
		}
		c.tau = t
		return nil
	})
}

// WithLeafPrediction picks mc, nb or nba (default).
func WithLeafPrediction(p LeafPrediction) Option {
	return opt("leaf_prediction", func(c *config) error {
		switch p {
		case MajorityClass, NaiveBayes, NaiveBayesAdaptive:
			c.leafPrediction = p
			return nil
		}
		return bad("leaf_prediction", "%q, want mc, nb or nba", p)
	})
}

// WithNBThreshold sets the weight a leaf needs before naive Bayes is used
// by nb leaves (River's nb_threshold, default 0).
func WithNBThreshold(n int) Option {
	return opt("nb_threshold", func(c *config) error {
		if n < 0 {
			return bad("nb_threshold", "%d, want >= 0", n)
		}
		c.nbThreshold = n
		return nil
	})
}

// WithNominalAttributes declares features (by index) as nominal (River's
// nominal_attributes). Their values are category codes compared for
// equality; every other feature is numeric.
func WithNominalAttributes(features ...int) Option {
	return opt("nominal_attributes", func(c *config) error {
		set := map[int32]bool{}
		for _, f := range features {
			if f < 0 || f > math.MaxInt32 {
				return bad("nominal_attributes", "feature index %d out of range", f)
			}
			set[int32(f)] = true
		}
		c.nominal = c.nominal[:0]
		for f := range set {
			c.nominal = append(c.nominal, f)
		}
		sort.Slice(c.nominal, func(a, b int) bool { return c.nominal[a] < c.nominal[b] })
		return nil
	})
}

// WithSplits sets the number of candidate thresholds of the Gaussian
// splitter (River's GaussianSplitter(n_splits), default 10).
func WithSplits(n int) Option {
	return opt("n_splits", func(c *config) error {
		if n < 1 || n > 1<<16 {
			return bad("n_splits", "%d, want 1..65536", n)
		}
		c.nSplits = n
		return nil
	})
}

// WithBinarySplit restricts nominal features to one-vs-rest splits
// (River's binary_split, default false).
func WithBinarySplit(b bool) Option {
	return opt("binary_split", func(c *config) error { c.binarySplit = b; return nil })
}

// WithMinBranchFraction sets the share of weight at least two branches of
// a candidate split must exceed (River's min_branch_fraction, default 0.01).
func WithMinBranchFraction(f float64) Option {
	return opt("min_branch_fraction", func(c *config) error {
		if !(f >= 0 && f < 1) {
			return bad("min_branch_fraction", "%v, want 0 <= f < 1", f)
		}
		c.minBranchFraction = f
		return nil
	})
}

// WithMaxShareToSplit sets the majority-class share above which a leaf is
// not split but deactivated (River's max_share_to_split, default 0.99).
func WithMaxShareToSplit(f float64) Option {
	return opt("max_share_to_split", func(c *config) error {
		if !(f > 0 && f <= 1) {
			return bad("max_share_to_split", "%v, want 0 < f <= 1", f)
		}
		c.maxShareToSplit = f
		return nil
	})
}

// WithMaxSize sets the memory budget in MiB (River's max_size, default 100).
func WithMaxSize(mib float64) Option {
	return opt("max_size", func(c *config) error {
		if !(mib > 0) || math.IsInf(mib, 0) {
			return bad("max_size", "%v MiB, want a finite value > 0", mib)
		}
		c.maxSizeMiB = mib
		return nil
	})
}

// WithMemoryEstimatePeriod sets how much training weight passes between
// memory checks (River's memory_estimate_period, default 1_000_000).
func WithMemoryEstimatePeriod(n int) Option {
	return opt("memory_estimate_period", func(c *config) error {
		if n < 1 {
			return bad("memory_estimate_period", "%d, want >= 1", n)
		}
		c.memoryEstimatePeriod = n
		return nil
	})
}

// WithStopMemManagement stops all growth once memory management would
// deactivate leaves (River's stop_mem_management, default false).
func WithStopMemManagement(b bool) Option {
	return opt("stop_mem_management", func(c *config) error { c.stopMemManagement = b; return nil })
}

// WithRemovePoorAttrs drops the observers of features whose merit trails
// the best by more than the Hoeffding bound (River's remove_poor_attrs,
// default false). As in River only majority-class leaves drop them: naive
// Bayes leaves need every observer.
func WithRemovePoorAttrs(b bool) Option {
	return opt("remove_poor_attrs", func(c *config) error { c.removePoorAttrs = b; return nil })
}

// WithMeritPreprune adds the "no split" candidate to every split attempt
// (River's merit_preprune, default true).
func WithMeritPreprune(b bool) Option {
	return opt("merit_preprune", func(c *config) error { c.meritPreprune = b; return nil })
}

// WithBootstrapSampling turns HAT's Poisson(1) bootstrap weighting of leaf
// updates on or off (River's bootstrap_sampling, default true).
func WithBootstrapSampling(b bool) Option {
	return hatOpt("bootstrap_sampling", func(c *config) error { c.bootstrapSampling = b; return nil })
}

// WithDriftWindowThreshold sets how many errors both a subtree and its
// alternate must have observed before they are compared (River's
// drift_window_threshold, default 300).
func WithDriftWindowThreshold(n int) Option {
	return hatOpt("drift_window_threshold", func(c *config) error {
		if n < 0 {
			return bad("drift_window_threshold", "%d, want >= 0", n)
		}
		c.driftWindowThreshold = n
		return nil
	})
}

// WithSwitchSignificance sets the significance of the subtree/alternate
// comparison (River's switch_significance, default 0.05).
func WithSwitchSignificance(s float64) Option {
	return hatOpt("switch_significance", func(c *config) error {
		if !(s > 0 && s < 1) {
			return bad("switch_significance", "%v, want 0 < s < 1", s)
		}
		c.switchSignificance = s
		return nil
	})
}

// WithSeed seeds HAT's bootstrap generator (River's seed). Without it the
// generator is seeded from the operating system, like River's seed=None.
func WithSeed(seed int64) Option {
	return hatOpt("seed", func(c *config) error { c.seed, c.seeded = seed, true; return nil })
}

// WithDriftDetector sets the prototype of the per-node drift detector
// (River's drift_detector, default ADWIN(delta=0.002)); every node gets a
// CloneFresh of it.
func WithDriftDetector(d drift.Detector) Option {
	return hatOpt("drift_detector", func(c *config) error {
		if d == nil {
			return bad("drift_detector", "nil detector")
		}
		c.detector = d.CloneFresh()
		return nil
	})
}

// FeatureOrder is how River's sorted(x.keys()) orders the features of a
// record, which decides which features a random-subspace leaf draws.
// River data sets key features either by integer (SEA, RandomRBF: numeric
// order, ByIndex) or by name (Agrawal, svmlight files: string order, ByName).
type FeatureOrder struct {
	byName bool
	schema *feature.Schema
}

// ByIndex orders features by index, as Python sorts integer keys.
var ByIndex = FeatureOrder{}

// ByName orders features by name, as Python sorts string keys (byte-wise).
// Names come from schema; features it does not name, and all features
// when schema is nil, are named by their decimal index, so that svmlight
// data orders "10" before "9" as River's string keys do.
func ByName(schema *feature.Schema) FeatureOrder { return FeatureOrder{byName: true, schema: schema} }

func (o FeatureOrder) less(a, b int) bool {
	if !o.byName {
		return a < b
	}
	return o.schema.Name(a) < o.schema.Name(b)
}

// WithLeafFeatureSampler turns every leaf into a random-subspace leaf, the
// building block of adaptive random forests (River's
// tree/nodes/arf_htc_nodes.py, BaseRandomLeaf; ARF's max_features).
//
// On its first update a leaf draws the features it will observe with
// River's rng.sample(sorted(x.keys()), k) from rng, which is shared with
// the caller and not owned by the tree: an ARF passes its forest-wide
// generator so that every draw happens in River's order. If the record has
// fewer than k features the leaf observes all of them. order must match
// the key type River would see (see FeatureOrder).
//
// Only the split observers (and therefore naive Bayes) are restricted;
// routing and class counts use the whole record, as in River. Clones made
// by CloneFresh share rng. Snapshots include rng's state; an owner that
// snapshots rng itself uses EncodeShared and DecodeHoeffdingTreeShared.
func WithLeafFeatureSampler(rng *pyrand.Rand, k int, order FeatureOrder) Option {
	return opt("max_features", func(c *config) error {
		if rng == nil {
			return bad("max_features", "nil generator")
		}
		if k < 1 {
			return bad("max_features", "%d, want >= 1", k)
		}
		c.sampler = &leafSampler{rng: rng, k: k, order: order}
		return nil
	})
}

func buildConfig(hat bool, opts []Option) (config, error) {
	c := defaultConfig()
	for _, o := range opts {
		if o.apply == nil {
			return c, bad("(zero Option)", "use the With... constructors")
		}
		if o.hatOnly && !hat {
			return c, bad(o.name, "applies to HoeffdingAdaptiveTreeClassifier only")
		}
		if err := o.apply(&c); err != nil {
			return c, err
		}
	}
	if hat && c.detector == nil {
		c.detector = drift.NewADWIN(drift.WithDelta(0.002))
	}
	return c, nil
}

func (c *config) isNominal(f int32) bool {
	n := c.nominal
	i := sort.Search(len(n), func(i int) bool { return n[i] >= f })
	return i < len(n) && n[i] == f
}

// depthLimit is the depth at which leaves stop growing. River's None is
// sys.getrecursionlimit()-20 (980 by default); no stream reaches either.
func (c *config) depthLimit() int {
	if c.maxDepth < 0 {
		return math.MaxInt32
	}
	return c.maxDepth
}

func (c *config) maxBytes() float64 { return c.maxSizeMiB * (1 << 20) }
