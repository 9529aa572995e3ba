package forest

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/drift"
	"github.com/rivulet-ml/rivulet/lib/ensemble"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
	"github.com/rivulet-ml/rivulet/lib/tree"
)

// Option configures an ARFClassifier.
type Option func(*config) error

type config struct {
	nModels             int
	maxFeatures         MaxFeatures
	lambda              float64
	disableWeightedVote bool
	driftProto          drift.Detector // nil: drift detection off
	warningProto        drift.Detector // nil: no background trees
	tree                TreeParams
	names               *feature.Schema // non-nil: River's keys are these names
	seed                int64
	seeded              bool
	workers             int
}

// WithNModels sets n_models, the number of trees (default 10).
func WithNModels(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("forest: n_models must be at least 1, got %d", n)
		}
		c.nModels = n
		return nil
	}
}

// WithMaxFeatures sets max_features (default MaxFeaturesSqrt).
func WithMaxFeatures(f MaxFeatures) Option {
	return func(c *config) error { c.maxFeatures = f; return nil }
}

// WithLambda sets lambda_value, the Poisson rate of leveraging bagging
// (default 6).
func WithLambda(lambda float64) Option {
	return func(c *config) error {
		if !(lambda > 0) {
			return fmt.Errorf("forest: lambda_value must be positive, got %v", lambda)
		}
		c.lambda = lambda
		return nil
	}
}

// WithDisableWeightedVote makes every tree's vote count the same instead of
// being weighted by the tree's accuracy.
func WithDisableWeightedVote(b bool) Option {
	return func(c *config) error { c.disableWeightedVote = b; return nil }
}

// WithDriftDetector sets the prototype drift detector, cloned per tree
// (default ADWIN(delta=0.001)); nil disables drift detection (River's
// NoDrift), which leaves the trees unchanged forever.
func WithDriftDetector(d drift.Detector) Option {
	return func(c *config) error { c.driftProto = d; return nil }
}

// WithWarningDetector sets the prototype warning detector, cloned per tree
// (default ADWIN(delta=0.01)); nil disables warnings and background trees,
// so a drift resets the tree.
func WithWarningDetector(d drift.Detector) Option {
	return func(c *config) error { c.warningProto = d; return nil }
}

// TreeParams are the member trees' parameters, named after River's (see
// lib/tree for their meaning). DefaultTreeParams gives ARF's defaults.
type TreeParams struct {
	GracePeriod          int                 // grace_period (50)
	MaxDepth             int                 // max_depth (-1: None, unlimited)
	SplitCriterion       tree.SplitCriterion // split_criterion (info_gain)
	Delta                float64             // delta (0.01)
	Tau                  float64             // tau (0.05)
	LeafPrediction       tree.LeafPrediction // leaf_prediction (nba)
	NBThreshold          int                 // nb_threshold (0)
	NominalAttributes    []int               // nominal_attributes (none)
	NSplits              int                 // splitter=GaussianSplitter(n_splits) (10)
	BinarySplit          bool                // binary_split (false)
	MinBranchFraction    float64             // min_branch_fraction (0.01)
	MaxShareToSplit      float64             // max_share_to_split (0.99)
	MaxSize              float64             // max_size in MiB (100)
	MemoryEstimatePeriod int                 // memory_estimate_period (2_000_000)
	StopMemManagement    bool                // stop_mem_management (false)
	RemovePoorAttrs      bool                // remove_poor_attrs (false)
	MeritPreprune        bool                // merit_preprune (true)
}

// DefaultTreeParams returns River's ARFClassifier tree defaults (which
// differ from a lone Hoeffding tree's in grace_period, delta and
// memory_estimate_period).
func DefaultTreeParams() TreeParams {
	return TreeParams{
		GracePeriod:          50,
		MaxDepth:             -1,
		SplitCriterion:       tree.InfoGain,
		Delta:                0.01,
		Tau:                  0.05,
		LeafPrediction:       tree.NaiveBayesAdaptive,
		NSplits:              10,
		MinBranchFraction:    0.01,
		MaxShareToSplit:      0.99,
		MaxSize:              100,
		MemoryEstimatePeriod: 2_000_000,
		MeritPreprune:        true,
	}
}

func (p *TreeParams) options() []tree.Option {
	return []tree.Option{
		tree.WithGracePeriod(p.GracePeriod),
		tree.WithMaxDepth(p.MaxDepth),
		tree.WithSplitCriterion(p.SplitCriterion),
		tree.WithDelta(p.Delta),
		tree.WithTau(p.Tau),
		tree.WithLeafPrediction(p.LeafPrediction),
		tree.WithNBThreshold(p.NBThreshold),
		tree.WithNominalAttributes(p.NominalAttributes...),
		tree.WithSplits(p.NSplits),
		tree.WithBinarySplit(p.BinarySplit),
		tree.WithMinBranchFraction(p.MinBranchFraction),
		tree.WithMaxShareToSplit(p.MaxShareToSplit),
		tree.WithMaxSize(p.MaxSize),
		tree.WithMemoryEstimatePeriod(p.MemoryEstimatePeriod),
		tree.WithStopMemManagement(p.StopMemManagement),
		tree.WithRemovePoorAttrs(p.RemovePoorAttrs),
		tree.WithMeritPreprune(p.MeritPreprune),
	}
}

// WithTreeParams sets the member trees' parameters (default
// DefaultTreeParams()). Change fields of DefaultTreeParams() rather than
// starting from a zero TreeParams.
func WithTreeParams(p TreeParams) Option {
	return func(c *config) error {
		p.NominalAttributes = append([]int(nil), p.NominalAttributes...)
		c.tree = p
		return nil
	}
}

// WithFeatureNames says River would key the features by these names, which
// decides the order of River's sorted(x.keys()) when a leaf draws its
// random subset (Agrawal's "age" < "car" < ...). Without it features are
// sorted by index, River's order for integer keys (SEA, Hyperplane,
// RandomRBF, svmlight files read with integer keys). lib/models passes the
// data set's schema.
func WithFeatureNames(schema *feature.Schema) Option {
	return func(c *config) error { c.names = schema; return nil }
}

// WithSeed seeds the forest's CPython-compatible generator (River's seed).
// Without it the generator is seeded from the operating system.
func WithSeed(seed int64) Option {
	return func(c *config) error { c.seed, c.seeded = seed, true; return nil }
}

// WithWorkers lets the trees predict and learn on n goroutines (n < 1: one
// per CPU). Results do not depend on n. Default 1.
func WithWorkers(n int) Option {
	return func(c *config) error { c.workers = n; return nil }
}

// ARFClassifier is River's forest.ARFClassifier (Adaptive Random Forest):
// Hoeffding trees whose leaves observe random feature subsets, trained with
// leveraging bagging (Poisson(λ) weights), each with a warning detector
// that starts a background tree and a drift detector that replaces the
// tree by it. See the package documentation.
type ARFClassifier struct {
	cfg         config
	rng         *pyrand.Rand
	maxFeatures int // resolved on the first record; 0 before
	proto       *tree.HoeffdingTreeClassifier
	members     []*member
	workers     *ensemble.Workers
	poisson     ensemble.Poisson

	// look indexes the sparse record being predicted or learnt: each tree
	// looks up its leaf's sampled features and its branches' features in
	// it (ten or so per tree), and a hash lookup beats a binary search of
	// the record. pendLook does the same for pendX.
	look, pendLook feature.SparseLookup

	// scratch and per-record state of the parallel phases
	curX    feature.Vector
	sumBuf  []float64
	predFn  func(int)
	learnFn func(int)
	probaFn func(int)
	// memo is the record of the last PredictProbaOne: learning on the same
	// record takes the trees' votes from the distributions it left, and,
	// if drawsKnown, draws.
	memo       ensemble.RecordMemo
	drawsKnown bool

	// With workers, the trees' learning of a record is deferred to the next
	// call and fused with its per-tree work (learn the previous record, then
	// predict this one, in one parallel phase), halving the hand-overs per
	// record. pendX is a copy: the caller may reuse its buffer. The
	// members' per-record work (prediction from proba, metric, training,
	// drift detectors) all runs in the parallel phase; the caller only
	// draws: ks are the Poisson weights, draws[i] says whether tree i's
	// learning may draw a leaf's feature subset (known from the prediction
	// phase).
	pending                   bool
	pendX                     feature.Vector
	pendIdx                   []int32
	pendY                     int
	pendFromProba             bool // members take pred from their proba of pendX
	ks                        []int
	draws                     []bool
	votes                     []*voteRow
	fusedPredFn, fusedProbaFn func(int)
}

type member struct {
	tree      *tree.HoeffdingTreeClassifier
	bg        *tree.HoeffdingTreeClassifier
	metric    ensemble.Accuracy
	drift     ensemble.TrackedDetector
	warning   ensemble.TrackedDetector
	nDrifts   int
	nWarnings int

	pred  int // prediction before training on the current record
	k     int // Poisson weight drawn for the current record
	proba []float64
}

// NewARFClassifier returns an adaptive random forest with River's defaults
// changed by opts. Tree options are checked here, by building a tree.
func NewARFClassifier(opts ...Option) (*ARFClassifier, error) {
	c := config{
		nModels:      10,
		maxFeatures:  MaxFeaturesSqrt,
		lambda:       6,
		driftProto:   drift.NewADWIN(drift.WithDelta(0.001)),
		warningProto: drift.NewADWIN(drift.WithDelta(0.01)),
		tree:         DefaultTreeParams(),
		workers:      1,
	}
	for _, o := range opts {
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	// Validate the tree options now rather than on the first record.
	if _, err := newTree(&c, 1, pyrand.New(0)); err != nil {
		return nil, err
	}
	f := &ARFClassifier{cfg: c}
	if c.seeded {
		f.rng = pyrand.New(c.seed)
	} else {
		f.rng = pyrand.NewUnseeded()
	}
	f.SetWorkers(c.workers)
	return f, nil
}

func newTree(c *config, maxFeatures int, rng *pyrand.Rand) (*tree.HoeffdingTreeClassifier, error) {
	order := tree.ByIndex
	if c.names != nil {
		order = tree.ByName(c.names)
	}
	opts := append(c.tree.options(), tree.WithLeafFeatureSampler(rng, maxFeatures, order))
	t, err := tree.NewHoeffdingTreeClassifier(opts...)
	if err != nil {
		return nil, fmt.Errorf("forest: %w", err)
	}
	return t, nil
}

// SetWorkers changes how many goroutines the trees run on (n < 1: one per
// CPU). Results do not depend on it.
func (f *ARFClassifier) SetWorkers(n int) {
	f.flush()
	f.workers, f.cfg.workers = ensemble.ReplaceWorkers(f, f.workers, n)
	f.predFn, f.learnFn, f.probaFn = f.predictTask, f.learnTask, f.probaTask
	f.fusedPredFn = func(i int) { f.learnTask(i); f.predictTask(i) }
	f.fusedProbaFn = func(i int) { f.learnTask(i); f.probaTask(i) }
}

// Close stops the worker goroutines, if any; the forest stays usable.
func (f *ARFClassifier) Close() { f.SetWorkers(1) }

// Reseed restarts the forest's generator from seed. Call it before training.
func (f *ARFClassifier) Reseed(seed int64) {
	f.cfg.seed, f.cfg.seeded = seed, true
	f.rng = pyrand.New(seed)
}

// CloneFresh returns an untrained forest with the same parameters (River's
// clone(): a seeded forest restarts from its seed).
func (f *ARFClassifier) CloneFresh() base.Classifier {
	out := &ARFClassifier{cfg: f.cfg}
	if out.cfg.seeded {
		out.rng = pyrand.New(out.cfg.seed)
	} else {
		out.rng = pyrand.NewUnseeded()
	}
	out.SetWorkers(out.cfg.workers)
	return out
}

// NModels is the number of trees.
func (f *ARFClassifier) NModels() int { return f.cfg.nModels }

// MaxFeaturesResolved is the number of features each leaf observes, fixed
// by the first record (0 before it).
func (f *ARFClassifier) MaxFeaturesResolved() int { return f.maxFeatures }

// Trees returns the member trees (read-only use).
func (f *ARFClassifier) Trees() []*tree.HoeffdingTreeClassifier {
	f.flush()
	out := make([]*tree.HoeffdingTreeClassifier, len(f.members))
	for i, m := range f.members {
		out[i] = m.tree
	}
	return out
}

// NWarningsDetected is the number of warnings of all trees (River's
// n_warnings_detected()).
func (f *ARFClassifier) NWarningsDetected() int {
	f.flush()
	n := 0
	for _, m := range f.members {
		n += m.nWarnings
	}
	return n
}

// NDriftsDetected is the number of drifts of all trees.
func (f *ARFClassifier) NDriftsDetected() int {
	f.flush()
	n := 0
	for _, m := range f.members {
		n += m.nDrifts
	}
	return n
}

// initForest is River's _init_ensemble: max_features from the number of
// features of the first record, then n_models fresh trees sharing the
// forest's generator. No random number is drawn.
func (f *ARFClassifier) initForest(x feature.Vector) {
	f.maxFeatures = f.cfg.maxFeatures.resolve(x.NumPresent())
	// River keeps max_features = 0 for an empty first record and then
	// samples nothing; a sampler needs at least one feature.
	proto, err := newTree(&f.cfg, max(f.maxFeatures, 1), f.rng)
	if err != nil {
		panic(err) // validated in NewARFClassifier
	}
	f.proto = proto
	f.poisson = ensemble.NewPoisson(f.cfg.lambda)
	f.members = make([]*member, f.cfg.nModels)
	f.allocScratch()
	for i := range f.members {
		f.members[i] = &member{
			tree:    f.freshTree(),
			drift:   ensemble.NewTracked(f.cfg.driftProto),
			warning: ensemble.NewTracked(f.cfg.warningProto),
		}
	}
}

// allocScratch sizes the per-member scratch of the parallel phases.
func (f *ARFClassifier) allocScratch() {
	n := len(f.members)
	f.ks, f.draws, f.votes = make([]int, n), make([]bool, n), make([]*voteRow, n)
	for i := range f.votes {
		f.votes[i] = &voteRow{}
	}
}

func (f *ARFClassifier) freshTree() *tree.HoeffdingTreeClassifier {
	return f.proto.CloneFresh().(*tree.HoeffdingTreeClassifier)
}

// LearnOne trains the forest on one record.
func (f *ARFClassifier) LearnOne(x feature.Vector, y int) { f.learn(x, y) }

// LearnWeighted trains on one record; like River's ARF it ignores the
// weight (leveraging bagging draws the trees' weights).
func (f *ARFClassifier) LearnWeighted(x feature.Vector, y int, _ float64) { f.learn(x, y) }

func (f *ARFClassifier) learn(x feature.Vector, y int) {
	ensemble.CheckClass(y) // with workers the trees learn later, on the team
	if len(f.members) == 0 {
		f.initForest(x)
	}
	memoHit := f.memo.Matches(x)
	if memoHit {
		x = f.look.Rebind(x) // PredictProbaOne indexed this record
	} else {
		x = f.look.Attach(x)
	}
	f.memo.Invalidate()
	if f.workers == nil {
		if memoHit {
			for _, m := range f.members {
				m.pred = ensemble.PredictFromProba(m.tree, x, m.proba)
			}
		}
		for _, m := range f.members {
			if !memoHit {
				m.pred = m.tree.PredictOne(x)
			}
			m.metric.Update(y, m.pred)
			m.k = f.poisson.Draw(f.rng)
			if m.k > 0 {
				f.train(m, x, y)
			}
		}
		return
	}
	f.curX = x
	// Predictions first: preparing a tree can add a leaf that would change
	// them. They also tell which trees may draw a leaf's feature subset
	// while learning (rare: a leaf that has not learnt yet). A deferred
	// learn runs first, tree by tree.
	fromProba := memoHit && f.drawsKnown
	switch {
	case f.pending:
		f.workers.Run(len(f.members), f.fusedPredFn)
		f.pending = false
	case !fromProba:
		f.workers.Run(len(f.members), f.predFn)
	}
	// River's draws in River's order, on this goroutine: each tree's
	// Poisson weight, then the subset draws its learning makes. The trees
	// then learn in parallel, drawing nothing, in the next call's phase.
	for i, m := range f.members {
		k := f.poisson.Draw(f.rng)
		f.ks[i] = k
		if k > 0 && f.draws[i] {
			if m.bg != nil {
				m.bg.PrepareLearn(x)
			}
			m.tree.PrepareLearn(x)
		}
	}
	f.pendFromProba = fromProba
	f.curX = feature.Vector{}
	f.pendX.Val = append(f.pendX.Val[:0], x.Val...)
	f.pendX.Idx = nil
	if x.Idx != nil {
		f.pendIdx = append(f.pendIdx[:0], x.Idx...)
		f.pendX.Idx = f.pendIdx
	}
	f.pendX = f.pendLook.Attach(f.pendX)
	f.pendY = y
	f.pending = true
}

// flush runs a deferred learn on its own.
func (f *ARFClassifier) flush() {
	if f.pending {
		f.pending = false
		f.workers.Run(len(f.members), f.learnFn)
	}
}

func (f *ARFClassifier) predictTask(i int) {
	m := f.members[i]
	m.pred = m.tree.PredictOne(f.curX)
	f.draws[i] = f.mayDraw(m, f.curX)
}

// mayDraw is whether learning x may make m's trees draw random numbers.
func (f *ARFClassifier) mayDraw(m *member, x feature.Vector) bool {
	return m.tree.LearnMayDraw(x) || (m.bg != nil && m.bg.LearnMayDraw(x))
}

// learnTask is member i's share of learning the deferred record: its
// prediction, metric, and with a positive weight its training.
func (f *ARFClassifier) learnTask(i int) {
	m := f.members[i]
	if f.pendFromProba {
		m.pred = ensemble.PredictFromProba(m.tree, f.pendX, m.proba)
	}
	m.metric.Update(f.pendY, m.pred)
	if m.k = f.ks[i]; m.k > 0 {
		f.train(m, f.pendX, f.pendY)
	}
}

// train is the k > 0 branch of River's BaseForest.learn_one for one tree:
// the background tree learns, then the tree, both with weight k; the
// detectors see whether the prediction made before training was wrong.
func (f *ARFClassifier) train(m *member, x feature.Vector, y int) {
	w := float64(m.k)
	if m.bg != nil {
		m.bg.LearnWeighted(x, y, w)
	}
	m.tree.LearnWeighted(x, y, w)
	in := 0.0
	if m.pred != y {
		in = 1
	}
	if m.warning.Enabled() && m.warning.Update(in) {
		m.bg = f.freshTree()
		m.warning.Reset()
		m.nWarnings++
	}
	if m.drift.Enabled() && m.drift.Update(in) {
		if m.warning.Enabled() && m.bg != nil {
			m.tree, m.bg = m.bg, nil
			m.warning.Reset()
		} else {
			m.tree = f.freshTree()
		}
		m.drift.Reset()
		m.metric = ensemble.Accuracy{}
		m.nDrifts++
	}
}

func (f *ARFClassifier) probaTask(i int) {
	m := f.members[i]
	m.proba = m.tree.PredictProbaOne(f.curX, m.proba)
	f.draws[i] = f.mayDraw(m, f.curX) // for a learn on the same record
	// The member's weighted vote, in a row of its own: the caller sums
	// the rows and never touches the member, whose data stays in its
	// goroutine's cache.
	w := f.voteWeight(m)
	row := f.votes[i]
	row.n = len(m.proba)
	if cap(row.v) < row.n {
		row.v = make([]float64, row.n, max(row.n, 8))
	}
	row.v = row.v[:row.n]
	for c, p := range m.proba {
		row.v[c] = p * w
	}
}

// voteWeight is the member's weight in the forest's vote: its accuracy
// when positive, unless weighted voting is disabled.
func (f *ARFClassifier) voteWeight(m *member) float64 {
	if acc := m.metric.Get(); !f.cfg.disableWeightedVote && acc > 0 {
		return acc
	}
	return 1
}

// voteRow is one member's weighted class distribution for the caller to
// sum, padded to a cache line so that members' rows do not share one.
type voteRow struct {
	v []float64
	n int
	_ [32]byte
}

// PredictProbaOne sums the trees' class distributions, each weighted by the
// tree's accuracy when that is positive (unless weighted voting is
// disabled), and normalizes. The first call builds the forest, as River's.
func (f *ARFClassifier) PredictProbaOne(x feature.Vector, dst []float64) []float64 {
	if len(f.members) == 0 {
		f.initForest(x)
		return dst[:0]
	}
	f.drawsKnown = f.workers != nil
	x = f.look.Attach(x)
	if f.workers != nil {
		f.curX = x
		if f.pending {
			f.workers.Run(len(f.members), f.fusedProbaFn)
			f.pending = false
		} else {
			f.workers.Run(len(f.members), f.probaFn)
		}
		f.curX = feature.Vector{}
	} else {
		for _, m := range f.members {
			m.proba = m.tree.PredictProbaOne(x, m.proba)
		}
	}
	dst = dst[:0]
	if f.workers != nil {
		// The same sums in the same order, from the members' rows.
		for i := range f.members {
			row := f.votes[i]
			for len(dst) < row.n {
				dst = append(dst, 0)
			}
			for c, pw := range row.v[:row.n] {
				dst[c] += pw
			}
		}
	} else {
		for _, m := range f.members {
			w := f.voteWeight(m)
			for len(dst) < len(m.proba) {
				dst = append(dst, 0)
			}
			for c, p := range m.proba {
				dst[c] += p * w
			}
		}
	}
	base.Normalize(dst) // the sums are never negative
	f.memo.Store(x)
	return dst
}

// PredictOne returns the most probable class (the lowest on ties), or -1
// before any tree has learnt.
func (f *ARFClassifier) PredictOne(x feature.Vector) int {
	f.sumBuf = f.PredictProbaOne(x, f.sumBuf)
	return base.Argmax(f.sumBuf)
}

// MemoryBytes estimates the heap footprint of the trees, background trees
// and detectors.
func (f *ARFClassifier) MemoryBytes() int64 {
	f.flush()
	var n int64 = 256
	for _, m := range f.members {
		n += 160 + int64(8*cap(m.proba))
		n += m.tree.MemoryBytes()
		if m.bg != nil {
			n += m.bg.MemoryBytes()
		}
		for _, d := range []drift.Detector{m.drift.Det, m.warning.Det} {
			if r, ok := d.(base.MemoryReporter); ok {
				n += r.MemoryBytes()
			}
		}
	}
	return n
}
