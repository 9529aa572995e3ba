package syncio

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// TestWritesDoNotInterleave: lines written concurrently come out whole.
func TestWritesDoNotInterleave(t *testing.T) {
	var buf bytes.Buffer
	w := &Writer{W: &buf}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			line := strings.Repeat(string(rune('a'+g)), 50) + "\n"
			for range 200 {
				w.Write([]byte(line))
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 1600 {
		t.Fatalf("%d lines, want 1600", len(lines))
	}
	for _, l := range lines {
		if len(l) != 50 || strings.Count(l, l[:1]) != 50 {
			t.Fatalf("interleaved line %q", l)
		}
	}
}
