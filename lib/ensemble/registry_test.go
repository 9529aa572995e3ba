package ensemble_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/ensemble"
	"github.com/rivulet-ml/rivulet/lib/models"
	_ "github.com/rivulet-ml/rivulet/lib/naivebayes"
	"github.com/rivulet-ml/rivulet/lib/synth"
	_ "github.com/rivulet-ml/rivulet/lib/tree"
)

func TestRegistry(t *testing.T) {
	s, err := synth.NewAgrawal(synth.Seed(1))
	if err != nil {
		t.Fatal(err)
	}
	good := []struct {
		name   string
		params []string
		base   string // type of the members
	}{
		{"srp", nil, "*tree.HoeffdingTreeClassifier"},
		{"srp", []string{"model.grace_period=100", "n_models=3", "subspace_size=sqrt", "seed=1"}, "*tree.HoeffdingTreeClassifier"},
		{"srp", []string{"model=hat", "model.grace_period=100", "model.seed=0", "training_method=subspaces", "weighted_learning=true", "workers=2"}, "*tree.HoeffdingAdaptiveTreeClassifier"},
		{"srp", []string{"model=gaussian-nb", "disable_detector=warning", "drift_detector.delta=0.001"}, "*naivebayes.GaussianNB"},
		{"srp-hat", nil, "*tree.HoeffdingAdaptiveTreeClassifier"},
		{"srp-nb", []string{"n_models=4"}, "*naivebayes.BernoulliNB"},
		{"SRPClassifier", []string{"subspace_size=5"}, "*tree.HoeffdingTreeClassifier"},
		{"leveraging-bagging", []string{"model=gaussian-nb", "bagging_method=wt", "w=3"}, "*naivebayes.GaussianNB"},
		{"adwin-bagging", []string{"model=ht", "model.grace_period=20", "seed=3"}, "*tree.HoeffdingTreeClassifier"},
	}
	for _, c := range good {
		m, err := models.NewClassifier(c.name, c.params, s.Schema())
		if err != nil {
			t.Errorf("%s %v: %v", c.name, c.params, err)
			continue
		}
		acc, _ := prequentialAcc(s, m, 300)
		var members []string
		switch e := m.(type) {
		case *ensemble.SRPClassifier:
			for _, b := range e.Members() {
				members = append(members, typeName(b))
			}
			e.Close()
		case *ensemble.LeveragingBagging:
			for _, b := range e.Members() {
				members = append(members, typeName(b))
			}
		case *ensemble.ADWINBagging:
			for _, b := range e.Members() {
				members = append(members, typeName(b))
			}
		}
		if len(members) == 0 || members[0] != c.base {
			t.Errorf("%s %v: members %v, want %s", c.name, c.params, members, c.base)
		}
		if acc < 0.5 {
			t.Errorf("%s %v: accuracy %v", c.name, c.params, acc)
		}
	}
	bad := []struct {
		name   string
		params []string
		want   string
	}{
		{"srp", []string{"model=gaussian-nb", "model.grace_period=3"}, "model.grace_period"},
		{"srp", []string{"model=nope"}, "unknown model"},
		{"srp", []string{"subspace_size=2"}, "subspace_size"},
		{"srp", []string{"training_method=bagging"}, "training_method"},
		{"srp", []string{"disable_detector=both"}, "disable_detector"},
		{"srp", []string{"model.nope=1"}, "model.nope"},
		{"srp", []string{"drift_detector.delta=2"}, "drift_detector.delta"},
		{"srp", []string{"model=srp-hat"}, "preset"},
		{"leveraging-bagging", nil, "model is required"},
		{"leveraging-bagging", []string{"model=ht", "bagging_method=x"}, "bagging_method"},
	}
	for _, c := range bad {
		_, err := models.NewClassifier(c.name, c.params, s.Schema())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: error %v, want one mentioning %q", c.name, c.params, err, c.want)
		}
	}
}

func typeName(v any) string { return fmt.Sprintf("%T", v) }

func prequentialAcc(s synth.Stream, m base.Classifier, n int) (float64, int) {
	correct := 0
	for x, y := range synth.Take(s, n) {
		if m.PredictOne(x) == y {
			correct++
		}
		m.LearnOne(x, y)
	}
	return float64(correct) / float64(n), correct
}
