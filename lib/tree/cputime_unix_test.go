//go:build unix

package tree

import (
	"syscall"
	"time"
)

// processCPU is the user+system CPU time of the process. Benchmarks report
// records per CPU-second next to records per wall-second because the
// shared build machines are often oversubscribed.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
