package datasets

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/feature"
)

// sharedData is where the real MaliciousURL excerpts live, relative to this
// package (repo root ../shared/data/malicious-url).
const sharedData = "../../../shared/data/malicious-url"

func sharedFile(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(sharedData, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real MaliciousURL excerpt %s not found (expected at <repo>/../shared/data/malicious-url/): %v", name, err)
	}
	return p
}

type parsed struct {
	label float64
	qid   int64
	hasQ  bool
	x     feature.Vector
}

func parseAll(t testing.TB, src string) ([]parsed, error) {
	t.Helper()
	r := NewSVMLightReader(strings.NewReader(src), "test.svm")
	var out []parsed
	for r.Next() {
		q, ok := r.QID()
		out = append(out, parsed{r.Label(), q, ok, r.X().Clone()})
	}
	return out, r.Err()
}

func TestSVMLightGrammar(t *testing.T) {
	src := "# a header comment\n" +
		"+1 4:0.0788382 5:0.124138 28:1 3231949:1\n" +
		"\n" +
		"-1 qid:7 2:1.5e-3 10:-2   11:0\t12:1 # trailing comment\r\n" +
		"   \t \n" +
		"0 1:1\n" +
		"1 0:3 7:.5\n" + // zero-based files (scikit-learn) and a bare fraction
		"-1" // no features, no final newline
	got, err := parseAll(t, src)
	if err != nil {
		t.Fatal(err)
	}
	want := []parsed{
		{1, 0, false, feature.Sparse([]int32{4, 5, 28, 3231949}, []float64{0.0788382, 0.124138, 1, 1})},
		{-1, 7, true, feature.Sparse([]int32{2, 10, 11, 12}, []float64{1.5e-3, -2, 0, 1})},
		{0, 0, false, feature.Sparse([]int32{1}, []float64{1})},
		{1, 0, false, feature.Sparse([]int32{0, 7}, []float64{3, 0.5})},
		{-1, 0, false, feature.Sparse([]int32{}, []float64{})},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.label != w.label || g.qid != w.qid || g.hasQ != w.hasQ || !sameVector(g.x, w.x) {
			t.Errorf("record %d: got %+v, want %+v", i, g, w)
		}
	}
}

func sameVector(a, b feature.Vector) bool {
	if len(a.Idx) != len(b.Idx) || len(a.Val) != len(b.Val) {
		return false
	}
	for k := range a.Idx {
		if a.Idx[k] != b.Idx[k] || math.Float64bits(a.Val[k]) != math.Float64bits(b.Val[k]) {
			return false
		}
	}
	return true
}

func TestSVMLightErrorsNamePosition(t *testing.T) {
	cases := []struct {
		src  string
		want string // file:line:column: message prefix
	}{
		{"+1 1:1\nmalicious 1:1\n", "test.svm:2:1: invalid label \"malicious\""},
		{"+1 1:1 3:1 2:1\n", "test.svm:1:12: feature index 2 is not above the previous index 3"},
		{"+1 1:1 1:1\n", "test.svm:1:8: feature index 1 is not above"},
		{"+1 1:1 x:1\n", "test.svm:1:8: expected <index>:<value>, found \"x:1\""},
		{"+1 1:1 4=1\n", "test.svm:1:9: expected ':' after feature index 4"},
		{"\n\n-1 5:abc\n", "test.svm:3:6: invalid value \"abc\" for feature 5"},
		{"-1 5:\n", "test.svm:1:6: invalid value \"\" for feature 5"},
		{"-1 5:nan\n", "test.svm:1:6: value \"nan\" for feature 5 is not finite"},
		{"-1 5:1e400\n", "test.svm:1:6: value \"1e400\" for feature 5 is not finite"},
		{"-1 99999999999:1\n", "test.svm:1:4: feature index \"99999999999:1\" is larger than 2147483647"},
		{"-1 qid:abc 1:1\n", "test.svm:1:8: invalid qid \"abc\""},
		{"-1 1:1 qid:3\n", "test.svm:1:8: expected <index>:<value>, found \"qid:3\""},
		{"-1 -3:1\n", "test.svm:1:4: expected <index>:<value>, found \"-3:1\""},
	}
	for _, c := range cases {
		_, err := parseAll(t, c.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: got %v, want a *SyntaxError", c.src, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q:\n got  %v\n want %s…", c.src, err, c.want)
		}
	}
}

// TestParseNumberMatchesStrconv checks the fast path against strconv on the
// shapes MaliciousURL uses and on random decimals near the path's limits.
func TestParseNumberMatchesStrconv(t *testing.T) {
	fixed := []string{"0", "1", "-1", "+1", "0.0788382", "0.124138", "0.749633", "1.0", "100", "007",
		"0.1", "0.3", "123456789012345", "1234567890123456", "0.000000000000000000000001",
		"1e5", "2.5E-3", ".5", "5.", "-0", "9007199254740993", "0.1000000000000000055511151231257827"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		digits := 1 + rng.IntN(18)
		var b strings.Builder
		if rng.IntN(4) == 0 {
			b.WriteByte('-')
		}
		dot := rng.IntN(digits + 1)
		for d := range digits {
			if d == dot {
				b.WriteByte('.')
			}
			b.WriteByte(byte('0' + rng.IntN(10)))
		}
		fixed = append(fixed, b.String())
	}
	for _, s := range fixed {
		want, werr := strconv.ParseFloat(s, 64)
		got, ok := parseNumber([]byte(s))
		if (werr == nil) != ok || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("parseNumber(%q) = %v, %v; strconv gives %v, %v", s, got, ok, want, werr)
		}
	}
}

// TestSampleMatchesPython checks the real excerpts against totals computed
// with River's own parsing (line.rstrip().split(' '), float(v)), summing the
// values in file order in Python:
//
//	s = 0.0; for each line, for each "k:v": s += float(v)
func TestSampleMatchesPython(t *testing.T) {
	cases := []struct {
		file                 string
		records, nnz, maxIdx int
		positives, pos1000   int
		sum                  float64
		rec5Len              int
	}{
		{"sample-2000.svm", 2000, 233595, 3231949, 1000, 354, 215565.83567032023, 144},
		{"day45-head130.svm", 130, 15020, 3231931, 41, 41, 13877.301564794876, 130},
	}
	for _, c := range cases {
		it := FromFiles(sharedFile(t, c.file)).Iter()
		n, nnz, maxIdx, pos, pos1000, sum := 0, 0, 0, 0, 0, 0.0
		for it.Next() {
			x := it.X()
			if err := x.Validate(); err != nil {
				t.Fatal(err)
			}
			n++
			nnz += x.Len()
			maxIdx = max(maxIdx, x.MaxIndex())
			if it.Y() {
				pos++
				if n <= 1000 {
					pos1000++
				}
			}
			for _, v := range x.Val {
				sum += v
			}
			if n == 5 {
				if x.Len() != c.rec5Len || !it.Y() {
					t.Errorf("%s record 5: %d features, y=%v; want %d, true", c.file, x.Len(), it.Y(), c.rec5Len)
				}
				if v, ok := x.Get(2); !ok || v != 1 {
					t.Errorf("%s record 5: feature 2 = %v, %v; want 1 (River keeps the file's index)", c.file, v, ok)
				}
			}
		}
		if err := it.Err(); err != nil {
			t.Fatal(err)
		}
		if n != c.records || nnz != c.nnz || maxIdx != c.maxIdx || pos != c.positives || pos1000 != c.pos1000 || sum != c.sum {
			t.Errorf("%s: records %d nnz %d max %d positives %d (first 1000: %d) sum %v; want %d %d %d %d (%d) %v",
				c.file, n, nnz, maxIdx, pos, pos1000, sum, c.records, c.nnz, c.maxIdx, c.positives, c.pos1000, c.sum)
		}
	}
}

func TestExampleRecord5(t *testing.T) {
	// Record 5 of Day0.svm is the original project's test/example_payload.json,
	// whose first entries are "2": 1.0, "4": 0.0788382, "5": 0.131034.
	it := FromFiles(sharedFile(t, "sample-2000.svm")).Take(5)
	defer it.Close()
	for it.Next() {
	}
	if it.Err() != nil || it.Count() != 5 {
		t.Fatalf("count %d err %v", it.Count(), it.Err())
	}
	x := it.X()
	if x.Idx[0] != 2 || x.Val[0] != 1 || x.Idx[1] != 4 || x.Val[1] != 0.0788382 || x.Idx[2] != 5 || x.Val[2] != 0.131034 {
		t.Errorf("record 5 starts %v %v", x.Idx[:3], x.Val[:3])
	}
}

func TestLongLines(t *testing.T) {
	// Longer than the 256 KiB read buffer.
	var b strings.Builder
	b.WriteString("+1")
	for i := 1; i <= 40000; i++ {
		fmt.Fprintf(&b, " %d:0.5", i)
	}
	b.WriteString("\n-1 1:1\n")
	got, err := parseAll(t, b.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].x.Len() != 40000 || got[0].x.Idx[39999] != 40000 || got[1].x.Len() != 1 {
		t.Fatalf("got %d records", len(got))
	}
}

// FuzzSVMLight checks that any input either fails with a positioned
// SyntaxError or yields valid vectors that survive a write/read round trip.
func FuzzSVMLight(f *testing.F) {
	for _, s := range []string{
		"+1 4:0.0788382 5:0.124138 28:1\n-1 2:1\n",
		"0 qid:3 1:1 2:2.5e-3 # c\n",
		"# only\n\n",
		"1 0:1 7:.5\r\n",
		"-1 3:1 2:1\n",
		"x 1:1",
		"+1 1:1e400",
	} {
		f.Add([]byte(s))
	}
	if p := filepath.Join(sharedData, "day45-head130.svm"); true {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b[:bytes.IndexByte(b, '\n')+1])
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewSVMLightReader(bytes.NewReader(data), "fuzz.svm")
		var out bytes.Buffer
		var recs []parsed
		for r.Next() {
			x := r.X()
			if err := x.Validate(); err != nil {
				t.Fatalf("invalid vector %v: %v", x, err)
			}
			q, hasQ := r.QID()
			recs = append(recs, parsed{r.Label(), q, hasQ, x.Clone()})
			out.WriteString(strconv.FormatFloat(r.Label(), 'g', -1, 64))
			if hasQ {
				fmt.Fprintf(&out, " qid:%d", q)
			}
			for k, i := range x.Idx {
				fmt.Fprintf(&out, " %d:%s", i, strconv.FormatFloat(x.Val[k], 'g', -1, 64))
			}
			out.WriteByte('\n')
		}
		if err := r.Err(); err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || se.Column < 1 {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		again, err := parseAll(t, out.String())
		if err != nil {
			t.Fatalf("re-reading %q: %v", out.String(), err)
		}
		if len(again) != len(recs) {
			t.Fatalf("round trip: %d records, want %d", len(again), len(recs))
		}
		for i := range recs {
			a, b := recs[i], again[i]
			if a.label != b.label || a.qid != b.qid || a.hasQ != b.hasQ || !sameVector(a.x, b.x) {
				t.Fatalf("round trip record %d: %+v != %+v", i, a, b)
			}
		}
	})
}

func BenchmarkSVMLightParse(b *testing.B) {
	data, err := os.ReadFile(sharedFile(b, "sample-2000.svm"))
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Count(data, []byte{'\n'})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rd := bytes.NewReader(data)
	r := NewSVMLightReader(rd, "sample-2000.svm")
	b.ResetTimer()
	for b.Loop() {
		rd.Reset(data)
		r.reset(rd, "sample-2000.svm")
		for r.Next() {
		}
		if r.Err() != nil {
			b.Fatal(r.Err())
		}
	}
	b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
