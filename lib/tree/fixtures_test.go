package tree

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/feature"
)

// table is a fixture stream: feature rows and named label columns.
type table struct {
	names  []string // feature names, in River's dict order
	x      [][]float64
	labels map[string][]int
}

func loadTable(t testing.TB, file string, nFeatures int) *table {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	if !sc.Scan() {
		t.Fatalf("%s: empty", file)
	}
	header := strings.Split(sc.Text(), ",")
	tb := &table{names: header[:nFeatures], labels: map[string][]int{}}
	line := 1
	for sc.Scan() {
		line++
		cols := strings.Split(sc.Text(), ",")
		if len(cols) != len(header) {
			t.Fatalf("%s:%d: %d columns, want %d", file, line, len(cols), len(header))
		}
		row := make([]float64, nFeatures)
		for i := range row {
			v, err := strconv.ParseFloat(cols[i], 64)
			if err != nil {
				t.Fatalf("%s:%d:%d: %v", file, line, i+1, err)
			}
			row[i] = v
		}
		tb.x = append(tb.x, row)
		for j := nFeatures; j < len(header); j++ {
			y, err := strconv.Atoi(cols[j])
			if err != nil {
				t.Fatalf("%s:%d:%d: %v", file, line, j+1, err)
			}
			tb.labels[header[j]] = append(tb.labels[header[j]], y)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return tb
}

// dataset returns the rows and labels of a golden data set name (see
// testdata/gen_fixtures.py).
func dataset(t testing.TB, name string) ([]string, [][]float64, []int) {
	switch {
	case name == "agrawal_projected":
		tb := loadTable(t, "agrawal.csv.gz", 9)
		return tb.names, tb.x, tb.labels["f0"]
	case name == "agrawal" || strings.HasPrefix(name, "agrawal_f"):
		tb := loadTable(t, "agrawal.csv.gz", 9)
		col := "f0"
		if name != "agrawal" {
			col = strings.TrimPrefix(name, "agrawal_")
		}
		return tb.names, tb.x, tb.labels[col]
	case name == "agrawal_drift":
		tb := loadTable(t, "agrawal.csv.gz", 9)
		y := append([]int(nil), tb.labels["f0"][:2000]...)
		y = append(y, tb.labels["f2"][2000:]...)
		return tb.names, tb.x, y
	case name == "sea":
		tb := loadTable(t, "sea.csv.gz", 3)
		return tb.names, tb.x, tb.labels["y"]
	case name == "rbf":
		tb := loadTable(t, "rbf.csv.gz", 6)
		return tb.names, tb.x, tb.labels["y"]
	case name == "led":
		tb := loadTable(t, "led.csv.gz", 7)
		return tb.names, tb.x, tb.labels["y"]
	}
	t.Fatalf("unknown data set %q", name)
	return nil, nil, nil
}

// golden is one River run recorded by gen_fixtures.py.
type golden struct {
	name, kind, data string
	rows             int
	params           map[string]string
	accuracy         float64
	summary          map[string]string
	preds            string
	probas           map[int]map[int]float64
}

func loadGoldens(t testing.TB) []*golden {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "golden.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var out []*golden
	var g *golden
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if s == "" || s[0] == '#' {
			continue
		}
		fields := strings.Fields(s)
		switch fields[0] {
		case "config":
			rows, err := strconv.Atoi(fields[4])
			if err != nil {
				t.Fatalf("golden.txt:%d: %v", line, err)
			}
			g = &golden{name: fields[1], kind: fields[2], data: fields[3], rows: rows,
				params: map[string]string{}, summary: map[string]string{}, probas: map[int]map[int]float64{}}
			for _, kv := range fields[5:] {
				k, v, _ := strings.Cut(kv, "=")
				g.params[k] = v
			}
		case "accuracy":
			g.accuracy, err = strconv.ParseFloat(fields[1], 64)
			if err != nil {
				t.Fatalf("golden.txt:%d: %v", line, err)
			}
		case "summary":
			for _, kv := range fields[1:] {
				k, v, _ := strings.Cut(kv, "=")
				g.summary[k] = v
			}
		case "preds":
			g.preds = fields[1]
		case "proba":
			at, _ := strconv.Atoi(fields[1])
			m := map[int]float64{}
			for _, kv := range fields[2:] {
				k, v, _ := strings.Cut(kv, ":")
				c, _ := strconv.Atoi(k)
				p, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Fatalf("golden.txt:%d: %v", line, err)
				}
				m[c] = p
			}
			g.probas[at] = m
		case "end":
			out = append(out, g)
			g = nil
		default:
			t.Fatalf("golden.txt:%d: unexpected %q", line, fields[0])
		}
	}
	return out
}

// optionsFor maps River parameter names of a golden configuration to
// options; names resolves nominal_attributes.
func optionsFor(t testing.TB, params map[string]string, names []string) []Option {
	t.Helper()
	atoi := func(k, v string) int {
		i, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("%s=%s: %v", k, v, err)
		}
		return i
	}
	atof := func(k, v string) float64 {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("%s=%s: %v", k, v, err)
		}
		return f
	}
	var opts []Option
	for k, v := range params {
		switch k {
		case "grace_period":
			opts = append(opts, WithGracePeriod(atoi(k, v)))
		case "delta":
			opts = append(opts, WithDelta(atof(k, v)))
		case "tau":
			opts = append(opts, WithTau(atof(k, v)))
		case "split_criterion":
			opts = append(opts, WithSplitCriterion(SplitCriterion(strings.Trim(v, "'"))))
		case "leaf_prediction":
			opts = append(opts, WithLeafPrediction(LeafPrediction(strings.Trim(v, "'"))))
		case "nb_threshold":
			opts = append(opts, WithNBThreshold(atoi(k, v)))
		case "max_depth":
			opts = append(opts, WithMaxDepth(atoi(k, v)))
		case "binary_split":
			opts = append(opts, WithBinarySplit(v == "true"))
		case "merit_preprune":
			opts = append(opts, WithMeritPreprune(v == "true"))
		case "remove_poor_attrs":
			opts = append(opts, WithRemovePoorAttrs(v == "true"))
		case "min_branch_fraction":
			opts = append(opts, WithMinBranchFraction(atof(k, v)))
		case "max_share_to_split":
			opts = append(opts, WithMaxShareToSplit(atof(k, v)))
		case "n_splits":
			opts = append(opts, WithSplits(atoi(k, v)))
		case "seed":
			opts = append(opts, WithSeed(int64(atoi(k, v))))
		case "bootstrap_sampling":
			opts = append(opts, WithBootstrapSampling(v == "true"))
		case "drift_window_threshold":
			opts = append(opts, WithDriftWindowThreshold(atoi(k, v)))
		case "switch_significance":
			opts = append(opts, WithSwitchSignificance(atof(k, v)))
		case "nominal_attributes":
			var idx []int
			for _, n := range strings.Split(v, ",") {
				found := false
				for i, name := range names {
					if name == n {
						idx = append(idx, i)
						found = true
					}
				}
				if !found {
					t.Fatalf("nominal attribute %q not in %v", n, names)
				}
			}
			opts = append(opts, WithNominalAttributes(idx...))
		default:
			t.Fatalf("unsupported golden parameter %s", k)
		}
	}
	return opts
}

func newModel(t testing.TB, kind string, opts []Option) interface {
	LearnOne(feature.Vector, int)
	PredictOne(feature.Vector) int
	PredictProbaOne(feature.Vector, []float64) []float64
	Summary() Summary
} {
	t.Helper()
	switch kind {
	case "ht":
		m, err := NewHoeffdingTreeClassifier(opts...)
		if err != nil {
			t.Fatal(err)
		}
		return m
	case "hat":
		m, err := NewHoeffdingAdaptiveTreeClassifier(opts...)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	t.Fatalf("unknown kind %q", kind)
	return nil
}

// prequential runs predict-then-learn and returns the accuracy over the
// records with a prediction (River's metric skips None predictions) and the
// predicted labels ('-' for none).
func prequential(m interface {
	LearnOne(feature.Vector, int)
	PredictOne(feature.Vector) int
}, xs []feature.Vector, ys []int) (float64, string) {
	var sb strings.Builder
	correct, n := 0, 0
	for i, x := range xs {
		p := m.PredictOne(x)
		if p < 0 {
			sb.WriteByte('-')
		} else {
			sb.WriteString(strconv.Itoa(p))
			n++
			if p == ys[i] {
				correct++
			}
		}
		m.LearnOne(x, ys[i])
	}
	return float64(correct) / float64(n), sb.String()
}

func denseRows(x [][]float64, n int) []feature.Vector {
	out := make([]feature.Vector, n)
	for i := range out {
		out[i] = feature.Dense(x[i])
	}
	return out
}

func firstDiff(a, b string) string {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return fmt.Sprintf("first difference at record %d (got %c, River %c)", i, a[i], b[i])
		}
	}
	if len(a) != len(b) {
		return fmt.Sprintf("lengths differ: %d vs %d", len(a), len(b))
	}
	return "identical"
}

type fv = feature.Vector
