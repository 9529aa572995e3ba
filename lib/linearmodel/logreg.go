package linearmodel

import (
	"errors"
	"fmt"
	"math"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

var errClassWeightsOnRegression = errors.New("linearmodel: class weights (weight_pos, weight_neg) only apply to LogisticRegression")

// LogisticRegression is River's linear_model.LogisticRegression: a binary
// classifier (class 0 = False, class 1 = True) trained by SGD on the log
// loss, with River's guards (the loss gradient is −y·e^(−z) above z = 18 and
// −y below z = −18; the sigmoid is exactly 0 below −30 and 1 above 30).
//
// Unlike the trees, it predicts before learning anything: like River it
// returns {False: 0.5, True: 0.5} (here [0.5 0.5]) from the start rather
// than an empty distribution, so progressive validation scores the first
// record exactly as River does.
type LogisticRegression struct {
	glm
}

var _ base.Classifier = (*LogisticRegression)(nil)

// NewLogisticRegression returns an untrained model.
func NewLogisticRegression(opts ...Option) (*LogisticRegression, error) {
	g, err := newGLM(opts)
	if err != nil {
		return nil, err
	}
	return &LogisticRegression{glm: g}, nil
}

// sigmoid is River's utils.math.sigmoid, clamped to exactly 0 and 1 beyond
// ±30.
func sigmoid(x float64) float64 {
	if x < -30 {
		return 0
	}
	if x > 30 {
		return 1
	}
	return 1 / (1 + math.Exp(-x))
}

// logGradient is River's optim.losses.Log.gradient for a {0, 1} label.
func (m *LogisticRegression) logGradient(y int, raw float64) float64 {
	sign, weight := 1.0, m.cfg.weightPos
	if y == 0 {
		sign, weight = -1, m.cfg.weightNeg
	}
	z := raw * sign
	if z > 18 {
		return weight * math.Exp(-z) * -sign
	}
	if z < -18 {
		return weight * -sign
	}
	return weight * -sign / (math.Exp(z) + 1)
}

// ProbaTrue returns P(class 1 | x).
func (m *LogisticRegression) ProbaTrue(x feature.Vector) float64 { return sigmoid(m.raw(x)) }

// PredictProbaOne writes [P(0), P(1)] into dst.
func (m *LogisticRegression) PredictProbaOne(x feature.Vector, dst []float64) []float64 {
	p := m.ProbaTrue(x)
	if cap(dst) < 2 {
		dst = make([]float64, 2)
	}
	dst = dst[:2]
	dst[0], dst[1] = 1-p, p
	return dst
}

// PredictOne returns 1 when P(1) > P(0), else 0 (River's max over
// {False, True} keeps False on ties).
func (m *LogisticRegression) PredictOne(x feature.Vector) int {
	if p := m.ProbaTrue(x); p > 1-p {
		return 1
	}
	return 0
}

// LearnOne learns one record of class y ∈ {0, 1}.
func (m *LogisticRegression) LearnOne(x feature.Vector, y int) { m.LearnWeighted(x, y, 1) }

// LearnWeighted learns one record with a sample weight. It panics on a
// class other than 0 or 1: River would silently treat class 2 as a label of
// +2 in the loss, which is never what a caller meant.
func (m *LogisticRegression) LearnWeighted(x feature.Vector, y int, w float64) {
	if y != 0 && y != 1 {
		panic(fmt.Sprintf("linearmodel: LogisticRegression is a binary classifier; got class %d (want 0 or 1)", y))
	}
	direct := m.prepare(x)
	m.step(x, direct, m.logGradient(y, m.rawLearn(x, direct))*w)
}

// CloneFresh returns an untrained model with the same hyper-parameters.
func (m *LogisticRegression) CloneFresh() base.Classifier {
	c := &LogisticRegression{glm: glm{cfg: m.cfg}}
	c.reset()
	return c
}

// SnapshotKind implements snapshot.Model.
func (m *LogisticRegression) SnapshotKind() string { return kindLogisticRegression }

// EncodeSnapshot implements snapshot.Model.
func (m *LogisticRegression) EncodeSnapshot(e *snapshot.Encoder) {
	e.Int(glmLayout)
	m.encode(e)
}

const kindLogisticRegression = "linear_model.LogisticRegression"

func init() {
	snapshot.Register(kindLogisticRegression, func(d *snapshot.Decoder) (snapshot.Model, error) {
		g := decodeGLM(d, d.Version(glmLayout))
		if err := d.Err(); err != nil {
			return nil, err
		}
		return &LogisticRegression{glm: g}, nil
	})
}
