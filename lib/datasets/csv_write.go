package datasets

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/rivulet-ml/rivulet/lib/feature"
)

// CSVWriter writes labelled records as CSV that CSVReader reads back to the
// same values: a header of the schema's feature names then the target
// column, numbers in the shortest form that parses to the same float64,
// missing features as empty cells and nominal codes as their interned
// category strings when the schema has them.
type CSVWriter struct {
	w      *csv.Writer
	schema *feature.Schema
	n      int
	row    []string
	buf    []byte
}

// NewCSVWriter writes the header (the schema's features, then target) to w.
func NewCSVWriter(w io.Writer, schema *feature.Schema, target string) (*CSVWriter, error) {
	names := schema.Names()
	for _, n := range names {
		if n == target {
			return nil, fmt.Errorf("datasets: target column %q is also a feature name", target)
		}
	}
	cw := &CSVWriter{w: csv.NewWriter(w), schema: schema, n: len(names), row: make([]string, len(names)+1)}
	if err := cw.w.Write(append(names, target)); err != nil {
		return nil, err
	}
	return cw, nil
}

// Write writes one record. x may be dense or sparse; features beyond the
// schema are an error.
func (cw *CSVWriter) Write(x feature.Vector, label string) error {
	for i := range cw.row[:cw.n] {
		cw.row[i] = ""
	}
	var err error
	x.Range(func(i int, v float64) {
		if i >= cw.n {
			if err == nil {
				err = fmt.Errorf("datasets: feature %d is beyond the schema's %d features", i, cw.n)
			}
			return
		}
		if cw.schema.IsNominal(i) {
			if c, ok := cw.schema.Category(i, v); ok {
				cw.row[i] = c
				return
			}
		}
		cw.row[i] = cw.format(v)
	})
	if err != nil {
		return err
	}
	cw.row[cw.n] = label
	return cw.w.Write(cw.row)
}

// WriteTarget writes one record with a numeric target (regression).
func (cw *CSVWriter) WriteTarget(x feature.Vector, y float64) error {
	if math.IsNaN(y) || math.IsInf(y, 0) {
		return fmt.Errorf("datasets: target %v is not a finite number", y)
	}
	return cw.Write(x, cw.format(y))
}

func (cw *CSVWriter) format(v float64) string {
	cw.buf = strconv.AppendFloat(cw.buf[:0], v, 'g', -1, 64)
	return string(cw.buf)
}

// Flush writes buffered records and reports any write error.
func (cw *CSVWriter) Flush() error {
	cw.w.Flush()
	return cw.w.Error()
}
