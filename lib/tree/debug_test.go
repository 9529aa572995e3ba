package tree

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestDebugGolden prints probabilities of one golden run at chosen records
// (GOLDEN_DEBUG=name:rec,rec).
func TestDebugGolden(t *testing.T) {
	spec := os.Getenv("GOLDEN_DEBUG")
	if spec == "" {
		t.Skip()
	}
	name, recs, _ := strings.Cut(spec, ":")
	at := map[int]bool{}
	last := 0
	for _, r := range strings.Split(recs, ",") {
		i, _ := strconv.Atoi(r)
		at[i] = true
		last = max(last, i)
	}
	for _, g := range loadGoldens(t) {
		if g.name != name {
			continue
		}
		names, x, y := dataset(t, g.data)
		m := newModel(t, g.kind, optionsFor(t, g.params, names))
		xs := denseRows(x, last+1)
		for i := 0; i <= last; i++ {
			if at[i] {
				t.Logf("%d y=%d x=%v proba=%v pred=%d %+v", i, y[i], x[i], m.PredictProbaOne(xs[i], nil), m.PredictOne(xs[i]), m.Summary())
				var c *core
				switch mm := m.(type) {
				case *HoeffdingTreeClassifier:
					c = mm.c
				case *HoeffdingAdaptiveTreeClassifier:
					c = mm.c
				}
				var ls []*leaf
				if c.adaptive && c.root.leaf == nil {
					ls = c.collectFound(xs[i])
				} else {
					ls = []*leaf{c.root.sortToLeaf(xs[i]).leaf}
				}
				for _, l := range ls {
					t.Logf("  leaf depth %d stats %v %v total %v last %v active %v mc %v nb %v err %+v", l.depth, l.stats.order, l.stats.w, l.stats.total, l.lastSplitAt, l.active(), l.mcCorrect, l.nbCorrect, l.err)
					if o := l.obs; o != nil {
						for s, f := range o.feat {
							if o.kind[s] == slotNumeric {
								t.Logf("    %d gauss %+v", f, o.cells(s))
							} else if o.kind[s] == slotNominal {
								n := o.nominal[o.ref[s]]
								t.Logf("    %d nominal values %v counts %v has %v stamps %v", f, n.values, n.counts, n.has, n.stamp)
							}
						}
					}
				}
			}
			m.LearnOne(xs[i], y[i])
		}
	}
}
