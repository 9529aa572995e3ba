package synth

import (
	"math"
	"strings"
	"testing"
)

// everyGenerator builds each registered generator with a seed.
func everyGenerator(t testing.TB) map[string]Stream {
	t.Helper()
	out := map[string]Stream{}
	for _, name := range Names() {
		out[name] = mustNew(t, name, []string{"seed=3"})
	}
	return out
}

func TestResetReplaysAndSeedsDiffer(t *testing.T) {
	for name, s := range everyGenerator(t) {
		first := digest(s, 500)
		s.Reset()
		if again := digest(s, 500); again.exact != first.exact {
			t.Errorf("%s: Reset did not replay the stream", name)
		}
		other := mustNew(t, name, []string{"seed=4"})
		if digest(other, 500).exact == first.exact {
			t.Errorf("%s: seeds 3 and 4 gave the same stream", name)
		}
		// Continuing without Reset gives new records.
		if digest(s, 500).exact == first.exact {
			t.Errorf("%s: Next repeated the first records after 500", name)
		}
	}
}

func TestUnseededStreamsDiffer(t *testing.T) {
	for _, name := range Names() {
		a, err := New(name)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := New(name)
		if digest(a, 200).exact == digest(b, 200).exact {
			t.Errorf("%s: two unseeded streams are identical", name)
		}
		a.Reset()
		x := digest(a, 200)
		a.Reset()
		if digest(a, 200).exact != x.exact {
			t.Errorf("%s: Reset of an unseeded stream did not replay it", name)
		}
	}
}

func TestRecordsAreWellFormed(t *testing.T) {
	for name, s := range everyGenerator(t) {
		counts := make([]int, s.NClasses())
		n := 0
		for x, y := range Take(s, 2000) {
			n++
			if x.Len() != s.NFeatures() || x.IsSparse() {
				t.Fatalf("%s: vector of %d entries (sparse %v), want %d dense", name, x.Len(), x.IsSparse(), s.NFeatures())
			}
			if y < 0 || y >= s.NClasses() {
				t.Fatalf("%s: class %d outside 0..%d", name, y, s.NClasses()-1)
			}
			counts[y]++
			for i := range x.Len() {
				if _, v, ok := x.At(i); !ok || math.IsInf(v, 0) {
					t.Fatalf("%s: feature %d = %v", name, i, v)
				}
			}
		}
		if n != 2000 {
			t.Errorf("%s: Take(2000) yielded %d records", name, n)
		}
		for c, k := range counts {
			if k == 0 {
				t.Errorf("%s: class %d never drawn in 2000 records", name, c)
			}
		}
		for _, nom := range s.Nominal() {
			i, ok := s.Schema().Index(nom)
			if !ok || i >= s.NFeatures() {
				t.Errorf("%s: nominal feature %q is not in the schema", name, nom)
			}
			if s.Schema().IsNominal(i) {
				t.Errorf("%s: %q is marked nominal in the schema; River's models see ints as numeric", name, nom)
			}
		}
	}
}

func TestTakeStopsEarly(t *testing.T) {
	s := mustNew(t, "sea", []string{"seed=1"})
	n := 0
	for range Take(s, -1) {
		n++
		if n == 10 {
			break
		}
	}
	// The 11th record comes next.
	ref := mustNew(t, "sea", []string{"seed=1"})
	x := make([]float64, 3)
	for range 10 {
		ref.Next(x)
	}
	want := digest(ref, 5)
	if got := digest(s, 5); got.exact != want.exact {
		t.Error("breaking out of Take lost or repeated records")
	}
}

func TestNextDoesNotAllocate(t *testing.T) {
	for name, s := range everyGenerator(t) {
		x := make([]float64, s.NFeatures())
		if a := testing.AllocsPerRun(1000, func() { s.Next(x) }); a != 0 {
			t.Errorf("%s: %v allocations per record", name, a)
		}
	}
}

func TestBadParameters(t *testing.T) {
	cases := []struct {
		name   string
		params []string
		want   string
	}{
		{"agrawal", []string{"classification_function=10"}, "0 to 9"},
		{"agrawal", []string{"perturbation=1.5"}, "perturbation"},
		{"agrawal", []string{"variant=1"}, "Agrawal has no parameter variant"},
		{"sea", []string{"variant=4"}, "0, 1, 2, 3"},
		{"hyperplane", []string{"n_features=0"}, "n_features"},
		{"hyperplane", []string{"n_features=3", "n_drift_features=4"}, "n_drift_features"},
		{"hyperplane", []string{"sigma=-0.1"}, "sigma"},
		{"hyperplane", []string{"noise_percentage=2"}, "noise_percentage"},
		{"rbf", []string{"n_classes=0"}, "n_classes"},
		{"rbf", []string{"n_centroids=0"}, "n_centroids"},
		{"rbf", []string{"change_speed=0.1"}, "RandomRBF has no parameter change_speed"},
		{"rbf-drift", []string{"n_drift_centroids=-1"}, "n_drift_centroids"},
		{"led", []string{"noise_percentage=1.01"}, "noise_percentage"},
		{"led", []string{"n_drift_features=2"}, "LED has no parameter"},
		{"stagger", []string{"classification_function=3"}, "0, 1, 2"},
		{"concept-drift", []string{"alpha=0"}, "alpha"},
		{"concept-drift", []string{"alpha=91"}, "alpha"},
		{"concept-drift", []string{"width=0"}, "width"},
	}
	for _, c := range cases {
		opts, err := ParseOptions(c.params)
		if err != nil {
			t.Fatalf("%s %v: %v", c.name, c.params, err)
		}
		_, err = New(c.name, opts...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: error %v, want one mentioning %q", c.name, c.params, err, c.want)
		}
	}
	if _, err := New("nope"); err == nil || !strings.Contains(err.Error(), "agrawal") {
		t.Errorf("unknown stream: %v, want the list of known streams", err)
	}
	for _, kv := range []string{"variant=x", "seed=1.5", "balance_classes=maybe", "noise=", "bogus=1", "novalue"} {
		if _, err := ParseOptions([]string{kv}); err == nil {
			t.Errorf("ParseOptions(%q) accepted", kv)
		}
	}
	a, _ := NewSEA(Seed(1))
	l, _ := NewLED(Seed(1), IrrelevantFeatures(true))
	if _, err := NewConceptDriftStream(a, l); err == nil || !strings.Contains(err.Error(), "inconsistent") {
		t.Errorf("3 vs 24 features: %v", err)
	}
}

func TestParamsListsRiverNames(t *testing.T) {
	p, err := Params("Hyperplane")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(p, ",") != "seed,n_features,n_drift_features,mag_change,noise_percentage,sigma" {
		t.Errorf("Hyperplane parameters %v", p)
	}
	for _, name := range Names() {
		p, _ := Params(name)
		for _, param := range p {
			if _, err := ParseOption(param, "1"); err != nil {
				t.Errorf("%s parameter %s cannot be parsed: %v", name, param, err)
			}
		}
	}
}

func TestDefaults(t *testing.T) {
	h, _ := NewHyperplane(Seed(1))
	if h.NFeatures() != 10 || h.nDrift != 2 || h.noise != 0.05 || h.sigma != 0.1 || h.magChange != 0 {
		t.Errorf("Hyperplane defaults: %+v", h)
	}
	r, _ := NewRandomRBFDrift(Seed(1))
	if r.NFeatures() != 10 || r.NClasses() != 2 || r.nCentroids != 50 || r.nDrift != 50 || r.changeSpeed != 0 {
		t.Errorf("RandomRBFDrift defaults: %+v", r)
	}
	// n_drift_centroids above n_centroids is reduced, as River does.
	r, _ = NewRandomRBFDrift(Seed(1), NCentroids(5))
	if r.nDrift != 5 {
		t.Errorf("n_drift_centroids = %d with 5 centroids", r.nDrift)
	}
	c, _ := NewConceptDriftStream(nil, nil, Seed(1))
	if c.position != 5000 || c.Width() != 1000 || c.NFeatures() != 9 {
		t.Errorf("ConceptDriftStream defaults: position %d width %d", c.position, c.Width())
	}
	// alpha = 45° gives width int(1/tan(π/4)) = 1; 10° gives 5.
	for alpha, want := range map[float64]int{45: 1, 10: 5, 1: 57, 90: 1} {
		c, _ := NewConceptDriftStream(nil, nil, Seed(1), Alpha(alpha))
		if c.Width() != want {
			t.Errorf("alpha %v: width %d, want %d", alpha, c.Width(), want)
		}
	}
}

// TestConceptDriftDefaultStreams checks River's defaults: Agrawal(seed)
// then Agrawal(seed, classification_function=2), both with the mixing seed.
func TestConceptDriftDefaultStreams(t *testing.T) {
	c, _ := NewConceptDriftStream(nil, nil, Seed(9), Position(1), Width(1))
	a, _ := NewAgrawal(Seed(9))
	d, _ := NewAgrawal(Seed(9), ClassificationFunction(2))
	if c.stream.(*Agrawal).seed != a.seed || c.drift.(*Agrawal).function != 2 || c.drift.(*Agrawal).seed != d.seed {
		t.Fatal("default streams are not Agrawal(seed) and Agrawal(seed, classification_function=2)")
	}
}

// TestConceptDriftFarBeforeChange is the case where River's math.exp
// overflows: here the original stream is used.
func TestConceptDriftFarBeforeChange(t *testing.T) {
	a, _ := NewSEA(Seed(1))
	b, _ := NewSEA(Seed(1), Variant(1))
	c, err := NewConceptDriftStream(a, b, Seed(1), Position(100000), Width(1))
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := NewSEA(Seed(1))
	if digest(c, 1000).exact != digest(ref, 1000).exact {
		t.Error("records before an abrupt drift far ahead do not all come from the original stream")
	}
}

func TestAgrawalPerturbationClipsHvalue(t *testing.T) {
	g, _ := NewAgrawal(Seed(5), Perturbation(0.3))
	x := make([]float64, 9)
	for range 500 {
		g.Next(x)
		zip, hvalue := x[5], x[6]
		if hvalue != 0 && hvalue != (9-zip)*100000 {
			t.Fatalf("perturbed hvalue %v with zipcode %v: River clips it to 0 or (9-zipcode)·100000", hvalue, zip)
		}
		if x[2] != math.Round(x[2]) || x[7] != math.Round(x[7]) {
			t.Fatalf("perturbed age %v or hyears %v not rounded", x[2], x[7])
		}
	}
}

func TestBalancedClassesAlternate(t *testing.T) {
	for _, name := range []string{"agrawal", "stagger"} {
		s := mustNew(t, name, []string{"seed=2", "balance_classes=true"})
		want := 1
		for _, y := range Take(s, 100) {
			if y != want {
				t.Fatalf("%s: balanced labels do not alternate 1, 0, 1, ...", name)
			}
			want = 1 - want
		}
	}
}
