package serve

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// Model is one loaded model version.
//
// Models are not safe for concurrent use (a tree may cache values while it
// predicts), and the scoring loop and the HTTP handlers predict at the same
// time: every use goes through the model's mutex. Uncontended, it costs a
// few nanoseconds per record.
type Model struct {
	Meta
	LoadedAt time.Time

	mu  sync.Mutex
	clf base.Classifier
}

// newModel wraps a decoded snapshot.
func newModel(meta Meta, m snapshot.Model) (*Model, error) {
	clf, ok := m.(base.Classifier)
	if !ok {
		return nil, fmt.Errorf("snapshot kind %s is not a classifier", m.SnapshotKind())
	}
	return &Model{Meta: meta, LoadedAt: time.Now(), clf: clf}, nil
}

// PredictProba returns the class probabilities of x (River's
// predict_proba_one), reusing dst.
func (m *Model) PredictProba(x feature.Vector, dst []float64) []float64 {
	m.mu.Lock()
	dst = m.clf.PredictProbaOne(x, dst)
	m.mu.Unlock()
	return dst
}

// predictLearn predicts x, then learns it with label y.
func (m *Model) predictLearn(x feature.Vector, y int, dst []float64) []float64 {
	m.mu.Lock()
	dst = m.clf.PredictProbaOne(x, dst)
	m.clf.LearnOne(x, y)
	m.mu.Unlock()
	return dst
}

// Score is the probability of class 1 (malicious), or -1 when the model has
// seen no class yet (River's empty predict_proba_one; the original endpoint
// answered -1 without a model).
func Score(proba []float64) float64 {
	switch len(proba) {
	case 0:
		return -1
	case 1:
		return 0
	}
	return proba[1]
}

// models holds the served version, swapped atomically, and the newest few
// versions for requests that name one.
type versions struct {
	cur  atomic.Pointer[Model]
	mu   sync.Mutex
	byV  map[int64]*Model
	keep int
}

func newVersions(keep int) *versions {
	return &versions{byV: map[int64]*Model{}, keep: max(keep, 1)}
}

// current returns the served model, or nil before the first.
func (s *versions) current() *Model { return s.cur.Load() }

// add loads m. It becomes the served model when its version is newer than
// the served one (versions only move forward: a late or repeated older
// version is kept for requests naming it, never served). It reports
// whether m was swapped in and which version it replaced (-1: none).
func (s *versions) add(m *Model) (swapped bool, previous int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	previous = -1
	cur := s.cur.Load()
	if cur != nil {
		previous = cur.Version
	}
	if _, dup := s.byV[m.Version]; !dup {
		s.byV[m.Version] = m
	}
	if cur == nil || m.Version > cur.Version {
		s.cur.Store(m)
		swapped = true
	}
	// Keep the newest versions, and always the served one.
	if len(s.byV) > s.keep {
		vs := make([]int64, 0, len(s.byV))
		for v := range s.byV {
			vs = append(vs, v)
		}
		slices.Sort(vs)
		served := s.cur.Load().Version
		for _, v := range vs[:len(vs)-s.keep] {
			if v != served {
				delete(s.byV, v)
			}
		}
	}
	return swapped, previous
}

// version returns a loaded version.
func (s *versions) version(v int64) (*Model, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.byV[v]
	return m, ok
}

// loaded lists the loaded versions, ascending.
func (s *versions) loaded() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int64, 0, len(s.byV))
	for v := range s.byV {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}
