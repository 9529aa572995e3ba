package models

import (
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/feature"
)

func TestParamsTypesAndDefaults(t *testing.T) {
	p, err := ParseParams([]string{"grace_period=100", "delta=1e-5", "binary_split=true", "leaf_prediction=NB", "nominal_attributes=elevel, car", "model.alpha=2"})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Int("grace_period", 200); got != 100 {
		t.Errorf("grace_period %d", got)
	}
	if got := p.Float("delta", 1e-7); got != 1e-5 {
		t.Errorf("delta %v", got)
	}
	if !p.Bool("binary_split", false) {
		t.Error("binary_split")
	}
	if got := p.OneOf("leaf_prediction", "nba", "mc", "nb", "nba"); got != "nb" {
		t.Errorf("leaf_prediction %q", got)
	}
	if got := p.Float("tau", 0.05); got != 0.05 {
		t.Errorf("default tau %v", got)
	}
	schema := feature.NewSchema("salary", "elevel", "car")
	if got := p.Nominal(schema); len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Errorf("nominal %v", got)
	}
	if got := p.Sub("model").Float("alpha", 1); got != 2 {
		t.Errorf("model.alpha %v", got)
	}
	if err := p.Finish(); err != nil {
		t.Fatal(err)
	}
}

func TestParamsErrorsNameTheParameter(t *testing.T) {
	p, _ := ParseParams([]string{"grace_period=ten", "unknown=1"})
	p.Int("grace_period", 200)
	err := p.Finish()
	if err == nil || !strings.Contains(err.Error(), "grace_period") || !strings.Contains(err.Error(), "integer") {
		t.Fatalf("malformed value: %v", err)
	}
	p, _ = ParseParams([]string{"gracе_period=10"}) // a Cyrillic "е": a typo must not pass silently
	p.Int("grace_period", 200)
	if err := p.Finish(); err == nil || !strings.Contains(err.Error(), "unknown parameter") {
		t.Fatalf("unread parameter: %v", err)
	}
	if _, err := ParseParams([]string{"novalue"}); err == nil {
		t.Fatal("a parameter without '=' must be refused")
	}
	p, _ = ParseParams([]string{"split_criterion=entropy"})
	p.OneOf("split_criterion", "info_gain", "info_gain", "gini", "hellinger")
	if err := p.Finish(); err == nil || !strings.Contains(err.Error(), "one of info_gain, gini, hellinger") {
		t.Fatalf("OneOf: %v", err)
	}
}

func TestUnknownModel(t *testing.T) {
	if _, err := NewClassifier("no-such-model", nil, nil); err == nil || !strings.Contains(err.Error(), "unknown model") {
		t.Fatalf("got %v", err)
	}
}

// TestOptionalInt: River's None defaults — absent or "none" is unset, an
// integer is set, anything else is an error naming the parameter.
func TestOptionalInt(t *testing.T) {
	p, err := ParseParams([]string{"seed=42", "max_depth=None", "other=x"})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := p.OptionalInt("seed"); !ok || v != 42 {
		t.Errorf("seed: %d, %v", v, ok)
	}
	if _, ok := p.OptionalInt("max_depth"); ok {
		t.Error("max_depth=None is set")
	}
	if _, ok := p.OptionalInt("absent"); ok {
		t.Error("an absent parameter is set")
	}
	if _, ok := p.OptionalInt("other"); ok || p.Err() == nil || !strings.Contains(p.Err().Error(), "other") {
		t.Errorf("other=x: ok %v, error %v", ok, p.Err())
	}
}
