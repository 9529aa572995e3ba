package feature

import "math/bits"

// SparseLookup answers Vector.Get for one sparse record in constant time,
// from a hash table of its indices built in one pass. A binary search of a
// record of a hundred entries costs a handful of mispredicted branches; an
// ensemble whose members look up hundreds of features of each record (ARF
// leaves on MaliciousURL) builds one table per record and shares it.
//
// The zero value is ready to use. Attach is not safe for concurrent use;
// lookups through attached vectors are, while no Attach runs.
type SparseLookup struct {
	tab   []lookupEntry // a power of two, at most half full
	shift uint8         // 32 − log2(len(tab)), for Fibonacci hashing
	used  []uint32      // cells filled by the last Attach, to clear
	val   []float64     // the attached record's values
	n     int           // entries of the attached record; 0: none attached
}

// lookupEntry is a cell: the feature index and its entry's position; pos
// −1 is empty.
type lookupEntry struct{ key, pos int32 }

// minLookupEntries is the smallest record worth a table: a shorter one is
// binary-searched in a few well-predicted steps.
const minLookupEntries = 16

// Attach indexes v and returns v with the lookup attached: its Get (also
// through copies of the returned Vector) consults the table. The table
// serves v's arrays as they are now; v must not change, and the returned
// vector must not be used after the next Attach. A dense or short v is
// returned as is.
func (l *SparseLookup) Attach(v Vector) Vector {
	v.look = nil
	l.n = 0
	if v.Idx == nil || len(v.Idx) < minLookupEntries {
		return v
	}
	for _, c := range l.used {
		l.tab[c].pos = -1
	}
	l.used = l.used[:0]
	if want := 2 * len(v.Idx); len(l.tab) < want {
		n := 1 << bits.Len(uint(want-1))
		l.tab = make([]lookupEntry, n)
		for c := range l.tab {
			l.tab[c].pos = -1
		}
		l.shift = uint8(32 - bits.TrailingZeros(uint(n)))
	}
	mask := uint32(len(l.tab) - 1)
	for pos, key := range v.Idx {
		c := (uint32(key) * 0x9E3779B1) >> l.shift
		for l.tab[c].pos >= 0 {
			c = (c + 1) & mask
		}
		l.tab[c] = lookupEntry{key: key, pos: int32(pos)}
		l.used = append(l.used, c)
	}
	l.val, l.n = v.Val, len(v.Idx)
	v.look = l
	return v
}

// Rebind is Attach for a v whose indices the caller knows to equal those
// of the vector last attached (the same record, its values possibly in
// another buffer): the table is kept and only the values are taken from
// v. A v of another length is attached anew.
func (l *SparseLookup) Rebind(v Vector) Vector {
	if l.n == 0 || v.Idx == nil || len(v.Idx) != l.n {
		return l.Attach(v)
	}
	l.val = v.Val
	v.look = l
	return v
}

func (l *SparseLookup) get(key int32) (float64, bool) {
	mask := uint32(len(l.tab) - 1)
	for c := (uint32(key) * 0x9E3779B1) >> l.shift; ; c = (c + 1) & mask {
		e := l.tab[c]
		if e.pos < 0 {
			return 0, false
		}
		if e.key == key {
			return l.val[e.pos], true
		}
	}
}
