package synth

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestLinearModelDeterministic(t *testing.T) {
	a, err := NewLinearModel(WithSeed(7))
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewLinearModel(WithSeed(7))
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewLinearModel(WithSeed(8))
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(a.Coefficients(), b.Coefficients()) {
		t.Fatal("same seed gave different B")
	}
	if mat.Equal(a.Coefficients(), c.Coefficients()) {
		t.Fatal("seeds 7 and 8 gave the same B")
	}
	xa, ya := make([]float64, 10), make([]float64, 8)
	xb, yb := make([]float64, 10), make([]float64, 8)
	for i := 0; i < 100; i++ {
		ca, cb := a.Next(xa, ya), b.Next(xb, yb)
		if ca != int64(i) || cb != int64(i) {
			t.Fatalf("record %d: counters %d and %d", i, ca, cb)
		}
		for k := range xa {
			if xa[k] != xb[k] {
				t.Fatalf("record %d: x differs", i)
			}
		}
		for k := range ya {
			if ya[k] != yb[k] {
				t.Fatalf("record %d: y differs", i)
			}
		}
	}
	if a.Counter() != 100 {
		t.Fatalf("Counter() = %d after 100 records", a.Counter())
	}
}

func TestLinearModelDefaults(t *testing.T) {
	g, err := NewLinearModel()
	if err != nil {
		t.Fatal(err)
	}
	p := g.Params()
	if p.Inputs != 10 || p.Outputs != 8 || p.LatentDim != 15 || p.Lambda != 1 || p.NoiseScale != 0.1 || p.Construction != "bartlett" {
		t.Fatalf("defaults: %+v", p)
	}
	if r, c := g.Coefficients().Dims(); r != 8 || c != 10 {
		t.Fatalf("B is %d×%d, want 8×10", r, c)
	}
}

// TestLinearModelNoise checks y − Bx: mean 0, standard deviation 0.1, and
// independent across records (the original shared one noise vector per
// batch; here every record draws its own).
func TestLinearModelNoise(t *testing.T) {
	for _, c := range []Construction{Bartlett, OriginalScatter} {
		g, err := NewLinearModel(WithSeed(11), WithConstruction(c))
		if err != nil {
			t.Fatal(err)
		}
		b := g.Coefficients()
		x, y := make([]float64, 10), make([]float64, 8)
		const n = 20000
		var sum, sumSq, lag float64
		prev := math.NaN()
		xmin, xmax := 1.0, 0.0
		for i := 0; i < n; i++ {
			g.Next(x, y)
			for _, v := range x {
				xmin, xmax = math.Min(xmin, v), math.Max(xmax, v)
			}
			var bx mat.VecDense
			bx.MulVec(b, mat.NewVecDense(10, x))
			w := y[0] - bx.AtVec(0)
			sum += w
			sumSq += w * w
			if !math.IsNaN(prev) {
				lag += w * prev
			}
			prev = w
		}
		mean := sum / n
		sd := math.Sqrt(sumSq/n - mean*mean)
		if math.Abs(mean) > 0.003 || math.Abs(sd-0.1) > 0.003 {
			t.Errorf("%v: noise mean %.4f sd %.4f, want 0 and 0.1", c, mean, sd)
		}
		if corr := lag / n / (sd * sd); math.Abs(corr) > 0.03 {
			t.Errorf("%v: lag-1 noise correlation %.3f, want ≈ 0", c, corr)
		}
		if xmin < 0 || xmax >= 1 || xmin > 0.001 || xmax < 0.999 {
			t.Errorf("%v: x range [%g, %g], want U(0,1)", c, xmin, xmax)
		}
	}
}

// TestLinearModelCoefficientScale compares the spread of B under the two
// constructions over many seeds. With W = I, ν = 15, n = 10: the original
// draws μ ~ N(0, I), so E[B_ij²] = 1 + E[Λ⁻¹]_ii = 1 + 1/4; the true
// normal-Wishart draws μ ~ N(0, Λ⁻¹), so E[B_ij²] = 2 E[Λ⁻¹]_ii = 1/2.
func TestLinearModelCoefficientScale(t *testing.T) {
	for _, tc := range []struct {
		c    Construction
		want float64
	}{{Bartlett, 0.5}, {OriginalScatter, 1.25}} {
		var sumSq float64
		const seeds = 400
		for s := int64(0); s < seeds; s++ {
			g, err := NewLinearModel(WithSeed(s), WithConstruction(tc.c))
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range g.Coefficients().RawMatrix().Data {
				sumSq += v * v
			}
		}
		got := sumSq / (seeds * 80)
		if math.Abs(got-tc.want)/tc.want > 0.12 {
			t.Errorf("%v: E[B²] = %.3f, want %.3f", tc.c, got, tc.want)
		}
	}
}

func TestLinearModelRejectsBadParameters(t *testing.T) {
	cases := map[string][]LinearOption{
		"no inputs":        {WithInputs(0)},
		"no outputs":       {WithOutputs(0)},
		"negative noise":   {WithNoiseScale(-1)},
		"nu too small":     {WithLatentDim(5)},
		"bad construction": {WithParams(LinearModelParams{Inputs: 2, Outputs: 2, LatentDim: 5, Lambda: 1, Construction: "nope"})},
		"prior mean size":  {WithPriorMean([]float64{1, 2})},
		"scale size":       {WithScale(identity(3))},
		"asymmetric scale": {WithInputs(2), WithLatentDim(4), WithParams(LinearModelParams{Inputs: 2, Outputs: 1, LatentDim: 4, Lambda: 1, Scale: []float64{1, 0.5, 0, 1}})},
	}
	for name, opts := range cases {
		if _, err := NewLinearModel(opts...); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestLinearModelCustomPrior(t *testing.T) {
	// A prior mean far from 0 with a large λ pins μ and so the average of
	// B's rows near μ0.
	mu0 := []float64{5, -5, 10}
	g, err := NewLinearModel(WithInputs(3), WithOutputs(200), WithLatentDim(30),
		WithLambda(1e6), WithPriorMean(mu0), WithScale(testScale()), WithSeed(1))
	if err != nil {
		t.Fatal(err)
	}
	b := g.Coefficients()
	for i, want := range mu0 {
		got := mat.Sum(b.ColView(i)) / 200
		if math.Abs(got-want) > 0.1 {
			t.Errorf("mean of column %d = %.3f, want %.1f", i, got, want)
		}
	}
}

func ExampleLinearModel() {
	g, err := NewLinearModel(WithSeed(7))
	if err != nil {
		panic(err)
	}
	counter, x, y := g.Sample()
	fmt.Println("counter:", counter, "inputs:", len(x), "outputs:", len(y))
	fmt.Println("B:", g.Params().Outputs, "×", g.Params().Inputs)
	counter, _, _ = g.Sample()
	fmt.Println("next counter:", counter)
	// Output:
	// counter: 0 inputs: 10 outputs: 8
	// B: 8 × 10
	// next counter: 1
}

func BenchmarkLinearModelNext(b *testing.B) {
	g, err := NewLinearModel(WithSeed(1))
	if err != nil {
		b.Fatal(err)
	}
	x, y := make([]float64, 10), make([]float64, 8)
	b.ReportAllocs()
	for b.Loop() {
		g.Next(x, y)
	}
}
