package naivebayes

import (
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// directLimit bounds the feature indices resolved through a plain table;
// larger indices (hashed features, say) go through a map.
const directLimit = 1 << 24

// featureSlots interns feature indices into dense slots 0, 1, 2, ... in
// first-seen order, so per-class statistics are compact arrays whatever
// the index range (MaliciousURL's indices reach 3.2 million while a model
// sees far fewer distinct features early on). The slot order is River's
// feature_counts order.
type featureSlots struct {
	direct []int32 // feature index -> slot+1 (0: unseen), for indices < directLimit
	far    map[int32]int32
	feat   []int32 // slot -> feature index
}

func (s *featureSlots) len() int { return len(s.feat) }

// lookup returns the slot of feature i.
func (s *featureSlots) lookup(i int) (int, bool) {
	if i < len(s.direct) {
		v := s.direct[i]
		return int(v) - 1, v != 0
	}
	if i < directLimit || s.far == nil {
		return 0, false
	}
	v, ok := s.far[int32(i)]
	return int(v), ok
}

// intern returns the slot of feature i, creating it if needed.
func (s *featureSlots) intern(i int) (slot int, isNew bool) {
	if slot, ok := s.lookup(i); ok {
		return slot, false
	}
	slot = len(s.feat)
	s.feat = append(s.feat, int32(i))
	if i < directLimit {
		if i >= len(s.direct) {
			n := max(i+1, 2*len(s.direct), 64)
			n = min(n, directLimit)
			d := make([]int32, n)
			copy(d, s.direct)
			s.direct = d
		}
		s.direct[i] = int32(slot + 1)
	} else {
		if s.far == nil {
			s.far = map[int32]int32{}
		}
		s.far[int32(i)] = int32(slot)
	}
	return slot, true
}

func (s *featureSlots) memoryBytes() int64 {
	return int64(4*cap(s.direct) + 4*cap(s.feat) + 16*len(s.far))
}

func (s *featureSlots) encode(e *snapshot.Encoder) { e.Int32s(s.feat) }

// decode rebuilds the table from the slot -> index list.
func (s *featureSlots) decode(d *snapshot.Decoder) {
	feat := d.Int32s()
	if d.Err() != nil {
		return
	}
	for _, i := range feat {
		if i < 0 {
			d.Fail("naive Bayes: negative feature index %d", i)
			return
		}
		if _, isNew := s.intern(int(i)); !isNew {
			d.Fail("naive Bayes: feature %d listed twice", i)
			return
		}
	}
}
