// Package pyrand reproduces CPython's random.Random (MT19937) draw for draw:
// seeding from an integer, random, getrandbits, randbelow, randint, uniform,
// gauss, shuffle, sample and choice, plus River's Knuth Poisson sampler.
//
// River seeds every generator and model with random.Random(seed). With the
// same seed, a rivulet generator or model built on this package consumes the
// same numbers in the same order, which is what makes River's doctest values
// usable as golden tests. Go's math/rand would not match.
package pyrand
