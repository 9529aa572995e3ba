package serve

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// latencyBuckets are the upper bounds of the latency histograms: 50 µs to
// 10 s, about three per decade, which spans a prediction (microseconds), a
// record's trip through Kafka (milliseconds) and a model swap.
var latencyBuckets = []time.Duration{
	50 * time.Microsecond, 100 * time.Microsecond, 250 * time.Microsecond, 500 * time.Microsecond,
	time.Millisecond, 2500 * time.Microsecond, 5 * time.Millisecond, 10 * time.Millisecond,
	25 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond, 250 * time.Millisecond,
	500 * time.Millisecond, time.Second, 2500 * time.Millisecond, 5 * time.Second, 10 * time.Second,
}

// histogram is a Prometheus histogram of durations. Observations are
// lock-free: the scoring loop and the HTTP handlers record concurrently
// with /metrics reading.
type histogram struct {
	name, help string
	counts     []atomic.Uint64 // per bucket, not cumulative; the last is +Inf
	sumNanos   atomic.Int64
}

func newHistogram(name, help string) *histogram {
	return &histogram{name: name, help: help, counts: make([]atomic.Uint64, len(latencyBuckets)+1)}
}

// observe records d. A negative duration (a producer clock ahead of ours)
// is recorded as 0: Prometheus histograms require a non-decreasing sum.
func (h *histogram) observe(d time.Duration) {
	d = max(d, 0)
	i, _ := slices.BinarySearch(latencyBuckets, d) // first bound >= d
	h.counts[i].Add(1)
	h.sumNanos.Add(int64(d))
}

// counts returns the cumulative bucket counts (the last is the total).
func (h *histogram) cumulative() []uint64 {
	out := make([]uint64, len(h.counts))
	var total uint64
	for i := range h.counts {
		total += h.counts[i].Load()
		out[i] = total
	}
	return out
}

func (h *histogram) write(b *strings.Builder) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s histogram\n", h.name, h.help, h.name)
	cum := h.cumulative()
	for i, bound := range latencyBuckets {
		fmt.Fprintf(b, "%s_bucket{le=\"%s\"} %d\n", h.name, promFloat(bound.Seconds()), cum[i])
	}
	total := cum[len(cum)-1]
	fmt.Fprintf(b, "%s_bucket{le=\"+Inf\"} %d\n", h.name, total)
	fmt.Fprintf(b, "%s_sum %s\n%s_count %d\n", h.name, promFloat(time.Duration(h.sumNanos.Load()).Seconds()), h.name, total)
}

// metrics are the service's counters, gauges and histograms, written in
// the Prometheus text exposition format (version 0.0.4) by writeTo.
type serviceMetrics struct {
	records       atomic.Uint64 // scored and written
	recordErrors  atomic.Uint64 // could not be scored (dead-lettered)
	deadLetters   atomic.Uint64 // dead letters written, records and model updates
	modelRejected atomic.Uint64
	swaps         atomic.Uint64
	version       atomic.Int64
	partitions    atomic.Int64
	commits       atomic.Uint64

	messaging, processing, endToEnd, predictHTTP, swapLatency *histogram

	mu        sync.Mutex
	byVersion map[int64]*atomic.Uint64
	httpCodes map[string]*atomic.Uint64 // "handler code"
	started   time.Time
}

func newMetrics() *serviceMetrics {
	m := &serviceMetrics{
		messaging: newHistogram("rivulet_serve_messaging_seconds",
			"Producer timestamp (the record's st) to the moment the scoring loop reached the record."),
		processing: newHistogram("rivulet_serve_processing_seconds",
			"Scoring loop reached the record to prediction encoded: decoding, prediction (and learning with --learn)."),
		endToEnd: newHistogram("rivulet_serve_end_to_end_seconds",
			"Producer timestamp (st) to prediction encoded."),
		predictHTTP: newHistogram("rivulet_serve_http_predict_seconds",
			"Time to answer POST /predict, from request to response written."),
		swapLatency: newHistogram("rivulet_serve_model_swap_seconds",
			"Model version published (its created-at header) to served."),
		byVersion: map[int64]*atomic.Uint64{},
		httpCodes: map[string]*atomic.Uint64{},
		started:   time.Now(),
	}
	m.version.Store(-1)
	return m
}

// versionCounter returns the prediction counter of version v.
func (m *serviceMetrics) versionCounter(v int64) *atomic.Uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.byVersion[v]
	if c == nil {
		c = new(atomic.Uint64)
		m.byVersion[v] = c
	}
	return c
}

func (m *serviceMetrics) swapped(v int64, latency time.Duration, live bool) {
	m.swaps.Add(1)
	m.version.Store(v)
	if live {
		m.swapLatency.observe(latency)
	}
}

func (m *serviceMetrics) httpRequest(handler string, code int) {
	key := handler + " " + strconv.Itoa(code)
	m.mu.Lock()
	c := m.httpCodes[key]
	if c == nil {
		c = new(atomic.Uint64)
		m.httpCodes[key] = c
	}
	m.mu.Unlock()
	c.Add(1)
}

func (m *serviceMetrics) writeTo(w io.Writer) error {
	var b strings.Builder
	counter := func(name, help string, v uint64) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
	}
	gauge := func(name, help string, v int64) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n%s %d\n", name, help, name, name, v)
	}
	counter("rivulet_serve_records_total", "Feature records scored, their prediction written.", m.records.Load())
	counter("rivulet_serve_errors_total", "Feature records that could not be scored (each is dead-lettered).", m.recordErrors.Load())
	counter("rivulet_serve_dead_letters_total", "Dead letters written: feature records and model updates.", m.deadLetters.Load())
	counter("rivulet_serve_model_updates_rejected_total", "Model updates refused (bad headers, chunks, checksum, schema or snapshot).", m.modelRejected.Load())
	counter("rivulet_serve_model_swaps_total", "Model versions swapped in.", m.swaps.Load())
	counter("rivulet_serve_commits_total", "Offset commits of the features topic.", m.commits.Load())
	gauge("rivulet_serve_model_version", "Version of the served model (0: the initial untrained model, -1: none yet).", m.version.Load())
	gauge("rivulet_serve_assigned_partitions", "Partitions of the features topic assigned to this replica.", m.partitions.Load())
	fmt.Fprintf(&b, "# HELP rivulet_serve_uptime_seconds Seconds since the service started.\n# TYPE rivulet_serve_uptime_seconds gauge\nrivulet_serve_uptime_seconds %s\n",
		promFloat(time.Since(m.started).Seconds()))

	m.mu.Lock()
	versions := make([]int64, 0, len(m.byVersion))
	for v := range m.byVersion {
		versions = append(versions, v)
	}
	slices.Sort(versions)
	codes := make([]string, 0, len(m.httpCodes))
	for k := range m.httpCodes {
		codes = append(codes, k)
	}
	slices.Sort(codes)
	b.WriteString("# HELP rivulet_serve_predictions_total Predictions written, by model version.\n# TYPE rivulet_serve_predictions_total counter\n")
	for _, v := range versions {
		fmt.Fprintf(&b, "rivulet_serve_predictions_total{version=\"%d\"} %d\n", v, m.byVersion[v].Load())
	}
	b.WriteString("# HELP rivulet_serve_http_requests_total HTTP requests answered, by handler and status code.\n# TYPE rivulet_serve_http_requests_total counter\n")
	for _, k := range codes {
		handler, code, _ := strings.Cut(k, " ")
		fmt.Fprintf(&b, "rivulet_serve_http_requests_total{handler=\"%s\",code=\"%s\"} %d\n", handler, code, m.httpCodes[k].Load())
	}
	m.mu.Unlock()

	for _, h := range []*histogram{m.messaging, m.processing, m.endToEnd, m.predictHTTP, m.swapLatency} {
		h.write(&b)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// promFloat formats a sample value as Prometheus expects: Go's shortest
// representation, with +Inf, -Inf and NaN spelled out.
func promFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
