package stream

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/rivulet-ml/rivulet/lib/feature"
)

// Python 3.11 repr(float) of each value (printed with '%r').
var pythonReprs = []struct {
	v    float64
	repr string
}{
	{1.0, "1.0"}, {0.0788382, "0.0788382"}, {0.124138, "0.124138"}, {1e-05, "1e-05"},
	{0.0001, "0.0001"}, {1e+16, "1e+16"}, {1000000000000000.0, "1000000000000000.0"},
	{123456789.0, "123456789.0"}, {1.5e-07, "1.5e-07"}, {0.30000000000000004, "0.30000000000000004"},
	{1e+22, "1e+22"}, {5e-324, "5e-324"}, {1.7976931348623157e+308, "1.7976931348623157e+308"},
	{2.5, "2.5"}, {100.0, "100.0"}, {1234567890123456.0, "1234567890123456.0"},
	{1.2345678901234568e+16, "1.2345678901234568e+16"}, {0.001, "0.001"},
	{1680000000.1234567, "1680000000.1234567"}, {-3.25, "-3.25"}, {-1e-07, "-1e-07"},
	{9.9e-05, "9.9e-05"}, {1.7920435971799646e-16, "1.7920435971799646e-16"},
	{5.972115650501124e-187, "5.972115650501124e-187"}, {3.1038692546051638e-28, "3.1038692546051638e-28"},
	{3.47746221006508e-282, "3.47746221006508e-282"}, {0, "0.0"}, {math.Copysign(0, -1), "-0.0"},
}

func TestAppendPythonFloatMatchesRepr(t *testing.T) {
	for _, c := range pythonReprs {
		if got := string(AppendPythonFloat(nil, c.v)); got != c.repr {
			t.Errorf("AppendPythonFloat(%v) = %s, Python repr %s", c.v, got, c.repr)
		}
	}
}

// TestPythonFloatFastPath checks the positional shortcut against the
// digit-based implementation (which the Python goldens above pin down) on
// values around every power of ten, and on the edges of the shortcut.
func TestPythonFloatFastPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	check := func(v float64) {
		if v == 0 || v == 1 {
			return
		}
		fast := string(AppendPythonFloat(nil, v))
		slow := string(appendPythonFloatDigits(nil, v))
		if fast != slow {
			t.Fatalf("%v (%b): fast %s, digits %s", v, math.Float64bits(v), fast, slow)
		}
	}
	for e := -6; e <= 17; e++ {
		p := math.Pow(10, float64(e))
		for _, v := range []float64{p, math.Nextafter(p, 0), math.Nextafter(p, 2*p), 1.0001e-4, 9.9e15, math.Nextafter(9.9e15, 0)} {
			check(v)
			check(-v)
		}
		for range 20000 {
			v := p * (1 + 9*rng.Float64())
			check(v)
			check(math.Round(v*1e6) / 1e6)
		}
	}
}

const pyID = "5f0c3a52-1b7e-4c8e-9a55-0f2d7a3c1e9b"

// Output of Python's json.dumps({'id': ..., 'f': {2: 1.0, 4: 0.0788382, 7:
// 1e-05, 11: 0.428571, 3231949: 1.0}, 'y': str(False).lower(), 'st':
// 1680000000.1234567}), the original producer's construction.
const pyRecord = `{"id": "5f0c3a52-1b7e-4c8e-9a55-0f2d7a3c1e9b", "f": {"2": 1.0, "4": 0.0788382, "7": 1e-05, "11": 0.428571, "3231949": 1.0}, "y": "false", "st": 1680000000.1234567}`

func pyRecordValue() URLRecord {
	return URLRecord{
		ID:   uuid.MustParse(pyID),
		X:    feature.Sparse([]int32{2, 4, 7, 11, 3231949}, []float64{1, 0.0788382, 1e-05, 0.428571, 1}),
		Y:    false,
		Sent: FromEpochSeconds(1680000000.1234567),
	}
}

func TestURLRecordJSONMatchesPython(t *testing.T) {
	r := pyRecordValue()
	got, err := AppendURLRecordJSON(nil, &r)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != pyRecord {
		t.Errorf("encoded\n %s\nPython\n %s", got, pyRecord)
	}
	var back URLRecord
	if err := DecodeURLRecordJSON([]byte(pyRecord), &back); err != nil {
		t.Fatal(err)
	}
	if !sameRecord(back, r) {
		t.Errorf("decoded %+v, want %+v", back, r)
	}
}

func sameRecord(a, b URLRecord) bool {
	if a.ID != b.ID || a.Y != b.Y || !a.Sent.Equal(b.Sent) || len(a.X.Idx) != len(b.X.Idx) || len(a.X.Val) != len(b.X.Val) {
		return false
	}
	for k := range a.X.Idx {
		if a.X.Idx[k] != b.X.Idx[k] || math.Float64bits(a.X.Val[k]) != math.Float64bits(b.X.Val[k]) {
			return false
		}
	}
	return true
}

func TestEpochSecondsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		s := 1.6e9 + rng.Float64()*2e8
		if got := EpochSeconds(FromEpochSeconds(s)); got != s {
			t.Fatalf("%v -> %v", s, got)
		}
	}
}

func TestDecodeGeneralShapes(t *testing.T) {
	want := pyRecordValue()
	variants := []string{
		// Compact separators, members and features out of order, escapes,
		// unknown members of every kind, JSON booleans for y.
		`{"st":1680000000.1234567,"y":false,"f":{"3231949":1,"2":1.0,"11":0.428571,"4":7.88382e-2,"7":0.00001},"id":"5f0c3a52-1b7e-4c8e-9a55-0f2d7a3c1e9b"}`,
		"\n\t{ \"\\u0069d\" : \"5F0C3A52-1B7E-4C8E-9A55-0F2D7A3C1E9B\" , \"f\" : { \"2\" : 1.0 , \"4\" : 0.0788382 , \"7\" : 1E-5 , \"11\" : 0.428571 , \"323\\u00319\\u00349\" : 1 } ,\r\n" +
			` "extra": {"a": [1, -2.5e3, "x\"y", null, true, {"b": []}], "c": "\ud83d\ude00"}, "y": "false", "st": 1.6800000001234567e9 } `,
	}
	for _, v := range variants {
		var got URLRecord
		if err := DecodeURLRecordJSON([]byte(v), &got); err != nil {
			t.Errorf("%s: %v", v, err)
			continue
		}
		if !sameRecord(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", v, got, want)
		}
	}
	// No id (records before the original added it), no features.
	var r URLRecord
	if err := DecodeURLRecordJSON([]byte(`{"f": {}, "y": "true", "st": 1.5}`), &r); err != nil || r.ID != (uuid.UUID{}) || r.X.Len() != 0 || !r.Y {
		t.Errorf("minimal record: %+v, %v", r, err)
	}
}

func TestDecodeRejectsMalformed(t *testing.T) {
	cases := map[string]string{
		``:                                       "unexpected end of input",
		`not json`:                               `found 'n', want '{'`,
		`[1,2]`:                                  `found '[', want '{'`,
		`{"f": {"1": 1.0}, "y": "true"}`:         `missing member "st"`,
		`{"y": "true", "st": 1}`:                 `missing member "f"`,
		`{"f": {}, "st": 1}`:                     `missing member "y"`,
		`{"f": {}, "y": "maybe", "st": 1}`:       `"y" is "maybe"`,
		`{"f": {}, "y": 1, "st": 1}`:             `"y" must be`,
		`{"f": {"a": 1}, "y": "true", "st": 1}`:  `feature key "a" is not a feature index`,
		`{"f": {"01": 1}, "y": "true", "st": 1}`: `feature key "01"`,
		`{"f": {"-1": 1}, "y": "true", "st": 1}`: `feature key "-1"`,
		`{"f": {"2147483648": 1}, "y": "true", "st": 1}`:        `feature key "2147483648"`,
		`{"f": {"1": 1, "1": 2}, "y": "true", "st": 1}`:         `duplicate feature 1`,
		`{"f": {"3": 1, "2": 2, "3": 4}, "y": "true", "st": 1}`: `duplicate feature 3`,
		`{"f": {"1": NaN}, "y": "true", "st": 1}`:               `NaN and Infinity are not JSON numbers`,
		`{"f": {"1": Infinity}, "y": "true", "st": 1}`:          `NaN and Infinity`,
		`{"f": {"1": 1e999}, "y": "true", "st": 1}`:             `overflows`,
		`{"f": {"1": 01}, "y": "true", "st": 1}`:                `leading zero`,
		`{"f": {"1": 1.}, "y": "true", "st": 1}`:                `digit after the decimal point`,
		`{"f": {"1": "1"}, "y": "true", "st": 1}`:               `expected a number`,
		`{"f": {"1": 1}, "y": "true", "st": -5}`:                `not a plausible epoch time`,
		`{"f": {"1": 1}, "y": "true", "st": 1, "st": 2}`:        `duplicate member "st"`,
		`{"f": {"1": 1}, "y": "true", "st": 1} x`:               `unexpected data after the record`,
		`{"f": {"1": 1}, "y": "true", "st": 1`:                  `unexpected end of input`,
		`{"id": "nope", "f": {}, "y": "true", "st": 1}`:         `"id" "nope" is not a UUID`,
		`{"f": {}, "y": "true", "st": 1, "z": [1,}`:             `expected a number`,
		"{\"f\": {}, \"y\": \"tr\nue\", \"st\": 1}":             `control character`,
		`{"f": {}, "y": "true", "st": 1, "z": "\q"}`:            `invalid escape`,
	}
	for in, want := range cases {
		var r URLRecord
		err := DecodeURLRecordJSON([]byte(in), &r)
		var re *URLRecordError
		if !errors.As(err, &re) {
			t.Errorf("%q: got %v, want a *URLRecordError", in, err)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %q, want it to mention %q", in, err, want)
		}
	}
}

func randomRecord(rng *rand.Rand) URLRecord {
	n := rng.IntN(200)
	idx := make([]int32, 0, n)
	val := make([]float64, 0, n)
	i := int32(rng.IntN(5))
	for range n {
		idx = append(idx, i)
		switch rng.IntN(4) {
		case 0, 1:
			val = append(val, 1)
		case 2:
			val = append(val, math.Round(rng.Float64()*1e6)/1e6)
		default:
			val = append(val, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(40)-20)))
		}
		i += 1 + int32(rng.IntN(40000))
	}
	var id uuid.UUID
	for k := range id {
		id[k] = byte(rng.Uint32())
	}
	return URLRecord{ID: id, X: feature.Sparse(idx, val), Y: rng.IntN(2) == 1,
		Sent: FromEpochSeconds(1.6e9 + rng.Float64()*1e8)}
}

func TestRoundTripsAgreeWithEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var reused URLRecord
	for range 500 {
		r := randomRecord(rng)
		js, err := AppendURLRecordJSON(nil, &r)
		if err != nil {
			t.Fatal(err)
		}
		if err := DecodeURLRecordJSON(js, &reused); err != nil || !sameRecord(reused, r) {
			t.Fatalf("json round trip: %v\n%s", err, js)
		}
		// encoding/json reads the same values (the encoder writes valid JSON).
		var generic struct {
			ID string             `json:"id"`
			F  map[string]float64 `json:"f"`
			Y  string             `json:"y"`
			ST float64            `json:"st"`
		}
		if err := json.Unmarshal(js, &generic); err != nil {
			t.Fatalf("encoding/json: %v\n%s", err, js)
		}
		for k, i := range r.X.Idx {
			if generic.F[fmt.Sprint(i)] != r.X.Val[k] {
				t.Fatalf("encoding/json reads feature %d as %v, want %v", i, generic.F[fmt.Sprint(i)], r.X.Val[k])
			}
		}
		bin, err := AppendURLRecordBinary(nil, &r)
		if err != nil {
			t.Fatal(err)
		}
		if err := DecodeURLRecord(bin, EncodingBinaryV1, &reused); err != nil || !sameRecord(reused, r) {
			t.Fatalf("binary round trip: %v", err)
		}
		if len(bin) >= len(js) {
			t.Errorf("binary form (%d bytes) is not smaller than JSON (%d)", len(bin), len(js))
		}
	}
}

func TestEncodeRejectsNonFinite(t *testing.T) {
	r := URLRecord{X: feature.Sparse([]int32{1}, []float64{math.NaN()})}
	if _, err := AppendURLRecordJSON(nil, &r); err == nil {
		t.Error("JSON: NaN accepted")
	}
	if _, err := AppendURLRecordBinary(nil, &r); err == nil {
		t.Error("binary: NaN accepted")
	}
}

func TestDecodeBinaryRejectsDamage(t *testing.T) {
	r := pyRecordValue()
	bin, _ := AppendURLRecordBinary(nil, &r)
	var out URLRecord
	for cut := range len(bin) {
		if err := DecodeURLRecordBinary(bin[:cut], &out); err == nil {
			t.Errorf("truncated to %d bytes: accepted", cut)
		}
	}
	if err := DecodeURLRecordBinary(append(bin, 0), &out); err == nil {
		t.Error("trailing byte accepted")
	}
	bad := append([]byte{}, bin...)
	bad[0] = 9
	if err := DecodeURLRecordBinary(bad, &out); err == nil || !strings.Contains(err.Error(), "version 9") {
		t.Errorf("bad version: %v", err)
	}
	if err := DecodeURLRecord(bin, "avro", &out); err == nil || !strings.Contains(err.Error(), `unknown encoding "avro"`) {
		t.Errorf("unknown encoding: %v", err)
	}
}

func FuzzDecodeURLRecord(f *testing.F) {
	f.Add([]byte(pyRecord), false)
	f.Add([]byte(`{"st":1,"y":true,"f":{"3":1,"2":2.5e-3},"x":[{"a":null}]}`), false)
	f.Add([]byte(`{"f": {"1": NaN}, "y": "true", "st": 1}`), false)
	r := pyRecordValue()
	bin, _ := AppendURLRecordBinary(nil, &r)
	f.Add(bin, true)
	f.Fuzz(func(t *testing.T, data []byte, binary bool) {
		enc := EncodingJSON
		if binary {
			enc = EncodingBinaryV1
		}
		var r URLRecord
		if err := DecodeURLRecord(data, enc, &r); err != nil {
			var re *URLRecordError
			if !errors.As(err, &re) || re.Offset < 0 || re.Offset > len(data) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		if err := r.X.Validate(); err != nil || r.X.Idx == nil {
			t.Fatalf("decoded an invalid vector %+v: %v", r.X, err)
		}
		// Whatever decodes re-encodes to something that decodes to the same.
		var again URLRecord
		js, err := AppendURLRecordJSON(nil, &r)
		if err != nil {
			t.Fatal(err)
		}
		if err := DecodeURLRecordJSON(js, &again); err != nil || !sameRecord(again, r) {
			t.Fatalf("JSON re-encoding: %v\n%s", err, js)
		}
		b, _ := AppendURLRecordBinary(nil, &r)
		if err := DecodeURLRecordBinary(b, &again); err != nil || !sameRecord(again, r) {
			t.Fatalf("binary re-encoding: %v", err)
		}
	})
}

// record112 is a MaliciousURL-shaped record with 112 features (the data
// set's median): the real-valued low indices, then binary ones.
func record112() URLRecord {
	idx := make([]int32, 0, 112)
	val := make([]float64, 0, 112)
	reals := []float64{0.0788382, 0.124138, 0.117647, 0.428571, 0.1, 0.749633, 0.843029, 0.197344, 0.142856, 0.142857, 0.142857}
	for k, i := range []int32{4, 5, 6, 11, 16, 17, 18, 19, 21, 22, 23} {
		idx = append(idx, i)
		val = append(val, reals[k])
	}
	// Binary features spread like the data set's: dense up to a few
	// hundred, then sparse up to ~3.2M.
	for i, step := int64(28), int64(2); len(idx) < 112; i += step {
		idx = append(idx, int32(i))
		val = append(val, 1)
		if len(idx) > 60 {
			step = 1 + (i*7919)%60000
		}
	}
	return URLRecord{ID: uuid.MustParse(pyID), X: feature.Sparse(idx, val), Y: true,
		Sent: FromEpochSeconds(1680000000.1234567)}
}

func BenchmarkURLRecordDecodeJSON(b *testing.B) {
	r := record112()
	js, _ := AppendURLRecordJSON(nil, &r)
	b.SetBytes(int64(len(js)))
	b.ReportAllocs()
	var out URLRecord
	for b.Loop() {
		if err := DecodeURLRecordJSON(js, &out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkURLRecordDecodeEncodingJSON is the baseline the hand-written
// decoder replaces: encoding/json into a map, then a sorted vector.
func BenchmarkURLRecordDecodeEncodingJSON(b *testing.B) {
	r := record112()
	js, _ := AppendURLRecordJSON(nil, &r)
	b.SetBytes(int64(len(js)))
	b.ReportAllocs()
	for b.Loop() {
		var m struct {
			ID string             `json:"id"`
			F  map[string]float64 `json:"f"`
			Y  string             `json:"y"`
			ST float64            `json:"st"`
		}
		if err := json.Unmarshal(js, &m); err != nil {
			b.Fatal(err)
		}
		fm := make(map[int]float64, len(m.F))
		for k, v := range m.F {
			var i int
			fmt.Sscan(k, &i)
			fm[i] = v
		}
		_ = feature.FromMap(fm)
	}
}

func BenchmarkURLRecordEncodeJSON(b *testing.B) {
	r := record112()
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		buf, _ = AppendURLRecordJSON(buf[:0], &r)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkURLRecordDecodeBinary(b *testing.B) {
	r := record112()
	bin, _ := AppendURLRecordBinary(nil, &r)
	b.SetBytes(int64(len(bin)))
	b.ReportAllocs()
	var out URLRecord
	for b.Loop() {
		if err := DecodeURLRecordBinary(bin, &out); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkURLRecordEncodeBinary(b *testing.B) {
	r := record112()
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		buf, _ = AppendURLRecordBinary(buf[:0], &r)
	}
	b.SetBytes(int64(len(buf)))
}

func ExampleDecodeURLRecordJSON() {
	// A record as the original Python producer wrote it.
	value := []byte(`{"id": "5f0c3a52-1b7e-4c8e-9a55-0f2d7a3c1e9b", "f": {"2": 1.0, "4": 0.0788382}, "y": "true", "st": 1680000000.25}`)
	var r URLRecord
	if err := DecodeURLRecordJSON(value, &r); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.ID, r.X.Idx, r.X.Val, r.Y, r.Sent.UTC().Format("2006-01-02T15:04:05.00"))

	err := DecodeURLRecordJSON([]byte(`{"f": {"2": 1.0}, "y": "yes", "st": 1}`), &r)
	fmt.Println(err)
	// Output:
	// 5f0c3a52-1b7e-4c8e-9a55-0f2d7a3c1e9b [2 4] [1 0.0788382] true 2023-03-28T10:40:00.25
	// url record: byte 23: "y" is "yes"; want "true" or "false"
}

func BenchmarkAppendPythonFloat(b *testing.B) {
	vals := []float64{0.0788382, 0.124138, 0.117647, 0.428571, 0.1, 0.749633, 1680000000.1234567}
	var buf []byte
	b.Run("shortcut", func(b *testing.B) {
		for b.Loop() {
			for _, v := range vals {
				buf = AppendPythonFloat(buf[:0], v)
			}
		}
	})
	b.Run("digits", func(b *testing.B) {
		for b.Loop() {
			for _, v := range vals {
				buf = appendPythonFloatDigits(buf[:0], v)
			}
		}
	})
}
