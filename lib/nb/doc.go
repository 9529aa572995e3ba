// Package nb shows rivulet's results inside a GoNB (Go Jupyter) notebook:
// HTML tables, Markdown, gonum/plot charts as inline PNG images, and a live
// progress line for long-running library work.
//
// Every display function does nothing outside a notebook (gonbui.IsNotebook
// is false), so code that calls them also runs from tests and the CLI. The
// HTML they would show is available without a kernel from TableHTML and
// Progress's rendering, which is what the tests check.
//
// Notebook cells usually combine it with package charts:
//
//	p, _ := charts.Bars(names, rates, true)
//	nb.Plot(p, 6*vg.Inch, 3*vg.Inch)
//	nb.Table([]string{"model", "records/s"}, rows)
//
// and pass nb.NewProgress() wherever a function takes a progress.Reporter.
package nb
