package stream

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/segmentio/kafka-go"
)

// LinearRecord is one message of the linear-model stream (topic
// dataLinearModel): a counter, the m outputs y and the n inputs x of
// y = B x + w. On the wire the values are laid out as the original sender's
// numpy array [counter, y₁..y_m, x₁..x_n].
type LinearRecord struct {
	Counter int64
	Y       []float64
	X       []float64
}

// LinearFormat selects how a LinearRecord is encoded.
type LinearFormat int

const (
	// LinearNumpy is the original sender's text: np.array2string(arr,
	// separator=',') exactly as numpy prints it (see NumpyEncoder).
	LinearNumpy LinearFormat = iota
	// LinearJSON is {"counter":0,"y":[...],"x":[...]} with shortest
	// round-trip numbers; NaN and ±Inf cannot be encoded.
	LinearJSON
	// LinearBinary is the array's raw little-endian float64s, 8·(1+m+n)
	// bytes: np.frombuffer(value, "<f8") reads it back in Python.
	LinearBinary
)

// String is the CLI name: numpy, json or binary.
func (f LinearFormat) String() string {
	switch f {
	case LinearNumpy:
		return "numpy"
	case LinearJSON:
		return "json"
	case LinearBinary:
		return "binary"
	}
	return "LinearFormat(" + strconv.Itoa(int(f)) + ")"
}

// ParseLinearFormat reads numpy, json or binary.
func ParseLinearFormat(s string) (LinearFormat, error) {
	switch s {
	case "numpy", "text", "":
		return LinearNumpy, nil
	case "json":
		return LinearJSON, nil
	case "binary", "f64":
		return LinearBinary, nil
	}
	return 0, fmt.Errorf("unknown linear-model message format %q (want numpy, json or binary)", s)
}

// LinearLengthError reports a message whose number of values does not match
// the configured (n, m).
type LinearLengthError struct {
	Got, Inputs, Outputs int
}

func (e *LinearLengthError) Error() string {
	return fmt.Sprintf("message has %d values, want %d (1 counter + %d outputs + %d inputs)",
		e.Got, 1+e.Outputs+e.Inputs, e.Outputs, e.Inputs)
}

// LinearCodec encodes and decodes LinearRecords for a configured number of
// inputs n and outputs m. It keeps scratch buffers, so use one codec per
// goroutine.
type LinearCodec struct {
	format          LinearFormat
	inputs, outputs int
	np              NumpyEncoder
	vals            []float64
}

// NewLinearCodec returns a codec for records of n inputs and m outputs.
func NewLinearCodec(format LinearFormat, inputs, outputs int) (*LinearCodec, error) {
	if inputs < 1 || outputs < 1 {
		return nil, fmt.Errorf("linear codec needs at least one input and one output, got n=%d m=%d", inputs, outputs)
	}
	if format < LinearNumpy || format > LinearBinary {
		return nil, fmt.Errorf("unknown linear-model message format %v", format)
	}
	return &LinearCodec{format: format, inputs: inputs, outputs: outputs,
		vals: make([]float64, 0, 1+inputs+outputs)}, nil
}

// Format is the codec's format.
func (c *LinearCodec) Format() LinearFormat { return c.format }

// Inputs is n.
func (c *LinearCodec) Inputs() int { return c.inputs }

// Outputs is m.
func (c *LinearCodec) Outputs() int { return c.outputs }

// Append appends rec's encoding to dst. It fails when rec does not have
// the configured lengths, and in JSON for non-finite values.
func (c *LinearCodec) Append(dst []byte, rec *LinearRecord) ([]byte, error) {
	if len(rec.Y) != c.outputs || len(rec.X) != c.inputs {
		return dst, fmt.Errorf("record has %d outputs and %d inputs, want %d and %d", len(rec.Y), len(rec.X), c.outputs, c.inputs)
	}
	switch c.format {
	case LinearNumpy:
		vals := append(c.vals[:0], float64(rec.Counter))
		vals = append(vals, rec.Y...)
		vals = append(vals, rec.X...)
		c.vals = vals
		return c.np.AppendArray(dst, vals), nil
	case LinearBinary:
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(float64(rec.Counter)))
		for _, v := range rec.Y {
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
		}
		for _, v := range rec.X {
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
		}
		return dst, nil
	default:
		dst = append(dst, `{"counter":`...)
		dst = strconv.AppendInt(dst, rec.Counter, 10)
		var err error
		dst = append(dst, `,"y":`...)
		if dst, err = appendJSONFloats(dst, rec.Y); err != nil {
			return dst, fmt.Errorf("y: %w", err)
		}
		dst = append(dst, `,"x":`...)
		if dst, err = appendJSONFloats(dst, rec.X); err != nil {
			return dst, fmt.Errorf("x: %w", err)
		}
		return append(dst, '}'), nil
	}
}

func appendJSONFloats(dst []byte, vals []float64) ([]byte, error) {
	dst = append(dst, '[')
	for i, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return dst, fmt.Errorf("value %d is %v, which JSON cannot represent", i, v)
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendFloat(dst, v, 'g', -1, 64)
	}
	return append(dst, ']'), nil
}

// Decode parses data into rec, reusing rec.Y and rec.X. Errors are
// *NumpySyntaxError (malformed text), *LinearLengthError (wrong number of
// values) or describe the JSON/binary problem; DecodeMessage adds the
// topic, partition and offset.
func (c *LinearCodec) Decode(data []byte, rec *LinearRecord) error {
	switch c.format {
	case LinearNumpy:
		vals, err := ParseNumpyArray(c.vals[:0], data)
		c.vals = vals[:0]
		if err != nil {
			return err
		}
		return c.fromArray(vals, rec)
	case LinearBinary:
		want := 8 * (1 + c.outputs + c.inputs)
		if len(data) != want {
			if len(data)%8 == 0 {
				return &LinearLengthError{Got: len(data) / 8, Inputs: c.inputs, Outputs: c.outputs}
			}
			return fmt.Errorf("binary message has %d bytes, want %d (float64 × (1 counter + %d outputs + %d inputs))", len(data), want, c.outputs, c.inputs)
		}
		counter, err := counterOf(math.Float64frombits(binary.LittleEndian.Uint64(data)))
		if err != nil {
			return err
		}
		rec.Counter = counter
		rec.Y = readFloats(rec.Y, data[8:8+8*c.outputs])
		rec.X = readFloats(rec.X, data[8+8*c.outputs:])
		return nil
	default:
		return c.decodeJSON(data, rec)
	}
}

// readFloats decodes little-endian float64s into dst, reusing it.
func readFloats(dst []float64, b []byte) []float64 {
	n := len(b) / 8
	dst = slices.Grow(dst[:0], n)[:n]
	for i := range dst {
		dst[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return dst
}

// fromArray splits [counter, y..., x...].
func (c *LinearCodec) fromArray(vals []float64, rec *LinearRecord) error {
	if len(vals) != 1+c.outputs+c.inputs {
		return &LinearLengthError{Got: len(vals), Inputs: c.inputs, Outputs: c.outputs}
	}
	counter, err := counterOf(vals[0])
	if err != nil {
		return err
	}
	rec.Counter = counter
	rec.Y = append(rec.Y[:0], vals[1:1+c.outputs]...)
	rec.X = append(rec.X[:0], vals[1+c.outputs:]...)
	return nil
}

// counterOf converts the float counter numpy carries (np.concatenate turns
// the int counter into a float) back to an integer.
func counterOf(v float64) (int64, error) {
	if v != math.Trunc(v) || math.Abs(v) > 1<<53 {
		return 0, fmt.Errorf("counter %v is not an integer", v)
	}
	return int64(v), nil
}

// decodeJSON reads {"counter": N, "y": [...], "x": [...]}: the three
// fields in any order, each exactly once, JSON numbers only, blanks
// anywhere JSON allows them. It is a small dedicated parser (encoding/json
// takes some 50 times longer for this shape); errors name the byte offset.
func (c *LinearCodec) decodeJSON(data []byte, rec *LinearRecord) error {
	p := jsonScanner{b: data}
	p.ws()
	if !p.eat('{') {
		return p.fail("want '{' to open the record")
	}
	var seen [3]bool
	rec.Y, rec.X = rec.Y[:0], rec.X[:0]
	for first := true; ; first = false {
		p.ws()
		if first && p.eat('}') {
			break
		}
		key, err := p.key()
		if err != nil {
			return err
		}
		field := -1
		switch string(key) { // compared without allocating
		case "counter":
			field = 0
		case "y":
			field = 1
		case "x":
			field = 2
		default:
			return p.failAt(p.i-len(key)-2, "unknown field %q (want counter, y and x)", key)
		}
		if seen[field] {
			return p.failAt(p.i-len(key)-2, "field %q given twice", key)
		}
		seen[field] = true
		p.ws()
		if !p.eat(':') {
			return p.fail("want ':' after %q", key)
		}
		p.ws()
		switch field {
		case 0:
			start := p.i
			v, err := p.number()
			if err != nil {
				return err
			}
			if rec.Counter, err = counterOf(v); err != nil {
				return p.failAt(start, "%v", err)
			}
		case 1:
			if rec.Y, err = p.array(rec.Y); err != nil {
				return err
			}
		case 2:
			if rec.X, err = p.array(rec.X); err != nil {
				return err
			}
		}
		p.ws()
		if p.eat('}') {
			break
		}
		if !p.eat(',') {
			return p.fail("want ',' or '}' after %q", key)
		}
	}
	p.ws()
	if p.i != len(p.b) {
		return p.fail("unexpected data after the record")
	}
	if !seen[0] || !seen[1] || !seen[2] {
		return errors.New(`json: want the fields "counter", "y" and "x"`)
	}
	if len(rec.Y) != c.outputs || len(rec.X) != c.inputs {
		return &LinearLengthError{Got: 1 + len(rec.Y) + len(rec.X), Inputs: c.inputs, Outputs: c.outputs}
	}
	return nil
}

// jsonScanner walks a JSON record.
type jsonScanner struct {
	b []byte
	i int
}

func (p *jsonScanner) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonScanner) eat(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *jsonScanner) fail(format string, args ...any) error { return p.failAt(p.i, format, args...) }

func (p *jsonScanner) failAt(off int, format string, args ...any) error {
	return fmt.Errorf("json byte %d: %s", off, fmt.Sprintf(format, args...))
}

// key reads a field name; the names of a record need no escapes, so a
// backslash is an error rather than a name to decode.
func (p *jsonScanner) key() ([]byte, error) {
	if !p.eat('"') {
		return nil, p.fail("want a field name")
	}
	start := p.i
	for p.i < len(p.b) && p.b[p.i] != '"' {
		if p.b[p.i] == '\\' || p.b[p.i] < 0x20 {
			return nil, p.fail("unexpected character %q in a field name", p.b[p.i])
		}
		p.i++
	}
	if p.i == len(p.b) {
		return nil, p.fail("unterminated field name")
	}
	p.i++
	return p.b[start : p.i-1], nil
}

// number reads one JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonScanner) number() (float64, error) {
	start, b := p.i, p.b
	i := start
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return 0, p.failAt(start, "want a number")
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return 0, p.failAt(start, "want digits after the decimal point")
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return 0, p.failAt(start, "want digits in the exponent")
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	v, end, ok := scanNumber(b[:i], start)
	if !ok || end != i {
		return 0, p.failAt(start, "number %q is out of float64 range", b[start:i])
	}
	p.i = i
	return v, nil
}

// array reads [number, ...] into dst.
func (p *jsonScanner) array(dst []float64) ([]float64, error) {
	if !p.eat('[') {
		return dst, p.fail("want '[' to open an array")
	}
	p.ws()
	if p.eat(']') {
		return dst, nil
	}
	for {
		p.ws()
		v, err := p.number()
		if err != nil {
			return dst, err
		}
		dst = append(dst, v)
		p.ws()
		if p.eat(']') {
			return dst, nil
		}
		if !p.eat(',') {
			return dst, p.fail("want ',' or ']' in an array")
		}
	}
}

// DecodeMessage decodes msg.Value and names the message's topic, partition
// and offset in any error (a *MessageError).
func (c *LinearCodec) DecodeMessage(msg kafka.Message, rec *LinearRecord) error {
	return WrapMessage(msg, c.Decode(msg.Value, rec))
}
