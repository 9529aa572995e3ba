package drift

import (
	"fmt"
	"math"

	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// DDM is River's drift.binary.DDM (Gama et al., 2004), the Drift Detection
// Method on a stream of errors: 1 for a mistake, 0 for a correct
// prediction. It tracks the error rate p and its binomial deviation s and
// remembers where p+s was lowest; p+s above p_min + 2·s_min is a warning,
// above p_min + 3·s_min a drift. As in River, the update after a detection
// resets the detector first, and the values fed are used as numbers (River
// averages whatever it is given).
type DDM struct {
	warmStart        int
	warningThreshold float64
	driftThreshold   float64

	p       riverMean
	pMin    float64
	sMin    float64
	psMin   float64
	warning bool
	drift   bool
}

// DDMOption configures a DDM.
type DDMOption func(*DDM)

// WithWarmStart sets how many values are needed before any detection (default 30).
func WithWarmStart(n int) DDMOption { return func(d *DDM) { d.warmStart = n } }

// WithWarningThreshold sets the warning multiplier of s_min (default 2).
func WithWarningThreshold(t float64) DDMOption { return func(d *DDM) { d.warningThreshold = t } }

// WithDriftThreshold sets the drift multiplier of s_min (default 3).
func WithDriftThreshold(t float64) DDMOption { return func(d *DDM) { d.driftThreshold = t } }

// BuildDDM returns a DDM with River's defaults changed by opts, or an error
// naming an invalid parameter.
func BuildDDM(opts ...DDMOption) (*DDM, error) {
	d := &DDM{warmStart: 30, warningThreshold: 2, driftThreshold: 3}
	for _, o := range opts {
		o(d)
	}
	switch {
	case d.warmStart < 0:
		return nil, fmt.Errorf("drift: DDM warm_start must not be negative, got %d", d.warmStart)
	case math.IsNaN(d.warningThreshold) || math.IsNaN(d.driftThreshold):
		return nil, fmt.Errorf("drift: DDM thresholds must not be NaN")
	}
	d.Reset()
	return d, nil
}

// NewDDM is BuildDDM for known-valid parameters; it panics on an invalid one.
func NewDDM(opts ...DDMOption) *DDM {
	d, err := BuildDDM(opts...)
	if err != nil {
		panic(err)
	}
	return d
}

// Update feeds one outcome (1 = error) and reports whether it detected a drift.
func (d *DDM) Update(x float64) bool {
	if d.drift {
		d.Reset()
	}
	d.p.update(x, 1)
	p, n := d.p.mean, d.p.n
	s := math.Sqrt(p * (1 - p) / n)
	if n > float64(d.warmStart) {
		ps := p + s
		if ps <= d.psMin {
			d.pMin, d.sMin = p, s
			d.psMin = d.pMin + d.sMin
		}
		d.warning = ps > d.pMin+float64(d.warningThreshold*d.sMin)
		if ps > d.pMin+float64(d.driftThreshold*d.sMin) {
			d.drift = true
			d.warning = false
		}
	}
	return d.drift
}

// DriftDetected reports whether the last Update detected a drift.
func (d *DDM) DriftDetected() bool { return d.drift }

// WarningDetected reports whether the last Update is in the warning zone.
func (d *DDM) WarningDetected() bool { return d.warning }

// Reset forgets everything seen.
func (d *DDM) Reset() {
	d.p = riverMean{}
	// River starts p_min and s_min as None; they are set on the first
	// update past warm start because ps_min starts at +inf.
	d.pMin, d.sMin = 0, 0
	d.psMin = math.Inf(1)
	d.warning, d.drift = false, false
}

// CloneFresh returns an empty detector with the same parameters.
func (d *DDM) CloneFresh() Detector {
	c := *d
	c.Reset()
	return &c
}

// DetectorKind is "ddm".
func (d *DDM) DetectorKind() string { return "ddm" }

// EncodeState writes parameters and state.
func (d *DDM) EncodeState(e *snapshot.Encoder) {
	e.Int(1)
	e.Int(int64(d.warmStart))
	e.Float(d.warningThreshold)
	e.Float(d.driftThreshold)
	e.Float(d.p.n)
	e.Float(d.p.mean)
	e.Float(d.pMin)
	e.Float(d.sMin)
	e.Float(d.psMin)
	e.Bool(d.warning)
	e.Bool(d.drift)
}

// DecodeDDM reads a detector written by EncodeState; errors are recorded in dec.
func DecodeDDM(dec *snapshot.Decoder) *DDM {
	dec.Version(1)
	warm := dec.IntIn(0, math.MaxInt32)
	wt, dt := dec.Float(), dec.Float()
	if dec.Err() != nil {
		return nil
	}
	d, err := BuildDDM(WithWarmStart(int(warm)), WithWarningThreshold(wt), WithDriftThreshold(dt))
	if err != nil {
		dec.Fail("%v", err)
		return nil
	}
	d.p.n, d.p.mean = dec.Float(), dec.Float()
	d.pMin, d.sMin, d.psMin = dec.Float(), dec.Float(), dec.Float()
	d.warning, d.drift = dec.Bool(), dec.Bool()
	if dec.Err() != nil {
		return nil
	}
	return d
}

func init() {
	RegisterKind("ddm", func(dec *snapshot.Decoder) Detector {
		if d := DecodeDDM(dec); d != nil {
			return d
		}
		return nil
	})
}
