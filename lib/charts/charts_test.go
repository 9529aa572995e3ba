package charts

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

func render(t *testing.T, p *plot.Plot) image.Image {
	t.Helper()
	b, err := PNG(p, 4*vg.Inch, 3*vg.Inch)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	// 96 dots per inch.
	if got := img.Bounds().Size(); got != (image.Point{X: 384, Y: 288}) {
		t.Fatalf("PNG size %v, want 384x288", got)
	}
	return img
}

// colored counts the pixels of the first series colour in columns [x0, x1).
func colored(img image.Image, x0, x1 int) int {
	r0, g0, b0, _ := plotutil.Color(0).RGBA()
	n := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := x0; x < x1; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r == r0 && g == g0 && b == b0 {
				n++
			}
		}
	}
	return n
}

func TestLine(t *testing.T) {
	p, err := Line([]Series{
		{Name: "rivulet", Y: []float64{1, 10, 100, 1000}},
		{Name: "River", X: []float64{0, 1, 2, 3}, Y: []float64{1, 2, 4, 8}},
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Y.Scale.(plot.LogScale); !ok {
		t.Errorf("Y scale %T, want plot.LogScale", p.Y.Scale)
	}
	img := render(t, p)
	if colored(img, 0, 384) == 0 {
		t.Error("the first series is not drawn")
	}
}

func TestBarsLog(t *testing.T) {
	p, err := Bars([]string{"small", "large"}, []float64{1, 1000}, true)
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Min != 0.1 {
		t.Errorf("log bars start at %v, want 0.1 (a decade below the smallest)", p.Y.Min)
	}
	img := render(t, p)
	left, right := colored(img, 0, 192), colored(img, 192, 384)
	// On a log axis from 0.1 to 1000 the small bar is a quarter as tall as
	// the large one, not invisible as it would be on a linear axis.
	if left == 0 || right == 0 || left*2 > right {
		t.Errorf("bar pixels left %d, right %d; want both drawn, the left one much shorter", left, right)
	}
}

func TestBarsLinearNegative(t *testing.T) {
	p, err := Bars([]string{"a", "b", "c"}, []float64{-2, 3, 0}, false)
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Min > -2 || p.Y.Max < 3 {
		t.Errorf("Y range [%v, %v] does not cover [-2, 3]", p.Y.Min, p.Y.Max)
	}
	render(t, p)
}

func TestHistogram(t *testing.T) {
	values := make([]float64, 1000)
	for i := range values {
		values[i] = math.Sin(float64(i))
	}
	p, err := Histogram(values, 20)
	if err != nil {
		t.Fatal(err)
	}
	if colored(render(t, p), 0, 384) == 0 {
		t.Error("no bins drawn")
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"no series", second(Line(nil, false)), "no data"},
		{"empty series", second(Line([]Series{{Name: "s"}}, false)), `series 0 ("s") has no points`},
		{"X/Y length", second(Line([]Series{{Name: "s", X: []float64{1}, Y: []float64{1, 2}}}, false)), "1 X values and 2 Y values"},
		{"log zero", second(Line([]Series{{Name: "s", Y: []float64{1, 0}}}, true)), `series 0 ("s") point 1: Y is 0; a logarithmic axis`},
		{"NaN", second(Line([]Series{{Y: []float64{math.NaN()}}}, false)), "point 0: Y is NaN"},
		{"bars count", second(Bars([]string{"a"}, []float64{1, 2}, false)), "1 categories for 2 values"},
		{"bars log", second(Bars([]string{"a", "b"}, []float64{1, -1}, true)), `bar 1 ("b"): is -1`},
		{"hist bins", second(Histogram([]float64{1}, 0)), "0 bins"},
		{"hist inf", second(Histogram([]float64{1, math.Inf(1)}, 3)), "value 1: is +Inf"},
	}
	for _, tt := range tests {
		if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to contain %q", tt.name, tt.err, tt.want)
		}
	}
	if !errors.Is(second(Histogram(nil, 3)), ErrNoData) {
		t.Error("empty histogram is not ErrNoData")
	}
}

func second(_ *plot.Plot, err error) error { return err }

func BenchmarkLinePNG(b *testing.B) {
	y := make([]float64, 10000)
	for i := range y {
		y[i] = 1 + math.Sin(float64(i)/100)
	}
	b.ReportAllocs()
	for b.Loop() {
		p, err := Line([]Series{{Name: "y", Y: y}}, false)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := PNG(p, 6*vg.Inch, 3*vg.Inch); err != nil {
			b.Fatal(err)
		}
	}
}
