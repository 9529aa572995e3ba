//go:build !unix

package tree

import "time"

func processCPU() time.Duration { return 0 }
