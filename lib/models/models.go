package models

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
)

// ClassifierFactory builds a classifier from parameters. The schema names
// the features (for nominal_attributes and similar); it may be nil.
type ClassifierFactory func(p *Params, schema *feature.Schema) (base.Classifier, error)

// RegressorFactory builds a regressor from parameters.
type RegressorFactory func(p *Params, schema *feature.Schema) (base.Regressor, error)

// Entry describes a registered model.
type Entry struct {
	Name        string // short CLI name, e.g. "hat"
	RiverName   string // River's class, e.g. "HoeffdingAdaptiveTreeClassifier"
	Description string
	Classifier  ClassifierFactory
	Regressor   RegressorFactory
	// Preset parameters applied before the user's (used by presets such as
	// the seed's "srp-hat").
	Preset []string
}

var (
	mu      sync.RWMutex
	entries = map[string]*Entry{}
)

// Register adds a model. It panics on a duplicate name.
func Register(e Entry) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := entries[e.Name]; dup {
		panic("models: registered twice: " + e.Name)
	}
	entries[e.Name] = &e
}

// Lookup finds a model by name (case-insensitive; River's class name works too).
func Lookup(name string) (*Entry, bool) {
	mu.RLock()
	defer mu.RUnlock()
	if e, ok := entries[strings.ToLower(name)]; ok {
		return e, true
	}
	for _, e := range entries {
		if strings.EqualFold(e.RiverName, name) || strings.EqualFold(e.Name, name) {
			return e, true
		}
	}
	return nil, false
}

// Names lists the registered model names, sorted.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(entries))
	for n := range entries {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// NewClassifier builds the named classifier from "name=value" parameters and
// fails on unknown or malformed parameters.
func NewClassifier(name string, params []string, schema *feature.Schema) (base.Classifier, error) {
	e, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown model %q; known models: %s", name, strings.Join(Names(), ", "))
	}
	if e.Classifier == nil {
		return nil, fmt.Errorf("model %q is a regressor, not a classifier", name)
	}
	p, err := ParseParams(append(append([]string(nil), e.Preset...), params...))
	if err != nil {
		return nil, err
	}
	m, err := e.Classifier(p, schema)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", name, err)
	}
	if err := p.Finish(); err != nil {
		return nil, fmt.Errorf("model %s: %w", name, err)
	}
	return m, nil
}

// NewRegressor builds the named regressor.
func NewRegressor(name string, params []string, schema *feature.Schema) (base.Regressor, error) {
	e, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown model %q; known models: %s", name, strings.Join(Names(), ", "))
	}
	if e.Regressor == nil {
		return nil, fmt.Errorf("model %q is a classifier, not a regressor", name)
	}
	p, err := ParseParams(append(append([]string(nil), e.Preset...), params...))
	if err != nil {
		return nil, err
	}
	m, err := e.Regressor(p, schema)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", name, err)
	}
	if err := p.Finish(); err != nil {
		return nil, fmt.Errorf("model %s: %w", name, err)
	}
	return m, nil
}

// Params holds hyper-parameters by River name. Getters record the first
// malformed value; Finish reports it, and any parameter nobody read.
type Params struct {
	values map[string]string
	used   map[string]bool
	prefix string
	err    *error
}

// ParseParams reads "name=value" pairs. A later pair overrides an earlier one.
func ParseParams(kv []string) (*Params, error) {
	var e error
	p := &Params{values: map[string]string{}, used: map[string]bool{}, err: &e}
	for _, s := range kv {
		k, v, ok := strings.Cut(s, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("parameter %q: want name=value", s)
		}
		p.values[k] = strings.TrimSpace(v)
	}
	return p, nil
}

// Sub returns the parameters under "prefix." (for a nested model).
func (p *Params) Sub(prefix string) *Params {
	return &Params{values: p.values, used: p.used, prefix: p.prefix + prefix + ".", err: p.err}
}

func (p *Params) lookup(name string) (string, bool) {
	k := p.prefix + name
	v, ok := p.values[k]
	if ok {
		p.used[k] = true
	}
	return v, ok
}

func (p *Params) fail(name, v, want string) {
	if *p.err == nil {
		*p.err = fmt.Errorf("parameter %s%s=%q: want %s", p.prefix, name, v, want)
	}
}

// Has reports whether a parameter was given.
func (p *Params) Has(name string) bool { _, ok := p.values[p.prefix+name]; return ok }

// String returns a string parameter or def.
func (p *Params) String(name, def string) string {
	if v, ok := p.lookup(name); ok {
		return v
	}
	return def
}

// Float returns a float parameter or def.
func (p *Params) Float(name string, def float64) float64 {
	v, ok := p.lookup(name)
	if !ok {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		p.fail(name, v, "a number")
		return def
	}
	return f
}

// Int returns an integer parameter or def.
func (p *Params) Int(name string, def int) int {
	v, ok := p.lookup(name)
	if !ok {
		return def
	}
	i, err := strconv.Atoi(v)
	if err != nil {
		if f, ferr := strconv.ParseFloat(v, 64); ferr == nil && f == float64(int(f)) {
			return int(f)
		}
		p.fail(name, v, "an integer")
		return def
	}
	return i
}

// OptionalInt reads an integer parameter whose River default is None:
// absent or "none" gives ok=false.
func (p *Params) OptionalInt(name string) (int, bool) {
	v := p.String(name, "")
	if v == "" || strings.EqualFold(v, "none") {
		return 0, false
	}
	i, err := strconv.Atoi(v)
	if err != nil {
		p.Fail(name, "an integer or none")
		return 0, false
	}
	return i, true
}

// Bool returns a boolean parameter or def.
func (p *Params) Bool(name string, def bool) bool {
	v, ok := p.lookup(name)
	if !ok {
		return def
	}
	b, err := strconv.ParseBool(strings.ToLower(v))
	if err != nil {
		p.fail(name, v, "true or false")
		return def
	}
	return b
}

// List returns a comma-separated list parameter or nil.
func (p *Params) List(name string) []string {
	v, ok := p.lookup(name)
	if !ok || v == "" {
		return nil
	}
	parts := strings.Split(v, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// OneOf returns a parameter that must be one of the allowed values.
func (p *Params) OneOf(name, def string, allowed ...string) string {
	v, ok := p.lookup(name)
	if !ok {
		return def
	}
	for _, a := range allowed {
		if strings.EqualFold(v, a) {
			return a
		}
	}
	p.fail(name, v, "one of "+strings.Join(allowed, ", "))
	return def
}

// Fail records an error about a parameter's value.
func (p *Params) Fail(name, want string) {
	v, _ := p.values[p.prefix+name]
	p.fail(name, v, want)
}

// Err returns the first malformed-value error.
func (p *Params) Err() error { return *p.err }

// Finish returns the first malformed-value error or an error naming the
// parameters that no factory read.
func (p *Params) Finish() error {
	if *p.err != nil {
		return *p.err
	}
	var unused []string
	for k := range p.values {
		if !p.used[k] {
			unused = append(unused, k)
		}
	}
	if len(unused) > 0 {
		sort.Strings(unused)
		return fmt.Errorf("unknown parameter(s): %s", strings.Join(unused, ", "))
	}
	return nil
}

// Nominal resolves nominal attribute names through the schema.
func (p *Params) Nominal(schema *feature.Schema) []int {
	names := p.List("nominal_attributes")
	var out []int
	for _, n := range names {
		i, ok := schema.Index(n)
		if !ok {
			p.fail("nominal_attributes", n, fmt.Sprintf("a feature name (known: %s)", strings.Join(schema.Names(), ",")))
			continue
		}
		out = append(out, i)
	}
	return out
}
