package feature

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"sync"
)

// Vector is one record's features. See the package documentation for the
// dense and sparse forms.
type Vector struct {
	Idx []int32
	Val []float64
	// look, if set, answers Get for this sparse vector by hashing (see
	// SparseLookup.Attach); copies made field by field drop it.
	look *SparseLookup
}

// Dense returns a dense vector over vals (not copied).
func Dense(vals []float64) Vector { return Vector{Val: vals} }

// Sparse returns a sparse vector over idx and vals (not copied). idx must be
// strictly ascending; Validate checks it.
func Sparse(idx []int32, vals []float64) Vector { return Vector{Idx: idx, Val: vals} }

// IsSparse reports whether v lists its present features explicitly.
func (v Vector) IsSparse() bool { return v.Idx != nil }

// Len is the number of stored entries (present or, for dense vectors, NaN).
func (v Vector) Len() int { return len(v.Val) }

// Get returns the value of feature i and whether it is present.
func (v Vector) Get(i int) (float64, bool) {
	if v.Idx == nil {
		if i < 0 || i >= len(v.Val) {
			return 0, false
		}
		x := v.Val[i]
		return x, !math.IsNaN(x)
	}
	if i < 0 || i > math.MaxInt32 {
		return 0, false
	}
	if v.look != nil {
		return v.look.get(int32(i))
	}
	// Sparse records are short (about a hundred entries); binary search.
	// (A branch-free variant measured slower here.)
	lo, hi := 0, len(v.Idx)
	t := int32(i)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if v.Idx[m] < t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(v.Idx) && v.Idx[lo] == t {
		return v.Val[lo], true
	}
	return 0, false
}

// At returns the feature index and value of the k-th stored entry, and
// whether that entry is present (dense NaN entries are missing).
func (v Vector) At(k int) (int, float64, bool) {
	x := v.Val[k]
	if v.Idx == nil {
		return k, x, !math.IsNaN(x)
	}
	return int(v.Idx[k]), x, true
}

// Range calls fn for each present feature in ascending index order.
func (v Vector) Range(fn func(i int, x float64)) {
	if v.Idx == nil {
		for i, x := range v.Val {
			if !math.IsNaN(x) {
				fn(i, x)
			}
		}
		return
	}
	for k, i := range v.Idx {
		fn(int(i), v.Val[k])
	}
}

// NumPresent counts the present features.
func (v Vector) NumPresent() int {
	if v.Idx != nil {
		return len(v.Idx)
	}
	n := 0
	for _, x := range v.Val {
		if !math.IsNaN(x) {
			n++
		}
	}
	return n
}

// MaxIndex is the largest feature index present, or -1.
func (v Vector) MaxIndex() int {
	if v.Idx != nil {
		if len(v.Idx) == 0 {
			return -1
		}
		return int(v.Idx[len(v.Idx)-1])
	}
	for i := len(v.Val) - 1; i >= 0; i-- {
		if !math.IsNaN(v.Val[i]) {
			return i
		}
	}
	return -1
}

// Keys appends the indices of the present features to dst, ascending.
func (v Vector) Keys(dst []int) []int {
	v.Range(func(i int, _ float64) { dst = append(dst, i) })
	return dst
}

// Clone returns a deep copy.
func (v Vector) Clone() Vector {
	c := Vector{Val: append([]float64(nil), v.Val...)}
	if v.Idx != nil {
		c.Idx = append([]int32{}, v.Idx...)
	}
	return c
}

// Validate reports a malformed vector: mismatched lengths or sparse indices
// that are negative or not strictly ascending.
func (v Vector) Validate() error {
	if v.Idx == nil {
		return nil
	}
	if len(v.Idx) != len(v.Val) {
		return fmt.Errorf("feature: sparse vector has %d indices but %d values", len(v.Idx), len(v.Val))
	}
	for k, i := range v.Idx {
		if i < 0 {
			return fmt.Errorf("feature: negative index %d at entry %d", i, k)
		}
		if k > 0 && i <= v.Idx[k-1] {
			return fmt.Errorf("feature: index %d at entry %d is not above the previous index %d", i, k, v.Idx[k-1])
		}
	}
	return nil
}

// FromMap builds a sparse vector from a map of feature index to value.
func FromMap(m map[int]float64) Vector {
	idx := make([]int32, 0, len(m))
	for i := range m {
		idx = append(idx, int32(i))
	}
	sort.Slice(idx, func(a, b int) bool { return idx[a] < idx[b] })
	val := make([]float64, len(idx))
	for k, i := range idx {
		val[k] = m[int(i)]
	}
	return Vector{Idx: idx, Val: val}
}

// Schema names features and records which are nominal. A nil *Schema is
// valid: features are then named by their index and all are numeric.
// Schema is safe for concurrent use.
type Schema struct {
	mu      sync.RWMutex
	names   []string
	index   map[string]int
	nominal map[int]bool
	codes   map[int]map[string]float64 // per nominal feature, category -> code
	cats    map[int][]string           // per nominal feature, code -> category
}

// NewSchema returns a schema over the given feature names.
func NewSchema(names ...string) *Schema {
	s := &Schema{index: map[string]int{}, nominal: map[int]bool{}}
	for _, n := range names {
		s.Add(n)
	}
	return s
}

// Add interns a feature name and returns its index.
func (s *Schema) Add(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.index == nil {
		s.index = map[string]int{}
		s.nominal = map[int]bool{}
	}
	if i, ok := s.index[name]; ok {
		return i
	}
	i := len(s.names)
	s.names = append(s.names, name)
	s.index[name] = i
	return i
}

// Index returns the index of a named feature. Numeric names that are not
// registered resolve to their number, so "17" means feature 17 in a sparse
// data set without a schema.
func (s *Schema) Index(name string) (int, bool) {
	if s != nil {
		s.mu.RLock()
		i, ok := s.index[name]
		s.mu.RUnlock()
		if ok {
			return i, true
		}
	}
	if n, err := strconv.Atoi(name); err == nil && n >= 0 {
		return n, true
	}
	return 0, false
}

// Name returns the name of feature i.
func (s *Schema) Name(i int) string {
	if s != nil {
		s.mu.RLock()
		defer s.mu.RUnlock()
		if i >= 0 && i < len(s.names) {
			return s.names[i]
		}
	}
	return strconv.Itoa(i)
}

// Names returns a copy of the registered names in index order.
func (s *Schema) Names() []string {
	if s == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]string(nil), s.names...)
}

// Len is the number of named features.
func (s *Schema) Len() int {
	if s == nil {
		return 0
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.names)
}

// SetNominal marks features as nominal by name. Unknown names are an error.
func (s *Schema) SetNominal(names ...string) error {
	for _, n := range names {
		i, ok := s.Index(n)
		if !ok {
			return fmt.Errorf("feature: unknown feature %q (known: %v)", n, s.Names())
		}
		s.mu.Lock()
		if s.nominal == nil {
			s.nominal = map[int]bool{}
		}
		s.nominal[i] = true
		s.mu.Unlock()
	}
	return nil
}

// IsNominal reports whether feature i is nominal.
func (s *Schema) IsNominal(i int) bool {
	if s == nil {
		return false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.nominal[i]
}

// Nominal returns the indices of the nominal features, ascending.
func (s *Schema) Nominal() []int {
	if s == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]int, 0, len(s.nominal))
	for i := range s.nominal {
		out = append(out, i)
	}
	sort.Ints(out)
	return out
}

// Code interns a string category of nominal feature i and returns its code.
// Codes are 0, 1, 2, ... in order of first appearance.
func (s *Schema) Code(i int, category string) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.codes == nil {
		s.codes = map[int]map[string]float64{}
		s.cats = map[int][]string{}
	}
	m := s.codes[i]
	if m == nil {
		m = map[string]float64{}
		s.codes[i] = m
	}
	if c, ok := m[category]; ok {
		return c
	}
	c := float64(len(s.cats[i]))
	m[category] = c
	s.cats[i] = append(s.cats[i], category)
	return c
}

// Category returns the string category behind a code, if one was interned.
func (s *Schema) Category(i int, code float64) (string, bool) {
	if s == nil {
		return "", false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.cats[i]
	k := int(code)
	if float64(k) != code || k < 0 || k >= len(c) {
		return "", false
	}
	return c[k], true
}

// Labels maps class labels (strings) to the dense class indices models use,
// in order of first appearance. It is safe for concurrent use.
type Labels struct {
	mu    sync.RWMutex
	names []string
	index map[string]int
}

// NewLabels returns a label set with the given labels pre-registered in order.
func NewLabels(names ...string) *Labels {
	l := &Labels{index: map[string]int{}}
	for _, n := range names {
		l.Index(n)
	}
	return l
}

// Index interns a label and returns its class index.
func (l *Labels) Index(name string) int {
	l.mu.RLock()
	i, ok := l.index[name]
	l.mu.RUnlock()
	if ok {
		return i
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.index == nil {
		l.index = map[string]int{}
	}
	if i, ok := l.index[name]; ok {
		return i
	}
	i = len(l.names)
	l.names = append(l.names, name)
	l.index[name] = i
	return i
}

// Lookup returns the class index of a label without interning it.
func (l *Labels) Lookup(name string) (int, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	i, ok := l.index[name]
	return i, ok
}

// Name returns the label of class i.
func (l *Labels) Name(i int) string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if i >= 0 && i < len(l.names) {
		return l.names[i]
	}
	return strconv.Itoa(i)
}

// Len is the number of known labels.
func (l *Labels) Len() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.names)
}
