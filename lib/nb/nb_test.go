package nb

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

func TestTableHTMLEscapes(t *testing.T) {
	got := TableHTML([]string{"a<b", `"q"`}, [][]string{{"<script>alert(1)</script>", "x & y"}})
	for _, bad := range []string{"<script>", "a<b", `"q"`, "x & y"} {
		if strings.Contains(got, bad) {
			t.Errorf("unescaped %q in %s", bad, got)
		}
	}
	for _, good := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "a&lt;b", "&#34;q&#34;", "x &amp; y"} {
		if !strings.Contains(got, good) {
			t.Errorf("missing %q in %s", good, got)
		}
	}
}

func TestTableShape(t *testing.T) {
	got := TableHTML([]string{"h1", "h2"}, [][]string{{"1"}, {"1", "2", "3"}, {}})
	if n := strings.Count(got, "<tr>"); n != 4 {
		t.Errorf("%d rows, want 4 (header + 3)", n)
	}
	// The widest row has 3 cells, so the header gets an empty third cell
	// and every row 3 cells.
	if n := strings.Count(got, "<th>"); n != 3 {
		t.Errorf("%d header cells, want 3", n)
	}
	if n := strings.Count(got, "<td>"); n != 9 {
		t.Errorf("%d body cells, want 9: %s", n, got)
	}
	if !strings.HasPrefix(got, `<table class="rivulet"><thead><tr><th>h1</th><th>h2</th><th></th></tr></thead><tbody><tr><td>1</td><td></td><td></td></tr>`) {
		t.Errorf("unexpected layout: %s", got)
	}
}

func TestTableBuilder(t *testing.T) {
	got := NewTable("model", "records/s", "accuracy", "p99").Caption("A & B").
		Row("HoeffdingTree", 1234567, 0.912345, 2500*time.Microsecond).
		Row("Naive <Bayes>", int64(-1000), 1.0, nil).
		HTML()
	want := `<table class="rivulet"><caption>A &amp; B</caption>` +
		`<thead><tr><th>model</th><th>records/s</th><th>accuracy</th><th>p99</th></tr></thead><tbody>` +
		`<tr><td>HoeffdingTree</td><td style="text-align:right">1,234,567</td><td style="text-align:right">0.9123</td><td style="text-align:right">2.5ms</td></tr>` +
		`<tr><td>Naive &lt;Bayes&gt;</td><td style="text-align:right">-1,000</td><td style="text-align:right">1</td><td></td></tr>` +
		`</tbody></table>`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		v       any
		text    string
		numeric bool
	}{
		{"s", "s", false},
		{3.14159265, "3.142", true},
		{float32(2.5), "2.5", true},
		{1e-7, "1e-07", true},
		{999, "999", true},
		{int64(1000), "1,000", true},
		{uint64(18446744073709551615), "18446744073709551615", true},
		{90 * time.Second, "1m30s", true},
		{1234567 * time.Nanosecond, "1.23ms", true},
		{errors.New("boom"), "boom", false},
		{[]int{1}, "[1]", false},
	}
	for _, tt := range tests {
		text, num := Format(tt.v)
		if text != tt.text || num != tt.numeric {
			t.Errorf("Format(%#v) = %q, %v; want %q, %v", tt.v, text, num, tt.text, tt.numeric)
		}
	}
	for n, want := range map[int64]string{0: "0", 12: "12", 123456: "123,456", -1234567: "-1,234,567"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestOutsideNotebook(t *testing.T) {
	if InNotebook() {
		t.Skip("running inside a GoNB kernel")
	}
	// Nothing is shown and nothing fails; an empty plot would fail to render.
	if err := Plot(plot.New(), 4*vg.Inch, 3*vg.Inch); err != nil {
		t.Errorf("Plot outside a notebook = %v", err)
	}
	Table([]string{"a"}, [][]string{{"b"}})
	Markdown("# x")
	HTML("<b>x</b>")
	p := NewProgress()
	p.Start("x", 10)
	p.Add(3)
	p.Done()
	if p.Count() != 3 {
		t.Errorf("Count = %d, want 3", p.Count())
	}
}

// fakeProgress returns a Progress that draws into a slice, on a fake clock.
func fakeProgress() (*Progress, *[]string, *time.Time) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var draws []string
	p := NewProgress()
	p.enabled = true
	p.id = "test"
	p.now = func() time.Time { return clock }
	p.display = func(id, html string) {
		if id != "test" {
			panic("wrong id " + id)
		}
		draws = append(draws, html)
	}
	return p, &draws, &clock
}

func TestProgressThrottlesAndReports(t *testing.T) {
	p, draws, clock := fakeProgress()
	p.Start("Learning <HT>", 10_000)
	for i := 0; i < 1000; i++ {
		*clock = clock.Add(time.Millisecond) // 1000 records/s
		p.Add(1)
	}
	// 1 s of Adds at 100 ms apart -> Start plus 10 redraws.
	if n := len(*draws); n != 11 {
		t.Errorf("%d redraws for 1 s of Add, want 11 (Start + 10)", n)
	}
	last := (*draws)[len(*draws)-1]
	for _, want := range []string{"<b>Learning &lt;HT&gt;</b>", `<progress value="1000" max="10000"`,
		"1,000 / 10,000 (10.0%)", "1k/s", "0:01", "ETA 0:09"} {
		if !strings.Contains(last, want) {
			t.Errorf("progress line lacks %q:\n%s", want, last)
		}
	}
	p.Describe("Queue full")
	if n := len(*draws); n != 12 {
		t.Errorf("Describe did not redraw (%d draws)", n)
	}
	p.Add(9000)
	p.Done()
	final := (*draws)[len(*draws)-1]
	if !strings.Contains(final, "10,000 / 10,000 (100.0%)") || strings.Contains(final, "ETA") {
		t.Errorf("final line:\n%s", final)
	}
}

func TestProgressUnknownTotal(t *testing.T) {
	p, draws, clock := fakeProgress()
	p.Start("", -1)
	*clock = clock.Add(2 * time.Second)
	p.Add(5_000_000)
	last := (*draws)[len(*draws)-1]
	if !strings.Contains(last, `<progress style`) || !strings.Contains(last, "5,000,000 · 2.5M/s · 0:02") {
		t.Errorf("running line:\n%s", last)
	}
	p.Done()
	if final := (*draws)[len(*draws)-1]; strings.Contains(final, "<progress") {
		t.Errorf("an indeterminate bar is left after Done:\n%s", final)
	}
}

func TestClockAndRate(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "0:00", 59 * time.Second: "0:59", 61 * time.Minute: "1:01:00"} {
		if got := clock(d); got != want {
			t.Errorf("clock(%v) = %q, want %q", d, got, want)
		}
	}
	for r, want := range map[float64]string{0: "0", 12.34: "12.3", 45_600: "45.6k", 1_230_000: "1.23M"} {
		if got := formatRate(r); got != want {
			t.Errorf("formatRate(%v) = %q, want %q", r, got, want)
		}
	}
}

func BenchmarkProgressAdd(b *testing.B) {
	p, _, _ := fakeProgress()
	p.now = time.Now
	p.Start("bench", int64(b.N))
	b.ReportAllocs()
	for b.Loop() {
		p.Add(1)
	}
}
