package main

// Every model package registers its models in lib/models from init; these
// imports make them available to rivulet's commands by name.
import (
	_ "github.com/rivulet-ml/rivulet/lib/ensemble"
	_ "github.com/rivulet-ml/rivulet/lib/forest"
	_ "github.com/rivulet-ml/rivulet/lib/linearmodel"
	_ "github.com/rivulet-ml/rivulet/lib/naivebayes"
	_ "github.com/rivulet-ml/rivulet/lib/tree"
)
