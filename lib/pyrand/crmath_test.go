package pyrand

import (
	"math"
	"math/big"
	"testing"
)

// Arguments where glibc 2.36 (and so CPython's math.log/math.sin) is not
// correctly rounded; the expected values are the correctly rounded ones,
// checked against 60-digit Decimal evaluations in Python
// (Decimal(x).ln() and a Decimal Taylor series for sin). glibc returns the
// neighbouring double in each case.
func TestCorrectlyRoundedWhereGlibcIsNot(t *testing.T) {
	cases := []struct {
		fn      string
		x, want float64
	}{
		{"log", 0x1.76a6c658a3287p-01, -0x1.3fd3082e4be3ap-02},
		{"log", 0x1.7aaa84fa041b4p-01, -0x1.34e8efcef36b6p-02},
		{"log", 0x1.661f3de5134b4p-01, -0x1.6e0795a7efb87p-02},
		{"sin", 0x1.4a76e824ada2bp-01, 0x1.33fe3224a8e19p-01},
		{"sin", 0x1.aed4313b70ac8p+01, -0x1.c770b5e181993p-03},
		{"sin", 0x1.51729df6eb63fp+02, -0x1.b1bb49b349a71p-01},
	}
	for _, c := range cases {
		var got float64
		if c.fn == "log" {
			got = crLog(c.x)
		} else {
			got = crSin(c.x)
		}
		if got != c.want {
			t.Errorf("%s(%x) = %x, correctly rounded %x", c.fn, c.x, got, c.want)
		}
	}
}

func TestCorrectlyRoundedSpecialValues(t *testing.T) {
	if crLog(1) != 0 || crLog(2) != 0x1.62e42fefa39efp-1 || crLog(0.5) != -0x1.62e42fefa39efp-1 {
		t.Error("log of 1, 2 or 1/2 wrong")
	}
	if crLog(0x1p-53) != -53*0x1.62e42fefa39efp-1-53*0x1.abc9e3b39803fp-56 {
		t.Errorf("log(2^-53) = %x", crLog(0x1p-53))
	}
	if crSin(0) != 0 || crCos(0) != 1 || crCos(math.Pi) != -1 {
		t.Error("sin(0), cos(0) or cos(pi) wrong")
	}
	if got := crSin(math.Pi); got != 0x1.1a62633145c07p-53 {
		t.Errorf("sin(fl(pi)) = %x, want %x (pi - fl(pi))", got, 0x1.1a62633145c07p-53)
	}
	if !math.IsNaN(crLog(-1)) || !math.IsInf(crLog(0), -1) || !math.IsNaN(crSin(math.Inf(1))) {
		t.Error("special values not passed through")
	}
}

const refPrec = 240

// refSin is sin(x) to refPrec bits by its Taylor series (|x| < 16).
func refSin(x float64) *big.Float {
	bx := new(big.Float).SetPrec(refPrec).SetFloat64(x)
	x2 := new(big.Float).SetPrec(refPrec).Mul(bx, bx)
	term := new(big.Float).SetPrec(refPrec).Set(bx)
	sum := new(big.Float).SetPrec(refPrec).Set(bx)
	for k := 1; k < 200; k++ {
		term.Mul(term, x2)
		term.Quo(term, new(big.Float).SetPrec(refPrec).SetInt64(int64((2*k)*(2*k+1))))
		term.Neg(term)
		sum.Add(sum, term)
	}
	return sum
}

// refExp is e^y to refPrec bits (|y| < 64): Taylor on y/2^20, squared back.
func refExp(y *big.Float) *big.Float {
	t := new(big.Float).SetPrec(refPrec).SetMantExp(y, -20)
	sum := new(big.Float).SetPrec(refPrec).SetInt64(1)
	term := new(big.Float).SetPrec(refPrec).SetInt64(1)
	for k := 1; k < 40; k++ {
		term.Mul(term, t)
		term.Quo(term, new(big.Float).SetPrec(refPrec).SetInt64(int64(k)))
		sum.Add(sum, term)
	}
	for i := 0; i < 20; i++ {
		sum.Mul(sum, sum)
	}
	return sum
}

// refLog is log(x) to about refPrec bits by Newton's method on refExp.
func refLog(x float64) *big.Float {
	bx := new(big.Float).SetPrec(refPrec).SetFloat64(x)
	y := new(big.Float).SetPrec(refPrec).SetFloat64(math.Log(x))
	for i := 0; i < 4; i++ {
		e := refExp(y)
		num := new(big.Float).SetPrec(refPrec).Sub(bx, e)
		den := new(big.Float).SetPrec(refPrec).Add(bx, e)
		num.Quo(num, den)
		y.Add(y, num.Mul(num, big.NewFloat(2)))
	}
	return y
}

// On random arguments of the ranges Gauss uses (and wider ones) the
// double-double functions return the double nearest to a 240-bit
// reference.
func TestCorrectlyRoundedAgainstBigFloat(t *testing.T) {
	r := New(7)
	n := 600
	if testing.Short() {
		n = 200
	}
	for i := 0; i < n; i++ {
		u := r.Random()
		x := 1 - u
		y := math.Ldexp(u+0.5, r.RandBelow(40)-20)
		for _, v := range []float64{x, y} {
			if want, _ := refLog(v).Float64(); crLog(v) != want {
				t.Fatalf("crLog(%x) = %x, correctly rounded %x", v, crLog(v), want)
			}
		}
		a := u * 2 * math.Pi
		b := (u - 0.5) * 20
		for _, v := range []float64{a, b} {
			if want, _ := refSin(v).Float64(); crSin(v) != want {
				t.Fatalf("crSin(%x) = %x, correctly rounded %x", v, crSin(v), want)
			}
			if want, _ := refCos(v).Float64(); crCos(v) != want {
				t.Fatalf("crCos(%x) = %x, correctly rounded %x", v, crCos(v), want)
			}
		}
	}
}

// refCos is cos(x) to refPrec bits by its Taylor series (|x| < 16).
func refCos(x float64) *big.Float {
	bx := new(big.Float).SetPrec(refPrec).SetFloat64(x)
	x2 := new(big.Float).SetPrec(refPrec).Mul(bx, bx)
	term := new(big.Float).SetPrec(refPrec).SetInt64(1)
	sum := new(big.Float).SetPrec(refPrec).SetInt64(1)
	for k := 1; k < 200; k++ {
		term.Mul(term, x2)
		term.Quo(term, new(big.Float).SetPrec(refPrec).SetInt64(int64((2*k-1)*(2*k))))
		term.Neg(term)
		sum.Add(sum, term)
	}
	return sum
}

func BenchmarkGauss(b *testing.B) {
	r := New(1)
	for b.Loop() {
		r.Gauss(0, 1)
	}
}

// BenchmarkRandom is one random.random(), the draw behind River's Poisson
// weights (about seven per ensemble member and record).
func BenchmarkRandom(b *testing.B) {
	r := New(42)
	s := 0.0
	for b.Loop() {
		s += r.Random()
	}
	if s < 0 {
		b.Fatal(s)
	}
}
