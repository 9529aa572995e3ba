package datasets

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/rivulet-ml/rivulet/lib/feature"
)

// CSVOption configures a CSVReader.
type CSVOption func(*csvConfig)

type csvConfig struct {
	target     string
	nominal    []string
	drop       []string
	regression bool
	labels     *feature.Labels
	schema     *feature.Schema
	comma      rune
}

// CSVTarget names the target column (required).
func CSVTarget(column string) CSVOption { return func(c *csvConfig) { c.target = column } }

// CSVNominal treats the named columns as nominal: each distinct string
// becomes a code interned by the schema (Schema.Code), 0, 1, 2, ... in
// order of first appearance, and the columns are marked nominal.
func CSVNominal(columns ...string) CSVOption {
	return func(c *csvConfig) { c.nominal = append(c.nominal, columns...) }
}

// CSVDrop ignores the named columns (identifiers, timestamps), like
// River's stream.iter_csv(drop=...).
func CSVDrop(columns ...string) CSVOption {
	return func(c *csvConfig) { c.drop = append(c.drop, columns...) }
}

// CSVRegression parses the target as a number (Target) instead of a class
// label (Y, Label).
func CSVRegression() CSVOption { return func(c *csvConfig) { c.regression = true } }

// CSVLabels interns class labels into l instead of a fresh label set, so
// that classes keep the indices l already gives them (for instance the
// order "0", "1" of a generated stream).
func CSVLabels(l *feature.Labels) CSVOption { return func(c *csvConfig) { c.labels = l } }

// CSVSchema names the features in s instead of a fresh schema. Columns are
// added to it in header order, so a schema that already holds the same
// names in the same order keeps its indices (and its nominal codes).
func CSVSchema(s *feature.Schema) CSVOption { return func(c *csvConfig) { c.schema = s } }

// CSVComma sets the field delimiter (default ',').
func CSVComma(r rune) CSVOption { return func(c *csvConfig) { c.comma = r } }

// CSVReader streams labelled records from a CSV file whose first row names
// the columns. Every column other than the target and the dropped ones is
// a feature, in header order, and becomes a dense feature.Vector:
//
//   - numeric columns are parsed with strconv.ParseFloat; an empty cell (or
//     NaN) is a missing feature (NaN in the vector), anything else that is
//     not a finite number is an error naming file:line:column;
//   - nominal columns (CSVNominal) hold any string, interned to a code;
//   - the target is a class label, kept as a string and mapped to a class
//     index in order of first appearance (feature.Labels), or a number
//     with CSVRegression. An empty target is an error: records are never
//     dropped silently.
//
// River's iter_csv yields string values unless converters are given; this
// reader converts to numbers up front, as River users do with converters.
type CSVReader struct {
	cr      *csv.Reader
	closer  io.Closer
	name    string
	header  []string
	columns []csvColumn // one per header field
	target  int
	regress bool
	schema  *feature.Schema
	labels  *feature.Labels

	x      []float64
	y      int
	label  string
	value  float64
	line   int
	err    error
	nFeats int
}

type csvColumn struct {
	feature int // index in the vector, -1 for the target or dropped columns
	nominal bool
}

// OpenCSV opens a CSV file; Close closes it.
func OpenCSV(path string, opts ...CSVOption) (*CSVReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := NewCSVReader(f, path, opts...)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// NewCSVReader reads the header from r and returns a reader of its
// records; name (usually the file path) prefixes error positions.
func NewCSVReader(r io.Reader, name string, opts ...CSVOption) (*CSVReader, error) {
	c := csvConfig{comma: ','}
	for _, o := range opts {
		o(&c)
	}
	if c.target == "" {
		return nil, fmt.Errorf("datasets: %s: no target column given (CSVTarget)", name)
	}
	cr := csv.NewReader(r)
	cr.Comma = c.comma
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("datasets: %s: empty file, want a header row", name)
		}
		return nil, csvError(name, err)
	}
	header = append([]string(nil), header...)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // UTF-8 byte order mark
	}
	seen := map[string]bool{}
	for i, h := range header {
		header[i] = strings.TrimSpace(h)
		if seen[header[i]] {
			return nil, fmt.Errorf("datasets: %s:1: column %q appears twice in the header", name, header[i])
		}
		seen[header[i]] = true
	}
	known := func(what string, cols []string) error {
		for _, col := range cols {
			if !seen[col] {
				return fmt.Errorf("datasets: %s: %s column %q is not in the header (columns: %s)", name, what, col, strings.Join(header, ", "))
			}
		}
		return nil
	}
	if err := known("target", []string{c.target}); err != nil {
		return nil, err
	}
	if err := known("nominal", c.nominal); err != nil {
		return nil, err
	}
	if err := known("dropped", c.drop); err != nil {
		return nil, err
	}
	in := func(s string, set []string) bool {
		for _, v := range set {
			if v == s {
				return true
			}
		}
		return false
	}
	if in(c.target, c.nominal) || in(c.target, c.drop) {
		return nil, fmt.Errorf("datasets: %s: target column %q cannot also be nominal or dropped", name, c.target)
	}
	rd := &CSVReader{
		cr:      cr,
		name:    name,
		header:  header,
		columns: make([]csvColumn, len(header)),
		regress: c.regression,
		schema:  c.schema,
		labels:  c.labels,
		line:    1,
	}
	if rd.schema == nil {
		rd.schema = feature.NewSchema()
	}
	if rd.labels == nil {
		rd.labels = feature.NewLabels()
	}
	var nominal []string
	for i, h := range header {
		switch {
		case h == c.target:
			rd.target = i
			rd.columns[i].feature = -1
		case in(h, c.drop):
			rd.columns[i].feature = -1
		default:
			idx := rd.schema.Add(h)
			if idx != rd.nFeats {
				return nil, fmt.Errorf("datasets: %s: column %q is feature %d of the given schema, but feature %d of the file", name, h, idx, rd.nFeats)
			}
			rd.columns[i] = csvColumn{feature: idx, nominal: in(h, c.nominal)}
			if rd.columns[i].nominal {
				nominal = append(nominal, h)
			}
			rd.nFeats++
		}
	}
	if err := rd.schema.SetNominal(nominal...); err != nil {
		return nil, err
	}
	rd.x = make([]float64, rd.nFeats)
	return rd, nil
}

// csvError turns encoding/csv's errors into SyntaxErrors naming the file.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &SyntaxError{File: name, Line: pe.Line, Column: pe.Column, Msg: pe.Err.Error()}
	}
	return fmt.Errorf("%s: %w", name, err)
}

// Next parses the next record. It returns false at the end of the input or
// on the first error (see Err).
func (r *CSVReader) Next() bool {
	if r.err != nil {
		return false
	}
	rec, err := r.cr.Read()
	if err != nil {
		if !errors.Is(err, io.EOF) {
			r.err = csvError(r.name, err)
		}
		return false
	}
	r.line, _ = r.cr.FieldPos(0)
	for i, col := range r.columns {
		cell := strings.TrimSpace(rec[i])
		if i == r.target {
			if err := r.parseTarget(i, cell); err != nil {
				r.err = err
				return false
			}
			continue
		}
		if col.feature < 0 {
			continue
		}
		switch {
		case cell == "":
			r.x[col.feature] = math.NaN()
		case col.nominal:
			r.x[col.feature] = r.schema.Code(col.feature, cell)
		default:
			v, err := strconv.ParseFloat(cell, 64)
			switch {
			case err != nil:
				r.err = r.cellError(i, "%q is not a number", cell)
				return false
			case math.IsInf(v, 0):
				r.err = r.cellError(i, "%q is not a finite number", cell)
				return false
			}
			r.x[col.feature] = v // NaN stays NaN: a missing feature
		}
	}
	return true
}

func (r *CSVReader) parseTarget(i int, cell string) error {
	if cell == "" {
		return r.cellError(i, "empty target")
	}
	if !r.regress {
		r.label = cell
		r.y = r.labels.Index(cell)
		return nil
	}
	v, err := strconv.ParseFloat(cell, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return r.cellError(i, "target %q is not a finite number", cell)
	}
	r.value = v
	return nil
}

func (r *CSVReader) cellError(field int, format string, args ...any) error {
	line, col := r.cr.FieldPos(field)
	msg := fmt.Sprintf("column '%s': ", r.header[field]) + fmt.Sprintf(format, args...)
	return &SyntaxError{File: r.name, Line: line, Column: col, Msg: msg}
}

// X returns the features of the current record, dense, in header order.
// The vector is reused by the next call to Next; Clone it to keep it.
func (r *CSVReader) X() feature.Vector { return feature.Dense(r.x) }

// Y returns the class index of the current record's label (classification).
func (r *CSVReader) Y() int { return r.y }

// Label returns the current record's label as written (classification).
func (r *CSVReader) Label() string { return r.label }

// Target returns the current record's target (CSVRegression).
func (r *CSVReader) Target() float64 { return r.value }

// Schema names the features (header order, target and dropped columns
// left out).
func (r *CSVReader) Schema() *feature.Schema { return r.schema }

// Labels maps the class labels seen so far to class indices.
func (r *CSVReader) Labels() *feature.Labels { return r.labels }

// NFeatures is the number of features per record.
func (r *CSVReader) NFeatures() int { return r.nFeats }

// Header returns the column names as read (a copy).
func (r *CSVReader) Header() []string { return append([]string(nil), r.header...) }

// Line is the line number where the current record starts (the header is
// line 1).
func (r *CSVReader) Line() int { return r.line }

// Err returns the first error met, or nil at a clean end of input.
func (r *CSVReader) Err() error { return r.err }

// Close closes the file opened by OpenCSV; it does nothing for a reader
// made by NewCSVReader.
func (r *CSVReader) Close() error {
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}
