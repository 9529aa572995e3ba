package snapshot

import (
	"errors"
	"strings"
	"testing"
)

type toy struct {
	name string
	w    []float64
	n    int
}

func (t *toy) SnapshotKind() string { return "snapshot.toy" }
func (t *toy) EncodeSnapshot(e *Encoder) {
	e.Int(1)
	e.String(t.name)
	e.Floats(t.w)
	e.Int(int64(t.n))
}

func init() {
	Register("snapshot.toy", func(d *Decoder) (Model, error) {
		d.Version(1)
		t := &toy{name: d.String(), w: d.Floats(), n: int(d.Int())}
		return t, d.Err()
	})
}

func TestRoundTrip(t *testing.T) {
	in := &toy{name: "a", w: []float64{1.5, -2, 3e300}, n: -7}
	out, err := Unmarshal(Marshal(in))
	if err != nil {
		t.Fatal(err)
	}
	got := out.(*toy)
	if got.name != in.name || got.n != in.n || len(got.w) != 3 || got.w[2] != 3e300 {
		t.Fatalf("round trip changed the model: %+v", got)
	}
}

func TestCorruptTruncatedForeign(t *testing.T) {
	good := Marshal(&toy{name: "abc", w: []float64{1, 2, 3}})
	for cut := 0; cut < len(good); cut++ {
		if _, err := Unmarshal(good[:cut]); err == nil {
			t.Fatalf("truncation at %d accepted", cut)
		}
	}
	for i := range good {
		bad := append([]byte(nil), good...)
		bad[i] ^= 0x40
		if _, err := Unmarshal(bad); err == nil {
			t.Fatalf("bit flip at byte %d accepted", i)
		}
	}
	_, err := Unmarshal([]byte("PK\x03\x04 this is a zip file"))
	if err == nil || !strings.Contains(err.Error(), ErrNotSnapshot.Error()) {
		t.Fatalf("foreign data: %v", err)
	}
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("want *Error, got %T", err)
	}
}

func TestUnknownKind(t *testing.T) {
	data := Marshal(&unregistered{})
	_, err := Unmarshal(data)
	if err == nil || !strings.Contains(err.Error(), "unknown model kind") {
		t.Fatalf("got %v", err)
	}
}

type unregistered struct{}

func (unregistered) SnapshotKind() string      { return "nobody.Knows" }
func (unregistered) EncodeSnapshot(e *Encoder) { e.Int(1) }

func TestHugeLengthRefused(t *testing.T) {
	e := &Encoder{}
	e.Uint(1 << 40)
	d := NewDecoder(e.Bytes(), "x")
	if v := d.Floats(); v != nil || d.Err() == nil {
		t.Fatal("a length beyond the payload must fail without allocating")
	}
}
