//go:build !linux

package stream

import "time"

// linearThreadCPU is unavailable here: benchmarks report wall time only.
func linearThreadCPU() (time.Duration, bool) { return 0, false }
