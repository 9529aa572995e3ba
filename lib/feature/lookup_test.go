package feature

import (
	"math/rand/v2"
	"testing"
)

// TestSparseLookupMatchesBinarySearch: through an attached lookup, Get
// answers as the binary search does, for every index in and around the
// record, across records of growing and shrinking size sharing one table.
func TestSparseLookupMatchesBinarySearch(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var l SparseLookup
	for _, n := range []int{0, 5, 16, 17, 40, 300, 20, 128, 1000, 16} {
		var v Vector
		key := int32(r.IntN(3))
		for k := 0; k < n; k++ {
			v.Idx = append(v.Idx, key)
			v.Val = append(v.Val, float64(k)+0.5)
			key += 1 + int32(r.IntN(1<<r.IntN(20)))
		}
		a := l.Attach(v)
		if (a.look != nil) != (n >= minLookupEntries) {
			t.Fatalf("n=%d: lookup attached = %v", n, a.look != nil)
		}
		probe := func(i int) {
			got, gok := a.Get(i)
			want, wok := v.Get(i)
			if got != want || gok != wok {
				t.Fatalf("n=%d: Get(%d) = %v, %v with the lookup, %v, %v without", n, i, got, gok, want, wok)
			}
		}
		for _, i := range v.Idx {
			probe(int(i) - 1)
			probe(int(i))
			probe(int(i) + 1)
		}
		for k := 0; k < 200; k++ {
			probe(r.IntN(int(key) + 10))
		}
		probe(-1)
		probe(1<<32 + int(key)) // beyond int32: never found
	}
	if d := (Vector{Val: []float64{1, 2}}); l.Attach(d).look != nil {
		t.Fatal("a dense vector got a lookup")
	}
	if c := l.Attach(Vector{Idx: make([]int32, 20), Val: make([]float64, 20)}).Clone(); c.look != nil {
		t.Fatal("Clone kept the lookup")
	}
}

// TestSparseLookupRebind: rebinding keeps the table for the same indices
// and reads the values from the new buffer; a shorter or longer record is
// indexed anew, and a short one gets no lookup.
func TestSparseLookupRebind(t *testing.T) {
	var l SparseLookup
	v := Vector{}
	for k := 0; k < 40; k++ {
		v.Idx = append(v.Idx, int32(7*k+3))
		v.Val = append(v.Val, float64(k))
	}
	l.Attach(v)
	w := v.Clone()
	for k := range w.Val {
		w.Val[k] = -w.Val[k]
	}
	r := l.Rebind(w)
	for k, i := range w.Idx {
		if got, ok := r.Get(int(i)); !ok || got != w.Val[k] {
			t.Fatalf("rebound Get(%d) = %v, %v, want %v", i, got, ok, w.Val[k])
		}
	}
	short := Vector{Idx: w.Idx[:30], Val: w.Val[:30]}
	if r := l.Rebind(short); r.look == nil {
		t.Fatal("a record of another length got no lookup")
	} else if _, ok := r.Get(int(w.Idx[35])); ok {
		t.Fatal("a record of another length kept the old table")
	}
	tiny := Vector{Idx: w.Idx[:3], Val: w.Val[:3]}
	if l.Attach(tiny).look != nil || l.Rebind(tiny).look != nil {
		t.Fatal("a short record got a lookup")
	}
}
