package stream

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"
	"unsafe"

	"github.com/google/uuid"
	"github.com/rivulet-ml/rivulet/lib/feature"
)

// URLRecord is one record of the MaliciousURL feature stream, in the wire
// format of the original project's producer (MaliciousURLModelProducer):
//
//	{"id": "<uuid4>", "f": {"<index>": <value>, ...}, "y": "true"|"false", "st": <epoch seconds>}
//
// encoded as UTF-8 JSON the way Python's json.dumps writes it (", " and ": "
// separators, float reprs such as 1.0 and 0.0788382, feature indices as
// decimal strings because JSON keys are strings), with the running record
// count as the Kafka key.
//
// A compact binary form (AppendURLRecordBinary) is the alternative; records
// in it carry the header EncodingHeader: EncodingBinaryV1.
type URLRecord struct {
	// ID is the record's uuid4 ("id"). Records produced before the original
	// added the field have the zero UUID.
	ID uuid.UUID
	// X holds the features ("f") in sparse form, indices ascending, feature
	// k being the file's index k as in River.
	X feature.Vector
	// Y is the label ("y"): true for a malicious URL.
	Y bool
	// Sent is the producer's wall clock when it built the record ("st", a
	// float of seconds since the epoch, Python's time.time()).
	Sent time.Time
}

// Headers and values that mark a record's encoding. A record without the
// header is JSON, as every record of the original was.
const (
	EncodingHeader   = "rivulet-encoding"
	EncodingJSON     = "json"
	EncodingBinaryV1 = "binary/v1"
)

// URLRecordError reports a record that does not decode or has the wrong
// shape. Offset is the byte of the value where decoding stopped.
type URLRecordError struct {
	Offset int
	Msg    string
}

func (e *URLRecordError) Error() string {
	return fmt.Sprintf("url record: byte %d: %s", e.Offset, e.Msg)
}

// EpochSeconds converts t to Python's time.time() float.
func EpochSeconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}

// FromEpochSeconds converts a time.time() float to a time.Time.
func FromEpochSeconds(s float64) time.Time {
	sec := math.Floor(s)
	return time.Unix(int64(sec), int64(math.Round((s-sec)*1e9)))
}

// AppendURLKey appends the Kafka key of the n-th record: n in decimal, as
// the original's key=str(cnt).
func AppendURLKey(dst []byte, n int64) []byte { return strconv.AppendInt(dst, n, 10) }

// AppendURLRecordJSON appends r as json.dumps would write the original's
// dict. Values must be finite (json.dumps would write NaN or Infinity, which
// is not JSON and which no consumer should have to accept).
func AppendURLRecordJSON(dst []byte, r *URLRecord) ([]byte, error) {
	dst = append(dst, `{"id": "`...)
	dst = urlAppendUUID(dst, r.ID)
	dst = append(dst, `", "f": {`...)
	var err error
	appendFeature := func(i int, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			if err == nil {
				err = fmt.Errorf("url record: feature %d is %v; only finite values can be encoded", i, v)
			}
			return
		}
		if dst[len(dst)-1] != '{' {
			dst = append(dst, ", "...)
		}
		dst = append(dst, '"')
		dst = strconv.AppendInt(dst, int64(i), 10)
		dst = append(dst, `": `...)
		dst = AppendPythonFloat(dst, v)
	}
	if r.X.IsSparse() {
		for k, i := range r.X.Idx {
			appendFeature(int(i), r.X.Val[k])
		}
	} else {
		r.X.Range(appendFeature)
	}
	if err != nil {
		return dst, err
	}
	if r.Y {
		dst = append(dst, `}, "y": "true", "st": `...)
	} else {
		dst = append(dst, `}, "y": "false", "st": `...)
	}
	dst = AppendPythonFloat(dst, EpochSeconds(r.Sent))
	return append(dst, '}'), nil
}

func urlAppendUUID(dst []byte, id uuid.UUID) []byte {
	var buf [36]byte
	const hex = "0123456789abcdef"
	j := 0
	for i, b := range id {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			buf[j] = '-'
			j++
		}
		buf[j], buf[j+1] = hex[b>>4], hex[b&15]
		j += 2
	}
	return append(dst, buf[:]...)
}

// AppendPythonFloat appends Python's repr of a finite float: the shortest
// digits that round-trip, in positional notation when the decimal exponent
// is in [-4, 16) (always with a fractional part, "1.0"), otherwise in
// exponent notation with at least two exponent digits ("1e-05", "1e+16").
func AppendPythonFloat(dst []byte, v float64) []byte {
	if v == 1 {
		return append(dst, "1.0"...) // most MaliciousURL values
	}
	if v == 0 {
		if math.Signbit(v) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	if a := math.Abs(v); a >= 1.0001e-4 && a < 9.9e15 {
		// Well inside the positional range whatever the shortest digits
		// are: Go's shortest 'f' form has the same digits as Python's
		// repr (both are the shortest that round-trip); Python adds ".0"
		// to an integral value.
		start := len(dst)
		dst = strconv.AppendFloat(dst, v, 'f', -1, 64)
		if bytes.IndexByte(dst[start:], '.') < 0 {
			dst = append(dst, ".0"...)
		}
		return dst
	}
	return appendPythonFloatDigits(dst, v)
}

// appendPythonFloatDigits implements Python's repr from the shortest digits
// and decimal exponent, for any finite non-zero v.
func appendPythonFloatDigits(dst []byte, v float64) []byte {
	var scratch [32]byte
	e := strconv.AppendFloat(scratch[:0], v, 'e', -1, 64) // [-]d[.ddd]e±XX
	neg := e[0] == '-'
	if neg {
		e = e[1:]
		dst = append(dst, '-')
	}
	var digits [24]byte
	nd := 0
	p := 0
	for ; e[p] != 'e'; p++ {
		if e[p] != '.' {
			digits[nd] = e[p]
			nd++
		}
	}
	exp, _ := strconv.Atoi(string(e[p+1:])) // at most 4 bytes: no allocation
	d := digits[:nd]
	if exp < -4 || exp >= 16 {
		dst = append(dst, d[0])
		if nd > 1 {
			dst = append(dst, '.')
			dst = append(dst, d[1:]...)
		}
		dst = append(dst, 'e')
		if exp < 0 {
			dst = append(dst, '-')
			exp = -exp
		} else {
			dst = append(dst, '+')
		}
		if exp < 10 {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, int64(exp), 10)
	}
	point := exp + 1 // digits before the decimal point
	switch {
	case point <= 0:
		dst = append(dst, "0."...)
		for range -point {
			dst = append(dst, '0')
		}
		return append(dst, d...)
	case point >= nd:
		dst = append(dst, d...)
		for range point - nd {
			dst = append(dst, '0')
		}
		return append(dst, ".0"...)
	default:
		dst = append(dst, d[:point]...)
		dst = append(dst, '.')
		return append(dst, d[point:]...)
	}
}

// DecodeURLRecord decodes a record's value in the given encoding (the value
// of its EncodingHeader; "" means JSON) into r, reusing r.X's storage.
func DecodeURLRecord(value []byte, encoding string, r *URLRecord) error {
	switch encoding {
	case "", EncodingJSON:
		return DecodeURLRecordJSON(value, r)
	case EncodingBinaryV1:
		return DecodeURLRecordBinary(value, r)
	}
	return &URLRecordError{Msg: fmt.Sprintf("unknown encoding %q (want %q or %q)", encoding, EncodingJSON, EncodingBinaryV1)}
}

// DecodeURLRecordJSON decodes the JSON form into r, reusing r.X's storage.
//
// It is a hand-written single-pass decoder for this one shape, about ten
// times faster than encoding/json into a map, and as strict: the input must
// be one JSON object with "f" (an object of decimal-string keys to finite
// numbers), "y" ("true"/"false", or a JSON boolean) and "st" (a number); "id"
// must be a UUID string when present. Other members are skipped (after being
// checked to be valid JSON), whitespace may appear anywhere JSON allows,
// members and features may come in any order, and string escapes are
// understood. Duplicate members or feature indices are an error, as is a
// feature key that is not the canonical decimal form of an index ("04", "-1",
// "1.0"), since River would treat those strings as different features.
func DecodeURLRecordJSON(data []byte, r *URLRecord) error {
	d := urlJSONDecoder{data: data}
	return d.record(r)
}

type urlJSONDecoder struct {
	data []byte
	pos  int
	key  []byte // scratch for keys with escapes
}

func (d *urlJSONDecoder) fail(format string, args ...any) error {
	return &URLRecordError{Offset: d.pos, Msg: fmt.Sprintf(format, args...)}
}

func (d *urlJSONDecoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *urlJSONDecoder) expect(c byte) error {
	d.ws()
	if d.pos >= len(d.data) {
		return d.fail("unexpected end of input, want %q", c)
	}
	if d.data[d.pos] != c {
		return d.fail("found %q, want %q", d.data[d.pos], c)
	}
	d.pos++
	return nil
}

// peek returns the next non-space byte, or 0 at the end.
func (d *urlJSONDecoder) peek() byte {
	d.ws()
	if d.pos >= len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

func (d *urlJSONDecoder) record(r *URLRecord) error {
	if err := d.expect('{'); err != nil {
		return err
	}
	const (
		seenID = 1 << iota
		seenF
		seenY
		seenST
	)
	seen := 0
	r.ID = uuid.UUID{}
	if d.peek() == '}' {
		d.pos++
	} else {
		for {
			start := d.pos
			key, err := d.str()
			if err != nil {
				return err
			}
			if err := d.expect(':'); err != nil {
				return err
			}
			bit := 0
			switch string(key) {
			case "id":
				bit = seenID
			case "f":
				bit = seenF
			case "y":
				bit = seenY
			case "st":
				bit = seenST
			}
			if bit != 0 && seen&bit != 0 {
				d.pos = start
				return d.fail("duplicate member %q", key)
			}
			seen |= bit
			switch bit {
			case seenID:
				if err := d.id(r); err != nil {
					return err
				}
			case seenF:
				if err := d.features(r); err != nil {
					return err
				}
			case seenY:
				if err := d.label(r); err != nil {
					return err
				}
			case seenST:
				d.ws()
				at := d.pos
				st, err := d.number()
				if err != nil {
					return err
				}
				if st < 0 || st > 1e11 {
					d.pos = at
					return d.fail(`"st" = %v is not a plausible epoch time in seconds`, st)
				}
				r.Sent = FromEpochSeconds(st)
			default:
				if err := d.skip(0); err != nil {
					return err
				}
			}
			d.ws()
			if d.pos < len(d.data) && d.data[d.pos] == ',' {
				d.pos++
				continue
			}
			if err := d.expect('}'); err != nil {
				return err
			}
			break
		}
	}
	d.ws()
	if d.pos != len(d.data) {
		return d.fail("unexpected data after the record")
	}
	switch {
	case seen&seenF == 0:
		return d.fail(`missing member "f" (the features)`)
	case seen&seenY == 0:
		return d.fail(`missing member "y" (the label)`)
	case seen&seenST == 0:
		return d.fail(`missing member "st" (the producer's timestamp)`)
	}
	return nil
}

// str reads a string and returns its contents. Without escapes the result
// aliases the input; with escapes it is decoded into d.key.
func (d *urlJSONDecoder) str() ([]byte, error) {
	if err := d.expect('"'); err != nil {
		return nil, err
	}
	start := d.pos
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			return d.data[start : d.pos-1], nil
		case c == '\\':
			d.pos = start
			return d.escapedStr()
		case c < 0x20:
			return nil, d.fail("control character %#x in string", c)
		}
		d.pos++
	}
	return nil, d.fail("unterminated string")
}

func (d *urlJSONDecoder) escapedStr() ([]byte, error) {
	out := d.key[:0]
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			d.key = out
			return out, nil
		case c < 0x20:
			return nil, d.fail("control character %#x in string", c)
		case c != '\\':
			out = append(out, c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.data) {
			return nil, d.fail("unterminated escape")
		}
		e := d.data[d.pos+1]
		d.pos += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, err := d.hex4()
			if err != nil {
				return nil, err
			}
			if r >= 0xD800 && r < 0xDC00 && d.pos+1 < len(d.data) && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
				d.pos += 2
				lo, err := d.hex4()
				if err != nil {
					return nil, err
				}
				r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
			}
			out = urlAppendRune(out, r)
		default:
			d.pos--
			return nil, d.fail("invalid escape \\%c", e)
		}
	}
	return nil, d.fail("unterminated string")
}

func (d *urlJSONDecoder) hex4() (rune, error) {
	if d.pos+4 > len(d.data) {
		return 0, d.fail("short \\u escape")
	}
	var r rune
	for _, c := range d.data[d.pos : d.pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, d.fail("invalid \\u escape")
		}
	}
	d.pos += 4
	return r, nil
}

func urlAppendRune(b []byte, r rune) []byte {
	return append(b, string(r)...)
}

func (d *urlJSONDecoder) id(r *URLRecord) error {
	d.ws()
	at := d.pos
	if d.peek() == 'n' && d.literal("null") {
		return nil // json.dumps(None): treat as absent
	}
	s, err := d.str()
	if err != nil {
		return err
	}
	id, err := uuid.ParseBytes(s)
	if err != nil {
		d.pos = at
		return d.fail(`"id" %q is not a UUID`, s)
	}
	r.ID = id
	return nil
}

func (d *urlJSONDecoder) label(r *URLRecord) error {
	d.ws()
	at := d.pos
	switch d.peek() {
	case 't':
		if d.literal("true") {
			r.Y = true
			return nil
		}
	case 'f':
		if d.literal("false") {
			r.Y = false
			return nil
		}
	case '"':
		s, err := d.str()
		if err != nil {
			return err
		}
		switch string(s) {
		case "true":
			r.Y = true
			return nil
		case "false":
			r.Y = false
			return nil
		}
		d.pos = at
		return d.fail(`"y" is %q; want "true" or "false"`, s)
	}
	return d.fail(`"y" must be "true" or "false"`)
}

func (d *urlJSONDecoder) literal(lit string) bool {
	if len(d.data)-d.pos >= len(lit) && string(d.data[d.pos:d.pos+len(lit)]) == lit {
		d.pos += len(lit)
		return true
	}
	return false
}

func (d *urlJSONDecoder) features(r *URLRecord) error {
	if err := d.expect('{'); err != nil {
		return err
	}
	idx, val := r.X.Idx[:0], r.X.Val[:0]
	if idx == nil {
		idx = make([]int32, 0, 128)
	}
	defer func() { r.X = feature.Vector{Idx: idx, Val: val} }()

	// Fast loop for exactly what json.dumps writes: ascending
	// "<index>": <number> pairs separated by ", ". It keeps the position in
	// a local and leaves at the first byte it does not expect, at the start
	// of a member (afterValue false) or after a value (afterValue true),
	// where the general loop below takes over.
	data, p, n := d.data, d.pos, len(d.data)
	afterValue := false
	for {
		for p < n && data[p] == ' ' {
			p++
		}
		if p >= n || data[p] != '"' {
			break
		}
		q := p + 1
		k := 0
		for q < n && q-p <= 11 && data[q] >= '0' && data[q] <= '9' {
			k = k*10 + int(data[q]-'0')
			q++
		}
		if digits := q - p - 1; digits == 0 || digits > 10 || q+1 >= n || data[q] != '"' || data[q+1] != ':' ||
			(data[p+1] == '0' && digits > 1) || k > math.MaxInt32 ||
			(len(idx) > 0 && int32(k) <= idx[len(idx)-1]) {
			break
		}
		q += 2
		for q < n && data[q] == ' ' {
			q++
		}
		var v float64
		if q+3 <= n && data[q] == '1' && data[q+1] == '.' && data[q+2] == '0' && (q+3 == n || !urlNumberByte(data[q+3])) {
			v = 1 // json.dumps writes River's binary features as 1.0
			q += 3
		} else {
			d.pos = q
			var err error
			if v, err = d.number(); err != nil {
				return err
			}
			if math.IsInf(v, 0) {
				d.pos = q
				return d.fail("value of feature %d overflows a float64", k)
			}
			q = d.pos
		}
		idx = append(idx, int32(k))
		val = append(val, v)
		p = q
		if p < n && data[p] == ',' {
			p++
			continue
		}
		if p < n && data[p] == '}' {
			d.pos = p + 1
			return nil
		}
		afterValue = true
		break
	}
	d.pos = p
	return d.featuresGeneral(&idx, &val, afterValue)
}

// featuresGeneral reads the rest of the feature object in any JSON layout:
// any whitespace, escaped keys, indices in any order (sorted at the end).
func (d *urlJSONDecoder) featuresGeneral(idxp *[]int32, valp *[]float64, afterValue bool) error {
	idx, val := *idxp, *valp
	defer func() { *idxp, *valp = idx, val }()
	sorted := true
	if !afterValue && len(idx) == 0 && d.peek() == '}' {
		d.pos++
		return nil
	}
	for {
		if afterValue {
			d.ws()
			if d.pos < len(d.data) && d.data[d.pos] == ',' {
				d.pos++
				afterValue = false
				continue
			}
			if err := d.expect('}'); err != nil {
				return err
			}
			break
		}
		d.ws()
		at := d.pos
		key, err := d.str()
		if err != nil {
			return err
		}
		i, ok := urlCanonicalIndex(key)
		if !ok {
			d.pos = at
			return d.fail("feature key %q is not a feature index (a decimal integer 0..%d without leading zeros)", key, math.MaxInt32)
		}
		if err := d.expect(':'); err != nil {
			return err
		}
		d.ws()
		vat := d.pos
		v, err := d.number()
		if err != nil {
			return err
		}
		if math.IsInf(v, 0) {
			d.pos = vat
			return d.fail("value of feature %d overflows a float64", i)
		}
		if n := len(idx); n > 0 && int32(i) <= idx[n-1] {
			if int32(i) == idx[n-1] {
				d.pos = at
				return d.fail("duplicate feature %d", i)
			}
			sorted = false
		}
		idx = append(idx, int32(i))
		val = append(val, v)
		afterValue = true
	}
	if !sorted {
		sort.Sort(urlByIndex{idx, val})
		for k := 1; k < len(idx); k++ {
			if idx[k] == idx[k-1] {
				return d.fail("duplicate feature %d", idx[k])
			}
		}
	}
	return nil
}

func urlNumberByte(c byte) bool {
	return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}

type urlByIndex struct {
	idx []int32
	val []float64
}

func (v urlByIndex) Len() int           { return len(v.idx) }
func (v urlByIndex) Less(a, b int) bool { return v.idx[a] < v.idx[b] }
func (v urlByIndex) Swap(a, b int) {
	v.idx[a], v.idx[b] = v.idx[b], v.idx[a]
	v.val[a], v.val[b] = v.val[b], v.val[a]
}

func urlCanonicalIndex(s []byte) (int, bool) {
	if len(s) == 0 || len(s) > 10 || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n <= math.MaxInt32
}

// urlPow10 holds the powers of ten float64 represents exactly.
var urlPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// number reads a JSON number. Python's NaN and Infinity are rejected: they
// are not JSON. Decimals with at most 15 significant digits and no exponent
// (every feature value of MaliciousURL) are converted exactly by Clinger's
// fast path; the rest goes to strconv.ParseFloat.
func (d *urlJSONDecoder) number() (float64, error) {
	start := d.pos
	p := d.pos
	n := len(d.data)
	neg := false
	if p < n && d.data[p] == '-' {
		neg = true
		p++
	}
	if p >= n || d.data[p] < '0' || d.data[p] > '9' {
		if p < n && (d.data[p] == 'N' || d.data[p] == 'I') {
			return 0, d.fail("NaN and Infinity are not JSON numbers")
		}
		return 0, d.fail("expected a number")
	}
	var mant uint64
	digits, frac := 0, 0
	fast := true
	if d.data[p] == '0' {
		p++
		if p < n && d.data[p] >= '0' && d.data[p] <= '9' {
			d.pos = p
			return 0, d.fail("leading zero in a number")
		}
	} else {
		for p < n && d.data[p] >= '0' && d.data[p] <= '9' {
			if digits < 15 {
				mant = mant*10 + uint64(d.data[p]-'0')
				digits++
			} else {
				fast = false
			}
			p++
		}
	}
	if p < n && d.data[p] == '.' {
		p++
		if p >= n || d.data[p] < '0' || d.data[p] > '9' {
			d.pos = p
			return 0, d.fail("expected a digit after the decimal point")
		}
		for p < n && d.data[p] >= '0' && d.data[p] <= '9' {
			c := d.data[p]
			switch {
			case mant == 0 && c == '0':
				frac++ // leading zeros are not significant digits
			case digits < 15:
				mant = mant*10 + uint64(c-'0')
				digits++
				frac++
			default:
				fast = false
			}
			p++
		}
	}
	if p < n && (d.data[p] == 'e' || d.data[p] == 'E') {
		fast = false
		p++
		if p < n && (d.data[p] == '+' || d.data[p] == '-') {
			p++
		}
		if p >= n || d.data[p] < '0' || d.data[p] > '9' {
			d.pos = p
			return 0, d.fail("expected a digit in the exponent")
		}
		for p < n && d.data[p] >= '0' && d.data[p] <= '9' {
			p++
		}
	}
	d.pos = p
	if fast && frac < len(urlPow10) {
		f := float64(mant)
		if frac > 0 {
			f /= urlPow10[frac]
		}
		if neg {
			f = -f
		}
		return f, nil
	}
	b := d.data[start:p]
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, d.fail("invalid number %q", b)
	}
	return f, nil
}

// skip checks and skips any JSON value (members the format does not know).
func (d *urlJSONDecoder) skip(depth int) error {
	if depth > 64 {
		return d.fail("nesting deeper than 64 levels")
	}
	switch c := d.peek(); {
	case c == '"':
		_, err := d.str()
		return err
	case c == '{' || c == '[':
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		d.pos++
		if d.peek() == end {
			d.pos++
			return nil
		}
		for {
			if c == '{' {
				if _, err := d.str(); err != nil {
					return err
				}
				if err := d.expect(':'); err != nil {
					return err
				}
			}
			if err := d.skip(depth + 1); err != nil {
				return err
			}
			if d.peek() == ',' {
				d.pos++
				continue
			}
			return d.expect(end)
		}
	case c == 't' || c == 'f' || c == 'n':
		if d.literal("true") || d.literal("false") || d.literal("null") {
			return nil
		}
		return d.fail("invalid literal")
	case c == 0:
		return d.fail("unexpected end of input")
	default:
		_, err := d.number()
		return err
	}
}

// Binary form, version 1 (little endian):
//
//	byte    version (1)
//	[16]    id
//	byte    flags: bit 0 = y
//	[8]     st, float64 seconds
//	uvarint n, the number of features
//	n ×     uvarint (gap<<1 | notOne), gap = index - previous index - 1
//	        (previous index starts at -1), then the float64 value unless it
//	        is 1 (MaliciousURL's binary features cost one or two bytes)
const urlBinaryV1 = 1

// AppendURLRecordBinary appends the binary form of r.
func AppendURLRecordBinary(dst []byte, r *URLRecord) ([]byte, error) {
	dst = append(dst, urlBinaryV1)
	dst = append(dst, r.ID[:]...)
	var flags byte
	if r.Y {
		flags = 1
	}
	dst = append(dst, flags)
	dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(EpochSeconds(r.Sent)))
	dst = binary.AppendUvarint(dst, uint64(r.X.NumPresent()))
	prev := -1
	var err error
	r.X.Range(func(i int, v float64) {
		if err != nil {
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			err = fmt.Errorf("url record: feature %d is %v; only finite values can be encoded", i, v)
			return
		}
		gap := uint64(i-prev-1) << 1
		if v != 1 || math.Signbit(v) {
			dst = binary.AppendUvarint(dst, gap|1)
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
		} else {
			dst = binary.AppendUvarint(dst, gap)
		}
		prev = i
	})
	return dst, err
}

// DecodeURLRecordBinary decodes the binary form into r, reusing r.X's
// storage.
func DecodeURLRecordBinary(data []byte, r *URLRecord) error {
	fail := func(at int, format string, args ...any) error {
		return &URLRecordError{Offset: at, Msg: "binary/v1: " + fmt.Sprintf(format, args...)}
	}
	if len(data) < 26 {
		return fail(len(data), "record of %d bytes is shorter than its 26-byte header", len(data))
	}
	if data[0] != urlBinaryV1 {
		return fail(0, "version %d, want %d", data[0], urlBinaryV1)
	}
	copy(r.ID[:], data[1:17])
	if data[17]&^1 != 0 {
		return fail(17, "unknown flags %#x", data[17])
	}
	r.Y = data[17] == 1
	st := math.Float64frombits(binary.LittleEndian.Uint64(data[18:26]))
	if !(st >= 0 && st <= 1e11) {
		return fail(18, "st = %v is not a plausible epoch time in seconds", st)
	}
	r.Sent = FromEpochSeconds(st)
	p := 26
	n, k := binary.Uvarint(data[p:])
	if k <= 0 || n > uint64(len(data)-p) { // every feature takes at least one byte
		return fail(p, "bad feature count")
	}
	p += k
	idx, val := r.X.Idx[:0], r.X.Val[:0]
	if idx == nil {
		idx = make([]int32, 0, n)
	}
	prev := int64(-1)
	for range n {
		u, k := binary.Uvarint(data[p:])
		if k <= 0 {
			return fail(p, "truncated feature")
		}
		i := prev + 1 + int64(u>>1)
		if u>>1 > math.MaxInt32 || i > math.MaxInt32 {
			return fail(p, "feature index beyond %d", math.MaxInt32)
		}
		p += k
		v := 1.0
		if u&1 == 1 {
			if len(data)-p < 8 {
				return fail(p, "truncated value of feature %d", i)
			}
			v = math.Float64frombits(binary.LittleEndian.Uint64(data[p:]))
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fail(p, "value of feature %d is not finite", i)
			}
			p += 8
		}
		idx = append(idx, int32(i))
		val = append(val, v)
		prev = i
	}
	if p != len(data) {
		return fail(p, "%d unexpected bytes after the features", len(data)-p)
	}
	r.X = feature.Vector{Idx: idx, Val: val}
	return nil
}
