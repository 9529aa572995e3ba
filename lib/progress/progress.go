// Package progress lets long-running library work report progress without
// knowing who shows it: the CLI draws a terminal bar on stderr (Bar), a
// notebook shows a live HTML line (package nb), tests pass nothing.
package progress

import (
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Reporter receives progress. Implementations must be safe for concurrent
// use. A total of -1 means unknown (a spinner).
type Reporter interface {
	Start(label string, total int64)
	Add(n int64)
	// Describe changes the label while running (e.g. "Queue full, flushing 600").
	Describe(label string)
	Done()
}

// Nop returns r, or a Reporter that ignores everything when r is nil.
func Nop(r Reporter) Reporter {
	if r == nil {
		return nop{}
	}
	return r
}

type nop struct{}

func (nop) Start(string, int64) {}
func (nop) Add(int64)           {}
func (nop) Describe(string)     {}
func (nop) Done()               {}

// Bar draws a terminal progress bar (schollz/progressbar) on w, normally
// os.Stderr, so that stdout stays clean for --json output.
type Bar struct {
	w   io.Writer
	mu  sync.Mutex
	bar *progressbar.ProgressBar
}

// NewBar returns a Bar writing to w.
func NewBar(w io.Writer) *Bar { return &Bar{w: w} }

func (b *Bar) Start(label string, total int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bar = progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(b.w),
		progressbar.OptionSetDescription(label),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rec"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionOnCompletion(func() { _, _ = io.WriteString(b.w, "\n") }),
	)
}

func (b *Bar) Add(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		_ = b.bar.Add64(n)
	}
}

func (b *Bar) Describe(label string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		b.bar.Describe(label)
	}
}

func (b *Bar) Done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		_ = b.bar.Finish()
		b.bar = nil
	}
}
