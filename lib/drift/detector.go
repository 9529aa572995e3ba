package drift

import (
	"sort"
	"sync"

	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// Detector is a univariate drift detector.
type Detector interface {
	// Update feeds one value and reports whether this update detected a
	// drift (River's drift_detected after update).
	Update(x float64) bool
	// DriftDetected reports the result of the last Update.
	DriftDetected() bool
	// Reset forgets everything seen, keeping the parameters.
	Reset()
	// CloneFresh returns an empty detector with the same parameters.
	CloneFresh() Detector
	// DetectorKind names the detector type in snapshots ("adwin", ...).
	DetectorKind() string
	// EncodeState writes parameters and state; the decoder registered for
	// DetectorKind reads them back.
	EncodeState(e *snapshot.Encoder)
}

// WarningDetector is implemented by detectors with a warning zone (DDM).
type WarningDetector interface {
	Detector
	// WarningDetected reports whether the last Update entered the warning zone.
	WarningDetected() bool
}

// DecodeFunc reads a detector written by its EncodeState.
type DecodeFunc func(d *snapshot.Decoder) Detector

var (
	kindsMu  sync.RWMutex
	decoders = map[string]DecodeFunc{}
)

// RegisterKind makes a detector kind readable by DecodeDetector. Detectors
// defined outside this package register themselves in init. It panics on a
// duplicate kind, which is a programming error.
func RegisterKind(kind string, fn DecodeFunc) {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	if _, dup := decoders[kind]; dup || kind == "" {
		panic("drift: detector kind registered twice or empty: " + kind)
	}
	decoders[kind] = fn
}

// Kinds lists the registered detector kinds, sorted.
func Kinds() []string {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	out := make([]string, 0, len(decoders))
	for k := range decoders {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// EncodeDetector writes any detector, tagged with its kind. A nil detector
// is written as an empty kind and decodes to nil, so models that hold an
// optional detector need no extra flag.
func EncodeDetector(e *snapshot.Encoder, det Detector) {
	if det == nil {
		e.String("")
		return
	}
	e.String(det.DetectorKind())
	det.EncodeState(e)
}

// DecodeDetector reads a detector written by EncodeDetector. An unknown kind
// fails the decoder and returns nil.
func DecodeDetector(d *snapshot.Decoder) Detector {
	kind := d.String()
	if d.Err() != nil || kind == "" {
		return nil
	}
	kindsMu.RLock()
	fn := decoders[kind]
	kindsMu.RUnlock()
	if fn == nil {
		d.Fail("unknown drift detector kind %q (known: %v)", kind, Kinds())
		return nil
	}
	det := fn(d)
	if d.Err() != nil {
		return nil
	}
	return det
}

// riverMean is River's stats.Mean with its exact order of operations
// (mean += (w/n)*(x-mean)), which the Page-Hinkley and DDM goldens need.
type riverMean struct {
	n, mean float64
}

func (m *riverMean) update(x, w float64) {
	m.n += w
	// float64() keeps the product rounded on its own (no fused multiply-add),
	// as in River.
	m.mean += float64((w / m.n) * (x - m.mean))
}
