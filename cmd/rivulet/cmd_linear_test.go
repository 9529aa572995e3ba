package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
)

// linearHelperEnv makes the test binary act as `rivulet` with the
// arguments it holds (separated by ASCII unit separators), so that the
// tests see exactly what the command prints on stdout and its exit status.
const linearHelperEnv = "RIVULET_TEST_LINEAR_ARGS"

func TestLinearProcessHelper(t *testing.T) {
	args := os.Getenv(linearHelperEnv)
	if args == "" {
		t.Skip("helper process for the linear command tests")
	}
	os.Exit(run(strings.Split(args, "\x1f")))
}

func runRivulet(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLinearProcessHelper$")
	cmd.Env = append(os.Environ(), linearHelperEnv+"="+strings.Join(args, "\x1f"))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// TestProduceLearnLinear is the acceptance check: on the embedded
// broker, `produce linear --interval 0 --count 2000 --seed 7` then
// `learn linear --count 2000 --model rls --json` reports a relative error
// below 0.02.
func TestProduceLearnLinear(t *testing.T) {
	addr := kafkatest.Embedded(t)
	out, errs, code := runRivulet(t, "produce", "linear", "--brokers", addr, "--interval", "0", "--count", "2000", "--seed", "7", "--json")
	if code != 0 {
		t.Fatalf("produce: exit %d\n%s", code, errs)
	}
	var sent struct {
		Records int64 `json:"records"`
		Format  string
	}
	if err := json.Unmarshal([]byte(out), &sent); err != nil || sent.Records != 2000 || sent.Format != "numpy" {
		t.Fatalf("produce output %q: %v", out, err)
	}
	out, errs, code = runRivulet(t, "learn", "linear", "--brokers", addr, "--count", "2000", "--model", "rls", "--json")
	if code != 0 {
		t.Fatalf("learn: exit %d\n%s", code, errs)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("learn output is not one JSON object: %v\n%s", err, out)
	}
	for _, k := range []string{"records", "relative_error", "mae", "rmse", "r2", "records_per_second"} {
		if _, ok := got[k]; !ok {
			t.Errorf("learn --json lacks %q", k)
		}
	}
	if got["records"] != float64(2000) {
		t.Errorf("records = %v", got["records"])
	}
	if e, ok := got["relative_error"].(float64); !ok || e >= 0.02 {
		t.Errorf("relative_error = %v, want < 0.02", got["relative_error"])
	}
	// The text form names both learners.
	out, errs, code = runRivulet(t, "learn", "linear", "--brokers", addr, "--count", "2000", "--model", "rls,sgd")
	if code != 0 || !strings.Contains(out, "rls") || !strings.Contains(out, "sgd") || !strings.Contains(out, "learnt 2000 records") {
		t.Fatalf("learn text: exit %d\n%s\n%s", code, out, errs)
	}
}

func TestLinearUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"produce", "linear", "--format", "avro"},
		{"produce", "linear", "--construction", "wishartish"},
		{"produce", "linear", "--count", "-1"},
		{"learn", "linear", "--model", "ridge"},
		{"learn", "linear", "--from", "middle"},
		{"learn", "linear", "--format", "xml"},
	} {
		if _, errs, code := runRivulet(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (usage)\n%s", args, code, errs)
		}
	}
}
