package stream

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"unsafe"
)

// This file writes and reads numpy's text form of a 1-D float64 array,
// np.array2string(arr, separator=',') with numpy ≥ 1.14's default print
// options (precision 8, floatmode 'maxprec', linewidth 75, sign '-',
// suppress False), which is what the original sender put on the wire.
//
// numpy's algorithm (numpy/_core/arrayprint.py, FloatingFormat):
//
//   - Scientific notation when, over the finite non-zero |values|, the
//     maximum is ≥ 1e8, the minimum is < 1e-4, or max/min > 1000.
//   - A first pass prints every finite value "uniquely" (the shortest
//     digits that round-trip) but with at most 8 digits after the point,
//     rounding the exact binary value half-to-even, and trailing zeros
//     trimmed. It fixes the widths: pad_left = longest integer part (sign
//     included), pad_right = longest fraction; in scientific mode also the
//     number of exponent digits (at least 2).
//   - Positional: each value is printed as in the first pass, its integer
//     part right-aligned to pad_left and its fraction left-aligned and
//     space-padded to pad_right ("0.        ").
//   - Scientific: every mantissa is printed with exactly pad_right
//     fraction digits: the exact value rounded to that many digits, which
//     for normal numbers is the first pass padded with zeros (subnormals
//     show more of their exact digits: 5e-324 prints as 4.9e-324).
//   - nan and inf are right-aligned to the full width.
//   - Lines: elements joined by ',', a line is broken before an element
//     that would make it longer than 74 characters (75 minus room for the
//     closing bracket), continuation lines start with one space, trailing
//     blanks are stripped from broken lines.
//
// One deliberate difference: numpy summarises arrays of more than 1000
// elements as "[a, b, c, ..., x, y, z]", which loses data; the encoder
// always prints every element and the parser rejects "...".

const (
	numpyPrecision = 8
	numpyLineWidth = 75 - 1 // minus max(len(","), len("]"))
)

// numpyValue is one value's first-pass rendering.
type numpyValue struct {
	class uint8 // finite, nan, posInf, negInf
	neg   bool
	// Scientific: mantissa digits (no point, trailing zeros trimmed) and
	// decimal exponent of the first digit. Positional: integer digits
	// digits[:nInt], fraction digits digits[nInt:nd].
	digits [24]byte
	nd     int
	nInt   int
	exp    int
	sub    bool // subnormal: scientific second pass re-rounds the exact value
}

const (
	classFinite = iota
	classNaN
	classPosInf
	classNegInf
)

// NumpyEncoder renders float64 arrays exactly as numpy's
// np.array2string(arr, separator=','). It keeps scratch space between
// calls, so it is not safe for concurrent use; the zero value is ready.
type NumpyEncoder struct {
	vals []numpyValue
	buf  [48]byte // one element; numpy's widths keep elements under 20 bytes
}

// AppendArray appends the numpy text of vals to dst.
func (e *NumpyEncoder) AppendArray(dst []byte, vals []float64) []byte {
	if len(vals) == 0 {
		return append(dst, "[]"...)
	}
	if cap(e.vals) < len(vals) {
		e.vals = make([]numpyValue, len(vals))
	}
	e.vals = e.vals[:len(vals)]

	// Mode selection over the finite non-zero magnitudes.
	maxAbs, minAbs := 0.0, math.Inf(1)
	anyFinite, anyNonFinite := false, false
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			anyNonFinite = true
			continue
		}
		anyFinite = true
		if a := math.Abs(v); a != 0 {
			if a > maxAbs {
				maxAbs = a
			}
			if a < minAbs {
				minAbs = a
			}
		}
	}
	sci := maxAbs != 0 && (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs/minAbs > 1000)

	// First pass: digits and widths.
	padLeft, padRight, expDigits := 0, 0, 0
	negInf := false
	for i, v := range vals {
		nv := &e.vals[i]
		switch {
		case math.IsNaN(v):
			nv.class = classNaN
			continue
		case math.IsInf(v, 1):
			nv.class = classPosInf
			continue
		case math.IsInf(v, -1):
			nv.class = classNegInf
			negInf = true
			continue
		}
		nv.class = classFinite
		nv.neg = math.Signbit(v)
		sign := 0
		if nv.neg {
			sign = 1
		}
		if sci {
			e.firstPassScientific(nv, math.Abs(v))
			padLeft = max(padLeft, 1+sign)
			padRight = max(padRight, nv.nd-1)
			expDigits = max(expDigits, decimalLen(abs(nv.exp)))
		} else {
			e.firstPassPositional(nv, math.Abs(v))
			padLeft = max(padLeft, nv.nInt+sign)
			padRight = max(padRight, nv.nd-nv.nInt)
		}
	}
	if sci {
		expDigits = max(expDigits, 2)
	}
	if !anyFinite {
		padLeft, padRight = 0, 0
	}
	if anyNonFinite {
		// numpy: pad_left = max(pad_left, len("nan") − offset,
		// len("inf") + neginf − offset), offset = pad_right + 1, where
		// pad_right includes the exponent in scientific mode.
		right := padRight
		if sci && anyFinite {
			right = expDigits + 2 + padRight
		}
		offset := right + 1
		ni := 0
		if negInf {
			ni = 1
		}
		padLeft = max(padLeft, 3-offset, 3+ni-offset)
	}

	// Second pass and line wrapping. Elements are written straight into
	// dst; a line is broken before an element that would make it longer
	// than numpyLineWidth. numpy's first line starts with the indent " "
	// that '[' replaces, so both count one column. Broken lines end with
	// ',', so numpy's rstrip of them never removes anything.
	dst = append(dst, '[')
	lineLen := 1
	last := len(vals) - 1
	for i := range vals {
		word := e.render(&e.vals[i], vals[i], sci, padLeft, padRight, expDigits)
		if lineLen+len(word) > numpyLineWidth && lineLen > 1 {
			dst = append(dst, '\n', ' ')
			lineLen = 1
		}
		dst = append(dst, word...)
		lineLen += len(word)
		if i < last {
			dst = append(dst, ',')
			lineLen++
		}
	}
	return append(dst, ']')
}

// render writes one element's final text into e.buf and returns it.
func (e *NumpyEncoder) render(nv *numpyValue, v float64, sci bool, padLeft, padRight, expDigits int) []byte {
	b := e.buf[:]
	k := 0
	switch nv.class {
	case classNaN, classPosInf, classNegInf:
		s := "nan"
		if nv.class == classPosInf {
			s = "inf"
		} else if nv.class == classNegInf {
			s = "-inf"
		}
		width := padLeft + padRight + 1
		if sci {
			width = padLeft + expDigits + 2 + padRight + 1
		}
		for ; k < width-len(s); k++ {
			b[k] = ' '
		}
		k += copy(b[k:], s)
		return b[:k]
	}
	width := nv.nInt
	if sci {
		width = 1
	}
	if nv.neg {
		width++
	}
	for ; k < padLeft-width; k++ {
		b[k] = ' '
	}
	if nv.neg {
		b[k] = '-'
		k++
	}
	if !sci {
		k += copy(b[k:], nv.digits[:nv.nInt])
		b[k] = '.'
		k++
		k += copy(b[k:], nv.digits[nv.nInt:nv.nd])
		for n := nv.nd - nv.nInt; n < padRight; n++ {
			b[k] = ' '
			k++
		}
		return b[:k]
	}
	digits, nd, exp := nv.digits[:], nv.nd, nv.exp
	if nv.sub {
		// Round the exact (subnormal) value to padRight digits.
		var tmp [32]byte
		nd, exp = parseE(strconv.AppendFloat(tmp[:0], math.Abs(v), 'e', padRight, 64), digits)
	}
	b[k] = digits[0]
	b[k+1] = '.'
	k += 2
	k += copy(b[k:], digits[1:nd])
	for n := nd - 1; n < padRight; n++ {
		b[k] = '0'
		k++
	}
	b[k] = 'e'
	if exp < 0 {
		b[k+1] = '-'
		exp = -exp
	} else {
		b[k+1] = '+'
	}
	k += 2
	for n := decimalLen(exp); n < expDigits; n++ {
		b[k] = '0'
		k++
	}
	if exp < 10 {
		b[k] = byte('0' + exp)
		return b[:k+1]
	}
	if exp < 100 {
		b[k], b[k+1] = digitPairs[2*exp], digitPairs[2*exp+1]
		return b[:k+2]
	}
	return strconv.AppendInt(b[:k], int64(exp), 10)
}

// pow10 holds the exactly representable powers of ten.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// pow10Table[k+pow10TableBias] is the double nearest 10^k for the
// exponents the fast paths use.
const pow10TableBias = 16

var pow10Table = func() (t [pow10TableBias + 33]float64) {
	for i := range t {
		t[i], _ = strconv.ParseFloat("1e"+strconv.Itoa(i-pow10TableBias), 64)
	}
	return t
}()

// floorLog10 returns ⌊log10 a⌋ for a normal a > 0 with |⌊log10 a⌋| ≤ 30,
// and false outside that range. Against the rounded powers of ten it can
// be one too large when a is the double just below an inexact 10^k; the
// callers' range checks on the scaled mantissa catch that.
func floorLog10(a float64) (int, bool) {
	e2 := int(math.Float64bits(a)>>52&0x7ff) - 1023 // a ∈ [2^e2, 2^(e2+1))
	e := (e2 * 78913) >> 18                         // ≈ ⌊e2·log10 2⌋, at most 1 low
	if e < -pow10TableBias+1 || e > 30 {
		return 0, false
	}
	for a >= pow10Table[e+1+pow10TableBias] {
		e++
	}
	for a < pow10Table[e+pow10TableBias] {
		e--
	}
	return e, true
}

// scaledRound returns round-half-even(a × 10^k) when a fast floating-point
// computation decides it for sure, and false otherwise. a × 10^k is formed
// with one rounding (10^|k| is exact), so the result is certain unless the
// fraction lies within a few ulps of one half.
func scaledRound(a float64, k int) (uint64, bool) {
	if k > 22 || k < -22 {
		return 0, false
	}
	var s float64
	if k >= 0 {
		s = a * pow10[k]
	} else {
		s = a / pow10[-k]
	}
	if s >= 1<<52 {
		return 0, false
	}
	q := math.Floor(s)
	frac := s - q // exact: s and q share an exponent range below 2^52
	margin := s * 0x1p-51
	if math.Abs(frac-0.5) <= margin+0x1p-60 {
		return 0, false
	}
	if frac > 0.5 {
		q++
	}
	return uint64(q), true
}

// firstPassScientific sets nv to a's digits with at most 9 significant
// digits (8 after the point), unique where shorter, trailing zeros trimmed.
func (e *NumpyEncoder) firstPassScientific(nv *numpyValue, a float64) {
	nv.sub = false
	if a == 0 {
		nv.digits[0], nv.nd, nv.exp = '0', 1, 0
		return
	}
	if a >= 0x1p-1022 {
		// For a normal double at most one 9-digit decimal lies within its
		// rounding interval, so the shortest digits (when ≤ 9) are the
		// correctly rounded 9 digits with zeros trimmed: one rounding
		// serves both cases.
		if e10, ok := floorLog10(a); ok {
			if q, ok := scaledRound(a, 8-e10); ok && q >= 1e8 && q <= 1e9 {
				if q == 1e9 {
					q, e10 = 1e8, e10+1
				}
				nv.exp = e10
				putDigits(nv.digits[:9], q)
				nv.nd = trimZeros(nv.digits[:], 9)
				return
			}
		}
		s := strconv.AppendFloat(e.buf[:0], a, 'e', numpyPrecision, 64)
		nv.nd, nv.exp = parseE(s, nv.digits[:])
		nv.nd = trimZeros(nv.digits[:], nv.nd)
		return
	}
	// Subnormal: few significant bits, so the shortest digits may be
	// shorter than the rounded ones and differ from them.
	nv.sub = true
	s := strconv.AppendFloat(e.buf[:0], a, 'e', -1, 64)
	nd, exp := parseE(s, nv.digits[:])
	if nd > numpyPrecision+1 {
		s = strconv.AppendFloat(e.buf[:0], a, 'e', numpyPrecision, 64)
		nd, exp = parseE(s, nv.digits[:])
	}
	nv.nd, nv.exp = trimZeros(nv.digits[:], nd), exp
}

// firstPassPositional sets nv to a's integer digits and at most 8
// fraction digits, unique where shorter, trailing zeros trimmed. a is 0 or
// in [1e-4, 1e8).
func (e *NumpyEncoder) firstPassPositional(nv *numpyValue, a float64) {
	nv.sub = false
	if a < 0x1p26 {
		// ulp(a) < 1e-8: at most one 8-decimal number lies within a's
		// rounding interval, so the unique digits cut at 8 decimals are the
		// correctly rounded 8 decimals, trimmed.
		if q, ok := scaledRound(a, numpyPrecision); ok {
			e.setPositional(nv, q)
			return
		}
		s := strconv.AppendFloat(e.buf[:0], a, 'f', numpyPrecision, 64)
		e.setPositionalText(nv, s)
		return
	}
	// Between 2^26 and 1e8 several 8-decimal numbers can round to a, and
	// the shortest one may not be the nearest (99999999.99 is stored as
	// 99999999.98999999...): use the shortest digits when they fit.
	s := strconv.AppendFloat(e.buf[:0], a, 'f', -1, 64)
	if dot := indexByte(s, '.'); dot < 0 || len(s)-dot-1 <= numpyPrecision {
		e.setPositionalText(nv, s)
		return
	}
	s = strconv.AppendFloat(e.buf[:0], a, 'f', numpyPrecision, 64)
	e.setPositionalText(nv, s)
}

// setPositional renders q × 10^-8.
func (e *NumpyEncoder) setPositional(nv *numpyValue, q uint64) {
	ip, fp := q/1e8, q%1e8
	var tmp [20]byte
	n := putDigits(tmp[:], ip)
	i := copy(nv.digits[:], tmp[len(tmp)-n:])
	nv.nInt = i
	for k := 6; k >= 0; k -= 2 {
		r := fp % 100
		fp /= 100
		nv.digits[i+k], nv.digits[i+k+1] = digitPairs[2*r], digitPairs[2*r+1]
	}
	nv.nd = trimZerosAfter(nv.digits[:], i+8, i)
}

// setPositionalText takes strconv's 'f' output.
func (e *NumpyEncoder) setPositionalText(nv *numpyValue, s []byte) {
	dot := indexByte(s, '.')
	if dot < 0 {
		dot = len(s)
	}
	n := copy(nv.digits[:], s[:dot])
	nv.nInt = n
	if dot < len(s) {
		n += copy(nv.digits[n:], s[dot+1:])
	}
	nv.nd = trimZerosAfter(nv.digits[:], n, nv.nInt)
}

const digitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// putDigits writes q's decimal digits right-aligned in b and returns how
// many it wrote: all of q's digits (at least one) when b is long enough.
func putDigits(b []byte, q uint64) int {
	i := len(b)
	nd := 0
	for q >= 100 && i >= 2 {
		r := q % 100
		q /= 100
		b[i-1], b[i-2] = digitPairs[2*r+1], digitPairs[2*r]
		i -= 2
		nd += 2
	}
	for i > 0 {
		i--
		b[i] = byte('0' + q%10)
		q /= 10
		nd++
		if q == 0 {
			break
		}
	}
	return nd
}

func trimZeros(d []byte, nd int) int {
	for nd > 1 && d[nd-1] == '0' {
		nd--
	}
	return nd
}

func trimZerosAfter(d []byte, nd, keep int) int {
	for nd > keep && d[nd-1] == '0' {
		nd--
	}
	return nd
}

// parseE reads strconv's "d.ddde±xx" into digits and returns the digit
// count and exponent.
func parseE(s []byte, digits []byte) (nd, exp int) {
	i := 0
	for ; i < len(s) && s[i] != 'e'; i++ {
		if s[i] != '.' {
			digits[nd] = s[i]
			nd++
		}
	}
	neg := s[i+1] == '-'
	for _, c := range s[i+2:] {
		exp = exp*10 + int(c-'0')
	}
	if neg {
		exp = -exp
	}
	return nd, exp
}

func indexByte(s []byte, c byte) int {
	for i, b := range s {
		if b == c {
			return i
		}
	}
	return -1
}

func decimalLen(n int) int {
	l := 1
	for n >= 10 {
		n /= 10
		l++
	}
	return l
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// NumpySyntaxError reports text that is not a numpy-printed 1-D array.
// Line and Column are 1-based and count bytes.
type NumpySyntaxError struct {
	Offset       int
	Line, Column int
	Err          error
}

func (e *NumpySyntaxError) Error() string {
	return fmt.Sprintf("numpy text line %d column %d: %v", e.Line, e.Column, e.Err)
}

func (e *NumpySyntaxError) Unwrap() error { return e.Err }

func syntaxErrorAt(text []byte, off int, err error) error {
	line, col := 1, 1
	for _, c := range text[:min(off, len(text))] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return &NumpySyntaxError{Offset: off, Line: line, Column: col, Err: err}
}

// ErrNumpySummarised is returned for arrays that numpy printed with "...":
// numpy drops the middle of arrays longer than its threshold (1000), so
// the record cannot be recovered.
var ErrNumpySummarised = errors.New("numpy summarised the array with \"...\" (more than 1000 elements); its values are lost")

// ParseNumpyArray appends to dst the values of a 1-D array printed by numpy
// (str, repr's inside, or array2string with any separator): brackets,
// padding, commas and/or blanks between elements, line breaks, positional
// or e notation, nan and ±inf, and the legacy 1.13 style. It rejects
// anything else with a *NumpySyntaxError naming the line and column.
func ParseNumpyArray(dst []float64, text []byte) ([]float64, error) {
	i, n := 0, len(text)
	for i < n && isSpace(text[i]) {
		i++
	}
	if i >= n {
		return dst, syntaxErrorAt(text, i, errors.New("empty message, want a numpy array such as [1.,2.]"))
	}
	if text[i] != '[' {
		return dst, syntaxErrorAt(text, i, fmt.Errorf("want '[' to open the array, got %q", text[i]))
	}
	i++
	sawComma := false // a comma since the last value
	count := 0
	for {
		for i < n && isSpace(text[i]) {
			i++
		}
		if i >= n {
			return dst, syntaxErrorAt(text, i, errors.New("unterminated array: want ']'"))
		}
		switch c := text[i]; {
		case c == ']':
			if sawComma {
				return dst, syntaxErrorAt(text, i, errors.New("',' before ']': missing value"))
			}
			i++
			for i < n && isSpace(text[i]) {
				i++
			}
			if i < n {
				return dst, syntaxErrorAt(text, i, fmt.Errorf("unexpected %q after the closing ']'", text[i]))
			}
			return dst, nil
		case c == ',':
			if sawComma || count == 0 {
				return dst, syntaxErrorAt(text, i, errors.New("unexpected ',': missing value"))
			}
			sawComma = true
			i++
			continue
		case c == '[':
			return dst, syntaxErrorAt(text, i, errors.New("nested '[': only 1-D arrays are supported"))
		case c == '.' && i+2 < n && text[i+1] == '.' && text[i+2] == '.':
			return dst, syntaxErrorAt(text, i, ErrNumpySummarised)
		}
		// A value: after '[', after a comma, or after blanks (numpy's
		// default separator is a single space).
		v, end, ok := scanNumber(text, i)
		if !ok || (end < n && !isDelim[text[end]]) {
			for end < n && !isDelim[text[end]] {
				end++
			}
			return dst, syntaxErrorAt(text, i, numberError(text[i:end]))
		}
		i = end
		dst = append(dst, v)
		count++
		sawComma = false
	}
}

// isDelim marks the bytes that end an element.
var isDelim = [256]bool{' ': true, '\n': true, '\t': true, '\r': true, ',': true, ']': true, '[': true}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// scanNumber reads one element starting at text[i] and returns its value
// and end: an optional sign, digits with an optional point (numpy prints
// "0." and "5.7715309"), an optional exponent, or nan/inf. Clinger's fast
// path (a mantissa below 2^53 times an exact power of ten up to 10^22, one
// rounding) covers what numpy prints; strconv handles the rest. ok is false
// for anything else; numberError then says why.
func scanNumber(text []byte, i int) (v float64, end int, ok bool) {
	n := len(text)
	start := i
	neg := false
	if i < n && (text[i] == '-' || text[i] == '+') {
		neg = text[i] == '-'
		i++
	}
	if i < n && (text[i]|0x20 == 'n' || text[i]|0x20 == 'i') {
		j := i
		for j < n && !isDelim[text[j]] {
			j++
		}
		switch string(text[i:j]) {
		case "nan", "NaN", "NAN":
			return math.NaN(), j, true
		case "inf", "Inf", "INF", "infinity", "Infinity":
			if neg {
				return math.Inf(-1), j, true
			}
			return math.Inf(1), j, true
		}
		return 0, j, false
	}
	var mant uint64
	exp10 := 0
	exact := true // every digit fits in mant
	digits := i
	for ; i < n; i++ {
		d := text[i] - '0'
		if d > 9 {
			break
		}
		if mant < 1e18 {
			mant = mant*10 + uint64(d)
		} else {
			exact = false
			exp10++
		}
	}
	nDigits := i - digits
	if i < n && text[i] == '.' {
		i++
		frac := i
		for ; i < n; i++ {
			d := text[i] - '0'
			if d > 9 {
				break
			}
			if mant < 1e18 {
				mant = mant*10 + uint64(d)
				exp10--
			} else {
				exact = false
			}
		}
		nDigits += i - frac
	}
	if nDigits == 0 {
		return 0, i, false
	}
	if i < n && (text[i] == 'e' || text[i] == 'E') {
		i++
		eneg := false
		if i < n && (text[i] == '-' || text[i] == '+') {
			eneg = text[i] == '-'
			i++
		}
		if i >= n || text[i] < '0' || text[i] > '9' {
			return 0, i, false
		}
		e := 0
		for ; i < n && text[i] >= '0' && text[i] <= '9'; i++ {
			if e < 100000 {
				e = e*10 + int(text[i]-'0')
			}
		}
		if eneg {
			e = -e
		}
		exp10 += e
	}
	if exact && mant < 1<<53 && exp10 >= -22 && exp10 <= 22 {
		f := float64(mant)
		if exp10 >= 0 {
			f *= pow10[exp10]
		} else {
			f /= pow10[-exp10]
		}
		if neg {
			f = -f
		}
		return f, i, true
	}
	// The syntax is checked above, so strconv can only report a range
	// error. ParseFloat does not keep its argument.
	tok := text[start:i]
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(tok), len(tok)), 64)
	if err != nil {
		return 0, i, false
	}
	return f, i, true
}

// numberError explains why tok is not a number.
func numberError(tok []byte) error {
	body := tok
	if len(body) > 0 && (body[0] == '-' || body[0] == '+') {
		body = body[1:]
	}
	if e := bytesIndexAny(body, "eE"); e >= 0 && len(body) > 0 && body[0] != 'n' && body[0] != 'i' {
		exp := body[e+1:]
		if len(exp) > 0 && (exp[0] == '-' || exp[0] == '+') {
			exp = exp[1:]
		}
		if len(exp) == 0 {
			return fmt.Errorf("invalid number %q: the exponent has no digits", tok)
		}
	}
	if _, err := strconv.ParseFloat(string(tok), 64); err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return fmt.Errorf("number %q is out of float64 range", tok)
		}
	}
	return fmt.Errorf("invalid number %q", tok)
}

func bytesIndexAny(b []byte, chars string) int {
	for i, c := range b {
		for j := 0; j < len(chars); j++ {
			if c == chars[j] {
				return i
			}
		}
	}
	return -1
}
