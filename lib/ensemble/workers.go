package ensemble

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Workers runs the members of an ensemble on a fixed team of goroutines: the
// caller plus n-1 helpers started once. Run hands out member indices
// dynamically and returns when every member is done, so an ensemble can
// learn one record with its members in parallel without starting a
// goroutine per record.
//
// Helpers spin briefly between calls before parking, because an ensemble
// calls Run once or twice per record and the gaps are a few microseconds;
// parking and waking on every record would cost more than the work.
//
// A Workers is used by one ensemble at a time: Run must not be called
// concurrently. A nil *Workers or one of size 1 runs everything on the
// caller's goroutine.
type Workers struct {
	size int

	// Current batch.
	fn    func(i int)
	count int64
	next  atomic.Int64 // next member index to hand out
	busy  atomic.Int64 // helpers still working on the batch
	epoch atomic.Uint64
	done  chan struct{}
	// waiting is 1 while the caller is parked on done.
	waiting atomic.Int32

	helpers   []*helper
	closeOnce sync.Once
	closed    atomic.Bool
}

type helper struct {
	parked atomic.Int32
	wake   chan struct{}
}

// spinLimit bounds the busy-wait of helpers and caller before they park.
const spinLimit = 4000

// NewWorkers returns a team of n goroutines including the caller's (n < 1
// means runtime.GOMAXPROCS(0)). Close it when the ensemble is discarded.
func NewWorkers(n int) *Workers {
	if n < 1 {
		n = runtime.GOMAXPROCS(0)
	}
	w := &Workers{size: n, done: make(chan struct{}, 1)}
	for i := 1; i < n; i++ {
		h := &helper{wake: make(chan struct{}, 1)}
		w.helpers = append(w.helpers, h)
		go w.loop(h, w.epoch.Load())
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
		w.epoch.Add(1)
		for _, h := range w.helpers {
			select {
			case h.wake <- struct{}{}:
			default:
			}
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
	w.busy.Store(int64(len(w.helpers)))
	w.epoch.Add(1) // publishes fn, count, next and busy to the helpers
	for _, h := range w.helpers {
		if h.parked.CompareAndSwap(1, 0) {
			h.wake <- struct{}{}
		}
	}
	w.work()
	for spins := 0; w.busy.Load() != 0; spins++ {
		if spins < spinLimit {
			runtime.Gosched()
			continue
		}
		w.waiting.Store(1)
		if w.busy.Load() == 0 {
			if w.waiting.CompareAndSwap(1, 0) {
				break
			}
		}
		<-w.done
		break
	}
	w.fn = nil
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

// loop serves batches published after epoch seen; seen is read when the
// helper is created, not when it starts, so a batch published before the
// goroutine first runs is not missed.
func (w *Workers) loop(h *helper, seen uint64) {
	for {
		for spins := 0; w.epoch.Load() == seen; spins++ {
			if spins < spinLimit {
				runtime.Gosched()
				continue
			}
			h.parked.Store(1)
			if w.epoch.Load() != seen && h.parked.CompareAndSwap(1, 0) {
				break
			}
			<-h.wake
			break
		}
		if w.closed.Load() {
			return
		}
		seen = w.epoch.Load()
		w.work()
		if w.busy.Add(-1) == 0 && w.waiting.CompareAndSwap(1, 0) {
			w.done <- struct{}{}
		}
	}
}
