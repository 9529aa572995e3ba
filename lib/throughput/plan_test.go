package throughput

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/base"
)

func TestParsePlan(t *testing.T) {
	p, err := ParsePlan(100, " hat, gaussian-nb ,", "both", "hat.grace_period=50")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Models) != 2 || p.Models[0].Name != "hat" || p.Models[1].Name != "gaussian-nb" {
		t.Fatalf("models %+v", p.Models)
	}
	if p.N != 100 || len(p.Methods) != 2 || p.Methods[0] != Rivulet || p.Methods[1] != Original {
		t.Errorf("n %d, methods %v", p.N, p.Methods)
	}
	// The extra parameter comes after the seed's grace_period=100, so it wins.
	if !strings.HasSuffix(p.Models[0].Spec, "grace_period=50") || strings.Contains(p.Models[1].Spec, "grace_period") {
		t.Errorf("specs %q, %q", p.Models[0].Spec, p.Models[1].Spec)
	}
	if p.Models[0].Classifier != "HoeffdingAdaptiveTreeClassifier" {
		t.Errorf("classifier %q", p.Models[0].Classifier)
	}
	one, err := ParsePlan(10, "gaussian-nb", "original")
	if err != nil || len(one.Methods) != 1 || one.Methods[0] != Original {
		t.Errorf("original only: %v %v", one.Methods, err)
	}
}

func TestParsePlanErrors(t *testing.T) {
	for _, c := range []struct {
		n              int
		models, method string
		params         []string
		want           string
	}{
		{0, "hat", "rivulet", nil, "n = 0"},
		{10, "hat", "fast", nil, `method "fast"`},
		{10, "no-such-model", "rivulet", nil, `unknown model "no-such-model"`},
		{10, " , ", "rivulet", nil, "no model to measure"},
		{10, "hat,hat", "rivulet", nil, `"hat" listed twice`},
		{10, "gaussian-nb", "rivulet", []string{"hat.grace_period=50"}, "parameters for hat, which is not among the models gaussian-nb"},
		{10, "hat", "rivulet", []string{"grace_period=50"}, `parameter "grace_period=50": want MODEL.name=value`},
		{10, "hat", "rivulet", []string{"hat.grace_period"}, "want MODEL.name=value"},
		{10, "hat", "rivulet", []string{"hat.no_such_param=1"}, "model hat:"},
	} {
		_, err := ParsePlan(c.n, c.models, c.method, c.params...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParsePlan(%d, %q, %q, %q): %v, want an error with %q", c.n, c.models, c.method, c.params, err, c.want)
		}
	}
}

// Run measures model by model, each by every method in the plan's order,
// and its methods override a WithMethod among the options.
func TestPlanRun(t *testing.T) {
	clock := &fakeClock{}
	counts := &callCounts{}
	a, b := fakeModelOf(clock, counts), fakeModelOf(clock, counts)
	a.Name, b.Name = "a", "b"
	p := Plan{Models: []Model{a, b}, Methods: []Method{Rivulet, Original}, N: 20}
	rows, err := p.Run(context.Background(), fakeData(40),
		withClock(clock.now), WithWarmup(0), WithRepetitions(1), WithConsumers(0), WithMethod(Original))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Model+"/"+r.Method)
		if r.N != 20 || r.Implementation != "rivulet" || r.TrainMsPerRecord <= 0 {
			t.Errorf("row %+v", r)
		}
	}
	if strings.Join(got, " ") != "a/rivulet a/original b/rivulet b/original" {
		t.Errorf("rows %v", got)
	}
	// Each row is what Measure gives alone: the rivulet row's figures are
	// TestRowsAndTables's (same fake costs).
	if rows[0].TrainMsPerRecord != 0.0064 || rows[0].TotalMsPerRecord != 0.01255 || rows[0].Accuracy != 0.5 || !rows[0].HeldOut {
		t.Errorf("rivulet row %+v", rows[0])
	}
	if rows[1].HeldOut {
		t.Error("original row predicts held-out records")
	}

	// Without methods: rivulet's only.
	rows, err = Plan{Models: []Model{a}, N: 20}.Run(context.Background(), fakeData(40), withClock(clock.now), WithWarmup(0), WithRepetitions(1), WithConsumers(0))
	if err != nil || len(rows) != 1 || rows[0].Method != "rivulet" {
		t.Errorf("default method: %v %+v", err, rows)
	}
}

func TestPlanRunErrors(t *testing.T) {
	clock := &fakeClock{}
	good := fakeModelOf(clock, &callCounts{})
	broken := Model{Name: "broken", New: func() (base.Classifier, error) { return nil, errors.New("no parts") }}
	rows, err := Plan{Models: []Model{good, broken}, Methods: []Method{Rivulet, Original}, N: 10}.Run(
		context.Background(), fakeData(20), withClock(clock.now), WithWarmup(0), WithRepetitions(1), WithConsumers(0))
	if err == nil || !strings.Contains(err.Error(), "broken (rivulet method)") || !strings.Contains(err.Error(), "no parts") {
		t.Errorf("error %v", err)
	}
	if len(rows) != 2 || rows[0].Model != "fake" {
		t.Errorf("rows measured before the error: %+v", rows)
	}
	if _, err := (Plan{N: 10}).Run(context.Background(), fakeData(20)); err == nil {
		t.Error("a plan without models runs")
	}
	if _, err := (Plan{Models: []Model{good}, N: 10}).Run(context.Background(), nil); err == nil {
		t.Error("a plan runs without data")
	}
	if _, err := (Plan{Models: []Model{good}, N: 30}).Run(context.Background(), fakeData(20), WithConsumers(0)); err == nil {
		t.Error("n beyond the data is accepted")
	}
}

func TestLoadRiverAndSaveRows(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "river.json")
	in := []Row{
		{Model: "hat", Implementation: "river", Method: "rivulet", N: 1000, TrainMsPerRecord: 4},
		{Model: "hat", Implementation: "river", Method: "rivulet", N: 200, TrainMsPerRecord: 3},
		{Model: "arf", Implementation: "river", Method: "original", N: 1000, TrainMsPerRecord: 9},
	}
	if err := SaveRows(path, in); err != nil {
		t.Fatal(err)
	}
	rows, leftOut, err := LoadRiver(path, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || leftOut != 1 || rows[0] != in[0] || rows[1] != in[2] {
		t.Errorf("rows %+v, left out %d", rows, leftOut)
	}
	if _, _, err := LoadRiver(filepath.Join(dir, "absent.json"), 1000); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	if err := os.WriteFile(path, []byte("[{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadRiver(path, 1000); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("bad file: %v", err)
	}
	if err := SaveRows(filepath.Join(dir, "no", "such", "dir.json"), in); err == nil {
		t.Error("SaveRows into a missing directory")
	}
}

func TestLoadAverage(t *testing.T) {
	got := LoadAverage()
	if runtime.GOOS != "linux" {
		if got != "unknown" {
			t.Errorf("LoadAverage() = %q off Linux", got)
		}
		return
	}
	if f := strings.Fields(got); len(f) != 3 {
		t.Errorf("LoadAverage() = %q, want three figures", got)
	}
}
