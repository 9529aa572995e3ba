package feature

import "testing"

// TestSparseGet: Get finds every stored index and no other, at both ends
// and beyond the int32 range.
func TestSparseGet(t *testing.T) {
	for n := 0; n <= 40; n++ {
		var v Vector
		for k := 0; k < n; k++ {
			v.Idx = append(v.Idx, int32(3*k+1))
			v.Val = append(v.Val, float64(k))
		}
		for i := -2; i <= 3*n+3; i++ {
			x, ok := v.Get(i)
			want := i >= 1 && (i-1)%3 == 0 && (i-1)/3 < n
			if ok != want || ok && x != float64((i-1)/3) {
				t.Fatalf("n=%d: Get(%d) = %v, %v", n, i, x, ok)
			}
		}
		if n > 0 {
			if _, ok := v.Get(1<<32 + 1); ok {
				t.Fatalf("n=%d: Get(2^32+1) found feature 1", n)
			}
		}
	}
}

// BenchmarkSparseGet looks up random features of a 110-entry record, as a
// random forest's leaves do on MaliciousURL, by binary search and through
// a SparseLookup.
func BenchmarkSparseGet(b *testing.B) {
	var v Vector
	for k := 0; k < 110; k++ {
		v.Idx = append(v.Idx, int32(k*29000+k*k))
		v.Val = append(v.Val, 1)
	}
	q := make([]int, 1024)
	for i := range q {
		q[i] = int(v.Idx[(i*37)%110]) + (i & 1) // half hits, half misses
	}
	for _, lookup := range []bool{false, true} {
		b.Run(map[bool]string{false: "binary-search", true: "lookup"}[lookup], func(b *testing.B) {
			x := v
			var l SparseLookup
			if lookup {
				x = l.Attach(v)
			}
			found := 0
			for i := 0; b.Loop(); i++ {
				if _, ok := x.Get(q[i&1023]); ok {
					found++
				}
			}
			if found == 0 {
				b.Fatal("nothing found")
			}
		})
	}
}
