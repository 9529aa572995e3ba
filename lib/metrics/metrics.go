package metrics

import (
	"fmt"
	"sort"
	"strings"
)

// Metric is what every metric reports.
type Metric interface {
	// Name is River's class name, e.g. "MacroF1".
	Name() string
	// Get returns the current value.
	Get() float64
	// BiggerIsBetter tells how to compare two values.
	BiggerIsBetter() bool
}

// ClassificationMetric is an online classification metric.
type ClassificationMetric interface {
	Metric
	// RequiresLabels reports whether the metric is computed from predicted
	// labels (true) or from predicted probabilities (false), River's
	// requires_labels. Evaluators use it to choose between PredictOne and
	// PredictProbaOne.
	RequiresLabels() bool
	// Update adds a record of true class y predicted as yPred with weight w.
	// Classes must be non-negative.
	Update(y, yPred int, w float64)
	// UpdateProba adds a record of true class y with predicted class
	// probabilities proba (index = class; missing classes have probability
	// 0) and weight w.
	UpdateProba(y int, proba []float64, w float64)
}

// RegressionMetric is an online regression metric.
type RegressionMetric interface {
	Metric
	// Update adds a record with target y, prediction yPred and weight w.
	Update(y, yPred, w float64)
}

// argmax is River's max(y_pred, key=y_pred.get) for a dense distribution:
// the first (lowest) class wins ties, as base.Argmax.
func argmax(p []float64) int {
	best := -1
	bv := 0.0
	for i, v := range p {
		if best < 0 || v > bv {
			best, bv = i, v
		}
	}
	return best
}

func probaOf(p []float64, class int) float64 {
	if class >= 0 && class < len(p) {
		return p[class]
	}
	return 0
}

type factory struct {
	classification func() ClassificationMetric
	regression     func() RegressionMetric
}

var factories = map[string]factory{
	"accuracy":       {classification: func() ClassificationMetric { return NewAccuracy() }},
	"precision":      {classification: func() ClassificationMetric { return NewPrecision() }},
	"recall":         {classification: func() ClassificationMetric { return NewRecall() }},
	"f1":             {classification: func() ClassificationMetric { return NewF1() }},
	"macroprecision": {classification: func() ClassificationMetric { return NewMacroPrecision() }},
	"macrorecall":    {classification: func() ClassificationMetric { return NewMacroRecall() }},
	"macrof1":        {classification: func() ClassificationMetric { return NewMacroF1() }},
	"microprecision": {classification: func() ClassificationMetric { return NewMicroPrecision() }},
	"microrecall":    {classification: func() ClassificationMetric { return NewMicroRecall() }},
	"microf1":        {classification: func() ClassificationMetric { return NewMicroF1() }},
	"rocauc":         {classification: func() ClassificationMetric { return NewROCAUC() }},
	"exactrocauc":    {classification: func() ClassificationMetric { return NewExactROCAUC() }},
	"logloss":        {classification: func() ClassificationMetric { return NewLogLoss() }},
	"mae":            {regression: func() RegressionMetric { return NewMAE() }},
	"mse":            {regression: func() RegressionMetric { return NewMSE() }},
	"rmse":           {regression: func() RegressionMetric { return NewRMSE() }},
	"r2":             {regression: func() RegressionMetric { return NewR2() }},
}

func normalize(name string) string {
	return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(name))
}

// Names lists the metric names New accepts (River class names, lower case).
func Names() []string {
	out := make([]string, 0, len(factories))
	for n := range factories {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// New builds a metric with default parameters from its River class name,
// case-insensitively, ignoring '_' and '-' ("MacroF1", "macro_f1",
// "roc-auc"). The result is a ClassificationMetric or a RegressionMetric.
func New(name string) (Metric, error) {
	f, ok := factories[normalize(name)]
	if !ok {
		return nil, fmt.Errorf("metrics: unknown metric %q; known metrics: %s", name, strings.Join(Names(), ", "))
	}
	if f.classification != nil {
		return f.classification(), nil
	}
	return f.regression(), nil
}

// NewClassification is New restricted to classification metrics.
func NewClassification(name string) (ClassificationMetric, error) {
	m, err := New(name)
	if err != nil {
		return nil, err
	}
	c, ok := m.(ClassificationMetric)
	if !ok {
		return nil, fmt.Errorf("metrics: %s is a regression metric, not a classification metric", m.Name())
	}
	return c, nil
}

// NewRegression is New restricted to regression metrics.
func NewRegression(name string) (RegressionMetric, error) {
	m, err := New(name)
	if err != nil {
		return nil, err
	}
	r, ok := m.(RegressionMetric)
	if !ok {
		return nil, fmt.Errorf("metrics: %s is a classification metric, not a regression metric", m.Name())
	}
	return r, nil
}
