package datasets_test

import (
	"fmt"
	"strings"

	"github.com/rivulet-ml/rivulet/lib/datasets"
)

func ExampleCSVReader() {
	data := "age,city,income,approved\n" +
		"31,Paris,1200.5,yes\n" +
		"47,Lyon,,no\n" + // empty income: a missing feature
		"52,Paris,3100,yes\n"
	r, err := datasets.NewCSVReader(strings.NewReader(data), "loans.csv",
		datasets.CSVTarget("approved"), datasets.CSVNominal("city"))
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Schema().Names())
	for r.Next() {
		fmt.Println(r.X().Val, r.Label(), r.Y())
	}
	if err := r.Err(); err != nil {
		panic(err)
	}
	// Output:
	// [age city income]
	// [31 0 1200.5] yes 0
	// [47 1 NaN] no 1
	// [52 0 3100] yes 0
}

func ExampleCSVReader_error() {
	data := "age,approved\n31,yes\nforty,no\n"
	r, _ := datasets.NewCSVReader(strings.NewReader(data), "loans.csv", datasets.CSVTarget("approved"))
	for r.Next() {
	}
	fmt.Println(r.Err())
	// Output:
	// loans.csv:3:1: column 'age': "forty" is not a number
}
