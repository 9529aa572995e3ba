// Package datasets reads the labelled record streams rivulet learns from, one
// record at a time, the way River's datasets and stream modules iterate them.
//
// Two file formats are supported, with the same shape of reader (Next, X,
// Err; the label accessors fit each format):
//
//   - CSV files with a header row (OpenCSV, NewCSVReader; csv*.go): named
//     columns become dense features of a feature.Schema, one column is the
//     target (a class label, or a number for regression), like River's
//     stream.iter_csv.
//   - SVM-light files (NewSVMLightReader, FromFiles; svmlight*.go):
//     "<label> [qid:<n>] <index>:<value> ... [# comment]", parsed into sparse
//     feature.Vectors. As in River, feature k of the file is feature k of the
//     vector (the index is kept as written, not shifted to 0-based), and only
//     the features written on a line are present. A malformed line is a
//     *SyntaxError naming file:line:column.
//
// MaliciousURL is River's datasets.MaliciousURL (Ma et al., ICML 2009): 121
// SVM-light files Day0.svm … Day120.svm, read in day order, downloaded once
// into a data directory (RIVULET_DATA, default <user cache dir>/rivulet) with
// an atomic download-verify-extract-rename. Where the official host cannot
// be reached, the error says where to put the files by hand.
//
// Readers reuse their buffers: a vector returned by X is valid until the next
// call to Next. Clone it to keep it.
package datasets
