package linearmodel

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
	"github.com/rivulet-ml/rivulet/lib/synth"
)

// ridgeSolution is the batch estimate RLS must reproduce exactly: with
// forgetting λ and P₀ = δI after n records z_t (with the intercept 1
// appended),
//
//	W = (Σ λ^(n−t) z_t z_tᵀ + λⁿ/δ I)⁻¹ Σ λ^(n−t) z_t y_tᵀ.
func ridgeSolution(t *testing.T, xs, ys [][]float64, lambda, delta float64) *mat.Dense {
	t.Helper()
	n, d, k := len(xs), len(xs[0])+1, len(ys[0])
	a := mat.NewSymDense(d, nil)
	b := mat.NewDense(d, k, nil)
	for i := 0; i < d; i++ {
		a.SetSym(i, i, math.Pow(lambda, float64(n))/delta)
	}
	for s := range xs {
		wt := math.Pow(lambda, float64(n-1-s))
		z := append(append([]float64(nil), xs[s]...), 1)
		for i := 0; i < d; i++ {
			for j := i; j < d; j++ {
				a.SetSym(i, j, a.At(i, j)+wt*z[i]*z[j])
			}
			for o := 0; o < k; o++ {
				b.Set(i, o, b.At(i, o)+wt*z[i]*ys[s][o])
			}
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(a) {
		t.Fatal("normal equations not positive definite")
	}
	var w mat.Dense
	if err := chol.SolveTo(&w, b); err != nil {
		t.Fatal(err)
	}
	return &w // d×k: row i is input i (the last row the intercept)
}

func TestRLSMatchesBatchRidge(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const inputs, outputs, n = 4, 3, 60
	var xs, ys [][]float64
	for s := 0; s < n; s++ {
		x := make([]float64, inputs)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		y := []float64{x[0] - x[1] + 0.3, 2*x[2] + rng.NormFloat64(), rng.NormFloat64()}
		xs, ys = append(xs, x), append(ys, y)
	}
	for _, tc := range []struct{ lambda, delta float64 }{{1, 1e4}, {1, 0.5}, {0.95, 10}} {
		r, err := NewRLS(inputs, outputs, WithForgetting(tc.lambda), WithInitialCovariance(tc.delta))
		if err != nil {
			t.Fatal(err)
		}
		for s := range xs {
			r.LearnOne(feature.Dense(xs[s]), ys[s])
		}
		want := ridgeSolution(t, xs, ys, tc.lambda, tc.delta)
		b, icpt := r.Coefficients(inputs)
		for o := 0; o < outputs; o++ {
			for i := 0; i < inputs; i++ {
				if g, w := b.At(o, i), want.At(i, o); math.Abs(g-w) > 1e-8 {
					t.Errorf("λ=%v δ=%v: B[%d,%d] = %.12f, batch ridge %.12f", tc.lambda, tc.delta, o, i, g, w)
				}
			}
			if g, w := icpt[o], want.At(inputs, o); math.Abs(g-w) > 1e-8 {
				t.Errorf("λ=%v δ=%v: intercept[%d] = %.12f, batch ridge %.12f", tc.lambda, tc.delta, o, g, w)
			}
		}
		if r.Records() != n {
			t.Errorf("Records() = %d", r.Records())
		}
		for i := 0; i < r.d; i++ {
			for j := 0; j < i; j++ {
				if r.p[i*r.d+j] != r.p[j*r.d+i] {
					t.Fatalf("P[%d,%d] = %v but P[%d,%d] = %v", i, j, r.p[i*r.d+j], j, i, r.p[j*r.d+i])
				}
			}
		}
	}
}

// TestRLSRecoversLinearModel is the learner's acceptance check in
// miniature: 2000 records of the seed's stream give ‖B̂−B‖_F/‖B‖_F < 0.02.
func TestRLSRecoversLinearModel(t *testing.T) {
	g, err := synth.NewLinearModel(synth.WithSeed(7))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := NewRLS(10, 8)
	x, y := make([]float64, 10), make([]float64, 8)
	for s := 0; s < 2000; s++ {
		g.Next(x, y)
		r.LearnOne(feature.Dense(x), y)
	}
	bHat, _ := r.Coefficients(10)
	var diff mat.Dense
	diff.Sub(bHat, g.Coefficients())
	rel := mat.Norm(&diff, 2) / mat.Norm(g.Coefficients(), 2)
	if rel >= 0.02 {
		t.Fatalf("relative error %.4f after 2000 records", rel)
	}
}

func TestRLSPriorPrediction(t *testing.T) {
	a, _ := NewRLS(3, 2)
	b, _ := NewRLS(3, 2)
	rng := rand.New(rand.NewPCG(3, 3))
	prior := make([]float64, 2)
	var pred []float64
	for s := 0; s < 50; s++ {
		x := feature.Dense([]float64{rng.Float64(), rng.Float64(), rng.Float64()})
		y := []float64{rng.Float64(), rng.Float64()}
		pred = a.PredictOne(x, pred)
		a.LearnOne(x, y)
		b.PredictLearnOne(x, y, prior)
		if pred[0] != prior[0] || pred[1] != prior[1] {
			t.Fatalf("record %d: PredictOne %v, PredictLearnOne prior %v", s, pred, prior)
		}
	}
}

func TestRLSMissingAndSparse(t *testing.T) {
	// NaN, a short dense record and an absent sparse index are all 0.
	a, _ := NewRLS(3, 1)
	b, _ := NewRLS(3, 1)
	c, _ := NewRLS(3, 1)
	for s := 0; s < 20; s++ {
		v := float64(s%7) - 3
		y := []float64{2*v + 1}
		a.LearnOne(feature.Dense([]float64{v, math.NaN(), 0}), y)
		b.LearnOne(feature.Dense([]float64{v}), y)
		c.LearnOne(feature.Sparse([]int32{0}, []float64{v}), y)
	}
	ba, _ := a.Coefficients(3)
	bb, _ := b.Coefficients(3)
	bc, _ := c.Coefficients(3)
	if !mat.Equal(ba, bb) || !mat.Equal(ba, bc) {
		t.Fatalf("missing-value forms disagree:\n%v\n%v\n%v", mat.Formatted(ba), mat.Formatted(bb), mat.Formatted(bc))
	}
	if math.Abs(ba.At(0, 0)-2) > 1e-3 {
		t.Fatalf("slope %v, want 2", ba.At(0, 0))
	}
}

func TestRLSSkipsNonFinite(t *testing.T) {
	r, _ := NewRLS(2, 2)
	r.LearnOne(feature.Dense([]float64{1, 2}), []float64{1, 2})
	before, _ := r.Coefficients(2)
	r.LearnOne(feature.Dense([]float64{1, 2}), []float64{math.NaN(), 1})
	r.LearnOne(feature.Dense([]float64{math.Inf(1), 2}), []float64{1, 1})
	after, _ := r.Coefficients(2)
	if r.Skipped() != 2 || r.Records() != 1 {
		t.Fatalf("Skipped %d Records %d, want 2 and 1", r.Skipped(), r.Records())
	}
	if !mat.Equal(before, after) {
		t.Fatal("a skipped record changed the coefficients")
	}
	for _, v := range after.RawMatrix().Data {
		if math.IsNaN(v) {
			t.Fatal("NaN coefficient")
		}
	}
}

func TestRLSPanicsOnShapeMismatch(t *testing.T) {
	r, _ := NewRLS(2, 2)
	for name, f := range map[string]func(){
		"targets":      func() { r.LearnOne(feature.Dense([]float64{1, 2}), []float64{1}) },
		"dense inputs": func() { r.LearnOne(feature.Dense([]float64{1, 2, 3}), []float64{1, 2}) },
		"sparse index": func() { r.PredictOne(feature.Sparse([]int32{2}, []float64{1}), nil) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestRLSOptions(t *testing.T) {
	for i, c := range []struct {
		in, out int
		opts    []RLSOption
	}{
		{0, 1, nil}, {1, 0, nil},
		{1, 1, []RLSOption{WithForgetting(0)}},
		{1, 1, []RLSOption{WithForgetting(1.01)}},
		{1, 1, []RLSOption{WithInitialCovariance(0)}},
		{1, 1, []RLSOption{WithInitialCovariance(math.Inf(1))}},
	} {
		if _, err := NewRLS(c.in, c.out, c.opts...); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
	// Without an intercept the model goes through the origin.
	r, _ := NewRLS(1, 1, WithIntercept(false))
	for s := 0; s < 10; s++ {
		r.LearnOne(feature.Dense([]float64{float64(s)}), []float64{3*float64(s) + 5})
	}
	b, icpt := r.Coefficients(1)
	if icpt[0] != 0 || b.At(0, 0) < 3.5 {
		t.Fatalf("no-intercept fit: slope %v intercept %v", b.At(0, 0), icpt[0])
	}
}

func TestRLSForgettingTracksDrift(t *testing.T) {
	// The slope jumps from 1 to −1 halfway: λ = 0.98 follows, λ = 1
	// averages both regimes.
	fast, _ := NewRLS(1, 1, WithForgetting(0.98))
	slow, _ := NewRLS(1, 1)
	rng := rand.New(rand.NewPCG(5, 5))
	for s := 0; s < 2000; s++ {
		slope := 1.0
		if s >= 1000 {
			slope = -1
		}
		x := rng.Float64()
		y := []float64{slope*x + 0.01*rng.NormFloat64()}
		fast.LearnOne(feature.Dense([]float64{x}), y)
		slow.LearnOne(feature.Dense([]float64{x}), y)
	}
	bf, _ := fast.Coefficients(1)
	bs, _ := slow.Coefficients(1)
	if math.Abs(bf.At(0, 0)+1) > 0.05 {
		t.Errorf("λ=0.98 slope %v, want −1", bf.At(0, 0))
	}
	if math.Abs(bs.At(0, 0)) > 0.2 {
		t.Errorf("λ=1 slope %v, want ≈ 0 (both regimes averaged)", bs.At(0, 0))
	}
}

func TestRLSSnapshotRoundTrip(t *testing.T) {
	r, _ := NewRLS(3, 2, WithForgetting(0.99), WithInitialCovariance(50))
	rng := rand.New(rand.NewPCG(7, 7))
	rec := func() (feature.Vector, []float64) {
		return feature.Dense([]float64{rng.Float64(), rng.Float64(), rng.Float64()}), []float64{rng.Float64(), rng.Float64()}
	}
	for s := 0; s < 30; s++ {
		x, y := rec()
		r.LearnOne(x, y)
	}
	m, err := snapshot.Unmarshal(snapshot.Marshal(r))
	if err != nil {
		t.Fatal(err)
	}
	c := m.(*RLS)
	for s := 0; s < 30; s++ {
		x, y := rec()
		r.LearnOne(x, y)
		c.LearnOne(x, y)
	}
	br, _ := r.Coefficients(3)
	bc, _ := c.Coefficients(3)
	if !mat.Equal(br, bc) || c.Records() != r.Records() {
		t.Fatal("restored RLS diverged")
	}
}

func TestRLSNoAllocs(t *testing.T) {
	r, _ := NewRLS(10, 8)
	x := feature.Dense(make([]float64, 10))
	y := make([]float64, 8)
	prior := make([]float64, 8)
	for i := range x.Val {
		x.Val[i] = float64(i) / 10
	}
	if a := testing.AllocsPerRun(100, func() { r.PredictLearnOne(x, y, prior) }); a != 0 {
		t.Fatalf("PredictLearnOne allocates %v times per record", a)
	}
}
