package ensemble

import (
	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// ordered wraps a naive Bayes model and records the order in which it sees
// classes, standing in for ClassOrderer until lib/naivebayes exposes its
// own (it keeps that order internally). River's naive Bayes models break
// probability ties toward the class seen first.
type ordered struct {
	inner base.Classifier
	order []int
}

func (o *ordered) note(y int, w float64) {
	if w <= 0 {
		return
	}
	for _, c := range o.order {
		if c == y {
			return
		}
	}
	o.order = append(o.order, y)
}

func (o *ordered) LearnOne(x feature.Vector, y int) { o.note(y, 1); o.inner.LearnOne(x, y) }
func (o *ordered) LearnWeighted(x feature.Vector, y int, w float64) {
	o.note(y, w)
	o.inner.LearnWeighted(x, y, w)
}
func (o *ordered) PredictProbaOne(x feature.Vector, dst []float64) []float64 {
	return o.inner.PredictProbaOne(x, dst)
}
func (o *ordered) PredictOne(x feature.Vector) int {
	p, _ := PredictMember(o, x, nil)
	return p
}
func (o *ordered) ClassOrder() []int { return o.order }
func (o *ordered) CloneFresh() base.Classifier {
	return &ordered{inner: o.inner.(base.Cloner).CloneFresh()}
}
func (o *ordered) SnapshotKind() string { return "ensemble_test.ordered" }
func (o *ordered) EncodeSnapshot(e *snapshot.Encoder) {
	EncodeModel(e, o.inner)
	e.Ints(o.order)
}

func init() {
	snapshot.Register("ensemble_test.ordered", func(d *snapshot.Decoder) (snapshot.Model, error) {
		o := &ordered{inner: DecodeModel(d)}
		o.order = d.Ints()
		return o, d.Err()
	})
}

// withOrder wraps m unless it already reports its class order.
func withOrder(m base.Classifier) base.Classifier {
	if _, ok := m.(ClassOrderer); ok {
		return m
	}
	return &ordered{inner: m}
}
