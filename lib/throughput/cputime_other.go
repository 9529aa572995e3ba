//go:build !linux

package throughput

import "time"

// threadCPU is not available on this platform: CPU-time figures stay 0.
func threadCPU() (time.Duration, bool) { return 0, false }
