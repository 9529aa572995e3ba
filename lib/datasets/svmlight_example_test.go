package datasets_test

import (
	"fmt"
	"strings"

	"github.com/rivulet-ml/rivulet/lib/datasets"
)

func ExampleSVMLightReader() {
	src := "+1 4:0.0788382 28:1 3231949:1\n" +
		"-1 qid:3 2:1 # a comment\n"
	r := datasets.NewSVMLightReader(strings.NewReader(src), "Day0.svm")
	for r.Next() {
		x := r.X()
		fmt.Println(r.Y(), x.Idx, x.Val)
	}
	if err := r.Err(); err != nil {
		fmt.Println(err)
	}

	bad := datasets.NewSVMLightReader(strings.NewReader("+1 5:1 3:1\n"), "bad.svm")
	for bad.Next() {
	}
	fmt.Println(bad.Err())
	// Output:
	// true [4 28 3231949] [0.0788382 1 1]
	// false [2] [1]
	// bad.svm:1:8: feature index 3 is not above the previous index 5 (indices must be strictly ascending)
}
