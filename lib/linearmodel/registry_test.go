package linearmodel

import (
	"testing"

	"github.com/rivulet-ml/rivulet/lib/models"
)

func TestRegistry(t *testing.T) {
	c, err := models.NewClassifier("LogisticRegression", []string{"optimizer.lr=0.5", "l2=0.01", "loss.weight_pos=3"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	lr := c.(*LogisticRegression)
	if lr.cfg.lr != 0.5 || lr.cfg.l2 != 0.01 || lr.cfg.weightPos != 3 || lr.cfg.weightNeg != 1 {
		t.Fatalf("parameters not applied: %+v", lr.cfg)
	}
	if _, err := models.NewClassifier("logistic-regression", nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]string{{"l1=0.1"}, {"optimizer=Adam"}, {"clip_gradient=-1"}, {"grace_period=3"}} {
		if _, err := models.NewClassifier("logistic-regression", bad, nil); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	r, err := models.NewRegressor("linear-regression", []string{"intercept_lr=0.1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.(*LinearRegression).cfg.interceptLR != 0.1 {
		t.Fatal("intercept_lr not applied")
	}
	if _, err := models.NewRegressor("linear-regression", []string{"loss.weight_pos=2"}, nil); err == nil {
		t.Error("class weight accepted by the regressor")
	}
}
