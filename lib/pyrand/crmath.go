package pyrand

import "math"

// CPython's random.gauss calls the C library's log, cos and sin, and glibc
// returns the correctly rounded result of those in all but a tiny fraction
// of cases. Go's math.Log, math.Cos and math.Sin are faithful (within one
// ulp) but not correctly rounded, which made about one gauss() value in
// five differ from CPython in the last bit. The functions below evaluate
// log, sin and cos in double-double arithmetic (about 104 bits) and round
// once, so they return the correctly rounded value except when the exact
// result lies within about 2^-50 ulp of a rounding midpoint.
//
// They are written for Gauss's arguments: crLog for 1 − random() in
// (0, 1], crSin and crCos for random()·2π in [0, 2π). They handle any
// positive finite argument (crLog) and any |x| below about 2^20
// (crSin, crCos) correctly, but are slower than the math package.

// ddNum is an unevaluated sum hi + lo with |lo| ≤ ulp(hi)/2.
type ddNum struct{ hi, lo float64 }

// twoSum returns fl(a+b) and the exact rounding error.
func twoSum(a, b float64) (float64, float64) {
	s := a + b
	v := s - a
	return s, (a - (s - v)) + (b - v)
}

// quickTwoSum is twoSum for |a| ≥ |b|.
func quickTwoSum(a, b float64) (float64, float64) {
	s := a + b
	return s, b - (s - a)
}

// twoProd returns fl(a·b) and the exact rounding error.
func twoProd(a, b float64) (float64, float64) {
	p := a * b
	return p, math.FMA(a, b, -p)
}

func (x ddNum) add(y ddNum) ddNum {
	s, e := twoSum(x.hi, y.hi)
	t, f := twoSum(x.lo, y.lo)
	e += t
	s, e = quickTwoSum(s, e)
	e += f
	s, e = quickTwoSum(s, e)
	return ddNum{s, e}
}

func (x ddNum) neg() ddNum { return ddNum{-x.hi, -x.lo} }

func (x ddNum) mul(y ddNum) ddNum {
	p, e := twoProd(x.hi, y.hi)
	e += x.hi*y.lo + x.lo*y.hi
	p, e = quickTwoSum(p, e)
	return ddNum{p, e}
}

func (x ddNum) mulFloat(b float64) ddNum {
	p, e := twoProd(x.hi, b)
	e += x.lo * b
	p, e = quickTwoSum(p, e)
	return ddNum{p, e}
}

// div is x/y by long division with three partial quotients.
func (x ddNum) div(y ddNum) ddNum {
	q1 := x.hi / y.hi
	r := x.add(y.mulFloat(q1).neg())
	q2 := r.hi / y.hi
	r = r.add(y.mulFloat(q2).neg())
	q3 := r.hi / y.hi
	s, e := quickTwoSum(q1, q2)
	return ddNum{s, e}.add(ddNum{q3, 0})
}

// round returns the double nearest to x.
func (x ddNum) round() float64 { return x.hi + x.lo }

var (
	// ln2DD is ln 2 to about 107 bits.
	ln2DD = ddNum{0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56}
	// π/2 as three doubles (hi + mid + lo to about 160 bits).
	pio2Hi  = 0x1.921fb54442d18p+0
	pio2Mid = 0x1.1a62633145c07p-54
	pio2Lo  = -0x1.f1976b7ed8fbcp-110

	// logCoef[k] = 1/(2k+1): log m = 2s·Σ s^(2k)/(2k+1), s = (m−1)/(m+1).
	logCoef [22]ddNum
	// sinCoef[k] = (−1)^k/(2k+1)!, cosCoef[k] = (−1)^k/(2k)!.
	sinCoef [15]ddNum
	cosCoef [16]ddNum
)

func init() {
	one := ddNum{1, 0}
	for k := range logCoef {
		logCoef[k] = one.div(ddNum{float64(2*k + 1), 0})
	}
	fact := one // n!
	for n := 0; n <= 2*len(sinCoef)+1; n++ {
		if n > 0 {
			fact = fact.mulFloat(float64(n))
		}
		c := one.div(fact)
		if (n/2)%2 == 1 {
			c = c.neg()
		}
		if n%2 == 0 && n/2 < len(cosCoef) {
			cosCoef[n/2] = c
		} else if n%2 == 1 && n/2 < len(sinCoef) {
			sinCoef[n/2] = c
		}
	}
}

// horner evaluates Σ c[k]·t^k: the terms from k = split on, small enough
// for their rounding errors to stay below 2^-106 of the sum, in float64,
// the leading ones in double-double.
func horner(c []ddNum, split int, t ddNum) ddNum {
	f := c[len(c)-1].hi
	for k := len(c) - 2; k >= split; k-- {
		f = f*t.hi + c[k].hi
	}
	p := ddNum{f, 0}
	for k := split - 1; k >= 0; k-- {
		p = p.mul(t).add(c[k])
	}
	return p
}

// crLog is the correctly rounded natural logarithm of a positive finite x.
func crLog(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 1) {
		return math.Log(x)
	}
	if x == 1 {
		return 0
	}
	m, e := math.Frexp(x) // x = m·2^e, m in [0.5, 1)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	// m in [√2/2, √2): s = (m−1)/(m+1) has |s| < 0.172; m−1 is exact.
	den0, den1 := twoSum(m, 1)
	s := ddNum{m - 1, 0}.div(ddNum{den0, den1})
	// Σ s^(2k)/(2k+1); s^44/45 < 2^-110, and from k = 10 on (s^20 < 2^-101)
	// a term's float64 rounding is below 2^-154.
	p := horner(logCoef[:], 10, s.mul(s))
	r := s.mul(p).mulFloat(2)
	if e != 0 {
		r = r.add(ln2DD.mulFloat(float64(e)))
	}
	return r.round()
}

// reducePio2 returns q and r = x − q·π/2 in double-double with |r| ≲ π/4.
func reducePio2(x float64) (int, ddNum) {
	q := math.Round(x * (2 / math.Pi))
	a, ae := twoProd(q, pio2Hi)
	b, be := twoProd(q, pio2Mid)
	c := q * pio2Lo
	r := ddNum{x, 0}.add(ddNum{a, ae}.neg())
	r = r.add(ddNum{b, be}.neg())
	r = r.add(ddNum{-c, 0})
	return int(q), r
}

// sinSeries and cosSeries are the Taylor series on |r| ≤ π/4 + ε, whose
// last terms (r^29/29!, r^30/30!) are below 2^-110; from k = 8 on
// (r^16/16! < 2^-49) terms are summed in float64.
func sinSeries(r ddNum) ddNum { return r.mul(horner(sinCoef[:], 8, r.mul(r))) }
func cosSeries(r ddNum) ddNum { return horner(cosCoef[:], 8, r.mul(r)) }

// crSin is the correctly rounded sine (see the file comment for its range).
func crSin(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1<<20 {
		return math.Sin(x)
	}
	q, r := reducePio2(x)
	switch q & 3 {
	case 0:
		return sinSeries(r).round()
	case 1:
		return cosSeries(r).round()
	case 2:
		return -sinSeries(r).round()
	default:
		return -cosSeries(r).round()
	}
}

// crCos is the correctly rounded cosine (see the file comment for its range).
func crCos(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1<<20 {
		return math.Cos(x)
	}
	q, r := reducePio2(x)
	switch q & 3 {
	case 0:
		return cosSeries(r).round()
	case 1:
		return -sinSeries(r).round()
	case 2:
		return -cosSeries(r).round()
	default:
		return sinSeries(r).round()
	}
}
