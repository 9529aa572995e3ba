package stream

import (
	"runtime"
	"testing"
)

// cpuMeter adds a "cpu-ns/op" metric to a benchmark: the CPU time of the
// benchmark's own thread per operation, which, unlike ns/op, does not grow
// when other processes compete for the cores.
type cpuMeter struct {
	b  *testing.B
	t0 int64
	ok bool
}

func startCPU(b *testing.B) *cpuMeter {
	runtime.LockOSThread()
	t0, ok := threadCPU()
	return &cpuMeter{b: b, t0: int64(t0), ok: ok}
}

func (m *cpuMeter) stop() {
	defer runtime.UnlockOSThread()
	t1, ok := threadCPU()
	if m.ok && ok && m.b.N > 0 {
		m.b.ReportMetric(float64(int64(t1)-m.t0)/float64(m.b.N), "cpu-ns/op")
	}
}
