// Package datasets reads the labelled record streams rivulet learns from, one
// record at a time, the way River's datasets module iterates them.
//
// Two file formats are supported:
//
//   - CSV files with a header row (csv*.go): named columns become features of
//     a feature.Schema and one column is the target.
//   - SVM-light files (svmlight*.go): "<label> [qid:<n>] <index>:<value> ...
//     [# comment]", parsed into sparse feature.Vectors. As in River, feature
//     k of the file is feature k of the vector (the index is kept as written,
//     not shifted to 0-based), and only the features written on a line are
//     present.
//
// MaliciousURL is River's datasets.MaliciousURL (Ma et al., ICML 2009): 121
// SVM-light files Day0.svm … Day120.svm, read in day order, downloaded once
// into a data directory (RIVULET_DATA, default <user cache dir>/rivulet) with
// an atomic download-verify-extract-rename. FromFiles streams any SVM-light
// files the same way.
//
// Readers reuse their buffers: a vector returned by X is valid until the next
// call to Next. Clone it to keep it.
package datasets
