package stream

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
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
		vals := c.vals[:0]
		for off := 0; off < len(data); off += 8 {
			vals = append(vals, math.Float64frombits(binary.LittleEndian.Uint64(data[off:])))
		}
		c.vals = vals[:0]
		return c.fromArray(vals, rec)
	default:
		return c.decodeJSON(data, rec)
	}
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

type linearJSON struct {
	Counter *json.Number `json:"counter"`
	Y       floatsField  `json:"y"`
	X       floatsField  `json:"x"`
}

// floatsField decodes a JSON array into a reused slice and remembers that
// the field was present.
type floatsField struct {
	dst  *[]float64
	seen bool
}

func (f *floatsField) UnmarshalJSON(b []byte) error {
	f.seen = true
	return json.Unmarshal(b, f.dst)
}

func (c *LinearCodec) decodeJSON(data []byte, rec *LinearRecord) error {
	y, x := rec.Y[:0], rec.X[:0]
	msg := linearJSON{Y: floatsField{dst: &y}, X: floatsField{dst: &x}}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&msg); err != nil {
		return fmt.Errorf("json: %w", err)
	}
	if dec.More() {
		return errors.New("json: unexpected data after the record")
	}
	if msg.Counter == nil || !msg.Y.seen || !msg.X.seen {
		return errors.New(`json: want the fields "counter", "y" and "x"`)
	}
	if len(y) != c.outputs || len(x) != c.inputs {
		return &LinearLengthError{Got: 1 + len(y) + len(x), Inputs: c.inputs, Outputs: c.outputs}
	}
	counter, err := msg.Counter.Int64()
	if err != nil {
		f, ferr := msg.Counter.Float64()
		if ferr != nil {
			return fmt.Errorf("json: counter %s is not a number", msg.Counter.String())
		}
		if counter, err = counterOf(f); err != nil {
			return err
		}
	}
	rec.Counter, rec.Y, rec.X = counter, y, x
	return nil
}

// DecodeMessage decodes msg.Value and names the message's topic, partition
// and offset in any error (a *MessageError).
func (c *LinearCodec) DecodeMessage(msg kafka.Message, rec *LinearRecord) error {
	return WrapMessage(msg, c.Decode(msg.Value, rec))
}
