package stream

import (
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"
)

// FuzzParseNumpyArray: any input either parses or fails with a
// *NumpySyntaxError whose position lies inside the text; whatever parses
// re-encodes to text that parses again. The seed corpus (numpy's own
// fixtures and malformed variants) runs in every `go test`.
func FuzzParseNumpyArray(f *testing.F) {
	for _, c := range loadNumpyCases(f) {
		f.Add(c.Text)
	}
	for _, s := range []string{"", "[", "]", "[,]", "[1.,,2.]", "[1., ...]", "[[1.]]", "[1e]", "[nan,-inf]",
		"[0x1p-2]", "[1.7976931348623157e+309]", "[-0.]", "[ 1.5 2.5\n 3.5]", "[1.] x", "\x00[1.]"} {
		f.Add(s)
	}
	var enc NumpyEncoder
	f.Fuzz(func(t *testing.T, text string) {
		vals, err := ParseNumpyArray(nil, []byte(text))
		if err != nil {
			var se *NumpySyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("%q: error %v is not a *NumpySyntaxError", text, err)
			}
			if se.Offset < 0 || se.Offset > len(text) || se.Line < 1 || se.Column < 1 {
				t.Fatalf("%q: position %+v outside the text", text, se)
			}
			return
		}
		again, err := ParseNumpyArray(nil, enc.AppendArray(nil, vals))
		if err != nil || len(again) != len(vals) {
			t.Fatalf("%q: re-encoded values do not parse: %v", text, err)
		}
	})
}

// FuzzNumpyRoundTrip: encoding arbitrary float64s gives numpy-shaped text
// (bracketed, lines of at most 75 characters) that parses back to the
// values at numpy's precision.
func FuzzNumpyRoundTrip(f *testing.F) {
	seed := func(vs ...float64) []byte {
		b := make([]byte, 0, 8*len(vs))
		for _, v := range vs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	f.Add(seed(0, 0.5, -1.25))
	f.Add(seed(12345, 0.001, 3))
	f.Add(seed(math.NaN(), math.Inf(1), -2))
	f.Add(seed(5e-324, 1e300, -0.0))
	f.Add(seed(99999999.99, 67108864.5, 1e7))
	f.Add(seed(0.001953125, 0.5, 6.103515625e-05))
	var enc NumpyEncoder
	f.Fuzz(func(t *testing.T, raw []byte) {
		vals := make([]float64, 0, len(raw)/8)
		for len(raw) >= 8 {
			vals = append(vals, math.Float64frombits(binary.LittleEndian.Uint64(raw)))
			raw = raw[8:]
		}
		text := enc.AppendArray(nil, vals)
		for _, line := range strings.Split(string(text), "\n") {
			if len(line) > 75 && strings.Count(line, ",") > 1 {
				t.Fatalf("line longer than 75 characters: %q", line)
			}
		}
		got, err := ParseNumpyArray(nil, text)
		if err != nil {
			t.Fatalf("%v: encoded %q does not parse: %v", vals, text, err)
		}
		if len(got) != len(vals) {
			t.Fatalf("%v: %d values read back", vals, len(got))
		}
		for i, v := range vals {
			g := got[i]
			switch {
			case math.IsNaN(v):
				if !math.IsNaN(g) {
					t.Fatalf("NaN read back as %v", g)
				}
			case math.IsInf(v, 0) || v == 0:
				if g != v || math.Signbit(g) != math.Signbit(v) {
					t.Fatalf("%v read back as %v", v, g)
				}
			default:
				// At worst 8 decimals (positional) or 9 significant digits.
				if d := math.Abs(g - v); d > 5.1e-9 && d > math.Abs(v)*5.1e-9 {
					t.Fatalf("%v printed in %q read back as %v", v, text, g)
				}
			}
		}
	})
}

// FuzzLinearDecode: no input makes a codec panic, and a record that
// decodes has the configured shape.
func FuzzLinearDecode(f *testing.F) {
	for _, s := range []string{`{"counter":7,"y":[1.5],"x":[2,-3e-2]}`, `{"x":[],"y":[],"counter":1}`, "[1.,2.,3.,4.]",
		string(make([]byte, 32)), `{"counter":1e400}`, `{"y":[1,2`, "[nan,inf,-inf,0.]"} {
		f.Add(s)
	}
	codecs := make([]*LinearCodec, 0, 3)
	for _, fm := range []LinearFormat{LinearNumpy, LinearJSON, LinearBinary} {
		c, _ := NewLinearCodec(fm, 2, 1)
		codecs = append(codecs, c)
	}
	f.Fuzz(func(t *testing.T, data string) {
		for _, c := range codecs {
			var rec LinearRecord
			if err := c.Decode([]byte(data), &rec); err == nil && (len(rec.Y) != 1 || len(rec.X) != 2) {
				t.Fatalf("%v decoded %q into %+v", c.Format(), data, rec)
			}
		}
	})
}
