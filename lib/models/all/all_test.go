package all

import (
	"slices"
	"testing"
)

func TestEveryFamilyRegistered(t *testing.T) {
	names := Names()
	for _, want := range []string{"arf", "srp", "srp-hat", "srp-nb", "ht", "hat", "gaussian-nb", "bernoulli-nb", "logistic-regression"} {
		if !slices.Contains(names, want) {
			t.Errorf("model %q is not registered; registered: %v", want, names)
		}
	}
}
