package forest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MaxFeatures is ARF's max_features: how many features each leaf of a
// member tree observes. Build one with MaxFeaturesSqrt, MaxFeaturesLog2,
// MaxFeaturesCount, MaxFeaturesFraction or MaxFeaturesAll, or parse River's
// spelling with ParseMaxFeatures.
type MaxFeatures struct {
	kind     maxFeaturesKind
	count    int
	fraction float64
}

type maxFeaturesKind uint8

const (
	maxFeaturesSqrt maxFeaturesKind = iota
	maxFeaturesLog2
	maxFeaturesCount
	maxFeaturesFraction
	maxFeaturesAll
)

// MaxFeaturesSqrt is "sqrt", River's default: round(√M) with Python's
// round (half to even).
var MaxFeaturesSqrt = MaxFeatures{kind: maxFeaturesSqrt}

// MaxFeaturesLog2 is "log2": round(log2 M).
var MaxFeaturesLog2 = MaxFeatures{kind: maxFeaturesLog2}

// MaxFeaturesAll is None: every feature.
var MaxFeaturesAll = MaxFeatures{kind: maxFeaturesAll}

// MaxFeaturesCount is an int max_features: n features (M+n when negative).
func MaxFeaturesCount(n int) MaxFeatures { return MaxFeatures{kind: maxFeaturesCount, count: n} }

// MaxFeaturesFraction is a float max_features: int(f·M), truncated toward
// zero as Python's int().
func MaxFeaturesFraction(f float64) MaxFeatures {
	return MaxFeatures{kind: maxFeaturesFraction, fraction: f}
}

// ParseMaxFeatures reads "sqrt", "log2", "none", an int ("3", "-2") or a
// float ("0.6"). As in Python, "1" is an int and "1.0" a float.
func ParseMaxFeatures(s string) (MaxFeatures, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "sqrt":
		return MaxFeaturesSqrt, nil
	case "log2":
		return MaxFeaturesLog2, nil
	case "none", "all":
		return MaxFeaturesAll, nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		return MaxFeaturesCount(n), nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return MaxFeaturesFraction(f), nil
	}
	return MaxFeatures{}, fmt.Errorf("max_features %q: want sqrt, log2, none, an int or a float", s)
}

// String is River's spelling.
func (f MaxFeatures) String() string {
	switch f.kind {
	case maxFeaturesLog2:
		return "log2"
	case maxFeaturesCount:
		return strconv.Itoa(f.count)
	case maxFeaturesFraction:
		s := strconv.FormatFloat(f.fraction, 'g', -1, 64)
		if !strings.ContainsAny(s, ".e") {
			s += ".0"
		}
		return s
	case maxFeaturesAll:
		return "None"
	}
	return "sqrt"
}

// resolve is BaseForest._set_max_features for m features: the rule, then
// negative → +M, at least 1, at most M.
func (f MaxFeatures) resolve(m int) int {
	var k int
	switch f.kind {
	case maxFeaturesSqrt:
		k = int(math.RoundToEven(math.Sqrt(float64(m))))
	case maxFeaturesLog2:
		k = int(math.RoundToEven(math.Log2(float64(m))))
	case maxFeaturesCount:
		k = f.count
	case maxFeaturesFraction:
		k = int(math.Trunc(f.fraction * float64(m)))
	default:
		k = m
	}
	if k < 0 {
		k += m
	}
	if k <= 0 {
		k = 1
	}
	if k > m {
		k = m
	}
	return k
}
