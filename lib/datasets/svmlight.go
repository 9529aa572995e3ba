package datasets

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"unsafe"

	"github.com/rivulet-ml/rivulet/lib/feature"
)

// SyntaxError reports a malformed SVM-light line. Column counts bytes from 1.
type SyntaxError struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// SVMLightReader parses SVM-light records from a stream, one line at a time.
//
// Grammar of a line (blank and comment-only lines are skipped):
//
//	<label> [qid:<int>] <index>:<value> ... [# comment]
//
// Decisions, and where they differ from River's MaliciousURL parser (which
// splits on single spaces and sets y = label == "+1"):
//
//   - The label is a number. Y reports label > 0, so both the original files'
//     +1/-1 and the 1/0 convention of public excerpts work; River would read
//     every 1/0 line as False.
//   - Indices are kept as written (feature k of the file is feature k of the
//     vector, River's int keys). They must be strictly ascending, as the
//     format requires and feature.Vector needs; a 0 index is accepted because
//     scikit-learn writes zero-based files.
//   - Values must be finite: a NaN or infinite value would make a present
//     feature indistinguishable from a missing one.
//   - Any run of spaces or tabs separates tokens; a trailing '\r' is ignored.
type SVMLightReader struct {
	r     *bufio.Reader
	name  string
	line  int
	long  []byte // holds a line longer than the bufio buffer
	idx   []int32
	val   []float64
	label float64
	qid   int64
	hasQ  bool
	err   error
}

// NewSVMLightReader returns a reader over r; name (usually the file path)
// prefixes error positions.
func NewSVMLightReader(r io.Reader, name string) *SVMLightReader {
	return &SVMLightReader{r: bufio.NewReaderSize(r, 256<<10), name: name}
}

// reset points the reader at a new source, keeping its buffers.
func (s *SVMLightReader) reset(r io.Reader, name string) {
	s.r.Reset(r)
	s.name, s.line, s.err = name, 0, nil
}

// Next parses the next record. It returns false at the end of the input or
// on the first error (see Err).
func (s *SVMLightReader) Next() bool {
	if s.err != nil {
		return false
	}
	for {
		line, err := s.readLine()
		if len(line) > 0 || err == nil {
			s.line++
			ok, perr := s.parse(line)
			if perr != nil {
				s.err = perr
				return false
			}
			if ok {
				return true
			}
		}
		if err != nil {
			if err != io.EOF {
				s.err = fmt.Errorf("%s:%d: %w", s.name, s.line+1, err)
			}
			return false
		}
	}
}

// readLine returns the next line without its '\n'. The slice is valid until
// the next call. A final line without '\n' comes with io.EOF.
func (s *SVMLightReader) readLine() ([]byte, error) {
	b, err := s.r.ReadSlice('\n')
	if err == nil {
		return b[:len(b)-1], nil
	}
	if !errors.Is(err, bufio.ErrBufferFull) {
		return b, err
	}
	s.long = append(s.long[:0], b...)
	for {
		b, err = s.r.ReadSlice('\n')
		s.long = append(s.long, b...)
		if err == nil {
			return s.long[:len(s.long)-1], nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return s.long, err
		}
	}
}

// X returns the features of the current record. The vector is reused by the
// next call to Next; Clone it to keep it.
func (s *SVMLightReader) X() feature.Vector {
	return feature.Vector{Idx: s.idx, Val: s.val}
}

// Label returns the current record's label as written.
func (s *SVMLightReader) Label() float64 { return s.label }

// Y reports whether the current record is positive (label > 0).
func (s *SVMLightReader) Y() bool { return s.label > 0 }

// QID returns the current record's query id, if the line had one.
func (s *SVMLightReader) QID() (int64, bool) { return s.qid, s.hasQ }

// Line is the 1-based line number of the current record.
func (s *SVMLightReader) Line() int { return s.line }

// Err returns the first error met, or nil at a clean end of input.
func (s *SVMLightReader) Err() error { return s.err }

func (s *SVMLightReader) errorf(col int, format string, args ...any) error {
	return &SyntaxError{File: s.name, Line: s.line, Column: col + 1, Msg: fmt.Sprintf(format, args...)}
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// parse reads one line into the reader's record. It reports false for a
// blank or comment-only line.
func (s *SVMLightReader) parse(line []byte) (bool, error) {
	end := len(line)
	if c := bytes.IndexByte(line, '#'); c >= 0 {
		end = c
	}
	if end > 0 && line[end-1] == '\r' {
		end--
	}
	p := 0
	for p < end && isBlank(line[p]) {
		p++
	}
	if p == end {
		return false, nil
	}
	s.hasQ, s.qid = false, 0
	// Locals rather than fields in the loop: the compiler keeps them in
	// registers.
	idx, val := s.idx[:0], s.val[:0]
	defer func() { s.idx, s.val = idx, val }()

	start := p
	for p < end && !isBlank(line[p]) {
		p++
	}
	label, ok := parseNumber(line[start:p])
	if !ok || math.IsNaN(label) || math.IsInf(label, 0) {
		return false, s.errorf(start, "invalid label %q: want a number such as +1, -1, 1 or 0", line[start:p])
	}
	s.label = label

	prev := int64(-1)
	first := true
	for {
		for p < end && isBlank(line[p]) {
			p++
		}
		if p == end {
			return true, nil
		}
		tok := p
		// Feature index: decimal digits up to ':'.
		var index int64
		for p < end && line[p] >= '0' && line[p] <= '9' {
			index = index*10 + int64(line[p]-'0')
			p++
		}
		// 11 digits cannot overflow an int64, so the check waits until here.
		if p-tok > 10 || index > math.MaxInt32 {
			return false, s.errorf(tok, "feature index %q is larger than %d", line[tok:s.tokenEnd(line, p, end)], math.MaxInt32)
		}
		if p == tok {
			if first && end-p > 4 && string(line[p:p+4]) == "qid:" {
				q, next, err := s.parseQID(line, p+4, end)
				if err != nil {
					return false, err
				}
				s.qid, s.hasQ, p = q, true, next
				first = false
				continue
			}
			return false, s.errorf(tok, "expected <index>:<value>, found %q", line[tok:s.tokenEnd(line, p, end)])
		}
		if p == end || line[p] != ':' {
			return false, s.errorf(p, "expected ':' after feature index %d", index)
		}
		if index <= prev {
			return false, s.errorf(tok, "feature index %d is not above the previous index %d (indices must be strictly ascending)", index, prev)
		}
		p++
		vstart := p
		var v float64
		if p < end && line[p] == '1' && (p+1 == end || isBlank(line[p+1])) {
			v = 1 // binary features dominate the MaliciousURL data
			p++
		} else {
			for p < end && !isBlank(line[p]) {
				p++
			}
			v, ok = parseNumber(line[vstart:p])
			if !ok {
				return false, s.errorf(vstart, "invalid value %q for feature %d", line[vstart:p], index)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return false, s.errorf(vstart, "value %q for feature %d is not finite", line[vstart:p], index)
			}
		}
		idx = append(idx, int32(index))
		val = append(val, v)
		prev = index
		first = false
	}
}

func (s *SVMLightReader) tokenEnd(line []byte, p, end int) int {
	for p < end && !isBlank(line[p]) {
		p++
	}
	return p
}

func (s *SVMLightReader) parseQID(line []byte, p, end int) (int64, int, error) {
	start := p
	for p < end && !isBlank(line[p]) {
		p++
	}
	q, err := strconv.ParseInt(string(line[start:p]), 10, 64)
	if err != nil {
		return 0, p, s.errorf(start, "invalid qid %q: want an integer", line[start:p])
	}
	return q, p, nil
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseNumber parses a decimal number. Plain decimals with at most 15
// significant digits (all of MaliciousURL's values) take Clinger's fast
// path: mantissa and power of ten are both exact, so one division is
// correctly rounded. Anything else goes to strconv.ParseFloat.
func parseNumber(b []byte) (float64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	p := 0
	neg := false
	if b[0] == '+' || b[0] == '-' {
		neg = b[0] == '-'
		p++
	}
	var mant uint64
	digits, frac := 0, 0
	sawDigit, sawDot := false, false
	for ; p < len(b); p++ {
		c := b[p]
		switch {
		case c >= '0' && c <= '9':
			sawDigit = true
			if mant == 0 && c == '0' {
				if sawDot {
					frac++
				}
				continue // leading zeros are not significant
			}
			if digits == 15 {
				return slowParse(b)
			}
			mant = mant*10 + uint64(c-'0')
			digits++
			if sawDot {
				frac++
			}
		case c == '.' && !sawDot:
			sawDot = true
		default:
			return slowParse(b)
		}
	}
	if !sawDigit {
		return 0, false
	}
	f := float64(mant)
	if frac > 0 {
		if frac >= len(pow10) {
			return slowParse(b)
		}
		f /= pow10[frac]
	}
	if neg {
		f = -f
	}
	return f, true
}

func slowParse(b []byte) (float64, bool) {
	// The string aliases b only for the duration of the call; on failure
	// strconv's error (which would retain it) is dropped.
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return f, true // ±Inf or a denormal-flushed zero; callers check finiteness
		}
		return 0, false
	}
	return f, true
}
