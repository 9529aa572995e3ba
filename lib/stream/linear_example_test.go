package stream_test

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/stream"
)

// The original sender's message: np.array2string of [counter, y, x]. The
// outputs are what numpy 2.4 prints for the same arrays.
func ExampleNumpyEncoder() {
	var enc stream.NumpyEncoder
	fmt.Println(string(enc.AppendArray(nil, []float64{0, 0.5, -1.25, 0.001953125})))
	// Past counter 1000 numpy switches to e notation (max/min > 1000).
	fmt.Println(string(enc.AppendArray(nil, []float64{1234, 0.5, -1.25, 0.001953125})))
	// Output:
	// [ 0.        , 0.5       ,-1.25      , 0.00195312]
	// [ 1.234000e+03, 5.000000e-01,-1.250000e+00, 1.953125e-03]
}

func ExampleParseNumpyArray() {
	// A message wrapped by numpy, in its legacy 1.13 style.
	text := "[  4.24200000e+03,  -8.18974311e-01,\n   2.60037938e+00]"
	vals, err := stream.ParseNumpyArray(nil, []byte(text))
	fmt.Println(vals, err)
	_, err = stream.ParseNumpyArray(nil, []byte("[1.,2.,\n 3.x]"))
	fmt.Println(err)
	// Output:
	// [4242 -0.818974311 2.60037938] <nil>
	// numpy text line 2 column 2: invalid number "3.x"
}

func ExampleLinearCodec() {
	codec, _ := stream.NewLinearCodec(stream.LinearNumpy, 2, 1)
	msg, _ := codec.Append(nil, &stream.LinearRecord{Counter: 3, Y: []float64{1.5}, X: []float64{0.25, 0.75}})
	fmt.Println(string(msg))
	var rec stream.LinearRecord
	err := codec.Decode(msg, &rec)
	fmt.Println(rec.Counter, rec.Y, rec.X, err)
	fmt.Println(codec.Decode([]byte("[3.,1.5]"), &rec))
	// Output:
	// [3.  ,1.5 ,0.25,0.75]
	// 3 [1.5] [0.25 0.75] <nil>
	// message has 2 values, want 4 (1 counter + 1 outputs + 2 inputs)
}
