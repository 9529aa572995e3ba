package stream

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/segmentio/kafka-go"
)

// numpyCase is one fixture printed by numpy 2.4.6 through
// testdata/linear_numpy_fixtures.py.
type numpyCase struct {
	Name   string   `json:"name"`
	Legacy bool     `json:"legacy"`
	Sep    string   `json:"sep"`
	Values []string `json:"values"` // repr() of the array's float64s
	Text   string   `json:"text"`   // np.array2string(arr, separator=sep)
	Parsed []string `json:"parsed"` // repr(float(token)) of each printed element
}

func loadNumpyCases(t testing.TB) []numpyCase {
	t.Helper()
	data, err := os.ReadFile("testdata/linear_numpy.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Numpy string      `json:"numpy"`
		Cases []numpyCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) < 50 {
		t.Fatalf("only %d fixtures", len(f.Cases))
	}
	return f.Cases
}

func floatsOf(t testing.TB, reprs []string) []float64 {
	t.Helper()
	out := make([]float64, len(reprs))
	for i, s := range reprs {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = v
	}
	return out
}

func sameFloat(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (math.IsNaN(a) && math.IsNaN(b))
}

func TestNumpyEncoderMatchesNumpy(t *testing.T) {
	var enc NumpyEncoder
	wrapped, sci := 0, 0
	for _, c := range loadNumpyCases(t) {
		if c.Legacy || c.Sep != "," {
			continue // other print styles are for the parser
		}
		got := string(enc.AppendArray(nil, floatsOf(t, c.Values)))
		if got != c.Text {
			t.Errorf("%s:\n got %q\nwant %q", c.Name, got, c.Text)
		}
		if strings.Contains(c.Text, "\n") {
			wrapped++
		}
		if strings.Contains(c.Text, "e+") || strings.Contains(c.Text, "e-") {
			sci++
		}
	}
	// The fixtures must exercise line wraps and both notations.
	if wrapped < 10 || sci < 10 {
		t.Fatalf("fixtures cover %d wrapped and %d scientific arrays", wrapped, sci)
	}
}

func TestParseNumpyArrayReadsNumpy(t *testing.T) {
	for _, c := range loadNumpyCases(t) {
		got, err := ParseNumpyArray(nil, []byte(c.Text))
		if err != nil {
			t.Errorf("%s: %v\n%s", c.Name, err, c.Text)
			continue
		}
		want := floatsOf(t, c.Parsed)
		if len(got) != len(want) {
			t.Errorf("%s: %d values, want %d", c.Name, len(got), len(want))
			continue
		}
		for i := range want {
			if !sameFloat(got[i], want[i]) {
				t.Errorf("%s[%d] = %v, Python's float() reads %v", c.Name, i, got[i], want[i])
			}
		}
	}
}

// TestNumpyRoundTripRandom: parse(encode(v)) is v rounded as numpy rounds,
// and the fast paths agree with the exact strconv ones.
func TestNumpyRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var enc NumpyEncoder
	for trial := 0; trial < 3000; trial++ {
		n := 1 + rng.IntN(30)
		vals := make([]float64, n)
		scale := math.Pow(10, float64(rng.IntN(24)-12))
		for i := range vals {
			vals[i] = rng.NormFloat64() * scale
			if rng.IntN(20) == 0 {
				vals[i] = math.Round(vals[i])
			}
		}
		text := enc.AppendArray(nil, vals)
		got, err := ParseNumpyArray(nil, text)
		if err != nil {
			t.Fatalf("%v: %v\n%s", vals, err, text)
		}
		sciMode := strings.Contains(string(text), "e")
		for i, v := range vals {
			// numpy keeps 9 significant digits in e notation and 8
			// decimals in positional notation.
			ulp := math.Abs(math.Nextafter(v, math.Inf(1)) - v)
			tol := math.Abs(v)*5e-9 + 2*ulp
			if !sciMode {
				tol = 5e-9 + 2*ulp
			}
			if math.Abs(got[i]-v) > tol {
				t.Fatalf("value %d: %v printed as ...%s... read back as %v", i, v, text, got[i])
			}
		}
	}
}

func TestFirstPassFastPathsAreExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var enc NumpyEncoder
	var nv numpyValue
	for k := 0; k < 200000; k++ {
		a := math.Abs(rng.NormFloat64()) * math.Pow(10, float64(rng.IntN(40)-20))
		if k%7 == 0 {
			// Exact binary fractions hit rounding ties.
			a = float64(rng.IntN(1<<20)) / float64(uint64(1)<<uint(rng.IntN(40)))
		}
		if a == 0 {
			continue
		}
		nv = numpyValue{}
		enc.firstPassScientific(&nv, a)
		got := fmt.Sprintf("%09d", nv.q)[:1+nv.nFrac] + "e" + strconv.Itoa(int(nv.exp))
		want := strings.TrimRight(strings.Replace(strconv.FormatFloat(a, 'e', 8, 64), ".", "", 1), "")
		mant, exp, _ := strings.Cut(want, "e")
		mant = strings.TrimRight(mant, "0")
		if mant == "" {
			mant = "0"
		}
		e, _ := strconv.Atoi(exp)
		if want = mant + "e" + strconv.Itoa(e); got != want {
			t.Fatalf("scientific first pass of %v = %s, want %s", a, got, want)
		}
		if a >= 1e-4 && a < 1e8 {
			nv = numpyValue{}
			enc.firstPassPositional(&nv, a)
			got := fmt.Sprint(nv.q/1e8) + "." + fmt.Sprintf("%08d", nv.q%1e8)[:nv.nFrac]
			want := strconv.FormatFloat(a, 'f', 8, 64)
			if short := strconv.FormatFloat(a, 'f', -1, 64); len(short)-strings.IndexByte(short+".", '.')-1 <= 8 {
				want = short
			}
			if !strings.Contains(want, ".") {
				want += "."
			}
			want = strings.TrimRight(want, "0")
			if got != want {
				t.Fatalf("positional first pass of %v = %s, want %s", a, got, want)
			}
		}
	}
}

func TestParseNumpyArrayTolerance(t *testing.T) {
	cases := map[string][]float64{
		"[1.,2.]":                          {1, 2},
		"  [ 1.5 , -2.25e-3 ]\n":           {1.5, -2.25e-3},
		"[0.        , 1.82128866,\n 3.  ]": {0, 1.82128866, 3},
		"[1 2 3]":                          {1, 2, 3},
		"[\t1.0\r\n,2E+02]":                {1, 200},
		"[-0.]":                            {math.Copysign(0, -1)},
		"[+1.5e0]":                         {1.5},
		"[.5]":                             {0.5},
		"[nan, inf,-inf]":                  {math.NaN(), math.Inf(1), math.Inf(-1)},
		"[1.7976931348623157e+308,4.9e-324,1e-400]":          {math.MaxFloat64, 5e-324, 0},
		"[12345678901234567890123,0.1234567890123456789012]": {12345678901234567890123, 0.1234567890123456789012},
		"[]": {},
	}
	for text, want := range cases {
		got, err := ParseNumpyArray(nil, []byte(text))
		if err != nil {
			t.Errorf("%q: %v", text, err)
			continue
		}
		if len(got) != len(want) {
			t.Errorf("%q: got %v, want %v", text, got, want)
			continue
		}
		for i := range want {
			if !sameFloat(got[i], want[i]) {
				t.Errorf("%q[%d] = %v, want %v", text, i, got[i], want[i])
			}
		}
	}
}

func TestParseNumpyArrayRejects(t *testing.T) {
	cases := []struct {
		text      string
		line, col int
		msg       string
	}{
		{"", 1, 1, "empty message"},
		{"1.,2.", 1, 1, "want '['"},
		{"[1.,2.", 1, 7, "unterminated"},
		{"[1.,,2.]", 1, 5, "missing value"},
		{"[,1.]", 1, 2, "missing value"},
		{"[1.,]", 1, 5, "missing value"},
		{"[1.,2.] x", 1, 9, "after the closing"},
		{"[[1.,2.]]", 1, 2, "nested"},
		{"[1.,\n 2.,\n 3.x]", 3, 2, `invalid number "3.x"`},
		{"[1., 2., ..., 9.]", 1, 10, "summarised"},
		{"[0x1p-2]", 1, 2, "invalid number"},
		{"[1_000.]", 1, 2, "invalid number"},
		{"[1e]", 1, 2, "exponent has no digits"},
		{"[1e+]", 1, 2, "exponent has no digits"},
		{"[.]", 1, 2, "invalid number"},
		{"[-]", 1, 2, "invalid number"},
		{"[nanx]", 1, 2, "invalid number"},
		{"[1e400]", 1, 2, "out of float64 range"},
		{"[1.2.3]", 1, 2, "invalid number"},
	}
	for _, c := range cases {
		_, err := ParseNumpyArray(nil, []byte(c.text))
		var se *NumpySyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: error %v, want a *NumpySyntaxError", c.text, err)
			continue
		}
		if se.Line != c.line || se.Column != c.col || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: %v (line %d column %d), want line %d column %d mentioning %q", c.text, err, se.Line, se.Column, c.line, c.col, c.msg)
		}
	}
	if _, err := ParseNumpyArray(nil, []byte("[1., ...]")); !errors.Is(err, ErrNumpySummarised) {
		t.Errorf("summarised array: %v", err)
	}
}

func testRecord() *LinearRecord {
	return &LinearRecord{
		Counter: 12345,
		Y:       []float64{0.5, -1.25, 3.0000000001},
		X:       []float64{0.1, 0.2},
	}
}

func TestLinearCodecRoundTrip(t *testing.T) {
	for _, f := range []LinearFormat{LinearNumpy, LinearJSON, LinearBinary} {
		c, err := NewLinearCodec(f, 2, 3)
		if err != nil {
			t.Fatal(err)
		}
		in := testRecord()
		data, err := c.Append(nil, in)
		if err != nil {
			t.Fatal(err)
		}
		var out LinearRecord
		if err := c.Decode(data, &out); err != nil {
			t.Fatalf("%v: %v\n%s", f, err, data)
		}
		if out.Counter != in.Counter || len(out.Y) != 3 || len(out.X) != 2 {
			t.Fatalf("%v: decoded %+v", f, out)
		}
		for i, v := range append(append([]float64{}, in.Y...), in.X...) {
			got := append(append([]float64{}, out.Y...), out.X...)[i]
			exact := f != LinearNumpy
			if (exact && got != v) || math.Abs(got-v) > 1e-8*math.Abs(v) {
				t.Errorf("%v: value %d = %v, want %v", f, i, got, v)
			}
		}
	}
	// The binary form is the numpy array's bytes: np.frombuffer(b, "<f8").
	c, _ := NewLinearCodec(LinearBinary, 2, 3)
	data, _ := c.Append(nil, testRecord())
	if len(data) != 48 || data[0] != 0 || data[7] != 0x40 {
		t.Fatalf("binary layout: % x", data[:8])
	}
	// The numpy form is what the original sender printed.
	c, _ = NewLinearCodec(LinearNumpy, 2, 3)
	data, _ = c.Append(nil, testRecord())
	// np.array2string(np.array([12345., 0.5, -1.25, 3.0000000001, 0.1, 0.2]), separator=',')
	if want := "[ 1.2345e+04, 5.0000e-01,-1.2500e+00, 3.0000e+00, 1.0000e-01, 2.0000e-01]"; string(data) != want {
		t.Fatalf("numpy text %q, want %q", data, want)
	}
}

func TestLinearCodecErrors(t *testing.T) {
	msg := kafka.Message{Topic: "dataLinearModel", Partition: 2, Offset: 77}
	cases := []struct {
		f    LinearFormat
		data string
		want string
	}{
		{LinearNumpy, "[1.,2.,3.]", "message has 3 values, want 6 (1 counter + 3 outputs + 2 inputs)"},
		{LinearNumpy, "[1.5,1.,2.,3.,4.,5.]", "counter 1.5 is not an integer"},
		{LinearNumpy, "[1.,2.,x,3.,4.,5.]", "numpy text line 1 column 8"},
		{LinearJSON, `{"counter":1,"y":[1,2,3],"x":[1]}`, "message has 5 values, want 6"},
		{LinearJSON, `{"counter":1,"y":[1,2,3]}`, `want the fields "counter", "y" and "x"`},
		{LinearJSON, `{"counter":1,"y":[1,2,3],"x":[1,2],"z":0}`, "unknown field"},
		{LinearJSON, `{"counter":1.5,"y":[1,2,3],"x":[1,2]}`, "counter 1.5 is not an integer"},
		{LinearJSON, `{"counter":1,"y":[1,2,3],"x":[1,2]} {}`, "unexpected data"},
		{LinearJSON, `[1,2]`, "json byte 0: want '{'"},
		{LinearBinary, string(make([]byte, 40)), "message has 5 values, want 6"},
		{LinearBinary, string(make([]byte, 47)), "binary message has 47 bytes, want 48"},
	}
	for _, c := range cases {
		codec, _ := NewLinearCodec(c.f, 2, 3)
		msg.Value = []byte(c.data)
		var rec LinearRecord
		err := codec.DecodeMessage(msg, &rec)
		var me *MessageError
		if !errors.As(err, &me) || me.Topic != "dataLinearModel" || me.Partition != 2 || me.Offset != 77 {
			t.Errorf("%v %q: error %v does not name the message", c.f, c.data, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "topic dataLinearModel partition 2 offset 77: ") {
			t.Errorf("%v %q: %v, want it to mention %q", c.f, c.data, err, c.want)
		}
	}
	var le *LinearLengthError
	codec, _ := NewLinearCodec(LinearNumpy, 2, 3)
	if err := codec.Decode([]byte("[1.]"), &LinearRecord{}); !errors.As(err, &le) || le.Got != 1 {
		t.Errorf("length error type: %v", err)
	}
	// Encoding checks the record's shape, and JSON refuses NaN.
	if _, err := codec.Append(nil, &LinearRecord{Y: []float64{1}, X: []float64{1, 2}}); err == nil {
		t.Error("short record encoded")
	}
	jc, _ := NewLinearCodec(LinearJSON, 2, 3)
	if _, err := jc.Append(nil, &LinearRecord{Y: []float64{1, math.NaN(), 2}, X: []float64{1, 2}}); err == nil {
		t.Error("NaN encoded as JSON")
	}
	if _, err := NewLinearCodec(LinearNumpy, 0, 3); err == nil {
		t.Error("zero inputs accepted")
	}
	if _, err := NewLinearCodec(LinearFormat(7), 1, 1); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestParseLinearFormat(t *testing.T) {
	for _, f := range []LinearFormat{LinearNumpy, LinearJSON, LinearBinary} {
		if g, err := ParseLinearFormat(f.String()); err != nil || g != f {
			t.Errorf("%v: %v %v", f, g, err)
		}
	}
	if _, err := ParseLinearFormat("avro"); err == nil {
		t.Error("avro accepted")
	}
}

func TestEightDigits(t *testing.T) {
	for _, s := range []string{"00000000", "12345678", "99999999", "90210000", "00000001"} {
		got, ok := eightDigits([]byte(s))
		want, _ := strconv.ParseUint(s, 10, 64)
		if !ok || got != want {
			t.Errorf("eightDigits(%q) = %d, %v", s, got, ok)
		}
	}
	for _, s := range []string{"1234567e", "1234 678", "/2345678", ":2345678", "1234567.", "-1234567"} {
		if _, ok := eightDigits([]byte(s)); ok {
			t.Errorf("eightDigits(%q) accepted", s)
		}
	}
}

func TestLinearJSONDecoder(t *testing.T) {
	c, _ := NewLinearCodec(LinearJSON, 2, 1)
	var rec LinearRecord
	ok := []string{
		`{"counter":7,"y":[1.5],"x":[2,-3e-2]}`,
		" {\n \"x\" : [ 2 , -0.03 ] ,\t\"counter\" : 7.0, \"y\":[1.5E0] }\r\n",
	}
	for _, s := range ok {
		if err := c.Decode([]byte(s), &rec); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if rec.Counter != 7 || rec.Y[0] != 1.5 || rec.X[0] != 2 || rec.X[1] != -0.03 {
			t.Fatalf("%q: %+v", s, rec)
		}
	}
	bad := map[string]string{
		`{"counter":7,"y":[1.5],"x":[2,3],"y":[1]}`: `field "y" given twice`,
		`{"counter":07,"y":[1.5],"x":[2,3]}`:        "want ',' or '}'",
		`{"counter":7,"y":[1.],"x":[2,3]}`:          "digits after the decimal point",
		`{"counter":7,"y":[+1],"x":[2,3]}`:          "want a number",
		`{"counter":7,"y":[NaN],"x":[2,3]}`:         "want a number",
		`{"counter":7,"y":[1e],"x":[2,3]}`:          "digits in the exponent",
		`{"counter":7,"y":[1e999],"x":[2,3]}`:       "out of float64 range",
		`{"count\u0065r":7,"y":[1],"x":[2,3]}`:      "unexpected character",
		`{"counter":7,"y":[[1]],"x":[2,3]}`:         "want a number",
		`{"counter":7,"y":[1],"x":[2,3]`:            "want ',' or '}'",
		`{"counter":7 "y":[1],"x":[2,3]}`:           "want ',' or '}'",
		`{"counter":7,"y":[1],"x":[2 3]}`:           "want ',' or ']'",
		`{}`:                                        `want the fields "counter", "y" and "x"`,
		`{"counter":7,"y":[1],"x":[2,3]}x`:          "unexpected data",
		`{"counter":-1.5,"y":[1],"x":[2,3]}`:        "counter -1.5 is not an integer",
	}
	for s, want := range bad {
		err := c.Decode([]byte(s), &rec)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want it to mention %q", s, err, want)
		}
	}
	// What the encoder writes, the decoder reads back exactly.
	rng := rand.New(rand.NewPCG(9, 9))
	for i := 0; i < 1000; i++ {
		in := LinearRecord{Counter: int64(rng.IntN(1 << 40)), Y: []float64{rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))},
			X: []float64{rng.Float64(), -rng.ExpFloat64()}}
		b, err := c.Append(nil, &in)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Decode(b, &rec); err != nil || rec.Counter != in.Counter || rec.Y[0] != in.Y[0] || rec.X[0] != in.X[0] || rec.X[1] != in.X[1] {
			t.Fatalf("%s: %+v, %v", b, rec, err)
		}
	}
}
