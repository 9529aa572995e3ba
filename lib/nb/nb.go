package nb

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/rivulet-ml/rivulet/lib/charts"
)

// InNotebook reports whether the program runs inside a GoNB kernel.
func InNotebook() bool { return gonbui.IsNotebook }

// HTML displays raw, trusted HTML.
func HTML(s string) { gonbui.DisplayHTML(s) }

// Markdown displays Markdown (with $…$ LaTeX).
func Markdown(md string) { gonbui.DisplayMarkdown(md) }

// Table displays an HTML table with a header row. Cells are text and are
// escaped. Rows shorter than the widest row are padded with empty cells.
func Table(headers []string, rows [][]string) {
	if !gonbui.IsNotebook {
		return
	}
	gonbui.DisplayHTML(TableHTML(headers, rows))
}

// TableHTML returns the HTML that Table displays.
func TableHTML(headers []string, rows [][]string) string {
	t := NewTable(headers...)
	for _, r := range rows {
		t.rows = append(t.rows, r)
	}
	return t.HTML()
}

// TableBuilder collects a table row by row, formatting values for reading:
// floats with 4 significant digits, integers with thousands separators,
// durations rounded. Numeric columns are right-aligned.
type TableBuilder struct {
	caption string
	headers []string
	rows    [][]string
	numeric [][]bool
}

// NewTable starts a table with the given column headers.
func NewTable(headers ...string) *TableBuilder {
	return &TableBuilder{headers: headers}
}

// Caption sets the table caption.
func (t *TableBuilder) Caption(c string) *TableBuilder { t.caption = c; return t }

// Row appends a row. Values are formatted with Format.
func (t *TableBuilder) Row(values ...any) *TableBuilder {
	row := make([]string, len(values))
	num := make([]bool, len(values))
	for i, v := range values {
		row[i], num[i] = Format(v)
	}
	for len(t.numeric) < len(t.rows) {
		t.numeric = append(t.numeric, nil)
	}
	t.rows = append(t.rows, row)
	t.numeric = append(t.numeric, num)
	return t
}

// Display shows the table in the notebook.
func (t *TableBuilder) Display() {
	if gonbui.IsNotebook {
		gonbui.DisplayHTML(t.HTML())
	}
}

// HTML renders the table. Every row has as many cells as the widest of the
// header and the rows.
func (t *TableBuilder) HTML() string {
	width := len(t.headers)
	for _, r := range t.rows {
		width = max(width, len(r))
	}
	var sb strings.Builder
	sb.WriteString(`<table class="rivulet">`)
	if t.caption != "" {
		sb.WriteString("<caption>" + html.EscapeString(t.caption) + "</caption>")
	}
	if len(t.headers) > 0 {
		sb.WriteString("<thead><tr>")
		for i := 0; i < width; i++ {
			h := ""
			if i < len(t.headers) {
				h = t.headers[i]
			}
			sb.WriteString("<th>" + html.EscapeString(h) + "</th>")
		}
		sb.WriteString("</tr></thead>")
	}
	sb.WriteString("<tbody>")
	for ri, r := range t.rows {
		sb.WriteString("<tr>")
		for i := 0; i < width; i++ {
			cell := ""
			if i < len(r) {
				cell = r[i]
			}
			if ri < len(t.numeric) && i < len(t.numeric[ri]) && t.numeric[ri][i] {
				sb.WriteString(`<td style="text-align:right">` + html.EscapeString(cell) + "</td>")
			} else {
				sb.WriteString("<td>" + html.EscapeString(cell) + "</td>")
			}
		}
		sb.WriteString("</tr>")
	}
	sb.WriteString("</tbody></table>")
	return sb.String()
}

// Format turns a table value into text and says whether it is a number.
func Format(v any) (text string, numeric bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, false
	case float64:
		return formatFloat(x), true
	case float32:
		return formatFloat(float64(x)), true
	case int:
		return Thousands(int64(x)), true
	case int32:
		return Thousands(int64(x)), true
	case int64:
		return Thousands(x), true
	case uint64:
		if x <= 1<<63-1 {
			return Thousands(int64(x)), true
		}
		return fmt.Sprint(x), true
	case time.Duration:
		return roundDuration(x).String(), true
	case fmt.Stringer:
		return x.String(), false
	case error:
		return x.Error(), false
	}
	return fmt.Sprint(v), false
}

func formatFloat(x float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.4g", x), ".")
}

// Thousands formats n with comma separators: 1234567 -> "1,234,567".
func Thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var sb strings.Builder
	if neg {
		sb.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			sb.WriteByte(',')
		}
		sb.WriteRune(c)
	}
	return sb.String()
}

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Minute:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d
}

// Plot displays p as an inline PNG image of width × height. Outside a
// notebook it renders nothing and returns nil.
func Plot(p *plot.Plot, width, height vg.Length) error {
	if !gonbui.IsNotebook {
		return nil
	}
	b, err := charts.PNG(p, width, height)
	if err != nil {
		return err
	}
	gonbui.DisplayPNG(b)
	return nil
}
