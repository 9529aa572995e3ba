package metrics

import (
	"fmt"
	"math"
	"slices"

	"github.com/rivulet-ml/rivulet/lib/stats"
)

// probaMetric holds what probability-based binary metrics share.
type probaMetric struct{ pos int }

// RequiresLabels is false: the metric needs predicted probabilities.
func (probaMetric) RequiresLabels() bool { return false }

// PositiveClass is the class treated as positive.
func (m probaMetric) PositiveClass() int { return m.pos }

// ROCAUC is River's metrics.ROCAUC: an approximation of the area under the
// ROC curve from n_thresholds confusion matrices. Threshold i is
// i/(n−1), the first lowered and the last raised by 1e-7; a record counts
// as predicted positive at threshold t when p(pos) > t. The area is River's
// −trapezoid(y=TPR, x=FPR), summed in NumPy's pairwise order so values
// match River bit for bit.
//
// The approximation is River's default and is kept for parity; it can be
// far from the true AUC when scores bunch between thresholds (River's own
// doctest gives 0.875 with 10 thresholds and 0.75 with 20 on the same
// data). ExactROCAUC computes the exact value.
type ROCAUC struct {
	probaMetric
	thresholds []float64
	// Per threshold, River's confusion matrix over (is pos, predicted pos):
	// cells[4*i + 2*truth + pred], row sums, column sums and the weight on
	// the diagonal.
	cells  []float64
	sumRow []float64
	sumCol []float64
	diag   []float64
	tpr    []float64 // scratch for Get
	fpr    []float64
	terms  []float64
}

// NewROCAUC returns River's default ROCAUC: 10 thresholds, positive class 1.
func NewROCAUC() *ROCAUC {
	m, err := NewROCAUCWith(10, 1)
	if err != nil {
		panic(err)
	}
	return m
}

// NewROCAUCWith returns an ROCAUC with n thresholds (at least 2) and the
// given positive class.
func NewROCAUCWith(nThresholds, pos int) (*ROCAUC, error) {
	if nThresholds < 2 {
		return nil, fmt.Errorf("metrics: ROCAUC needs at least 2 thresholds, got %d", nThresholds)
	}
	if pos < 0 {
		return nil, fmt.Errorf("metrics: ROCAUC positive class must be non-negative, got %d", pos)
	}
	n := nThresholds
	m := &ROCAUC{
		probaMetric: probaMetric{pos},
		thresholds:  make([]float64, n),
		cells:       make([]float64, 4*n),
		sumRow:      make([]float64, 2*n),
		sumCol:      make([]float64, 2*n),
		diag:        make([]float64, n),
		tpr:         make([]float64, n),
		fpr:         make([]float64, n),
		terms:       make([]float64, n-1),
	}
	for i := range m.thresholds {
		m.thresholds[i] = float64(i) / float64(n-1)
	}
	m.thresholds[0] -= 1e-7
	m.thresholds[n-1] += 1e-7
	return m, nil
}

// Name is "ROCAUC".
func (*ROCAUC) Name() string { return "ROCAUC" }

// BiggerIsBetter is true.
func (*ROCAUC) BiggerIsBetter() bool { return true }

// UpdateProba adds a record with p(pos) = proba[pos] (0 when absent).
func (m *ROCAUC) UpdateProba(y int, proba []float64, w float64) {
	m.updateScore(y == m.pos, probaOf(proba, m.pos), w)
}

// Update treats the label as a certain prediction: p(pos) is 1 when yPred
// is the positive class and 0 otherwise (River accepts a bool y_pred).
func (m *ROCAUC) Update(y, yPred int, w float64) {
	p := 0.0
	if yPred == m.pos {
		p = 1
	}
	m.updateScore(y == m.pos, p, w)
}

// UpdateScore adds a record by its positive-class score directly.
func (m *ROCAUC) UpdateScore(isPositive bool, score, w float64) { m.updateScore(isPositive, score, w) }

func (m *ROCAUC) updateScore(truth bool, p, w float64) {
	t := b2i(truth)
	for i, th := range m.thresholds {
		pred := b2i(p > th)
		m.cells[4*i+2*t+pred] += w
		m.sumRow[2*i+t] += w
		m.sumCol[2*i+pred] += w
		if t == pred {
			m.diag[i] += w
		}
	}
}

// Get returns the approximate area under the ROC curve.
func (m *ROCAUC) Get() float64 {
	for i := range m.thresholds {
		tp := m.cells[4*i+3]
		tn := m.diag[i] - tp // River's true_negatives(pos)
		fp := m.sumCol[2*i+1] - tp
		fn := m.sumRow[2*i+1] - tp
		m.tpr[i] = div(tp, tp+fn)
		m.fpr[i] = div(fp, fp+tn)
	}
	for i := range m.terms {
		m.terms[i] = (m.fpr[i+1] - m.fpr[i]) * (m.tpr[i+1] + m.tpr[i]) / 2.0
	}
	return -stats.NumpySum(m.terms)
}

// ExactROCAUC is the exact (weighted) area under the ROC curve of all the
// scores seen: the probability that a positive record scores above a
// negative one, ties counting one half (the Mann–Whitney statistic),
// with pair weights w_pos·w_neg. It is 0 until both classes have been seen.
//
// Method and cost: updates append (score, weight) to a buffer, amortised
// O(1) and allocation-free except when the buffer grows. Get sorts the
// buffer and merges it into a sorted list of distinct scores with their
// positive and negative weights, then sweeps that list once: O(b log b + d)
// for b buffered records and d distinct scores. Memory is O(d), which is
// bounded by 2^53 for probabilities but is in practice the number of
// distinct predicted probabilities (small for trees and naive Bayes on
// discrete data, up to the number of records for continuous scores).
type ExactROCAUC struct {
	probaMetric
	pending  []scored // unsorted records since the last merge
	distinct []scored // sorted by score, unique scores
	merged   []scored // merge scratch
}

type scored struct {
	score    float64
	pos, neg float64
}

// NewExactROCAUC returns an exact ROC AUC with positive class 1.
func NewExactROCAUC() *ExactROCAUC { return NewExactROCAUCFor(1) }

// NewExactROCAUCFor returns an exact ROC AUC for the given positive class.
func NewExactROCAUCFor(pos int) *ExactROCAUC { return &ExactROCAUC{probaMetric: probaMetric{pos}} }

// Name is "ExactROCAUC".
func (*ExactROCAUC) Name() string { return "ExactROCAUC" }

// BiggerIsBetter is true.
func (*ExactROCAUC) BiggerIsBetter() bool { return true }

// UpdateProba adds a record with p(pos) = proba[pos] (0 when absent).
func (m *ExactROCAUC) UpdateProba(y int, proba []float64, w float64) {
	m.UpdateScore(y == m.pos, probaOf(proba, m.pos), w)
}

// Update treats the label as a certain prediction (score 1 or 0).
func (m *ExactROCAUC) Update(y, yPred int, w float64) {
	s := 0.0
	if yPred == m.pos {
		s = 1
	}
	m.UpdateScore(y == m.pos, s, w)
}

// UpdateScore adds a record by its positive-class score. NaN scores sort
// below every number.
func (m *ExactROCAUC) UpdateScore(isPositive bool, score, w float64) {
	if math.IsNaN(score) {
		score = math.Inf(-1)
	}
	r := scored{score: score}
	if isPositive {
		r.pos = w
	} else {
		r.neg = w
	}
	m.pending = append(m.pending, r)
	// Keep the buffer from outgrowing the summary on long streams.
	if len(m.pending) >= 1<<16 && len(m.pending) > len(m.distinct) {
		m.merge()
	}
}

func (m *ExactROCAUC) merge() {
	if len(m.pending) == 0 {
		return
	}
	slices.SortFunc(m.pending, func(a, b scored) int {
		switch {
		case a.score < b.score:
			return -1
		case a.score > b.score:
			return 1
		}
		return 0
	})
	out := m.merged[:0]
	i, j := 0, 0
	for i < len(m.distinct) || j < len(m.pending) {
		var next scored
		if j >= len(m.pending) || (i < len(m.distinct) && m.distinct[i].score <= m.pending[j].score) {
			next = m.distinct[i]
			i++
		} else {
			next = m.pending[j]
			j++
		}
		if k := len(out) - 1; k >= 0 && out[k].score == next.score {
			out[k].pos += next.pos
			out[k].neg += next.neg
		} else {
			out = append(out, next)
		}
	}
	m.merged = m.distinct
	m.distinct = out
	m.pending = m.pending[:0]
}

// Get returns the exact area under the ROC curve.
func (m *ExactROCAUC) Get() float64 {
	m.merge()
	var area, negBelow, totalPos float64
	for _, s := range m.distinct {
		area += s.pos * (negBelow + 0.5*s.neg)
		negBelow += s.neg
		totalPos += s.pos
	}
	if totalPos == 0 || negBelow == 0 {
		return 0
	}
	return area / (totalPos * negBelow)
}

// NumDistinctScores is the number of distinct scores kept (after merging).
func (m *ExactROCAUC) NumDistinctScores() int {
	m.merge()
	return len(m.distinct)
}

// LogLoss is River's metrics.LogLoss (binary): the weighted mean of
// −log p(y) with p(pos) clamped to [1e-15, 1−1e-15]. River tests the truth
// of y_true rather than comparing it with pos_val; with classes 0/1 that
// is the same as "y is the positive class", which is what is used here.
type LogLoss struct {
	probaMetric
	mean riverMean
}

// NewLogLoss returns an empty LogLoss with positive class 1.
func NewLogLoss() *LogLoss { return NewLogLossFor(1) }

// NewLogLossFor returns an empty LogLoss for the given positive class.
func NewLogLossFor(pos int) *LogLoss { return &LogLoss{probaMetric: probaMetric{pos}} }

// Name is "LogLoss".
func (*LogLoss) Name() string { return "LogLoss" }

// BiggerIsBetter is false.
func (*LogLoss) BiggerIsBetter() bool { return false }

// UpdateProba adds a record with p(pos) = proba[pos] (0 when absent).
func (m *LogLoss) UpdateProba(y int, proba []float64, w float64) {
	m.UpdateScore(y == m.pos, probaOf(proba, m.pos), w)
}

// Update treats the label as a certain prediction (p(pos) 1 or 0, clamped).
func (m *LogLoss) Update(y, yPred int, w float64) {
	p := 0.0
	if yPred == m.pos {
		p = 1
	}
	m.UpdateScore(y == m.pos, p, w)
}

// UpdateScore adds a record by its positive-class probability.
func (m *LogLoss) UpdateScore(isPositive bool, p, w float64) {
	p = max(min(p, 1-1e-15), 1e-15)
	var loss float64
	if isPositive {
		loss = -math.Log(p)
	} else {
		loss = -math.Log(1 - p)
	}
	m.mean.update(loss, w)
}

// Get returns the mean log loss.
func (m *LogLoss) Get() float64 { return m.mean.mean }

// riverMean is River's stats.Mean with its exact order of operations.
type riverMean struct{ n, mean float64 }

func (m *riverMean) update(x, w float64) {
	m.n += w
	// float64() keeps the product rounded on its own (no fused multiply-add),
	// as in River.
	m.mean += float64((w / m.n) * (x - m.mean))
}
