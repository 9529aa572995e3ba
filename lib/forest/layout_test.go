package forest

import (
	"math"
	"testing"
	"unsafe"
)

// TestTeamLayout: the structures the caller and the team exchange fill
// whole cache lines, so that each costs one transfer between cores and
// none shares a line with another's (see memberRow and phaseData).
func TestTeamLayout(t *testing.T) {
	if n := unsafe.Sizeof(memberRow{}); n != 64 {
		t.Errorf("memberRow is %d bytes, want 64", n)
	}
	if n := unsafe.Sizeof(phaseData{}); n != 192 {
		t.Errorf("phaseData is %d bytes, want 192", n)
	}
}

// TestScheduleLearnPutsSplitAttemptsFirst: the members about to attempt a
// split lead their goroutine's share, the shares' counts of them differ by
// at most one, and every member is scheduled once.
func TestScheduleLearnPutsSplitAttemptsFirst(t *testing.T) {
	f, err := NewARFClassifier(WithSeed(1), WithWorkers(2))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.members = make([]*member, 10)
	f.allocScratch()
	// Members 0, 1, 3 and 4 (all in the first share) attempt a split with
	// their weights; member 2 would need a larger weight, member 7 has none.
	at := []float64{1, 2, 9, 3, 1, inf, inf, 1, inf, inf}
	ks := []int{1, 5, 4, 3, 2, 0, 6, 0, 1, 2}
	heavy := map[int32]bool{0: true, 1: true, 3: true, 4: true}
	for i := range f.rows {
		f.rows[i].splitAt = at[i]
		f.ks[i] = ks[i]
	}
	f.scheduleLearn()
	seen := map[int32]bool{}
	for _, i := range f.order {
		if seen[i] {
			t.Fatalf("order %v schedules %d twice", f.order, i)
		}
		seen[i] = true
	}
	if len(seen) != 10 {
		t.Fatalf("order %v misses members", f.order)
	}
	var counts []int
	for g := 0; g < 2; g++ {
		lo, hi := f.workers.Home(g, 10)
		n, light := 0, false
		for _, i := range f.order[lo:hi] {
			switch {
			case !heavy[i]:
				light = true
			case light:
				t.Fatalf("order %v: share %d has a split attempt after a plain update", f.order, g)
			default:
				n++
			}
		}
		counts = append(counts, n)
	}
	if counts[0] != 2 || counts[1] != 2 {
		t.Fatalf("order %v: split attempts per share %v, want [2 2]", f.order, counts)
	}
}

var inf = math.Inf(1)
