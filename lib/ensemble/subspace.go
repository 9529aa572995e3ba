package ensemble

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

// SubspaceSize is SRP's subspace_size: how many of the M features each
// member sees. Build one with SubspaceFraction, SubspaceCount,
// SubspaceSqrt or SubspaceRmSqrt, or parse River's spelling with
// ParseSubspaceSize.
type SubspaceSize struct {
	kind     subspaceKind
	fraction float64
	count    int
}

type subspaceKind uint8

const (
	subspaceFraction subspaceKind = iota
	subspaceCount
	subspaceSqrt
	subspaceRmSqrt
)

// SubspaceFraction is a float subspace_size p in (0, 1]: k = round(M·p)
// (Python's round, half to even), plus one when that is below 2.
func SubspaceFraction(p float64) SubspaceSize {
	return SubspaceSize{kind: subspaceFraction, fraction: p}
}

// SubspaceCount is an int subspace_size: k = n for n > 2. A negative n
// means M+n features. River documents the negative form but its code
// raises ValueError for it (only ints above 2 pass its type checks); here
// it works as documented. 0, 1 and 2 are rejected, as in River.
func SubspaceCount(n int) SubspaceSize { return SubspaceSize{kind: subspaceCount, count: n} }

// SubspaceSqrt is "sqrt": k = round(√M) + 1.
var SubspaceSqrt = SubspaceSize{kind: subspaceSqrt}

// SubspaceRmSqrt is "rmsqrt": k = M − round(√M) + 1.
var SubspaceRmSqrt = SubspaceSize{kind: subspaceRmSqrt}

// ParseSubspaceSize reads River's spellings: "sqrt", "rmsqrt", an integer
// ("5", "-3") or a float ("0.6", "1.0"). As in Python, "1" is an int (and
// invalid) while "1.0" is the float 1.0 (all features: resampling).
func ParseSubspaceSize(s string) (SubspaceSize, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "sqrt":
		return SubspaceSqrt, nil
	case "rmsqrt":
		return SubspaceRmSqrt, nil
	}
	var z SubspaceSize
	if n, err := strconv.Atoi(s); err == nil {
		z = SubspaceCount(n)
	} else if f, err := strconv.ParseFloat(s, 64); err == nil {
		z = SubspaceFraction(f)
	} else {
		return z, fmt.Errorf("subspace_size %q: want a float in (0, 1], an int > 2 or negative, sqrt or rmsqrt", s)
	}
	return z, z.validate()
}

func (z SubspaceSize) validate() error {
	switch z.kind {
	case subspaceFraction:
		if !(z.fraction > 0 && z.fraction <= 1) {
			return fmt.Errorf("subspace_size %v: a float must be in (0, 1]", z.fraction)
		}
	case subspaceCount:
		if z.count >= 0 && z.count <= 2 {
			return fmt.Errorf("subspace_size %d: an int must be above 2 (or negative for M-n)", z.count)
		}
	}
	return nil
}

// String is River's spelling of the size.
func (z SubspaceSize) String() string {
	switch z.kind {
	case subspaceCount:
		return strconv.Itoa(z.count)
	case subspaceSqrt:
		return "sqrt"
	case subspaceRmSqrt:
		return "rmsqrt"
	}
	s := strconv.FormatFloat(z.fraction, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0" // keep it a Python float
	}
	return s
}

// size is k for m features, before the "k < 0 → M+k" rule
// (BaseSRPEnsemble._generate_subspaces, step 1).
func (z SubspaceSize) size(m int) int {
	switch z.kind {
	case subspaceFraction:
		k := int(math.RoundToEven(float64(m) * z.fraction))
		if k < 2 {
			k++
		}
		return k
	case subspaceCount:
		return z.count
	case subspaceSqrt:
		return int(math.RoundToEven(math.Sqrt(float64(m)))) + 1
	default:
		return m - int(math.RoundToEven(math.Sqrt(float64(m)))) + 1
	}
}

// generateSubspaces is River's _generate_subspaces for the features of the
// first record (in River's dict order, which is ascending index order for
// rivulet vectors). It returns nil subspaces and fallback=true when the
// ensemble must fall back to resampling with all features (k == 0 or
// k >= M). For M <= 20 (or k < 2) the subspaces are the first nModels
// k-combinations of the features in lexicographic order, cycled; otherwise
// each is rng.sample(features, k).
func generateSubspaces(features []int, z SubspaceSize, nModels int, rng *pyrand.Rand) (subspaces [][]int, fallback bool) {
	m := len(features)
	k := z.size(m)
	if k < 0 {
		k += m
	}
	// A negative count larger than M leaves k < 0: River would build
	// combinations of negative size; treat it as "no subspace" instead.
	if k <= 0 || k >= m {
		return nil, true
	}
	subspaces = make([][]int, 0, nModels)
	if m <= 20 || k < 2 {
		if k == 1 && m > 2 {
			k = 2
		}
		comb := make([]int, k) // positions, lexicographic order
		for i := range comb {
			comb[i] = i
		}
		for len(subspaces) < nModels {
			s := make([]int, k)
			for i, p := range comb {
				s[i] = features[p]
			}
			subspaces = append(subspaces, s)
			if !nextCombination(comb, m) {
				for i := range comb { // itertools.cycle starts over
					comb[i] = i
				}
			}
		}
		return subspaces, false
	}
	for range nModels {
		subspaces = append(subspaces, randomSubspace(features, k, rng))
	}
	return subspaces, false
}

// nextCombination advances comb (ascending positions in [0, m)) to the next
// combination in lexicographic order and reports false after the last.
func nextCombination(comb []int, m int) bool {
	k := len(comb)
	i := k - 1
	for i >= 0 && comb[i] == m-k+i {
		i--
	}
	if i < 0 {
		return false
	}
	comb[i]++
	for j := i + 1; j < k; j++ {
		comb[j] = comb[j-1] + 1
	}
	return true
}

// randomSubspace is River's random_subspace: rng.sample(features, min(M, k)).
func randomSubspace(features []int, k int, rng *pyrand.Rand) []int {
	k = min(k, len(features))
	idx := rng.SampleIndices(len(features), k)
	out := make([]int, k)
	for i, j := range idx {
		out[i] = features[j]
	}
	return out
}
