package tree

import (
	"math"

	"github.com/rivulet-ml/rivulet/lib/feature"
)

// nbEntry is one remembered naive Bayes prediction.
type nbEntry struct {
	l     *leaf
	ver   uint64
	ok    bool
	votes []float64 // by class
	slots []int32   // sparse x: observer slot of each entry (-1: none)
	xIdx  []int32   // copy of the record it was computed for
	xVal  []float64
	dense bool
}

// nbMemo is a small round-robin cache of naive Bayes predictions. An entry
// is reused only for the same leaf in the same state (version) and a record
// with identical contents, so it never changes a result; callers may reuse
// their record buffers freely.
type nbMemo struct {
	e    [4]nbEntry
	next int
}

func sameRecord(e *nbEntry, x feature.Vector) bool {
	if e.dense != (x.Idx == nil) || len(e.xVal) != len(x.Val) || len(e.xIdx) != len(x.Idx) {
		return false
	}
	for i, v := range x.Val {
		if math.Float64bits(v) != math.Float64bits(e.xVal[i]) {
			return false
		}
	}
	for i, f := range x.Idx {
		if f != e.xIdx[i] {
			return false
		}
	}
	return true
}

func (m *nbMemo) find(l *leaf, x feature.Vector) *nbEntry {
	for i := range m.e {
		e := &m.e[i]
		if e.l == l && e.ver == l.ver && sameRecord(e, x) {
			return e
		}
	}
	return nil
}

// slot claims an entry for (l, x), sized for classes, and records x.
func (m *nbMemo) slot(l *leaf, x feature.Vector, classes int) *nbEntry {
	e := &m.e[m.next]
	m.next = (m.next + 1) % len(m.e)
	e.l, e.ver, e.dense = l, l.ver, x.Idx == nil
	if cap(e.votes) < classes {
		e.votes = make([]float64, classes)
	}
	e.votes = e.votes[:classes]
	e.xVal = append(e.xVal[:0], x.Val...)
	e.xIdx = append(e.xIdx[:0], x.Idx...)
	if x.Idx != nil {
		if cap(e.slots) < len(x.Idx) {
			e.slots = make([]int32, len(x.Idx))
		}
		e.slots = e.slots[:len(x.Idx)]
	} else {
		e.slots = e.slots[:0]
	}
	return e
}

// forget drops every entry (the model was replaced or reset).
func (m *nbMemo) forget() { *m = nbMemo{} }

func (m *nbMemo) bytes() int64 {
	var b int64
	for i := range m.e {
		e := &m.e[i]
		b += 8*int64(cap(e.votes)+cap(e.xVal)) + 4*int64(cap(e.slots)+cap(e.xIdx))
	}
	return b
}
