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

	// The current batch: what it runs, published by bumping seq. Idle
	// helpers poll seq, so everything they need to start sits on its cache
	// line and one transfer between cores hands a batch over.
	batch batch

	// The members are split into one contiguous share per goroutine, so
	// that a member usually runs on the same goroutine (and core, and
	// cache) from one record to the next; a goroutine that finishes its
	// share takes members from the others' while they have two or more
	// left (a lone last member is about to run on its own goroutine,
	// where its data is). Each goroutine opens its own share when it
	// starts the batch: a share left from the last batch is used up, so a
	// goroutine that has not started yet is simply not helped.
	shares []share

	helpers   []*helper
	closeOnce sync.Once
	closed    atomic.Bool
}

// batch is a cache line: the batch number and the batch it announces.
type batch struct {
	seq   atomic.Int64
	count int
	fn    func(i int)
	order []int32 // nil: the identity
	_     [16]byte
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

func (sh *share) open(front, back int) { sh.span.Store(packSpan(front, back)) }

func packSpan(front, back int) uint64 { return uint64(back)<<32 | uint64(uint32(front)) }

// minLeftToSteal is the fewest members a share must have left for another
// goroutine to take one. Moving a member costs its tree's working set a
// trip between caches, and back on the next record.
const minLeftToSteal = 2

// claim takes the front (owner) or back (thief) index, or returns -1 when
// the share is used up (for a thief: when it has fewer than minLeftToSteal
// left).
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
		} else if back-front < minLeftToSteal {
			return -1
		} else if sh.span.CompareAndSwap(v, packSpan(front, back-1)) {
			return back - 1
		}
	}
}

// helper is one helper goroutine's parking place, and the number of the
// last batch it finished, on a line of its own that the caller polls.
type helper struct {
	_      [64]byte
	done   atomic.Int64
	_      [56]byte
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
		w.batch.seq.Add(1)
		w.wakeParked()
	})
}

// Run calls fn(i) for every i in [0, count), spread over the team, and
// returns when all calls have returned. fn must be safe to call
// concurrently for different i.
func (w *Workers) Run(count int, fn func(i int)) { w.run(count, nil, fn) }

// RunOrdered is Run over the indices in order: goroutine g's share is the
// g-th of Size() contiguous parts of order (sizes as Home reports), run
// from its front, while goroutines that are done take indices from the
// back of the others' shares. A caller that knows which calls are long
// puts them at the front of their shares, so that they start first and
// the short ones even out the ends.
func (w *Workers) RunOrdered(order []int32, fn func(i int)) { w.run(len(order), order, fn) }

// Home is the range of positions [lo, hi) of goroutine g's share in a
// batch of count calls.
func (w *Workers) Home(g, count int) (lo, hi int) {
	size := w.Size()
	return g * count / size, (g + 1) * count / size
}

func (w *Workers) run(count int, order []int32, fn func(i int)) {
	if w == nil || w.size == 1 || count <= 1 || w.closed.Load() {
		for i := 0; i < count; i++ {
			if order != nil {
				fn(int(order[i]))
			} else {
				fn(i)
			}
		}
		return
	}
	b := &w.batch
	b.count, b.fn, b.order = count, fn, order
	w.shares[0].open(w.Home(0, count)) // before any helper may look at it
	seq := b.seq.Add(1)                // publishes the batch
	w.wakeParked()
	w.work(0)
	for _, h := range w.helpers {
		for i := 1; h.done.Load() != seq; i++ {
			if w.yield && i&63 == 0 {
				runtime.Gosched()
			}
		}
	}
	b.fn, b.order = nil, nil
}

func (w *Workers) wakeParked() {
	for _, h := range w.helpers {
		// Loaded first: a failed compare-and-swap would still take the
		// line from the helper's core.
		if h.parked.Load() && h.parked.CompareAndSwap(true, false) {
			h.wake <- struct{}{} // never blocks: one token per parking
		}
	}
}

// work runs goroutine g's share, then helps with the others'.
func (w *Workers) work(g int) {
	b := &w.batch
	for k := range w.shares {
		sh := &w.shares[(g+k)%len(w.shares)]
		for {
			i := sh.claim(k == 0)
			if i < 0 {
				break
			}
			if b.order != nil {
				i = int(b.order[i])
			}
			b.fn(i)
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
		w.shares[g].open(w.Home(g, w.batch.count))
		w.work(g)
		h.done.Store(seen)
	}
}

// next waits for a batch after seen and returns its number: it polls, and
// parks after spinFor.
func (w *Workers) next(h *helper, seen int64) int64 {
	var start time.Time
	for i := 0; ; i++ {
		if s := w.batch.seq.Load(); s != seen {
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
			if s := w.batch.seq.Load(); s != seen {
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
