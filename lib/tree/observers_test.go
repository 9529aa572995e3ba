package tree

import "testing"

// TestObserverSlotsAcrossLookupStructures: feature → slot lookups stay
// right as a leaf's sparse features move from the short list to the map,
// mixed with dense-range features, and absent features are never found.
func TestObserverSlotsAcrossLookupStructures(t *testing.T) {
	o := newObservers(2)
	want := map[int32]int{}
	for i := range 3 * sparseListLimit {
		f := int32(denseSlotLimit + 7*i + 3)
		if i%5 == 0 {
			f = int32(i) // dense range
		}
		want[f] = o.addSlot(f, slotNumeric)
		for g, s := range want {
			if got := o.slot(g); got != s {
				t.Fatalf("after %d slots: feature %d in slot %d, want %d", i+1, g, got, s)
			}
		}
		for _, absent := range []int32{denseSlotLimit + 1, denseSlotLimit + 7*int32(i) + 4, 1<<22 + 1, 999} {
			if got := o.slot(absent); got != -1 {
				t.Fatalf("after %d slots: absent feature %d found in slot %d", i+1, absent, got)
			}
		}
		inTable := 0
		if o.sparse != nil {
			inTable = o.sparse.n
		}
		if o.sparse != nil && len(o.sparseFeat) != 0 || len(o.sparseFeat)+inTable == 0 && i > 1 {
			t.Fatalf("after %d slots: list %d entries, table %d", i+1, len(o.sparseFeat), inTable)
		}
	}
	if o.sparse == nil {
		t.Fatal("the table never took over: the test does not cover it")
	}
}
