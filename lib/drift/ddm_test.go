package drift

import (
	"testing"

	"github.com/rivulet-ml/rivulet/lib/pyrand"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

type span struct{ from, to int }

func spans(idx []int) []span {
	var out []span
	for _, i := range idx {
		if n := len(out); n > 0 && out[n-1].to == i-1 {
			out[n-1].to = i
		} else {
			out = append(out, span{i, i})
		}
	}
	return out
}

func runDDM(d *DDM, xs []float64) (warn []span, drifts []int) {
	var w []int
	for i, x := range xs {
		if d.Update(x) {
			drifts = append(drifts, i)
		}
		if d.WarningDetected() {
			w = append(w, i)
		}
	}
	return spans(w), drifts
}

func sameSpans(a, b []span) bool {
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

// River's DDM doctest stream:
//
//	rng = random.Random(42)
//	data_stream = rng.choices([0, 1], k=1000)
//	data_stream = data_stream + rng.choices([0, 1], k=1000, weights=[0.3, 0.7])
//
// Weighted choices in CPython 3.11 is population[bisect(cum_weights,
// random()*total, 0, n-1)].
func ddmDoctestStream() []float64 {
	r := pyrand.New(42)
	xs := choices(r, []float64{0, 1}, 1000)
	for i := 0; i < 1000; i++ {
		x := 0.0
		if r.Random()*1.0 >= 0.3 {
			x = 1
		}
		xs = append(xs, x)
	}
	return xs
}

// Goldens from River 0.26.1 drift.binary.DDM(): every index where
// warning_detected or drift_detected is true after update. The doctest
// prints the first warning (1084), the drift (1334) and the next first
// warning (1492).
func TestDDMRiverDoctest(t *testing.T) {
	wantWarn := []span{{1084, 1084}, {1086, 1093}, {1095, 1333}, {1492, 1492}, {1500, 1501}, {1504, 1504}, {1511, 1532},
		{1534, 1642}, {1644, 1645}, {1652, 1806}, {1809, 1850}, {1856, 1856}, {1859, 1861}, {1863, 1863}}
	warn, drifts := runDDM(NewDDM(), ddmDoctestStream())
	if !sameInts(drifts, []int{1334}) {
		t.Errorf("drifts %v, River [1334]", drifts)
	}
	if !sameSpans(warn, wantWarn) {
		t.Errorf("warnings %v\nRiver    %v", warn, wantWarn)
	}
}

// drift.binary.DDM(warm_start=50, warning_threshold=1.5, drift_threshold=2.5)
// on rng = random.Random(5);
// [1 if rng.random() < (0.1 + 0.2*((i//800)%2)) else 0 for i in range(4000)],
// with the final _p.get() and _ps_min as float.hex.
func TestDDMRiverOptions(t *testing.T) {
	r := pyrand.New(5)
	xs := make([]float64, 4000)
	for i := range xs {
		if r.Random() < 0.1+0.2*float64((i/800)%2) {
			xs[i] = 1
		}
	}
	wantWarn := []span{{59, 66}, {203, 204}, {206, 226}, {302, 321}, {398, 402}, {406, 417}, {437, 472}, {477, 487},
		{495, 516}, {590, 596}, {601, 601}, {605, 607}, {810, 840}, {906, 910}, {912, 912}, {917, 918}, {978, 979},
		{981, 982}, {987, 988}, {991, 1187}, {1213, 1213}, {1490, 1497}, {1506, 1506}, {1508, 1515}, {1527, 1553},
		{1574, 1601}, {2471, 2471}, {2473, 2663}, {2738, 2748}, {2826, 2826}, {2828, 2855}, {2862, 2863}, {2866, 2866},
		{2874, 2874}, {2882, 2883}, {2966, 3013}, {3026, 3029}, {3157, 3158}, {3198, 3199}}
	d := NewDDM(WithWarmStart(50), WithWarningThreshold(1.5), WithDriftThreshold(2.5))
	warn, drifts := runDDM(d, xs)
	if !sameInts(drifts, []int{67, 227, 322, 517, 841, 2664}) {
		t.Errorf("drifts %v, River [67 227 322 517 841 2664]", drifts)
	}
	if !sameSpans(warn, wantWarn) {
		t.Errorf("warnings %v\nRiver    %v", warn, wantWarn)
	}
	if d.p.mean != hexf(t, "0x1.6d1c92813f17bp-3") || d.psMin != hexf(t, "0x1.817cd942d01bbp-3") {
		t.Errorf("final p %x ps_min %x", d.p.mean, d.psMin)
	}
	// Round trip through the generic encoding mid-stream.
	e := &snapshot.Encoder{}
	EncodeDetector(e, d)
	dec := snapshot.NewDecoder(e.Bytes(), "test")
	c := DecodeDetector(dec).(*DDM)
	if dec.Err() != nil {
		t.Fatal(dec.Err())
	}
	w1, d1 := runDDM(d, xs)
	w2, d2 := runDDM(c, xs)
	if !sameSpans(w1, w2) || !sameInts(d1, d2) {
		t.Fatal("restored DDM diverges")
	}
	var _ WarningDetector = d
}
