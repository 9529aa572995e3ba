package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/rivulet-ml/rivulet/lib/datasets"
	"github.com/rivulet-ml/rivulet/lib/evaluate"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/metrics"
	"github.com/rivulet-ml/rivulet/lib/models"
	"github.com/rivulet-ml/rivulet/lib/progress"
	"github.com/rivulet-ml/rivulet/lib/synth"
)

func init() {
	register(command{
		name:    "eval",
		summary: "progressive validation of a model on a synthetic stream or a CSV file",
		run:     runEval,
	})
}

// evalReport is what rivulet eval prints; with --json it is the single JSON
// object on stdout.
type evalReport struct {
	Model        string            `json:"model"`
	Params       map[string]string `json:"params"`
	Stream       string            `json:"stream,omitempty"`
	StreamParams map[string]string `json:"stream_params,omitempty"`
	Data         string            `json:"data,omitempty"`
	Target       string            `json:"target,omitempty"`
	Task         string            `json:"task"`
	Records      int               `json:"records"`
	// Scored counts the records whose prediction was scored: River skips
	// those seen before the model could predict at all.
	Scored int `json:"scored"`
	// Accuracy is a fraction in [0, 1] (classification only).
	Accuracy *float64 `json:"accuracy,omitempty"`
	MAE      *float64 `json:"mae,omitempty"`
	RMSE     *float64 `json:"rmse,omitempty"`
	R2       *float64 `json:"r2,omitempty"`
	// Metrics holds every metric computed, by River's class name.
	Metrics          map[string]float64 `json:"metrics"`
	RecordsPerSecond float64            `json:"records_per_second"`
	// MemoryBytes is the model's own estimate after the last record, or -1
	// when the model does not report memory.
	MemoryBytes    int64   `json:"memory_bytes"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
}

func evalUsage(fs *flag.FlagSet) func() {
	return func() {
		w := fs.Output()
		fmt.Fprintf(w, `usage: rivulet eval --model NAME [--param name=value ...]
                    [--stream NAME] [--stream-param name=value ...] [--n N] [--seed S]
                    [--data FILE.csv --target COLUMN [--nominal a,b] [--classes c1,c2]]
                    [--metric NAME ...] [--json]

Progressive validation (River's evaluate.progressive_val_score): every record
is predicted, scored, then learnt. Reports accuracy (a fraction in 0..1; MAE,
RMSE and R2 for regressors on CSV data), records/s and the model's memory.

streams:    %s
models:     %s
`, strings.Join(synth.Names(), ", "), strings.Join(models.Names(), ", "))
		fmt.Fprintln(w, "\nstream parameters (River's names; --seed sets seed):")
		for _, name := range synth.Names() {
			ps, _ := synth.Params(name)
			if name == "concept-drift" {
				ps = append(ps, "stream", "drift_stream", "stream.<param>", "drift_stream.<param>")
			}
			fmt.Fprintf(w, "  %-14s %s\n", name, strings.Join(ps, ", "))
		}
		fmt.Fprintln(w, "\nflags:")
		fs.PrintDefaults()
		fmt.Fprint(w, `
examples:
  rivulet eval --stream agrawal --n 10000 --seed 42 --model gaussian-nb
  rivulet eval --stream sea --stream-param variant=1 --stream-param noise=0.1 --model ht --param grace_period=100 --json
  rivulet eval --stream concept-drift --stream-param stream=sea --stream-param drift_stream=sea \
               --stream-param drift_stream.variant=2 --stream-param position=5000 --model hat
  rivulet eval --data phishing.csv --target is_phishing --model logistic-regression
`)
	}
}

func runEval(ctx context.Context, args []string) (retErr error) {
	fs := newFlags("eval")
	var (
		streamName   = fs.String("stream", "agrawal", "synthetic stream: "+strings.Join(synth.Names(), ", "))
		n            = fs.Int("n", 10000, "records to evaluate (with --data: all records unless given)")
		seed         = fs.Int64("seed", 42, "seed of the synthetic stream (River's seed; a --stream-param seed=... wins)")
		modelName    = fs.String("model", "", "model to evaluate (required): "+strings.Join(models.Names(), ", "))
		dataPath     = fs.String("data", "", "evaluate on this CSV file (header row) instead of a stream")
		target       = fs.String("target", "", "target column of --data")
		nominal      = fs.String("nominal", "", "comma-separated --data columns holding categories (strings)")
		classes      = fs.String("classes", "", "comma-separated class labels of --data, fixing their order (class indices; ties go to the lowest)")
		asJSON       = fs.Bool("json", false, "print one JSON object on stdout")
		writeCSV     = fs.String("write-csv", "", "also write the stream's records to this CSV file (target column \"class\"), for --data")
		params       multiFlag
		streamParams multiFlag
		extraMetrics multiFlag
	)
	fs.Var(&params, "param", "model hyper-parameter by River name, name=value (repeatable)")
	fs.Var(&streamParams, "stream-param", "stream parameter by River name, name=value (repeatable)")
	fs.Var(&extraMetrics, "metric", "extra metric by River name, e.g. F1, MacroF1, ROCAUC (repeatable)")
	fs.Usage = evalUsage(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })

	if *modelName == "" {
		return fmt.Errorf("%w: --model is required (known models: %s)", errUsage, strings.Join(models.Names(), ", "))
	}
	entry, ok := models.Lookup(*modelName)
	if !ok {
		return fmt.Errorf("%w: unknown model %q (known models: %s)", errUsage, *modelName, strings.Join(models.Names(), ", "))
	}
	if *n < 0 {
		return fmt.Errorf("%w: --n %d: want a count of records", errUsage, *n)
	}
	if *dataPath == "" {
		for _, f := range []string{"target", "nominal", "classes"} {
			if given[f] {
				return fmt.Errorf("%w: --%s applies to --data only", errUsage, f)
			}
		}
	} else {
		if *target == "" {
			return fmt.Errorf("%w: --data needs --target COLUMN", errUsage)
		}
		for _, f := range []string{"stream", "stream-param", "seed", "write-csv"} {
			if given[f] {
				return fmt.Errorf("%w: --%s does not apply to --data", errUsage, f)
			}
		}
	}

	report := &evalReport{Model: entry.Name, Params: kvMap(params)}
	var evalOpts []evaluate.Option
	if !*asJSON {
		evalOpts = append(evalOpts, evaluate.WithProgress(progress.NewBar(os.Stderr), "eval "+entry.Name))
	}

	// The source: a synthetic stream or a CSV file.
	var (
		schema   *feature.Schema
		classSrc iter.Seq[evaluate.Record[int]]
		regSrc   iter.Seq[evaluate.Record[float64]]
		total    = int64(*n)
	)
	regression := false
	if *dataPath == "" {
		if entry.Classifier == nil {
			return fmt.Errorf("%w: model %s is a regressor; the synthetic streams are classification streams (use --data for regression)", errUsage, entry.Name)
		}
		sp := append([]string{"seed=" + strconv.FormatInt(*seed, 10)}, streamParams...)
		stream, err := synth.FromParams(*streamName, sp)
		if err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		report.Stream, report.StreamParams = strings.ToLower(*streamName), kvMap(sp)
		schema = stream.Schema()
		records := synth.Take(stream, *n)
		if *writeCSV != "" {
			f, err := os.Create(*writeCSV)
			if err != nil {
				return err
			}
			defer f.Close()
			w, err := datasets.NewCSVWriter(f, schema, "class")
			if err != nil {
				return err
			}
			var werr error
			records = teeCSV(records, w, &werr)
			defer func() {
				if err := w.Flush(); err != nil && werr == nil {
					werr = err
				}
				if err := f.Close(); err != nil && werr == nil {
					werr = err
				}
				if werr != nil && retErr == nil {
					retErr = fmt.Errorf("--write-csv %s: %w", *writeCSV, werr)
				}
			}()
		}
		classSrc = evaluate.FromSeq2(records)
	} else {
		regression = entry.Classifier == nil
		opts := []datasets.CSVOption{datasets.CSVTarget(*target)}
		if *nominal != "" {
			opts = append(opts, datasets.CSVNominal(splitList(*nominal)...))
		}
		if *classes != "" {
			if regression {
				return fmt.Errorf("%w: --classes applies to classifiers; %s is a regressor", errUsage, entry.Name)
			}
			opts = append(opts, datasets.CSVLabels(feature.NewLabels(splitList(*classes)...)))
		}
		if regression {
			opts = append(opts, datasets.CSVRegression())
		}
		r, err := datasets.OpenCSV(*dataPath, opts...)
		if err != nil {
			return err
		}
		defer r.Close()
		report.Data, report.Target = *dataPath, *target
		schema = r.Schema()
		limit := -1
		if given["n"] {
			limit = *n
		} else {
			total = -1
		}
		count := 0
		next := func() bool {
			if limit >= 0 && count >= limit {
				return false
			}
			count++
			return r.Next()
		}
		if regression {
			regSrc = evaluate.FromPull(next, func() (feature.Vector, float64) { return r.X(), r.Target() })
		} else {
			classSrc = evaluate.FromPull(next, func() (feature.Vector, int) { return r.X(), r.Y() })
		}
		evalOpts = append(evalOpts, evaluate.WithSourceErr(r.Err))
	}
	evalOpts = append(evalOpts, evaluate.WithTotal(total))

	// The model and its metrics.
	var (
		res *evaluate.Result
		err error
	)
	if regression {
		report.Task = "regression"
		model, merr := models.NewRegressor(entry.Name, params, schema)
		if merr != nil {
			return fmt.Errorf("%w: %v", errUsage, merr)
		}
		ms := []metrics.RegressionMetric{metrics.NewMAE(), metrics.NewRMSE(), metrics.NewR2()}
		for _, name := range extraMetrics {
			m, merr := metrics.NewRegression(name)
			if merr != nil {
				return fmt.Errorf("%w: --metric: %v", errUsage, merr)
			}
			ms = append(ms, m)
		}
		evalOpts = append(evalOpts, evaluate.WithRegressionMetrics(ms...))
		res, err = evaluate.ProgressiveRegression(ctx, model, regSrc, evalOpts...)
	} else {
		report.Task = "classification"
		model, merr := models.NewClassifier(entry.Name, params, schema)
		if merr != nil {
			return fmt.Errorf("%w: %v", errUsage, merr)
		}
		ms := []metrics.ClassificationMetric{metrics.NewAccuracy()}
		for _, name := range extraMetrics {
			m, merr := metrics.NewClassification(name)
			if merr != nil {
				return fmt.Errorf("%w: --metric: %v", errUsage, merr)
			}
			ms = append(ms, m)
		}
		evalOpts = append(evalOpts, evaluate.WithMetrics(ms...))
		res, err = evaluate.Progressive(ctx, model, classSrc, evalOpts...)
	}
	if res != nil {
		report.fill(res)
		if perr := report.print(os.Stdout, *asJSON); perr != nil && err == nil {
			err = perr
		}
	}
	return err
}

// teeCSV writes each record of seq to w (labels as class numbers) before
// passing it on; the first write error stops the stream and lands in *err.
func teeCSV(seq iter.Seq2[feature.Vector, int], w *datasets.CSVWriter, err *error) iter.Seq2[feature.Vector, int] {
	return func(yield func(feature.Vector, int) bool) {
		var label []byte
		for x, y := range seq {
			label = strconv.AppendInt(label[:0], int64(y), 10)
			if *err = w.Write(x, string(label)); *err != nil {
				return
			}
			if !yield(x, y) {
				return
			}
		}
	}
}

// fill copies an evaluation result into the report.
func (r *evalReport) fill(res *evaluate.Result) {
	r.Records, r.Scored = res.Records, res.Scored
	r.RecordsPerSecond = res.RecordsPerSecond
	r.MemoryBytes = res.MemoryBytes
	r.ElapsedSeconds = res.Elapsed.Seconds()
	r.Metrics = map[string]float64{}
	for _, m := range res.Metrics {
		r.Metrics[m.Name] = m.Value
	}
	pick := func(name string) *float64 {
		if v, ok := res.Metric(name); ok {
			return &v
		}
		return nil
	}
	r.Accuracy, r.MAE, r.RMSE, r.R2 = pick("Accuracy"), pick("MAE"), pick("RMSE"), pick("R2")
}

func (r *evalReport) print(w io.Writer, asJSON bool) error {
	if asJSON {
		return printJSON(r)
	}
	var b strings.Builder
	line := func(k, format string, args ...any) {
		fmt.Fprintf(&b, "%-19s"+format+"\n", append([]any{k}, args...)...)
	}
	line("model", "%s%s", r.Model, kvString(r.Params))
	if r.Data != "" {
		line("data", "%s (target %s)", r.Data, r.Target)
	} else {
		line("stream", "%s%s", r.Stream, kvString(r.StreamParams))
	}
	line("records", "%d (%d scored)", r.Records, r.Scored)
	names := make([]string, 0, len(r.Metrics))
	for k := range r.Metrics {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		line(strings.ToLower(k), "%.6f", r.Metrics[k])
	}
	line("records/s", "%.0f", r.RecordsPerSecond)
	if r.MemoryBytes >= 0 {
		line("memory", "%s (%d bytes)", humanBytes(r.MemoryBytes), r.MemoryBytes)
	} else {
		line("memory", "not reported by the model")
	}
	line("elapsed", "%.3f s", r.ElapsedSeconds)
	_, err := io.WriteString(w, b.String())
	return err
}

// kvMap turns name=value pairs into a map; a later pair wins, as in
// models.ParseParams.
func kvMap(kv []string) map[string]string {
	m := map[string]string{}
	for _, s := range kv {
		k, v, _ := strings.Cut(s, "=")
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return m
}

func kvString(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		keys[i] = k + "=" + m[k]
	}
	return " (" + strings.Join(keys, ", ") + ")"
}

func splitList(s string) []string {
	parts := strings.Split(s, ",")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, suffix := float64(n), "KMGTPE"
	i := -1
	for v >= unit && i < len(suffix)-1 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %ciB", v, suffix[i])
}
