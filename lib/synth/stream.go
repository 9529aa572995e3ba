package synth

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"iter"
	"sort"
	"strconv"
	"strings"

	"github.com/rivulet-ml/rivulet/lib/feature"
)

// Stream is an endless stream of labelled records with dense features.
//
// A Stream is an iterator, not a River dataset: each call of Next continues
// where the previous one stopped, whereas iterating a River dataset again
// starts it over. Reset starts a Stream over (River's iter(dataset)).
// Streams are not safe for concurrent use.
type Stream interface {
	// Next writes the next record's features into x, which must hold at
	// least NFeatures values, and returns its class (0..NClasses-1).
	// It does not allocate.
	Next(x []float64) (y int)
	// NFeatures is the number of features of every record.
	NFeatures() int
	// NClasses is the number of classes.
	NClasses() int
	// Schema names the features with River's dict keys.
	Schema() *feature.Schema
	// Nominal lists the features River documents as categorical
	// (n_cat_features). They are NOT marked nominal in Schema: River's
	// generators emit them as ints, which River's models treat as numeric
	// unless told otherwise, so pass them as nominal_attributes to opt in.
	Nominal() []string
	// Reset restarts the stream from its first record, re-seeding its
	// random generators as a new iteration of the River dataset does.
	Reset()
}

// Take yields the next n records of s (all of them, forever, when n < 0).
// The yielded vector is dense and reuses one buffer: it is valid until the
// next iteration; Clone it to keep it.
func Take(s Stream, n int) iter.Seq2[feature.Vector, int] {
	return func(yield func(feature.Vector, int) bool) {
		x := make([]float64, s.NFeatures())
		v := feature.Dense(x)
		for i := 0; n < 0 || i < n; i++ {
			y := s.Next(x)
			if !yield(v, y) {
				return
			}
		}
	}
}

// Option sets one generator parameter. Options are named after River's
// constructor parameters; a generator given an option it does not have
// reports an error naming it.
type Option struct {
	name  string
	apply func(*config)
}

// Name is the River parameter the option sets.
func (o Option) Name() string { return o.name }

// config holds every generator parameter; each constructor reads the ones it
// has, after filling River's defaults.
type config struct {
	seed, seedModel, seedSample      int64
	hasSeed, hasSeedModel, hasSample bool

	classificationFunction int
	balanceClasses         bool
	perturbation           float64
	variant                int
	noise                  float64
	noisePercentage        float64
	nFeatures              int
	nDriftFeatures         int
	magChange              float64
	sigma                  float64
	nClasses               int
	nCentroids             int
	changeSpeed            float64
	nDriftCentroids        int
	irrelevantFeatures     bool
	position               int
	width                  int
	alpha                  float64
	hasAlpha               bool
}

// Seed seeds the generator (River's seed). Without it a generator draws a
// seed from the operating system, as River's seed=None does; Reset then
// replays the same stream. For RandomRBF and RandomRBFDrift, which have no
// seed parameter in River, Seed sets both seed_model and seed_sample unless
// those are given.
func Seed(seed int64) Option {
	return Option{"seed", func(c *config) { c.seed, c.hasSeed = seed, true }}
}

// ClassificationFunction selects Agrawal's (0-9) or STAGGER's (0-2) label
// function.
func ClassificationFunction(f int) Option {
	return Option{"classification_function", func(c *config) { c.classificationFunction = f }}
}

// BalanceClasses makes Agrawal and STAGGER alternate the classes by
// rejection.
func BalanceClasses(b bool) Option {
	return Option{"balance_classes", func(c *config) { c.balanceClasses = b }}
}

// Perturbation is Agrawal's noise magnitude in [0, 1].
func Perturbation(p float64) Option {
	return Option{"perturbation", func(c *config) { c.perturbation = p }}
}

// Variant selects SEA's threshold (0-3).
func Variant(v int) Option { return Option{"variant", func(c *config) { c.variant = v }} }

// Noise is SEA's label-flip probability.
func Noise(p float64) Option { return Option{"noise", func(c *config) { c.noise = p }} }

// NoisePercentage is the noise level of Hyperplane (label flips) and LED
// (segment flips), in [0, 1].
func NoisePercentage(p float64) Option {
	return Option{"noise_percentage", func(c *config) { c.noisePercentage = p }}
}

// NFeatures is the number of features of Hyperplane and RandomRBF.
func NFeatures(n int) Option { return Option{"n_features", func(c *config) { c.nFeatures = n }} }

// NDriftFeatures is the number of drifting features of Hyperplane and
// LEDDrift.
func NDriftFeatures(n int) Option {
	return Option{"n_drift_features", func(c *config) { c.nDriftFeatures = n }}
}

// MagChange is Hyperplane's weight change per record, in [0, 1].
func MagChange(m float64) Option { return Option{"mag_change", func(c *config) { c.magChange = m }} }

// Sigma is Hyperplane's probability of reversing a drift direction.
func Sigma(s float64) Option { return Option{"sigma", func(c *config) { c.sigma = s }} }

// SeedModel seeds RandomRBF's centroids.
func SeedModel(seed int64) Option {
	return Option{"seed_model", func(c *config) { c.seedModel, c.hasSeedModel = seed, true }}
}

// SeedSample seeds RandomRBF's records.
func SeedSample(seed int64) Option {
	return Option{"seed_sample", func(c *config) { c.seedSample, c.hasSample = seed, true }}
}

// NClasses is RandomRBF's number of classes.
func NClasses(n int) Option { return Option{"n_classes", func(c *config) { c.nClasses = n }} }

// NCentroids is RandomRBF's number of centroids.
func NCentroids(n int) Option { return Option{"n_centroids", func(c *config) { c.nCentroids = n }} }

// ChangeSpeed is how far RandomRBFDrift's moving centroids travel per record.
func ChangeSpeed(s float64) Option {
	return Option{"change_speed", func(c *config) { c.changeSpeed = s }}
}

// NDriftCentroids is the number of RandomRBFDrift's moving centroids.
func NDriftCentroids(n int) Option {
	return Option{"n_drift_centroids", func(c *config) { c.nDriftCentroids = n }}
}

// IrrelevantFeatures adds LED's 17 random features.
func IrrelevantFeatures(b bool) Option {
	return Option{"irrelevant_features", func(c *config) { c.irrelevantFeatures = b }}
}

// Position is ConceptDriftStream's centre of the change (in records).
func Position(p int) Option { return Option{"position", func(c *config) { c.position = p }} }

// Width is ConceptDriftStream's length of the change (in records).
func Width(w int) Option { return Option{"width", func(c *config) { c.width = w }} }

// Alpha is ConceptDriftStream's angle of change in degrees, (0, 90]; it
// overrides Width with int(1/tan(alpha)), at least 1.
func Alpha(a float64) Option {
	return Option{"alpha", func(c *config) { c.alpha, c.hasAlpha = a, true }}
}

// apply applies opts to c after checking that generator gen has each of
// them.
func (c *config) apply(gen string, opts []Option, allowed ...string) error {
	for _, o := range opts {
		ok := false
		for _, a := range allowed {
			if o.name == a {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Errorf("synth: %s has no parameter %s (parameters: %s)", gen, o.name, strings.Join(allowed, ", "))
		}
		o.apply(c)
	}
	return nil
}

// randomSeed stands in for River's seed=None: a seed from the operating
// system, kept so that Reset replays the same stream.
func randomSeed() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}

func (c *config) resolvedSeed() int64 {
	if !c.hasSeed {
		c.seed, c.hasSeed = randomSeed(), true
	}
	return c.seed
}

func checkUnit(name string, v float64) error {
	if !(v >= 0 && v <= 1) {
		return fmt.Errorf("synth: %s = %v, want a value in [0, 1]", name, v)
	}
	return nil
}

// numberedSchema names features "0", "1", ... like River's int dict keys.
func numberedSchema(n int) *feature.Schema {
	s := feature.NewSchema()
	for i := 0; i < n; i++ {
		s.Add(strconv.Itoa(i))
	}
	return s
}

// generator is one entry of the registry used by New.
type generator struct {
	name, riverName string
	params          []string
	build           func(opts []Option) (Stream, error)
}

var generators = []generator{
	{"agrawal", "Agrawal", agrawalParams, func(o []Option) (Stream, error) { return NewAgrawal(o...) }},
	{"sea", "SEA", seaParams, func(o []Option) (Stream, error) { return NewSEA(o...) }},
	{"hyperplane", "Hyperplane", hyperplaneParams, func(o []Option) (Stream, error) { return NewHyperplane(o...) }},
	{"rbf", "RandomRBF", rbfParams, func(o []Option) (Stream, error) { return NewRandomRBF(o...) }},
	{"rbf-drift", "RandomRBFDrift", rbfDriftParams, func(o []Option) (Stream, error) { return NewRandomRBFDrift(o...) }},
	{"led", "LED", ledParams, func(o []Option) (Stream, error) { return NewLED(o...) }},
	{"led-drift", "LEDDrift", ledDriftParams, func(o []Option) (Stream, error) { return NewLEDDrift(o...) }},
	{"stagger", "STAGGER", staggerParams, func(o []Option) (Stream, error) { return NewSTAGGER(o...) }},
	{"concept-drift", "ConceptDriftStream", conceptDriftParams, func(o []Option) (Stream, error) {
		return NewConceptDriftStream(nil, nil, o...)
	}},
}

// Names lists the generators New knows, in a stable order.
func Names() []string {
	out := make([]string, len(generators))
	for i, g := range generators {
		out[i] = g.name
	}
	return out
}

// Params lists the River parameter names of the named generator.
func Params(name string) ([]string, error) {
	g, err := lookup(name)
	if err != nil {
		return nil, err
	}
	return append([]string(nil), g.params...), nil
}

func lookup(name string) (*generator, error) {
	for i := range generators {
		g := &generators[i]
		if strings.EqualFold(name, g.name) || strings.EqualFold(name, g.riverName) {
			return g, nil
		}
	}
	return nil, fmt.Errorf("synth: unknown stream %q (known: %s)", name, strings.Join(Names(), ", "))
}

// New builds a generator by name ("agrawal", or River's class name
// "Agrawal"). "concept-drift" is ConceptDriftStream over its default
// streams, Agrawal(seed) and Agrawal(seed, classification_function=2).
func New(name string, opts ...Option) (Stream, error) {
	g, err := lookup(name)
	if err != nil {
		return nil, err
	}
	return g.build(opts)
}

// ParseOption reads a parameter given by its River name and a string value
// ("variant", "1"), as the CLI's --stream-param name=value does.
func ParseOption(name, value string) (Option, error) {
	value = strings.TrimSpace(value)
	bad := func(want string) (Option, error) {
		return Option{}, fmt.Errorf("synth: parameter %s=%q: want %s", name, value, want)
	}
	parseInt := func() (int64, bool) {
		if i, err := strconv.ParseInt(value, 10, 64); err == nil {
			return i, true
		}
		// Accept "2.0" as Python would accept the float 2.0 where River
		// only compares it with ints.
		if f, err := strconv.ParseFloat(value, 64); err == nil && f == float64(int64(f)) {
			return int64(f), true
		}
		return 0, false
	}
	parseFloat := func() (float64, bool) {
		f, err := strconv.ParseFloat(value, 64)
		return f, err == nil
	}
	parseBool := func() (bool, bool) {
		switch strings.ToLower(value) {
		case "true", "1", "yes":
			return true, true
		case "false", "0", "no":
			return false, true
		}
		return false, false
	}
	intOpt := func(f func(int) Option) (Option, error) {
		i, ok := parseInt()
		if !ok || i != int64(int(i)) {
			return bad("an integer")
		}
		return f(int(i)), nil
	}
	seedOpt := func(f func(int64) Option) (Option, error) {
		i, ok := parseInt()
		if !ok {
			return bad("an integer")
		}
		return f(i), nil
	}
	floatOpt := func(f func(float64) Option) (Option, error) {
		v, ok := parseFloat()
		if !ok {
			return bad("a number")
		}
		return f(v), nil
	}
	boolOpt := func(f func(bool) Option) (Option, error) {
		b, ok := parseBool()
		if !ok {
			return bad("true or false")
		}
		return f(b), nil
	}
	switch name {
	case "seed":
		return seedOpt(Seed)
	case "seed_model":
		return seedOpt(SeedModel)
	case "seed_sample":
		return seedOpt(SeedSample)
	case "classification_function":
		return intOpt(ClassificationFunction)
	case "balance_classes":
		return boolOpt(BalanceClasses)
	case "perturbation":
		return floatOpt(Perturbation)
	case "variant":
		return intOpt(Variant)
	case "noise":
		return floatOpt(Noise)
	case "noise_percentage":
		return floatOpt(NoisePercentage)
	case "n_features":
		return intOpt(NFeatures)
	case "n_drift_features":
		return intOpt(NDriftFeatures)
	case "mag_change":
		return floatOpt(MagChange)
	case "sigma":
		return floatOpt(Sigma)
	case "n_classes":
		return intOpt(NClasses)
	case "n_centroids":
		return intOpt(NCentroids)
	case "change_speed":
		return floatOpt(ChangeSpeed)
	case "n_drift_centroids":
		return intOpt(NDriftCentroids)
	case "irrelevant_features":
		return boolOpt(IrrelevantFeatures)
	case "position":
		return intOpt(Position)
	case "width":
		return intOpt(Width)
	case "alpha":
		return floatOpt(Alpha)
	}
	known := map[string]bool{}
	for _, g := range generators {
		for _, p := range g.params {
			known[p] = true
		}
	}
	names := make([]string, 0, len(known))
	for p := range known {
		names = append(names, p)
	}
	sort.Strings(names)
	return Option{}, fmt.Errorf("synth: unknown parameter %q (known: %s)", name, strings.Join(names, ", "))
}

// ParseOptions reads "name=value" pairs with ParseOption.
func ParseOptions(kv []string) ([]Option, error) {
	out := make([]Option, 0, len(kv))
	for _, s := range kv {
		k, v, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("synth: parameter %q: want name=value", s)
		}
		o, err := ParseOption(strings.TrimSpace(k), v)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// FromParams builds a generator from "name=value" parameters, as the CLI's
// --stream-param does. For "concept-drift" the parameters "stream" and
// "drift_stream" name the two sub-generators (River's defaults, Agrawal and
// Agrawal with classification_function=2, when absent) and "stream.X" /
// "drift_stream.X" set their parameters, like nested models' dotted
// parameters; a sub-generator without its own seed gets the mixing seed.
// Sub-generators may themselves be concept-drift streams.
func FromParams(name string, kv []string) (Stream, error) {
	g, err := lookup(name)
	if err != nil {
		return nil, err
	}
	if g.name != "concept-drift" {
		opts, err := ParseOptions(kv)
		if err != nil {
			return nil, err
		}
		return g.build(opts)
	}
	var own []string
	subName := map[string]string{"stream": "agrawal", "drift_stream": "agrawal"}
	subParams := map[string][]string{"drift_stream": nil, "stream": nil}
	subSeeded := map[string]bool{}
	explicit := map[string]bool{}
	var seed []string
	for _, s := range kv {
		k, v, ok := strings.Cut(s, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("synth: parameter %q: want name=value", s)
		}
		if k == "stream" || k == "drift_stream" {
			subName[k] = strings.TrimSpace(v)
			explicit[k] = true
			continue
		}
		if pre, rest, dotted := strings.Cut(k, "."); dotted {
			if _, ok := subParams[pre]; !ok {
				return nil, fmt.Errorf("synth: parameter %q: ConceptDriftStream has sub-streams stream and drift_stream", k)
			}
			subParams[pre] = append(subParams[pre], rest+"="+v)
			if rest == "seed" || rest == "seed_model" || rest == "seed_sample" {
				subSeeded[pre] = true
			}
			continue
		}
		if k == "seed" {
			seed = []string{s}
		}
		own = append(own, s)
	}
	opts, err := ParseOptions(own)
	if err != nil {
		return nil, err
	}
	if len(seed) == 0 {
		// Draw the mixing seed now so that the sub-streams can share it.
		s := randomSeed()
		seed = []string{"seed=" + strconv.FormatInt(s, 10)}
		opts = append(opts, Seed(s))
	}
	var streams [2]Stream
	for i, k := range []string{"stream", "drift_stream"} {
		params := subParams[k]
		if !subSeeded[k] {
			params = append(append([]string(nil), seed...), params...)
		}
		if !explicit[k] && k == "drift_stream" {
			params = append([]string{"classification_function=2"}, params...)
		}
		s, err := FromParams(subName[k], params)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		streams[i] = s
	}
	return NewConceptDriftStream(streams[0], streams[1], opts...)
}
