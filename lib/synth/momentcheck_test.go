package synth

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// within reports whether a Monte Carlo mean agrees with its expectation to
// 4 standard errors.
func within(mean, theory, se float64) bool { return math.Abs(mean-theory) <= 4*se }

func TestCheckMomentsAgainstTheory(t *testing.T) {
	w := testScale() // diag 2, 1, 0.5; (W⁻¹) diag from gonum below
	var winv mat.Dense
	if err := winv.Inverse(w); err != nil {
		t.Fatal(err)
	}
	const nu, lambda, draws = 7.0, 2.0, 20000
	meanW := (2.0 + 1 + 0.5) / 3
	meanWinv := (winv.At(0, 0) + winv.At(1, 1) + winv.At(2, 2)) / 3
	mu0 := []float64{1, -2, 0.5}

	bart, err := NewNormalWishart(mu0, lambda, w, nu, Bartlett)
	if err != nil {
		t.Fatal(err)
	}
	b, err := bart.CheckMoments(rand.New(rand.NewPCG(11, 1)), draws)
	if err != nil {
		t.Fatal(err)
	}
	if b.Construction != Bartlett || b.Draws != draws {
		t.Errorf("labels %v, %d", b.Construction, b.Draws)
	}
	if math.Abs(b.TheoryPrecisionDiag-nu*meanW) > 1e-12 || math.Abs(b.TheoryVarMu-meanWinv/(lambda*(nu-3-1))) > 1e-12 {
		t.Errorf("Bartlett theory %v, %v; want %v, %v", b.TheoryPrecisionDiag, b.TheoryVarMu, nu*meanW, meanWinv/(lambda*(nu-4)))
	}
	if !within(b.MeanPrecisionDiag, b.TheoryPrecisionDiag, b.PrecisionDiagSE) || !within(b.MeanVarMu, b.TheoryVarMu, b.VarMuSE) {
		t.Errorf("Bartlett sample disagrees with its theory: %+v", b)
	}
	if !(b.PrecisionDiagSE > 0 && b.PrecisionDiagSE < 0.05*b.TheoryPrecisionDiag && b.VarMuSE > 0 && b.VarMuSE < 0.05*b.TheoryVarMu) {
		t.Errorf("standard errors %v, %v for %d draws", b.PrecisionDiagSE, b.VarMuSE, draws)
	}

	// λ is ignored by the original construction: 50 would shrink Var(μ)
	// 25-fold if it were used.
	orig, err := NewNormalWishart(mu0, 50, w, nu, OriginalScatter)
	if err != nil {
		t.Fatal(err)
	}
	o, err := orig.CheckMoments(rand.New(rand.NewPCG(11, 1)), draws)
	if err != nil {
		t.Fatal(err)
	}
	if o.TheoryPrecisionDiag != b.TheoryPrecisionDiag || math.Abs(o.TheoryVarMu-meanW) > 1e-12 {
		t.Errorf("original theory %v, %v; want %v, %v", o.TheoryPrecisionDiag, o.TheoryVarMu, b.TheoryPrecisionDiag, meanW)
	}
	if !within(o.MeanPrecisionDiag, o.TheoryPrecisionDiag, o.PrecisionDiagSE) || !within(o.MeanVarMu, o.TheoryVarMu, o.VarMuSE) {
		t.Errorf("original sample disagrees with its theory: %+v", o)
	}
	// The check tells the constructions apart: each sample rejects the
	// other's Var(μ).
	if within(b.MeanVarMu, o.TheoryVarMu, b.VarMuSE) || within(o.MeanVarMu, b.TheoryVarMu, o.VarMuSE) {
		t.Errorf("the check cannot tell Bartlett (%v) from the original (%v)", b.MeanVarMu, o.MeanVarMu)
	}
	if !b.Consistent(4) || !o.Consistent(4) {
		t.Errorf("Consistent(4): Bartlett %v, original %v", b.Consistent(4), o.Consistent(4))
	}
	swapped := b
	swapped.TheoryVarMu = o.TheoryVarMu
	if swapped.Consistent(4) {
		t.Error("a Bartlett sample is consistent with the original's Var(μ)")
	}
	swapped = o
	swapped.TheoryPrecisionDiag *= 1.2
	if swapped.Consistent(4) {
		t.Error("a sample is consistent with 1.2 νW")
	}
}

func TestCheckMomentsUndefinedVariance(t *testing.T) {
	// ν ≤ D+1: E[Λ⁻¹] does not exist, so neither does Var(μ).
	nw, err := NewNormalWishart(make([]float64, 3), 1, identity(3), 3.5, Bartlett)
	if err != nil {
		t.Fatal(err)
	}
	c, err := nw.CheckMoments(rand.New(rand.NewPCG(1, 1)), 50)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsInf(c.TheoryVarMu, 1) || c.TheoryPrecisionDiag != 3.5 {
		t.Errorf("theory %v, %v; want +Inf, 3.5", c.TheoryVarMu, c.TheoryPrecisionDiag)
	}
	if c.Consistent(100) {
		t.Error("a finite sample is consistent with an infinite variance")
	}
	if _, err := nw.CheckMoments(rand.New(rand.NewPCG(1, 1)), 1); err == nil {
		t.Error("one draw accepted")
	}
	if _, err := nw.CheckMoments(nil, 10); err == nil {
		t.Error("nil source accepted")
	}
}

// Notebook 01's check: the seed's prior (n = 10, ν = 15, λ = 1, W = I),
// E[Λ_ii] = 15 under both constructions, Var(μ_i) = 1/(15−10−1) = 1/4 for
// a true normal-Wishart and 1 for the seed's sampler.
func TestCheckNormalWishart(t *testing.T) {
	p := DefaultLinearModelParams()
	p.Seed = 7
	p.Construction = OriginalScatter.String() // checks both whatever it says
	got, err := CheckNormalWishart(p, 2000)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Construction != Bartlett || got[1].Construction != OriginalScatter {
		t.Fatalf("checks %+v", got)
	}
	for i, want := range []struct{ prec, varMu float64 }{{15, 0.25}, {15, 1}} {
		c := got[i]
		if c.TheoryPrecisionDiag != want.prec || math.Abs(c.TheoryVarMu-want.varMu) > 1e-15 {
			t.Errorf("%v: theory %v, %v; want %v, %v", c.Construction, c.TheoryPrecisionDiag, c.TheoryVarMu, want.prec, want.varMu)
		}
		if !within(c.MeanPrecisionDiag, c.TheoryPrecisionDiag, c.PrecisionDiagSE) || !within(c.MeanVarMu, c.TheoryVarMu, c.VarMuSE) {
			t.Errorf("%v: %+v", c.Construction, c)
		}
	}
	again, err := CheckNormalWishart(p, 2000)
	if err != nil || again[0] != got[0] || again[1] != got[1] {
		t.Errorf("same seed, other figures: %+v vs %+v (%v)", again, got, err)
	}
	p.Seed = 8
	other, err := CheckNormalWishart(p, 2000)
	if err != nil || other[0].MeanVarMu == got[0].MeanVarMu {
		t.Errorf("another seed, same figures: %v", err)
	}
}

func TestCheckNormalWishartErrors(t *testing.T) {
	for _, c := range []struct {
		edit func(*LinearModelParams)
		want string
	}{
		{func(p *LinearModelParams) { p.Inputs = 0 }, "at least one input"},
		{func(p *LinearModelParams) { p.PriorMean = []float64{1} }, "prior mean has 1 entries"},
		{func(p *LinearModelParams) { p.Lambda = 0 }, "λ = 0"},
		// ν = 9 ≤ n − 1: no Wishart (and a singular scatter of 9 draws).
		{func(p *LinearModelParams) { p.LatentDim = 9 }, "bartlett construction: synth: normal-Wishart ν = 9"},
	} {
		p := DefaultLinearModelParams()
		c.edit(&p)
		if _, err := CheckNormalWishart(p, 100); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error with %q", p, err, c.want)
		}
	}
	if _, err := CheckNormalWishart(DefaultLinearModelParams(), 0); err == nil {
		t.Error("0 draws accepted")
	}
}
