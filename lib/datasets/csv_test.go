package datasets

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/synth"
)

// writeCSV writes content to name in a fresh temporary directory.
func writeCSV(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type csvRow struct {
	x     []float64
	y     int
	label string
	line  int
}

func readCSV(t *testing.T, path string, opts ...CSVOption) ([]csvRow, *CSVReader, error) {
	t.Helper()
	r, err := OpenCSV(path, opts...)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	var rows []csvRow
	for r.Next() {
		rows = append(rows, csvRow{append([]float64(nil), r.X().Val...), r.Y(), r.Label(), r.Line()})
	}
	return rows, r, r.Err()
}

// sameFloats treats NaN as equal to NaN (a missing feature).
func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

func TestCSVReadsFeaturesAndLabels(t *testing.T) {
	nan := math.NaN()
	path := writeCSV(t, "people.csv", "\ufeffage, income ,color,id,y\r\n"+
		"31,1200.5,red,a,yes\r\n"+
		"47,,blue,b,no\r\n"+
		"\"52\",NaN,red,c,yes\r\n"+
		"19,-3e2,,d,maybe\r\n")
	rows, r, err := readCSV(t, path, CSVTarget("y"), CSVNominal("color"), CSVDrop("id"))
	if err != nil {
		t.Fatal(err)
	}
	want := []csvRow{
		{[]float64{31, 1200.5, 0}, 0, "yes", 2},
		{[]float64{47, nan, 1}, 1, "no", 3},
		{[]float64{52, nan, 0}, 0, "yes", 4},
		{[]float64{19, -300, nan}, 2, "maybe", 5},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		g := rows[i]
		if !sameFloats(g.x, w.x) || g.y != w.y || g.label != w.label || g.line != w.line {
			t.Errorf("row %d: %+v, want %+v", i, g, w)
		}
	}
	s := r.Schema()
	if got := strings.Join(s.Names(), ","); got != "age,income,color" {
		t.Errorf("features %s, want age,income,color (BOM, spaces, target and dropped column removed)", got)
	}
	if !s.IsNominal(2) || s.IsNominal(0) {
		t.Errorf("nominal flags: color %v, age %v", s.IsNominal(2), s.IsNominal(0))
	}
	if c, _ := s.Category(2, 1); c != "blue" {
		t.Errorf("code 1 of color is %q, want blue", c)
	}
	if r.Labels().Len() != 3 || r.Labels().Name(2) != "maybe" {
		t.Errorf("labels %d, class 2 = %q", r.Labels().Len(), r.Labels().Name(2))
	}
	if r.NFeatures() != 3 {
		t.Errorf("NFeatures = %d", r.NFeatures())
	}
}

func TestCSVErrorsNameThePlace(t *testing.T) {
	cases := []struct {
		name, content string
		opts          []CSVOption
		want          string
	}{
		{"bad.csv", "age,income,y\n31,10,a\n40,abc,b\n", nil,
			`bad.csv:3:4: column 'income': "abc" is not a number`},
		{"inf.csv", "age,y\n1,a\n+Inf,b\n", nil,
			`inf.csv:3:1: column 'age': "+Inf" is not a finite number`},
		{"short.csv", "a,b,y\n1,2,x\n3,x\n", nil,
			`short.csv:3:1: wrong number of fields`},
		{"quote.csv", "a,y\n1,x\n2,\"x\n", nil,
			`quote.csv:3:`},
		{"empty-target.csv", "a,y\n1,x\n2,\n", nil,
			`empty-target.csv:3:3: column 'y': empty target`},
		{"reg.csv", "a,y\n1,2.5\n2,high\n", []CSVOption{CSVRegression()},
			`reg.csv:3:3: column 'y': target "high" is not a finite number`},
	}
	for _, c := range cases {
		path := writeCSV(t, c.name, c.content)
		_, _, err := readCSV(t, path, append([]CSVOption{CSVTarget("y")}, c.opts...)...)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		msg := strings.TrimPrefix(err.Error(), filepath.Dir(path)+string(filepath.Separator))
		if !strings.HasPrefix(msg, c.want) {
			t.Errorf("%s: error %q, want %q", c.name, msg, c.want)
		}
		var se *SyntaxError
		if !errors.As(err, &se) || se.Line != 3 {
			t.Errorf("%s: error %v is not a SyntaxError on line 3", c.name, err)
		}
	}
}

func TestCSVHeaderErrors(t *testing.T) {
	cases := []struct {
		content string
		opts    []CSVOption
		want    string
	}{
		{"a,b\n1,2\n", nil, "no target column"},
		{"a,b\n1,2\n", []CSVOption{CSVTarget("y")}, `target column "y" is not in the header (columns: a, b)`},
		{"a,b\n1,2\n", []CSVOption{CSVTarget("b"), CSVNominal("c")}, `nominal column "c"`},
		{"a,b\n1,2\n", []CSVOption{CSVTarget("b"), CSVDrop("b")}, "cannot also be"},
		{"a,a,y\n1,2,3\n", []CSVOption{CSVTarget("y")}, `column "a" appears twice`},
		{"", []CSVOption{CSVTarget("y")}, "empty file"},
	}
	for _, c := range cases {
		_, err := NewCSVReader(strings.NewReader(c.content), "h.csv", c.opts...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %q", c.content, err, c.want)
		}
	}
	if _, err := OpenCSV(filepath.Join(t.TempDir(), "absent.csv"), CSVTarget("y")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestCSVRegressionAndPresetLabels(t *testing.T) {
	path := writeCSV(t, "r.csv", "x;y\n1;0.25\n2;-7\n")
	r, err := OpenCSV(path, CSVTarget("y"), CSVRegression(), CSVComma(';'))
	if err != nil {
		t.Fatal(err)
	}
	var ys []float64
	for r.Next() {
		ys = append(ys, r.Target())
	}
	if r.Err() != nil || fmt.Sprint(ys) != "[0.25 -7]" {
		t.Errorf("targets %v, err %v", ys, r.Err())
	}
	r.Close()

	// Preset labels keep their indices even when "1" comes first.
	path = writeCSV(t, "c.csv", "x,y\n1,1\n2,0\n3,2\n")
	labels := feature.NewLabels("0", "1")
	rows, _, err := readCSV(t, path, CSVTarget("y"), CSVLabels(labels))
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].y != 1 || rows[1].y != 0 || rows[2].y != 2 {
		t.Errorf("classes %d %d %d, want 1 0 2", rows[0].y, rows[1].y, rows[2].y)
	}
}

func TestCSVSchemaMustAgree(t *testing.T) {
	s := feature.NewSchema("b", "a")
	_, err := NewCSVReader(strings.NewReader("a,b,y\n"), "s.csv", CSVTarget("y"), CSVSchema(s))
	if err == nil || !strings.Contains(err.Error(), `column "a" is feature 1`) {
		t.Errorf("mismatched schema: %v", err)
	}
	s = feature.NewSchema("a", "b")
	r, err := NewCSVReader(strings.NewReader("a,b,y\n1,2,z\n"), "s.csv", CSVTarget("y"), CSVSchema(s))
	if err != nil || !r.Next() || r.Schema() != s {
		t.Errorf("matching schema: %v", err)
	}
}

// TestCSVRoundTrip writes a synthetic stream with CSVWriter and reads it
// back: every value and label comes back bit for bit.
func TestCSVRoundTrip(t *testing.T) {
	for _, name := range []string{"agrawal", "rbf", "led"} {
		g, err := synth.New(name, synth.Seed(7))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		w, err := NewCSVWriter(&buf, g.Schema(), "class")
		if err != nil {
			t.Fatal(err)
		}
		var want []csvRow
		for x, y := range synth.Take(g, 300) {
			label := fmt.Sprint(y)
			if err := w.Write(x, label); err != nil {
				t.Fatal(err)
			}
			want = append(want, csvRow{x: append([]float64(nil), x.Val...), label: label})
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		r, err := NewCSVReader(&buf, name+".csv", CSVTarget("class"))
		if err != nil {
			t.Fatal(err)
		}
		i := 0
		for ; r.Next(); i++ {
			if !sameFloats(r.X().Val, want[i].x) || r.Label() != want[i].label {
				t.Fatalf("%s record %d: %v %s, wrote %v %s", name, i, r.X().Val, r.Label(), want[i].x, want[i].label)
			}
		}
		if r.Err() != nil || i != len(want) {
			t.Errorf("%s: read %d of %d records: %v", name, i, len(want), r.Err())
		}
		if strings.Join(r.Schema().Names(), ",") != strings.Join(g.Schema().Names(), ",") {
			t.Errorf("%s: header %v", name, r.Schema().Names())
		}
	}
}

func TestCSVWriterNominalAndMissing(t *testing.T) {
	s := feature.NewSchema("n", "c")
	if err := s.SetNominal("c"); err != nil {
		t.Fatal(err)
	}
	red := s.Code(1, "red")
	var buf bytes.Buffer
	w, err := NewCSVWriter(&buf, s, "y")
	if err != nil {
		t.Fatal(err)
	}
	_ = w.Write(feature.Dense([]float64{math.NaN(), red}), "a")
	_ = w.Write(feature.Sparse([]int32{0}, []float64{0.1}), "b")
	_ = w.WriteTarget(feature.Dense([]float64{1, 5}), 2.5)
	if err := w.Write(feature.Sparse([]int32{4}, []float64{1}), "c"); err == nil {
		t.Error("feature beyond the schema accepted")
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "n,c,y\n,red,a\n0.1,,b\n1,5,2.5\n"; got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
	if _, err := NewCSVWriter(&buf, s, "c"); err == nil {
		t.Error("target named like a feature accepted")
	}
}

func BenchmarkCSVRead(b *testing.B) {
	g, _ := synth.New("agrawal", synth.Seed(1))
	var buf bytes.Buffer
	w, _ := NewCSVWriter(&buf, g.Schema(), "class")
	for x, y := range synth.Take(g, 10000) {
		_ = w.Write(x, fmt.Sprint(y))
	}
	_ = w.Flush()
	data := buf.Bytes()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)) / 10000)
	var r *CSVReader
	for i := 0; b.Loop(); i++ {
		if i%10000 == 0 {
			r, _ = NewCSVReader(bytes.NewReader(data), "bench.csv", CSVTarget("class"))
		}
		if !r.Next() {
			b.Fatal(r.Err())
		}
	}
}
