package stream

import (
	"runtime"
	"testing"
)

// linearCPUMeter adds a "cpu-ns/op" metric to a benchmark: the CPU time of the
// benchmark's own thread per operation, which, unlike ns/op, does not grow
// when other processes compete for the cores.
type linearCPUMeter struct {
	b  *testing.B
	t0 int64
	ok bool
}

func startLinearCPU(b *testing.B) *linearCPUMeter {
	runtime.LockOSThread()
	t0, ok := linearThreadCPU()
	return &linearCPUMeter{b: b, t0: int64(t0), ok: ok}
}

func (m *linearCPUMeter) stop() {
	defer runtime.UnlockOSThread()
	t1, ok := linearThreadCPU()
	if m.ok && ok && m.b.N > 0 {
		m.b.ReportMetric(float64(int64(t1)-m.t0)/float64(m.b.N), "cpu-ns/op")
	}
}
