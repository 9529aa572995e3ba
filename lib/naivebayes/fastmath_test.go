package naivebayes

import (
	"math"
	"math/rand/v2"
	"testing"
)

// expRough against math.Exp over its whole domain, at the bound its doc
// comment states.
func TestExpRoughAccuracy(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	worst, worstU := 0.0, 0.0
	for i := 0; i < 2_000_000; i++ {
		var u float64
		switch i % 4 {
		case 0:
			u = r.Float64() * 708
		case 1:
			u = r.Float64() * 40
		case 2:
			u = r.Float64() * 1e-3
		default:
			u = math.Ldexp(r.Float64(), -r.IntN(60))
		}
		if i%8 < 4 {
			u = -u
		}
		want := math.Exp(u)
		if rel := math.Abs(expRough(u)-want) / want; rel > worst {
			worst, worstU = rel, u
		}
	}
	t.Logf("worst relative error %.3g at %v", worst, worstU)
	if worst > 1.5e-13 {
		t.Errorf("expRough: worst relative error %g at %v", worst, worstU)
	}
	for _, u := range []float64{0, math.Copysign(0, -1), 1, -1, 708, -708} {
		if want, got := math.Exp(u), expRough(u); math.Abs(got-want) > 1.5e-13*want {
			t.Errorf("expRough(%v) = %v, want %v", u, got, want)
		}
	}
}
