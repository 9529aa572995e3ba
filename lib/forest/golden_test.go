package forest

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/synth"
)

// golden is one block of testdata/golden.txt, written by
// testdata/gen_golden.py with River 0.26.1.
type golden struct {
	name, stream     string
	n                int
	accuracy         float64
	warnings, drifts int
	preds            string
}

func readGolden(t testing.TB, path string) map[string]golden {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]golden{}
	var g *golden
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		bad := func() { t.Fatalf("%s:%d: malformed line %q", path, line, sc.Text()) }
		switch fields[0] {
		case "config":
			if len(fields) != 4 {
				bad()
			}
			n, err := strconv.Atoi(fields[3])
			if err != nil {
				bad()
			}
			out[fields[1]] = golden{name: fields[1], stream: fields[2], n: n}
			gg := out[fields[1]]
			g = &gg
		case "accuracy":
			v, err := strconv.ParseFloat(fields[1], 64)
			if err != nil || g == nil {
				bad()
			}
			g.accuracy = v
		case "detections":
			if g == nil || len(fields) != 3 {
				bad()
			}
			g.warnings, _ = strconv.Atoi(fields[1])
			g.drifts, _ = strconv.Atoi(fields[2])
		case "preds":
			if g == nil || len(fields) != 2 || len(fields[1]) != g.n {
				bad()
			}
			g.preds = fields[1]
			out[g.name] = *g
		default:
			bad()
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// goldenStream builds the River stream a golden block names, from lib/synth
// (which reproduces River's generators draw for draw).
func goldenStream(t testing.TB, name string) synth.Stream {
	t.Helper()
	var s synth.Stream
	var err error
	switch name {
	case "cds_42_500_40":
		s, err = synth.NewConceptDriftStream(nil, nil, synth.Seed(42), synth.Position(500), synth.Width(40))
	case "cds_42_1000_200":
		s, err = synth.NewConceptDriftStream(nil, nil, synth.Seed(42), synth.Position(1000), synth.Width(200))
	case "agrawal":
		s, err = synth.NewAgrawal(synth.ClassificationFunction(0), synth.Seed(42))
	case "hyper25":
		s, err = synth.NewHyperplane(synth.Seed(42), synth.NFeatures(25), synth.NDriftFeatures(5), synth.MagChange(0.5))
	case "rbfdrift":
		s, err = synth.NewRandomRBFDrift(synth.SeedModel(7), synth.SeedSample(8), synth.NClasses(3),
			synth.NFeatures(12), synth.ChangeSpeed(0.05))
	case "sea":
		s, err = synth.NewSEA(synth.Variant(0), synth.Seed(42))
	default:
		t.Fatalf("unknown golden stream %q", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// prequential runs predict-then-learn over the first n records and returns
// the accuracy and the predicted labels in the golden format.
func prequential(s synth.Stream, m base.Classifier, n int) (float64, string) {
	var preds strings.Builder
	correct := 0
	for x, y := range synth.Take(s, n) {
		p := m.PredictOne(x)
		if p == y {
			correct++
		}
		if p < 0 {
			preds.WriteByte('-')
		} else {
			preds.WriteString(strconv.Itoa(p))
		}
		m.LearnOne(x, y)
	}
	return float64(correct) / float64(n), preds.String()
}

// firstDiff describes where two prediction strings first differ.
func firstDiff(got, want string) string {
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			lo := max(0, i-10)
			hi := min(len(want), i+10)
			return fmt.Sprintf("first difference at record %d: got ...%s... want ...%s...", i, got[lo:min(hi, len(got))], want[lo:hi])
		}
	}
	if len(got) != len(want) {
		return fmt.Sprintf("lengths differ: %d vs %d", len(got), len(want))
	}
	return "identical"
}
