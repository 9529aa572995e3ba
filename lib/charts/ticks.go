package charts

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// LogTicks labels a logarithmic axis. plot.LogTicks labels only powers of
// ten, which a narrow range (say 0.02 to 0.3) may not contain at all; over
// up to three decades LogTicks also labels 2 and 5 times each power of ten,
// and over wider ranges it labels the powers of ten only.
type LogTicks struct{}

// Ticks implements plot.Ticker.
func (LogTicks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max >= min) || math.IsInf(max, 0) {
		return plot.LogTicks{Prec: -1}.Ticks(min, max)
	}
	lo, hi := math.Floor(math.Log10(min)), math.Ceil(math.Log10(max))
	if hi-lo > 3 {
		return plot.LogTicks{Prec: -1}.Ticks(min, max)
	}
	var ticks []plot.Tick
	for e := lo; e <= hi; e++ {
		for _, m := range []float64{1, 2, 5} {
			if v := m * math.Pow(10, e); v >= min && v <= max {
				label := strconv.FormatFloat(v, 'g', 3, 64)
				if v >= 1 {
					label = strconv.FormatFloat(v, 'f', 0, 64)
				}
				ticks = append(ticks, plot.Tick{Value: v, Label: label})
			}
		}
	}
	return ticks
}

// SetLogX puts p's X axis on a logarithmic scale labelled by LogTicks; the
// X values must then be > 0.
func SetLogX(p *plot.Plot) {
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = LogTicks{}
}
