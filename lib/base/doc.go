// Package base defines the estimator contract shared by every rivulet model,
// after River's: a model sees one record at a time, learns from it
// (LearnOne) and predicts for it (PredictOne, PredictProbaOne).
//
// Classes are dense integers 0..K-1 (see feature.Labels for string labels);
// binary problems use 0 for false and 1 for true, so a River model whose
// labels are booleans maps onto class indices directly. A classifier knows
// the classes it has been taught; before the first LearnOne it predicts -1
// and an empty distribution, as River returns None and {}.
package base
