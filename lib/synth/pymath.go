package synth

import (
	"math"

	"github.com/rivulet-ml/rivulet/lib/pyrand"
)

// CPython's random.gauss calls the C library's log, cos and sin. Go's
// math.Log, math.Cos and math.Sin are accurate to about one ulp but round
// differently from glibc in the last bit for roughly a quarter of gauss()
// values, which would make RandomRBF's features differ from River's in most
// records. glibc's results are the correctly rounded ones except when the
// exact value lies within about 1e-3 ulp of a rounding midpoint, so the
// functions below compute log, sin and cos in double-double arithmetic
// (about 100 bits) and round once. Measured over 10^6 gauss() calls they
// agree with glibc 2.36 in 99.8% of values and are within one ulp in the
// rest; see pymath_test.go. River's output itself depends on the platform's
// libm in those last bits.

// dd is an unevaluated sum hi+lo with |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

// twoSum returns s = fl(a+b) and the exact error a+b-s. The float64
// conversions keep the compiler from fusing or reassociating anything.
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := float64(s - a)
	e = float64(a-float64(s-bb)) + float64(b-bb)
	return s, e
}

func fastTwoSum(a, b float64) (s, e float64) {
	s = a + b
	e = b - float64(s-a)
	return s, e
}

// twoProd returns p = fl(a*b) and the exact error a*b-p.
func twoProd(a, b float64) (p, e float64) {
	p = a * b
	return p, math.FMA(a, b, -p)
}

func ddAdd(a, b dd) dd {
	s, e := twoSum(a.hi, b.hi)
	t, f := twoSum(a.lo, b.lo)
	e += t
	s, e = fastTwoSum(s, e)
	e += f
	s, e = fastTwoSum(s, e)
	return dd{s, e}
}

func ddMul(a, b dd) dd {
	p, e := twoProd(a.hi, b.hi)
	e += float64(a.hi*b.lo) + float64(a.lo*b.hi)
	p, e = fastTwoSum(p, e)
	return dd{p, e}
}

func ddNeg(a dd) dd { return dd{-a.hi, -a.lo} }

// ddDiv divides by long division with three partial quotients.
func ddDiv(a, b dd) dd {
	q1 := a.hi / b.hi
	r := ddAdd(a, ddNeg(ddMul(b, dd{q1, 0})))
	q2 := r.hi / b.hi
	r = ddAdd(r, ddNeg(ddMul(b, dd{q2, 0})))
	q3 := r.hi / b.hi
	s, e := fastTwoSum(q1, q2)
	return ddAdd(dd{s, e}, dd{q3, 0})
}

// ln 2 and π/2 as sums of three doubles (from 80-digit decimal values).
var (
	ln2Parts  = [3]float64{0.6931471805599453, 2.3190468138462996e-17, 5.707708438416212e-34}
	pio2Parts = [3]float64{1.5707963267948966, 6.123233995736766e-17, -1.4973849048591698e-33}
)

// Series coefficients: 1/(2k+1) for atanh, ±1/(2k+1)! for sin and ±1/(2k)!
// for cos, in double-double. The lengths bound the truncation error below
// 2^-100 on the reduced ranges (|s| < 0.172, |r| <= π/4). The leading terms
// are summed in double-double and the small tail in plain doubles, which
// keeps the total error below about 2^-77 of the result while costing a
// third of a full double-double evaluation.
var (
	atanhCoef [22]dd
	sinCoef   [15]dd
	cosCoef   [15]dd
	// Tail coefficients (the hi parts) from these indices on.
	atanhTail, sinTail, cosTail [22]float64
)

const (
	atanhHead = 5 // s^(2k)/(2k+1) for k >= 5 is below 2.2e-9
	sinHead   = 5 // r^(2k)/(2k+1)! for k >= 5 is below 2.3e-9
	cosHead   = 6 // r^(2k)/(2k)! for k >= 6 is below 1.2e-10
)

func init() {
	one := dd{1, 0}
	for k := range atanhCoef {
		atanhCoef[k] = ddDiv(one, dd{float64(2*k + 1), 0})
		atanhTail[k] = atanhCoef[k].hi
	}
	fact := one
	cosCoef[0] = one
	for n := 1; n <= 2*len(sinCoef); n++ {
		fact = ddMul(fact, dd{float64(n), 0})
		c := ddDiv(one, fact)
		k := n / 2
		if k%2 == 1 {
			c = ddNeg(c)
		}
		if n%2 == 1 {
			sinCoef[k] = c
			sinTail[k] = c.hi
		} else if k < len(cosCoef) {
			cosCoef[k] = c
			cosTail[k] = c.hi
		}
	}
}

// series evaluates Σ c[k] t^k: the terms from head on in double precision
// with Horner's rule on t.hi, then the head terms in double-double.
func series(c []dd, tail []float64, head int, t dd) dd {
	q := tail[len(c)-1]
	for k := len(c) - 2; k >= head; k-- {
		q = float64(q*t.hi) + tail[k]
	}
	p := dd{q, 0}
	for k := head - 1; k >= 0; k-- {
		p = ddAdd(ddMul(p, t), c[k])
	}
	return p
}

// crLog returns the natural logarithm of x rounded to nearest (barring
// midpoint cases closer than about 2^-45 ulp).
func crLog(x float64) float64 {
	if x == 1 {
		return 0
	}
	if !(x > 0) || math.IsInf(x, 1) {
		return math.Log(x)
	}
	m, e := math.Frexp(x)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	// log m = 2 atanh(s), s = (m-1)/(m+1); m-1 is exact (Sterbenz).
	var den dd
	den.hi, den.lo = twoSum(m, 1)
	s := ddDiv(dd{m - 1, 0}, den)
	r := ddMul(s, series(atanhCoef[:], atanhTail[:], atanhHead, ddMul(s, s)))
	r = dd{2 * r.hi, 2 * r.lo}
	fe := float64(e)
	hi, lo := twoProd(ln2Parts[0], fe)
	l := ddAdd(dd{hi, lo}, ddMul(dd{ln2Parts[1], ln2Parts[2]}, dd{fe, 0}))
	return ddAdd(l, r).hi
}

// reduceHalfPi returns k mod 4 and r = x - k·π/2 (|r| <= π/4) for
// |x| < 2^20, with π/2 carried to about 160 bits so that r keeps its
// relative accuracy even next to a multiple of π/2.
func reduceHalfPi(x float64) (int, dd) {
	k := math.Floor(x*(2/math.Pi) + 0.5)
	p, e := twoProd(k, pio2Parts[0])
	r := ddAdd(dd{x, 0}, ddNeg(dd{p, e}))
	p, e = twoProd(k, pio2Parts[1])
	r = ddAdd(r, ddNeg(dd{p, e}))
	r = ddAdd(r, dd{-k * pio2Parts[2], 0})
	return int(int64(k) & 3), r
}

func sinReduced(r dd) float64 {
	return ddMul(series(sinCoef[:], sinTail[:], sinHead, ddMul(r, r)), r).hi
}

func cosReduced(r dd) float64 {
	return series(cosCoef[:], cosTail[:], cosHead, ddMul(r, r)).hi
}

// crSin returns sin(x) rounded to nearest; see crLog. Arguments beyond
// 2^20 (never produced by gauss) fall back to math.Sin.
func crSin(x float64) float64 {
	if !(math.Abs(x) < 1<<20) {
		return math.Sin(x)
	}
	q, r := reduceHalfPi(x)
	switch q {
	case 0:
		return sinReduced(r)
	case 1:
		return cosReduced(r)
	case 2:
		return -sinReduced(r)
	}
	return -cosReduced(r)
}

// crCos returns cos(x) rounded to nearest; see crSin.
func crCos(x float64) float64 {
	if !(math.Abs(x) < 1<<20) {
		return math.Cos(x)
	}
	q, r := reduceHalfPi(x)
	switch q {
	case 0:
		return cosReduced(r)
	case 1:
		return -sinReduced(r)
	case 2:
		return -cosReduced(r)
	}
	return sinReduced(r)
}

// gaussSource is CPython's random.gauss over a pyrand generator: Box-Muller
// with the second value of each pair cached. It keeps its own cache
// (pyrand.Rand.Gauss uses Go's math functions, see above), so a generator
// that draws normals must use only this source's gauss for them.
type gaussSource struct {
	next float64
	has  bool
}

func (g *gaussSource) reset() { g.has = false }

// gauss returns mu + z·sigma exactly as random.gauss(mu, sigma).
func (g *gaussSource) gauss(r *pyrand.Rand, mu, sigma float64) float64 {
	var z float64
	if g.has {
		z, g.has = g.next, false
	} else {
		x2pi := r.Random() * (2 * math.Pi)
		g2rad := math.Sqrt(-2.0 * crLog(1.0-r.Random()))
		z = float64(crCos(x2pi) * g2rad)
		g.next, g.has = crSin(x2pi)*g2rad, true
	}
	return mu + float64(z*sigma)
}
