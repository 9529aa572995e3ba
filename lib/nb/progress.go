package nb

import (
	"fmt"
	"html"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/rivulet-ml/rivulet/lib/progress"
)

// DefaultProgressInterval is the least time between two redraws of a
// Progress: ten a second is live enough, and every redraw is a message
// through the kernel to the browser.
const DefaultProgressInterval = 100 * time.Millisecond

// Progress is a progress.Reporter that draws one live line in the notebook:
// label, an HTML <progress> bar, count, rate and time left. It redraws at
// most every DefaultProgressInterval, and always on Start, Describe and Done.
// Outside a notebook it only counts. Safe for concurrent use.
type Progress struct {
	mu       sync.Mutex
	id       string
	label    string
	total    int64
	count    int64
	started  time.Time
	lastDraw time.Time
	running  bool
	interval time.Duration

	now     func() time.Time      // for tests
	display func(id, html string) // gonbui.UpdateHTML, or a test's sink
	enabled bool                  // draw at all
}

var _ progress.Reporter = (*Progress)(nil)

// ProgressOption configures NewProgress.
type ProgressOption func(*Progress)

// WithInterval sets the least time between redraws.
func WithInterval(d time.Duration) ProgressOption { return func(p *Progress) { p.interval = d } }

// NewProgress returns a Progress bound to the cell that creates it.
func NewProgress(opts ...ProgressOption) *Progress {
	p := &Progress{
		interval: DefaultProgressInterval,
		now:      time.Now,
		display:  gonbui.UpdateHTML,
		enabled:  gonbui.IsNotebook,
	}
	for _, o := range opts {
		o(p)
	}
	if p.enabled {
		p.id = "rivulet_progress_" + gonbui.UniqueId()
	}
	return p
}

// Start begins a new run with the given total; -1 means unknown.
func (p *Progress) Start(label string, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.label, p.total, p.count = label, total, 0
	p.started = p.now()
	p.running = true
	p.drawLocked(p.started)
}

// Add counts n more items.
func (p *Progress) Add(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.count += n
	if !p.enabled {
		return
	}
	if now := p.now(); now.Sub(p.lastDraw) >= p.interval {
		p.drawLocked(now)
	}
}

// Describe changes the label.
func (p *Progress) Describe(label string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.label = label
	p.drawLocked(p.now())
}

// Done draws the final state, which stays in the notebook.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running = false
	p.drawLocked(p.now())
}

// Count returns the items counted since Start.
func (p *Progress) Count() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count
}

func (p *Progress) drawLocked(now time.Time) {
	p.lastDraw = now
	if p.enabled {
		p.display(p.id, p.renderLocked(now))
	}
}

// renderLocked returns the HTML line for the current state.
func (p *Progress) renderLocked(now time.Time) string {
	elapsed := now.Sub(p.started)
	var rate float64
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(p.count) / s
	}
	var sb strings.Builder
	sb.WriteString(`<div style="font-family:monospace">`)
	if p.label != "" {
		sb.WriteString("<b>" + html.EscapeString(p.label) + "</b> ")
	}
	if p.total > 0 {
		fmt.Fprintf(&sb, `<progress value="%d" max="%d" style="vertical-align:middle"></progress> `, min(p.count, p.total), p.total)
		fmt.Fprintf(&sb, "%s / %s (%.1f%%)", Thousands(p.count), Thousands(p.total), 100*float64(p.count)/float64(p.total))
	} else {
		// No value: an indeterminate bar, while running.
		if p.running {
			sb.WriteString(`<progress style="vertical-align:middle"></progress> `)
		}
		sb.WriteString(Thousands(p.count))
	}
	fmt.Fprintf(&sb, " · %s/s · %s", formatRate(rate), clock(elapsed))
	if p.running && p.total > 0 && p.count < p.total && rate > 0 {
		left := time.Duration(float64(p.total-p.count) / rate * float64(time.Second))
		fmt.Fprintf(&sb, " · ETA %s", clock(left))
	}
	sb.WriteString("</div>")
	return sb.String()
}

// formatRate prints a rate with 3 significant digits and k/M suffixes.
func formatRate(r float64) string {
	switch {
	case r >= 1e6:
		return fmt.Sprintf("%.3gM", r/1e6)
	case r >= 1e3:
		return fmt.Sprintf("%.3gk", r/1e3)
	}
	return fmt.Sprintf("%.3g", r)
}

// clock prints d as m:ss or h:mm:ss.
func clock(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
