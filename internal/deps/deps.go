// Package deps keeps the modules that notebooks and tools import pinned in
// go.mod, so that `go mod tidy` does not drop them before library code does.
package deps

import (
	_ "github.com/google/uuid"
	_ "github.com/janpfeifer/gonb/gonbui"
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/segmentio/kafka-go"
	_ "github.com/twmb/franz-go/pkg/kfake"
	_ "gonum.org/v1/gonum/mat"
	_ "gonum.org/v1/plot"
)
