package serve

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/feature"
)

func TestParseRequest(t *testing.T) {
	for _, c := range []struct {
		body    string
		idx     []int32
		val     []float64
		version int64
	}{
		{`{"x": {"2": 1.0, "4": 0.0788382}}`, []int32{2, 4}, []float64{1, 0.0788382}, -1},
		{`{"data": {"version": 5, "x": {"10": -1e-3, "3": 2}}}`, []int32{3, 10}, []float64{2, -0.001}, 5},
		{` { "version" : 7 , "x" : { } , "extra": [1, {"a": null}, "s\"", true] } `, nil, nil, 7},
		{`{"data": {"x": {"0": 0}, "note": "\u0041"}, "version": 2}`, []int32{0}, []float64{0}, 2},
		{`{"x": {"\u0032": 1}}`, []int32{2}, []float64{1}, -1},
		{`{"x": {"2147483647": 1}}`, []int32{2147483647}, []float64{1}, -1},
	} {
		x, v, err := ParseRequest([]byte(c.body))
		if err != nil || v != c.version || !slices.Equal(x.Idx, c.idx) || !slices.Equal(x.Val, c.val) {
			t.Errorf("%s: %v %v version %d (%v); want %v %v version %d", c.body, x.Idx, x.Val, v, err, c.idx, c.val, c.version)
		}
	}
	for body, says := range map[string]string{
		``:                                      "byte 0: unexpected end",
		`{"x": {"2": 1}`:                        "byte 14: want ',' or '}'",
		`{"x": {"2": 1, "2": 3}}`:               "feature 2 given twice",
		`{"x": {"04": 1}}`:                      `byte 7: feature key "04"`,
		`{"x": {"2147483648": 1}}`:              `feature key "2147483648"`,
		`{"x": {"1.5": 1}}`:                     `feature key "1.5"`,
		`{"x": {"2": 1}} x`:                     "unexpected data after the request",
		`{"x": {"2": nan}}`:                     "want a number",
		`{"x": {"2": +1}}`:                      "want a number",
		`{"version": 1.5, "x": {}}`:             `"version" 1.5: want a whole number`,
		`{"version": -2, "x": {}}`:              `"version" -2`,
		`{"data": {"version": 1}}`:              `no features in "data"`,
		`{"x": {"2": 1}, "s": "a` + "\n" + `"}`: "control character",
		`{"a": ` + strings.Repeat("[", 70) + strings.Repeat("]", 70) + `, "x": {}}`: "nested too deeply",
	} {
		_, _, err := ParseRequest([]byte(body))
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%q: err = %v; want it to say %q", body, err, says)
		}
	}
}

// TestAppendRequestRoundTrips writes random vectors as requests and reads
// them back.
func TestAppendRequestRoundTrips(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		var x feature.Vector
		for i := int32(0); i < 3000; i += 1 + rng.Int32N(400) {
			x.Idx = append(x.Idx, i)
			x.Val = append(x.Val, rng.NormFloat64()*1e3)
		}
		v := rng.Int64N(10) - 1
		got, gv, err := ParseRequest(AppendRequest(nil, x, v))
		if err != nil || gv != v || !slices.Equal(got.Idx, x.Idx) || !slices.Equal(got.Val, x.Val) {
			t.Fatalf("round trip of %v version %d: %v version %d, %v", x, v, got, gv, err)
		}
	}
}

func FuzzParseRequest(f *testing.F) {
	f.Add([]byte(`{"data": {"version": 5, "x": {"2": 1.0, "4": 0.0788382}}}`))
	f.Add([]byte(`{"x": {}, "y": [1, "a", null]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		x, _, err := ParseRequest(b)
		if err != nil {
			return
		}
		if !slices.IsSorted(x.Idx) || len(x.Idx) != len(x.Val) {
			t.Fatalf("%q: %v", b, x)
		}
		for k := 1; k < len(x.Idx); k++ {
			if x.Idx[k] == x.Idx[k-1] {
				t.Fatalf("%q: duplicate %d", b, x.Idx[k])
			}
		}
	})
}
