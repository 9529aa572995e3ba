// Package memotest checks, for the ensembles' tests, that a model which
// reuses the work of a prediction when it learns the same record (a
// record memo) ends in the same state however its predictions and
// learning interleave.
package memotest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
)

// Check trains fresh models on xs[:train] under four call patterns —
// learning alone; predicting each record before learning it; predicting
// another record before each learn; and predicting another record through
// the caller's buffer, which it then overwrites with the record it learns
// — and fails t unless all four predict xs[train:] alike. It returns those
// predictions (comma-separated), for comparisons between set-ups. A model
// with a Close method is closed after use. name labels the failures.
func Check(t *testing.T, name string, xs []feature.Vector, ys []int, train int, fresh func() base.Classifier) string {
	t.Helper()
	final := func(mode int) string {
		m := fresh()
		if c, ok := m.(interface{ Close() }); ok {
			defer c.Close()
		}
		buf := xs[0].Clone()
		for i := 0; i < train; i++ {
			switch mode {
			case 1:
				m.PredictOne(xs[i])
			case 2:
				m.PredictOne(xs[(i+7)%len(xs)])
			case 3:
				copy(buf.Val, xs[(i+3)%len(xs)].Val)
				m.PredictOne(buf)
				copy(buf.Val, xs[i].Val)
				m.LearnOne(buf, ys[i])
				continue
			}
			m.LearnOne(xs[i], ys[i])
		}
		var b strings.Builder
		for _, x := range xs[train:] {
			fmt.Fprintf(&b, "%d,", m.PredictOne(x))
		}
		return b.String()
	}
	want := final(0)
	for mode := 1; mode <= 3; mode++ {
		if got := final(mode); got != want {
			t.Errorf("%s, call pattern %d: predictions differ from learning alone at record %d", name, mode, train+firstDiff(got, want))
		}
	}
	return want
}

// firstDiff is the index of the first prediction that differs between two
// comma-separated lists.
func firstDiff(got, want string) int {
	g, w := strings.Split(got, ","), strings.Split(want, ",")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return i
		}
	}
	return min(len(g), len(w))
}
