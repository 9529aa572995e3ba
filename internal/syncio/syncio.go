// Package syncio has the writer several goroutines share for their logs.
package syncio

import (
	"io"
	"sync"
)

// Writer serialises writes to W from several goroutines.
type Writer struct {
	mu sync.Mutex
	W  io.Writer
}

func (l *Writer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.W.Write(p)
}
