// Package synth generates synthetic data streams: River's classic
// generators and the linear-model stream of the original sender notebook
// (y = B x + w with B drawn once from a normal-Wishart prior).
// NormalWishart.CheckMoments and CheckNormalWishart compare a prior's
// sample moments with theory (notebook 01's check of the two samplers).
//
// Every generator is seedable: the same seed gives the same stream.
//
// # River's generators
//
// Agrawal, SEA, Hyperplane, RandomRBF, RandomRBFDrift, LED, LEDDrift,
// STAGGER and ConceptDriftStream re-create river.datasets.synth (River
// 0.26.1) with the same parameters, defaults, feature names and order of
// random draws. They draw from lib/pyrand, a CPython-compatible Mersenne
// Twister, so a generator given River's seed produces River's records bit
// for bit; the tests compare 10,000 records of each against River. The one
// exception is in RandomRBF's last bits (see RandomRBF).
//
// All of them implement Stream: Next(x) fills a caller-owned buffer and
// returns the class, allocating nothing, and Take adapts a Stream to a
// range-over-func loop of feature.Vector values:
//
//	g, _ := synth.NewAgrawal(synth.Seed(42), synth.ClassificationFunction(2))
//	for x, y := range synth.Take(g, 1000) {
//		model.LearnOne(x, y)
//	}
//
// Parameters are Options named after River's constructor arguments (Seed,
// Variant, NoisePercentage, ...). New and ParseOption build generators from
// names and strings ("agrawal", "classification_function=2"), which is how
// the CLI's --stream and --stream-param reach them.
//
// Labels are class indices: River's bools are False = 0 and True = 1, its
// ints are kept. Features are float64 in River's dict order; the schema
// names them with River's keys ("salary", ..., or "0", "1", ... for int
// keys). Features that River documents as categorical are listed by
// Stream.Nominal but not marked nominal in the schema, because River's
// models treat the ints these generators emit as numbers unless given
// nominal_attributes.
//
// Differences from River are deliberate and documented where they occur:
// a Stream continues where it stopped instead of restarting when iterated
// again (Reset restarts it); an unseeded generator draws its seed once, so
// Reset replays it; parameter values River would only fail on later
// (IndexError, ZeroDivisionError) are rejected by the constructors; and
// ConceptDriftStream does not overflow far before its change.
package synth
