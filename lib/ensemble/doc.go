// Package ensemble holds River's online ensembles: Streaming Random Patches
// (SRPClassifier), leveraging bagging and ADWIN bagging, plus the pieces
// the random forest of lib/forest shares with them (a worker team for
// member-parallel learning, per-member accuracy and drift-detector
// bookkeeping, nested snapshots).
//
// # Streaming Random Patches
//
// SRPClassifier follows River 0.26.1's ensemble.SRPClassifier and its
// defaults: n_models 10, subspace_size 0.6, training_method "patches",
// lam 6, ADWIN(1e-5) drift and ADWIN(1e-4) warning detectors, votes
// weighted by each member's accuracy, and a Hoeffding tree
// (grace_period 50, delta 0.01) as base model. Any classifier that can be
// cloned and snapshotted can be the base: Hoeffding trees, Hoeffding
// adaptive trees, Gaussian or Bernoulli naive Bayes, other ensembles.
//
// With a seed, an SRPClassifier draws the same random numbers as River's in
// the same order (lib/pyrand): the Poisson weights, the subspaces (the
// first n_models k-combinations in lexicographic order when there are at
// most 20 features, rng.sample otherwise, assigned to members by
// rng.shuffle) and the new subspaces of background learners and resets.
// The tests replay River runs prediction for prediction.
//
// River quirks kept on purpose:
//   - The subspaces come from the first record's features; later records
//     are projected on them, and new subspaces on a warning or reset are
//     drawn from the current record's features.
//   - River trains a member drawn k times by calling learn_one k times. That
//     is the default here, for parity; WithWeightedLearning(true) uses MOA's
//     single update of weight k instead, which is faster with trees (2-3×
//     with Hoeffding adaptive trees on MaliciousURL) and, for naive Bayes,
//     whose statistics are additive, the same model up to rounding.
//   - The first prediction builds the ensemble (and draws its subspaces), as
//     River's predict_proba_one does.
//   - A member reset without a background learner keeps its warning
//     detector's state; members whose prediction is None do not update
//     their accuracy.
//   - Ties between classes go where River's max(dict) sends them: to the
//     class a naive Bayes member saw first (when the model reports its order
//     through ClassOrderer), else to the lowest class.
//
// Departures from River: an int subspace_size below 0 means M+n features as
// River documents (River's code raises ValueError for it); a projected
// record lists its features by index rather than in subspace order, which
// can only change floating-point summation order in the base model.
//
// # Leveraging bagging and ADWIN bagging
//
// LeveragingBagging and ADWINBagging follow River's classes of the same
// names (Poisson(w=6) or Poisson(1) repetitions, an ADWIN per member, the
// member with the largest ADWIN estimate replaced by a fresh clone when a
// member's estimate rises); seeded runs replay River's. River 0.26.1 quirks:
// ADWINBaggingClassifier feeds its detectors whether the member was right
// (so it replaces its most accurate member) — kept; the "half" and "me"
// bagging methods call methods random.Random lacks and raise — here they
// work as the algorithm describes (1 − randint(0, 1); random() <
// err/(1−err)).
//
// # Interfaces for base models
//
// ClassOrderer (the order a model first saw its classes, which breaks
// River's ties) and RepetitionInvariant (one update of weight k equals k
// unit updates, so River's repeated training can be done in one call) are
// optional methods a base model may have. An ensemble predicting and then
// learning the same record reuses the members' distributions from the
// prediction (RecordMemo) instead of predicting again; the result is the
// same.
//
// # Parallel members
//
// WithWorkers(n) lets members learn and predict on n goroutines (a Workers
// team started once, not a goroutine per record). The result does not
// depend on n: random numbers are drawn on the calling goroutine in River's
// order and members share no mutable state while they run. Since a
// member's detectors may draw a new subspace after it trains, members are
// trained in segments that end at the first member whose detector can fire
// on this record; ADWIN only tests for a change every clock (32) updates,
// so segments are usually the whole ensemble.
//
// # Parameters by name
//
// The models registry (lib/models) knows "srp" and the presets "srp-hat"
// and "srp-nb" of the original project. The base model and its parameters
// are given with a "model." prefix:
//
//	rivulet eval --model srp --param model=hat --param model.grace_period=100 --param n_models=5
//
// model names any registered classifier ("ht", "hat", "gaussian-nb",
// "bernoulli-nb", ...; River's class names work too).
package ensemble
