// Package metrics holds online evaluation metrics with River 0.26.1
// semantics: the value after each update equals River's metric.get() for
// the same sequence of (y_true, y_pred, w), to the last bit where the
// arithmetic order could be mirrored (documented per metric).
//
// Classification metrics implement ClassificationMetric. Metrics computed
// from predicted labels (Accuracy, F1, MacroF1, ...) report
// RequiresLabels() == true and are fed with Update(y, yPred, w); metrics
// computed from probabilities (ROCAUC, ExactROCAUC, LogLoss) are fed with
// UpdateProba(y, proba, w). Every classification metric accepts both
// calls: a label metric given probabilities uses their argmax (River's
// Metrics wrapper does the same), a probability metric given a label
// treats it as a certain prediction. Regression metrics implement
// RegressionMetric.
//
// Classes are the dense ints 0..K-1 of package base; binary metrics treat
// one class as positive (class 1 by default, River's pos_val=True for
// boolean labels).
//
// New builds a metric from its River name (or a short alias), for command
// lines and notebooks.
//
// Metrics are not safe for concurrent use.
package metrics
