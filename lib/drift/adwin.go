package drift

import (
	"fmt"
	"math"

	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// ADWIN is River's ADaptive WINdowing drift detector (Bifet & Gavaldà, 2007),
// in the ADWIN2 form with exponential-histogram buckets.
//
// The window is kept as rows of buckets: row r holds up to MaxBuckets+1
// (total, variance) summaries of 2^r values each, oldest first. A new value
// enters row 0; a row that overflows merges its two oldest buckets into one
// bucket of the next row. Every Clock updates, once the window is wider than
// GracePeriod, every cut of the window into an older and a newer part with at
// least MinWindowLength values on each side is tested; while some cut shows
// means further apart than the Hoeffding-style bound ε, the oldest bucket is
// dropped. An update that dropped anything reports a drift.
//
// River quirks kept on purpose:
//   - The update that follows a detection discards the whole window (River's
//     DriftDetector wrapper calls _reset), so after the detecting update the
//     shrunk window is still observable, but one update later the window
//     holds only the new value.
//   - Variance is River's `variance` property: the sum of squared deviations
//     of the window, not divided by the width. VarianceInWindow divides it.
//
// Deliberate deviation: River's n_detections is reset together with the
// window, so it can only ever read 0 or 1. NDetections here counts every
// detection since construction or the last explicit Reset.
//
// Update allocates nothing once the bucket rows for the largest window seen
// have been allocated (rows are reused after shrinking and resets).
type ADWIN struct {
	delta           float64
	clock           int
	maxBuckets      int
	minWindowLength int
	gracePeriod     int

	// River's Rust core compares widths as floats; keep float copies.
	minWindowLengthF float64
	gracePeriodF     float64

	total    float64
	mean     float64 // total/width (0 for an empty window), divided ahead of the next insert
	variance float64 // sum of squared deviations in the window
	width    float64
	tick     int // updates since the window was last cleared
	phase    int // tick % clock, kept incrementally to avoid a division per update

	nDetections int
	drift       bool

	// Row r occupies totals[r*stride+heads[r] : r*stride+heads[r]+counts[r]]
	// (same for variances), oldest bucket first; len(counts) is the number
	// of rows in use. A row's buckets slide right as the oldest leave from
	// the head, and move back to the start of the row's stride only when
	// they reach its end, so merging and dropping buckets rarely moves any.
	// The backing arrays keep their capacity across shrinking and resets.
	stride    int
	heads     []int
	counts    []int
	totals    []float64
	variances []float64
}

// ADWINOption configures an ADWIN.
type ADWINOption func(*ADWIN)

// WithDelta sets the significance δ in (0, 1); River's default is 0.002.
func WithDelta(delta float64) ADWINOption { return func(a *ADWIN) { a.delta = delta } }

// WithClock sets how many updates pass between change checks (default 32;
// 1 checks on every update).
func WithClock(clock int) ADWINOption { return func(a *ADWIN) { a.clock = clock } }

// WithMaxBuckets sets how many buckets of each size are kept before two are
// merged (default 5).
func WithMaxBuckets(n int) ADWINOption { return func(a *ADWIN) { a.maxBuckets = n } }

// WithMinWindowLength sets the smallest sub-window a cut may leave on either
// side (default 5).
func WithMinWindowLength(n int) ADWINOption { return func(a *ADWIN) { a.minWindowLength = n } }

// WithGracePeriod sets how wide the window must be before any check (default 10).
func WithGracePeriod(n int) ADWINOption { return func(a *ADWIN) { a.gracePeriod = n } }

// BuildADWIN returns an ADWIN with River's defaults changed by opts, or an
// error naming the first invalid parameter.
func BuildADWIN(opts ...ADWINOption) (*ADWIN, error) {
	a := &ADWIN{delta: 0.002, clock: 32, maxBuckets: 5, minWindowLength: 5, gracePeriod: 10}
	for _, o := range opts {
		o(a)
	}
	switch {
	case !(a.delta > 0 && a.delta < 1):
		return nil, fmt.Errorf("drift: ADWIN delta must be in (0, 1), got %v", a.delta)
	case a.clock < 1:
		return nil, fmt.Errorf("drift: ADWIN clock must be at least 1, got %d", a.clock)
	case a.maxBuckets < 1 || a.maxBuckets > 1<<20:
		return nil, fmt.Errorf("drift: ADWIN max_buckets must be in [1, 2^20], got %d", a.maxBuckets)
	case a.minWindowLength < 1:
		return nil, fmt.Errorf("drift: ADWIN min_window_length must be at least 1, got %d", a.minWindowLength)
	case a.gracePeriod < 0:
		return nil, fmt.Errorf("drift: ADWIN grace_period must not be negative, got %d", a.gracePeriod)
	}
	a.minWindowLengthF = float64(a.minWindowLength)
	a.gracePeriodF = float64(a.gracePeriod)
	// A row holds at most maxBuckets+1 buckets; the rest of its stride is
	// room to slide.
	a.stride = a.maxBuckets + 1 + max(a.maxBuckets+1, 16)
	// Room for 16 rows (windows up to about 5·2^16 values) up front.
	a.heads = make([]int, 1, 16)
	a.counts = make([]int, 1, 16)
	a.totals = make([]float64, a.stride, 16*a.stride)
	a.variances = make([]float64, a.stride, 16*a.stride)
	return a, nil
}

// NewADWIN is BuildADWIN for parameters known to be valid; it panics on an
// invalid one.
func NewADWIN(opts ...ADWINOption) *ADWIN {
	a, err := BuildADWIN(opts...)
	if err != nil {
		panic(err)
	}
	return a
}

// Delta, Clock, MaxBuckets, MinWindowLength and GracePeriod return the parameters.
func (a *ADWIN) Delta() float64       { return a.delta }
func (a *ADWIN) Clock() int           { return a.clock }
func (a *ADWIN) MaxBuckets() int      { return a.maxBuckets }
func (a *ADWIN) MinWindowLength() int { return a.minWindowLength }
func (a *ADWIN) GracePeriod() int     { return a.gracePeriod }

// Update adds x to the window and checks for a change. It returns true when
// this update detected a drift.
func (a *ADWIN) Update(x float64) bool {
	if a.drift {
		a.clearWindow()
	}
	a.insert(x)
	a.drift = a.detectChange()
	if a.drift {
		a.nDetections++
	}
	return a.drift
}

// DriftDetected reports whether the last Update detected a drift.
func (a *ADWIN) DriftDetected() bool { return a.drift }

// MayDetect reports whether the next Update can possibly detect a drift.
// ADWIN only tests for a change on every Clock-th update since its window
// was last cleared, and only once the window is wider than GracePeriod; on
// all other updates Update returns false whatever the value. Ensembles use
// this to know in advance which members cannot fire.
func (a *ADWIN) MayDetect() bool {
	phase, width := a.phase, a.width
	if a.drift { // the next update starts from an empty window
		phase, width = 0, 0
	}
	return phase+1 == a.clock && width+1 > a.gracePeriodF
}

// Estimation is the mean of the window (0 when it is empty).
func (a *ADWIN) Estimation() float64 {
	if a.width == 0 {
		return 0
	}
	return a.total / a.width
}

// Width is the number of values in the window.
func (a *ADWIN) Width() int { return int(a.width) }

// Total is the sum of the values in the window.
func (a *ADWIN) Total() float64 { return a.total }

// Variance is the sum of squared deviations from the mean over the window
// (River's ADWIN.variance, despite the name).
func (a *ADWIN) Variance() float64 { return a.variance }

// VarianceInWindow is Variance divided by the width (River's
// variance_in_window), the quantity used by the cut test.
func (a *ADWIN) VarianceInWindow() float64 { return a.variance / a.width }

// NDetections counts detections since construction or the last Reset.
func (a *ADWIN) NDetections() int { return a.nDetections }

// Reset forgets the window and the detection count.
func (a *ADWIN) Reset() {
	a.clearWindow()
	a.nDetections = 0
}

// CloneFresh returns an empty ADWIN with the same parameters.
func (a *ADWIN) CloneFresh() Detector { return a.cloneFresh() }

func (a *ADWIN) cloneFresh() *ADWIN {
	return NewADWIN(WithDelta(a.delta), WithClock(a.clock), WithMaxBuckets(a.maxBuckets),
		WithMinWindowLength(a.minWindowLength), WithGracePeriod(a.gracePeriod))
}

// clearWindow is River's _reset minus the detection count.
func (a *ADWIN) clearWindow() {
	a.total, a.mean, a.variance, a.width, a.tick, a.phase = 0, 0, 0, 0, 0, 0
	a.drift = false
	a.heads = a.heads[:1]
	a.heads[0] = 0
	a.counts = a.counts[:1]
	a.counts[0] = 0
	a.totals = a.totals[:a.stride]
	a.variances = a.variances[:a.stride]
}

// insert is insert_element: the incremental variance update in River's
// operation order, then bucket compression.
func (a *ADWIN) insert(x float64) {
	a.push(0, x, 0)

	a.width++
	inc := 0.0
	if a.width > 1 {
		// a.mean is River's self._total / (self._width - 1), divided at
		// the end of the previous update, off this update's critical path.
		d := x - a.mean
		inc = (a.width - 1) * d * d / a.width
	}
	a.variance += inc
	a.total += x
	a.mean = a.total / a.width

	if a.counts[0] > a.maxBuckets {
		a.compress()
	}
}

// push appends a bucket to row r, first sliding the row back to the start
// of its stride if it reached the end.
func (a *ADWIN) push(r int, total, variance float64) {
	h, c := a.heads[r], a.counts[r]
	if h+c == a.stride {
		h = a.slideBack(r)
	}
	at := r*a.stride + h + c
	a.totals[at] = total
	a.variances[at] = variance
	a.counts[r] = c + 1
}

// slideBack moves row r's buckets to the start of its stride and returns
// the new head, 0.
//
//go:noinline
func (a *ADWIN) slideBack(r int) int {
	base := r * a.stride
	h, c := a.heads[r], a.counts[r]
	copy(a.totals[base:base+c], a.totals[base+h:base+h+c])
	copy(a.variances[base:base+c], a.variances[base+h:base+h+c])
	a.heads[r] = 0
	return 0
}

func (a *ADWIN) addRow() {
	a.heads = append(a.heads, 0)
	a.counts = append(a.counts, 0)
	n := len(a.totals) + a.stride
	if n <= cap(a.totals) {
		a.totals = a.totals[:n]
		a.variances = a.variances[:n]
		return
	}
	a.totals = append(a.totals, make([]float64, a.stride)...)
	a.variances = append(a.variances, make([]float64, a.stride)...)
}

// compress merges the two oldest buckets of each full row into the next row,
// cascading while rows overflow.
func (a *ADWIN) compress() {
	for idx := 0; a.counts[idx] == a.maxBuckets+1; idx++ {
		first := idx*a.stride + a.heads[idx]
		n := float64(uint64(1) << uint(idx))
		// t/n by a power of two n is exactly t·(1/n): both are t·2^−idx
		// correctly rounded, so the multiplication gives River's bits.
		invN := 1 / n
		t0, t1 := a.totals[first], a.totals[first+1]
		v0, v1 := a.variances[first], a.variances[first+1]
		mu0 := t0 * invN
		mu1 := t1 * invN
		merged := t0 + t1
		// float64() forbids fusing into an FMA, which would change the
		// rounding River gets.
		spread := float64(n * 0.5 * (mu0 - mu1) * (mu0 - mu1))
		mergedVar := v0 + v1 + spread

		a.heads[idx] += 2
		a.counts[idx] -= 2
		if idx+1 == len(a.counts) {
			a.addRow()
		}
		a.push(idx+1, merged, mergedVar)
		if a.counts[idx+1] <= a.maxBuckets {
			break
		}
	}
}

// deleteOldest drops the oldest bucket (first of the last row) and removes
// its contribution from the window statistics, as River's delete_element.
func (a *ADWIN) deleteOldest() {
	last := len(a.counts) - 1
	base := last * a.stride
	first := base + a.heads[last]
	n := float64(uint64(1) << uint(last))
	u, v := a.totals[first], a.variances[first]
	mu := u * (1 / n) // exactly u/n, n being a power of two

	a.width -= n
	a.total -= u
	muWindow := a.total / a.width
	a.mean = muWindow
	a.variance -= v + n*a.width*(mu-muWindow)*(mu-muWindow)/(n+a.width)

	a.heads[last]++
	a.counts[last]--
	if a.counts[last] == 0 {
		a.heads[last] = 0
		if last > 0 {
			a.heads = a.heads[:last]
			a.counts = a.counts[:last]
			a.totals = a.totals[:base]
			a.variances = a.variances[:base]
		}
	}
}

// detectChange is River's detect_change: scan cuts from the oldest bucket to
// the newest; on a significant cut drop the oldest bucket and rescan.
func (a *ADWIN) detectChange() bool {
	a.tick++
	a.phase++
	if a.phase == a.clock {
		a.phase = 0
	}
	if a.phase != 0 || !(a.width > a.gracePeriodF) {
		return false
	}
	change := false
	mwl := a.minWindowLengthF
	for reduce := true; reduce; {
		reduce = false
		n0, n1 := 0.0, a.width
		u0, u1 := 0.0, a.total
		// River recomputes δ' inside every cut test; the width does not
		// change during one scan, so computing it once gives the same value.
		deltaPrime := math.Log(2 * math.Log(a.width) / a.delta)
		// Likewise variance/width, a factor of every cut's ε.
		windowVar := a.variance / a.width
		epsFloor := a.epsFloor(windowVar, deltaPrime)
	scan:
		for idx := len(a.counts) - 1; idx >= 0; idx-- {
			size := float64(uint64(1) << uint(idx))
			c := a.counts[idx]
			first := idx*a.stride + a.heads[idx]
			row := a.totals[first : first+c]
			for k, t := range row {
				n0 += size
				n1 -= size
				u0 += t
				u1 -= t
				if idx == 0 && k == c-1 {
					break scan
				}
				if n1 < mwl || n0 < mwl {
					continue
				}
				if screenedOut(n0, n1, u0, u1, epsFloor) {
					continue
				}
				if a.significant(n0, n1, u0/n0-u1/n1, deltaPrime, windowVar) {
					reduce = true
					change = true
					if a.width > 0 {
						a.deleteOldest()
						break scan
					}
				}
			}
		}
	}
	return change
}

// epsFloor is a lower bound of every cut's ε in the current window, for
// screenedOut: all cuts share aa+bb = width − 2·mwl + 2 (aa, bb the
// denominators of m = 1/aa + 1/bb), so m ≥ 4/(aa+bb) (the harmonic mean
// is at most the arithmetic one), and ε grows with m. The bound is taken
// 1e-9 below its value, more than any rounding of it or of River's ε.
func (a *ADWIN) epsFloor(windowVar, deltaPrime float64) float64 {
	mFloor := 4 / (a.width - 2*a.minWindowLengthF + 2)
	return (math.Sqrt(2*mFloor*windowVar*deltaPrime) + 2.0/3.0*deltaPrime*mFloor) * (1 - 1e-9)
}

// screenedOut reports that the cut between sums u0 of n0 values and u1 of
// n1 values is certainly not significant: |Δμ| = |u0·n1 − u1·n0|/(n0·n1)
// is within epsFloor, shown with products alone (most cuts are far from
// significant; River's evaluate_cut decides the others). The cross
// difference is padded by 1e-15 of its terms' magnitudes, above the
// rounding of it and of River's Δμ; NaNs are never screened out.
func screenedOut(n0, n1, u0, u1, epsFloor float64) bool {
	cross := math.Abs(u0*n1-u1*n0) + 1e-15*(math.Abs(u0)*n1+math.Abs(u1)*n0)
	return cross <= epsFloor*(n0*n1)
}

// significant is River's evaluate_cut: |Δμ| > ε with
// ε = sqrt(2·m·(variance/width)·δ') + 2/3·δ'·m,
// m = 1/(n0−mwl+1) + 1/(n1−mwl+1).
func (a *ADWIN) significant(n0, n1, deltaMean, deltaPrime, windowVar float64) bool {
	m := 1/(n0-a.minWindowLengthF+1) + 1/(n1-a.minWindowLengthF+1)
	linear := float64(2.0 / 3.0 * deltaPrime * m)
	dm := math.Abs(deltaMean)
	// ε is the rounded sum of a non-negative square root and linear, so it
	// is never below linear: a difference within linear is not significant,
	// and the square root can be skipped without changing any decision.
	if dm <= linear {
		return false
	}
	return dm > math.Sqrt(2*m*windowVar*deltaPrime)+linear
}

// MemoryBytes estimates the heap held by the detector.
func (a *ADWIN) MemoryBytes() int64 {
	return int64(200 + 8*cap(a.heads) + 8*cap(a.counts) + 8*cap(a.totals) + 8*cap(a.variances))
}

// DetectorKind is "adwin".
func (a *ADWIN) DetectorKind() string { return "adwin" }

// SnapshotKind makes a standalone ADWIN a snapshot.Model.
func (a *ADWIN) SnapshotKind() string { return "drift.adwin" }

// EncodeSnapshot writes the detector as a standalone snapshot.
func (a *ADWIN) EncodeSnapshot(e *snapshot.Encoder) { a.EncodeState(e) }

// EncodeState writes parameters and window.
func (a *ADWIN) EncodeState(e *snapshot.Encoder) {
	e.Int(1)
	e.Float(a.delta)
	e.Int(int64(a.clock))
	e.Int(int64(a.maxBuckets))
	e.Int(int64(a.minWindowLength))
	e.Int(int64(a.gracePeriod))
	e.Float(a.total)
	e.Float(a.variance)
	e.Float(a.width)
	e.Int(int64(a.tick))
	e.Int(int64(a.nDetections))
	e.Bool(a.drift)
	e.Uint(uint64(len(a.counts)))
	for r, c := range a.counts {
		e.Int(int64(c))
		first := r*a.stride + a.heads[r]
		for k := 0; k < c; k++ {
			e.Float(a.totals[first+k])
			e.Float(a.variances[first+k])
		}
	}
}

// DecodeADWIN reads an ADWIN written by EncodeState. Errors are recorded in d
// (and nil is returned).
func DecodeADWIN(d *snapshot.Decoder) *ADWIN {
	d.Version(1)
	delta := d.Float()
	clock := d.IntIn(1, math.MaxInt32)
	mb := d.IntIn(1, 1<<20)
	mwl := d.IntIn(1, math.MaxInt32)
	grace := d.IntIn(0, math.MaxInt32)
	if d.Err() != nil {
		return nil
	}
	a, err := BuildADWIN(WithDelta(delta), WithClock(int(clock)), WithMaxBuckets(int(mb)),
		WithMinWindowLength(int(mwl)), WithGracePeriod(int(grace)))
	if err != nil {
		d.Fail("%v", err)
		return nil
	}
	a.total = d.Float()
	a.variance = d.Float()
	a.width = d.Float()
	if a.width > 0 {
		a.mean = a.total / a.width
	}
	a.tick = int(d.IntIn(0, math.MaxInt64))
	a.phase = a.tick % a.clock
	a.nDetections = int(d.IntIn(0, math.MaxInt64))
	a.drift = d.Bool()
	rows := d.Len(1)
	if d.Err() != nil {
		return nil
	}
	if rows < 1 || rows > 62 {
		d.Fail("ADWIN has %d bucket rows, want 1..62", rows)
		return nil
	}
	for r := 0; r < rows; r++ {
		if r > 0 {
			a.addRow()
		}
		c := int(d.IntIn(0, int64(a.maxBuckets)))
		base := r * a.stride
		for k := 0; k < c; k++ {
			a.totals[base+k] = d.Float()
			a.variances[base+k] = d.Float()
		}
		a.counts[r] = c
	}
	if d.Err() != nil {
		return nil
	}
	return a
}

func init() {
	RegisterKind("adwin", func(d *snapshot.Decoder) Detector {
		if a := DecodeADWIN(d); a != nil {
			return a
		}
		return nil
	})
	snapshot.Register("drift.adwin", func(d *snapshot.Decoder) (snapshot.Model, error) {
		a := DecodeADWIN(d)
		if err := d.Err(); err != nil {
			return nil, err
		}
		return a, nil
	})
}
