package base

import "github.com/rivulet-ml/rivulet/lib/feature"

// Classifier is an online classifier.
type Classifier interface {
	// LearnOne updates the model with one record of class y (weight 1).
	LearnOne(x feature.Vector, y int)
	// LearnWeighted updates the model with one record of class y and weight w.
	LearnWeighted(x feature.Vector, y int, w float64)
	// PredictProbaOne writes the class distribution for x into dst (grown as
	// needed) and returns it; index c holds the probability of class c. It is
	// empty when the model has seen no class. Probabilities sum to 1.
	PredictProbaOne(x feature.Vector, dst []float64) []float64
	// PredictOne returns the most probable class, the lowest index on ties,
	// or -1 when the model has seen no class.
	PredictOne(x feature.Vector) int
}

// Regressor is an online regressor.
type Regressor interface {
	LearnOne(x feature.Vector, y float64)
	LearnWeighted(x feature.Vector, y float64, w float64)
	PredictOne(x feature.Vector) float64
}

// MemoryReporter is implemented by models that can account their memory.
type MemoryReporter interface {
	// MemoryBytes is an analytic estimate of the model's heap footprint.
	MemoryBytes() int64
}

// Cloner is implemented by models that can produce a fresh, untrained copy
// with the same hyper-parameters (River's clone()). Ensembles use it to build
// their members from a prototype.
type Cloner interface {
	CloneFresh() Classifier
}

// Seeder is implemented by models whose randomness can be re-seeded, which
// ensembles use to give members independent but reproducible streams.
type Seeder interface {
	Reseed(seed int64)
}

// Argmax returns the index of the largest value, the lowest index on ties,
// or -1 for an empty slice.
func Argmax(p []float64) int {
	best := -1
	bv := 0.0
	for i, v := range p {
		if best < 0 || v > bv {
			best, bv = i, v
		}
	}
	return best
}

// Grow returns dst resized to n entries, all zero, reusing its storage.
func Grow(dst []float64, n int) []float64 {
	if cap(dst) < n {
		dst = make([]float64, n)
		return dst
	}
	dst = dst[:n]
	clear(dst)
	return dst
}

// Normalize divides p by its sum in place. Like River's
// normalize_values_in_dict it leaves p unchanged when the sum is 0 or NaN.
func Normalize(p []float64) {
	s := 0.0
	for _, v := range p {
		s += v
	}
	if s == 0 || s != s {
		return
	}
	for i := range p {
		p[i] /= s
	}
}
