package linearmodel

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// MultiRegressor predicts a fixed number of real outputs from one record.
type MultiRegressor interface {
	// LearnOne updates the model with one record and its len(y) = Outputs()
	// targets.
	LearnOne(x feature.Vector, y []float64)
	// PredictOne writes the Outputs() predictions for x into dst (grown as
	// needed) and returns it.
	PredictOne(x feature.Vector, dst []float64) []float64
	// Outputs is the number of targets.
	Outputs() int
}

// CoefficientModel is a multi-output linear model whose coefficients can be
// read as a matrix: y ≈ B x + b.
type CoefficientModel interface {
	// Coefficients returns B (outputs × inputs) and the intercepts b.
	Coefficients(inputs int) (*mat.Dense, []float64)
}

// PerOutput is River's multioutput.PerOutputRegressor: an independent copy
// of a regressor per output. River creates the copies lazily, one per
// output key seen; here the number of outputs is fixed up front, which is
// the same model for a stream whose records all carry every output.
type PerOutput struct {
	members []base.Regressor
}

var _ MultiRegressor = (*PerOutput)(nil)

// NewPerOutput builds k members with newMember.
func NewPerOutput(k int, newMember func() (base.Regressor, error)) (*PerOutput, error) {
	if k < 1 {
		return nil, fmt.Errorf("linearmodel: PerOutput needs at least one output, got %d", k)
	}
	p := &PerOutput{members: make([]base.Regressor, k)}
	for j := range p.members {
		m, err := newMember()
		if err != nil {
			return nil, err
		}
		if m == nil {
			return nil, errors.New("linearmodel: PerOutput member factory returned nil")
		}
		p.members[j] = m
	}
	return p, nil
}

// NewPerOutputLinearRegression is PerOutput over k LinearRegressions with
// the given options: River's PerOutputRegressor(LinearRegression(...)).
func NewPerOutputLinearRegression(k int, opts ...Option) (*PerOutput, error) {
	return NewPerOutput(k, func() (base.Regressor, error) { return NewLinearRegression(opts...) })
}

// Outputs is the number of members.
func (p *PerOutput) Outputs() int { return len(p.members) }

// Member returns the model of output j.
func (p *PerOutput) Member(j int) base.Regressor { return p.members[j] }

// LearnOne feeds y[j] to member j. It panics when len(y) is not Outputs().
func (p *PerOutput) LearnOne(x feature.Vector, y []float64) {
	if len(y) != len(p.members) {
		panic(fmt.Sprintf("linearmodel: PerOutput has %d outputs, got %d targets", len(p.members), len(y)))
	}
	for j, m := range p.members {
		m.LearnOne(x, y[j])
	}
}

// PredictOne writes member j's prediction into dst[j].
func (p *PerOutput) PredictOne(x feature.Vector, dst []float64) []float64 {
	if cap(dst) < len(p.members) {
		dst = make([]float64, len(p.members))
	}
	dst = dst[:len(p.members)]
	for j, m := range p.members {
		dst[j] = m.PredictOne(x)
	}
	return dst
}

type weighted interface {
	Weight(i int) float64
	Intercept() float64
}

// Coefficients implements CoefficientModel when every member is a linear
// model (LinearRegression); it panics otherwise.
func (p *PerOutput) Coefficients(inputs int) (*mat.Dense, []float64) {
	b := mat.NewDense(len(p.members), inputs, nil)
	icpt := make([]float64, len(p.members))
	for j, m := range p.members {
		w, ok := m.(weighted)
		if !ok {
			panic(fmt.Sprintf("linearmodel: PerOutput member %T has no coefficients", m))
		}
		for i := 0; i < inputs; i++ {
			b.Set(j, i, w.Weight(i))
		}
		icpt[j] = w.Intercept()
	}
	return b, icpt
}

// MemoryBytes sums the members that report their memory.
func (p *PerOutput) MemoryBytes() int64 {
	total := int64(24 + 16*len(p.members))
	for _, m := range p.members {
		if r, ok := m.(base.MemoryReporter); ok {
			total += r.MemoryBytes()
		}
	}
	return total
}

// SnapshotKind implements snapshot.Model.
func (p *PerOutput) SnapshotKind() string { return kindPerOutput }

// EncodeSnapshot implements snapshot.Model. Every member must implement
// snapshot.Model (it panics otherwise, a programming error).
func (p *PerOutput) EncodeSnapshot(e *snapshot.Encoder) {
	e.Int(1)
	e.Uint(uint64(len(p.members)))
	for j, m := range p.members {
		sm, ok := m.(snapshot.Model)
		if !ok {
			panic(fmt.Sprintf("linearmodel: PerOutput member %d (%T) cannot be snapshotted", j, m))
		}
		e.Blob(snapshot.Marshal(sm))
	}
}

const kindPerOutput = "multioutput.PerOutputRegressor"

func init() {
	snapshot.Register(kindPerOutput, func(d *snapshot.Decoder) (snapshot.Model, error) {
		d.Version(1)
		k := d.Len(1)
		if err := d.Err(); err != nil {
			return nil, err
		}
		if k == 0 {
			d.Fail("PerOutput with no members")
			return nil, d.Err()
		}
		p := &PerOutput{members: make([]base.Regressor, k)}
		for j := range p.members {
			blob := d.Blob()
			if err := d.Err(); err != nil {
				return nil, err
			}
			m, err := snapshot.Unmarshal(blob)
			if err != nil {
				return nil, fmt.Errorf("PerOutput member %d: %w", j, err)
			}
			r, ok := m.(base.Regressor)
			if !ok {
				return nil, fmt.Errorf("PerOutput member %d: %s is not a regressor", j, m.SnapshotKind())
			}
			p.members[j] = r
		}
		return p, nil
	})
}
