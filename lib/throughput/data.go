package throughput

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/rivulet-ml/rivulet/lib/datasets"
	"github.com/rivulet-ml/rivulet/lib/feature"
)

// Record is one labelled record: class 1 for a positive (malicious) record,
// 0 otherwise.
type Record struct {
	X feature.Vector
	Y int
}

// Data holds the records a measurement uses, parsed once, and their svmlight
// text for the original method (which times the parsing).
type Data struct {
	// Name says where the records come from (a file, or MaliciousURL).
	Name    string
	Records []Record
	text    []byte // svmlight text of Records, one line each
}

// RecordIter is the part of datasets.SVMLightIter that loading needs.
type RecordIter interface {
	Next() bool
	X() feature.Vector
	Y() bool
	Err() error
}

// FromRecords wraps records already in memory.
func FromRecords(name string, records []Record) *Data {
	return &Data{Name: name, Records: records, text: encodeSVMLight(records)}
}

// ReadIter reads up to limit records from it (limit < 0: all of them).
func ReadIter(name string, it RecordIter, limit int) (*Data, error) {
	var recs []Record
	for (limit < 0 || len(recs) < limit) && it.Next() {
		y := 0
		if it.Y() {
			y = 1
		}
		recs = append(recs, Record{X: it.X().Clone(), Y: y})
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("throughput: %s has no records", name)
	}
	return FromRecords(name, recs), nil
}

// LoadFile reads up to limit records of an svmlight file (.gz files are
// decompressed). A measurement of n records wants 2n: the second half is
// what the trained model predicts.
func LoadFile(path string, limit int) (*Data, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("throughput: %w", err)
	}
	it := datasets.FromFiles(path).Take(limit)
	defer it.Close()
	return ReadIter(path, it, limit)
}

// LoadMaliciousURL reads the first limit records of River's MaliciousURL
// data set (Day0.svm first, as River's dataset.take), downloading it if
// needed. Offline, the error says how to provide the files.
func LoadMaliciousURL(ctx context.Context, limit int, opts ...datasets.MaliciousURLOption) (*Data, error) {
	m := datasets.NewMaliciousURL(opts...)
	it, err := m.Take(ctx, limit)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	return ReadIter("MaliciousURL", it, limit)
}

// split returns the records to train on and the records the trained model
// predicts: [n, 2n) when loaded, else [0, n) again (what the original did).
func (d *Data) split(n int) (train, heldOut []Record, err error) {
	if n < 1 {
		return nil, nil, fmt.Errorf("throughput: n = %d, want at least 1 record", n)
	}
	if n > len(d.Records) {
		return nil, nil, fmt.Errorf("throughput: n = %d but %s has only %d records", n, d.Name, len(d.Records))
	}
	train = d.Records[:n]
	if len(d.Records) >= 2*n {
		return train, d.Records[n : 2*n], nil
	}
	return train, train, nil
}

// HeldOut reports whether a measurement of n records predicts records the
// model has not learnt ([n, 2n)), or falls back to the training records.
func (d *Data) HeldOut(n int) bool { return len(d.Records) >= 2*n }

// textOf returns the svmlight text of the first n records.
func (d *Data) textOf(n int) []byte {
	end := 0
	for i := 0; i < n; i++ {
		j := bytes.IndexByte(d.text[end:], '\n')
		end += j + 1
	}
	return d.text[:end]
}

// encodeSVMLight writes records as "<label> <index>:<value> ..." lines. The
// file's own bytes are not kept; values are written in their shortest exact
// form, which for the MaliciousURL files reproduces the text as published
// (0.0788382, 1, …), so parsing costs what parsing the file costs.
func encodeSVMLight(records []Record) []byte {
	var b []byte
	for _, r := range records {
		b = strconv.AppendInt(b, int64(r.Y), 10)
		r.X.Range(func(i int, v float64) {
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, ':')
			b = strconv.AppendFloat(b, v, 'g', -1, 64)
		})
		b = append(b, '\n')
	}
	return b
}

// SampleRelPath is the MaliciousURL excerpt the tests and benchmarks use,
// relative to the repository root: its first 1000 records are the first
// 1000 of Day0.svm, the records the original timed.
const SampleRelPath = "../shared/data/malicious-url/sample-2000.svm"

// LoadDefault loads the first limit records of River's MaliciousURL set
// when it is on disk (never downloading), and otherwise of the excerpt at
// repoRoot/SampleRelPath. The note says which, for a notebook to show.
func LoadDefault(ctx context.Context, repoRoot string, limit int) (d *Data, note string, err error) {
	if datasets.NewMaliciousURL().Available() {
		d, err = LoadMaliciousURL(ctx, limit)
		if err != nil {
			return nil, "", err
		}
		return d, fmt.Sprintf("River's MaliciousURL data set (found on disk): its first %d records, Day0.svm first, as the original's dataset.take.", len(d.Records)), nil
	}
	path := filepath.Join(repoRoot, SampleRelPath)
	d, err = LoadFile(path, limit)
	if err != nil {
		return nil, "", fmt.Errorf("%w (the MaliciousURL data set is not on disk either: see datasets.MaliciousURL)", err)
	}
	return d, fmt.Sprintf("The MaliciousURL excerpt %s: %d records, the first 1000 being the first 1000 of Day0.svm, the original's records (the full data set is not on disk).", SampleRelPath, len(d.Records)), nil
}
