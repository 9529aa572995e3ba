// Package all links every rivulet model package into a program, so that all
// models are registered in lib/models by name.
//
// Programs import it for its side effect; notebooks call Names, because a
// GoNB cell keeps imports that it uses:
//
//	import "github.com/rivulet-ml/rivulet/lib/models/all"
//	fmt.Println(all.Names())
package all

import (
	_ "github.com/rivulet-ml/rivulet/lib/ensemble"    // srp, srp-hat, srp-nb, leveraging-bagging, adwin-bagging
	_ "github.com/rivulet-ml/rivulet/lib/forest"      // arf
	_ "github.com/rivulet-ml/rivulet/lib/linearmodel" // linear-regression, logistic-regression
	_ "github.com/rivulet-ml/rivulet/lib/naivebayes"  // gaussian-nb, bernoulli-nb
	_ "github.com/rivulet-ml/rivulet/lib/tree"        // ht, hat

	"github.com/rivulet-ml/rivulet/lib/models"
)

// Names lists every registered model name, sorted.
func Names() []string { return models.Names() }
