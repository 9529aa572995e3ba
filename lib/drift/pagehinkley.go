package drift

import (
	"fmt"
	"math"

	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// PageHinkleyMode selects which changes of the mean Page-Hinkley reports.
type PageHinkleyMode int

const (
	// PageHinkleyBoth reports increases and decreases (River's "both").
	PageHinkleyBoth PageHinkleyMode = iota
	// PageHinkleyUp reports increases only ("up").
	PageHinkleyUp
	// PageHinkleyDown reports decreases only ("down").
	PageHinkleyDown
)

// String returns River's name for the mode.
func (m PageHinkleyMode) String() string {
	switch m {
	case PageHinkleyUp:
		return "up"
	case PageHinkleyDown:
		return "down"
	case PageHinkleyBoth:
		return "both"
	}
	return fmt.Sprintf("PageHinkleyMode(%d)", int(m))
}

// ParsePageHinkleyMode reads River's mode names "both", "up" and "down".
func ParsePageHinkleyMode(s string) (PageHinkleyMode, error) {
	switch s {
	case "both":
		return PageHinkleyBoth, nil
	case "up":
		return PageHinkleyUp, nil
	case "down":
		return PageHinkleyDown, nil
	}
	return 0, fmt.Errorf("drift: invalid Page-Hinkley mode %q; valid modes are both, up, down", s)
}

// PageHinkley is River's drift.PageHinkley: a two-sided CUSUM on the
// deviations of each value from the running mean, with a fading factor.
// As in River, the update after a detection resets the detector first.
type PageHinkley struct {
	minInstances int
	delta        float64
	threshold    float64
	alpha        float64
	mode         PageHinkleyMode

	mean        riverMean
	sumIncrease float64
	sumDecrease float64
	minIncrease float64
	maxDecrease float64
	drift       bool
}

// PageHinkleyOption configures a PageHinkley.
type PageHinkleyOption func(*PageHinkley)

// WithMinInstances sets how many values are needed before a detection (default 30).
func WithMinInstances(n int) PageHinkleyOption { return func(p *PageHinkley) { p.minInstances = n } }

// WithPHDelta sets the tolerated deviation δ (default 0.005).
func WithPHDelta(d float64) PageHinkleyOption { return func(p *PageHinkley) { p.delta = d } }

// WithThreshold sets the detection threshold λ (default 50).
func WithThreshold(t float64) PageHinkleyOption { return func(p *PageHinkley) { p.threshold = t } }

// WithAlpha sets the fading factor (default 1 − 0.0001).
func WithAlpha(a float64) PageHinkleyOption { return func(p *PageHinkley) { p.alpha = a } }

// WithMode sets which direction of change is reported (default both).
func WithMode(m PageHinkleyMode) PageHinkleyOption { return func(p *PageHinkley) { p.mode = m } }

// BuildPageHinkley returns a Page-Hinkley detector with River's defaults
// changed by opts, or an error naming an invalid parameter.
func BuildPageHinkley(opts ...PageHinkleyOption) (*PageHinkley, error) {
	p := &PageHinkley{minInstances: 30, delta: 0.005, threshold: 50, alpha: 1 - 0.0001, mode: PageHinkleyBoth}
	for _, o := range opts {
		o(p)
	}
	switch {
	case p.minInstances < 0:
		return nil, fmt.Errorf("drift: PageHinkley min_instances must not be negative, got %d", p.minInstances)
	case math.IsNaN(p.delta) || math.IsNaN(p.threshold) || math.IsNaN(p.alpha):
		return nil, fmt.Errorf("drift: PageHinkley delta, threshold and alpha must not be NaN")
	case p.mode < PageHinkleyBoth || p.mode > PageHinkleyDown:
		return nil, fmt.Errorf("drift: invalid Page-Hinkley mode %d", int(p.mode))
	}
	p.Reset()
	return p, nil
}

// NewPageHinkley is BuildPageHinkley for known-valid parameters; it panics
// on an invalid one.
func NewPageHinkley(opts ...PageHinkleyOption) *PageHinkley {
	p, err := BuildPageHinkley(opts...)
	if err != nil {
		panic(err)
	}
	return p
}

// Update feeds x and reports whether it detected a drift.
func (p *PageHinkley) Update(x float64) bool {
	if p.drift {
		p.Reset()
	}
	p.mean.update(x, 1)
	dev := x - p.mean.mean
	p.sumIncrease = float64(p.alpha*p.sumIncrease) + dev - p.delta
	p.sumDecrease = float64(p.alpha*p.sumDecrease) + dev + p.delta
	if p.sumIncrease < p.minIncrease {
		p.minIncrease = p.sumIncrease
	}
	if p.sumDecrease > p.maxDecrease {
		p.maxDecrease = p.sumDecrease
	}
	if p.mean.n >= float64(p.minInstances) {
		up := p.sumIncrease - p.minIncrease
		down := p.maxDecrease - p.sumDecrease
		switch p.mode {
		case PageHinkleyUp:
			p.drift = up > p.threshold
		case PageHinkleyDown:
			p.drift = down > p.threshold
		default:
			p.drift = up > p.threshold || down > p.threshold
		}
	}
	return p.drift
}

// DriftDetected reports whether the last Update detected a drift.
func (p *PageHinkley) DriftDetected() bool { return p.drift }

// Reset forgets everything seen.
func (p *PageHinkley) Reset() {
	p.mean = riverMean{}
	p.sumIncrease, p.sumDecrease = 0, 0
	p.minIncrease = math.Inf(1)
	// River starts the running maximum at -1, not -inf; kept for parity.
	p.maxDecrease = -1
	p.drift = false
}

// CloneFresh returns an empty detector with the same parameters.
func (p *PageHinkley) CloneFresh() Detector {
	c := *p
	c.Reset()
	return &c
}

// DetectorKind is "page-hinkley".
func (p *PageHinkley) DetectorKind() string { return "page-hinkley" }

// EncodeState writes parameters and state.
func (p *PageHinkley) EncodeState(e *snapshot.Encoder) {
	e.Int(1)
	e.Int(int64(p.minInstances))
	e.Float(p.delta)
	e.Float(p.threshold)
	e.Float(p.alpha)
	e.Int(int64(p.mode))
	e.Float(p.mean.n)
	e.Float(p.mean.mean)
	e.Float(p.sumIncrease)
	e.Float(p.sumDecrease)
	e.Float(p.minIncrease)
	e.Float(p.maxDecrease)
	e.Bool(p.drift)
}

// DecodePageHinkley reads a detector written by EncodeState; errors are
// recorded in d.
func DecodePageHinkley(d *snapshot.Decoder) *PageHinkley {
	d.Version(1)
	minInstances := d.IntIn(0, math.MaxInt32)
	delta, threshold, alpha := d.Float(), d.Float(), d.Float()
	mode := d.IntIn(0, 2)
	if d.Err() != nil {
		return nil
	}
	p, err := BuildPageHinkley(WithMinInstances(int(minInstances)), WithPHDelta(delta),
		WithThreshold(threshold), WithAlpha(alpha), WithMode(PageHinkleyMode(mode)))
	if err != nil {
		d.Fail("%v", err)
		return nil
	}
	p.mean.n, p.mean.mean = d.Float(), d.Float()
	p.sumIncrease, p.sumDecrease = d.Float(), d.Float()
	p.minIncrease, p.maxDecrease = d.Float(), d.Float()
	p.drift = d.Bool()
	if d.Err() != nil {
		return nil
	}
	return p
}

func init() {
	RegisterKind("page-hinkley", func(d *snapshot.Decoder) Detector {
		if p := DecodePageHinkley(d); p != nil {
			return p
		}
		return nil
	})
}
