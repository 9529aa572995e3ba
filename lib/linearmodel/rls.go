package linearmodel

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// RLSOption configures NewRLS.
type RLSOption func(*rlsConfig)

type rlsConfig struct {
	forget    float64
	delta     float64
	intercept bool
}

// WithForgetting sets the forgetting factor λ ∈ (0, 1]: a record learnt t
// records ago weighs λᵗ. 1 (the default) is ordinary least squares; values
// such as 0.999 track a drifting B with an effective memory of 1/(1−λ)
// records. With λ < 1, directions the inputs never excite grow as λ⁻ᵗ
// ("covariance wind-up"); keep the inputs exciting or λ close to 1.
func WithForgetting(lambda float64) RLSOption { return func(c *rlsConfig) { c.forget = lambda } }

// WithInitialCovariance sets δ, the initial inverse covariance P₀ = δI
// (default 1e4). The estimate is exactly the ridge regression with penalty
// λⁿ/δ, so a large δ means a vague prior.
func WithInitialCovariance(delta float64) RLSOption { return func(c *rlsConfig) { c.delta = delta } }

// WithIntercept fits an intercept column (default true).
func WithIntercept(on bool) RLSOption { return func(c *rlsConfig) { c.intercept = on } }

// RLS is exact multi-output recursive least squares. All outputs share the
// regressors, so they share one d×d inverse covariance P (d = inputs, plus
// one for the intercept); each record costs one P·z product, a rank-one
// update of P and a k·d gain update: O(d² + k·d), no allocation.
//
// For each record z (the inputs, then 1 for the intercept) and targets y:
//
//	g = P z / (λ + zᵀ P z)
//	W ← W + (y − W z) gᵀ
//	P ← (P − g zᵀ P) / λ
//
// A missing input (NaN in a dense vector, an absent index in a sparse one)
// counts as 0. A record with a non-finite target or that makes zᵀPz
// non-finite (an infinite input) is not learnt and is counted by Skipped,
// since one such record would turn every coefficient into NaN.
type RLS struct {
	cfg     rlsConfig
	inputs  int
	outputs int
	d       int
	p       []float64 // d×d, symmetric, both triangles stored
	w       []float64 // outputs×d; column inputs is the intercept
	z       []float64
	pz      []float64
	pred    []float64 // prior predictions of the record being learnt
	n       int64
	skipped int64
}

var (
	_ MultiRegressor   = (*RLS)(nil)
	_ CoefficientModel = (*RLS)(nil)
)

// NewRLS returns an untrained model for records of `inputs` features and
// `outputs` targets.
func NewRLS(inputs, outputs int, opts ...RLSOption) (*RLS, error) {
	c := rlsConfig{forget: 1, delta: 1e4, intercept: true}
	for _, o := range opts {
		o(&c)
	}
	if inputs < 1 || outputs < 1 {
		return nil, fmt.Errorf("linearmodel: RLS needs at least one input and one output, got %d and %d", inputs, outputs)
	}
	if !(c.forget > 0 && c.forget <= 1) {
		return nil, fmt.Errorf("linearmodel: RLS forgetting factor %v, want 0 < λ ≤ 1", c.forget)
	}
	if !(c.delta > 0) || math.IsInf(c.delta, 0) {
		return nil, fmt.Errorf("linearmodel: RLS initial covariance %v, want a finite δ > 0", c.delta)
	}
	r := &RLS{cfg: c, inputs: inputs, outputs: outputs}
	r.alloc()
	r.Reset()
	return r, nil
}

func (r *RLS) alloc() {
	r.d = r.inputs
	if r.cfg.intercept {
		r.d++
	}
	r.p = make([]float64, r.d*r.d)
	r.w = make([]float64, r.outputs*r.d)
	r.z = make([]float64, r.d)
	r.pz = make([]float64, r.d)
	r.pred = make([]float64, r.outputs)
}

// Reset forgets everything learnt.
func (r *RLS) Reset() {
	clear(r.p)
	for i := 0; i < r.d; i++ {
		r.p[i*r.d+i] = r.cfg.delta
	}
	clear(r.w)
	r.n, r.skipped = 0, 0
}

// Inputs is the number of features.
func (r *RLS) Inputs() int { return r.inputs }

// Outputs is the number of targets.
func (r *RLS) Outputs() int { return r.outputs }

// Records is the number of records learnt.
func (r *RLS) Records() int64 { return r.n }

// Skipped is the number of records refused (non-finite target or input).
func (r *RLS) Skipped() int64 { return r.skipped }

// load copies x into the regressor z, missing values as 0. It panics on a
// feature index beyond Inputs(): the record does not fit the model.
func (r *RLS) load(x feature.Vector) {
	z := r.z
	if x.Idx == nil {
		if len(x.Val) > r.inputs {
			panic(fmt.Sprintf("linearmodel: RLS has %d inputs, got a dense record of %d", r.inputs, len(x.Val)))
		}
		for i, v := range x.Val {
			if v != v {
				v = 0
			}
			z[i] = v
		}
		clear(z[len(x.Val):r.inputs])
	} else {
		clear(z[:r.inputs])
		for k, i := range x.Idx {
			if int(i) >= r.inputs || i < 0 {
				panic(fmt.Sprintf("linearmodel: RLS has %d inputs, got feature index %d", r.inputs, i))
			}
			z[i] = x.Val[k]
		}
	}
	if r.cfg.intercept {
		z[r.inputs] = 1
	}
}

// PredictOne writes W z into dst.
func (r *RLS) PredictOne(x feature.Vector, dst []float64) []float64 {
	r.load(x)
	return r.predictZ(dst)
}

func (r *RLS) predictZ(dst []float64) []float64 {
	if cap(dst) < r.outputs {
		dst = make([]float64, r.outputs)
	}
	dst = dst[:r.outputs]
	d, z := r.d, r.z
	for o := range dst {
		row := r.w[o*d : o*d+d]
		s := 0.0
		for i, zi := range z {
			s += row[i] * zi
		}
		dst[o] = s
	}
	return dst
}

// LearnOne learns one record.
func (r *RLS) LearnOne(x feature.Vector, y []float64) { r.PredictLearnOne(x, y, nil) }

// PredictLearnOne learns one record and, when prior is not nil, writes into
// it the prediction made before learning (test-then-train in one pass; the
// prior prediction is a by-product of the update). It panics when len(y) is
// not Outputs() or a non-nil prior is shorter than that.
func (r *RLS) PredictLearnOne(x feature.Vector, y, prior []float64) {
	if len(y) != r.outputs {
		panic(fmt.Sprintf("linearmodel: RLS has %d outputs, got %d targets", r.outputs, len(y)))
	}
	r.load(x)
	d, z, pz, p := r.d, r.z, r.pz, r.p

	// Prior errors first: they only need W, and a skipped record still
	// reports its prediction.
	finite := true
	for o, yo := range y {
		row := r.w[o*d : o*d+d]
		s := 0.0
		for i, zi := range z {
			s += row[i] * zi
		}
		r.pred[o] = s
		if math.IsNaN(yo) || math.IsInf(yo, 0) {
			finite = false
		}
	}
	if prior != nil {
		copy(prior[:r.outputs], r.pred)
	}
	if !finite {
		r.skipped++
		return
	}

	// pz = P z and zᵀ P z.
	zpz := 0.0
	for i := range pz {
		row := p[i*d : i*d+d]
		row = row[:len(z)]
		s := 0.0
		for j, zj := range z {
			s += row[j] * zj
		}
		pz[i] = s
		zpz += z[i] * s
	}
	denom := r.cfg.forget + zpz
	if !(denom > 0) || math.IsInf(denom, 0) {
		r.skipped++
		return
	}
	inv := 1 / denom

	// W ← W + e gᵀ with g = pz/denom; e uses the prior prediction.
	for o, yo := range y {
		row := r.w[o*d : o*d+d]
		row = row[:len(pz)]
		f := (yo - r.pred[o]) * inv
		for i, v := range pz {
			row[i] += f * v
		}
	}

	// P ← (P − pz pzᵀ/denom)/λ. The product pz_i·pz_j is formed before the
	// division so that entries (i, j) and (j, i) round identically and P
	// stays exactly symmetric while every row is updated contiguously.
	if r.cfg.forget == 1 {
		for i, a := range pz {
			row := p[i*d : i*d+d]
			row = row[:len(pz)]
			for j, b := range pz {
				row[j] -= (a * b) * inv
			}
		}
	} else {
		invForget := 1 / r.cfg.forget
		for i, a := range pz {
			row := p[i*d : i*d+d]
			row = row[:len(pz)]
			for j, b := range pz {
				row[j] = (row[j] - (a*b)*inv) * invForget
			}
		}
	}
	r.n++
}

// Coefficients returns B (outputs × inputs) and the intercepts (zeros
// without an intercept). inputs must be Inputs().
func (r *RLS) Coefficients(inputs int) (*mat.Dense, []float64) {
	if inputs != r.inputs {
		panic(fmt.Sprintf("linearmodel: RLS has %d inputs, asked for %d", r.inputs, inputs))
	}
	b := mat.NewDense(r.outputs, r.inputs, nil)
	icpt := make([]float64, r.outputs)
	for o := 0; o < r.outputs; o++ {
		copy(b.RawRowView(o), r.w[o*r.d:o*r.d+r.inputs])
		if r.cfg.intercept {
			icpt[o] = r.w[o*r.d+r.inputs]
		}
	}
	return b, icpt
}

// MemoryBytes is the size of P, W and the scratch vectors.
func (r *RLS) MemoryBytes() int64 {
	return int64(len(r.p)+len(r.w)+len(r.z)+len(r.pz)+len(r.pred))*8 + 184
}

// SnapshotKind implements snapshot.Model.
func (r *RLS) SnapshotKind() string { return kindRLS }

// EncodeSnapshot implements snapshot.Model.
func (r *RLS) EncodeSnapshot(e *snapshot.Encoder) {
	e.Int(1)
	e.Int(int64(r.inputs))
	e.Int(int64(r.outputs))
	e.Bool(r.cfg.intercept)
	e.Float(r.cfg.forget)
	e.Float(r.cfg.delta)
	e.Int(r.n)
	e.Int(r.skipped)
	e.Floats(r.p)
	e.Floats(r.w)
}

const kindRLS = "linear_model.MultiOutputRLS"

func init() {
	snapshot.Register(kindRLS, func(d *snapshot.Decoder) (snapshot.Model, error) {
		d.Version(1)
		inputs := int(d.IntIn(1, 1<<16))
		outputs := int(d.IntIn(1, 1<<16))
		intercept := d.Bool()
		forget := d.Float()
		delta := d.Float()
		n := d.IntIn(0, math.MaxInt64)
		skipped := d.IntIn(0, math.MaxInt64)
		p := d.Floats()
		w := d.Floats()
		if err := d.Err(); err != nil {
			return nil, err
		}
		r, err := NewRLS(inputs, outputs, WithForgetting(forget), WithInitialCovariance(delta), WithIntercept(intercept))
		if err != nil {
			return nil, err
		}
		if len(p) != len(r.p) || len(w) != len(r.w) {
			d.Fail("RLS state sizes %d and %d do not match %d inputs, %d outputs", len(p), len(w), inputs, outputs)
			return nil, d.Err()
		}
		copy(r.p, p)
		copy(r.w, w)
		r.n, r.skipped = n, skipped
		return r, nil
	})
}
