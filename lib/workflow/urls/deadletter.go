package urls

import (
	"context"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/rivulet-ml/rivulet/lib/stream"
)

// deadLetters sends dead letters from a background goroutine, in order, so
// that the processing loop never waits for the broker's acknowledgement of
// one. It remembers which offsets are still unacknowledged: a partition's
// committed offset must not pass a dead letter that the broker does not
// have yet, or a crash would lose the record (at-least-once).
type deadLetters struct {
	w       *stream.DeadLetterWriter
	timeout time.Duration
	queue   chan kafka.Message
	causes  chan error
	done    chan struct{}

	mu      sync.Mutex
	cond    *sync.Cond
	pending map[int][]int64 // per partition, ascending offsets not yet acknowledged
	err     error
	sent    int
}

func newDeadLetters(w *stream.DeadLetterWriter, timeout time.Duration) *deadLetters {
	d := &deadLetters{w: w, timeout: timeout, queue: make(chan kafka.Message, 1024), causes: make(chan error, 1024),
		done: make(chan struct{}), pending: map[int][]int64{}}
	d.cond = sync.NewCond(&d.mu)
	go d.run()
	return d
}

func (d *deadLetters) run() {
	defer close(d.done)
	for msg := range d.queue {
		cause := <-d.causes
		ctx, cancel := context.WithTimeout(context.Background(), d.timeout)
		err := d.w.Send(ctx, msg, cause)
		cancel()
		d.mu.Lock()
		if err != nil && d.err == nil {
			d.err = err
		}
		if err == nil {
			d.sent++
		}
		if q := d.pending[msg.Partition]; len(q) > 0 {
			d.pending[msg.Partition] = q[1:]
		}
		d.cond.Broadcast()
		d.mu.Unlock()
	}
}

// send queues msg; it blocks only when 1024 dead letters are waiting. It
// returns the first failure of an earlier send.
func (d *deadLetters) send(msg kafka.Message, cause error) error {
	d.mu.Lock()
	err := d.err
	if err == nil {
		d.pending[msg.Partition] = append(d.pending[msg.Partition], msg.Offset)
	}
	d.mu.Unlock()
	if err != nil {
		return err
	}
	d.queue <- msg
	d.causes <- cause
	return nil
}

// limit returns the offset a partition's commit may reach: next, or the
// first unacknowledged dead letter of that partition if it comes earlier.
func (d *deadLetters) limit(partition int, next int64) int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if q := d.pending[partition]; len(q) > 0 && q[0] < next {
		return q[0]
	}
	return next
}

// flush waits until every queued dead letter is acknowledged or failed, and
// returns the first failure.
func (d *deadLetters) flush() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for d.err == nil && d.outstanding() > 0 {
		d.cond.Wait()
	}
	return d.err
}

func (d *deadLetters) outstanding() int {
	n := 0
	for _, q := range d.pending {
		n += len(q)
	}
	return n
}

// failed returns the first failure, if any.
func (d *deadLetters) failed() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

// close stops the goroutine after the queued dead letters are sent.
func (d *deadLetters) close() error {
	close(d.queue)
	<-d.done
	return d.w.Close()
}
