package linear

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/rivulet-ml/rivulet/lib/stream"
	"github.com/rivulet-ml/rivulet/lib/synth"
)

// Setting is one line of a send run's settings beside the value the seed
// notebook hard-coded.
type Setting struct {
	Name, Run, Seed string
}

// SeedSettings lists the settings Send would use for cfg (zero fields
// filled in as Send fills them) beside the seed notebook's: notebook 01's
// parameter table. Where the seed did something else, its column says what.
func SeedSettings(cfg SendConfig) []Setting {
	cfg = cfg.withDefaults()
	p := cfg.Params
	construction := p.Construction
	if c, err := synth.ParseConstruction(construction); err == nil {
		construction = c.String()
	}
	w, mu0 := "W=I", "μ0=0"
	if p.Scale != nil {
		w = "W given"
	}
	if p.PriorMean != nil {
		mu0 = "μ0 given"
	}
	interval := cfg.Interval.String()
	if cfg.Interval < 0 {
		interval = "as fast as possible"
	}
	count := fmt.Sprint(cfg.Count)
	if cfg.Count == 0 {
		count = "until interrupted"
	}
	return []Setting{
		{"brokers", strings.Join(cfg.Brokers, ","), "localhost:9092"},
		{"topic", cfg.Topic, DefaultTopic},
		{"n inputs, m outputs", fmt.Sprintf("%d, %d", p.Inputs, p.Outputs), "10, 8"},
		{"normal-Wishart", fmt.Sprintf("%s, ν=%d, λ=%g, %s, %s", construction, p.LatentDim, p.Lambda, w, mu0),
			"scatter of latent_dim=15 draws, W=I, μ0=0"},
		{"noise", fmt.Sprintf("N(0, %g²) per record", p.NoiseScale), "0.1·N(0,1) per sample() call"},
		{"seed", fmt.Sprint(p.Seed), "none (np.random global state)"},
		{"interval", interval, "1 s"},
		{"count", count, "until interrupted"},
		{"format", cfg.Format.String(), "np.array2string(arr, separator=',')"},
	}
}

// Message returns the message value Send writes for one record in format
// f: for stream.LinearNumpy the seed's np.array2string(arr, separator=',')
// text of [counter, y₁…y_m, x₁…x_n], byte for byte.
func Message(f stream.LinearFormat, counter int64, x, y []float64) ([]byte, error) {
	codec, err := stream.NewLinearCodec(f, len(x), len(y))
	if err != nil {
		return nil, fmt.Errorf("linear: %w", err)
	}
	msg, err := codec.Append(nil, &stream.LinearRecord{Counter: counter, Y: y, X: x})
	if err != nil {
		return nil, fmt.Errorf("linear: record %d: %w", counter, err)
	}
	return msg, nil
}

// CoefficientTable lays out a coefficient matrix B (m×n, as
// MatrixRows(gen.Coefficients()) or a learner's estimate) for a table:
// row j is labelled yⱼ, column i xᵢ, as y = B x reads.
func CoefficientTable(b [][]float64, decimals int) (headers []string, rows [][]string) {
	return MatrixTable(b, decimals,
		func(i int) string { return "y" + Subscript(i+1) },
		func(j int) string { return "x" + Subscript(j+1) })
}

// VectorTable lays out one vector as a one-row table labelled name, with
// columns name₁, name₂, ….
func VectorTable(name string, v []float64, decimals int) (headers []string, rows [][]string) {
	return MatrixTable([][]float64{v}, decimals,
		func(int) string { return name },
		func(j int) string { return name + Subscript(j+1) })
}

// MatrixRows copies m's rows into slices, the layout MatrixTable and
// CoefficientTable take.
func MatrixRows(m mat.Matrix) [][]float64 {
	r, _ := m.Dims()
	out := make([][]float64, r)
	for i := range out {
		out[i] = mat.Row(nil, i, m)
	}
	return out
}
