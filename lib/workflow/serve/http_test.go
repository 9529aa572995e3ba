package serve

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/datasets"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/models"
	"github.com/rivulet-ml/rivulet/lib/workflow/urls"
)

func get(t testing.TB, url string, code int) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != code {
		t.Fatalf("GET %s: %d %s, want %d", url, resp.StatusCode, b, code)
	}
	return string(b)
}

func post(t testing.TB, url, body string) (int, PredictResponse) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out PredictResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("POST %s: %d, body not JSON: %v", url, resp.StatusCode, err)
	}
	return resp.StatusCode, out
}

// samplePath is the real MaliciousURL excerpt, relative to this package.
var samplePath = filepath.Join("..", "..", "..", urls.SampleRelPath)

// examplePayload is the original's test/example_payload.json: the 5th
// record of Day0.svm (the 5th of the excerpt), as {"data": {"version": 5,
// "x": {...}}} with its 144 features. It returns the payload and the record.
func examplePayload(t testing.TB) (string, feature.Vector) {
	t.Helper()
	if _, err := os.Stat(samplePath); err != nil {
		t.Skipf("MaliciousURL excerpt not found at %s: %v", samplePath, err)
	}
	it := datasets.FromFiles(samplePath).Take(5)
	defer it.Close()
	for it.Next() {
	}
	x := it.X().Clone()
	payload := string(AppendRequest(nil, x, 5))
	if len(x.Idx) != 144 || x.Idx[0] != 2 || x.Val[1] != 0.0788382 {
		t.Fatalf("record 5 has %d features starting %v: not the original's payload", len(x.Idx), x.Idx[:3])
	}
	return payload, x
}

// TestHTTPPredictTheOriginalPayload publishes versions 1..5 of a tree
// trained on the excerpt and scores the original's example payload (which
// names version 5) and the plain {"x": ...} form, checking the scores
// against the models themselves.
func TestHTTPPredictTheOriginalPayload(t *testing.T) {
	payload, x := examplePayload(t)
	brokers := []string{kafkatest.Embedded(t)}
	tp := newTopics()
	versions := map[int64]base.Classifier{}
	it := datasets.FromFiles(samplePath).Iter()
	defer it.Close()
	for v := int64(1); v <= 6; v++ {
		m, err := models.NewClassifier("ht", []string{"grace_period=50"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n < 150*int(v) && it.Next(); n++ {
			y := 0
			if it.Y() {
				y = 1
			}
			m.LearnOne(it.X(), y)
		}
		versions[v] = m
		tp.publish(t, brokers, m, WithModelName("ht", "grace_period=50"))
	}
	svc := start(t, tp.serveOpts(brokers, WithHTTP("127.0.0.1:0"), WithKeepVersions(3))...)
	base := "http://" + svc.HTTPAddr()

	code, got := post(t, base+"/predict", payload)
	want := Score(versions[5].PredictProbaOne(x, nil))
	if code != 200 || got.Version != 5 || got.Score != want || got.Malicious != (want > 0.5) || got.Model != "ht" {
		t.Errorf("original payload: %d %+v; want version 5 score %v", code, got, want)
	}
	plain := strings.Replace(strings.TrimSuffix(strings.TrimPrefix(payload, `{"data": {"version": 5, `), "}"), `"x"`, `{"x"`, 1)
	code, got = post(t, base+"/predict", plain)
	want = Score(versions[6].PredictProbaOne(x, nil))
	if code != 200 || got.Version != 6 || got.Score != want {
		t.Errorf("plain payload %.40s…: %d %+v; want version 6 score %v", plain, code, got, want)
	}

	for _, c := range []struct {
		body string
		code int
		says string
	}{
		{`{"data": {"version": 1, "x": {"2": 1.0}}}`, 404, "model version 1 is not loaded (serving 6; loaded: [4 5 6])"},
		{`{"x": {"04": 1.0}}`, 400, `feature key "04"`},
		{`{"x": {"-1": 1.0}}`, 400, `feature key "-1"`},
		{`{"x": {"2": "one"}}`, 400, "request: byte 12: want a number"},
		{`{"y": 1}`, 400, "no features"},
		{`{"x": {"2": 1}, "data": {"x": {"2": 1}}}`, 400, `features given twice`},
		{`[1, 2]`, 400, `request: byte 0: found '[', want '{'`},
		{`{"x": {"2": 1e999}}`, 400, `"1e999" is not a finite number`},
	} {
		code, got := post(t, base+"/predict", c.body)
		if code != c.code || got.Score != -1 || !strings.Contains(got.Error, c.says) {
			t.Errorf("POST %s: %d %+v; want %d saying %q", c.body, code, got, c.code, c.says)
		}
	}
	big := `{"x": {"1": ` + strings.Repeat(" ", maxRequestBytes) + `1}}`
	if code, got := post(t, base+"/predict", big); code != 413 || !strings.Contains(got.Error, "over 1048576 bytes") {
		t.Errorf("oversized request: %d %+v", code, got)
	}
	if resp, err := http.Get(base + "/predict"); err != nil || resp.StatusCode != 405 {
		t.Errorf("GET /predict: %v %v, want 405", resp.StatusCode, err)
	}

	var h Health
	if err := json.Unmarshal([]byte(get(t, base+"/healthz", 200)), &h); err != nil || h.Status != "ok" || h.Version != 6 || h.Partitions == 0 {
		t.Errorf("healthz %+v %v", h, err)
	}
	text := get(t, base+"/metrics", 200)
	checkExposition(t, text)
	for _, want := range []string{
		`rivulet_serve_http_requests_total{handler="/predict",code="200"} 2`,
		`rivulet_serve_http_requests_total{handler="/predict",code="400"} 7`,
		`rivulet_serve_http_predict_seconds_count 11`,
		"rivulet_serve_model_version 6",
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}
	svc.Stop()
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("HTTP still answers after Stop")
	}
}

// checkExposition checks Prometheus text format 0.0.4 rules: every sample
// belongs to a family announced by HELP and TYPE, names and labels are
// well formed, histogram buckets are cumulative and end with +Inf = count.
func checkExposition(t testing.TB, text string) {
	t.Helper()
	sample := regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*)\})? (\S+)$`)
	types := map[string]string{}
	help := map[string]bool{}
	var lastBucket float64
	lastLe := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if f, ok := strings.CutPrefix(line, "# HELP "); ok {
			name, doc, _ := strings.Cut(f, " ")
			if doc == "" || help[name] {
				t.Errorf("line %d: HELP %q empty or repeated", n, name)
			}
			help[name] = true
			continue
		}
		if f, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name, typ, _ := strings.Cut(f, " ")
			if typ != "counter" && typ != "gauge" && typ != "histogram" || types[name] != "" || !help[name] {
				t.Errorf("line %d: TYPE %q %q (after HELP, once)", n, name, typ)
			}
			types[name] = typ
			continue
		}
		m := sample.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("line %d: not a sample: %q", n, line)
			continue
		}
		name, value := m[1], m[5]
		v, err := strconv.ParseFloat(value, 64)
		if err != nil && value != "+Inf" {
			t.Errorf("line %d: value %q", n, value)
		}
		family := name
		for _, suf := range []string{"_bucket", "_sum", "_count"} {
			if b, ok := strings.CutSuffix(name, suf); ok && types[b] == "histogram" {
				family = b
			}
		}
		if types[family] == "" {
			t.Errorf("line %d: sample %s before its TYPE", n, name)
		}
		if strings.HasSuffix(name, "_bucket") {
			if strings.Contains(m[3], `le="5e-05"`) {
				lastBucket = 0
			}
			if v < lastBucket {
				t.Errorf("line %d: bucket count %v below the previous %v", n, v, lastBucket)
			}
			lastBucket, lastLe = v, m[3]
		}
		if strings.HasSuffix(name, "_count") && types[family] == "histogram" && (lastLe != `le="+Inf"` || v != lastBucket) {
			t.Errorf("line %d: %s = %v, last bucket %s = %v", n, name, v, lastLe, lastBucket)
		}
	}
	if n < 50 {
		t.Errorf("only %d lines", n)
	}
}

func TestMetricsExposition(t *testing.T) {
	m := newMetrics()
	for i := range 1000 {
		m.processing.observe(time.Duration(i) * time.Microsecond) // 0..999 µs
	}
	m.messaging.observe(-5) // clock skew: counted at 0
	m.versionCounter(3).Add(7)
	m.httpRequest("/predict", 200)
	var b strings.Builder
	if err := m.writeTo(&b); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	checkExposition(t, text)
	for _, want := range []string{
		`rivulet_serve_processing_seconds_bucket{le="5e-05"} 51`, // bounds are inclusive
		`rivulet_serve_processing_seconds_bucket{le="0.0001"} 101`,
		`rivulet_serve_processing_seconds_bucket{le="0.001"} 1000`,
		`rivulet_serve_processing_seconds_bucket{le="+Inf"} 1000`,
		`rivulet_serve_processing_seconds_sum 0.4995`,
		`rivulet_serve_messaging_seconds_bucket{le="5e-05"} 1`,
		`rivulet_serve_messaging_seconds_sum 0`,
		`rivulet_serve_predictions_total{version="3"} 7`,
		`rivulet_serve_model_version -1`,
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("lacks %q", want)
		}
	}
}
