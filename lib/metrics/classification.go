package metrics

// labelMetric holds what every confusion-matrix metric shares.
type labelMetric struct{ cm *ConfusionMatrix }

func newLabelMetric() labelMetric { return labelMetric{cm: NewConfusionMatrix()} }

// RequiresLabels is true: the metric is computed from predicted labels.
func (m labelMetric) RequiresLabels() bool { return true }

// BiggerIsBetter is true.
func (m labelMetric) BiggerIsBetter() bool { return true }

// Update adds a record of true class y predicted as yPred with weight w.
func (m labelMetric) Update(y, yPred int, w float64) { m.cm.Update(y, yPred, w) }

// UpdateProba uses the most probable class (lowest on ties) as the label.
// An empty distribution is ignored, as River's evaluators skip {}.
func (m labelMetric) UpdateProba(y int, proba []float64, w float64) {
	if p := argmax(proba); p >= 0 {
		m.cm.Update(y, p, w)
	}
}

// ConfusionMatrix exposes the underlying matrix.
func (m labelMetric) ConfusionMatrix() *ConfusionMatrix { return m.cm }

// Accuracy is River's metrics.Accuracy: correctly classified weight over
// total weight (0 before any update).
type Accuracy struct{ labelMetric }

// NewAccuracy returns an empty Accuracy.
func NewAccuracy() *Accuracy { return &Accuracy{newLabelMetric()} }

// Name is "Accuracy".
func (*Accuracy) Name() string { return "Accuracy" }

// Get returns the accuracy.
func (m *Accuracy) Get() float64 { return div(m.cm.totalTrueP, m.cm.totalW) }

// div is a/b, or 0 when b is 0 (River's ZeroDivisionError branches).
func div(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// binaryMetric is River's BinaryMetric: labels are mapped to "is the
// positive class" before entering a 2×2 confusion matrix (class 1 =
// positive, class 0 = other), which is what River does with pos_val.
type binaryMetric struct {
	labelMetric
	pos int
}

func newBinaryMetric(pos int) binaryMetric { return binaryMetric{newLabelMetric(), pos} }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Update adds a record of true class y predicted as yPred with weight w.
func (m binaryMetric) Update(y, yPred int, w float64) {
	m.cm.Update(b2i(y == m.pos), b2i(yPred == m.pos), w)
}

// UpdateProba uses the most probable class as the label.
func (m binaryMetric) UpdateProba(y int, proba []float64, w float64) {
	if p := argmax(proba); p >= 0 {
		m.Update(y, p, w)
	}
}

// PositiveClass is the class treated as positive.
func (m binaryMetric) PositiveClass() int { return m.pos }

func (m binaryMetric) precision() float64 {
	tp := m.cm.TruePositives(1)
	fp := m.cm.FalsePositives(1)
	return div(tp, tp+fp)
}

func (m binaryMetric) recall() float64 {
	tp := m.cm.TruePositives(1)
	fn := m.cm.FalseNegatives(1)
	return div(tp, tp+fn)
}

// fbeta is River's (1+β²)·p·r/(β²·p+r), 0 when the denominator is 0.
func fbeta(b2, p, r float64) float64 {
	den := float64(b2*p) + r
	if den == 0 {
		return 0
	}
	return (1 + b2) * p * r / den
}

// Precision is River's metrics.Precision for a positive class (default 1).
type Precision struct{ binaryMetric }

// NewPrecision returns an empty Precision with positive class 1.
func NewPrecision() *Precision { return NewPrecisionFor(1) }

// NewPrecisionFor returns an empty Precision with the given positive class.
func NewPrecisionFor(pos int) *Precision { return &Precision{newBinaryMetric(pos)} }

// Name is "Precision".
func (*Precision) Name() string { return "Precision" }

// Get returns tp / (tp + fp).
func (m *Precision) Get() float64 { return m.precision() }

// Recall is River's metrics.Recall for a positive class (default 1).
type Recall struct{ binaryMetric }

// NewRecall returns an empty Recall with positive class 1.
func NewRecall() *Recall { return NewRecallFor(1) }

// NewRecallFor returns an empty Recall with the given positive class.
func NewRecallFor(pos int) *Recall { return &Recall{newBinaryMetric(pos)} }

// Name is "Recall".
func (*Recall) Name() string { return "Recall" }

// Get returns tp / (tp + fn).
func (m *Recall) Get() float64 { return m.recall() }

// F1 is River's metrics.F1 (FBeta with β = 1) for a positive class
// (default 1).
type F1 struct{ binaryMetric }

// NewF1 returns an empty F1 with positive class 1.
func NewF1() *F1 { return NewF1For(1) }

// NewF1For returns an empty F1 with the given positive class.
func NewF1For(pos int) *F1 { return &F1{newBinaryMetric(pos)} }

// Name is "F1".
func (*F1) Name() string { return "F1" }

// Get returns the harmonic mean of precision and recall.
func (m *F1) Get() float64 { return fbeta(1, m.precision(), m.recall()) }

// MacroPrecision is River's metrics.MacroPrecision: the unweighted mean of
// per-class precision over the classes seen; a class never predicted
// contributes nothing to the sum but still counts in the denominator.
type MacroPrecision struct{ labelMetric }

// NewMacroPrecision returns an empty MacroPrecision.
func NewMacroPrecision() *MacroPrecision { return &MacroPrecision{newLabelMetric()} }

// Name is "MacroPrecision".
func (*MacroPrecision) Name() string { return "MacroPrecision" }

// Get returns the macro-averaged precision.
func (m *MacroPrecision) Get() float64 {
	total, n := 0.0, 0
	for c := 0; c < m.cm.k; c++ {
		if !m.cm.present(c) {
			continue
		}
		n++
		tp := m.cm.TruePositives(c)
		fp := m.cm.FalsePositives(c)
		if tp+fp != 0 {
			total += tp / (tp + fp)
		}
	}
	return div(total, float64(n))
}

// MacroRecall is River's metrics.MacroRecall.
type MacroRecall struct{ labelMetric }

// NewMacroRecall returns an empty MacroRecall.
func NewMacroRecall() *MacroRecall { return &MacroRecall{newLabelMetric()} }

// Name is "MacroRecall".
func (*MacroRecall) Name() string { return "MacroRecall" }

// Get returns the macro-averaged recall.
func (m *MacroRecall) Get() float64 {
	total, n := 0.0, 0
	for c := 0; c < m.cm.k; c++ {
		if !m.cm.present(c) {
			continue
		}
		n++
		if s := m.cm.sumRow[c]; s != 0 {
			total += m.cm.At(c, c) / s
		}
	}
	return div(total, float64(n))
}

// MacroF1 is River's metrics.MacroF1: the unweighted mean of per-class F1
// over the classes seen as truth or prediction.
type MacroF1 struct{ labelMetric }

// NewMacroF1 returns an empty MacroF1.
func NewMacroF1() *MacroF1 { return &MacroF1{newLabelMetric()} }

// Name is "MacroF1".
func (*MacroF1) Name() string { return "MacroF1" }

// Get returns the macro-averaged F1.
func (m *MacroF1) Get() float64 {
	total, n := 0.0, 0
	for c := 0; c < m.cm.k; c++ {
		if !m.cm.present(c) {
			continue
		}
		n++
		tp := m.cm.At(c, c)
		p := div(tp, m.cm.sumCol[c])
		r := div(tp, m.cm.sumRow[c])
		if den := p + r; den != 0 {
			total += 2 * p * r / den
		}
	}
	return div(total, float64(n))
}

// MicroPrecision is River's metrics.MicroPrecision: total true positives
// over total true plus false positives. For single-label classification it
// equals accuracy up to rounding.
type MicroPrecision struct{ labelMetric }

// NewMicroPrecision returns an empty MicroPrecision.
func NewMicroPrecision() *MicroPrecision { return &MicroPrecision{newLabelMetric()} }

// Name is "MicroPrecision".
func (*MicroPrecision) Name() string { return "MicroPrecision" }

// Get returns the micro-averaged precision.
func (m *MicroPrecision) Get() float64 { return microPrecision(m.cm) }

func microPrecision(cm *ConfusionMatrix) float64 {
	tp := cm.totalTrueP
	return div(tp, tp+cm.TotalFalsePositives())
}

// MicroRecall is River's metrics.MicroRecall, which River defines as
// MicroPrecision.
type MicroRecall struct{ labelMetric }

// NewMicroRecall returns an empty MicroRecall.
func NewMicroRecall() *MicroRecall { return &MicroRecall{newLabelMetric()} }

// Name is "MicroRecall".
func (*MicroRecall) Name() string { return "MicroRecall" }

// Get returns the micro-averaged recall.
func (m *MicroRecall) Get() float64 { return microPrecision(m.cm) }

// MicroF1 is River's metrics.MicroF1.
type MicroF1 struct{ labelMetric }

// NewMicroF1 returns an empty MicroF1.
func NewMicroF1() *MicroF1 { return &MicroF1{newLabelMetric()} }

// Name is "MicroF1".
func (*MicroF1) Name() string { return "MicroF1" }

// Get returns the micro-averaged F1.
func (m *MicroF1) Get() float64 {
	p := microPrecision(m.cm)
	return fbeta(1, p, p)
}
