package synth

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"testing"
)

// riverCase is one River generator call with its golden records; the
// values come from testdata/river_golden.py (River 0.26.1, CPython 3.11.7,
// glibc 2.36).
type riverCase struct {
	name   string   // registry name
	params []string // River parameters, name=value
	// Sub-streams of a ConceptDriftStream (nil: River's default Agrawal).
	stream, drift             string
	streamParams, driftParams []string

	keys       []string    // River's dict keys
	rows       [][]float64 // first records
	labels     []int
	n          int   // records behind counts and hashes
	counts     []int // label frequencies over n records
	exact      string
	labelsHash string
	rounded    string
}

type riverDriftCase struct {
	name      string
	params    []string
	functions []int // classification_function after each generate_drift
	exact     string
}

func (c riverCase) String() string {
	s := c.name + "(" + strings.Join(c.params, ", ")
	if c.stream != "" {
		s += fmt.Sprintf(", stream=%s(%s), drift_stream=%s(%s)", c.stream, strings.Join(c.streamParams, ", "),
			c.drift, strings.Join(c.driftParams, ", "))
	}
	return s + ")"
}

func mustNew(t testing.TB, name string, params []string) Stream {
	t.Helper()
	opts, err := ParseOptions(params)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(name, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (c riverCase) build(t testing.TB) Stream {
	t.Helper()
	if c.stream == "" {
		return mustNew(t, c.name, c.params)
	}
	opts, err := ParseOptions(c.params)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewConceptDriftStream(mustNew(t, c.stream, c.streamParams), mustNew(t, c.drift, c.driftParams), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// digests hashes n records the way river_golden.py does.
type digests struct {
	exact, labels, rounded string
	counts                 []int
}

// digest hashes the next n records of s; the rounded hash (slow: it
// formats every value) only when rounded is set.
func digest(s Stream, n int, rounded ...bool) digests {
	exact, labels, round := sha256.New(), sha256.New(), sha256.New()
	withRounded := len(rounded) > 0 && rounded[0]
	var b [8]byte
	var counts []int
	var line []byte
	for x, y := range Take(s, n) {
		line = line[:0]
		for i, v := range x.Val {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
			exact.Write(b[:])
			if withRounded {
				if i > 0 {
					line = append(line, ' ')
				}
				line = fmt.Appendf(line, "%.12e", v)
			}
		}
		if withRounded {
			round.Write(append(line, '\n'))
		}
		binary.LittleEndian.PutUint64(b[:], uint64(int64(y)))
		exact.Write(b[:])
		labels.Write(b[:])
		for len(counts) <= y {
			counts = append(counts, 0)
		}
		counts[y]++
	}
	h := func(s interface{ Sum([]byte) []byte }) string { return hex.EncodeToString(s.Sum(nil)) }
	return digests{h(exact), h(labels), h(round), counts}
}

// usesGauss reports whether a generator's features go through
// random.gauss, whose last bits depend on the C library (see rbf.go).
func usesGauss(name string) bool { return strings.HasPrefix(name, "rbf") }

// ulpDistance counts the representable doubles between a and b.
func ulpDistance(a, b float64) uint64 {
	ia, ib := int64(math.Float64bits(a)), int64(math.Float64bits(b))
	if ia < 0 {
		ia = math.MinInt64 - ia
	}
	if ib < 0 {
		ib = math.MinInt64 - ib
	}
	if ia > ib {
		return uint64(ia - ib)
	}
	return uint64(ib - ia)
}

func TestMatchesRiver(t *testing.T) {
	for _, c := range riverCases {
		t.Run(c.String(), func(t *testing.T) {
			s := c.build(t)
			if got := s.Schema().Names(); strings.Join(got, ",") != strings.Join(c.keys, ",") {
				t.Errorf("feature names %q, River's keys %q", got, c.keys)
			}
			if s.NFeatures() != len(c.keys) {
				t.Errorf("NFeatures = %d, want %d", s.NFeatures(), len(c.keys))
			}
			x := make([]float64, s.NFeatures())
			for r, want := range c.rows {
				y := s.Next(x)
				if y != c.labels[r] {
					t.Errorf("record %d: label %d, River %d", r, y, c.labels[r])
				}
				for i, w := range want {
					if x[i] == w {
						continue
					}
					// RandomRBF may differ from River in the last bit
					// where glibc's log/sin/cos are not correctly rounded.
					if usesGauss(c.name) && ulpDistance(x[i], w) <= 2 {
						t.Logf("record %d feature %d: %v, River %v (libm last-bit difference)", r, i, x[i], w)
						continue
					}
					t.Errorf("record %d feature %d (%s): %v, River %v", r, i, c.keys[i], x[i], w)
				}
			}
			s.Reset()
			d := digest(s, c.n, usesGauss(c.name))
			if fmt.Sprint(d.counts) != fmt.Sprint(c.counts) {
				t.Errorf("label counts over %d records: %v, River %v", c.n, d.counts, c.counts)
			}
			if d.labels != c.labelsHash {
				t.Errorf("labels of %d records differ from River's", c.n)
			}
			if usesGauss(c.name) {
				if d.rounded != c.rounded {
					t.Errorf("features of %d records, rounded to 13 digits, differ from River's", c.n)
				}
			} else if d.exact != c.exact {
				t.Errorf("records 0..%d differ from River's (exact bits)", c.n-1)
			}
		})
	}
}

func TestGenerateDriftMatchesRiver(t *testing.T) {
	for _, c := range riverDriftCases {
		t.Run(c.name, func(t *testing.T) {
			s := mustNew(t, c.name, c.params)
			type drifter interface {
				GenerateDrift()
				ClassificationFunction() int
			}
			g := s.(drifter)
			h := sha256.New()
			var b [8]byte
			x := make([]float64, s.NFeatures())
			var functions []int
			for block := 0; block < 5; block++ {
				for i := 0; i < 200; i++ {
					y := s.Next(x)
					for _, v := range x {
						binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
						h.Write(b[:])
					}
					binary.LittleEndian.PutUint64(b[:], uint64(int64(y)))
					h.Write(b[:])
				}
				g.GenerateDrift()
				functions = append(functions, g.ClassificationFunction())
			}
			if fmt.Sprint(functions) != fmt.Sprint(c.functions) {
				t.Errorf("functions after each drift %v, River %v", functions, c.functions)
			}
			if got := hex.EncodeToString(h.Sum(nil)); got != c.exact {
				t.Errorf("records around the drifts differ from River's")
			}
		})
	}
}

// TestFromParamsMatchesRiver builds the ConceptDriftStream cases from flat
// name=value parameters, sub-streams included, as the CLI does. (Other
// generators go through ParseOptions and New, as in TestMatchesRiver.)
func TestFromParamsMatchesRiver(t *testing.T) {
	for _, c := range riverCases {
		if c.name != "concept-drift" {
			continue
		}
		params := append([]string(nil), c.params...)
		if c.stream != "" {
			params = append(params, "stream="+c.stream, "drift_stream="+c.drift)
			for _, p := range c.streamParams {
				params = append(params, "stream."+p)
			}
			for _, p := range c.driftParams {
				params = append(params, "drift_stream."+p)
			}
		}
		s, err := FromParams(c.name, params)
		if err != nil {
			t.Fatalf("%v: %v", params, err)
		}
		d := digest(s, c.n)
		if d.labels != c.labelsHash || (!usesGauss(c.name) && d.exact != c.exact) {
			t.Errorf("%s %v: records differ from River's", c.name, params)
		}
	}
}

func TestFromParamsErrors(t *testing.T) {
	for _, params := range [][]string{
		{"stream=nope"},
		{"bogus.variant=1"},
		{"stream=sea", "stream.classification_function=1"},
		{"novalue"},
		{"position=x"},
	} {
		if _, err := FromParams("concept-drift", params); err == nil {
			t.Errorf("%v accepted", params)
		}
	}
	// Unseeded sub-streams share the mixing seed: reproducible by Reset.
	s, err := FromParams("concept-drift", []string{"stream=sea", "drift_stream=sea", "drift_stream.variant=2", "position=50", "width=10"})
	if err != nil {
		t.Fatal(err)
	}
	a := digest(s, 200)
	s.Reset()
	if digest(s, 200).exact != a.exact {
		t.Error("Reset did not replay an unseeded concept-drift stream")
	}
}
