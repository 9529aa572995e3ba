package ensemble

import (
	"fmt"
	"math"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/drift"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
	"github.com/rivulet-ml/rivulet/lib/tree"
)

// TrainingMethod is SRP's training_method.
type TrainingMethod uint8

const (
	// Patches trains each member on a random subspace with Poisson(λ)
	// resampling (River's "patches", the default).
	Patches TrainingMethod = iota
	// Subspaces trains each member on a random subspace, every record once.
	Subspaces
	// Resampling trains each member on all features with Poisson(λ)
	// resampling.
	Resampling
)

func (t TrainingMethod) String() string {
	switch t {
	case Subspaces:
		return "subspaces"
	case Resampling:
		return "resampling"
	}
	return "patches"
}

// ParseTrainingMethod reads "patches", "subspaces" or "resampling".
func ParseTrainingMethod(s string) (TrainingMethod, error) {
	for _, t := range []TrainingMethod{Patches, Subspaces, Resampling} {
		if s == t.String() {
			return t, nil
		}
	}
	return 0, fmt.Errorf("training_method %q: want patches, subspaces or resampling", s)
}

// DetectorMode is SRP's disable_detector.
type DetectorMode uint8

const (
	// DetectorsOn uses drift and warning detectors ("off": nothing disabled).
	DetectorsOn DetectorMode = iota
	// NoDriftDetection disables drift detection and background learners ("drift").
	NoDriftDetection
	// NoWarningDetection disables background learners; members are reset on
	// drift ("warning").
	NoWarningDetection
)

func (m DetectorMode) String() string {
	switch m {
	case NoDriftDetection:
		return "drift"
	case NoWarningDetection:
		return "warning"
	}
	return "off"
}

// ParseDetectorMode reads River's disable_detector values "off", "drift"
// and "warning".
func ParseDetectorMode(s string) (DetectorMode, error) {
	for _, m := range []DetectorMode{DetectorsOn, NoDriftDetection, NoWarningDetection} {
		if s == m.String() {
			return m, nil
		}
	}
	return 0, fmt.Errorf("disable_detector %q: want off, drift or warning", s)
}

// DefaultSRPModel returns SRP's default base model, River's
// HoeffdingTreeClassifier(grace_period=50, delta=0.01).
func DefaultSRPModel() base.Classifier {
	t, err := tree.NewHoeffdingTreeClassifier(tree.WithGracePeriod(50), tree.WithDelta(0.01))
	if err != nil {
		panic(err) // constant, valid parameters
	}
	return t
}

// SRPOption configures an SRPClassifier.
type SRPOption func(*srpConfig)

type srpConfig struct {
	model               base.Classifier
	nModels             int
	subspace            SubspaceSize
	method              TrainingMethod
	lambda              float64
	driftProto          drift.Detector
	warningProto        drift.Detector
	detectorMode        DetectorMode
	disableWeightedVote bool
	seed                int64
	seeded              bool
	weightedLearning    bool
	workers             int
}

// WithModel sets the base classifier, cloned (CloneFresh) for every
// member. It must implement base.Cloner and snapshot.Model. Default:
// DefaultSRPModel.
func WithModel(m base.Classifier) SRPOption { return func(c *srpConfig) { c.model = m } }

// WithNModels sets n_models (default 10).
func WithNModels(n int) SRPOption { return func(c *srpConfig) { c.nModels = n } }

// WithSubspaceSize sets subspace_size (default SubspaceFraction(0.6)).
func WithSubspaceSize(z SubspaceSize) SRPOption { return func(c *srpConfig) { c.subspace = z } }

// WithTrainingMethod sets training_method (default Patches).
func WithTrainingMethod(t TrainingMethod) SRPOption { return func(c *srpConfig) { c.method = t } }

// WithLambda sets lam, the Poisson rate of the resampling (default 6).
func WithLambda(lam float64) SRPOption { return func(c *srpConfig) { c.lambda = lam } }

// WithDriftDetector sets the prototype drift detector, cloned per member
// (default ADWIN(delta=1e-5)).
func WithDriftDetector(d drift.Detector) SRPOption { return func(c *srpConfig) { c.driftProto = d } }

// WithWarningDetector sets the prototype warning detector, cloned per
// member (default ADWIN(delta=1e-4)).
func WithWarningDetector(d drift.Detector) SRPOption {
	return func(c *srpConfig) { c.warningProto = d }
}

// WithDetectorMode sets disable_detector (default DetectorsOn).
func WithDetectorMode(m DetectorMode) SRPOption { return func(c *srpConfig) { c.detectorMode = m } }

// WithDisableWeightedVote makes every member's vote count the same instead
// of being weighted by its accuracy.
func WithDisableWeightedVote(b bool) SRPOption {
	return func(c *srpConfig) { c.disableWeightedVote = b }
}

// WithSeed seeds the ensemble's CPython-compatible generator (River's
// seed). Without it the generator is seeded from the operating system.
func WithSeed(seed int64) SRPOption {
	return func(c *srpConfig) { c.seed, c.seeded = seed, true }
}

// WithWeightedLearning chooses MOA's training: a member drawn k times by
// the Poisson resampling learns the record once with weight k. The default
// (false) is River's: it calls the base model's LearnOne k times, which is
// slower (about λ=6 updates per member and record) but reproduces River.
func WithWeightedLearning(b bool) SRPOption {
	return func(c *srpConfig) { c.weightedLearning = b }
}

// WithWorkers lets members learn and predict on n goroutines (n < 1: one
// per CPU). Results do not depend on n: random numbers are drawn in River's
// order on the calling goroutine, and members share no mutable state while
// they run. Default 1.
func WithWorkers(n int) SRPOption { return func(c *srpConfig) { c.workers = n } }

// SRPClassifier is River's ensemble.SRPClassifier (Streaming Random
// Patches): members trained on random feature subspaces and Poisson(λ)
// resampling, each with drift and warning detectors and a background
// learner started on a warning. See the package documentation for the
// River details it follows and where it departs.
type SRPClassifier struct {
	cfg     srpConfig
	method  TrainingMethod // cfg.method, or Resampling after River's fallback
	rng     *pyrand.Rand
	poisson Poisson
	members []*srpMember
	nSeen   int
	workers *Workers

	// scratch
	keys   []int
	draws  []int
	sumBuf []float64
	order  []int // classes in the order River's Counter of votes lists them
	// state of the parallel phase (read-only while members run)
	curX     feature.Vector
	curY     int
	segStart int
	barrier  int
	segFn    func(int) // s.segmentTask and s.probaTask, bound once
	probaFn  func(int)
	// memo is the record of the last PredictProbaOne; learning on the same
	// record reuses the members' distributions (memoHit) for their votes.
	memo    RecordMemo
	memoHit bool
	// proj projects sparse records on all members at once; rebuilt when a
	// member's subspace changes (projDirty).
	proj      projector
	projDirty bool
}

type srpMember struct {
	model     base.Classifier
	metric    Accuracy
	features  []int   // River order; nil: all features
	sorted    []int32 // features ascending, for projecting records
	drift     TrackedDetector
	warning   TrackedDetector
	bg        *srpMember
	isBG      bool
	nDrifts   int
	nWarnings int
	createdOn int

	// per-goroutine scratch, so members can run in parallel
	xs    feature.Vector // the current record projected on features
	idx   []int32
	val   []float64
	proba []float64
	// per-record results of the parallel phase
	correct bool
}

// NewSRPClassifier returns an SRP classifier with River's defaults changed
// by opts.
func NewSRPClassifier(opts ...SRPOption) (*SRPClassifier, error) {
	c := srpConfig{
		nModels:  10,
		subspace: SubspaceFraction(0.6),
		method:   Patches,
		lambda:   6,
		workers:  1,
	}
	for _, o := range opts {
		o(&c)
	}
	if c.model == nil {
		c.model = DefaultSRPModel()
	}
	if _, ok := c.model.(base.Cloner); !ok {
		return nil, fmt.Errorf("ensemble: SRP base model %T cannot be cloned (no CloneFresh)", c.model)
	}
	if _, ok := c.model.(snapshot.Model); !ok {
		return nil, fmt.Errorf("ensemble: SRP base model %T cannot be snapshotted", c.model)
	}
	if c.nModels < 1 {
		return nil, fmt.Errorf("ensemble: SRP n_models must be at least 1, got %d", c.nModels)
	}
	if err := c.subspace.validate(); err != nil {
		return nil, fmt.Errorf("ensemble: SRP %w", err)
	}
	if c.method > Resampling {
		return nil, fmt.Errorf("ensemble: unknown SRP training method %d", c.method)
	}
	if !(c.lambda > 0) {
		return nil, fmt.Errorf("ensemble: SRP lam must be positive, got %v", c.lambda)
	}
	if c.detectorMode > NoWarningDetection {
		return nil, fmt.Errorf("ensemble: unknown SRP detector mode %d", c.detectorMode)
	}
	if c.driftProto == nil {
		c.driftProto = drift.NewADWIN(drift.WithDelta(1e-5))
	}
	if c.warningProto == nil {
		c.warningProto = drift.NewADWIN(drift.WithDelta(1e-4))
	}
	// River drops the detectors here (SRPClassifier.__init__).
	switch c.detectorMode {
	case NoDriftDetection:
		c.driftProto, c.warningProto = nil, nil
	case NoWarningDetection:
		c.warningProto = nil
	}
	s := &SRPClassifier{cfg: c, method: c.method}
	if c.seeded {
		s.rng = pyrand.New(c.seed)
	} else {
		s.rng = pyrand.NewUnseeded()
	}
	s.SetWorkers(c.workers)
	return s, nil
}

// SetWorkers changes how many goroutines members run on (n < 1: one per
// CPU). Results do not depend on it.
func (s *SRPClassifier) SetWorkers(n int) {
	s.workers, s.cfg.workers = ReplaceWorkers(s, s.workers, n)
	s.segFn, s.probaFn = s.segmentTask, s.probaTask
}

// Close stops the worker goroutines, if any. The model stays usable
// (sequentially).
func (s *SRPClassifier) Close() { s.SetWorkers(1) }

// Reseed restarts the ensemble's generator from seed. Call it before
// training; it does not touch members already built.
func (s *SRPClassifier) Reseed(seed int64) {
	s.cfg.seed, s.cfg.seeded = seed, true
	s.rng = pyrand.New(seed)
}

// CloneFresh returns an untrained ensemble with the same parameters
// (River's clone(): a seeded ensemble restarts from its seed).
func (s *SRPClassifier) CloneFresh() base.Classifier {
	c := s.cfg
	c.method = s.cfg.method
	out := &SRPClassifier{cfg: c, method: c.method}
	if c.seeded {
		out.rng = pyrand.New(c.seed)
	} else {
		out.rng = pyrand.NewUnseeded()
	}
	out.SetWorkers(c.workers)
	return out
}

// NModels is the number of members.
func (s *SRPClassifier) NModels() int { return s.cfg.nModels }

// Subspaces returns each member's current feature subspace (nil entries
// for all features; nil before the first record).
func (s *SRPClassifier) Subspaces() [][]int {
	if len(s.members) == 0 {
		return nil
	}
	out := make([][]int, len(s.members))
	for i, m := range s.members {
		if m.features != nil {
			out[i] = append([]int(nil), m.features...)
		}
	}
	return out
}

// Members returns the members' base models (read-only use).
func (s *SRPClassifier) Members() []base.Classifier {
	out := make([]base.Classifier, len(s.members))
	for i, m := range s.members {
		out[i] = m.model
	}
	return out
}

// NDriftsDetected is the number of drifts detected by all members.
func (s *SRPClassifier) NDriftsDetected() int {
	n := 0
	for _, m := range s.members {
		n += m.nDrifts
	}
	return n
}

// NWarningsDetected is the number of warnings detected by all members.
func (s *SRPClassifier) NWarningsDetected() int {
	n := 0
	for _, m := range s.members {
		n += m.nWarnings
	}
	return n
}

// TrainingMethod is the method in use: the configured one, or Resampling
// when the subspace size covers all features (River's fallback).
func (s *SRPClassifier) TrainingMethod() TrainingMethod { return s.method }

func (s *SRPClassifier) newMember(features []int, isBG bool) *srpMember {
	m := &srpMember{
		model:     s.cfg.model.(base.Cloner).CloneFresh(),
		features:  features,
		drift:     NewTracked(s.cfg.driftProto),
		warning:   NewTracked(s.cfg.warningProto),
		isBG:      isBG,
		createdOn: s.nSeen,
	}
	m.setFeatures(features)
	return m
}

func (m *srpMember) setFeatures(features []int) {
	m.features = features
	m.sorted = nil
	if features == nil {
		return
	}
	m.sorted = make([]int32, len(features))
	for i, f := range features {
		m.sorted[i] = int32(f)
	}
	sortInt32(m.sorted)
	m.idx = make([]int32, 0, len(features))
	m.val = make([]float64, 0, len(features))
}

func sortInt32(a []int32) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// project is River's {k: x[k] for k in features if k in x}. The result is
// over the member's scratch: dense like x, or a sparse vector ordered by
// feature index rather than River's subspace order (the base models do not
// depend on the order except through floating-point summation order).
func (m *srpMember) project(x feature.Vector) feature.Vector {
	if m.features == nil {
		return x
	}
	if x.Idx == nil {
		// A dense record stays dense, with the features outside the
		// subspace missing (NaN): the trees then read features by position
		// and walk in River's splitter order.
		val := m.val[:0]
		nan := math.NaN()
		for range x.Val {
			val = append(val, nan)
		}
		for _, f := range m.sorted {
			if int(f) < len(x.Val) {
				val[f] = x.Val[f]
			}
		}
		m.val = val
		return feature.Vector{Val: val}
	}
	idx, val := m.idx[:0], m.val[:0]
	{
		// Merge two ascending lists.
		i, j := 0, 0
		for i < len(m.sorted) && j < len(x.Idx) {
			switch a, b := m.sorted[i], x.Idx[j]; {
			case a < b:
				i++
			case a > b:
				j++
			default:
				idx = append(idx, a)
				val = append(val, x.Val[j])
				i++
				j++
			}
		}
	}
	m.idx, m.val = idx, val
	return feature.Vector{Idx: idx, Val: val}
}

// initEnsemble is River's _init_ensemble on the first record's features.
func (s *SRPClassifier) initEnsemble(x feature.Vector) {
	s.keys = x.Keys(s.keys[:0])
	n := s.cfg.nModels
	var subspaces [][]int
	if s.method != Resampling {
		var fallback bool
		subspaces, fallback = generateSubspaces(s.keys, s.cfg.subspace, n, s.rng)
		if fallback {
			s.method = Resampling
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if s.method == Patches || s.method == Subspaces {
		s.rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	s.projDirty = true
	s.members = make([]*srpMember, n)
	for i := range s.members {
		var f []int
		if subspaces != nil {
			f = subspaces[order[i]]
		}
		s.members[i] = s.newMember(f, false)
	}
}

// LearnOne trains the ensemble on one record.
func (s *SRPClassifier) LearnOne(x feature.Vector, y int) { s.learn(x, y) }

// LearnWeighted trains on one record. SRP ignores the weight, as River's
// SRPClassifier.learn_one does (the resampling draws the members' weights).
func (s *SRPClassifier) LearnWeighted(x feature.Vector, y int, _ float64) { s.learn(x, y) }

func (s *SRPClassifier) learn(x feature.Vector, y int) {
	CheckClass(y)
	s.nSeen++
	if len(s.members) == 0 {
		s.initEnsemble(x)
	}
	s.memoHit = s.memo.Matches(x)
	s.memo.Invalidate()
	if !s.memoHit {
		s.projectMembers(x) // else PredictProbaOne left the projections
	}
	if s.workers == nil {
		for _, m := range s.members {
			xs := m.xs
			if p := m.firstPredict(xs, s.memoHit); p >= 0 {
				m.metric.Update(y, p)
			}
			k := s.drawK()
			if k == 0 {
				continue
			}
			m.learn(s, x, xs, y, k)
			m.detect(s, x, y)
		}
		return
	}
	s.learnParallel(x, y)
}

func (s *SRPClassifier) drawK() int {
	if s.method == Subspaces {
		return 1
	}
	if s.poisson.limit == 0 { // set lazily: constructors and decoders need not
		s.poisson = NewPoisson(s.cfg.lambda)
	}
	return s.poisson.Draw(s.rng)
}

// learnParallel gives the same result as the sequential loop. A member's
// random draws (its Poisson k, then a new subspace if its detectors fire
// after training) come from the shared generator in member order, and only
// detectors can draw after training. So the members are processed in
// segments: k is drawn for members in order up to and including the first
// one whose detector may fire on this update (TrackedDetector.MayFire);
// the segment is trained in parallel, then that member's detectors are
// updated on this goroutine before the next segment draws.
func (s *SRPClassifier) learnParallel(x feature.Vector, y int) {
	n := len(s.members)
	if cap(s.draws) < n {
		s.draws = make([]int, n)
	}
	s.draws = s.draws[:n]
	s.curX, s.curY = x, y
	for start := 0; start < n; {
		end := start
		s.barrier = -1
		for end < n {
			m := s.members[end]
			k := s.drawK()
			s.draws[end] = k
			end++
			if k > 0 && (m.drift.MayFire() || m.warning.MayFire()) {
				s.barrier = end - 1
				break
			}
		}
		s.segStart = start
		s.workers.Run(end-start, s.segFn)
		if s.barrier >= 0 {
			s.members[s.barrier].detect(s, x, y)
		}
		start = end
	}
	s.curX = feature.Vector{}
}

// segmentTask trains member segStart+i of the current segment.
func (s *SRPClassifier) segmentTask(i int) {
	i += s.segStart
	m := s.members[i]
	x, y := s.curX, s.curY
	xs := m.xs
	if p := m.firstPredict(xs, s.memoHit); p >= 0 {
		m.metric.Update(y, p)
	}
	k := s.draws[i]
	if k == 0 {
		return
	}
	m.learn(s, x, xs, y, k)
	if i != s.barrier {
		m.detect(s, x, y)
	}
}

// probaTask computes member i's class distribution for curX.
func (s *SRPClassifier) probaTask(i int) {
	m := s.members[i]
	m.proba = m.model.PredictProbaOne(m.xs, m.proba)
}

// firstPredict is the member's vote before training, taken from the
// distribution PredictProbaOne left in m.proba when memoHit.
func (m *srpMember) firstPredict(xs feature.Vector, memoHit bool) int {
	if memoHit {
		return PredictFromProba(m.model, xs, m.proba)
	}
	return m.predict(xs)
}

// predict is the member's predict_one on its projection xs of the record.
func (m *srpMember) predict(xs feature.Vector) int {
	p, buf := PredictMember(m.model, xs, m.proba)
	m.proba = buf
	return p
}

// learn is BaseSRPClassifier.learn_one up to the drift input: the model
// learns the projected record xs k times (or once with weight k), then the
// background learner learns the whole record x likewise. The drift input
// (is the model now right?) is kept for detect.
func (m *srpMember) learn(s *SRPClassifier, x, xs feature.Vector, y, k int) {
	learnK(m.model, xs, y, k, s.cfg.weightedLearning)
	if m.bg != nil {
		m.bg.learn(s, x, m.bg.project(x), y, k)
	}
	if m.drift.Enabled() && !m.isBG {
		m.correct = m.predict(xs) == y
	}
}

// detect is the detector part of BaseSRPClassifier.learn_one, which may
// draw a new subspace from the shared generator.
func (m *srpMember) detect(s *SRPClassifier, x feature.Vector, y int) {
	if !m.drift.Enabled() || m.isBG {
		return
	}
	in := 0.0
	if !m.correct {
		in = 1
	}
	if m.warning.Enabled() {
		if m.warning.Update(in) {
			m.nWarnings++
			m.triggerWarning(s, x)
		}
	}
	if m.drift.Update(in) {
		m.nDrifts++
		m.reset(s, x)
	}
}

// triggerWarning starts a background learner on a new random subspace of
// the current record's features, then resets the warning detector.
func (m *srpMember) triggerWarning(s *SRPClassifier, x feature.Vector) {
	var sub []int
	if m.features != nil {
		s.keys = x.Keys(s.keys[:0])
		sub = randomSubspace(s.keys, len(m.features), s.rng)
	}
	m.bg = s.newMember(sub, true)
	m.warning.Reset()
}

// reset swaps in the background learner, or restarts the member on a new
// random subspace. Like River, the restart keeps the warning detector's
// state.
func (m *srpMember) reset(s *SRPClassifier, x feature.Vector) {
	if m.warning.Enabled() && m.bg != nil {
		bg := m.bg
		m.model = bg.model
		m.drift = bg.drift
		m.warning = bg.warning
		m.metric = bg.metric
		m.createdOn = bg.createdOn
		m.setFeatures(bg.features)
		s.projDirty = true
		m.bg = nil
		return
	}
	var sub []int
	if m.features != nil {
		s.keys = x.Keys(s.keys[:0])
		sub = randomSubspace(s.keys, len(m.features), s.rng)
	}
	m.model = s.cfg.model.(base.Cloner).CloneFresh()
	m.metric = Accuracy{}
	m.createdOn = s.nSeen
	m.drift.Reset()
	m.setFeatures(sub)
	s.projDirty = true
}

// PredictProbaOne returns the members' class distributions, each weighted
// by the member's accuracy when that is positive (unless weighted voting
// is disabled), summed and normalized.
func (s *SRPClassifier) PredictProbaOne(x feature.Vector, dst []float64) []float64 {
	if len(s.members) == 0 {
		// River initializes the ensemble on a prediction too, which draws
		// the subspaces from the generator.
		s.initEnsemble(x)
		return dst[:0]
	}
	s.projectMembers(x)
	if s.workers != nil {
		s.workers.Run(len(s.members), s.probaFn)
	} else {
		for _, m := range s.members {
			m.proba = m.model.PredictProbaOne(m.xs, m.proba)
		}
	}
	dst = dst[:0]
	s.order = s.order[:0]
	for _, m := range s.members {
		w := 1.0
		if acc := m.metric.Get(); !s.cfg.disableWeightedVote && acc > 0 {
			w = acc
		}
		for len(dst) < len(m.proba) {
			dst = append(dst, 0)
		}
		for c, p := range m.proba {
			dst[c] += p * w
		}
		s.order = appendClassOrder(s.order, m.model, len(m.proba))
	}
	base.Normalize(dst) // the sums are never negative
	s.memo.Store(x)
	return dst
}

// PredictOne returns the most probable class, or -1 before any class was
// seen. Ties go to the class River's summed Counter lists first.
func (s *SRPClassifier) PredictOne(x feature.Vector) int {
	s.sumBuf = s.PredictProbaOne(x, s.sumBuf)
	return argmaxInOrder(s.sumBuf, s.order)
}

// MemoryBytes estimates the ensemble's heap footprint: members' models
// (when they report it), detectors and background learners.
func (s *SRPClassifier) MemoryBytes() int64 {
	var n int64 = 256
	for _, m := range s.members {
		n += m.memoryBytes()
	}
	return n
}

func (m *srpMember) memoryBytes() int64 {
	n := int64(160 + 12*len(m.features) + 12*cap(m.idx) + 8*cap(m.proba))
	if r, ok := m.model.(base.MemoryReporter); ok {
		n += r.MemoryBytes()
	}
	for _, d := range []drift.Detector{m.drift.Det, m.warning.Det} {
		if r, ok := d.(base.MemoryReporter); ok {
			n += r.MemoryBytes()
		}
	}
	if m.bg != nil {
		n += m.bg.memoryBytes()
	}
	return n
}
