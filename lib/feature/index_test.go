package feature

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSlotIndexAgainstMap interns a mix of small, mid-range and hashed
// indices and checks every slot against a plain map, across the direct
// table's growth and the hash table's rehashes.
func TestSlotIndexAgainstMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var s SlotIndex
	want := map[int]int{}
	var order []int32
	for range 40000 {
		var i int
		switch rng.IntN(4) {
		case 0:
			i = rng.IntN(200)
		case 1:
			i = rng.IntN(1 << 16)
		case 2:
			i = rng.IntN(1 << 17) // straddles the direct limit
		default:
			i = rng.IntN(3_231_962) // MaliciousURL's range
		}
		slot, isNew := s.Intern(i)
		w, seen := want[i]
		if isNew == seen {
			t.Fatalf("Intern(%d): isNew %v, but seen before %v", i, isNew, seen)
		}
		if !seen {
			w = len(want)
			want[i] = w
			order = append(order, int32(i))
		}
		if slot != w {
			t.Fatalf("Intern(%d) = slot %d, want %d", i, slot, w)
		}
	}
	if s.Len() != len(want) || !slices.Equal(s.Features(), order) {
		t.Fatalf("Len %d, want %d; features in first-seen order: %v", s.Len(), len(want), slices.Equal(s.Features(), order))
	}
	for i, w := range want {
		if got, ok := s.Lookup(i); !ok || got != w || s.Feature(got) != i {
			t.Fatalf("Lookup(%d) = %d, %v; want %d", i, got, ok, w)
		}
	}
	for _, i := range []int{-1, -1 << 40, 1 << 40, 3_231_962, 1 << 16} {
		if _, seen := want[i]; seen {
			continue
		}
		if got, ok := s.Lookup(i); ok || got != -1 {
			t.Errorf("Lookup(%d) of an unseen index = %d, %v", i, got, ok)
		}
	}
	// Slots resolves a batch the same way, unseen indices included.
	batch := append([]int32{-5, 1 << 30}, order[:500]...)
	slots := make([]int32, len(batch))
	s.Slots(batch, slots)
	for k, i := range batch {
		if want, _ := s.Lookup(int(i)); int(slots[k]) != want {
			t.Fatalf("Slots: index %d -> %d, Lookup says %d", i, slots[k], want)
		}
	}
	if s.far == 0 || len(s.direct) == 0 {
		t.Errorf("the test should exercise both tables: %d hashed, direct length %d", s.far, len(s.direct))
	}

	var r SlotIndex
	if err := r.Restore(s.Features()); err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		if got, ok := r.Lookup(i); !ok || got != w {
			t.Fatalf("restored Lookup(%d) = %d, %v; want %d", i, got, ok, w)
		}
	}
}

// TestSlotIndexMemory checks that the footprint follows the number of
// distinct features, not the largest index: MaliciousURL-like indices up
// to 3.2 million must not cost a table of millions of entries.
func TestSlotIndexMemory(t *testing.T) {
	for _, n := range []int{10, 1000, 15000, 100000} {
		rng := rand.New(rand.NewPCG(uint64(n), 1))
		var s SlotIndex
		for s.Len() < n {
			i := rng.IntN(3_231_962)
			if rng.IntN(2) == 0 {
				i = rng.IntN(1 << 16)
			}
			s.Intern(i)
		}
		// ≤ 32 B of direct table, ≤ 32 B of hash cells and ≤ 8 B of slot
		// list per feature, beyond the direct table's fixed 4 kB.
		if limit := int64(72*n + 4*slotDirectMin + 64); s.MemoryBytes() > limit {
			t.Errorf("%d features: %d bytes, want at most %d", n, s.MemoryBytes(), limit)
		}
	}
}

// TestSlotIndexDenseStaysDirect: a dense stream of up to a thousand
// features resolves every index through the direct table.
func TestSlotIndexDenseStaysDirect(t *testing.T) {
	var s SlotIndex
	for i := range slotDirectMin {
		if slot, isNew := s.Intern(i); slot != i || !isNew {
			t.Fatalf("Intern(%d) = %d, %v", i, slot, isNew)
		}
	}
	if s.far != 0 || len(s.table) != 0 {
		t.Errorf("dense indices were hashed: %d entries", s.far)
	}
	if s.IdentityPrefix() != slotDirectMin {
		t.Errorf("IdentityPrefix = %d, want %d", s.IdentityPrefix(), slotDirectMin)
	}
}

func TestSlotIndexIdentityPrefix(t *testing.T) {
	var s SlotIndex
	for k, c := range []struct{ intern, want int }{
		{0, 1}, {1, 2}, {1, 2}, {5, 2}, {2, 2}, {3, 2},
	} {
		s.Intern(c.intern)
		if got := s.IdentityPrefix(); got != c.want {
			t.Fatalf("step %d: after Intern(%d), IdentityPrefix = %d, want %d", k, c.intern, got, c.want)
		}
	}
	s.Reset()
	if s.IdentityPrefix() != 0 {
		t.Error("Reset kept the identity prefix")
	}
	s.Intern(0)
	if s.IdentityPrefix() != 1 {
		t.Error("the identity prefix does not restart after Reset")
	}
}

func TestSlotIndexNoAllocs(t *testing.T) {
	var s SlotIndex
	idx := []int{3, 70000, 2_000_000, 500, 3_231_961}
	for _, i := range idx {
		s.Intern(i)
	}
	allocs := testing.AllocsPerRun(100, func() {
		for _, i := range idx {
			s.Intern(i)
			s.Lookup(i + 1)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per lookup round, want 0", allocs)
	}
}

func TestSlotIndexRestoreErrors(t *testing.T) {
	var s SlotIndex
	if err := s.Restore([]int32{4, 1 << 20, 4}); err == nil {
		t.Error("repeated index accepted")
	}
	if err := s.Restore([]int32{4, -2}); err == nil {
		t.Error("negative index accepted")
	}
	if err := s.Restore([]int32{9, 1 << 20}); err != nil || s.Len() != 2 {
		t.Errorf("Restore after a failure: %v, %d features", err, s.Len())
	}
	if _, ok := s.Lookup(4); ok {
		t.Error("Restore kept a feature of the previous contents")
	}
}

func TestSlotIndexInternPanicsOnNegative(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Intern(-1) did not panic")
		}
	}()
	var s SlotIndex
	s.Intern(-1)
}

func ExampleSlotIndex() {
	var s SlotIndex
	for _, i := range []int{3_231_961, 7, 3_231_961, 42} {
		slot, isNew := s.Intern(i)
		fmt.Println(i, "->", slot, isNew)
	}
	_, ok := s.Lookup(8)
	fmt.Println(s.Len(), s.Features(), ok)
	// Output:
	// 3231961 -> 0 true
	// 7 -> 1 true
	// 3231961 -> 0 false
	// 42 -> 2 true
	// 3 [3231961 7 42] false
}

// BenchmarkSlotIndexLookup: the lookups of one MaliciousURL-like record
// (about 110 indices, most small, some hashed) in an index of 15000
// features.
func BenchmarkSlotIndexLookup(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 3))
	var s SlotIndex
	for s.Len() < 15000 {
		if rng.IntN(2) == 0 {
			s.Intern(rng.IntN(1 << 16))
		} else {
			s.Intern(rng.IntN(3_231_962))
		}
	}
	rec := make([]int, 0, 110)
	for range 80 {
		rec = append(rec, int(s.Feature(rng.IntN(200))))
	}
	for range 30 {
		rec = append(rec, int(s.Feature(rng.IntN(s.Len()))))
	}
	b.ReportAllocs()
	sum := 0
	for b.Loop() {
		for _, i := range rec {
			slot, _ := s.Lookup(i)
			sum += slot
		}
	}
	_ = sum
}
