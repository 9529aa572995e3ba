package nb_test

import (
	"fmt"

	"github.com/rivulet-ml/rivulet/lib/nb"
)

func ExampleTableHTML() {
	// nb.Table shows this in a notebook; TableHTML returns it.
	fmt.Println(nb.TableHTML([]string{"topic", "records"}, [][]string{{"features<v4>", "1000"}}))
	// Output:
	// <table class="rivulet"><thead><tr><th>topic</th><th>records</th></tr></thead><tbody><tr><td>features&lt;v4&gt;</td><td>1000</td></tr></tbody></table>
}

func ExampleNewTable() {
	t := nb.NewTable("model", "records/s", "accuracy").
		Row("LogisticRegression", 412345, 0.8731)
	fmt.Println(t.HTML())
	// t.Display() shows it in a notebook.
	// Output:
	// <table class="rivulet"><thead><tr><th>model</th><th>records/s</th><th>accuracy</th></tr></thead><tbody><tr><td>LogisticRegression</td><td style="text-align:right">412,345</td><td style="text-align:right">0.8731</td></tr></tbody></table>
}

func ExampleNewProgress() {
	p := nb.NewProgress() // a live line in a notebook; only counts elsewhere
	p.Start("producing", 3)
	for i := 0; i < 3; i++ {
		p.Add(1)
	}
	p.Done()
	fmt.Println(p.Count())
	// Output: 3
}

// A notebook's --params flag, as the model registry wants it.
func ExampleSplitParams() {
	fmt.Printf("%q\n", nb.SplitParams("leaf_prediction=mc; seed=42;;"))
	fmt.Printf("%q\n", nb.SplitParams(""))
	// Output:
	// ["leaf_prediction=mc" "seed=42"]
	// []
}
