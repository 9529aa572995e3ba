package datasets

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rivulet-ml/rivulet/lib/feature"
)

// SVMLightFiles is a data set made of SVM-light files read one after the
// other. Like a River dataset it can be iterated any number of times; every
// iteration starts again at the first line of the first file.
type SVMLightFiles struct {
	paths []string
}

// FromFiles returns a data set over the given SVM-light files, read in the
// order given. Files ending in .gz are decompressed on the fly.
func FromFiles(paths ...string) *SVMLightFiles {
	return &SVMLightFiles{paths: append([]string(nil), paths...)}
}

// Paths returns the files, in reading order.
func (d *SVMLightFiles) Paths() []string { return append([]string(nil), d.paths...) }

// Iter starts a new pass over every record.
func (d *SVMLightFiles) Iter() *SVMLightIter { return d.Take(-1) }

// Take starts a new pass that stops after n records (River's take: an
// islice over a fresh iteration, so it always restarts at the first record).
// A negative n means no limit.
func (d *SVMLightFiles) Take(n int) *SVMLightIter {
	return &SVMLightIter{paths: d.paths, limit: n}
}

// Count reads every file once and returns the number of records. It is the
// cheap way to size a run (e.g. max_size = min(5000, available)).
func (d *SVMLightFiles) Count() (int, error) {
	it := d.Iter()
	defer it.Close()
	n := 0
	for it.Next() {
		n++
	}
	return n, it.Err()
}

// SVMLightIter walks the records of a list of SVM-light files. It is not
// safe for concurrent use.
type SVMLightIter struct {
	paths []string
	next  int // index of the next file to open
	limit int
	n     int
	file  io.Closer // the open file, nil between files
	zr    *gzip.Reader
	r     *SVMLightReader // kept across files to reuse its buffers
	err   error
	done  bool
}

// Next advances to the next record.
func (it *SVMLightIter) Next() bool {
	if it.done {
		return false
	}
	if it.limit >= 0 && it.n >= it.limit {
		it.finish(nil)
		return false
	}
	for {
		if it.file == nil {
			if it.next == len(it.paths) {
				it.finish(nil)
				return false
			}
			if err := it.open(it.paths[it.next]); err != nil {
				it.finish(err)
				return false
			}
			it.next++
		}
		if it.r.Next() {
			it.n++
			return true
		}
		if err := it.r.Err(); err != nil {
			it.finish(err)
			return false
		}
		if err := it.closeFile(); err != nil {
			it.finish(err)
			return false
		}
	}
}

func (it *SVMLightIter) open(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	var src io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", path, err)
		}
		it.zr, src = zr, zr
	}
	it.file = f
	if it.r == nil {
		it.r = NewSVMLightReader(src, path)
	} else {
		it.r.reset(src, path)
	}
	return nil
}

func (it *SVMLightIter) closeFile() error {
	var err error
	if it.zr != nil {
		err = it.zr.Close()
		it.zr = nil
	}
	if it.file != nil {
		err = errors.Join(err, it.file.Close())
		it.file = nil
	}
	return err
}

func (it *SVMLightIter) finish(err error) {
	if it.err == nil {
		it.err = err
	}
	if cerr := it.closeFile(); it.err == nil {
		it.err = cerr
	}
	it.done = true
}

// X returns the current record's features, valid until the next call to
// Next.
func (it *SVMLightIter) X() feature.Vector { return it.cur().X() }

// Label returns the current record's label as written.
func (it *SVMLightIter) Label() float64 { return it.cur().Label() }

// Y reports whether the current record is positive (label > 0).
func (it *SVMLightIter) Y() bool { return it.cur().Y() }

// Position returns the file and 1-based line of the current record.
func (it *SVMLightIter) Position() (string, int) {
	r := it.cur()
	return r.name, r.line
}

// Count is the number of records returned so far.
func (it *SVMLightIter) Count() int { return it.n }

// Err returns the first error met.
func (it *SVMLightIter) Err() error { return it.err }

// Close releases the open file. It is safe to call more than once.
func (it *SVMLightIter) Close() error {
	if !it.done {
		it.finish(nil)
	}
	return nil
}

func (it *SVMLightIter) cur() *SVMLightReader {
	if it.r == nil {
		panic("datasets: SVMLightIter read before Next returned true")
	}
	return it.r
}
