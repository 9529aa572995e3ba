package naivebayes

import (
	"fmt"
	"math"

	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// classTable is River's class_counts Counter over dense classes: weights by
// class, and the classes in first-seen order (River's dict order, which
// fixes the order of the softmax sum).
type classTable struct {
	count []float64
	seen  []bool
	order []int
}

// add records weight w for class y and reports whether y is new.
func (t *classTable) add(y int, w float64) bool {
	if y >= len(t.count) {
		t.count = append(t.count, make([]float64, y+1-len(t.count))...)
		t.seen = append(t.seen, make([]bool, y+1-len(t.seen))...)
	}
	t.count[y] += w
	if !t.seen[y] {
		t.seen[y] = true
		t.order = append(t.order, y)
		return true
	}
	return false
}

// total is sum(class_counts.values()) in River's order.
func (t *classTable) total() float64 {
	s := 0.0
	for _, c := range t.order {
		s += t.count[c]
	}
	return s
}

func (t *classTable) numClasses() int { return len(t.count) }

func (t *classTable) encode(e *snapshot.Encoder) {
	e.Ints(t.order)
	e.Uint(uint64(len(t.count)))
	for _, c := range t.order {
		e.Float(t.count[c])
	}
}

func (t *classTable) decode(d *snapshot.Decoder) {
	order := d.Ints()
	k := d.Len(0)
	if d.Err() != nil {
		return
	}
	if k > 1<<24 || len(order) > k {
		d.Fail("naive Bayes: %d classes in order but %d in range", len(order), k)
		return
	}
	t.count = make([]float64, k)
	t.seen = make([]bool, k)
	for _, c := range order {
		w := d.Float()
		if c < 0 || c >= k || t.seen[c] || !(w > 0) {
			d.Fail("naive Bayes: invalid class %d (weight %v) in a range of %d", c, w, k)
			return
		}
		t.seen[c] = true
		t.count[c] = w
	}
	t.order = order
}

// checkLearn validates a learning call.
func checkLearn(y int, w float64) {
	if y < 0 {
		panic(fmt.Sprintf("naivebayes: negative class %d", y))
	}
	if !(w >= 0) || math.IsInf(w, 1) {
		panic(fmt.Sprintf("naivebayes: sample weight must be finite and non-negative, got %v", w))
	}
}
