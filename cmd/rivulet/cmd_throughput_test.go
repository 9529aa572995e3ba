package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/throughput"
)

// throughputHelperEnv makes the test binary act as `rivulet throughput`
// with the arguments it holds (separated by ASCII unit separators).
const throughputHelperEnv = "RIVULET_TEST_THROUGHPUT_ARGS"

func TestThroughputProcessHelper(t *testing.T) {
	args := os.Getenv(throughputHelperEnv)
	if args == "" {
		t.Skip("helper process for the throughput command tests")
	}
	os.Exit(run(strings.Split(args, "\x1f")))
}

func runThroughputProcess(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestThroughputProcessHelper$")
	cmd.Env = append(os.Environ(), throughputHelperEnv+"="+strings.Join(append([]string{"throughput"}, args...), "\x1f"))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

var throughputSample = filepath.Join("..", "..", "..", "shared", "data", "malicious-url", "sample-2000.svm")

func needThroughputSample(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(throughputSample); err != nil {
		t.Skipf("SKIP: MaliciousURL excerpt absent (%s); it lives outside the repository", throughputSample)
	}
}

// The accuracies are River 0.26.1's on the same 200 records
// (benchmarks/river/river_throughput.py's MODELS): predict-then-learn,
// `p = m.predict_one(x); m.learn_one(x, y)`, gives hat 0.885 and
// gaussian-nb 0.885; learning all 200 then predicting them (the original's
// order) gives hat 0.875 and gaussian-nb 0.955.
func TestThroughputJSONMatchesRiverAccuracy(t *testing.T) {
	needThroughputSample(t)
	out, errs, code := runThroughputProcess(t, "--data", throughputSample, "--n", "200", "--models", "hat,gaussian-nb",
		"--method", "both", "--repetitions", "1", "--warmup", "0", "--consumers", "2", "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var rows []map[string]any
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&rows); err != nil {
		t.Fatalf("stdout is not one JSON array: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("more than one JSON value on stdout:\n%s", out)
	}
	want := map[string]float64{"hat/rivulet": 0.885, "gaussian-nb/rivulet": 0.885, "hat/original": 0.875, "gaussian-nb/original": 0.955}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d:\n%s", len(rows), len(want), out)
	}
	for _, r := range rows {
		key := r["model"].(string) + "/" + r["method"].(string)
		if acc, ok := r["accuracy"].(float64); !ok || acc != want[key] {
			t.Errorf("%s: accuracy %v, want River's %v", key, r["accuracy"], want[key])
		}
		for _, k := range []string{"train_ms_per_record", "predict_ms_per_record", "total_ms_per_record",
			"max_train_throughput", "max_predict_throughput", "max_total_throughput", "memory_bytes",
			"max_total_throughput_all_cores"} {
			if v, ok := r[k].(float64); !ok || v <= 0 {
				t.Errorf("%s: %s = %v, want > 0", key, k, r[k])
			}
		}
		if r["method"] == "rivulet" {
			for _, k := range []string{"train_p99_ms", "predict_p99_ms"} {
				if v, ok := r[k].(float64); !ok || v <= 0 {
					t.Errorf("%s: %s = %v, want > 0", key, k, r[k])
				}
			}
		}
	}
}

func TestThroughputTable(t *testing.T) {
	needThroughputSample(t)
	river := filepath.Join(t.TempDir(), "river.json")
	if err := os.WriteFile(river, []byte(`[{"model": "gaussian-nb", "classifier": "GaussianNB", "implementation": "river",
		"method": "rivulet", "n": 50, "train_ms_per_record": 1, "predict_ms_per_record": 1, "total_ms_per_record": 2, "accuracy": 0.9}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runThroughputProcess(t, "--data", throughputSample, "--n", "50", "--models", "gaussian-nb",
		"--repetitions", "1", "--consumers", "0", "--river", river, "--seed-rows")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	for _, s := range []string{
		"#### Maximum sustainable throughput for training\n",
		"#### Maximum sustainable throughput for inference\n",
		"#### Maximum sustainable throughput for training and inference together\n",
		"| Expected Time(ms) Per Record | Expected Time Million Records (s) | Expected Time Million Records (mins) | Max Throughput (records/s, one thread) |",
		"| GaussianNB                      | River                     |",
		"River, seed README (2023)",
		"#### rivulet vs River: speed-up",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("table output lacks %q:\n%s", s, out)
		}
	}
}

func TestThroughputUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--format", "xml"},
		{"--method", "fast"},
		{"--models", "no-such-model"},
		{"--models", "gaussian-nb", "--param", "hat.grace_period=50"},
		{"--param", "grace_period"},
		{"--models", "hat", "--param", "hat.no_such_param=1"},
		{"--models", "hat,hat"},
		{"--n", "0"},
	} {
		_, errs, code := runThroughputProcess(t, append([]string{"--data", "unused.svm"}, args...)...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (usage)\n%s", args, code, errs)
		}
	}
	_, errs, code := runThroughputProcess(t, "--data", filepath.Join(t.TempDir(), "missing.svm"), "--models", "gaussian-nb")
	if code != 1 || !strings.Contains(errs, "missing.svm") {
		t.Errorf("missing file: exit %d\n%s", code, errs)
	}
}

// The command measures with throughput.ParsePlan and Plan.Run, as notebook
// 05 does: the same flags give the same rows (timings aside).
func TestThroughputRowsAreThePlans(t *testing.T) {
	needThroughputSample(t)
	out, errs, code := runThroughputProcess(t, "--data", throughputSample, "--n", "100", "--models", "gaussian-nb,hat",
		"--method", "both", "--param", "hat.grace_period=50", "--repetitions", "1", "--warmup", "0", "--consumers", "0", "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var cli []throughput.Row
	if err := json.Unmarshal([]byte(out), &cli); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	plan, err := throughput.ParsePlan(100, "gaussian-nb,hat", "both", "hat.grace_period=50")
	if err != nil {
		t.Fatal(err)
	}
	data, err := throughput.LoadFile(throughputSample, 200)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := plan.Run(context.Background(), data, throughput.WithRepetitions(1), throughput.WithWarmup(0), throughput.WithConsumers(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(cli) != 4 || len(lib) != len(cli) {
		t.Fatalf("%d rows from the command, %d from the plan", len(cli), len(lib))
	}
	for i := range cli {
		c, l := cli[i], lib[i]
		if c.Model != l.Model || c.Method != l.Method || c.Spec != l.Spec || c.N != l.N || c.HeldOut != l.HeldOut ||
			c.Accuracy != l.Accuracy || c.MemoryBytes != l.MemoryBytes {
			t.Errorf("row %d: command %s/%s %q n=%d acc=%v mem=%d; plan %s/%s %q n=%d acc=%v mem=%d", i,
				c.Model, c.Method, c.Spec, c.N, c.Accuracy, c.MemoryBytes, l.Model, l.Method, l.Spec, l.N, l.Accuracy, l.MemoryBytes)
		}
	}
}
