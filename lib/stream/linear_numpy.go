package stream

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
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

// numpyValue is one value's first-pass rendering, kept as integers.
type numpyValue struct {
	// Scientific: the 9-digit mantissa, q = d.dddddddd × 10^8 (0 for
	// zero). Positional: the value times 10^8.
	q     uint64
	exp   int32 // scientific: decimal exponent of the first digit
	nFrac int8  // digits after the point, trailing zeros trimmed
	nInt  int8  // positional: digits before the point (at least 1)
	class uint8 // classFinite, classNaN, classPosInf, classNegInf
	neg   bool
	sub   bool // subnormal: the scientific second pass re-rounds the exact value
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
	buf  [32]byte // strconv scratch for the slow paths
}

// maxWord bounds one element's text: a sign, 8 integer digits, the point
// and 8 decimals; or sign, mantissa, "e-" and 3 exponent digits; plus the
// separator and a line break with its indent.
const maxWord = 18 + 3

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
		if math.Float64bits(v)&expMask == expMask { // NaN or ±Inf
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
		nv.class, nv.sub = classFinite, false
		if math.Float64bits(v)&expMask == expMask {
			switch {
			case v != v:
				nv.class = classNaN
			case v > 0:
				nv.class = classPosInf
			default:
				nv.class = classNegInf
				negInf = true
			}
			continue
		}
		nv.neg = math.Signbit(v)
		sign := 0
		if nv.neg {
			sign = 1
		}
		if sci {
			e.firstPassScientific(nv, math.Abs(v))
			padLeft = max(padLeft, 1+sign)
			if nv.exp >= 100 || nv.exp <= -100 {
				expDigits = max(expDigits, 3)
			}
		} else {
			e.firstPassPositional(nv, math.Abs(v))
			padLeft = max(padLeft, int(nv.nInt)+sign)
		}
		padRight = max(padRight, int(nv.nFrac))
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
		if sci {
			right = expDigits + 2 + padRight
		}
		offset := right + 1
		ni := 0
		if negInf {
			ni = 1
		}
		padLeft = max(padLeft, 3-offset, 3+ni-offset)
	}

	// Second pass: elements are written straight into dst; a line is
	// broken before an element that would make it longer than
	// numpyLineWidth. numpy's first line starts with the indent " " that
	// '[' replaces, so both count one column. Broken lines end with ',',
	// so numpy's rstrip of them never removes anything.
	dst = slices.Grow(dst, len(vals)*maxWord+2)
	dst = append(dst, '[')
	lineLen := 1
	last := len(vals) - 1
	for i := range vals {
		nv := &e.vals[i]
		var width, subExp int
		var subQ uint64
		switch {
		case nv.class != classFinite:
			width = padLeft + padRight + 1
			if sci {
				width = padLeft + expDigits + 2 + padRight + 1
			}
		case sci:
			ed := expDigits
			if nv.sub {
				subQ, subExp = e.roundSubnormal(math.Abs(vals[i]), padRight)
				ed = max(ed, decimalLen(abs(subExp)))
			}
			width = padLeft + padRight + 3 + ed
		default:
			width = padLeft + 1 + padRight
		}
		if lineLen+width > numpyLineWidth && lineLen > 1 {
			dst = append(dst, '\n', ' ')
			lineLen = 1
		}
		start := len(dst)
		dst = dst[:start+width]
		w := dst[start:]
		switch {
		case nv.class != classFinite:
			renderNonFinite(w, nv.class)
		case sci:
			q, exp := nv.q, int(nv.exp)
			if padRight < 8 {
				q /= pow10u[8-padRight]
			}
			if nv.sub {
				q, exp = subQ, subExp
			}
			renderScientific(w, nv.neg, q, exp, padLeft, padRight, width)
		default:
			renderPositional(w, nv, padLeft, padRight)
		}
		lineLen += width
		if i < last {
			dst = append(dst, ',')
			lineLen++
		}
	}
	return append(dst, ']')
}

// renderNonFinite right-aligns nan, inf or -inf in w.
func renderNonFinite(w []byte, class uint8) {
	s := "nan"
	if class == classPosInf {
		s = "inf"
	} else if class == classNegInf {
		s = "-inf"
	}
	pad := len(w) - len(s)
	for k := 0; k < pad; k++ {
		w[k] = ' '
	}
	copy(w[pad:], s)
}

// renderScientific writes the mantissa m (1+frac digits) and exponent exp
// into w, which is exactly as wide as the element.
func renderScientific(w []byte, neg bool, m uint64, exp, padLeft, frac, width int) {
	k := 0
	lead := padLeft - 1
	if neg {
		lead--
	}
	for ; k < lead; k++ {
		w[k] = ' '
	}
	if neg {
		w[k] = '-'
		k++
	}
	// One digit before the point, frac after it. The usual 8 decimals
	// get constant divisors, which compile to multiplications.
	if frac == 8 {
		w[k] = byte('0' + m/1e8)
		put8(w[k+2:k+10], uint32(m%1e8))
	} else {
		p := pow10u[frac]
		w[k] = byte('0' + m/p)
		putDigitsExact(w[k+2:k+2+frac], m%p)
	}
	w[k+1] = '.'
	k += 2 + frac
	w[k] = 'e'
	if exp < 0 {
		w[k+1] = '-'
		exp = -exp
	} else {
		w[k+1] = '+'
	}
	if width-k == 4 { // the usual two exponent digits
		w[k+2], w[k+3] = digitPairs[2*exp], digitPairs[2*exp+1]
		return
	}
	putDigitsExact(w[k+2:width], uint64(exp))
}

// renderPositional writes nv's integer digits right-aligned to padLeft,
// the point, its fraction, and blanks up to padRight.
func renderPositional(w []byte, nv *numpyValue, padLeft, padRight int) {
	nInt := int(nv.nInt)
	k := 0
	lead := padLeft - nInt
	if nv.neg {
		lead--
	}
	for ; k < lead; k++ {
		w[k] = ' '
	}
	if nv.neg {
		w[k] = '-'
		k++
	}
	ip, fp := nv.q/1e8, nv.q%1e8
	putDigitsExact(w[k:k+nInt], ip)
	k += nInt
	w[k] = '.'
	k++
	nf := int(nv.nFrac)
	if nf == 8 {
		put8(w[k:k+8], uint32(fp))
	} else {
		putDigitsExact(w[k:k+nf], fp/pow10u[8-nf])
	}
	for k += nf; k < len(w); k++ {
		w[k] = ' '
	}
}

// expMask selects a float64's exponent bits: all ones for NaN and ±Inf.
const expMask = 0x7ff << 52

// pow10u holds the powers of ten up to 10^19.
var pow10u = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}

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
	e := (e2 * 78913) >> 18                         // ≈ ⌊e2·log10 2⌋
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
	// s ≥ 0, so truncation is the floor; through int64, which converts
	// in one instruction where uint64 needs a branch.
	t := int64(s)
	frac := s - float64(t)
	q := uint64(t)
	margin := s * 0x1p-51
	if math.Abs(frac-0.5) <= margin+0x1p-60 {
		return 0, false
	}
	if frac > 0.5 {
		q++
	}
	return q, true
}

// trailingZeros counts the zero digits at the end of q, at most max.
func trailingZeros(q uint64, max int) int {
	n := 0
	for n < max && q%10 == 0 {
		q /= 10
		n++
	}
	return n
}

// firstPassScientific sets nv to a's digits with at most 9 significant
// digits (8 after the point), unique where shorter.
func (e *NumpyEncoder) firstPassScientific(nv *numpyValue, a float64) {
	if a == 0 {
		nv.q, nv.exp, nv.nFrac = 0, 0, 0 // "0.e+00"
		return
	}
	if a >= 0x1p-1022 {
		// For a normal double at most one 9-digit decimal lies within its
		// rounding interval, so the shortest digits (when ≤ 9) are the
		// correctly rounded 9 digits with zeros trimmed: one rounding
		// serves both cases.
		q, e10, ok := uint64(0), 0, false
		if e10, ok = floorLog10(a); ok {
			q, ok = scaledRound(a, 8-e10)
			ok = ok && q >= 1e8 && q <= 1e9
		}
		if !ok {
			q, e10 = parseMantissa(strconv.AppendFloat(e.buf[:0], a, 'e', numpyPrecision, 64))
		}
		if q == 1e9 {
			q, e10 = 1e8, e10+1
		}
		nv.q, nv.exp = q, int32(e10)
		nv.nFrac = int8(8 - trailingZeros(q, 8))
		return
	}
	// Subnormal: few significant bits, so the shortest digits may be
	// shorter than the rounded ones and differ from them.
	nv.sub = true
	s := strconv.AppendFloat(e.buf[:0], a, 'e', -1, 64)
	if mantissaDigits(s) > numpyPrecision+1 {
		s = strconv.AppendFloat(e.buf[:0], a, 'e', numpyPrecision, 64)
	}
	q, e10 := parseMantissa(s)
	nv.q, nv.exp = q, int32(e10)
	nv.nFrac = int8(8 - trailingZeros(q, 8))
}

// roundSubnormal rounds a's exact value to 1+frac significant digits.
func (e *NumpyEncoder) roundSubnormal(a float64, frac int) (m uint64, exp int) {
	s := strconv.AppendFloat(e.buf[:0], a, 'e', frac, 64)
	q, exp := parseMantissa(s)
	return q / pow10u[8-frac], exp
}

// mantissaDigits counts the digits before the 'e' of strconv's output.
func mantissaDigits(s []byte) int {
	n := 0
	for _, c := range s {
		if c == 'e' {
			break
		}
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}

// parseMantissa reads strconv's "d.ddde±xx" with at most 9 mantissa
// digits into a 9-digit q and the exponent.
func parseMantissa(s []byte) (q uint64, exp int) {
	i, nd := 0, 0
	for ; i < len(s) && s[i] != 'e'; i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			q = q*10 + uint64(c-'0')
			nd++
		}
	}
	q *= pow10u[9-nd]
	neg := s[i+1] == '-'
	for _, c := range s[i+2:] {
		exp = exp*10 + int(c-'0')
	}
	if neg {
		exp = -exp
	}
	return q, exp
}

// firstPassPositional sets nv to a's integer digits and at most 8
// fraction digits, unique where shorter. a is 0 or in [1e-4, 1e8).
func (e *NumpyEncoder) firstPassPositional(nv *numpyValue, a float64) {
	var q uint64
	ok := false
	if a < 0x1p26 {
		// ulp(a) < 1e-8: at most one 8-decimal number lies within a's
		// rounding interval, so the unique digits cut at 8 decimals are the
		// correctly rounded 8 decimals, trimmed.
		if q, ok = scaledRound(a, numpyPrecision); !ok {
			q = parseFixed(strconv.AppendFloat(e.buf[:0], a, 'f', numpyPrecision, 64))
		}
	} else {
		// Between 2^26 and 1e8 several 8-decimal numbers can round to a,
		// and the shortest one may not be the nearest (99999999.99 is
		// stored as 99999999.98999999...): use the shortest digits when
		// they fit in 8 decimals.
		s := strconv.AppendFloat(e.buf[:0], a, 'f', -1, 64)
		if dot := bytes.IndexByte(s, '.'); dot >= 0 && len(s)-dot-1 > numpyPrecision {
			s = strconv.AppendFloat(e.buf[:0], a, 'f', numpyPrecision, 64)
		}
		q = parseFixed(s)
	}
	nv.q = q
	nv.nInt = int8(decimalLenU(q / 1e8))
	nv.nFrac = int8(8 - trailingZeros(q%1e8, 8))
}

// parseFixed reads strconv's "ddd[.ddd]" (at most 8 decimals) as the
// value times 10^8.
func parseFixed(s []byte) uint64 {
	var q uint64
	frac := -1
	for _, c := range s {
		if c == '.' {
			frac = 0
			continue
		}
		q = q*10 + uint64(c-'0')
		if frac >= 0 {
			frac++
		}
	}
	if frac < 0 {
		frac = 0
	}
	return q * pow10u[8-frac]
}

const digitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// put8 writes v < 10^8 as exactly 8 digits with one 8-byte store; the
// two halves are independent, which keeps the divisions (by constants,
// so multiplications) off one dependency chain.
func put8(b []byte, v uint32) {
	hi, lo := v/10000, v%10000
	x := uint64(digitPair(hi/100)) | uint64(digitPair(hi%100))<<16 |
		uint64(digitPair(lo/100))<<32 | uint64(digitPair(lo%100))<<48
	binary.LittleEndian.PutUint64(b, x)
}

// digitPair is the two ASCII digits of n < 100, first digit in the low
// byte.
func digitPair(n uint32) uint16 {
	return uint16(digitPairs[2*n]) | uint16(digitPairs[2*n+1])<<8
}

// putDigitsExact writes the last len(b) decimal digits of q into b,
// zero-padded on the left.
func putDigitsExact(b []byte, q uint64) {
	i := len(b)
	for i >= 2 {
		r := q % 100
		q /= 100
		b[i-1], b[i-2] = digitPairs[2*r+1], digitPairs[2*r]
		i -= 2
	}
	if i == 1 {
		b[0] = byte('0' + q%10)
	}
}

func decimalLen(n int) int {
	l := 1
	for n >= 10 {
		n /= 10
		l++
	}
	return l
}

func decimalLenU(n uint64) int {
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
		// numpy prints 8 decimals: take them 8 at a time while they fit.
		for i+8 <= n && mant < 1e10 {
			chunk, ok := eightDigits(text[i : i+8])
			if !ok {
				break
			}
			mant = mant*1e8 + chunk
			exp10 -= 8
			i += 8
		}
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

// eightDigits converts 8 ASCII digits at once (SWAR, as in simdjson): it
// checks that every byte is '0'..'9', then combines them pairwise.
func eightDigits(b []byte) (uint64, bool) {
	v := binary.LittleEndian.Uint64(b)
	if (v&0xF0F0F0F0F0F0F0F0)|(((v+0x0606060606060606)&0xF0F0F0F0F0F0F0F0)>>4) != 0x3333333333333333 {
		return 0, false
	}
	v -= 0x3030303030303030
	v = v*10 + v>>8 // each even byte now holds a two-digit number
	v = ((v&0x000000FF000000FF)*(100+(1000000<<32)) + ((v>>16)&0x000000FF000000FF)*(1+(10000<<32))) >> 32
	return v, true
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
