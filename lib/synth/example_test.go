package synth_test

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rivulet-ml/rivulet/lib/synth"
)

// river prints values as River's doctests show them: truncated (not
// rounded) to d decimals, integers without decimals.
func river(vals []float64, d int) string {
	out := make([]string, len(vals))
	for i, v := range vals {
		if v == math.Trunc(v) {
			out[i] = strconv.Itoa(int(v))
			continue
		}
		p := math.Pow(10, float64(d))
		out[i] = strconv.FormatFloat(math.Trunc(v*p)/p, 'f', d, 64)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// River's doctest: synth.Agrawal(classification_function=0, seed=42).
func ExampleAgrawal() {
	g, err := synth.NewAgrawal(synth.ClassificationFunction(0), synth.Seed(42))
	if err != nil {
		panic(err)
	}
	fmt.Println(g.Schema().Names())
	for x, y := range synth.Take(g, 5) {
		fmt.Println(river(x.Val, 4), y)
	}
	// Output:
	// [salary commission age elevel car zipcode hvalue hyears loan]
	// [103125.4837, 0, 21, 2, 8, 3, 319768.9642, 4, 338349.7437] 1
	// [135983.3438, 0, 25, 4, 14, 0, 423837.7755, 7, 116330.4466] 1
	// [98262.4347, 0, 55, 1, 18, 6, 144088.1244, 19, 139095.3541] 0
	// [133009.0417, 0, 68, 1, 14, 5, 233361.4025, 7, 478606.5361] 1
	// [63757.2908, 16955.9382, 26, 2, 12, 4, 522851.3093, 24, 229712.4398] 1
}

// River's doctest: synth.SEA(variant=0, seed=42). River's False/True labels
// are classes 0 and 1.
func ExampleSEA() {
	g, err := synth.NewSEA(synth.Variant(0), synth.Seed(42))
	if err != nil {
		panic(err)
	}
	x := make([]float64, g.NFeatures())
	for range 5 {
		y := g.Next(x)
		fmt.Println(river(x, 5), y == 1)
	}
	// Output:
	// [6.39426, 0.25010, 2.75029] false
	// [2.23210, 7.36471, 6.76699] true
	// [8.92179, 0.86938, 4.21921] true
	// [0.29797, 2.18637, 5.05355] false
	// [0.26535, 1.98837, 6.49884] false
}

// River's doctest: LED(seed=112, noise_percentage=0.28). Generators are
// also built by name with River's parameter names, as the
// CLI's --stream and --stream-param do.
func ExampleNew() {
	opts, err := synth.ParseOptions([]string{"seed=112", "noise_percentage=0.28"})
	if err != nil {
		panic(err)
	}
	g, err := synth.New("led", opts...)
	if err != nil {
		panic(err)
	}
	for x, y := range synth.Take(g, 5) {
		fmt.Println(river(x.Val, 0), y)
	}
	// Output:
	// [1, 0, 1, 0, 0, 1, 0] 7
	// [1, 1, 1, 1, 1, 1, 0] 8
	// [1, 1, 1, 1, 0, 1, 0] 9
	// [0, 0, 1, 0, 0, 1, 0] 1
	// [0, 1, 1, 0, 0, 0, 0] 1
}

// River's doctest: a ConceptDriftStream from SEA variant 0 to variant 1,
// centred on record 5 with width 2. Both SEA streams have seed 42, so the
// drift stream replays the same points with the variant 1 threshold.
func ExampleConceptDriftStream() {
	before, _ := synth.NewSEA(synth.Seed(42), synth.Variant(0))
	after, _ := synth.NewSEA(synth.Seed(42), synth.Variant(1))
	g, err := synth.NewConceptDriftStream(before, after, synth.Seed(1), synth.Position(5), synth.Width(2))
	if err != nil {
		panic(err)
	}
	for x, y := range synth.Take(g, 10) {
		fmt.Println(river(x.Val, 4), y == 1)
	}
	// Output:
	// [6.3942, 0.2501, 2.7502] false
	// [2.2321, 7.3647, 6.7669] true
	// [8.9217, 0.8693, 4.2192] true
	// [0.2979, 2.1863, 5.0535] false
	// [6.3942, 0.2501, 2.7502] false
	// [2.2321, 7.3647, 6.7669] true
	// [8.9217, 0.8693, 4.2192] true
	// [0.2979, 2.1863, 5.0535] false
	// [0.2653, 1.9883, 6.4988] false
	// [5.4494, 2.2044, 5.8926] false
}

// River's doctest: RandomRBF(seed_model=42, seed_sample=42, n_classes=4,
// n_features=4, n_centroids=20).
func ExampleRandomRBF() {
	g, err := synth.NewRandomRBF(synth.SeedModel(42), synth.SeedSample(42),
		synth.NClasses(4), synth.NFeatures(4), synth.NCentroids(20))
	if err != nil {
		panic(err)
	}
	for x, y := range synth.Take(g, 5) {
		fmt.Println(river(x.Val, 4), y)
	}
	// Output:
	// [1.0989, 0.3840, 0.7759, 0.6592] 2
	// [0.2366, 1.3233, 0.5691, 0.2083] 0
	// [1.3540, -0.3306, 0.1683, 0.8865] 0
	// [0.2585, -0.2217, 0.4739, 0.6522] 0
	// [0.1295, 0.5953, 0.1774, 0.6673] 1
}

// Notebook 01's check of the seed's prior (n = 10, ν = 15, λ = 1, W = I):
// both constructions give E[Λ_ii] = ν, but the seed's sampler spreads μ,
// and hence B, four times wider in variance than a true normal-Wishart.
func ExampleCheckNormalWishart() {
	p := synth.DefaultLinearModelParams()
	p.Seed = 7
	checks, err := synth.CheckNormalWishart(p, 2000)
	if err != nil {
		panic(err)
	}
	for _, c := range checks {
		fmt.Printf("%-8s E[Λii] %.1f (theory %g)  Var(μi) %.2f (theory %g)\n",
			c.Construction, c.MeanPrecisionDiag, c.TheoryPrecisionDiag, c.MeanVarMu, c.TheoryVarMu)
	}
	// Output:
	// bartlett E[Λii] 15.0 (theory 15)  Var(μi) 0.25 (theory 0.25)
	// original E[Λii] 15.0 (theory 15)  Var(μi) 0.99 (theory 1)
}
