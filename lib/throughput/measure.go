package throughput

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/datasets"
	"github.com/rivulet-ml/rivulet/lib/progress"
)

// Method chooses how the per-record cost is measured (see the package
// documentation).
type Method int

const (
	// Rivulet times each record on its own, on records parsed beforehand,
	// and measures predict-then-learn as it runs.
	Rivulet Method = iota
	// Original repeats the original notebook: whole loops, parsing included,
	// total = train + predict.
	Original
)

func (m Method) String() string {
	if m == Original {
		return "original"
	}
	return "rivulet"
}

// ParseMethod reads "rivulet" or "original".
func ParseMethod(s string) (Method, error) {
	switch s {
	case "rivulet":
		return Rivulet, nil
	case "original":
		return Original, nil
	}
	return 0, fmt.Errorf("throughput: method %q: want rivulet or original", s)
}

// Factory builds a fresh, untrained model. It is called once per
// repetition and per consumer, so every timed pass starts from scratch.
type Factory func() (base.Classifier, error)

// Model is a model to measure.
type Model struct {
	// Name is the short name rows are keyed by ("hat", "srp-nb", …).
	Name string
	// Classifier is the label of the original's tables
	// ("HoeffdingAdaptiveTreeClassifier", "SRPClassifierHAT", …).
	Classifier string
	// Spec says how the model was built (registry name and parameters).
	Spec string
	New  Factory
}

// Result is the measurement of one model.
type Result struct {
	Model      string
	Classifier string
	Spec       string
	Method     Method
	// N is the number of records trained on per repetition.
	N int
	// HeldOut reports whether prediction alone ran on records [n, 2n) that
	// the model had not learnt (false: on the training records).
	HeldOut bool
	// Train, Predict and Total are the three tables' measurements; Total is
	// predict-then-learn (Rivulet) or the sum of the other two (Original).
	Train, Predict, Total Stats
	// MemoryBytes is the trained model's memory (base.MemoryReporter), 0 if
	// the model does not report it.
	MemoryBytes int64
	// Accuracy is the prequential accuracy of predict-then-learn (Rivulet) or
	// the accuracy on the training records after training (Original), the
	// mean over timed repetitions.
	Accuracy float64
	// Consumers is the number of models run at once for Stats.AllCores (0
	// when not measured).
	Consumers   int
	Warmup      int
	Repetitions int
}

type config struct {
	method    Method
	warmup    int
	reps      int
	consumers int
	progress  progress.Reporter
	now       func() time.Duration // monotonic clock; tests replace it
}

// Option configures Measure.
type Option func(*config)

// WithMethod chooses the method (default Rivulet).
func WithMethod(m Method) Option { return func(c *config) { c.method = m } }

// WithWarmup sets the number of untimed repetitions run first (default 1).
// Go compiles ahead of time, so warming up only fills caches and grows the
// heap; one pass is enough.
func WithWarmup(n int) Option { return func(c *config) { c.warmup = n } }

// WithRepetitions sets the number of timed repetitions (default 3), each
// with fresh models; their samples are pooled.
func WithRepetitions(n int) Option { return func(c *config) { c.reps = n } }

// WithConsumers sets how many models run at once, one per goroutine, for
// the all-cores throughput (default runtime.GOMAXPROCS(0); 0 skips it).
func WithConsumers(n int) Option { return func(c *config) { c.consumers = n } }

// WithProgress reports the records processed (untimed bookkeeping: the
// reporter is called between timed loops, never inside one).
func WithProgress(r progress.Reporter) Option { return func(c *config) { c.progress = r } }

// withClock replaces the clock (tests).
func withClock(now func() time.Duration) Option { return func(c *config) { c.now = now } }

func newConfig(opts []Option) (config, error) {
	c := config{warmup: 1, reps: 3, consumers: runtime.GOMAXPROCS(0)}
	for _, o := range opts {
		o(&c)
	}
	if c.warmup < 0 {
		return c, fmt.Errorf("throughput: warm-up %d: want 0 or more repetitions", c.warmup)
	}
	if c.reps < 1 {
		return c, fmt.Errorf("throughput: repetitions %d: want at least 1", c.reps)
	}
	if c.consumers < 0 {
		return c, fmt.Errorf("throughput: consumers %d: want 0 or more", c.consumers)
	}
	if c.method != Rivulet && c.method != Original {
		return c, fmt.Errorf("throughput: unknown method %d", c.method)
	}
	if c.now == nil {
		// time.Since on a monotonic start reads only the monotonic clock
		// (one vDSO call), not the wall clock as well. BenchmarkClock
		// measures a read; BenchmarkTimedRecordOverhead what a timed
		// record pays in all (about 0.1 µs, included in the figures, as
		// perf_counter_ns's cost is in River's).
		start := time.Now()
		c.now = func() time.Duration { return time.Since(start) }
	}
	c.progress = progress.Nop(c.progress)
	return c, nil
}

// Measure times model m on the first n records of data.
func Measure(ctx context.Context, m Model, data *Data, n int, opts ...Option) (*Result, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	if m.New == nil {
		return nil, fmt.Errorf("throughput: model %q has no factory", m.Name)
	}
	train, heldOut, err := data.split(n)
	if err != nil {
		return nil, err
	}
	res := &Result{
		Model: m.Name, Classifier: m.Classifier, Spec: m.Spec, Method: cfg.method,
		N: n, HeldOut: data.HeldOut(n),
		Warmup: cfg.warmup, Repetitions: cfg.reps,
	}
	if cfg.method == Original {
		res.HeldOut = false
	}
	perPass := int64(len(train) + len(heldOut) + len(train))
	if cfg.method == Original {
		perPass = int64(2 * n)
	}
	total := int64(cfg.warmup+cfg.reps) * perPass
	if cfg.consumers > 0 {
		total += int64(cfg.consumers) * int64(len(train)+len(heldOut)+len(train))
	}
	cfg.progress.Start(fmt.Sprintf("%s (%s)", m.Name, cfg.method), total)
	defer cfg.progress.Done()

	r := runner{cfg: cfg, ctx: ctx, model: m}
	if cfg.method == Original {
		err = r.original(res, data.textOf(n), data.Name)
	} else {
		err = r.rivulet(res, train, heldOut)
	}
	if err != nil {
		return nil, err
	}
	if cfg.consumers > 0 {
		if err := r.allCores(res, train, heldOut); err != nil {
			return nil, err
		}
		res.Consumers = cfg.consumers
	}
	return res, nil
}

// MeasureAll measures each model in turn.
func MeasureAll(ctx context.Context, ms []Model, data *Data, n int, opts ...Option) ([]*Result, error) {
	out := make([]*Result, 0, len(ms))
	for _, m := range ms {
		r, err := Measure(ctx, m, data, n, opts...)
		if err != nil {
			return out, fmt.Errorf("%s: %w", m.Name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

type runner struct {
	cfg   config
	ctx   context.Context
	model Model
}

func (r *runner) build() (base.Classifier, error) {
	m, err := r.model.New()
	if err != nil {
		return nil, fmt.Errorf("building %s: %w", r.model.Name, err)
	}
	if m == nil {
		return nil, fmt.Errorf("building %s: factory returned nil", r.model.Name)
	}
	return m, nil
}

// release frees what a model holds beyond memory (an ensemble's worker
// goroutines).
func release(m base.Classifier) {
	if c, ok := m.(io.Closer); ok {
		_ = c.Close()
	}
}

func memoryOf(m base.Classifier) int64 {
	if mr, ok := m.(base.MemoryReporter); ok {
		return mr.MemoryBytes()
	}
	return 0
}

// rivulet runs the warm-up and timed repetitions of the Rivulet method.
func (r *runner) rivulet(res *Result, train, heldOut []Record) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	reps := r.cfg.reps
	trainNs := make([]time.Duration, len(train)*reps)
	predictNs := make([]time.Duration, len(heldOut)*reps)
	totalNs := make([]time.Duration, len(train)*reps)
	var trainMeans, predictMeans, totalMeans []time.Duration
	var accSum float64
	var cpu [3]time.Duration
	scratchT := make([]time.Duration, len(train))
	scratchP := make([]time.Duration, len(heldOut))
	scratchB := make([]time.Duration, len(train))
	for rep := -r.cfg.warmup; rep < reps; rep++ {
		t, p, b := scratchT, scratchP, scratchB
		if rep >= 0 {
			t = trainNs[rep*len(train) : (rep+1)*len(train)]
			p = predictNs[rep*len(heldOut) : (rep+1)*len(heldOut)]
			b = totalNs[rep*len(train) : (rep+1)*len(train)]
		}
		pass, err := r.rivuletPass(train, heldOut, t, p, b)
		if err != nil {
			return err
		}
		if rep < 0 {
			continue
		}
		if rep == 0 {
			res.MemoryBytes = pass.memory
		}
		accSum += pass.accuracy
		for i := range cpu {
			cpu[i] += pass.cpu[i]
		}
		trainMeans = append(trainMeans, sumOf(t)/time.Duration(len(t)))
		predictMeans = append(predictMeans, sumOf(p)/time.Duration(len(p)))
		totalMeans = append(totalMeans, sumOf(b)/time.Duration(len(b)))
	}
	res.Accuracy = accSum / float64(reps)
	res.Train = summarize(trainNs, trainMeans)
	res.Predict = summarize(predictNs, predictMeans)
	res.Total = summarize(totalNs, totalMeans)
	res.Train.CPU = meanOf(cpu[0], len(trainNs))
	res.Predict.CPU = meanOf(cpu[1], len(predictNs))
	res.Total.CPU = meanOf(cpu[2], len(totalNs))
	return nil
}

func sumOf(ds []time.Duration) time.Duration {
	var s time.Duration
	for _, d := range ds {
		s += d
	}
	return s
}

// passResult is what one repetition reports besides per-record durations.
type passResult struct {
	accuracy float64
	memory   int64
	cpu      [3]time.Duration // thread CPU time of training, prediction, both
}

// cpuSpan measures the calling thread's CPU time over a loop.
type cpuSpan struct {
	start time.Duration
	ok    bool
}

func startCPU() cpuSpan {
	t, ok := threadCPU()
	return cpuSpan{t, ok}
}

// elapsed returns the CPU time since start, 0 when it cannot be measured.
func (s cpuSpan) elapsed() time.Duration {
	if !s.ok {
		return 0
	}
	t, ok := threadCPU()
	if !ok {
		return 0
	}
	return t - s.start
}

// rivuletPass is one repetition: it fills the per-record durations of
// training, prediction and predict-then-learn, and returns the prequential
// accuracy, the trained model's memory and each loop's CPU time.
func (r *runner) rivuletPass(train, heldOut []Record, trainNs, predictNs, totalNs []time.Duration) (passResult, error) {
	var res passResult
	now := r.cfg.now
	m, err := r.build()
	if err != nil {
		return res, err
	}
	defer release(m)
	runtime.GC()
	cpu := startCPU()
	for i := range train {
		t := now()
		m.LearnOne(train[i].X, train[i].Y)
		trainNs[i] = now() - t
	}
	res.cpu[0] = cpu.elapsed()
	r.cfg.progress.Add(int64(len(train)))
	if err := r.ctx.Err(); err != nil {
		return res, err
	}
	runtime.GC()
	cpu = startCPU()
	for i := range heldOut {
		t := now()
		m.PredictOne(heldOut[i].X)
		predictNs[i] = now() - t
	}
	res.cpu[1] = cpu.elapsed()
	r.cfg.progress.Add(int64(len(heldOut)))
	res.memory = memoryOf(m)
	if err := r.ctx.Err(); err != nil {
		return res, err
	}

	fresh, err := r.build()
	if err != nil {
		return res, err
	}
	defer release(fresh)
	runtime.GC()
	correct := 0
	cpu = startCPU()
	for i := range train {
		t := now()
		p := fresh.PredictOne(train[i].X)
		fresh.LearnOne(train[i].X, train[i].Y)
		totalNs[i] = now() - t
		if p == train[i].Y {
			correct++
		}
	}
	res.cpu[2] = cpu.elapsed()
	r.cfg.progress.Add(int64(len(train)))
	res.accuracy = float64(correct) / float64(len(train))
	return res, r.ctx.Err()
}

// original runs the Original method: whole-loop times with parsing inside.
func (r *runner) original(res *Result, text []byte, name string) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	n := res.N
	var trainSum, predictSum time.Duration
	var cpu [2]time.Duration
	var trainMeans, predictMeans, totalMeans []time.Duration
	var accSum float64
	for rep := -r.cfg.warmup; rep < r.cfg.reps; rep++ {
		trainD, predictD, pass, err := r.originalPass(text, name, n)
		if err != nil {
			return err
		}
		if rep < 0 {
			continue
		}
		if rep == 0 {
			res.MemoryBytes = pass.memory
		}
		trainSum += trainD
		predictSum += predictD
		accSum += pass.accuracy
		for i := range cpu {
			cpu[i] += pass.cpu[i]
		}
		trainMeans = append(trainMeans, meanOf(trainD, n))
		predictMeans = append(predictMeans, meanOf(predictD, n))
		totalMeans = append(totalMeans, meanOf(trainD+predictD, n))
	}
	reps := r.cfg.reps
	res.Accuracy = accSum / float64(reps)
	res.Train = Stats{Records: n * reps, Mean: meanOf(trainSum, n*reps), RepetitionMeans: trainMeans}
	res.Predict = Stats{Records: n * reps, Mean: meanOf(predictSum, n*reps), RepetitionMeans: predictMeans}
	res.Total = Stats{Records: n * reps, Mean: meanOf(trainSum+predictSum, n*reps), RepetitionMeans: totalMeans}
	res.Train.CPU = meanOf(cpu[0], n*reps)
	res.Predict.CPU = meanOf(cpu[1], n*reps)
	res.Total.CPU = meanOf(cpu[0]+cpu[1], n*reps)
	return nil
}

func label(positive bool) int {
	if positive {
		return 1
	}
	return 0
}

// originalPass is the original's cell 9 for one model: learn every record
// as it is parsed, then parse the same records again and predict them.
func (r *runner) originalPass(text []byte, name string, n int) (train, predict time.Duration, res passResult, err error) {
	now := r.cfg.now
	m, err := r.build()
	if err != nil {
		return 0, 0, res, err
	}
	defer release(m)

	rd := datasets.NewSVMLightReader(bytes.NewReader(text), name)
	runtime.GC()
	seen := 0
	cpu := startCPU()
	t := now()
	for rd.Next() {
		m.LearnOne(rd.X(), label(rd.Y()))
		seen++
	}
	train = now() - t
	res.cpu[0] = cpu.elapsed()
	if err := rd.Err(); err != nil {
		return 0, 0, res, err
	}
	if seen != n {
		return 0, 0, res, fmt.Errorf("throughput: parsed %d records of %s, want %d", seen, name, n)
	}
	r.cfg.progress.Add(int64(n))
	if err := r.ctx.Err(); err != nil {
		return 0, 0, res, err
	}

	rd = datasets.NewSVMLightReader(bytes.NewReader(text), name)
	runtime.GC()
	correct := 0
	cpu = startCPU()
	t = now()
	for rd.Next() {
		if m.PredictOne(rd.X()) == label(rd.Y()) {
			correct++
		}
	}
	predict = now() - t
	res.cpu[1] = cpu.elapsed()
	if err := rd.Err(); err != nil {
		return 0, 0, res, err
	}
	r.cfg.progress.Add(int64(n))
	res.accuracy = float64(correct) / float64(n)
	res.memory = memoryOf(m)
	return train, predict, res, r.ctx.Err()
}

// allCores runs Consumers models at once, each on its own goroutine over the
// same (read-only) records, and records the combined records per second of
// training, prediction and predict-then-learn. Each phase starts for every
// consumer together and ends when the last one finishes.
func (r *runner) allCores(res *Result, train, heldOut []Record) error {
	k := r.cfg.consumers
	trained := make([]base.Classifier, k)
	fresh := make([]base.Classifier, k)
	defer func() {
		for i := range k {
			if trained[i] != nil {
				release(trained[i])
			}
			if fresh[i] != nil {
				release(fresh[i])
			}
		}
	}()
	for i := range k {
		var err error
		if trained[i], err = r.build(); err != nil {
			return err
		}
		if fresh[i], err = r.build(); err != nil {
			return err
		}
	}
	phase := func(records int, work func(i int)) (float64, error) {
		if err := r.ctx.Err(); err != nil {
			return 0, err
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range k {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				work(i)
			}()
		}
		runtime.GC()
		t := time.Now()
		close(start)
		wg.Wait()
		elapsed := time.Since(t)
		r.cfg.progress.Add(int64(k * records))
		if elapsed <= 0 {
			return 0, errors.New("throughput: clock did not advance")
		}
		return float64(k*records) / elapsed.Seconds(), nil
	}
	var err error
	if res.Train.AllCores, err = phase(len(train), func(i int) {
		m := trained[i]
		for j := range train {
			m.LearnOne(train[j].X, train[j].Y)
		}
	}); err != nil {
		return err
	}
	if res.Predict.AllCores, err = phase(len(heldOut), func(i int) {
		m := trained[i]
		for j := range heldOut {
			m.PredictOne(heldOut[j].X)
		}
	}); err != nil {
		return err
	}
	res.Total.AllCores, err = phase(len(train), func(i int) {
		m := fresh[i]
		for j := range train {
			m.PredictOne(train[j].X)
			m.LearnOne(train[j].X, train[j].Y)
		}
	})
	return err
}
