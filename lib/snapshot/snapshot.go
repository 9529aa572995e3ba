package snapshot

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"sort"
	"sync"
)

// Magic starts every snapshot.
const Magic = "RVLTSNAP"

// FormatVersion is the container format written by this package.
const FormatVersion = 1

// Model is implemented by every model that can be snapshotted.
type Model interface {
	// SnapshotKind is the registered kind name.
	SnapshotKind() string
	// EncodeSnapshot writes the model's state.
	EncodeSnapshot(e *Encoder)
}

// DecodeFunc rebuilds a model from its payload.
type DecodeFunc func(d *Decoder) (Model, error)

var (
	regMu    sync.RWMutex
	registry = map[string]DecodeFunc{}
)

// Register makes a kind readable. It panics on a duplicate kind, which is a
// programming error.
func Register(kind string, fn DecodeFunc) {
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[kind]; dup {
		panic("snapshot: kind registered twice: " + kind)
	}
	registry[kind] = fn
}

// Kinds lists the registered kinds.
func Kinds() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]string, 0, len(registry))
	for k := range registry {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Error is returned for snapshots that cannot be read.
type Error struct {
	Kind   string // model kind, when known
	Offset int    // byte offset in the payload, when known (-1 otherwise)
	Reason string
}

func (e *Error) Error() string {
	s := "snapshot: " + e.Reason
	if e.Kind != "" {
		s += " (kind " + e.Kind + ")"
	}
	if e.Offset >= 0 {
		s += fmt.Sprintf(" at payload byte %d", e.Offset)
	}
	return s
}

// ErrNotSnapshot is wrapped by errors for data that is not a snapshot.
var ErrNotSnapshot = errors.New("not a rivulet snapshot")

// Marshal encodes m as a complete snapshot.
func Marshal(m Model) []byte {
	e := &Encoder{}
	m.EncodeSnapshot(e)
	var out bytes.Buffer
	out.WriteString(Magic)
	var b [binary.MaxVarintLen64]byte
	binary.LittleEndian.PutUint16(b[:2], FormatVersion)
	out.Write(b[:2])
	kind := m.SnapshotKind()
	out.Write(b[:binary.PutUvarint(b[:], uint64(len(kind)))])
	out.WriteString(kind)
	out.Write(b[:binary.PutUvarint(b[:], uint64(len(e.buf)))])
	out.Write(e.buf)
	binary.LittleEndian.PutUint32(b[:4], crc32.ChecksumIEEE(out.Bytes()))
	out.Write(b[:4])
	return out.Bytes()
}

// Write writes m's snapshot to w.
func Write(w io.Writer, m Model) error {
	_, err := w.Write(Marshal(m))
	return err
}

// Header describes a snapshot without decoding the model.
type Header struct {
	Kind        string
	PayloadSize int
	Checksum    uint32
}

// Inspect validates the container and returns its header and payload.
func Inspect(data []byte) (Header, []byte, error) {
	var h Header
	if len(data) < len(Magic)+2+1+1+4 || string(data[:len(Magic)]) != Magic {
		return h, nil, &Error{Offset: -1, Reason: fmt.Sprintf("%v: bad magic or too short (%d bytes)", ErrNotSnapshot, len(data))}
	}
	p := len(Magic)
	if v := binary.LittleEndian.Uint16(data[p:]); v != FormatVersion {
		return h, nil, &Error{Offset: -1, Reason: fmt.Sprintf("unsupported format version %d (this build reads %d)", v, FormatVersion)}
	}
	p += 2
	kl, n := binary.Uvarint(data[p:])
	if n <= 0 || kl > 256 || uint64(len(data)-p-n) < kl {
		return h, nil, &Error{Offset: -1, Reason: "truncated kind"}
	}
	p += n
	h.Kind = string(data[p : p+int(kl)])
	p += int(kl)
	pl, n := binary.Uvarint(data[p:])
	if n <= 0 || uint64(len(data)-p-n) < pl+4 {
		return h, nil, &Error{Kind: h.Kind, Offset: -1, Reason: fmt.Sprintf("truncated: header promises %d payload bytes, %d bytes remain", pl, len(data)-p-max(n, 0))}
	}
	p += n
	if uint64(len(data)-p) != pl+4 {
		return h, nil, &Error{Kind: h.Kind, Offset: -1, Reason: fmt.Sprintf("%d trailing bytes after the checksum", uint64(len(data)-p)-pl-4)}
	}
	end := p + int(pl)
	want := binary.LittleEndian.Uint32(data[end:])
	if got := crc32.ChecksumIEEE(data[:end]); got != want {
		return h, nil, &Error{Kind: h.Kind, Offset: -1, Reason: fmt.Sprintf("checksum mismatch (stored %08x, computed %08x): the snapshot is corrupt", want, got)}
	}
	h.PayloadSize = int(pl)
	h.Checksum = want
	return h, data[p:end], nil
}

// Unmarshal decodes a snapshot made by Marshal.
func Unmarshal(data []byte) (m Model, err error) {
	h, payload, err := Inspect(data)
	if err != nil {
		return nil, err
	}
	regMu.RLock()
	fn := registry[h.Kind]
	regMu.RUnlock()
	if fn == nil {
		return nil, &Error{Kind: h.Kind, Offset: -1, Reason: "unknown model kind; is its package imported?"}
	}
	d := &Decoder{buf: payload, kind: h.Kind}
	defer func() {
		// Decoders bound-check everything; this is a last line of defence
		// so that a decoder bug surfaces as an error, not a crash.
		if r := recover(); r != nil {
			m, err = nil, &Error{Kind: h.Kind, Offset: d.off, Reason: fmt.Sprintf("decoder failed: %v", r)}
		}
	}()
	m, err = fn(d)
	if err == nil {
		err = d.Err()
	}
	if err == nil && d.off != len(d.buf) {
		err = &Error{Kind: h.Kind, Offset: d.off, Reason: fmt.Sprintf("%d unread payload bytes", len(d.buf)-d.off)}
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Read reads a whole snapshot from r and decodes it.
func Read(r io.Reader) (Model, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return Unmarshal(data)
}

// Encoder accumulates a model payload.
type Encoder struct{ buf []byte }

// Bytes returns the encoded payload.
func (e *Encoder) Bytes() []byte { return e.buf }

func (e *Encoder) Uint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *Encoder) Int(v int64)   { e.buf = binary.AppendVarint(e.buf, v) }
func (e *Encoder) Float(v float64) {
	e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(v))
}
func (e *Encoder) Bool(v bool) {
	if v {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}
func (e *Encoder) String(s string) { e.Uint(uint64(len(s))); e.buf = append(e.buf, s...) }
func (e *Encoder) Blob(b []byte)   { e.Uint(uint64(len(b))); e.buf = append(e.buf, b...) }
func (e *Encoder) Floats(v []float64) {
	e.Uint(uint64(len(v)))
	for _, x := range v {
		e.Float(x)
	}
}
func (e *Encoder) Ints(v []int) {
	e.Uint(uint64(len(v)))
	for _, x := range v {
		e.Int(int64(x))
	}
}
func (e *Encoder) Int32s(v []int32) {
	e.Uint(uint64(len(v)))
	for _, x := range v {
		e.Int(int64(x))
	}
}
func (e *Encoder) Uint64s(v []uint64) {
	e.Uint(uint64(len(v)))
	for _, x := range v {
		e.Uint(x)
	}
}

// Decoder reads a payload. The first error sticks: later reads return zero
// values, and Err reports the error with its byte offset.
type Decoder struct {
	buf  []byte
	off  int
	kind string
	err  error
}

// NewDecoder reads a raw payload (for tests and nested encodings).
func NewDecoder(payload []byte, kind string) *Decoder { return &Decoder{buf: payload, kind: kind} }

// Err returns the first error met.
func (d *Decoder) Err() error { return d.err }

// Fail records a semantic error (an impossible value) at the current offset.
func (d *Decoder) Fail(format string, args ...any) {
	if d.err == nil {
		d.err = &Error{Kind: d.kind, Offset: d.off, Reason: fmt.Sprintf(format, args...)}
	}
}

// Remaining is the number of unread bytes.
func (d *Decoder) Remaining() int { return len(d.buf) - d.off }

func (d *Decoder) Uint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.buf[d.off:])
	if n <= 0 {
		d.Fail("truncated or malformed varint")
		return 0
	}
	d.off += n
	return v
}

func (d *Decoder) Int() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.buf[d.off:])
	if n <= 0 {
		d.Fail("truncated or malformed varint")
		return 0
	}
	d.off += n
	return v
}

// IntIn reads an int and fails unless lo <= v <= hi.
func (d *Decoder) IntIn(lo, hi int64) int64 {
	v := d.Int()
	if d.err == nil && (v < lo || v > hi) {
		d.Fail("value %d outside [%d, %d]", v, lo, hi)
		return lo
	}
	return v
}

func (d *Decoder) Float() float64 {
	if d.err != nil {
		return 0
	}
	if len(d.buf)-d.off < 8 {
		d.Fail("truncated float")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.buf[d.off:]))
	d.off += 8
	return v
}

func (d *Decoder) Bool() bool {
	if d.err != nil {
		return false
	}
	if d.off >= len(d.buf) {
		d.Fail("truncated bool")
		return false
	}
	b := d.buf[d.off]
	d.off++
	if b > 1 {
		d.Fail("invalid bool byte %d", b)
	}
	return b == 1
}

// Len reads a length and fails if the remaining bytes cannot hold that many
// elements of at least minSize bytes each.
func (d *Decoder) Len(minSize int) int {
	v := d.Uint()
	if d.err != nil {
		return 0
	}
	if minSize < 1 {
		minSize = 1
	}
	if v > uint64(d.Remaining()/minSize) {
		d.Fail("length %d exceeds the %d remaining bytes", v, d.Remaining())
		return 0
	}
	return int(v)
}

func (d *Decoder) String() string {
	n := d.Len(1)
	if d.err != nil {
		return ""
	}
	s := string(d.buf[d.off : d.off+n])
	d.off += n
	return s
}

func (d *Decoder) Blob() []byte {
	n := d.Len(1)
	if d.err != nil {
		return nil
	}
	b := append([]byte(nil), d.buf[d.off:d.off+n]...)
	d.off += n
	return b
}

func (d *Decoder) Floats() []float64 {
	n := d.Len(8)
	if d.err != nil || n == 0 {
		return nil
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = d.Float()
	}
	return v
}

func (d *Decoder) Ints() []int {
	n := d.Len(1)
	if d.err != nil || n == 0 {
		return nil
	}
	v := make([]int, n)
	for i := range v {
		v[i] = int(d.Int())
	}
	return v
}

func (d *Decoder) Int32s() []int32 {
	n := d.Len(1)
	if d.err != nil || n == 0 {
		return nil
	}
	v := make([]int32, n)
	for i := range v {
		x := d.Int()
		if x < math.MinInt32 || x > math.MaxInt32 {
			d.Fail("int32 out of range: %d", x)
		}
		v[i] = int32(x)
	}
	return v
}

func (d *Decoder) Uint64s() []uint64 {
	n := d.Len(1)
	if d.err != nil || n == 0 {
		return nil
	}
	v := make([]uint64, n)
	for i := range v {
		v[i] = d.Uint()
	}
	return v
}

// Version reads a model layout version and fails unless it is in [1, max].
func (d *Decoder) Version(max int) int {
	return int(d.IntIn(1, int64(max)))
}
