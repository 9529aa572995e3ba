package throughput

import (
	"fmt"
	"strings"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/models"

	// The models of the seed's tables and the extra rows register
	// themselves in lib/models; importing this package makes them all
	// available by name.
	_ "github.com/rivulet-ml/rivulet/lib/models/all"
)

// Spec names a model of the tables: a registry entry and its parameters.
type Spec struct {
	// Name is the row key ("hat", "srp-nb", …), shared with River's result
	// file (benchmarks/river/river_throughput.py).
	Name string
	// Classifier is the label of the original's tables.
	Classifier string
	// Registry lists registry names to try in order (a short name or
	// River's class name; lib/models accepts both).
	Registry []string
	// Params are River-named hyper-parameters, applied after the registry
	// entry's preset.
	Params []string
}

// seedHAT is the original's HoeffdingAdaptiveTreeClassifier, copied from
// River's documentation example (original.md §2.2).
var seedHAT = []string{"grace_period=100", "delta=1e-5", "leaf_prediction=nb", "nb_threshold=10", "seed=0"}

// SeedModels are the four classifiers of the original's tables, with its
// exact hyper-parameters, in its order.
//
// The original did not seed the adaptive random forest, so its runs were not
// reproducible; here it is seeded (42, the seed the SRP rows use), on both
// the rivulet and the River side.
var SeedModels = []Spec{
	{Name: "hat", Classifier: "HoeffdingAdaptiveTreeClassifier",
		Registry: []string{"hat", "HoeffdingAdaptiveTreeClassifier"}, Params: seedHAT},
	// SRPClassifier(model=HAT(seed's parameters), seed=42): the preset
	// carries the nested model's parameters.
	{Name: "srp-hat", Classifier: "SRPClassifierHAT", Registry: []string{"srp-hat"}},
	// SRPClassifier(model=BernoulliNB(alpha=1), seed=42): BernoulliNB, not
	// GaussianNB, in every version of the original notebook.
	{Name: "srp-nb", Classifier: "SRPClassifierNaiveBayes", Registry: []string{"srp-nb"}},
	{Name: "arf", Classifier: "AdaptiveRandomForestClassifier",
		Registry: []string{"arf", "ARFClassifier", "AdaptiveRandomForestClassifier"},
		Params:   []string{"leaf_prediction=mc", "seed=42"}},
}

// ExtraModels are rows the original did not have: a plain Hoeffding tree,
// Gaussian naive Bayes and logistic regression, with River's defaults.
var ExtraModels = []Spec{
	{Name: "ht", Classifier: "HoeffdingTreeClassifier",
		Registry: []string{"ht", "hoeffding-tree", "HoeffdingTreeClassifier"}},
	{Name: "gaussian-nb", Classifier: "GaussianNB", Registry: []string{"gaussian-nb", "GaussianNB"}},
	{Name: "logistic-regression", Classifier: "LogisticRegression",
		Registry: []string{"logistic-regression", "LogisticRegression"}},
}

// SeedModelNames are the names of SeedModels, the default model list.
func SeedModelNames() []string {
	out := make([]string, len(SeedModels))
	for i, s := range SeedModels {
		out[i] = s.Name
	}
	return out
}

// Lookup returns the Spec for name: a seed or extra model, or else any
// registered model by its registry name (with its defaults).
func Lookup(name string) (Spec, error) {
	for _, list := range [][]Spec{SeedModels, ExtraModels} {
		for _, s := range list {
			if strings.EqualFold(s.Name, name) {
				return s, nil
			}
		}
	}
	if e, ok := models.Lookup(name); ok && e.Classifier != nil {
		return Spec{Name: e.Name, Classifier: e.RiverName, Registry: []string{e.Name}}, nil
	}
	return Spec{}, fmt.Errorf("throughput: unknown model %q; known: %s", name, strings.Join(KnownNames(), ", "))
}

// KnownNames lists the seed and extra models, then every other registered
// classifier.
func KnownNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, list := range [][]Spec{SeedModels, ExtraModels} {
		for _, s := range list {
			out = append(out, s.Name)
			seen[s.Name] = true
		}
	}
	for _, n := range models.Names() {
		if e, ok := models.Lookup(n); ok && e.Classifier != nil && !seen[n] {
			out = append(out, n)
		}
	}
	return out
}

// Model resolves the spec against the registry, with extra parameters
// appended to the spec's. It fails if no registry name is registered in
// this build, or if the parameters are wrong (checked by building one
// model now, not in the middle of a measurement).
func (s Spec) Model(extra ...string) (Model, error) {
	var entry *models.Entry
	for _, n := range s.Registry {
		if e, ok := models.Lookup(n); ok && e.Classifier != nil {
			entry = e
			break
		}
	}
	if entry == nil {
		return Model{}, fmt.Errorf("throughput: model %s (%s) is not registered in this build (tried %s; registered: %s)",
			s.Name, s.Classifier, strings.Join(s.Registry, ", "), strings.Join(models.Names(), ", "))
	}
	params := append(append([]string(nil), s.Params...), extra...)
	factory := func() (base.Classifier, error) { return models.NewClassifier(entry.Name, params, nil) }
	probe, err := factory()
	if err != nil {
		return Model{}, err
	}
	release(probe)
	spec := strings.TrimSpace(entry.Name + " " + strings.Join(append(append([]string(nil), entry.Preset...), params...), " "))
	return Model{Name: s.Name, Classifier: s.Classifier, Spec: spec, New: factory}, nil
}

// Models resolves names (see Lookup) into models.
func Models(names ...string) ([]Model, error) {
	out := make([]Model, 0, len(names))
	for _, n := range names {
		s, err := Lookup(strings.TrimSpace(n))
		if err != nil {
			return nil, err
		}
		m, err := s.Model()
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}
