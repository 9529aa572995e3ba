// Package linearmodel holds River's linear_model family and an exact
// multi-output recursive least squares:
//
//   - LinearRegression and LogisticRegression mirror River 0.26's GLM with
//     its defaults: SGD(0.01) on the weights, a separate constant intercept
//     learning rate of 0.01, squared loss with gradient 2(p−y) (not
//     scikit-learn's p−y) or log loss with River's |z| > 18 guards, optional
//     L2 penalty, gradients clipped at ±1e12, zero-initialised weights.
//   - PerOutput fits one copy of a regressor per output, like River's
//     multioutput.PerOutputRegressor.
//   - RLS is multi-output recursive least squares with a forgetting factor:
//     one d×d inverse covariance shared by all k outputs, O(d² + k·d) per
//     record and no allocation.
//
// River semantics kept deliberately: a feature absent from a record (sparse
// index not listed, or NaN in a dense vector) is neither used nor updated,
// and the L2 penalty only shrinks the weights of the features present in the
// record being learnt — River computes the gradient over the record's keys
// only. Like River's defaultdict of zeros, a feature gets a weight when it is
// first learnt; the features are interned into dense slots by a
// feature.SlotIndex and the weights kept by slot, so memory follows the
// number of distinct features, not the largest index (MaliciousURL: some
// ten thousand features with indices up to 3.2 million).
//
// Every model snapshots through package snapshot.
package linearmodel
