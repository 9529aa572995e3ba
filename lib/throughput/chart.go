package throughput

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"

	"github.com/rivulet-ml/rivulet/lib/charts"
)

// Chart draws one table's one-thread records per second as bars on a log
// scale, one bar per row, labelled "model · source": rivulet and River
// differ by orders of magnitude. Rows without a figure are left out.
func Chart(rows []Row, p Phase) (*plot.Plot, error) {
	var cats []string
	var vals []float64
	for _, r := range ByModel(rows) {
		if thr := r.Throughput(p); thr > 0 {
			cats = append(cats, r.Model+" · "+r.shortSource())
			vals = append(vals, float64(thr))
		}
	}
	if len(vals) == 0 {
		return nil, fmt.Errorf("throughput: no %s figures to chart", p)
	}
	pl, err := charts.Bars(cats, vals, true)
	if err != nil {
		return nil, err
	}
	pl.Title.Text = "Max throughput, one thread: " + p.String()
	pl.Y.Label.Text = "records/s (log scale)"
	// Slanted labels keep a dozen "model · source" names readable.
	pl.X.Tick.Label.Rotation = math.Pi / 6
	pl.X.Tick.Label.XAlign = draw.XRight
	pl.X.Tick.Label.YAlign = draw.YCenter
	return pl, nil
}

// ByModel orders rows so that each model's rows are together, models in
// the order they first appear, keeping the order of rows within a model.
func ByModel(rows []Row) []Row {
	first := map[string]int{}
	for i, r := range rows {
		if _, ok := first[r.Model]; !ok {
			first[r.Model] = i
		}
	}
	out := append([]Row(nil), rows...)
	slices.SortStableFunc(out, func(a, b Row) int { return first[a.Model] - first[b.Model] })
	return out
}

// shortSource is Source for a chart label.
func (r Row) shortSource() string {
	var s string
	switch r.Implementation {
	case "river":
		s = "River"
	case ImplementationSeed:
		return "seed README"
	default:
		s = r.Implementation
	}
	if r.Method == "original" {
		s += " (orig.)"
	}
	return s
}

// ConsumerPlan lays out, for each row, how many consumers (one model each,
// predicting then learning every record) sustain target records per second
// at the given utilisation, from the row's one-thread training+inference
// throughput. Consumers beyond the number of cores only help on more
// machines; the plan assumes linear scaling, which the all-cores column of
// the tables checks on this machine.
func ConsumerPlan(rows []Row, target, utilisation float64) (Table, error) {
	t := Table{
		Title: fmt.Sprintf("Consumers needed for %s records/s at %.0f%% utilisation (predict then learn, one model per consumer)",
			sig(target, 6), 100*utilisation),
		Headers: []string{ColClassifier, ColSource, "records/s per consumer", "consumers needed"},
	}
	for _, r := range rows {
		per := r.Throughput(Together)
		if per <= 0 {
			continue
		}
		n, err := ConsumersNeeded(target, float64(per), utilisation)
		if err != nil {
			return Table{}, err
		}
		t.Rows = append(t.Rows, []string{r.Classifier, r.Source(), fmt.Sprint(per), fmt.Sprint(n)})
	}
	return t, nil
}
