package drift_test

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/drift"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// A step from 0 to 1 after 1000 values is found within one clock period;
// the window keeps the values that no cut separates from the new ones
// (River 0.26.1 prints the same width and mean).
func ExampleADWIN() {
	a := drift.NewADWIN()
	for i := 0; i < 2000; i++ {
		x := 0.0
		if i >= 1000 {
			x = 1
		}
		if a.Update(x) {
			fmt.Printf("drift at %d: window %d values, mean %.3f\n", i, a.Width(), a.Estimation())
		}
	}
	fmt.Println("detections:", a.NDetections())
	// Output:
	// drift at 1023: window 56 values, mean 0.429
	// detections: 1
}

// Models that hold some detector write it with EncodeDetector and get the
// same concrete type back from DecodeDetector.
func ExampleEncodeDetector() {
	var det drift.Detector = drift.NewPageHinkley(drift.WithThreshold(20))
	for i := 0; i < 100; i++ {
		det.Update(float64(i % 2))
	}
	e := &snapshot.Encoder{}
	drift.EncodeDetector(e, det)
	back := drift.DecodeDetector(snapshot.NewDecoder(e.Bytes(), "example"))
	fmt.Println(back.DetectorKind())
	// Output: page-hinkley
}
