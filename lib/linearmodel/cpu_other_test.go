//go:build !linux

package linearmodel

import "time"

// threadCPU is unavailable here: benchmarks report wall time only.
func threadCPU() (time.Duration, bool) { return 0, false }
