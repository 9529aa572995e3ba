package serve

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/rivulet-ml/rivulet/lib/feature"
)

// RequestError reports a POST /predict body that is not a request; Offset
// is the byte where reading stopped.
type RequestError struct {
	Offset int
	Msg    string
}

func (e *RequestError) Error() string { return fmt.Sprintf("request: byte %d: %s", e.Offset, e.Msg) }

// ParseRequest reads a POST /predict body:
//
//	{"x": {"<feature index>": <number>, ...}, "version": N}
//	{"data": {"version": N, "x": {...}}}
//
// ("version" optional; -1 when absent). Members may come in any order and
// other members are skipped; feature keys must be feature indices in
// canonical decimal form (the feature stream's keys: "04" or "-1" would be
// other features in River), each at most once, with finite numbers.
//
// It is a single pass without reflection or maps: encoding/json into a
// map[string]float64 spent most of a request's time on the 144 features of
// the original's payload.
func ParseRequest(body []byte) (x feature.Vector, version int64, err error) {
	p := reqParser{data: body}
	version = -1
	var haveX, haveData bool
	features := func() error {
		if haveX {
			return p.fail(`features given twice (send "x" or "data", not both)`)
		}
		haveX = true
		return p.features(&x)
	}
	err = p.object(func(key []byte) error {
		switch string(key) {
		case "x":
			return features()
		case "version":
			return p.version(&version)
		case "data":
			haveData = true
			return p.object(func(key []byte) error {
				switch string(key) {
				case "x":
					return features()
				case "version":
					return p.version(&version)
				}
				return p.skip(0)
			})
		}
		return p.skip(0)
	})
	if err != nil {
		return x, -1, err
	}
	if p.ws(); p.pos != len(p.data) {
		return x, -1, p.fail("unexpected data after the request")
	}
	if !haveX {
		what := `no features: want {"x": {"<feature index>": <number>, ...}}`
		if haveData {
			what = `no features in "data": want {"data": {"version": N, "x": {...}}}`
		}
		return x, -1, p.fail("%s", what)
	}
	if len(x.Idx) > 1 {
		sortFeatures(&x)
		for k := 1; k < len(x.Idx); k++ {
			if x.Idx[k] == x.Idx[k-1] {
				return x, -1, &RequestError{Offset: -1, Msg: fmt.Sprintf("feature %d given twice", x.Idx[k])}
			}
		}
	}
	return x, version, nil
}

type reqParser struct {
	data  []byte
	pos   int
	keyAt int // where the current member's key starts
}

func (p *reqParser) fail(format string, args ...any) error {
	return &RequestError{Offset: p.pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *reqParser) ws() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *reqParser) peek() byte {
	p.ws()
	if p.pos >= len(p.data) {
		return 0
	}
	return p.data[p.pos]
}

func (p *reqParser) expect(c byte) error {
	if got := p.peek(); got != c {
		if got == 0 {
			return p.fail("unexpected end, want %q", c)
		}
		return p.fail("found %q, want %q", got, c)
	}
	p.pos++
	return nil
}

// object reads an object, calling member for each key with the parser
// positioned at the member's value.
func (p *reqParser) object(member func(key []byte) error) error {
	if err := p.expect('{'); err != nil {
		return err
	}
	if p.peek() == '}' {
		p.pos++
		return nil
	}
	for {
		p.ws()
		p.keyAt = p.pos
		key, err := p.str()
		if err != nil {
			return err
		}
		if err := p.expect(':'); err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
		switch p.peek() {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return nil
		default:
			return p.fail("want ',' or '}' after a member")
		}
	}
}

// str reads a string. Without escapes the result aliases the input.
func (p *reqParser) str() ([]byte, error) {
	if err := p.expect('"'); err != nil {
		return nil, err
	}
	start := p.pos
	escaped := false
	for p.pos < len(p.data) {
		switch c := p.data[p.pos]; {
		case c == '"':
			p.pos++
			if !escaped {
				return p.data[start : p.pos-1], nil
			}
			var s string
			if err := json.Unmarshal(p.data[start-1:p.pos], &s); err != nil {
				p.pos = start
				return nil, p.fail("bad string: %v", err)
			}
			return []byte(s), nil
		case c == '\\':
			escaped = true
			p.pos += 2
			continue
		case c < 0x20:
			return nil, p.fail("control character %#x in a string", c)
		}
		p.pos++
	}
	return nil, p.fail("unterminated string")
}

// number reads a JSON number as a finite float64.
func (p *reqParser) number() (float64, error) {
	p.ws()
	start := p.pos
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if (c >= '0' && c <= '9') || c == '-' || c == '.' || c == 'e' || c == 'E' || (c == '+' && p.pos > start) {
			p.pos++
			continue
		}
		break
	}
	if p.pos == start {
		p.pos = start
		return 0, p.fail("want a number")
	}
	v, err := strconv.ParseFloat(string(p.data[start:p.pos]), 64)
	if err != nil || math.IsInf(v, 0) {
		text := p.data[start:min(p.pos, start+40)]
		p.pos = start
		return 0, p.fail("%q is not a finite number", text)
	}
	return v, nil
}

func (p *reqParser) version(v *int64) error {
	at := p.pos
	f, err := p.number()
	if err != nil {
		return err
	}
	if f != math.Trunc(f) || f < 0 || f > 1<<53 {
		p.pos = at
		return p.fail(`"version" %v: want a whole number >= 0`, f)
	}
	*v = int64(f)
	return nil
}

// features reads the feature object into x (unsorted).
func (p *reqParser) features(x *feature.Vector) error {
	x.Idx, x.Val = x.Idx[:0], x.Val[:0]
	return p.object(func(key []byte) error {
		i, ok := featureIndex(key)
		if !ok {
			p.pos = p.keyAt
			return p.fail("feature key %q: want a feature index in decimal (0 to 2147483647)", key)
		}
		v, err := p.number()
		if err != nil {
			return err
		}
		x.Idx = append(x.Idx, i)
		x.Val = append(x.Val, v)
		return nil
	})
}

// featureIndex parses a canonical decimal index: digits only, no leading
// zero, at most 2^31-1.
func featureIndex(key []byte) (int32, bool) {
	if len(key) == 0 || len(key) > 10 || (key[0] == '0' && len(key) > 1) {
		return 0, false
	}
	var n int64
	for _, c := range key {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return int32(n), n <= math.MaxInt32
}

// skip skips one JSON value, nested at most 64 deep.
func (p *reqParser) skip(depth int) error {
	if depth > 64 {
		return p.fail("nested too deeply")
	}
	switch c := p.peek(); {
	case c == '{':
		return p.object(func([]byte) error { return p.skip(depth + 1) })
	case c == '[':
		p.pos++
		if p.peek() == ']' {
			p.pos++
			return nil
		}
		for {
			if err := p.skip(depth + 1); err != nil {
				return err
			}
			switch p.peek() {
			case ',':
				p.pos++
			case ']':
				p.pos++
				return nil
			default:
				return p.fail("want ',' or ']' in an array")
			}
		}
	case c == '"':
		_, err := p.str()
		return err
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if len(p.data)-p.pos >= len(lit) && string(p.data[p.pos:p.pos+len(lit)]) == lit {
				p.pos += len(lit)
				return nil
			}
		}
		return p.fail("want a JSON value")
	default:
		_, err := p.number()
		return err
	}
}

// sortFeatures orders x by index, keeping values with their indices.
func sortFeatures(x *feature.Vector) {
	if slices.IsSorted(x.Idx) {
		return
	}
	type entry struct {
		i int32
		v float64
	}
	entries := make([]entry, len(x.Idx))
	for k := range entries {
		entries[k] = entry{x.Idx[k], x.Val[k]}
	}
	slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.i, b.i) })
	for k, e := range entries {
		x.Idx[k], x.Val[k] = e.i, e.v
	}
}
