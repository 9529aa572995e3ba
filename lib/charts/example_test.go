package charts_test

import (
	"bytes"
	"fmt"
	"image/png"
	"log"

	"gonum.org/v1/plot/vg"

	"github.com/rivulet-ml/rivulet/lib/charts"
)

func ExampleLine() {
	acc := []float64{0.50, 0.61, 0.70, 0.74, 0.78, 0.80}
	p, err := charts.Line([]charts.Series{{Name: "accuracy", Y: acc}}, false)
	if err != nil {
		log.Fatal(err)
	}
	p.Title.Text = "Progressive validation"
	p.X.Label.Text = "records (thousands)"

	b, err := charts.PNG(p, 6*vg.Inch, 3*vg.Inch) // in a notebook: nb.Plot(p, 6*vg.Inch, 3*vg.Inch)
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%dx%d PNG\n", cfg.Width, cfg.Height)
	// Output: 576x288 PNG
}

func ExampleBars() {
	p, err := charts.Bars([]string{"River", "rivulet"}, []float64{1_800, 250_000}, true)
	if err != nil {
		log.Fatal(err)
	}
	p.Y.Label.Text = "records/s"
	fmt.Println("log axis from", p.Y.Min)
	// Output: log axis from 100
}
