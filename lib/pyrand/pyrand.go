package pyrand

import (
	crand "crypto/rand"
	"encoding/binary"
	"math"
	"math/bits"
)

const (
	n         = 624
	m         = 397
	matrixA   = 0x9908b0df
	upperMask = 0x80000000
	lowerMask = 0x7fffffff
)

// Rand is a CPython-compatible Mersenne Twister. The zero value is not
// usable; create one with New or NewUnseeded. A Rand is not safe for
// concurrent use.
type Rand struct {
	mt        [n]uint32
	index     int
	gaussNext float64
	hasGauss  bool
}

// New returns a generator seeded like random.Random(seed).
func New(seed int64) *Rand {
	r := &Rand{}
	r.Seed(seed)
	return r
}

// NewUnseeded returns a generator seeded from the operating system, like
// random.Random(None).
func NewUnseeded() *Rand {
	var b [8]byte
	_, _ = crand.Read(b[:])
	return New(int64(binary.LittleEndian.Uint64(b[:]) >> 1))
}

// Seed re-seeds like random.seed(seed) for an int: the absolute value is
// split into 32-bit words, least significant first, and fed to
// init_by_array.
func (r *Rand) Seed(seed int64) {
	u := uint64(seed)
	if seed < 0 {
		u = uint64(-seed)
	}
	var key []uint32
	if u == 0 {
		key = []uint32{0}
	} else {
		for u > 0 {
			key = append(key, uint32(u))
			u >>= 32
		}
	}
	r.initByArray(key)
	r.hasGauss = false
	r.gaussNext = 0
}

func (r *Rand) initGenrand(s uint32) {
	r.mt[0] = s
	for i := 1; i < n; i++ {
		r.mt[i] = 1812433253*(r.mt[i-1]^(r.mt[i-1]>>30)) + uint32(i)
	}
	r.index = n
}

func (r *Rand) initByArray(key []uint32) {
	r.initGenrand(19650218)
	i, j := 1, 0
	k := n
	if len(key) > k {
		k = len(key)
	}
	for ; k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1664525)) + key[j] + uint32(j)
		i++
		j++
		if i >= n {
			r.mt[0] = r.mt[n-1]
			i = 1
		}
		if j >= len(key) {
			j = 0
		}
	}
	for k = n - 1; k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1566083941)) - uint32(i)
		i++
		if i >= n {
			r.mt[0] = r.mt[n-1]
			i = 1
		}
	}
	r.mt[0] = 0x80000000
	r.index = n
}

func (r *Rand) twist() {
	mt := &r.mt
	var y uint32
	kk := 0
	for ; kk < n-m; kk++ {
		y = (mt[kk] & upperMask) | (mt[kk+1] & lowerMask)
		mt[kk] = mt[kk+m] ^ (y >> 1) ^ (-(y & 1) & matrixA)
	}
	for ; kk < n-1; kk++ {
		y = (mt[kk] & upperMask) | (mt[kk+1] & lowerMask)
		mt[kk] = mt[kk+(m-n)] ^ (y >> 1) ^ (-(y & 1) & matrixA)
	}
	y = (mt[n-1] & upperMask) | (mt[0] & lowerMask)
	mt[n-1] = mt[m-1] ^ (y >> 1) ^ (-(y & 1) & matrixA)
	r.index = 0
}

// Uint32 returns the next 32-bit output (genrand_uint32).
func (r *Rand) Uint32() uint32 {
	if r.index >= n {
		r.twist()
	}
	y := r.mt[r.index]
	r.index++
	return temper(y)
}

// temper is genrand_uint32's output transformation of a state word.
func temper(y uint32) uint32 {
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// Random returns a float in [0, 1) with 53 random bits, as random.random().
// Ensembles call it about seven times per member and record (River's
// Poisson weights), so both words are read at once when no twist falls
// between them.
func (r *Rand) Random() float64 {
	var a, b uint32
	if i := r.index; i <= n-2 {
		w := r.mt[i : i+2 : i+2]
		a, b = temper(w[0])>>5, temper(w[1])>>6
		r.index = i + 2
	} else {
		a = r.Uint32() >> 5
		b = r.Uint32() >> 6
	}
	return (float64(a)*67108864.0 + float64(b)) * (1.0 / 9007199254740992.0)
}

// GetRandBits returns k random bits (0 <= k <= 64), as random.getrandbits(k).
func (r *Rand) GetRandBits(k int) uint64 {
	if k <= 0 {
		return 0
	}
	if k <= 32 {
		return uint64(r.Uint32() >> (32 - k))
	}
	lo := uint64(r.Uint32())
	k -= 32
	hi := uint64(r.Uint32() >> (32 - k))
	return lo | hi<<32
}

// RandBelow returns an int in [0, n) by rejection on getrandbits, as
// CPython's _randbelow_with_getrandbits. It returns 0 for n <= 0.
func (r *Rand) RandBelow(nn int) int {
	if nn <= 0 {
		return 0
	}
	k := bits.Len64(uint64(nn))
	v := r.GetRandBits(k)
	for v >= uint64(nn) {
		v = r.GetRandBits(k)
	}
	return int(v)
}

// RandInt returns an int in [a, b], as random.randint(a, b).
func (r *Rand) RandInt(a, b int) int { return a + r.RandBelow(b-a+1) }

// Uniform returns a + (b-a)*random(), as random.uniform(a, b).
func (r *Rand) Uniform(a, b float64) float64 { return a + (b-a)*r.Random() }

// Gauss returns a normal deviate with mean mu and standard deviation sigma,
// using CPython's cached Box-Muller pair (random.gauss). CPython takes log,
// cos and sin from the C library; Go's math versions differ from glibc's
// in the last bit for about a quarter of the values, so correctly rounded
// versions are used instead (crmath.go). glibc itself is correctly rounded
// in all but about 0.15% of calls, so about 99.8% of gauss() values match
// CPython on glibc bit for bit and the rest are one ulp away.
func (r *Rand) Gauss(mu, sigma float64) float64 {
	var z float64
	if r.hasGauss {
		z = r.gaussNext
		r.hasGauss = false
	} else {
		x2pi := r.Random() * (2 * math.Pi)
		g2rad := math.Sqrt(-2.0 * crLog(1.0-r.Random()))
		z = crCos(x2pi) * g2rad
		r.gaussNext = crSin(x2pi) * g2rad
		r.hasGauss = true
	}
	return mu + float64(z*sigma)
}

// Shuffle permutes n elements in place through swap, as random.shuffle.
func (r *Rand) Shuffle(nn int, swap func(i, j int)) {
	for i := nn - 1; i > 0; i-- {
		j := r.RandBelow(i + 1)
		swap(i, j)
	}
}

// SampleIndices returns k distinct indices of a population of size n in
// the order random.sample(range(n), k) would pick them. It panics if k is
// outside [0, n], as Python raises ValueError.
func (r *Rand) SampleIndices(nn, k int) []int {
	return r.SampleIndicesInto(nil, nn, k)
}

// SampleIndicesInto is SampleIndices writing into dst's storage.
func (r *Rand) SampleIndicesInto(dst []int, nn, k int) []int {
	if k < 0 || k > nn {
		panic("pyrand: sample larger than population or negative")
	}
	result := dst[:0]
	setsize := 21
	if k > 5 {
		setsize += int(math.Pow(4, math.Ceil(math.Log(float64(k*3))/math.Log(4))))
	}
	if nn <= setsize {
		pool := make([]int, nn)
		for i := range pool {
			pool[i] = i
		}
		for i := 0; i < k; i++ {
			j := r.RandBelow(nn - i)
			result = append(result, pool[j])
			pool[j] = pool[nn-i-1]
		}
		return result
	}
	selected := make(map[int]struct{}, k)
	for i := 0; i < k; i++ {
		j := r.RandBelow(nn)
		for {
			if _, dup := selected[j]; !dup {
				break
			}
			j = r.RandBelow(nn)
		}
		selected[j] = struct{}{}
		result = append(result, j)
	}
	return result
}

// Sample returns k distinct elements of population, as random.sample.
func Sample[T any](r *Rand, population []T, k int) []T {
	idx := r.SampleIndices(len(population), k)
	out := make([]T, k)
	for i, j := range idx {
		out[i] = population[j]
	}
	return out
}

// Choice returns a random element of seq, as random.choice. It panics on an
// empty sequence, as Python raises IndexError.
func Choice[T any](r *Rand, seq []T) T {
	if len(seq) == 0 {
		panic("pyrand: choice from an empty sequence")
	}
	return seq[r.RandBelow(len(seq))]
}

// Poisson draws from a Poisson distribution with the given rate by Knuth's
// multiplication method, exactly as river.utils.random.poisson: one
// Random() per iteration.
func (r *Rand) Poisson(rate float64) int {
	l := math.Exp(-rate)
	k := 0
	p := 1.0
	for p > l {
		k++
		p *= r.Random()
	}
	return k - 1
}

// StateSize is the length of the slice State returns.
const StateSize = n + 3

// State returns the generator's full state as 64-bit words, for snapshots.
func (r *Rand) State() []uint64 {
	s := make([]uint64, StateSize)
	for i, v := range r.mt {
		s[i] = uint64(v)
	}
	s[n] = uint64(r.index)
	if r.hasGauss {
		s[n+1] = 1
	}
	s[n+2] = math.Float64bits(r.gaussNext)
	return s
}

// SetState restores a state from State. It reports false for a state of
// the wrong size or with an impossible index, leaving r unchanged.
func (r *Rand) SetState(s []uint64) bool {
	if len(s) != StateSize || s[n] > n || s[n+1] > 1 {
		return false
	}
	for i := range r.mt {
		r.mt[i] = uint32(s[i])
	}
	r.index = int(s[n])
	r.hasGauss = s[n+1] == 1
	r.gaussNext = math.Float64frombits(s[n+2])
	return true
}

// Clone returns an independent copy with the same state.
func (r *Rand) Clone() *Rand {
	c := *r
	return &c
}
