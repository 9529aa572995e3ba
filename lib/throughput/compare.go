package throughput

import (
	"fmt"
	"strconv"
)

// Ratio compares rivulet and River on one model measured the same way.
type Ratio struct {
	Model, Classifier, Method string
	// Train, Predict and Total are speed-ups: River's ms per record over
	// rivulet's (0 when either side is missing).
	Train, Predict, Total float64
	// TrainCPU, PredictCPU and TotalCPU are the same ratios of thread CPU
	// time per record (0 when either side lacks it): less sensitive to
	// other processes' load than wall time.
	TrainCPU, PredictCPU, TotalCPU float64
	// AccuracyRivulet and AccuracyRiver are fractions; AccuracyGap is
	// |rivulet − River| in percentage points.
	AccuracyRivulet, AccuracyRiver, AccuracyGap float64
}

// Targets are the comparison's goals: each model at least MinSpeedup times
// faster than River for training and for prediction, with accuracies within
// MaxAccuracyGap points.
type Targets struct {
	MinSpeedup     float64
	MaxAccuracyGap float64
}

// DefaultTargets are the issue's: 50× and 2 points.
var DefaultTargets = Targets{MinSpeedup: 50, MaxAccuracyGap: 2}

// Met reports whether the ratio meets the targets.
func (r Ratio) Met(t Targets) bool {
	return r.Train >= t.MinSpeedup && r.Predict >= t.MinSpeedup && r.AccuracyGap <= t.MaxAccuracyGap
}

// Compare pairs each rivulet row with the River row of the same model,
// method and number of records, in the rivulet rows' order. Rows without a
// partner are skipped.
func Compare(rivulet, river []Row) []Ratio {
	type key struct {
		model, method string
		n             int
	}
	riv := map[key]Row{}
	for _, r := range river {
		riv[key{r.Model, r.Method, r.N}] = r
	}
	var out []Ratio
	for _, g := range rivulet {
		p, ok := riv[key{g.Model, g.Method, g.N}]
		if !ok {
			continue
		}
		gap := 100 * (g.Accuracy - p.Accuracy)
		if gap < 0 {
			gap = -gap
		}
		out = append(out, Ratio{
			Model: g.Model, Classifier: g.Classifier, Method: g.Method,
			Train: speedup(p.TrainMsPerRecord, g.TrainMsPerRecord), Predict: speedup(p.PredictMsPerRecord, g.PredictMsPerRecord),
			Total:    speedup(p.TotalMsPerRecord, g.TotalMsPerRecord),
			TrainCPU: speedup(p.TrainCPUMsPerRecord, g.TrainCPUMsPerRecord), PredictCPU: speedup(p.PredictCPUMsPerRecord, g.PredictCPUMsPerRecord),
			TotalCPU:        speedup(p.TotalCPUMsPerRecord, g.TotalCPUMsPerRecord),
			AccuracyRivulet: g.Accuracy, AccuracyRiver: p.Accuracy, AccuracyGap: gap,
		})
	}
	return out
}

// SameN returns the rows measured on n records: River rows from a run on
// another n are not comparable.
func SameN(rows []Row, n int) []Row {
	var out []Row
	for _, r := range rows {
		if r.N == n {
			out = append(out, r)
		}
	}
	return out
}

func speedup(slow, fast float64) float64 {
	if !(slow > 0) || !(fast > 0) {
		return 0
	}
	return slow / fast
}

// RatioTable lays ratios out with a column saying whether each row meets
// the targets. The targets are judged on wall time per record (the
// original's "Expected Time"); the CPU-time ratios are shown beside them
// as the cross-check on a loaded machine.
func RatioTable(ratios []Ratio, t Targets) Table {
	tab := Table{
		Title: fmt.Sprintf("rivulet vs River: speed-up (River ms per record / rivulet ms per record); target ≥ %g× for training and prediction, accuracy within %g points",
			t.MinSpeedup, t.MaxAccuracyGap),
		Headers: []string{ColClassifier, "Method", "Training ×", "Inference ×", "Training+Inference ×",
			"Training × (CPU)", "Inference × (CPU)", "Training+Inference × (CPU)",
			"Accuracy rivulet (%)", "Accuracy River (%)", "Gap (points)", "Target met"},
	}
	x := func(v float64) string {
		switch {
		case v == 0:
			return ""
		case v < 10: // slower than River, or close: keep two digits
			return strconv.FormatFloat(v, 'g', 2, 64)
		}
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	pct := func(v float64) string { return strconv.FormatFloat(100*v, 'f', 2, 64) }
	for _, r := range ratios {
		met := "yes"
		if !r.Met(t) {
			met = "no"
		}
		tab.Rows = append(tab.Rows, []string{r.Classifier, r.Method, x(r.Train), x(r.Predict), x(r.Total),
			x(r.TrainCPU), x(r.PredictCPU), x(r.TotalCPU), pct(r.AccuracyRivulet), pct(r.AccuracyRiver), strconv.FormatFloat(r.AccuracyGap, 'f', 2, 64), met})
	}
	return tab
}
