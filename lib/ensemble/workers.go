package ensemble

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Workers runs the members of an ensemble on a fixed team of goroutines: the
// caller plus n-1 helpers started once. Run returns when every member is
// done, so an ensemble can learn one record with its members in parallel
// without starting a goroutine per record.
//
// An ensemble calls Run once or twice per record, a few microseconds apart,
// so the hand-over must cost far less than that: a batch is published by
// bumping a sequence number that idle helpers poll, and completion is a
// counter the caller polls; no channel or lock is touched while the team is
// busy. A helper that has polled for spinFor without a batch parks on its
// channel, and the next batch wakes it (a parked helper is flagged, so no
// wake-up is lost or left over).
//
// A Workers is used by one ensemble at a time: Run must not be called
// concurrently. A nil *Workers or one of size 1 runs everything on the
// caller's goroutine.
type Workers struct {
	size int
	// yield: the team has more goroutines than GOMAXPROCS, so a waiting
	// goroutine must yield for the others to run. Otherwise it must not:
	// a yielded goroutine may resume on the other processor, and a member
	// moving between cores drags its whole tree through the caches.
	yield bool

	// Current batch. The members are split into one contiguous share per
	// goroutine, so that a member usually runs on the same goroutine (and
	// core, and cache) from one record to the next; a goroutine that
	// finishes its share takes members from the others' until none is left.
	fn      func(i int)
	shares  []share
	seq     padded // batch number; helpers start a batch when it moves
	pending padded // helpers still working on the current batch

	helpers   []*helper
	closeOnce sync.Once
	closed    atomic.Bool
}

// padded keeps a hot counter on its own cache line.
type padded struct {
	atomic.Int64
	_ [56]byte
}

// share is one goroutine's range of member indices in a batch, claimed
// from the front by its owner and from the back by the others: a member
// stolen to even out a batch is then usually the same one, and the rest
// stay on their goroutine. The range [front, back) is packed in one word
// (front in the low half) so that both ends are claimed atomically.
type share struct {
	span atomic.Uint64
	_    [56]byte // own cache line: the goroutines claim concurrently
}

func packSpan(front, back int) uint64 { return uint64(back)<<32 | uint64(uint32(front)) }

// claim takes the front (owner) or back (thief) index, or returns -1 when
// the share is used up.
func (sh *share) claim(owner bool) int {
	for {
		v := sh.span.Load()
		front, back := int(uint32(v)), int(v>>32)
		if front >= back {
			return -1
		}
		if owner {
			if sh.span.CompareAndSwap(v, packSpan(front+1, back)) {
				return front
			}
		} else if sh.span.CompareAndSwap(v, packSpan(front, back-1)) {
			return back - 1
		}
	}
}

// helper is one helper goroutine's parking place.
type helper struct {
	parked atomic.Bool
	wake   chan struct{}
}

// spinFor bounds how long an idle helper polls (yielding the processor now
// and then) before it parks. Ensembles call Run once or twice per record,
// a few to a few hundred microseconds apart; a parked helper takes tens of
// microseconds to wake, longer than the work it would share.
const spinFor = 200 * time.Microsecond

// NewWorkers returns a team of n goroutines including the caller's (n < 1
// means runtime.GOMAXPROCS(0)). Close it when the ensemble is discarded.
func NewWorkers(n int) *Workers {
	if n < 1 {
		n = runtime.GOMAXPROCS(0)
	}
	w := &Workers{size: n, shares: make([]share, n), yield: runtime.GOMAXPROCS(0) < n}
	for g := 1; g < n; g++ {
		h := &helper{wake: make(chan struct{}, 1)}
		w.helpers = append(w.helpers, h)
		go w.loop(h, g)
	}
	return w
}

// ReplaceWorkers is an ensemble's SetWorkers: it closes old, if any, and
// for n > 1 starts a team of n that closes itself once owner is
// unreachable (n < 1 means one per CPU). It returns the team, nil for one
// goroutine, and n resolved.
func ReplaceWorkers[T any](owner *T, old *Workers, n int) (*Workers, int) {
	if n < 1 {
		n = runtime.GOMAXPROCS(0)
	}
	old.Close()
	if n <= 1 {
		return nil, n
	}
	w := NewWorkers(n)
	runtime.AddCleanup(owner, func(w *Workers) { w.Close() }, w)
	return w, n
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
		w.seq.Add(1)
		w.wakeParked()
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
	for g := range w.shares {
		w.shares[g].span.Store(packSpan(g*count/w.size, (g+1)*count/w.size))
	}
	w.pending.Store(int64(len(w.helpers)))
	w.seq.Add(1) // publishes fn and the shares
	w.wakeParked()
	w.work(0)
	for i := 1; w.pending.Load() != 0; i++ {
		if w.yield && i&63 == 0 {
			runtime.Gosched()
		}
	}
	w.fn = nil
}

func (w *Workers) wakeParked() {
	for _, h := range w.helpers {
		// Loaded first: even a failed compare-and-swap takes the line
		// from the helper's core, on every batch.
		if h.parked.Load() && h.parked.CompareAndSwap(true, false) {
			h.wake <- struct{}{} // never blocks: one token per parking
		}
	}
}

// work runs goroutine g's share, then helps with the others'.
func (w *Workers) work(g int) {
	for k := range w.shares {
		sh := &w.shares[(g+k)%len(w.shares)]
		for {
			i := sh.claim(k == 0)
			if i < 0 {
				break
			}
			w.fn(i)
		}
	}
}

func (w *Workers) loop(h *helper, g int) {
	var seen int64
	for {
		seen = w.next(h, seen)
		if w.closed.Load() {
			return
		}
		w.work(g)
		w.pending.Add(-1)
	}
}

// next waits for a batch after seen and returns its number: it polls, and
// parks after spinFor.
func (w *Workers) next(h *helper, seen int64) int64 {
	var start time.Time
	for i := 0; ; i++ {
		if s := w.seq.Load(); s != seen {
			return s
		}
		if i&127 != 127 {
			continue
		}
		if start.IsZero() {
			start = time.Now()
			continue
		} else if time.Since(start) > spinFor {
			h.parked.Store(true)
			if s := w.seq.Load(); s != seen {
				// A batch came after all: unpark, or take the token the
				// caller already sent for it.
				if !h.parked.CompareAndSwap(true, false) {
					<-h.wake
				}
				return s
			}
			<-h.wake
			start = time.Time{}
			continue
		}
		if w.yield {
			runtime.Gosched()
		}
	}
}
