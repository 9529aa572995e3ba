package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// maxRequestBytes bounds a POST /predict body; a MaliciousURL record is
// about 3 KB of JSON.
const maxRequestBytes = 1 << 20

// PredictResponse is the answer of POST /predict.
type PredictResponse struct {
	// Score is P(malicious); -1 when no model is loaded or the model has
	// seen no class yet.
	Score float64 `json:"score"`
	// Malicious is Score > 0.5.
	Malicious bool   `json:"malicious"`
	Version   int64  `json:"version"`
	Model     string `json:"model,omitempty"`
	Error     string `json:"error,omitempty"`
}

// Health is the answer of GET /healthz.
type Health struct {
	Status     string  `json:"status"` // "ok" or what the service is doing
	Replica    string  `json:"replica"`
	Version    int64   `json:"version"`
	Model      string  `json:"model,omitempty"`
	Loaded     []int64 `json:"loaded_versions"`
	Partitions int64   `json:"assigned_partitions"`
	Records    uint64  `json:"records"`
}

func (s *Service) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /predict", s.handlePredict)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /metrics", s.handleMetrics)
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}

func (s *Service) handlePredict(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	code := s.predict(w, r)
	s.m.predictHTTP.observe(time.Since(start))
	s.m.httpRequest("/predict", code)
}

func (s *Service) predict(w http.ResponseWriter, r *http.Request) int {
	fail := func(code int, version int64, format string, args ...any) int {
		writeJSON(w, code, PredictResponse{Score: -1, Version: version, Error: fmt.Sprintf(format, args...)})
		return code
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fail(http.StatusRequestEntityTooLarge, -1, "request body over %d bytes", maxRequestBytes)
		}
		return fail(http.StatusBadRequest, -1, "reading the request: %v", err)
	}
	x, version, err := ParseRequest(body)
	if err != nil {
		return fail(http.StatusBadRequest, -1, `%v (want {"x": {"<feature index>": <number>, ...}} or {"data": {"version": N, "x": {...}}})`, err)
	}
	m := s.store.current()
	if m == nil {
		return fail(http.StatusServiceUnavailable, -1, "no model initialized (nothing published on %s yet)", s.c.modelTopic)
	}
	if version >= 0 && version != m.Version {
		vm, ok := s.store.version(version)
		if !ok {
			return fail(http.StatusNotFound, version, "model version %d is not loaded (serving %d; loaded: %v)", version, m.Version, s.store.loaded())
		}
		m = vm
	}
	score := Score(m.PredictProba(x, make([]float64, 0, 2)))
	writeJSON(w, http.StatusOK, PredictResponse{Score: score, Malicious: score > 0.5, Version: m.Version, Model: m.Name})
	return http.StatusOK
}

// AppendRequest appends the POST /predict body for x in the original's
// test-payload shape, {"data": {"version": v, "x": {"<index>": value, ...}}},
// with Python's float reprs (test/example_payload.json was json.dumps
// output). A negative version leaves "version" out: the served one is used.
func AppendRequest(dst []byte, x feature.Vector, version int64) []byte {
	dst = append(dst, `{"data": {`...)
	if version >= 0 {
		dst = append(dst, `"version": `...)
		dst = strconv.AppendInt(dst, version, 10)
		dst = append(dst, ", "...)
	}
	dst = append(dst, `"x": {`...)
	first := true
	x.Range(func(i int, v float64) {
		if !first {
			dst = append(dst, ", "...)
		}
		first = false
		dst = append(dst, '"')
		dst = strconv.AppendInt(dst, int64(i), 10)
		dst = append(dst, `": `...)
		dst = stream.AppendPythonFloat(dst, finite(v))
	})
	return append(dst, "}}}"...)
}

func (s *Service) health() (Health, bool) {
	h := Health{Status: s.state.Load().(string), Replica: s.c.replica, Version: -1, Loaded: s.store.loaded(),
		Partitions: s.m.partitions.Load(), Records: s.m.records.Load()}
	if m := s.store.current(); m != nil {
		h.Version, h.Model = m.Version, m.Name
	}
	return h, h.Status == "ok"
}

func (s *Service) handleHealth(w http.ResponseWriter, _ *http.Request) {
	h, ok := s.health()
	code := http.StatusOK
	if !ok {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, h)
	s.m.httpRequest("/healthz", code)
}

func (s *Service) handleMetrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.m.writeTo(w)
	s.m.httpRequest("/metrics", http.StatusOK)
}
