// Package forest implements River 0.26.1's adaptive random forest
// classifier (forest.ARFClassifier) on the Hoeffding trees of lib/tree.
//
// # Model
//
// ARFClassifier keeps n_models Hoeffding trees whose leaves each observe a
// random subset of max_features features, drawn on the leaf's first update
// with River's rng.sample(sorted(x.keys()), k). Each record trains each tree
// with a Poisson(λ=6) weight (leveraging bagging). A tree's ADWIN(0.01)
// warning detector starts a background tree, its ADWIN(0.001) drift
// detector replaces the tree by it (or by a fresh tree). Predictions are
// the trees' distributions weighted by each tree's accuracy.
//
// Defaults are River's: n_models 10, max_features "sqrt" (round(√M), half
// to even, M from the first record), lambda_value 6, accuracy-weighted
// votes, and tree parameters grace_period 50, delta 0.01, tau 0.05,
// leaf_prediction "nba", nb_threshold 0, memory_estimate_period 2_000_000,
// the rest as a Hoeffding tree's (TreeParams, DefaultTreeParams).
//
// With a seed the forest draws the same numbers as River's, in River's
// order, from one CPython-compatible generator shared by all trees (the
// Poisson weights and the leaves' feature subsets). The tests replay River
// runs prediction for prediction, including the class doctest (67.97% on
// ConceptDriftStream(seed=42, position=500, width=40) with seed 8 and
// majority-class leaves; older River releases printed 71.07% with a
// different tree). River's feature order matters for the subsets: data
// keyed by name (Agrawal) sorts names, so pass WithFeatureNames(schema);
// integer keys sort numerically, the default.
//
// River details kept: the first prediction or record builds the forest
// (max_features from that record's number of features); a tree's accuracy
// counts its "no prediction" (an untrained tree) as an error; a tree only
// learns, updates its detectors and can be replaced when its Poisson weight
// is positive; the detectors see whether the tree's prediction made BEFORE
// training on the record was wrong (River 0.26.1's code; some descriptions
// of ARF, and MOA, use the prediction after training); a drift without a
// background tree restarts the tree but keeps its warning detector's state;
// LearnWeighted ignores the weight, as River's learn_one does.
//
// ARFRegressor is not provided: lib/tree has no Hoeffding tree regressor.
//
// # Parallel trees
//
// WithWorkers(n) spreads the trees over n goroutines (a worker team started
// once). The result does not depend on n (tested for 1, 2 and 3, snapshots
// included). River's random draws stay in River's order: the caller's
// goroutine draws every tree's Poisson weight, and a tree whose learning
// would draw a leaf's feature subset (tree.LearnMayDraw, asked during the
// parallel prediction) makes that draw there too (tree.PrepareLearn);
// the trees then learn drawing nothing.
//
// With workers, the trees' learning of a record is deferred to the forest's
// next call and fused with that call's per-tree work (learn the previous
// record, then predict the new one), so a predict-then-learn loop hands
// work to the team once per record. The record is copied, so callers may
// reuse their buffers. Every method that reads the trees (snapshots,
// MemoryBytes, Trees, the drift counters, SetWorkers, Close) first
// completes a deferred learn.
//
// What workers gain depends on how much work a record brings against the
// cost of meeting once per record, which every forest voting on each
// record before learning the next must pay: the record waits for the
// slower goroutine, so every hiccup of either core counts. On the 2-vCPU
// VM of the project's BENCHMARKS.md, two workers run ten trees on Agrawal
// 1.0–1.4 times as fast as one, and thirty trees 1.47–1.54 times (median
// of the ops of BenchmarkARFAgrawalSpeedup); BenchmarkARFBarrierCeiling
// shows that two forests sharing nothing but that per-record meeting reach
// only 1.23–1.26 there. Larger forests, and cores that exchange cache
// lines quickly, gain more.
//
// # Parameters by name
//
// The models registry (lib/models) builds the forest as "arf" from River's
// parameter names, e.g.
//
//	rivulet eval --model arf --param leaf_prediction=mc --param n_models=20 --param seed=42
//
// ("leaf_prediction=mc" is the original project's setting; River's default
// is "nba").
package forest
