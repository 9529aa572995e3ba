package synth

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// MomentCheck compares a normal-Wishart's sample moments with what the
// construction should give: a Monte Carlo check that a sampler draws the
// distribution it claims (notebook 01 shows one for each construction).
//
// Each figure is averaged over the D coordinates as well as the draws, so a
// check is two numbers against two expectations. The standard errors are
// those of the per-draw averages, so |Mean − Theory| beyond about 4 SE
// means the sampler is not drawing what Theory describes.
type MomentCheck struct {
	Construction Construction
	Draws        int
	// MeanPrecisionDiag is the sample mean of Λ_ii; TheoryPrecisionDiag is
	// its expectation, the mean of νW_ii: E[Λ] = νW under both
	// constructions.
	MeanPrecisionDiag, TheoryPrecisionDiag, PrecisionDiagSE float64
	// MeanVarMu is the sample mean of (μ_i − μ0_i)², which estimates
	// Var(μ_i) since E[μ] = μ0. TheoryVarMu is its expectation: for
	// Bartlett E[(λΛ)⁻¹]_ii = (W⁻¹)_ii / (λ(ν−D−1)), +Inf when ν ≤ D+1
	// (the variance does not exist); for OriginalScatter W_ii, since the
	// original drew μ ~ N(μ0, W) and ignored λ.
	MeanVarMu, TheoryVarMu, VarMuSE float64
}

// Consistent reports whether both sample means are within z standard errors
// of their expectations (z = 4 makes a false alarm rarer than 1 in 10,000
// per figure). An infinite expectation is never consistent.
func (c MomentCheck) Consistent(z float64) bool {
	return math.Abs(c.MeanPrecisionDiag-c.TheoryPrecisionDiag) <= z*c.PrecisionDiagSE &&
		math.Abs(c.MeanVarMu-c.TheoryVarMu) <= z*c.VarMuSE
}

// CheckMoments draws (μ, Λ) draws times with rng and compares their
// moments with the construction's expectations.
func (nw *NormalWishart) CheckMoments(rng *rand.Rand, draws int) (MomentCheck, error) {
	if draws < 2 {
		return MomentCheck{}, fmt.Errorf("synth: moment check needs at least 2 draws, got %d", draws)
	}
	if rng == nil {
		return MomentCheck{}, errors.New("synth: moment check needs a random source")
	}
	d := nw.dim
	c := MomentCheck{Construction: nw.construction, Draws: draws}

	// W_ii = Σ_k L_ik²; (W⁻¹)_ii = Σ_k (L⁻¹)_ki², as W⁻¹ = L⁻ᵀ L⁻¹.
	l := mat.NewTriDense(d, mat.Lower, nw.cholW)
	var linv mat.TriDense
	if err := linv.InverseTri(l); err != nil {
		return MomentCheck{}, fmt.Errorf("synth: inverting the scale matrix: %w", err)
	}
	var wDiag, wInvDiag float64
	for i := 0; i < d; i++ {
		for k := 0; k < d; k++ {
			wDiag += l.At(i, k) * l.At(i, k)
			wInvDiag += linv.At(k, i) * linv.At(k, i)
		}
	}
	wDiag /= float64(d)
	wInvDiag /= float64(d)
	c.TheoryPrecisionDiag = nw.nu * wDiag
	switch {
	case nw.construction == OriginalScatter:
		c.TheoryVarMu = wDiag
	case nw.nu > float64(d)+1:
		c.TheoryVarMu = wInvDiag / (nw.lambda * (nw.nu - float64(d) - 1))
	default:
		c.TheoryVarMu = math.Inf(1)
	}

	// Welford over the per-draw averages gives the means and their
	// standard errors in one pass.
	var precMean, precM2, muMean, muM2 float64
	for s := 0; s < draws; s++ {
		mu, prec := nw.Sample(rng)
		var diag, sq float64
		for i := 0; i < d; i++ {
			diag += prec.At(i, i)
			dev := mu[i] - nw.mu0[i]
			sq += dev * dev
		}
		diag /= float64(d)
		sq /= float64(d)
		n := float64(s + 1)
		delta := diag - precMean
		precMean += delta / n
		precM2 += delta * (diag - precMean)
		delta = sq - muMean
		muMean += delta / n
		muM2 += delta * (sq - muMean)
	}
	n := float64(draws)
	c.MeanPrecisionDiag, c.PrecisionDiagSE = precMean, math.Sqrt(precM2/(n-1)/n)
	c.MeanVarMu, c.VarMuSE = muMean, math.Sqrt(muM2/(n-1)/n)
	return c, nil
}

// CheckNormalWishart checks the prior of a LinearModel with parameters p
// under both constructions, Bartlett then OriginalScatter, whatever
// p.Construction says: n = p.Inputs, ν = p.LatentDim, λ = p.Lambda, and μ0
// and W from p (zero and the identity by default). Each construction draws
// from its own PCG source seeded with p.Seed, so a seed gives the same
// figures every time.
func CheckNormalWishart(p LinearModelParams, draws int) ([]MomentCheck, error) {
	mu0, scale, err := linearPrior(p)
	if err != nil {
		return nil, err
	}
	var out []MomentCheck
	for _, c := range []Construction{Bartlett, OriginalScatter} {
		nw, err := NewNormalWishart(mu0, p.Lambda, scale, float64(p.LatentDim), c)
		if err != nil {
			return out, fmt.Errorf("%s construction: %w", c, err)
		}
		res, err := nw.CheckMoments(rand.New(rand.NewPCG(uint64(p.Seed), 1)), draws)
		if err != nil {
			return out, err
		}
		out = append(out, res)
	}
	return out, nil
}
