//go:build linux

package stream

import (
	"syscall"
	"time"
)

// linearThreadCPU is the CPU time the calling OS thread has used (Linux's
// RUSAGE_THREAD). Benchmarks report it next to wall time because on a
// shared machine wall time also counts the time other processes hold the
// CPU.
func linearThreadCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
