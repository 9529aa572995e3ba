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

// TestPredictionsDoNotChangeLearning: a tree that predicts before it learns
// (and so learns from the prediction's remembered walk) ends exactly like
// one that only learns — also when the caller reuses its record buffer
// between the two calls, predicts other records in between, or the record
// has missing features.
func TestPredictionsDoNotChangeLearning(t *testing.T) {
	xs, ys := agrawalStream(t, 3000, 1)
	holes := pyrand.New(9)
	for i := range xs {
		xs[i] = xs[i].Clone()
		if holes.Random() < 0.05 {
			xs[i].Val[int(holes.Random()*9)] = math.NaN()
		}
	}
	final := func(mode int) []byte {
		h := must(NewHoeffdingTreeClassifier(agrawalNominal, WithGracePeriod(40), WithDelta(1e-2)))
		buf := xs[0].Clone()
		var p []float64
		for i, x := range xs {
			switch mode {
			case 1:
				p = h.PredictProbaOne(x, p)
			case 2:
				h.PredictOne(x)
				h.PredictOne(xs[(i*31)%len(xs)])
			case 3:
				copy(buf.Val, x.Val)
				h.PredictOne(buf)
				copy(buf.Val, xs[(i+1)%len(xs)].Val) // the buffer now holds another record
				h.LearnOne(buf, ys[(i+1)%len(xs)])
				continue
			case 4:
				copy(buf.Val, xs[(i+1)%len(xs)].Val)
				h.PredictOne(buf)
				copy(buf.Val, x.Val)
				h.LearnOne(buf, ys[i])
				continue
			case 5: // River-parity ensembles learn a record k times in a row
				h.PredictOne(x)
				for range 3 { // splits also happen before the last repeat
					h.LearnOne(x, ys[i])
				}
				continue
			}
			h.LearnOne(x, ys[i])
		}
		checkWeightCaches(t, h.c.root)
		return sharedBytes(h)
	}
	want := final(0)
	for mode := 1; mode <= 5; mode++ {
		got := final(mode)
		if mode == 5 {
			h := must(NewHoeffdingTreeClassifier(agrawalNominal, WithGracePeriod(40), WithDelta(1e-2)))
			for i, x := range xs {
				for range 3 {
					h.LearnOne(x, ys[i])
				}
			}
			if !bytes.Equal(got, sharedBytes(h)) {
				t.Errorf("mode 5: the tree differs from learning alone")
			}
			continue
		}
		if mode == 3 {
			// Learns xs[1:]+xs[0]: compare with a learn-only tree on that order.
			h := must(NewHoeffdingTreeClassifier(agrawalNominal, WithGracePeriod(40), WithDelta(1e-2)))
			for i := range xs {
				j := (i + 1) % len(xs)
				h.LearnOne(xs[j], ys[j])
			}
			if !bytes.Equal(got, sharedBytes(h)) {
				t.Errorf("mode 3: the tree differs from learning alone")
			}
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("mode %d: the tree differs from learning alone", mode)
		}
	}
}

// checkWeightCaches fails if a branch's cached total weight (most-common-
// path decisions read it) is marked valid but differs from its leaves' sum.
func checkWeightCaches(t *testing.T, n *node) float64 {
	t.Helper()
	if n == nil {
		return 0
	}
	if n.leaf != nil {
		return n.leaf.stats.total
	}
	sum := 0.0
	for _, c := range n.children {
		sum += checkWeightCaches(t, c)
	}
	if n.twValid && n.tw != sum {
		t.Fatalf("branch at depth %d: cached weight %v, leaves sum to %v", n.depth, n.tw, sum)
	}
	return sum
}

// TestSamplerNameOrderDenseEqualsSparse: a dense record's keys in name order
// come from a cached ordering; they must equal the sorted keys of the same
// record given sparse, with missing features left out.
func TestSamplerNameOrderDenseEqualsSparse(t *testing.T) {
	schema := feature.NewSchema()
	for _, name := range []string{"salary", "commission", "age", "elevel", "car", "zipcode", "hvalue", "hyears", "loan", "a10", "a9"} {
		schema.Add(name)
	}
	order := ByName(schema)
	src := pyrand.New(5)
	for trial := range 200 {
		dense := feature.Vector{Val: make([]float64, 11)}
		var sparse feature.Vector
		for i := range dense.Val {
			if src.Random() < 0.2 {
				dense.Val[i] = math.NaN()
				continue
			}
			dense.Val[i] = float64(trial + i)
			sparse.Idx = append(sparse.Idx, int32(i))
			sparse.Val = append(sparse.Val, dense.Val[i])
		}
		a := &leafSampler{rng: pyrand.New(int64(trial)), k: 3, order: order}
		b := &leafSampler{rng: pyrand.New(int64(trial)), k: 3, order: order}
		var ka, kb []int
		got := a.draw(dense, nil, &ka)
		want := b.draw(sparse, nil, &kb)
		if !slices.Equal(got, want) || !slices.Equal(ka, kb) {
			t.Fatalf("trial %d: dense keys %v draw %v, sparse keys %v draw %v", trial, ka, got, kb, want)
		}
	}
}
