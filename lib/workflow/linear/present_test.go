package linear

import (
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/rivulet-ml/rivulet/lib/stream"
	"github.com/rivulet-ml/rivulet/lib/synth"
)

func settingsMap(s []Setting) map[string][2]string {
	out := map[string][2]string{}
	for _, x := range s {
		out[x.Name] = [2]string{x.Run, x.Seed}
	}
	return out
}

func TestSeedSettingsDefaults(t *testing.T) {
	got := settingsMap(SeedSettings(SendConfig{}))
	want := map[string][2]string{
		"brokers":             {strings.Join(stream.SplitBrokers(""), ","), "localhost:9092"},
		"topic":               {"dataLinearModel", "dataLinearModel"},
		"n inputs, m outputs": {"10, 8", "10, 8"},
		"normal-Wishart":      {"bartlett, ν=15, λ=1, W=I, μ0=0", "scatter of latent_dim=15 draws, W=I, μ0=0"},
		"noise":               {"N(0, 0.1²) per record", "0.1·N(0,1) per sample() call"},
		"seed":                {"0", "none (np.random global state)"},
		"interval":            {"1s", "1 s"}, // Send's zero interval is the seed's 1 s
		"count":               {"until interrupted", "until interrupted"},
		"format":              {"numpy", "np.array2string(arr, separator=',')"},
	}
	if len(got) != len(want) {
		t.Errorf("%d settings, want %d: %v", len(got), len(want), got)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
}

func TestSeedSettingsOfARun(t *testing.T) {
	p := synth.LinearModelParams{Inputs: 3, Outputs: 2, LatentDim: 6, Lambda: 2, NoiseScale: 0.5, Seed: 7,
		Construction: "scatter", Scale: []float64{1, 0, 0, 0, 1, 0, 0, 0, 1}}
	got := settingsMap(SeedSettings(SendConfig{Brokers: []string{"a:1", "b:2"}, Topic: "t", Params: p,
		Format: stream.LinearJSON, Interval: -1, Count: 2000}))
	for k, w := range map[string]string{
		"brokers":             "a:1,b:2",
		"topic":               "t",
		"n inputs, m outputs": "3, 2",
		"normal-Wishart":      "original, ν=6, λ=2, W given, μ0=0",
		"noise":               "N(0, 0.5²) per record",
		"seed":                "7",
		"interval":            "as fast as possible",
		"count":               "2000",
		"format":              "json",
	} {
		if got[k][0] != w {
			t.Errorf("%s: %q, want %q", k, got[k][0], w)
		}
	}
	if got := settingsMap(SeedSettings(SendConfig{Interval: 250 * time.Millisecond}))["interval"][0]; got != "250ms" {
		t.Errorf("interval %q", got)
	}
}

func TestMessage(t *testing.T) {
	// numpy 2: np.array2string(np.array([3, 1.5, -0.25, 0.5, 0.125]), separator=',')
	msg, err := Message(stream.LinearNumpy, 3, []float64{0.5, 0.125}, []float64{1.5, -0.25})
	if err != nil {
		t.Fatal(err)
	}
	if string(msg) != "[ 3.   , 1.5  ,-0.25 , 0.5  , 0.125]" {
		t.Errorf("numpy message %q", msg)
	}
	msg, err = Message(stream.LinearJSON, 3, []float64{0.5}, []float64{1.5})
	if err != nil {
		t.Fatal(err)
	}
	codec, err := stream.NewLinearCodec(stream.LinearJSON, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	var rec stream.LinearRecord
	err = codec.Decode(msg, &rec)
	if err != nil || len(rec.X) != 1 || len(rec.Y) != 1 || rec.Counter != 3 || rec.X[0] != 0.5 || rec.Y[0] != 1.5 {
		t.Errorf("JSON message %q decodes to %+v, %v", msg, rec, err)
	}
	if _, err := Message(stream.LinearNumpy, 0, nil, []float64{1}); err == nil || !strings.HasPrefix(err.Error(), "linear: ") {
		t.Errorf("no inputs: %v", err)
	}
}

func TestTables(t *testing.T) {
	b := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6.125})
	rows := MatrixRows(b)
	rows[0][0] = 99
	if b.At(0, 0) != 1 {
		t.Error("MatrixRows shares the matrix's storage")
	}
	h, r := CoefficientTable(MatrixRows(b), 2)
	if strings.Join(h, "|") != "|x₁|x₂|x₃" || strings.Join(r[0], "|") != "y₁|1.00|2.00|3.00" || strings.Join(r[1], "|") != "y₂|4.00|5.00|6.12" {
		t.Errorf("coefficient table %q %q", h, r)
	}
	h, r = VectorTable("x", []float64{0.5, 0.25}, 3)
	if strings.Join(h, "|") != "|x₁|x₂" || len(r) != 1 || strings.Join(r[0], "|") != "x|0.500|0.250" {
		t.Errorf("vector table %q %q", h, r)
	}
}
