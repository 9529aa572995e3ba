package feature

import (
	"fmt"
	"math"
	"math/bits"
)

// Bounds of the direct table of a SlotIndex.
const (
	// slotDirectMax bounds the indices a SlotIndex may resolve by plain
	// array access (256 kB of table at most); larger indices, such as
	// MaliciousURL's hashed features up to 3.2 million, are hashed.
	slotDirectMax = 1 << 16
	// slotDirectMin is the table length granted whatever the number of
	// features, so dense streams of up to a thousand features never hash.
	slotDirectMin = 1 << 10
	// slotDirectSpread caps the table at this many entries per interned
	// feature, so a sparse stream whose small indices are scattered pays
	// a few bytes per feature, not a table sized by its largest index.
	slotDirectSpread = 8
)

// slotEntry is one cell of the open-addressing table; key −1 is empty.
type slotEntry struct{ key, slot int32 }

// SlotIndex interns feature indices into dense slots 0, 1, 2, ... in
// first-seen order, so a model keeps per-feature statistics in compact
// arrays indexed by slot. Its memory grows with the number of distinct
// features interned, not with the largest index: small indices resolve
// through a direct table (one load, no hashing), which only grows while it
// stays within a few entries per interned feature, and the others through
// an open-addressing hash table with linear probing kept at most half full.
// Lookups of interned features never allocate.
//
// The zero value is an empty index, ready to use. A SlotIndex is not safe
// for concurrent mutation; concurrent lookups are safe.
type SlotIndex struct {
	// direct[i] is slot+1 for an interned index i < len(direct), 0 for an
	// index not interned. Every interned index below len(direct) is here,
	// and only here.
	direct []int32
	table  []slotEntry // len 0 or a power of two
	shift  uint8       // 32 − log2(len(table)), for Fibonacci hashing
	far    int         // entries in table
	feats  []int32     // slot -> feature index
	ident  int         // IdentityPrefix
}

// Len is the number of interned features.
func (s *SlotIndex) Len() int { return len(s.feats) }

// Features returns the interned feature indices in slot order. The slice
// is the index's own storage: read it, do not modify or keep it across
// calls to Intern.
func (s *SlotIndex) Features() []int32 { return s.feats }

// Feature returns the feature index interned at slot.
func (s *SlotIndex) Feature(slot int) int { return int(s.feats[slot]) }

// hash spreads i over the table (Fibonacci hashing: hashed feature indices
// are often multiples of a power of two, which the multiplication mixes
// into the high bits kept).
func (s *SlotIndex) hash(i int32) int {
	return int((uint32(i) * 0x9E3779B9) >> s.shift)
}

// Slot returns the slot of feature i, or −1 if i was never interned. A
// direct-table hit is inlined at the call site.
func (s *SlotIndex) Slot(i int) int {
	if uint(i) < uint(len(s.direct)) {
		return int(s.direct[i]) - 1
	}
	return s.slotFar(i)
}

// Lookup is Slot with a found flag: (slot, true), or (−1, false) if i was
// never interned.
func (s *SlotIndex) Lookup(i int) (slot int, ok bool) {
	slot = s.Slot(i)
	return slot, slot >= 0
}

// slotFar probes the hash table. It is kept out of line so that Slot stays
// small enough to inline.
//
//go:noinline
func (s *SlotIndex) slotFar(i int) int {
	if s.far == 0 || i < 0 || i > math.MaxInt32 {
		return -1
	}
	mask := len(s.table) - 1
	for h := s.hash(int32(i)); ; h = (h + 1) & mask {
		e := s.table[h]
		if e.key == int32(i) {
			return int(e.slot)
		}
		if e.key < 0 {
			return -1
		}
	}
}

// Slots writes the slot of each index of idx (−1 for one never interned)
// into dst[:len(idx)], which must be that long. Resolving a whole record
// in one loop lets the processor overlap the cache misses of independent
// lookups, which matters when the hash table outgrows the caches.
func (s *SlotIndex) Slots(idx []int32, dst []int32) {
	dst = dst[:len(idx)]
	direct := s.direct
	mask := len(s.table) - 1
	for k, i := range idx {
		if uint(i) < uint(len(direct)) {
			dst[k] = direct[i] - 1
			continue
		}
		slot := int32(-1)
		if s.far != 0 && i >= 0 {
			for h := s.hash(i); ; h = (h + 1) & mask {
				e := s.table[h]
				if e.key == i {
					slot = e.slot
					break
				}
				if e.key < 0 {
					break
				}
			}
		}
		dst[k] = slot
	}
}

// IdentityPrefix is the largest n such that features 0, ..., n−1 are
// interned at slots 0, ..., n−1: the common case of a dense stream whose
// first record has no missing value. A model may index its per-slot arrays
// by feature directly below it, with no lookup at all.
func (s *SlotIndex) IdentityPrefix() int { return s.ident }

// Intern returns the slot of feature i, giving it the next slot if it is
// new. It panics on an index outside [0, MaxInt32], which no Vector holds.
func (s *SlotIndex) Intern(i int) (slot int, isNew bool) {
	if slot, ok := s.Lookup(i); ok {
		return slot, false
	}
	if i < 0 || i > math.MaxInt32 {
		panic(fmt.Sprintf("feature: index %d outside [0, %d]", i, math.MaxInt32))
	}
	slot = len(s.feats)
	s.feats = append(s.feats, int32(i))
	s.place(i, slot)
	if slot == s.ident && i == slot {
		s.ident++
	}
	return slot, true
}

// place records a new index i at slot.
func (s *SlotIndex) place(i, slot int) {
	if i < len(s.direct) {
		s.direct[i] = int32(slot + 1)
		return
	}
	if i < slotDirectMax {
		n := max(slotDirectMin, 1<<bits.Len(uint(i)))
		if n <= max(slotDirectMin, slotDirectSpread*len(s.feats)) {
			s.growDirect(n)
			s.direct[i] = int32(slot + 1)
			return
		}
	}
	s.insertFar(int32(i), int32(slot))
}

// growDirect extends the direct table to n entries and moves the hashed
// indices it now covers into it. It runs at most log2(slotDirectMax /
// slotDirectMin) + 1 times over the index's life.
func (s *SlotIndex) growDirect(n int) {
	d := make([]int32, n)
	copy(d, s.direct)
	s.direct = d
	if s.far == 0 {
		return
	}
	old := s.table
	s.table, s.far = make([]slotEntry, len(old)), 0
	fillEmpty(s.table)
	for _, e := range old {
		switch {
		case e.key < 0:
		case int(e.key) < n:
			d[e.key] = e.slot + 1
		default:
			s.insertFar(e.key, e.slot)
		}
	}
}

func fillEmpty(t []slotEntry) {
	for k := range t {
		t[k] = slotEntry{key: -1}
	}
}

// insertFar adds a key known to be absent to the hash table.
func (s *SlotIndex) insertFar(key, slot int32) {
	if 2*(s.far+1) > len(s.table) {
		s.rehash(max(16, 2*len(s.table)))
	}
	mask := len(s.table) - 1
	h := s.hash(key)
	for s.table[h].key >= 0 {
		h = (h + 1) & mask
	}
	s.table[h] = slotEntry{key, slot}
	s.far++
}

// rehash moves the hash table to n cells (a power of two).
func (s *SlotIndex) rehash(n int) {
	old := s.table
	s.table = make([]slotEntry, n)
	fillEmpty(s.table)
	s.shift = uint8(32 - bits.TrailingZeros(uint(n)))
	s.far = 0
	for _, e := range old {
		if e.key >= 0 {
			s.insertFar(e.key, e.slot)
		}
	}
}

// Reset forgets every feature, keeping the storage for reuse.
func (s *SlotIndex) Reset() {
	clear(s.direct)
	fillEmpty(s.table)
	s.far = 0
	s.feats = s.feats[:0]
	s.ident = 0
}

// Restore resets the index and interns feats in order, so that feats[k]
// gets slot k: the inverse of Features, for decoding a snapshot. It fails
// on a negative or repeated index.
func (s *SlotIndex) Restore(feats []int32) error {
	s.Reset()
	for _, i := range feats {
		if i < 0 {
			return fmt.Errorf("feature: negative feature index %d", i)
		}
		if _, isNew := s.Intern(int(i)); !isNew {
			return fmt.Errorf("feature: feature index %d listed twice", i)
		}
	}
	return nil
}

// MemoryBytes is the heap footprint of the index.
func (s *SlotIndex) MemoryBytes() int64 {
	return 64 + 4*int64(cap(s.direct)) + 8*int64(cap(s.table)) + 4*int64(cap(s.feats))
}
