// Package stats holds running statistics updated one value at a time, as
// River's stats and proba modules: weighted Welford mean and variance with
// River's ddof, and the Gaussian estimator the trees and naive Bayes use.
package stats
