package linearmodel

import (
	"testing"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

func TestPerOutputIsIndependentCopies(t *testing.T) {
	// Each member must follow exactly the single-output model on its own
	// target, as River's PerOutputRegressor clones the base model per key.
	data := regStream(42, 100, 5, false)
	p, err := NewPerOutputLinearRegression(2, WithL2(0.01))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := NewLinearRegression(WithL2(0.01))
	b, _ := NewLinearRegression(WithL2(0.01))
	var pred []float64
	for _, r := range data {
		y := []float64{r.y, -2 * r.y}
		pred = p.PredictOne(r.x, pred)
		if pred[0] != a.PredictOne(r.x) || pred[1] != b.PredictOne(r.x) {
			t.Fatal("PerOutput prediction differs from its single-output models")
		}
		p.LearnOne(r.x, y)
		a.LearnOne(r.x, y[0])
		b.LearnOne(r.x, y[1])
	}
	coef, icpt := p.Coefficients(5)
	for i := 0; i < 5; i++ {
		if coef.At(0, i) != a.Weight(i) || coef.At(1, i) != b.Weight(i) {
			t.Fatalf("Coefficients column %d differs", i)
		}
	}
	if icpt[0] != a.Intercept() || icpt[1] != b.Intercept() {
		t.Fatal("intercepts differ")
	}
	if p.Outputs() != 2 || p.MemoryBytes() <= 0 {
		t.Fatal("Outputs/MemoryBytes")
	}
}

func TestPerOutputSnapshot(t *testing.T) {
	p, _ := NewPerOutputLinearRegression(3)
	x := feature.Dense([]float64{1, 2})
	p.LearnOne(x, []float64{1, 2, 3})
	m, err := snapshot.Unmarshal(snapshot.Marshal(p))
	if err != nil {
		t.Fatal(err)
	}
	q := m.(*PerOutput)
	checkFloats(t, "restored predictions", q.PredictOne(x, nil), p.PredictOne(x, nil))
}

func TestPerOutputErrors(t *testing.T) {
	if _, err := NewPerOutputLinearRegression(0); err == nil {
		t.Error("zero outputs accepted")
	}
	if _, err := NewPerOutput(2, func() (base.Regressor, error) { return nil, nil }); err == nil {
		t.Error("nil member accepted")
	}
	if _, err := NewPerOutputLinearRegression(2, WithClipGradient(-1)); err == nil {
		t.Error("bad member option accepted")
	}
	p, _ := NewPerOutputLinearRegression(2)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("wrong number of targets accepted")
			}
		}()
		p.LearnOne(feature.Dense([]float64{1}), []float64{1})
	}()
}
