package ensemble

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Workers runs the members of an ensemble on a fixed team of goroutines: the
// caller plus n-1 helpers started once. Run hands out member indices
// dynamically and returns when every member is done, so an ensemble can
// learn one record with its members in parallel without starting a
// goroutine per record.
//
// Every batch gives each helper exactly one start token and gives the
// caller exactly one completion token, so no wake-up can be lost or
// left over. Waiting first spins briefly (polling the channel and yielding)
// before blocking, because an ensemble calls Run once or twice per record
// and the gaps are a few microseconds: blocking and waking on every record
// would cost more than the work.
//
// A Workers is used by one ensemble at a time: Run must not be called
// concurrently. A nil *Workers or one of size 1 runs everything on the
// caller's goroutine.
type Workers struct {
	size int

	// Current batch, published to the helpers by their start tokens.
	fn    func(i int)
	count int64
	next  atomic.Int64 // next member index to hand out
	busy  atomic.Int64 // helpers still working on the batch
	done  chan struct{}

	start     []chan struct{} // one per helper
	closeOnce sync.Once
	closed    atomic.Bool
}

// spinFor bounds how long a waiting goroutine polls (yielding the processor
// in between) before it blocks. Ensembles call Run once or twice per record,
// a few to a few hundred microseconds apart; a parked helper takes tens of
// microseconds to wake, longer than the work it would share.
const spinFor = 200 * time.Microsecond

// NewWorkers returns a team of n goroutines including the caller's (n < 1
// means runtime.GOMAXPROCS(0)). Close it when the ensemble is discarded.
func NewWorkers(n int) *Workers {
	if n < 1 {
		n = runtime.GOMAXPROCS(0)
	}
	w := &Workers{size: n, done: make(chan struct{}, 1)}
	for i := 1; i < n; i++ {
		c := make(chan struct{}, 1)
		w.start = append(w.start, c)
		go w.loop(c)
	}
	return w
}

// Size is the number of goroutines that share the work, the caller included.
func (w *Workers) Size() int {
	if w == nil {
		return 1
	}
	return w.size
}

// Close stops the helpers. Run after Close runs on the caller alone.
func (w *Workers) Close() {
	if w == nil {
		return
	}
	w.closeOnce.Do(func() {
		w.closed.Store(true)
		for _, c := range w.start {
			close(c)
		}
	})
}

// Run calls fn(i) for every i in [0, count), spread over the team, and
// returns when all calls have returned. fn must be safe to call
// concurrently for different i.
func (w *Workers) Run(count int, fn func(i int)) {
	if w == nil || w.size == 1 || count <= 1 || w.closed.Load() {
		for i := 0; i < count; i++ {
			fn(i)
		}
		return
	}
	w.fn = fn
	w.count = int64(count)
	w.next.Store(0)
	w.busy.Store(int64(len(w.start)))
	for _, c := range w.start {
		c <- struct{}{} // never blocks: the helper took the last batch's token
	}
	w.work()
	wait(w.done)
	w.fn = nil
}

// wait receives one token from c, polling it for up to spinFor before
// blocking. Polling reads the buffer length without locking the channel and
// yields the processor only now and then (so that the other goroutines of a
// GOMAXPROCS=1 program still run): a helper then starts within a fraction
// of a microsecond of its token.
func wait(c chan struct{}) bool {
	var start time.Time
	for i := 0; ; i++ {
		if len(c) > 0 {
			break
		}
		if i&127 == 0 {
			if i == 0 {
				start = time.Now()
			} else if time.Since(start) > spinFor {
				break
			}
			runtime.Gosched()
		}
	}
	_, ok := <-c
	return ok
}

func (w *Workers) work() {
	for {
		i := w.next.Add(1) - 1
		if i >= w.count {
			return
		}
		w.fn(int(i))
	}
}

func (w *Workers) loop(start chan struct{}) {
	for wait(start) {
		w.work()
		if w.busy.Add(-1) == 0 {
			w.done <- struct{}{} // the caller takes exactly one per batch
		}
	}
}
