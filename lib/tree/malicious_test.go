package tree

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/feature"
)

// maliciousPath is the shared MaliciousURL excerpt, outside the repository
// (see ../shared/data/malicious-url/PROVENANCE.md); tests skip without it.
var maliciousPath = filepath.Join("..", "..", "..", "shared", "data", "malicious-url", "sample-2000.svm")

// loadSVMLight is a minimal SVM-light reader for tests: "<label>
// <index>:<value> ...", indices ascending; +1/1 is class 1, -1/0 class 0.
// Feature i of the file is feature index i (River keys it by the string
// "i", in file order).
func loadSVMLight(tb testing.TB, path string) ([]feature.Vector, []int) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			tb.Skipf("MaliciousURL sample absent (%s); it lives outside the repository", path)
		}
		tb.Fatal(err)
	}
	defer f.Close()
	var xs []feature.Vector
	var ys []int
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		switch fields[0] {
		case "1", "+1":
			ys = append(ys, 1)
		case "0", "-1":
			ys = append(ys, 0)
		default:
			tb.Fatalf("%s:%d:1: label %q, want 0/1 or -1/+1", path, line, fields[0])
		}
		idx := make([]int32, 0, len(fields)-1)
		val := make([]float64, 0, len(fields)-1)
		for _, kv := range fields[1:] {
			k, v, ok := strings.Cut(kv, ":")
			i, err1 := strconv.Atoi(k)
			x, err2 := strconv.ParseFloat(v, 64)
			if !ok || err1 != nil || err2 != nil {
				tb.Fatalf("%s:%d: bad pair %q", path, line, kv)
			}
			idx = append(idx, int32(i))
			val = append(val, x)
		}
		vec := feature.Sparse(idx, val)
		if err := vec.Validate(); err != nil {
			tb.Fatalf("%s:%d: %v", path, line, err)
		}
		xs = append(xs, vec)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return xs, ys
}

// TestGoldenMaliciousURL replays River's HAT (the seed project's settings)
// and default HT on the 2000 shared MaliciousURL records.
func TestGoldenMaliciousURL(t *testing.T) {
	xs, ys := loadSVMLight(t, maliciousPath)
	for _, g := range loadGoldens(t) {
		if g.data != "malicious" {
			continue
		}
		t.Run(g.name, func(t *testing.T) {
			m := newModel(t, g.kind, optionsFor(t, g.params, nil))
			checkGolden(t, g, m, xs[:g.rows], ys[:g.rows])
		})
	}
}
