package tree

import (
	"math"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

// TestSplitAttemptWeightForetellsAttempts: learning x with weight w
// attempts a split at x's leaf exactly when w >= SplitAttemptWeight(x) (up
// to rounding), on
// a stream with missing values (unrouted records) and a depth limit
// (leaves that stop growing). An attempt shows as the leaf's
// last_split_attempt_at moving.
func TestSplitAttemptWeightForetellsAttempts(t *testing.T) {
	xs, ys := agrawalStream(t, 6000, 0)
	holes := pyrand.New(5)
	h := must(NewHoeffdingTreeClassifier(agrawalNominal, WithGracePeriod(40), WithMaxDepth(4)))
	attempts, unrouted := 0, 0
	for i, x := range xs {
		x = x.Clone()
		for f := range x.Val {
			if holes.Random() < 0.03 {
				x.Val[f] = math.NaN()
			}
		}
		w := float64(1 + i%7)
		at := h.SplitAttemptWeight(x)
		var l *leaf
		before := 0.0
		if h.c.root != nil {
			if l = h.c.root.walk(x).leaf; l != nil {
				before = l.lastSplitAt
			} else {
				unrouted++
			}
		}
		h.LearnWeighted(x, ys[i], w)
		attempted := l != nil && l.lastSplitAt != before
		if attempted != (w >= at) && math.Abs(w-at) > 1e-9*max(1, before) {
			t.Fatalf("record %d: weight %v, SplitAttemptWeight %v, attempted %v", i, w, at, attempted)
		}
		if attempted {
			attempts++
		}
	}
	if s := h.Summary(); attempts < 50 || unrouted == 0 || s.Height < 4 {
		t.Fatalf("stream too easy to test anything: %d attempts, %d unrouted, height %d", attempts, unrouted, s.Height)
	}
}
