// Package charts builds the few gonum/plot charts rivulet's notebooks and
// reports need — lines over time, bars per category, histograms — with one
// consistent look and input checks that name the bad value.
//
// Every function returns a *plot.Plot that the caller may adjust (title,
// axis labels, limits) before rendering it, in a notebook with nb.Plot or to
// a file with p.Save:
//
//	p, err := charts.Line([]charts.Series{{Name: "accuracy", Y: acc}}, false)
//	if err != nil { ... }
//	p.Title.Text = "Rolling accuracy"
//	nb.Plot(p, 6*vg.Inch, 3*vg.Inch)
//
// Logarithmic axes need strictly positive values; the functions report the
// first value that is not, instead of letting gonum/plot panic.
package charts
