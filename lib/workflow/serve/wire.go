package serve

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Topics of the original project (PublishModelUpdates.ipynb, model.py).
const (
	DefaultModelTopic       = "model_updates"
	DefaultFeaturesTopic    = "features"
	DefaultPredictionsTopic = "predictions"
	// DefaultGroup is the scoring service's consumer group. Every replica
	// of one service uses the same group, so that they share partitions.
	DefaultGroup = "rivulet-serve"
)

// SchemaMaliciousURL names the feature layout of the MaliciousURL stream
// (stream.URLRecord): sparse features keyed by their svmlight index, sent
// as decimal-string JSON keys. A model trained on one layout must not score
// records of another, so the scoring service compares this header with the
// layout it serves before swapping a model in.
const SchemaMaliciousURL = "malicious-url/svmlight-index"

// Headers of a model-update record. The record's key is the version in
// decimal, as the original's key=str(v); its value is the rivulet snapshot
// (lib/snapshot) or, when chunked, one piece of it.
const (
	HeaderModelName    = "rivulet-model-name"     // registry name, e.g. "arf"
	HeaderModelKind    = "rivulet-model-kind"     // snapshot kind, e.g. "forest.ARFClassifier"
	HeaderModelVersion = "rivulet-model-version"  // decimal, equal to the key
	HeaderModelParams  = "rivulet-model-params"   // River parameters, "name=value" joined by ";"
	HeaderSchema       = "rivulet-feature-schema" // e.g. SchemaMaliciousURL
	HeaderCreatedAt    = "rivulet-created-at"     // RFC 3339 with nanoseconds, UTC
	HeaderChecksum     = "rivulet-checksum"       // "crc32:xxxxxxxx", the snapshot's own CRC-32
	HeaderSize         = "rivulet-snapshot-bytes" // size of the whole snapshot, decimal
	HeaderChunk        = "rivulet-chunk"          // "i/n", 1-based; absent when not chunked
	HeaderMetrics      = "rivulet-model-metrics"  // JSON object of the version's evaluation metrics
)

// Meta describes one published model version: what the headers of its
// model-update records say.
type Meta struct {
	Version   int64              `json:"version"`
	Name      string             `json:"name"`
	Kind      string             `json:"kind"`
	Params    []string           `json:"params,omitempty"`
	Schema    string             `json:"schema"`
	CreatedAt time.Time          `json:"created_at"`
	Checksum  uint32             `json:"checksum"`
	Bytes     int                `json:"bytes"`
	Chunks    int                `json:"chunks"`
	Metrics   map[string]float64 `json:"metrics,omitempty"`
}

// ChecksumString formats a snapshot CRC-32 as the HeaderChecksum value.
func ChecksumString(crc uint32) string { return fmt.Sprintf("crc32:%08x", crc) }

func parseChecksum(s string) (uint32, error) {
	hex, ok := strings.CutPrefix(s, "crc32:")
	if !ok || len(hex) != 8 {
		return 0, fmt.Errorf("checksum %q: want crc32:xxxxxxxx", s)
	}
	v, err := strconv.ParseUint(hex, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("checksum %q: want crc32:xxxxxxxx", s)
	}
	return uint32(v), nil
}

// headers builds the headers of chunk i (1-based) of n.
func (m Meta) headers(i, n int) []kgo.RecordHeader {
	h := []kgo.RecordHeader{
		{Key: HeaderModelName, Value: []byte(m.Name)},
		{Key: HeaderModelKind, Value: []byte(m.Kind)},
		{Key: HeaderModelVersion, Value: strconv.AppendInt(nil, m.Version, 10)},
		{Key: HeaderSchema, Value: []byte(m.Schema)},
		{Key: HeaderCreatedAt, Value: []byte(m.CreatedAt.UTC().Format(time.RFC3339Nano))},
		{Key: HeaderChecksum, Value: []byte(ChecksumString(m.Checksum))},
		{Key: HeaderSize, Value: strconv.AppendInt(nil, int64(m.Bytes), 10)},
	}
	if len(m.Params) > 0 {
		h = append(h, kgo.RecordHeader{Key: HeaderModelParams, Value: []byte(strings.Join(m.Params, ";"))})
	}
	if len(m.Metrics) > 0 {
		b, _ := json.Marshal(m.Metrics) // map[string]float64 of finite values cannot fail
		h = append(h, kgo.RecordHeader{Key: HeaderMetrics, Value: b})
	}
	if n > 1 {
		h = append(h, kgo.RecordHeader{Key: HeaderChunk, Value: fmt.Appendf(nil, "%d/%d", i, n)})
	}
	return h
}

func header(r *kgo.Record, key string) (string, bool) {
	for i := len(r.Headers) - 1; i >= 0; i-- {
		if r.Headers[i].Key == key {
			return string(r.Headers[i].Value), true
		}
	}
	return "", false
}

// parseMeta reads a model-update record's key and headers. It returns the
// chunk position (1-based index and count; 1/1 when not chunked).
func parseMeta(r *kgo.Record) (m Meta, chunk, chunks int, err error) {
	v, err := strconv.ParseInt(string(r.Key), 10, 64)
	if err != nil || v < 1 {
		return m, 0, 0, fmt.Errorf("key %q is not a model version (a decimal integer >= 1)", r.Key)
	}
	m.Version = v
	if hv, ok := header(r, HeaderModelVersion); ok && hv != string(r.Key) {
		return m, 0, 0, fmt.Errorf("header %s=%q disagrees with the key %q", HeaderModelVersion, hv, r.Key)
	}
	m.Name, _ = header(r, HeaderModelName)
	m.Kind, _ = header(r, HeaderModelKind)
	m.Schema, _ = header(r, HeaderSchema)
	if p, ok := header(r, HeaderModelParams); ok && p != "" {
		m.Params = strings.Split(p, ";")
	}
	if s, ok := header(r, HeaderCreatedAt); ok {
		if m.CreatedAt, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return m, 0, 0, fmt.Errorf("header %s=%q: %v", HeaderCreatedAt, s, err)
		}
	}
	s, ok := header(r, HeaderChecksum)
	if !ok {
		return m, 0, 0, fmt.Errorf("no %s header", HeaderChecksum)
	}
	if m.Checksum, err = parseChecksum(s); err != nil {
		return m, 0, 0, err
	}
	s, ok = header(r, HeaderSize)
	if !ok {
		return m, 0, 0, fmt.Errorf("no %s header", HeaderSize)
	}
	if m.Bytes, err = strconv.Atoi(s); err != nil || m.Bytes <= 0 {
		return m, 0, 0, fmt.Errorf("header %s=%q: want a positive byte count", HeaderSize, s)
	}
	if s, ok := header(r, HeaderMetrics); ok {
		if err := json.Unmarshal([]byte(s), &m.Metrics); err != nil {
			return m, 0, 0, fmt.Errorf("header %s: %v", HeaderMetrics, err)
		}
	}
	chunk, chunks = 1, 1
	if s, ok := header(r, HeaderChunk); ok {
		a, b, found := strings.Cut(s, "/")
		chunk, err1 := strconv.Atoi(a)
		chunks, err2 := strconv.Atoi(b)
		if !found || err1 != nil || err2 != nil || chunks < 1 || chunk < 1 || chunk > chunks {
			return m, 0, 0, fmt.Errorf("header %s=%q: want i/n with 1 <= i <= n", HeaderChunk, s)
		}
		m.Chunks = chunks
		return m, chunk, chunks, nil
	}
	m.Chunks = 1
	return m, chunk, chunks, nil
}
