package naivebayes

import "math"

// expRough is e^u for |u| ≤ 708 within 1.5e-13 relative (no range check:
// callers keep u in range). GaussianNB needs e^(z²/2) once per (class,
// feature) only to form ε = 1e-9/pdf ≤ 4.5e-5, whose relative error reaches
// the result multiplied by ε; math.Exp's last ulps would not show, its
// 15-20 ns per call would. u = (k/256)·ln 2 + r with |r| ≤ ln2/512, so
// e^u = 2^(k>>8) · 2^((k&255)/256) · e^r, e^r by its Taylor polynomial to
// r³ (truncation under r⁴/24 ≤ 1.4e-13). Small enough to inline.
func expRough(u float64) float64 {
	// Round u·256/ln2 to the nearest integer by the 1.5·2^52 shift (exact
	// for |u·256/ln2| < 2^51; here it is below 2^18). Cody–Waite
	// reduction: kf·hi is exact (kf has at most 18 significant bits, hi
	// 32) and u − kf·hi is exact (the two are within a factor 2), so only
	// the low part rounds.
	kf := float64(float64(u*expInvLn2x256)+0x1.8p52) - 0x1.8p52
	k := int64(kf)
	r := float64(u-float64(kf*expLn2HiBy256)) - float64(kf*expLn2LoBy256)
	p := float64(1+r) + float64(float64(r*r)*float64(0.5+float64(r*(1.0/6))))
	return p * exp2Frac[k&255] * math.Float64frombits(uint64(1023+(k>>8))<<52)
}

const (
	expInvLn2x256 = 256 / math.Ln2
	// fdlibm's split of ln 2 (the high part has 32 significant bits, so
	// its products with small integers are exact), divided by 256.
	expLn2HiBy256 = 6.93147180369123816490e-01 / 256
	expLn2LoBy256 = 1.90821492927058770002e-10 / 256
)

// exp2Frac[j] is 2^(j/256).
var exp2Frac = func() (t [256]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 256)
	}
	return t
}()
