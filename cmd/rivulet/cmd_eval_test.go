package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/lib/datasets"
	"github.com/rivulet-ml/rivulet/lib/synth"
)

// evalHelperEnv makes the test binary act as `rivulet` with the arguments
// it holds (separated by ASCII unit separators), so that each test sees the
// command's real stdout, stderr and exit status.
const evalHelperEnv = "RIVULET_TEST_EVAL_ARGS"

func TestEvalProcessHelper(t *testing.T) {
	args := os.Getenv(evalHelperEnv)
	if args == "" {
		t.Skip("helper process for the eval command tests")
	}
	os.Exit(run(strings.Split(args, "\x1f")))
}

type evalOutcome struct {
	stdout, stderr string
	code           int
}

func runEvalProcess(t *testing.T, args ...string) evalOutcome {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestEvalProcessHelper$")
	cmd.Env = append(os.Environ(), evalHelperEnv+"="+strings.Join(append([]string{"eval"}, args...), "\x1f"))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return evalOutcome{out.String(), errb.String(), code}
}

// evalJSON runs eval with --json and decodes the one object on stdout.
func evalJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	o := runEvalProcess(t, append(args, "--json")...)
	if o.code != 0 {
		t.Fatalf("eval %v: exit %d\n%s", args, o.code, o.stderr)
	}
	dec := json.NewDecoder(strings.NewReader(o.stdout))
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("eval %v: stdout is not JSON: %v\n%s", args, err, o.stdout)
	}
	if dec.More() {
		t.Fatalf("eval %v: more than one JSON value on stdout:\n%s", args, o.stdout)
	}
	return v
}

// TestEvalJSONMatchesRiver checks the report's shape and values against
// River: evaluate.progressive_val_score(synth.Agrawal(seed=42).take(1000),
// naive_bayes.GaussianNB(), metrics.Accuracy()) = 0.8658658658658659 (the
// first record is not scored: the model cannot predict yet), and the same
// with SEA(seed=7, variant=1) = 0.9319319319319319 and with
// linear_model.LogisticRegression() on Agrawal = 0.553. Trees (10,000 or
// 5,000 records): tree.HoeffdingTreeClassifier() on Agrawal(seed=42) =
// 0.9801980198019802, tree.HoeffdingAdaptiveTreeClassifier(seed=42) =
// 0.985998599859986, and HoeffdingTreeClassifier(nominal_attributes=
// ['elevel', 'car', 'zipcode'], grace_period=100) on Agrawal(seed=42,
// classification_function=2).take(5000) = 0.8221644328865774.
func TestEvalJSONMatchesRiver(t *testing.T) {
	cases := []struct {
		args     []string
		accuracy float64
		scored   float64
	}{
		{[]string{"--n", "10000", "--model", "ht"}, 0.9801980198019802, 9999},
		{[]string{"--n", "10000", "--model", "HoeffdingAdaptiveTreeClassifier", "--param", "seed=42"}, 0.985998599859986, 9999},
		{[]string{"--stream-param", "classification_function=2", "--n", "5000", "--model", "ht",
			"--param", "nominal_attributes=elevel,car,zipcode", "--param", "grace_period=100"}, 0.8221644328865774, 4999},
		{[]string{"--stream", "agrawal", "--n", "1000", "--seed", "42", "--model", "gaussian-nb"}, 0.8658658658658659, 999},
		{[]string{"--stream", "sea", "--stream-param", "variant=1", "--n", "1000", "--seed", "7", "--model", "GaussianNB"}, 0.9319319319319319, 999},
		{[]string{"--n", "1000", "--model", "logistic-regression"}, 0.553, 1000},
	}
	for _, c := range cases {
		v := evalJSON(t, c.args...)
		for _, k := range []string{"records", "accuracy", "records_per_second", "memory_bytes", "model", "stream", "params", "stream_params", "elapsed_seconds", "scored", "metrics"} {
			if _, ok := v[k]; !ok {
				t.Errorf("%v: JSON lacks %q: %v", c.args, k, v)
			}
		}
		if v["records"] != c.scored+1 && v["records"] != c.scored || v["scored"] != c.scored || v["accuracy"] != c.accuracy {
			t.Errorf("%v: records %v scored %v accuracy %v, River: scored %v accuracy %v", c.args, v["records"], v["scored"], v["accuracy"], c.scored, c.accuracy)
		}
		if rps, _ := v["records_per_second"].(float64); rps <= 0 {
			t.Errorf("%v: records_per_second %v", c.args, v["records_per_second"])
		}
		if mem, _ := v["memory_bytes"].(float64); mem <= 0 {
			t.Errorf("%v: memory_bytes %v", c.args, v["memory_bytes"])
		}
		if v["task"] != "classification" {
			t.Errorf("%v: task %v", c.args, v["task"])
		}
	}
}

func TestEvalEveryStream(t *testing.T) {
	for _, name := range synth.Names() {
		v := evalJSON(t, "--stream", name, "--n", "300", "--model", "gaussian-nb")
		acc, _ := v["accuracy"].(float64)
		if v["records"] != 300.0 || v["stream"] != name || acc <= 0 || acc > 1 {
			t.Errorf("%s: %v", name, v)
		}
	}
	// Model and stream parameters by River name reach their targets.
	v := evalJSON(t, "--stream", "concept-drift", "--stream-param", "stream=sea", "--stream-param", "drift_stream=sea",
		"--stream-param", "drift_stream.variant=3", "--stream-param", "position=100", "--n", "200",
		"--model", "logistic-regression", "--param", "optimizer.lr=0.1", "--param", "l2=0.01")
	if p, _ := v["params"].(map[string]any); p["optimizer.lr"] != "0.1" || p["l2"] != "0.01" {
		t.Errorf("params %v", v["params"])
	}
	if sp, _ := v["stream_params"].(map[string]any); sp["drift_stream.variant"] != "3" || sp["seed"] != "42" {
		t.Errorf("stream_params %v", v["stream_params"])
	}
}

func TestEvalUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--stream", "nope", "--model", "gaussian-nb"}, `unknown stream "nope"`},
		{[]string{"--stream", "sea", "--stream-param", "classification_function=2", "--model", "gaussian-nb"}, "SEA has no parameter classification_function"},
		{[]string{"--stream-param", "variant", "--model", "gaussian-nb"}, "want name=value"},
		{[]string{"--stream", "sea", "--stream-param", "variant=7", "--model", "gaussian-nb"}, "variant 7"},
		{[]string{"--model", "nope"}, `unknown model "nope"`},
		{[]string{"--model", "logistic-regression", "--param", "grace_period=10"}, "unknown parameter(s): grace_period"},
		{[]string{"--model", "logistic-regression", "--param", "l2=abc"}, `l2="abc"`},
		{[]string{"--model", "gaussian-nb", "--metric", "Nope"}, "unknown metric"},
		{[]string{"--stream", "sea"}, "--model is required"},
		{[]string{"--model", "gaussian-nb", "--target", "y"}, "--target applies to --data only"},
		{[]string{"--model", "gaussian-nb", "--data", "x.csv"}, "--data needs --target"},
		{[]string{"--model", "gaussian-nb", "--data", "x.csv", "--target", "y", "--write-csv", "y.csv"}, "--write-csv does not apply to --data"},
		{[]string{"--model", "linear-regression"}, "is a regressor"},
		{[]string{"--model", "gaussian-nb", "--n", "-1"}, "--n -1"},
		{[]string{"--model", "gaussian-nb", "--bogus"}, "flag provided but not defined"},
	}
	for _, c := range cases {
		o := runEvalProcess(t, append(c.args, "--json")...)
		if o.code != 2 || !strings.Contains(o.stderr, c.want) {
			t.Errorf("eval %v: exit %d, stderr %q; want exit 2 and %q", c.args, o.code, o.stderr, c.want)
		}
		if o.stdout != "" {
			t.Errorf("eval %v: wrote %q on stdout", c.args, o.stdout)
		}
	}
}

// writeStreamCSV writes n records of a seeded stream with CSVWriter.
func writeStreamCSV(t *testing.T, stream string, seed int64, n int) string {
	t.Helper()
	g, err := synth.New(stream, synth.Seed(seed))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), stream+".csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := datasets.NewCSVWriter(f, g.Schema(), "class")
	if err != nil {
		t.Fatal(err)
	}
	for x, y := range synth.Take(g, n) {
		if err := w.Write(x, fmt.Sprint(y)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestEvalCSVRoundTrip evaluates a stream and the CSV file written from it:
// same records, same classes (--classes fixes their order), same accuracy.
func TestEvalCSVRoundTrip(t *testing.T) {
	for _, stream := range []string{"agrawal", "led"} {
		path := writeStreamCSV(t, stream, 42, 2000)
		classes := "0,1"
		if stream == "led" {
			classes = "0,1,2,3,4,5,6,7,8,9"
		}
		// The stream's own copy, written while it is evaluated.
		tee := filepath.Join(t.TempDir(), "tee.csv")
		fromStream := evalJSON(t, "--stream", stream, "--seed", "42", "--n", "2000", "--model", "gaussian-nb", "--write-csv", tee)
		if a, b := readFile(t, tee), readFile(t, path); a != b {
			t.Errorf("%s: --write-csv wrote a different file than CSVWriter over the same stream", stream)
		}
		fromCSV := evalJSON(t, "--data", path, "--target", "class", "--classes", classes, "--model", "gaussian-nb")
		if fromCSV["records"] != 2000.0 || fromCSV["accuracy"] != fromStream["accuracy"] || fromCSV["data"] != path {
			t.Errorf("%s: CSV gives %v records, accuracy %v; the stream gives accuracy %v", stream, fromCSV["records"], fromCSV["accuracy"], fromStream["accuracy"])
		}
		head := evalJSON(t, "--data", path, "--target", "class", "--n", "500", "--model", "gaussian-nb")
		if head["records"] != 500.0 {
			t.Errorf("%s: --n 500 on a CSV evaluated %v records", stream, head["records"])
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEvalCSVRegression(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reg.csv")
	var b strings.Builder
	b.WriteString("a,b,y\n")
	for i := range 200 {
		a, c := float64(i%17)/17, float64(i%5)/5
		fmt.Fprintf(&b, "%g,%g,%g\n", a, c, 3*a-2*c+1)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	v := evalJSON(t, "--data", path, "--target", "y", "--model", "linear-regression", "--param", "optimizer.lr=0.1")
	if v["task"] != "regression" || v["records"] != 200.0 {
		t.Errorf("regression report: %v", v)
	}
	if _, ok := v["accuracy"]; ok {
		t.Error("a regression report has an accuracy")
	}
	for _, k := range []string{"mae", "rmse", "r2"} {
		if _, ok := v[k].(float64); !ok {
			t.Errorf("regression report lacks %s: %v", k, v)
		}
	}
}

func TestEvalCSVErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(path, []byte("a,y\n1,x\nabc,y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := runEvalProcess(t, "--data", path, "--target", "y", "--model", "gaussian-nb", "--json")
	if o.code != 1 || !strings.Contains(o.stderr, path+`:3:1: column 'a': "abc" is not a number`) {
		t.Errorf("malformed CSV: exit %d, stderr %q", o.code, o.stderr)
	}
	o = runEvalProcess(t, "--data", path, "--target", "nope", "--model", "gaussian-nb")
	if o.code != 1 || !strings.Contains(o.stderr, `target column "nope" is not in the header`) {
		t.Errorf("unknown target: exit %d, stderr %q", o.code, o.stderr)
	}
}

func TestEvalTextReport(t *testing.T) {
	o := runEvalProcess(t, "--stream", "stagger", "--n", "500", "--model", "gaussian-nb")
	if o.code != 0 {
		t.Fatalf("exit %d: %s", o.code, o.stderr)
	}
	for _, want := range []string{"model              gaussian-nb", "stream             stagger (seed=42)", "records            500", "accuracy ", "records/s", "memory"} {
		if !strings.Contains(o.stdout, want) {
			t.Errorf("text report lacks %q:\n%s", want, o.stdout)
		}
	}
	if strings.Contains(o.stdout, "\r") || strings.Contains(o.stdout, "%|") {
		t.Errorf("progress bar on stdout:\n%q", o.stdout)
	}
}
