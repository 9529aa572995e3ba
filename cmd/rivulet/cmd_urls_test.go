package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
)

// urlsHelperEnv, when set, makes the test binary act as `rivulet` with the
// arguments it holds (separated by ASCII unit separators).
const urlsHelperEnv = "RIVULET_TEST_URLS_ARGS"

func TestURLsProcessHelper(t *testing.T) {
	args := os.Getenv(urlsHelperEnv)
	if args == "" {
		t.Skip("helper process for the produce/consume urls tests")
	}
	os.Exit(run(strings.Split(args, "\x1f")))
}

func rivuletCmd(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestURLsProcessHelper$")
	cmd.Env = append(os.Environ(), urlsHelperEnv+"="+strings.Join(args, "\x1f"))
	return cmd
}

var urlSample = filepath.Join("..", "..", "..", "shared", "data", "malicious-url", "sample-2000.svm")

func needSample(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(urlSample); err != nil {
		t.Skipf("MaliciousURL excerpt not found at %s (<repo>/../shared/data/malicious-url/): %v", urlSample, err)
	}
}

// TestBrokersProduceConsumeURLs runs both commands as processes against one broker,
// the consumer first (it reads from the latest offsets), and checks the
// consumer's --json document.
func TestBrokersProduceConsumeURLs(t *testing.T) {
	needSample(t)
	for _, k := range kafkatest.Brokers(t) {
		t.Run(k.Name, func(t *testing.T) {
			brokers := strings.Join(k.Brokers, ",")
			topic := kafkatest.Unique("features")
			consumer := rivuletCmd("consume", "urls", "--brokers", brokers, "--topic", topic, "--group", kafkatest.Unique("g"),
				"--partitions", "-1", "--model", "logistic-regression", "--max-messages", "300", "--idle-timeout", "60s", "--json")
			var stdout bytes.Buffer
			consumer.Stdout = &stdout
			stderr, err := consumer.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := consumer.Start(); err != nil {
				t.Fatal(err)
			}
			defer consumer.Process.Kill()
			lines := bufio.NewScanner(stderr)
			var log strings.Builder
			ready := make(chan struct{})
			go func() {
				for lines.Scan() {
					log.WriteString(lines.Text() + "\n")
					if strings.HasPrefix(lines.Text(), "ready: ") {
						close(ready)
					}
				}
			}()
			select {
			case <-ready:
			case <-time.After(60 * time.Second):
				t.Fatalf("consumer not ready after 60 s:\n%s", log.String())
			}
			producer := rivuletCmd("produce", "urls", "--brokers", brokers, "--topic", topic, "--data", urlSample,
				"--max-size", "300", "--flush-size", "100", "--sleep", "10ms", "--json")
			out, err := producer.Output()
			if err != nil {
				t.Fatalf("produce: %v\n%s", err, stderrOf(err))
			}
			var produced struct {
				Records int `json:"records"`
				Bursts  int `json:"bursts"`
			}
			if err := json.Unmarshal(out, &produced); err != nil || produced.Records != 300 || produced.Bursts != 3 {
				t.Errorf("produce --json: %s (%v)", out, err)
			}
			if err := consumer.Wait(); err != nil {
				t.Fatalf("consume: %v\n%s", err, log.String())
			}
			var doc map[string]any
			if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
				t.Fatalf("consume --json printed %q: %v", stdout.String(), err)
			}
			if doc["processed"] != 300.0 || doc["dead_lettered"] != 0.0 || doc["records_per_second"].(float64) <= 0 {
				t.Errorf("summary %v", doc)
			}
			lat, _ := doc["latency_ms"].(map[string]any)
			for _, row := range []string{"messaging", "processing", "prediction", "learning", "end_to_end"} {
				st, _ := lat[row].(map[string]any)
				for _, col := range []string{"mean", "median", "p95", "p99", "max", "min"} {
					if _, ok := st[col].(float64); !ok {
						t.Errorf("latency_ms.%s.%s missing in %v", row, col, lat[row])
					}
				}
			}
			metrics, _ := doc["metrics"].(map[string]any)
			for _, m := range []string{"rocauc", "f1", "recall", "accuracy"} {
				if v, ok := metrics[m].(float64); !ok || v <= 0 || v > 1 {
					t.Errorf("metrics.%s = %v", m, metrics[m])
				}
			}
			for _, want := range []string{"Now subscribing to features topic:" + topic, "Closing Consumer - Total time take in seconds"} {
				if !strings.Contains(log.String(), want) {
					t.Errorf("consumer stderr lacks %q:\n%s", want, log.String())
				}
			}
		})
	}
}

func stderrOf(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return string(ee.Stderr)
	}
	return ""
}

func TestURLsErrors(t *testing.T) {
	needSample(t)
	cases := []struct {
		args     []string
		code     int
		inStderr string
	}{
		{[]string{"consume", "urls", "--order", "sideways"}, 2, "want prequential or learn-first"},
		{[]string{"consume", "urls", "--from", "middle"}, 2, "want latest or earliest"},
		{[]string{"consume", "urls", "--model", "no-such-model", "--brokers", "127.0.0.1:1"}, 1, `unknown model "no-such-model"`},
		{[]string{"produce", "urls", "--brokers", "127.0.0.1:1", "--broker-wait", "1s", "--data", urlSample}, 1, "no Kafka broker reachable at 127.0.0.1:1"},
		{[]string{"consume", "urls", "--brokers", "127.0.0.1:1", "--broker-wait", "1s", "--model", "logistic-regression"}, 1, "no Kafka broker reachable at 127.0.0.1:1"},
		{[]string{"produce", "urls", "--data", "/no/such/file.svm"}, 1, "/no/such/file.svm"},
	}
	for _, c := range cases {
		cmd := rivuletCmd(c.args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		if code != c.code || !strings.Contains(stderr.String(), c.inStderr) {
			t.Errorf("rivulet %s: exit %d, stderr %q; want exit %d mentioning %q", strings.Join(c.args, " "), code, stderr.String(), c.code, c.inStderr)
		}
	}
}
