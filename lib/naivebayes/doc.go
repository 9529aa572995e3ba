// Package naivebayes holds River 0.26.1's GaussianNB and BernoulliNB
// (river.naive_bayes), as online classifiers implementing base.Classifier.
//
// Both follow River's formulas and defaults, including the quirks:
//
//   - GaussianNB fits one normal distribution per (class, feature) with a
//     population variance (River's _make_gaussian sets ddof=0), adds 1e-9 to
//     every density before taking its log, and counts a density as 0 while
//     the variance is 0 (after one value). Only the features present in x
//     contribute to the joint log-likelihood; a feature never seen with a
//     class contributes log(1e-9).
//   - BernoulliNB binarises each value with value > true_threshold, smooths
//     with alpha (p = (count+α)/(N_c+2α)), adds 1e-9 inside every log, and
//     — unlike textbook Bernoulli NB implementations that stop at the input's
//     features — sums over every feature seen so far: absent features (and
//     present ones at or below the threshold) contribute log(1e-9 + 1 − p).
//
// BernoulliNB computes River's sum without visiting every feature: per class
// it keeps a histogram of the per-feature counts, so the sum over all
// features "absent" is Σ_k h[k]·log(1e-9 + 1 − (k+α)/D), recomputed only
// when the class was updated, and the features present in x are corrected
// individually. On MaliciousURL (3.2 million features) that turns River's
// O(features seen) prediction into O(features present + distinct counts).
// The result equals River's to rounding (about 1e-12 relative); the sum is
// ordered differently, so it is not bit for bit.
//
// A NaN value marks a missing feature in dense and sparse vectors alike,
// so it is skipped like a feature absent from River's dict.
//
// Probabilities are River's softmax of the joint log-likelihoods through
// SciPy's logsumexp, reproduced operation for operation.
//
// Weights: River's naive Bayes models take no sample weight (River's
// ensembles call learn_one int(w) times). LearnWeighted(x, y, w) adds w to
// the counts: for BernoulliNB and integer w that equals w calls of LearnOne
// exactly; for GaussianNB it is River's weighted Welford update, equal to
// repeated updates up to rounding.
package naivebayes
