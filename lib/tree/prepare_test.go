package tree

import (
	"bytes"
	"math"
	"slices"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// TestPrepareLearnDrawsAheadOfLearning checks the contract a parallel forest
// relies on: PrepareLearn(x) followed by LearnWeighted(x, y, w) leaves the
// tree and the shared generator exactly as LearnWeighted alone, and the
// learning step itself draws nothing. The stream has missing features (the
// most-common-path walk) and late categories at multiway nominal branches
// (the new-leaf walk).
func TestPrepareLearnDrawsAheadOfLearning(t *testing.T) {
	xs, ys := agrawalStream(t, 4000, 0)
	holes := pyrand.New(3)
	for i, x := range xs {
		x = x.Clone()
		for f := range x.Val {
			if holes.Random() < 0.08 {
				x.Val[f] = math.NaN()
			}
		}
		if i < 2000 && x.Val[5] == x.Val[5] && x.Val[5] > 4 {
			x.Val[5] = math.NaN() // zipcodes above 4 first appear after the tree has split
		}
		xs[i] = x
	}
	rngPrepared, rngPlain := pyrand.New(11), pyrand.New(11)
	opts := func(rng *pyrand.Rand) []Option {
		return []Option{agrawalNominal, WithGracePeriod(40), WithDelta(1e-2), WithLeafFeatureSampler(rng, 3, ByIndex)}
	}
	prepared := must(NewHoeffdingTreeClassifier(opts(rngPrepared)...))
	plain := must(NewHoeffdingTreeClassifier(opts(rngPlain)...))
	draws := 0
	for i, x := range xs {
		w := float64(1 + i%3)
		before := rngPrepared.State()
		prepared.PrepareLearn(x)
		if !slices.Equal(rngPrepared.State(), before) {
			draws++
		}
		after := rngPrepared.State()
		prepared.LearnWeighted(x, ys[i], w)
		if !slices.Equal(rngPrepared.State(), after) {
			t.Fatalf("record %d: LearnWeighted drew random numbers after PrepareLearn", i)
		}
		plain.LearnWeighted(x, ys[i], w)
		if !slices.Equal(rngPrepared.State(), rngPlain.State()) {
			t.Fatalf("record %d: generators diverged", i)
		}
		if i%500 == 499 || i == len(xs)-1 {
			if a, b := sharedBytes(prepared), sharedBytes(plain); !bytes.Equal(a, b) {
				t.Fatalf("record %d: trees differ", i)
			}
		}
	}
	if s := prepared.Summary(); s.Leaves < 8 || draws < s.Leaves {
		t.Fatalf("stream too easy to test anything: %d leaves, %d draws", s.Leaves, draws)
	}
}

func sharedBytes(h *HoeffdingTreeClassifier) []byte {
	var e snapshot.Encoder
	h.EncodeShared(&e)
	return e.Bytes()
}

// TestPrepareLearnWithoutSamplerIsNoop: a plain tree has nothing to draw,
// and preparing must not even create its root.
func TestPrepareLearnWithoutSamplerIsNoop(t *testing.T) {
	h := must(NewHoeffdingTreeClassifier())
	h.PrepareLearn(feature.Vector{Val: []float64{1, 2}})
	if h.c.root != nil {
		t.Fatal("PrepareLearn built a root on a tree without a leaf sampler")
	}
}
