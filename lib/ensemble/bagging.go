package ensemble

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/drift"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// BaggingMethod is LeveragingBaggingClassifier's bagging_method: how many
// times (k) a member learns a record.
type BaggingMethod uint8

const (
	// BagLeveraging draws k ~ Poisson(w) ("bag", the default).
	BagLeveraging BaggingMethod = iota
	// BagWeightedTotal is k = 1 + Poisson(1) ("wt").
	BagWeightedTotal
	// BagSubsample is k = 1 if Poisson(1) > 0, else 0 ("subag").
	BagSubsample
	// BagHalf is k = 1 with probability 1/2 ("half").
	BagHalf
	// BagMisclassified is k = 1 for a misclassified record, else 1 with
	// probability err/(1-err), err being the member's ADWIN estimate ("me").
	BagMisclassified
)

var baggingMethodNames = []string{"bag", "wt", "subag", "half", "me"}

func (m BaggingMethod) String() string {
	if int(m) < len(baggingMethodNames) {
		return baggingMethodNames[m]
	}
	return fmt.Sprintf("BaggingMethod(%d)", int(m))
}

// ParseBaggingMethod reads River's bagging_method names.
func ParseBaggingMethod(s string) (BaggingMethod, error) {
	for i, n := range baggingMethodNames {
		if s == n {
			return BaggingMethod(i), nil
		}
	}
	return 0, fmt.Errorf("bagging_method %q: want bag, wt, subag, half or me", s)
}

// BaggingOption configures LeveragingBagging and ADWINBagging.
type BaggingOption func(*baggingConfig)

type baggingConfig struct {
	nModels    int
	lambda     float64
	adwinDelta float64
	method     BaggingMethod
	seed       int64
	seeded     bool
	workers    int
}

// WithBaggingModels sets n_models (default 10).
func WithBaggingModels(n int) BaggingOption { return func(c *baggingConfig) { c.nModels = n } }

// WithBaggingLambda sets leveraging bagging's w, the Poisson rate of "bag"
// (default 6).
func WithBaggingLambda(w float64) BaggingOption { return func(c *baggingConfig) { c.lambda = w } }

// WithBaggingADWINDelta sets leveraging bagging's adwin_delta (default 0.002).
func WithBaggingADWINDelta(d float64) BaggingOption {
	return func(c *baggingConfig) { c.adwinDelta = d }
}

// WithBaggingMethod sets leveraging bagging's bagging_method (default
// BagLeveraging).
func WithBaggingMethod(m BaggingMethod) BaggingOption { return func(c *baggingConfig) { c.method = m } }

// WithBaggingSeed seeds the CPython-compatible generator (River's seed).
func WithBaggingSeed(seed int64) BaggingOption {
	return func(c *baggingConfig) { c.seed, c.seeded = seed, true }
}

// WithBaggingWorkers lets members learn and predict on n goroutines (n < 1:
// one per CPU); results do not depend on n. Default 1.
func WithBaggingWorkers(n int) BaggingOption { return func(c *baggingConfig) { c.workers = n } }

// bagging is the state both bagging ensembles share (River's
// WrapperEnsemble: clones of one model and a random.Random(seed)).
type bagging struct {
	cfg       baggingConfig
	adwinMode bool // ADWINBaggingClassifier rather than leveraging bagging
	proto     base.Classifier
	rng       *pyrand.Rand
	models    []base.Classifier
	detectors []*drift.ADWIN
	nChanges  int
	workers   *Workers

	// per-record state
	k       []int
	changed []bool
	curX    feature.Vector
	curY    int
	probas  [][]float64
	sumBuf  []float64
	order   []int
	learnFn func(int)
	probaFn func(int)
}

// LeveragingBagging is River's ensemble.LeveragingBaggingClassifier:
// online bagging with Poisson(w = 6) weights and an ADWIN per member; when
// a member's error rises, the member with the largest estimated error is
// replaced by a fresh clone.
type LeveragingBagging struct{ bagging }

// ADWINBagging is River's ensemble.ADWINBaggingClassifier: online bagging
// (Poisson(1)) with an ADWIN per member.
//
// River quirk kept: its ADWINs are fed whether the member was RIGHT
// (int(y_pred == y)), not wrong, so "an increased estimate" means an
// increased accuracy and the member replaced is the one with the highest
// accuracy. This follows River 0.26.1 to the letter; the original algorithm
// (Bifet et al. 2009) replaces the worst member.
type ADWINBagging struct{ bagging }

func newBagging(model base.Classifier, adwinMode bool, opts []BaggingOption) (bagging, error) {
	c := baggingConfig{nModels: 10, lambda: 6, adwinDelta: 0.002, workers: 1}
	for _, o := range opts {
		o(&c)
	}
	var b bagging
	if model == nil {
		return b, fmt.Errorf("ensemble: bagging needs a base model")
	}
	cl, ok := model.(base.Cloner)
	if !ok {
		return b, fmt.Errorf("ensemble: bagging base model %T cannot be cloned (no CloneFresh)", model)
	}
	if _, ok := model.(snapshot.Model); !ok {
		return b, fmt.Errorf("ensemble: bagging base model %T cannot be snapshotted", model)
	}
	switch {
	case c.nModels < 1:
		return b, fmt.Errorf("ensemble: bagging n_models must be at least 1, got %d", c.nModels)
	case !(c.lambda > 0):
		return b, fmt.Errorf("ensemble: leveraging bagging w must be positive, got %v", c.lambda)
	case !(c.adwinDelta > 0 && c.adwinDelta < 1):
		return b, fmt.Errorf("ensemble: adwin_delta must be in (0, 1), got %v", c.adwinDelta)
	case int(c.method) >= len(baggingMethodNames):
		return b, fmt.Errorf("ensemble: unknown bagging method %d", c.method)
	}
	b = bagging{cfg: c, adwinMode: adwinMode, proto: model}
	if c.seeded {
		b.rng = pyrand.New(c.seed)
	} else {
		b.rng = pyrand.NewUnseeded()
	}
	for range c.nModels {
		b.models = append(b.models, cl.CloneFresh())
		b.detectors = append(b.detectors, b.newDetector())
	}
	b.k = make([]int, c.nModels)
	b.changed = make([]bool, c.nModels)
	b.probas = make([][]float64, c.nModels)
	return b, nil
}

// NewLeveragingBagging returns leveraging bagging over clones of model with
// River's defaults changed by opts.
func NewLeveragingBagging(model base.Classifier, opts ...BaggingOption) (*LeveragingBagging, error) {
	b, err := newBagging(model, false, opts)
	if err != nil {
		return nil, err
	}
	l := &LeveragingBagging{b}
	l.SetWorkers(b.cfg.workers)
	return l, nil
}

// NewADWINBagging returns ADWIN bagging over clones of model. Only
// n_models, the seed and the workers apply.
func NewADWINBagging(model base.Classifier, opts ...BaggingOption) (*ADWINBagging, error) {
	b, err := newBagging(model, true, opts)
	if err != nil {
		return nil, err
	}
	a := &ADWINBagging{b}
	a.SetWorkers(b.cfg.workers)
	return a, nil
}

func (b *bagging) newDetector() *drift.ADWIN {
	if b.adwinMode {
		return drift.NewADWIN() // River: drift.ADWIN() with its default delta
	}
	return drift.NewADWIN(drift.WithDelta(b.cfg.adwinDelta))
}

// SetWorkers changes how many goroutines members run on (n < 1: one per
// CPU). Results do not depend on it.
func (b *bagging) SetWorkers(n int) {
	b.workers, b.cfg.workers = ReplaceWorkers(b, b.workers, n)
	b.learnFn, b.probaFn = b.learnTask, b.probaTask
}

// Close stops the worker goroutines, if any.
func (b *bagging) Close() { b.SetWorkers(1) }

// Members returns the member models (read-only use).
func (b *bagging) Members() []base.Classifier { return append([]base.Classifier(nil), b.models...) }

// NDetectedChanges counts the member replacements (River's
// n_detected_changes of leveraging bagging).
func (b *bagging) NDetectedChanges() int { return b.nChanges }

// drawK is the number of times member i learns the record: River's
// _bagging_fct for leveraging bagging, Poisson(1) for ADWIN bagging.
//
// River 0.26.1's "half" (rng.randint(2)) and "me" (rng.rand()) call
// methods random.Random does not have and raise; here "half" is
// 1 - randint(0, 1) and "me" draws random(), as the algorithms intend.
func (b *bagging) drawK(i int, x feature.Vector, y int) int {
	if b.adwinMode {
		return b.rng.Poisson(1)
	}
	switch b.cfg.method {
	case BagWeightedTotal:
		return 1 + b.rng.Poisson(1)
	case BagSubsample:
		if b.rng.Poisson(1) > 0 {
			return 1
		}
		return 0
	case BagHalf:
		return 1 - b.rng.RandInt(0, 1)
	case BagMisclassified:
		err := b.detectors[i].Estimation()
		var pred int
		pred, b.probas[i] = PredictMember(b.models[i], x, b.probas[i])
		if pred != y {
			return 1
		}
		if err != 1 && b.rng.Random() < err/(1-err) {
			return 1
		}
		return 0
	}
	return b.rng.Poisson(b.cfg.lambda)
}

// LearnOne trains the ensemble on one record.
func (b *bagging) LearnOne(x feature.Vector, y int) { b.learn(x, y) }

// LearnWeighted trains on one record, ignoring the weight as River does.
func (b *bagging) LearnWeighted(x feature.Vector, y int, _ float64) { b.learn(x, y) }

func (b *bagging) learn(x feature.Vector, y int) {
	CheckClass(y)
	// The k's only depend on the generator and, for "me", on each member's
	// state before this record, so they can all be drawn first.
	for i := range b.models {
		b.k[i] = b.drawK(i, x, y)
	}
	if b.workers != nil {
		b.curX, b.curY = x, y
		b.workers.Run(len(b.models), b.learnFn)
		b.curX = feature.Vector{}
	} else {
		for i := range b.models {
			b.learnMember(i, x, y)
		}
	}
	change := false
	for _, c := range b.changed {
		change = change || c
	}
	if !change {
		return
	}
	b.nChanges++
	worst, we := 0, b.detectors[0].Estimation()
	for j, d := range b.detectors {
		if e := d.Estimation(); e > we {
			worst, we = j, e
		}
	}
	b.models[worst] = b.proto.(base.Cloner).CloneFresh()
	b.detectors[worst] = b.newDetector()
}

func (b *bagging) learnTask(i int) { b.learnMember(i, b.curX, b.curY) }

// learnMember trains member i k times, then feeds its detector.
func (b *bagging) learnMember(i int, x feature.Vector, y int) {
	m := b.models[i]
	learnK(m, x, y, b.k[i], false)
	var pred int
	pred, b.probas[i] = PredictMember(m, x, b.probas[i])
	b.changed[i] = false
	d := b.detectors[i]
	if b.adwinMode {
		in := 0.0
		if pred == y {
			in = 1
		}
		before := d.Estimation()
		if d.Update(in) && d.Estimation() > before {
			b.changed[i] = true
		}
		return
	}
	if pred < 0 {
		return
	}
	in := 0.0
	if pred != y {
		in = 1
	}
	before := d.Estimation()
	if d.Update(in) && d.Estimation() > before {
		b.changed[i] = true
	}
}

func (b *bagging) probaTask(i int) {
	b.probas[i] = b.models[i].PredictProbaOne(b.curX, b.probas[i])
}

// PredictProbaOne averages the members' class distributions (River's
// BaggingClassifier: summed, then normalized).
func (b *bagging) PredictProbaOne(x feature.Vector, dst []float64) []float64 {
	if b.workers != nil {
		b.curX = x
		b.workers.Run(len(b.models), b.probaFn)
		b.curX = feature.Vector{}
	} else {
		for i, m := range b.models {
			b.probas[i] = m.PredictProbaOne(x, b.probas[i])
		}
	}
	dst = dst[:0]
	b.order = b.order[:0]
	for i, p := range b.probas {
		for len(dst) < len(p) {
			dst = append(dst, 0)
		}
		for c, v := range p {
			dst[c] += v
		}
		b.order = appendClassOrder(b.order, b.models[i], len(p))
	}
	base.Normalize(dst) // the sums are never negative
	return dst
}

// PredictOne returns the most probable class (River's tie order), or -1
// before any member has learnt.
func (b *bagging) PredictOne(x feature.Vector) int {
	b.sumBuf = b.PredictProbaOne(x, b.sumBuf)
	return argmaxInOrder(b.sumBuf, b.order)
}

// MemoryBytes estimates the members' and detectors' heap footprint.
func (b *bagging) MemoryBytes() int64 {
	var n int64 = 256
	for i, m := range b.models {
		if r, ok := m.(base.MemoryReporter); ok {
			n += r.MemoryBytes()
		}
		n += b.detectors[i].MemoryBytes()
	}
	return n
}

// CloneFresh returns an untrained ensemble with the same parameters.
func (l *LeveragingBagging) CloneFresh() base.Classifier {
	out, err := NewLeveragingBagging(l.proto, l.options()...)
	if err != nil {
		panic(err) // the parameters were valid when l was built
	}
	return out
}

// CloneFresh returns an untrained ensemble with the same parameters.
func (a *ADWINBagging) CloneFresh() base.Classifier {
	out, err := NewADWINBagging(a.proto, a.options()...)
	if err != nil {
		panic(err)
	}
	return out
}

func (b *bagging) options() []BaggingOption {
	c := b.cfg
	opts := []BaggingOption{WithBaggingModels(c.nModels), WithBaggingLambda(c.lambda),
		WithBaggingADWINDelta(c.adwinDelta), WithBaggingMethod(c.method), WithBaggingWorkers(c.workers)}
	if c.seeded {
		opts = append(opts, WithBaggingSeed(c.seed))
	}
	return opts
}

// Snapshot kinds of the bagging ensembles.
const (
	LeveragingBaggingSnapshotKind = "ensemble.LeveragingBaggingClassifier"
	ADWINBaggingSnapshotKind      = "ensemble.ADWINBaggingClassifier"
)

// SnapshotKind is LeveragingBaggingSnapshotKind.
func (l *LeveragingBagging) SnapshotKind() string { return LeveragingBaggingSnapshotKind }

// SnapshotKind is ADWINBaggingSnapshotKind.
func (a *ADWINBagging) SnapshotKind() string { return ADWINBaggingSnapshotKind }

// EncodeSnapshot writes parameters, generator, members and detectors.
func (b *bagging) EncodeSnapshot(e *snapshot.Encoder) {
	e.Int(1)
	c := &b.cfg
	e.Int(int64(c.nModels))
	e.Float(c.lambda)
	e.Float(c.adwinDelta)
	e.Int(int64(c.method))
	e.Int(c.seed)
	e.Bool(c.seeded)
	EncodeModel(e, b.proto)
	EncodeRand(e, b.rng)
	e.Int(int64(b.nChanges))
	for i, m := range b.models {
		EncodeModel(e, m)
		b.detectors[i].EncodeState(e)
	}
}

func decodeBagging(d *snapshot.Decoder, adwinMode bool) (bagging, error) {
	var b bagging
	d.Version(1)
	var c baggingConfig
	c.nModels = int(d.IntIn(1, 1<<20))
	c.lambda = d.Float()
	c.adwinDelta = d.Float()
	c.method = BaggingMethod(d.IntIn(0, int64(len(baggingMethodNames)-1)))
	c.seed = d.Int()
	c.seeded = d.Bool()
	c.workers = 1
	proto := DecodeModel(d)
	if d.Err() != nil {
		return b, d.Err()
	}
	nb, err := newBagging(proto, adwinMode, []BaggingOption{WithBaggingModels(c.nModels), WithBaggingLambda(c.lambda),
		WithBaggingADWINDelta(c.adwinDelta), WithBaggingMethod(c.method)})
	if err != nil {
		return b, err
	}
	nb.cfg.seed, nb.cfg.seeded = c.seed, c.seeded
	nb.rng = DecodeRand(d)
	nb.nChanges = int(d.IntIn(0, 1<<62))
	for i := range nb.models {
		nb.models[i] = DecodeModel(d)
		nb.detectors[i] = drift.DecodeADWIN(d)
	}
	return nb, d.Err()
}

func init() {
	snapshot.Register(LeveragingBaggingSnapshotKind, func(d *snapshot.Decoder) (snapshot.Model, error) {
		b, err := decodeBagging(d, false)
		if err != nil {
			return nil, err
		}
		return &LeveragingBagging{b}, nil
	})
	snapshot.Register(ADWINBaggingSnapshotKind, func(d *snapshot.Decoder) (snapshot.Model, error) {
		b, err := decodeBagging(d, true)
		if err != nil {
			return nil, err
		}
		return &ADWINBagging{b}, nil
	})
}
