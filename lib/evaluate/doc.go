// Package evaluate runs progressive (prequential, test-then-train)
// validation, River's evaluate.progressive_val_score: for each record, in
// order, the model predicts, the metrics are updated with that prediction
// (unless the model could not predict yet: River skips None and {}), then
// the model learns the record.
//
// A stream is an iter.Seq of Record; FromSlices, FromRecords, FromSeq2,
// FromChan and FromPull adapt slices, Go iterators, channels and
// reader-style sources (such as datasets.SVMLightReader). Progressive
// evaluates a classifier and ProgressiveRegression a regressor; both are
// configured with functional options and return a Result with the final
// metric values, throughput and memory, plus optional checkpoints.
//
// Which prediction is asked for follows River: if every metric works on
// labels, PredictOne; if any needs probabilities (ROCAUC, LogLoss),
// PredictProbaOne, and the label metrics receive its argmax. The loop
// allocates nothing per record for models whose predictions do not.
package evaluate
