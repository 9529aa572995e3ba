package tree

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/pyrand"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

type snapModel interface {
	base.Classifier
	snapshot.Model
}

// checkRoundTrip trains m on the first n records, snapshots it, and then
// requires the copy to predict the same probabilities (bit for bit) and to
// keep learning identically on the rest of the stream.
func checkRoundTrip(t *testing.T, m snapModel, xs []feature.Vector, ys []int, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		m.LearnOne(xs[i], ys[i])
	}
	data := snapshot.Marshal(m)
	got, err := snapshot.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := got.(snapModel)
	if !ok || got.SnapshotKind() != m.SnapshotKind() {
		t.Fatalf("decoded %T (%s), want %T", got, got.SnapshotKind(), m)
	}
	if again := snapshot.Marshal(c); !bytes.Equal(again, data) {
		t.Fatalf("re-encoding the decoded model gives different bytes (%d vs %d)", len(again), len(data))
	}
	var p, q []float64
	for i := n; i < len(xs); i++ {
		p = m.PredictProbaOne(xs[i], p)
		q = c.PredictProbaOne(xs[i], q)
		if len(p) != len(q) {
			t.Fatalf("record %d: %d vs %d classes", i, len(p), len(q))
		}
		for k := range p {
			if math.Float64bits(p[k]) != math.Float64bits(q[k]) {
				t.Fatalf("record %d: P(%d) = %v original, %v decoded", i, k, p[k], q[k])
			}
		}
		if a, b := m.PredictOne(xs[i]), c.PredictOne(xs[i]); a != b {
			t.Fatalf("record %d: predicted %d original, %d decoded", i, a, b)
		}
		m.LearnOne(xs[i], ys[i])
		c.LearnOne(xs[i], ys[i])
	}
	if !bytes.Equal(snapshot.Marshal(m), snapshot.Marshal(c)) {
		t.Fatal("original and decoded models diverged while learning")
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	xs, ys := agrawalStream(t, 4000, 0)
	// Labels of function 2 after record 2000 make HAT grow alternates.
	x2, y2 := agrawalStream(t, 4000, 2)
	_ = x2
	drifting := append(append([]int(nil), ys[:2000]...), y2[2000:]...)
	cases := []struct {
		name string
		m    snapModel
		ys   []int
	}{
		{"ht", must(NewHoeffdingTreeClassifier(agrawalNominal, WithGracePeriod(50))), ys},
		{"ht_mc_binary_gini", must(NewHoeffdingTreeClassifier(agrawalNominal, WithGracePeriod(50), WithLeafPrediction(MajorityClass),
			WithBinarySplit(true), WithSplitCriterion(Gini), WithRemovePoorAttrs(true))), ys},
		{"hat", must(NewHoeffdingAdaptiveTreeClassifier(agrawalNominal, WithGracePeriod(50), WithDelta(1e-3),
			WithDriftWindowThreshold(50), WithSeed(3))), drifting},
		{"hat_nb", must(NewHoeffdingAdaptiveTreeClassifier(WithGracePeriod(50), WithLeafPrediction(NaiveBayes), WithSeed(9))), drifting},
		{"ht_sampler", must(NewHoeffdingTreeClassifier(agrawalNominal, WithGracePeriod(50),
			WithLeafFeatureSampler(pyrand.New(5), 3, ByIndex))), ys},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, n := range []int{0, 1, 700, 2500} {
				m := tc.m.(base.Cloner).CloneFresh().(snapModel)
				checkRoundTrip(t, m, xs, tc.ys, n)
			}
		})
	}
}

func TestSnapshotRoundTripSparse(t *testing.T) {
	xs, ys := loadSVMLight(t, maliciousPath)
	checkRoundTrip(t, seedHAT().(snapModel), xs, ys, 1200)
}

func must[T any](m T, err error) T {
	if err != nil {
		panic(err)
	}
	return m
}

func TestSnapshotSharedSampler(t *testing.T) {
	xs, ys := agrawalStream(t, 3000, 0)
	rng := pyrand.New(11)
	m := must(NewHoeffdingTreeClassifier(agrawalNominal, WithGracePeriod(50), WithLeafFeatureSampler(rng, 2, ByIndex)))
	for i := 0; i < 1500; i++ {
		m.LearnOne(xs[i], ys[i])
	}
	var e snapshot.Encoder
	m.EncodeShared(&e)
	// The owner restores its generator and hands it to the tree.
	rng2 := rng.Clone()
	d := snapshot.NewDecoder(e.Bytes(), KindHoeffdingTree)
	c := DecodeHoeffdingTreeShared(d, rng2)
	if d.Err() != nil {
		t.Fatal(d.Err())
	}
	for i := 1500; i < len(xs); i++ {
		if a, b := m.PredictOne(xs[i]), c.PredictOne(xs[i]); a != b {
			t.Fatalf("record %d: %d vs %d", i, a, b)
		}
		m.LearnOne(xs[i], ys[i])
		c.LearnOne(xs[i], ys[i])
	}
	if rng.Random() != rng2.Random() {
		t.Fatal("shared generators diverged")
	}
	// A shared tree cannot be decoded as a standalone snapshot.
	if _, err := snapshot.Unmarshal(rawSnapshot(KindHoeffdingTree, e.Bytes())); err == nil {
		t.Fatal("standalone decoding of a shared-generator tree succeeded")
	}
}

// rawSnapshot wraps an arbitrary payload in a valid container (magic,
// checksum), so that corrupt payloads reach the tree decoders instead of
// failing the checksum.
func rawSnapshot(kind string, payload []byte) []byte {
	return snapshot.Marshal(payloadModel{kind, payload})
}

// payloadModel writes its payload verbatim (one placeholder byte at a
// time, overwritten through the encoder's buffer).
type payloadModel struct {
	kind    string
	payload []byte
}

func (p payloadModel) SnapshotKind() string { return p.kind }
func (p payloadModel) EncodeSnapshot(e *snapshot.Encoder) {
	for _, b := range p.payload {
		e.Bool(false)
		e.Bytes()[len(e.Bytes())-1] = b
	}
}

// TestSnapshotCorrupt flips, truncates and extends snapshots of trained
// trees: the container's checksum must catch raw damage, and payload damage
// behind a valid checksum must give an error or a model that still works,
// never a panic.
func TestSnapshotCorrupt(t *testing.T) {
	xs, ys := agrawalStream(t, 1500, 0)
	models := []snapModel{
		must(NewHoeffdingTreeClassifier(agrawalNominal, WithGracePeriod(50))),
		must(NewHoeffdingAdaptiveTreeClassifier(agrawalNominal, WithGracePeriod(50), WithSeed(1))),
		must(NewHoeffdingTreeClassifier(WithGracePeriod(50), WithLeafFeatureSampler(pyrand.New(2), 3, ByName(nil)))),
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, m := range models {
		for i := range xs {
			m.LearnOne(xs[i], ys[i])
		}
		data := snapshot.Marshal(m)
		_, payload, err := snapshot.Inspect(data)
		if err != nil {
			t.Fatal(err)
		}
		// Raw damage: the checksum or the framing must reject it.
		for i := 0; i < 200; i++ {
			bad := append([]byte(nil), data...)
			bad[r.IntN(len(bad))] ^= byte(1 + r.IntN(255))
			if _, err := snapshot.Unmarshal(bad); err == nil {
				t.Fatalf("%s: flipped byte accepted", m.SnapshotKind())
			}
		}
		for _, n := range []int{0, 5, len(data) / 2, len(data) - 1} {
			if _, err := snapshot.Unmarshal(data[:n]); err == nil {
				t.Fatalf("%s: snapshot truncated to %d bytes accepted", m.SnapshotKind(), n)
			}
		}
		// Payload damage behind a valid checksum reaches the decoder.
		accepted := 0
		for i := 0; i < 300; i++ {
			bad := append([]byte(nil), payload...)
			switch i % 3 {
			case 0:
				bad[r.IntN(len(bad))] ^= byte(1 + r.IntN(255))
			case 1:
				bad = bad[:r.IntN(len(bad))]
			default:
				for j := 0; j < 4; j++ {
					bad[r.IntN(len(bad))] = byte(r.IntN(256))
				}
			}
			if exerciseDecoded(t, m.SnapshotKind(), bad, xs[:50], ys[:50]) {
				accepted++
			}
		}
		t.Logf("%s: %d of 300 damaged payloads decoded to a working model, the rest were rejected", m.SnapshotKind(), accepted)
	}
}

func exerciseDecoded(t *testing.T, kind string, payload []byte, xs []feature.Vector, ys []int) bool {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("%s: corrupt payload made the decoded model panic: %v", kind, p)
		}
	}()
	got, err := snapshot.Unmarshal(rawSnapshot(kind, payload))
	if err != nil {
		return false
	}
	m := got.(base.Classifier)
	var dst []float64
	for i, x := range xs {
		dst = m.PredictProbaOne(x, dst)
		m.PredictOne(x)
		m.LearnOne(x, ys[i])
	}
	_ = got.(base.MemoryReporter).MemoryBytes()
	snapshot.Marshal(got)
	return true
}

// FuzzSnapshotPayload feeds arbitrary payloads to both tree decoders; run
// with go test -fuzz FuzzSnapshotPayload for a longer search.
func FuzzSnapshotPayload(f *testing.F) {
	xs, ys := agrawalStream(f, 600, 0)
	for _, m := range []snapModel{
		must(NewHoeffdingTreeClassifier(agrawalNominal, WithGracePeriod(50))),
		must(NewHoeffdingAdaptiveTreeClassifier(agrawalNominal, WithGracePeriod(50), WithSeed(1))),
	} {
		for i := range xs {
			m.LearnOne(xs[i], ys[i])
		}
		_, payload, _ := snapshot.Inspect(snapshot.Marshal(m))
		f.Add(m.SnapshotKind() == KindHoeffdingAdaptiveTree, payload)
	}
	f.Fuzz(func(t *testing.T, adaptive bool, payload []byte) {
		kind := KindHoeffdingTree
		if adaptive {
			kind = KindHoeffdingAdaptiveTree
		}
		start := time.Now()
		exerciseDecoded(t, kind, payload, xs[:20], ys[:20])
		if d := time.Since(start); d > 3*time.Second {
			t.Fatalf("decoding and exercising took %v", d)
		}
	})
}
