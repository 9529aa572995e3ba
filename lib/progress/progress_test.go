package progress

import (
	"bytes"
	"strings"
	"testing"
)

func TestBarWritesToItsWriter(t *testing.T) {
	var buf bytes.Buffer
	b := NewBar(&buf)
	b.Start("sending", 10)
	b.Add(10)
	b.Done()
	if !strings.Contains(buf.String(), "sending") || !strings.Contains(buf.String(), "10/10") {
		t.Fatalf("bar output %q lacks label or count", buf.String())
	}
}

func TestNop(t *testing.T) {
	r := Nop(nil)
	r.Start("x", 1)
	r.Add(1)
	r.Done()
	var b Reporter = NewBar(&bytes.Buffer{})
	if Nop(b) != b {
		t.Fatal("Nop must return a non-nil reporter unchanged")
	}
}
