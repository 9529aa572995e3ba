package drift

import (
	"testing"

	"github.com/rivulet-ml/rivulet/lib/pyrand"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// phStream is River's Page-Hinkley/ADWIN doctest stream extended by 2000
// values: rng = random.Random(12345);
// rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000) + rng.choices([0, 1, 2], k=2000)
func phStream() []float64 {
	r := pyrand.New(12345)
	s := choices(r, []float64{0, 1}, 1000)
	s = append(s, choices(r, []float64{4, 5, 6, 7}, 1000)...)
	return append(s, choices(r, []float64{0, 1, 2}, 2000)...)
}

func detections(det Detector, xs []float64) []int {
	var out []int
	for i, x := range xs {
		if det.Update(x) {
			out = append(out, i)
		}
	}
	return out
}

func sameInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Goldens from River 0.26.1 drift.PageHinkley(mode=...) on phStream: the
// detection indices and the final _sum_increase, _sum_decrease and
// _x_mean.get() as float.hex. River's doctest is the first detection of
// mode "both": "Change detected at index 1006".
func TestPageHinkleyRiver(t *testing.T) {
	xs := phStream()
	cases := []struct {
		mode           PageHinkleyMode
		want           []int
		inc, dec, mean string
	}{
		{PageHinkleyBoth, []int{1006, 2004}, "-0x1.edf1ccc50b763p+3", "0x1.5354e6ab13372p+1", "0x1.068b5b3c70693p+0"},
		{PageHinkleyUp, []int{1006}, "-0x1.10e04ec701ad8p+12", "-0x1.0f426ddb9f961p+12", "0x1.40106c1d14c7ep+1"},
		{PageHinkleyDown, []int{2023}, "0x1.0d6a3892a3ea4p+3", "0x1.a59a80f9cd462p+4", "0x1.05d4783a0a5d0p+0"},
	}
	for _, c := range cases {
		p := NewPageHinkley(WithMode(c.mode))
		got := detections(p, xs)
		if !sameInts(got, c.want) {
			t.Errorf("mode %v: detections %v, River %v", c.mode, got, c.want)
		}
		if p.sumIncrease != hexf(t, c.inc) || p.sumDecrease != hexf(t, c.dec) || p.mean.mean != hexf(t, c.mean) {
			t.Errorf("mode %v: final state %x %x %x, River %s %s %s", c.mode, p.sumIncrease, p.sumDecrease, p.mean.mean, c.inc, c.dec, c.mean)
		}
	}
}

// drift.PageHinkley(min_instances=10, delta=0.01, threshold=5, alpha=0.99)
// on phStream: the first 40 detections.
func TestPageHinkleyRiverOptions(t *testing.T) {
	want := []int{42, 116, 236, 341, 473, 541, 599, 669, 757, 806, 835, 943, 996, 1006, 1029, 1042, 1059, 1072, 1083, 1097,
		1107, 1124, 1146, 1161, 1174, 1192, 1214, 1233, 1264, 1284, 1308, 1318, 1333, 1350, 1372, 1402, 1433, 1454, 1477, 1502}
	p := NewPageHinkley(WithMinInstances(10), WithPHDelta(0.01), WithThreshold(5), WithAlpha(0.99))
	got := detections(p, phStream())
	if len(got) < len(want) || !sameInts(got[:len(want)], want) {
		t.Fatalf("detections %v, River's first 40: %v", got, want)
	}
}

func TestPageHinkleyModeNames(t *testing.T) {
	for _, m := range []PageHinkleyMode{PageHinkleyBoth, PageHinkleyUp, PageHinkleyDown} {
		got, err := ParsePageHinkleyMode(m.String())
		if err != nil || got != m {
			t.Errorf("mode %v does not round-trip: %v %v", m, got, err)
		}
	}
	if _, err := ParsePageHinkleyMode("sideways"); err == nil {
		t.Error("invalid mode accepted")
	}
	if _, err := BuildPageHinkley(WithMode(7)); err == nil {
		t.Error("invalid mode value accepted")
	}
}

func TestPageHinkleySnapshotRoundTrip(t *testing.T) {
	xs := phStream()
	p := NewPageHinkley(WithThreshold(20), WithMode(PageHinkleyUp))
	detections(p, xs[:1500])
	e := &snapshot.Encoder{}
	EncodeDetector(e, p)
	d := snapshot.NewDecoder(e.Bytes(), "test")
	q := DecodeDetector(d)
	if d.Err() != nil {
		t.Fatal(d.Err())
	}
	if !sameInts(detections(p, xs[1500:]), detections(q, xs[1500:])) {
		t.Fatal("restored Page-Hinkley diverges")
	}
	f := p.CloneFresh()
	g := NewPageHinkley(WithThreshold(20), WithMode(PageHinkleyUp))
	if !sameInts(detections(f, xs), detections(g, xs)) {
		t.Fatal("CloneFresh differs from a new detector")
	}
}
