package charts

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is one line of a line chart. X may be nil, which means 0, 1, 2, …
// (the record index, for per-record curves); otherwise it must be as long
// as Y. An empty Name leaves the series out of the legend.
type Series struct {
	Name string
	X    []float64
	Y    []float64
}

// ErrNoData reports a chart without any data.
var ErrNoData = errors.New("charts: no data")

// Line draws each series as a line in its own colour, with a legend when
// more than one series is named. With logY the Y axis is logarithmic and
// every Y value must be > 0.
func Line(series []Series, logY bool) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, ErrNoData
	}
	p := newPlot()
	named := 0
	for i, s := range series {
		if len(s.Y) == 0 {
			return nil, fmt.Errorf("charts: series %d (%q) has no points: %w", i, s.Name, ErrNoData)
		}
		if s.X != nil && len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("charts: series %d (%q) has %d X values and %d Y values", i, s.Name, len(s.X), len(s.Y))
		}
		xys := make(plotter.XYs, len(s.Y))
		for j, y := range s.Y {
			x := float64(j)
			if s.X != nil {
				x = s.X[j]
			}
			if err := checkValue(y, logY); err != nil {
				return nil, fmt.Errorf("charts: series %d (%q) point %d: Y %w", i, s.Name, j, err)
			}
			if err := checkValue(x, false); err != nil {
				return nil, fmt.Errorf("charts: series %d (%q) point %d: X %w", i, s.Name, j, err)
			}
			xys[j] = plotter.XY{X: x, Y: y}
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("charts: series %d (%q): %w", i, s.Name, err)
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.5)
		p.Add(l)
		if s.Name != "" {
			p.Legend.Add(s.Name, l)
			named++
		}
	}
	if named < 2 {
		p.Legend = plot.NewLegend()
	} else {
		p.Legend.Top = true
	}
	if logY {
		setLogY(p)
	}
	return p, nil
}

// Bars draws one bar per category, labelled on the X axis. With logY the Y
// axis is logarithmic (for values spanning orders of magnitude, such as
// records per second of different systems) and every value must be > 0;
// bars then rise from a floor below the smallest value instead of from 0.
func Bars(categories []string, values []float64, logY bool) (*plot.Plot, error) {
	if len(values) == 0 {
		return nil, ErrNoData
	}
	if len(categories) != len(values) {
		return nil, fmt.Errorf("charts: %d categories for %d values", len(categories), len(values))
	}
	lo := math.Inf(1)
	for i, v := range values {
		if err := checkValue(v, logY); err != nil {
			return nil, fmt.Errorf("charts: bar %d (%q): %w", i, categories[i], err)
		}
		lo = math.Min(lo, v)
	}
	base := 0.0
	if logY {
		// One decade below the smallest bar keeps every bar visible.
		base = math.Pow(10, math.Floor(math.Log10(lo))-1)
	}
	p := plot.New()
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil // categories need no vertical lines
	p.Add(grid)
	b := &bars{values: append([]float64(nil), values...), base: base, color: plotutil.Color(0), width: 0.7}
	p.Add(b)
	p.NominalX(categories...)
	p.X.Min, p.X.Max = -0.5, float64(len(values))-0.5
	if logY {
		setLogY(p)
		p.Y.Min = base
	}
	return p, nil
}

// Histogram draws the distribution of values in bins equal-width bins.
func Histogram(values []float64, bins int) (*plot.Plot, error) {
	if len(values) == 0 {
		return nil, ErrNoData
	}
	if bins < 1 {
		return nil, fmt.Errorf("charts: %d bins, want at least 1", bins)
	}
	for i, v := range values {
		if err := checkValue(v, false); err != nil {
			return nil, fmt.Errorf("charts: value %d: %w", i, err)
		}
	}
	h, err := plotter.NewHist(plotter.Values(values), bins)
	if err != nil {
		return nil, fmt.Errorf("charts: %w", err)
	}
	h.FillColor = plotutil.Color(0)
	h.LineStyle.Color = color.White
	p := newPlot()
	p.Add(h)
	p.Y.Label.Text = "count"
	return p, nil
}

// PNG renders p at width × height (96 dots per inch).
func PNG(p *plot.Plot, width, height vg.Length) ([]byte, error) {
	w, err := p.WriterTo(width, height, "png")
	if err != nil {
		return nil, fmt.Errorf("charts: rendering PNG: %w", err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("charts: rendering PNG: %w", err)
	}
	return buf.Bytes(), nil
}

func newPlot() *plot.Plot {
	p := plot.New()
	p.Add(plotter.NewGrid())
	return p
}

func setLogY(p *plot.Plot) {
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = LogTicks{}
}

func checkValue(v float64, positive bool) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Errorf("is %v", v)
	case positive && v <= 0:
		return fmt.Errorf("is %v; a logarithmic axis needs values > 0", v)
	}
	return nil
}

// bars is a vertical bar chart whose bars rise from base rather than 0, so
// it works on a logarithmic axis (plotter.BarChart always starts at 0).
type bars struct {
	values []float64
	base   float64
	color  color.Color
	width  float64 // in X data units; categories are 1 apart
}

func (b *bars) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	for i, v := range b.values {
		x0, x1 := trX(float64(i)-b.width/2), trX(float64(i)+b.width/2)
		y0, y1 := trY(b.base), trY(v)
		pts := []vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}}
		c.FillPolygon(b.color, c.ClipPolygonY(pts))
	}
}

func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = b.base, b.base
	for _, v := range b.values {
		ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
	}
	return 0, float64(len(b.values) - 1), ymin, ymax
}
