// Package linear runs the linear-model stream of the seed notebooks end to
// end: Send publishes records of y = B x + w (package synth) to a Kafka
// topic in the original sender's numpy text, or JSON, or binary, and the
// true B once to "<topic>.truth"; Learn consumes the topic, fits
// multi-output recursive least squares and/or River's per-output SGD
// LinearRegression test-then-train, and reports prequential MAE, RMSE and
// R² with River's semantics plus ‖B̂−B‖_F / ‖B‖_F against the truth.
//
// The CLI (`rivulet produce linear`, `rivulet learn linear`) and the
// notebooks 01-linear-model-sender and 02-linear-model-learner are thin
// layers over Send and Learn. SeedSettings, Message, CoefficientTable and
// VectorTable give notebook 01 what it shows of a run: its settings beside
// the seed notebook's, the exact message of a record, and B.
package linear
