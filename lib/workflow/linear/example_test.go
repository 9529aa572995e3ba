package linear_test

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/stream"
	"github.com/rivulet-ml/rivulet/lib/workflow/linear"
)

// The message Send writes for record 3 with x = (0.5, 0.125) and
// y = (1.5, −0.25): the seed's np.array2string(arr, separator=','), which
// pads every number to a common width.
func ExampleMessage() {
	msg, err := linear.Message(stream.LinearNumpy, 3, []float64{0.5, 0.125}, []float64{1.5, -0.25})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(msg))
	// Output: [ 3.   , 1.5  ,-0.25 , 0.5  , 0.125]
}

// B laid out for a table, row yⱼ giving output j.
func ExampleCoefficientTable() {
	headers, rows := linear.CoefficientTable([][]float64{{1, -0.5}, {0.25, 2}}, 2)
	fmt.Println(headers)
	for _, r := range rows {
		fmt.Println(r)
	}
	// Output:
	// [ x₁ x₂]
	// [y₁ 1.00 -0.50]
	// [y₂ 0.25 2.00]
}
