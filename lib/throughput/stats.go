package throughput

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Stats summarises the per-record cost of one kind of work (training,
// prediction, or both).
type Stats struct {
	// Records is how many records were timed (over every repetition).
	Records int
	// Mean is the mean time per record: the original's "Expected Time".
	Mean time.Duration
	// P50, P99 and Max are percentiles of the per-record durations (linear
	// interpolation between order statistics, numpy's default). They are 0
	// for the original method, which timed whole loops only.
	P50, P99, Max time.Duration
	// RepetitionMeans are the mean per record of each timed repetition: their
	// spread shows how noisy the machine was.
	RepetitionMeans []time.Duration
	// CPU is the mean CPU time per record of the timing thread (Linux; 0
	// elsewhere). Unlike Mean it does not grow when other processes take
	// the core away, so it is the figure to trust on a loaded machine. It
	// includes the garbage collector's work done on that thread.
	CPU time.Duration
	// AllCores is the records per second of Consumers models working at once,
	// one per goroutine (0 when not measured).
	AllCores float64
}

// MsPerRecord is the original's "Expected Time(ms) Per Record".
func (s Stats) MsPerRecord() float64 { return ms(s.Mean) }

// MillionRecordsSeconds is the original's "Expected Time Million Records (s)".
func (s Stats) MillionRecordsSeconds() float64 { return s.Mean.Seconds() * 1e6 }

// MillionRecordsMinutes is the original's "Expected Time Million Records (mins)".
func (s Stats) MillionRecordsMinutes() float64 { return s.Mean.Seconds() * 1e6 / 60 }

// Throughput is round(1 / mean seconds per record), the records one thread
// processes per second (the original's "Max ... Throughput").
func (s Stats) Throughput() int64 { return throughputOf(s.Mean.Seconds()) }

// throughputOf rounds half to even, as Python's round(1 / avg).
func throughputOf(seconds float64) int64 {
	if !(seconds > 0) {
		return 0
	}
	return int64(math.RoundToEven(1 / seconds))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// summarize builds Stats from per-record samples (sorted in place) and the
// per-repetition means.
func summarize(samples []time.Duration, repMeans []time.Duration) Stats {
	s := Stats{Records: len(samples), RepetitionMeans: repMeans}
	if len(samples) == 0 {
		return s
	}
	slices.Sort(samples)
	var sum float64
	for _, d := range samples {
		sum += float64(d)
	}
	s.Mean = time.Duration(math.Round(sum / float64(len(samples))))
	s.P50 = percentile(samples, 0.50)
	s.P99 = percentile(samples, 0.99)
	s.Max = samples[len(samples)-1]
	return s
}

// percentile interpolates linearly between the order statistics of sorted
// (numpy.percentile's default "linear" method, the Python script's).
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	k := float64(len(sorted)-1) * q
	lo := int(math.Floor(k))
	hi := int(math.Ceil(k))
	frac := k - float64(lo)
	return sorted[lo] + time.Duration(math.Round(float64(sorted[hi]-sorted[lo])*frac))
}

// meanOf returns total / n.
func meanOf(total time.Duration, n int) time.Duration {
	if n == 0 {
		return 0
	}
	return time.Duration(math.Round(float64(total) / float64(n)))
}

// ConsumersNeeded returns how many consumers a target rate needs when each
// sustains perConsumer records per second and should run at most at the
// given utilisation (0 < utilisation ≤ 1): a consumer kept below saturation
// keeps its queue, and so its latency, bounded. The original ran ARF at 800
// records/s against about 900 measured (utilisation ≈ 0.9). Consumers scale
// linearly only as far as the partitions and cores allow: the answer is a
// lower bound.
func ConsumersNeeded(target, perConsumer, utilisation float64) (int, error) {
	switch {
	case !(target >= 0) || math.IsInf(target, 0):
		return 0, fmt.Errorf("throughput: target rate %v: want a finite rate ≥ 0", target)
	case !(perConsumer > 0) || math.IsInf(perConsumer, 0):
		return 0, fmt.Errorf("throughput: per-consumer rate %v: want a finite rate > 0", perConsumer)
	case !(utilisation > 0 && utilisation <= 1):
		return 0, fmt.Errorf("throughput: utilisation %v: want 0 < u ≤ 1", utilisation)
	}
	if target == 0 {
		return 0, nil
	}
	capacity := perConsumer * utilisation
	n := math.Ceil(target / capacity)
	// The quotient can land an ulp above a whole number (4900 / (700 × 0.7)
	// is 10.000000000000002): one consumer fewer is enough when it covers
	// the target to within rounding.
	if n > 1 && (n-1)*capacity >= target*(1-1e-12) {
		n--
	}
	return int(n), nil
}
