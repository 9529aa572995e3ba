package linearmodel

import (
	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// LinearRegression is River's linear_model.LinearRegression with its
// default optimizer, SGD: squared loss (p−y)², whose gradient 2(p−y) is what
// the weights follow.
type LinearRegression struct {
	glm
}

var _ base.Regressor = (*LinearRegression)(nil)

// NewLinearRegression returns an untrained model. It fails on negative or
// non-finite rates, a negative L2 penalty or a non-positive clip, and on
// WithClassWeights, which only applies to classification.
func NewLinearRegression(opts ...Option) (*LinearRegression, error) {
	g, err := newGLM(opts)
	if err != nil {
		return nil, err
	}
	if g.cfg.classWeights {
		return nil, errClassWeightsOnRegression
	}
	return &LinearRegression{glm: g}, nil
}

// PredictOne returns w·x + intercept.
func (m *LinearRegression) PredictOne(x feature.Vector) float64 { return m.raw(x) }

// LearnOne learns one record with weight 1.
func (m *LinearRegression) LearnOne(x feature.Vector, y float64) { m.LearnWeighted(x, y, 1) }

// LearnWeighted learns one record; the sample weight multiplies the loss
// gradient before clipping, as in River.
func (m *LinearRegression) LearnWeighted(x feature.Vector, y, w float64) {
	direct := m.prepare(x)
	m.step(x, direct, 2*(m.rawLearn(x, direct)-y)*w)
}

// CloneFresh returns an untrained model with the same hyper-parameters.
func (m *LinearRegression) CloneFresh() *LinearRegression {
	c := &LinearRegression{glm: glm{cfg: m.cfg}}
	c.reset()
	return c
}

// SnapshotKind implements snapshot.Model.
func (m *LinearRegression) SnapshotKind() string { return kindLinearRegression }

// EncodeSnapshot implements snapshot.Model.
func (m *LinearRegression) EncodeSnapshot(e *snapshot.Encoder) {
	e.Int(glmLayout)
	m.encode(e)
}

const kindLinearRegression = "linear_model.LinearRegression"

func init() {
	snapshot.Register(kindLinearRegression, func(d *snapshot.Decoder) (snapshot.Model, error) {
		g := decodeGLM(d, d.Version(glmLayout))
		if err := d.Err(); err != nil {
			return nil, err
		}
		return &LinearRegression{glm: g}, nil
	})
}
