// Package throughput measures how many records per second one thread can
// train, predict, or predict-then-learn with an online classifier: the
// original project's MaxSustainableThroughputCalculator, measured so that the
// figures mean what their column names say.
//
// # Two methods
//
// Rivulet (the default) times what a consumer pays per record and nothing
// else:
//
//   - records are parsed before any timing starts;
//   - training alone: a fresh model learns records [0, n), each LearnOne
//     timed on its own;
//   - prediction alone: that trained model predicts records [n, 2n) (the
//     same records [0, n) when fewer than 2n were loaded), each PredictOne
//     timed on its own;
//   - together: a second fresh model predicts then learns each record of
//     [0, n), the pair timed as it runs (not the sum of the two loops above,
//     which would miss the cost of learning on a model that also predicts);
//     its predictions give the prequential accuracy.
//
// Per-record durations give the mean and the p50, p99 and maximum. The
// timing thread's CPU time over each loop is recorded too (Linux): unlike
// wall time it does not grow when other processes take the core away, so
// it is the figure to compare on a loaded machine. Untimed
// warm-up repetitions run first; the timed repetitions each start from fresh
// models, and their per-record samples are pooled. The same definitions are
// used by benchmarks/river/river_throughput.py for River, so the two sides
// are comparable row by row.
//
// Original repeats the original notebook: whole-loop wall time with the
// svmlight parsing inside the timed loop, prediction on the records just
// learnt, and "total" as the sum of the two loops. Its accuracy is therefore
// on the training records (the original did not report one). File I/O is
// not timed (the text is in memory), as in the Python script.
//
// # Derived columns
//
// The original's columns keep their names: "Expected Time(ms) Per Record"
// (mean ms), "Expected Time Million Records (s)" and "(mins)" (mean × 10⁶),
// and the throughput round(1 / mean seconds), which the original mislabelled
// "Max Prediction Throughput (sub-second-response)" in every table; here it
// is "Max Throughput (records/s, one thread)". Rounding is half to even, as
// Python's round. Rivulet adds CPU time, p99 latency, the trained model's
// memory, the prequential accuracy, and the throughput of one model per
// core: GOMAXPROCS consumers, each with its own model and its own pass over
// the pre-parsed records, started together — the scaling the original
// recommends (independent consumers, each converging on its own).
//
// ParsePlan resolves models, methods and extra parameters from flag text
// and Plan.Run measures them into rows: `rivulet throughput` and notebook
// 05 both make these calls, so they produce the same rows for the same
// flags. ConsumerPlan turns a target rate into a number of consumers; Compare and
// RatioTable set rivulet's rows against River's result file
// (benchmarks/river, `make bench-river`).
//
// # What "one thread" means in Go
//
// The timed loops run on one goroutine locked to its OS thread. The Go
// garbage collector may do part of its work on another core while they run;
// its cost on the timed thread (assists, write barriers) is included. River
// runs its (reference-counting) memory management inline.
package throughput
