package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/rivulet-ml/rivulet/lib/datasets"
	"github.com/rivulet-ml/rivulet/lib/throughput"
)

func init() {
	register(command{
		name:    "throughput",
		summary: "max sustainable throughput of models: training, prediction, both (the original's calculator, measured right)",
		run:     runThroughput,
	})
}

func throughputUsage(fs interface {
	Output() io.Writer
	PrintDefaults()
}) func() {
	return func() {
		w := fs.Output()
		fmt.Fprintf(w, `usage: rivulet throughput [--data FILE] [--n 1000] [--models %s]
                          [--method rivulet|original|both] [--format table|csv|json] [--json]
                          [--river FILE] [--out FILE]

Times each model on the first n records: training alone, prediction alone
(the trained model on records n..2n-1, or on the training records when the
file has fewer than 2n), and predict-then-learn as it runs, with per-record
p50/p99/max, memory, prequential accuracy, and the throughput of one model
per core. --method original repeats the original notebook instead: parsing
inside the timed loops, prediction on the training records, total = sum.

The default models are the original's four with its hyper-parameters
(ARF seeded with 42; the original did not seed it). Known models:
  %s

`, strings.Join(throughput.SeedModelNames(), ","), strings.Join(throughput.KnownNames(), ", "))
		fmt.Fprintln(w, "flags:")
		fs.PrintDefaults()
		fmt.Fprint(w, `
examples:
  rivulet throughput --data ../shared/data/malicious-url/sample-2000.svm
  rivulet throughput --data ../shared/data/malicious-url/sample-2000.svm --models hat,gaussian-nb --param hat.grace_period=50 --json
  rivulet throughput --data ../shared/data/malicious-url/sample-2000.svm --method both --river benchmarks/river/results/river.json
`)
	}
}

func runThroughput(ctx context.Context, args []string) error {
	fs := newFlags("throughput")
	var (
		dataPath  = fs.String("data", "", "svmlight file (default: River's MaliciousURL data set, first records of Day0, downloaded on first use)")
		n         = fs.Int("n", 1000, "records to train on (2n are read: the second n are predicted)")
		modelList = fs.String("models", strings.Join(throughput.SeedModelNames(), ","), "comma-separated models")
		method    = fs.String("method", "rivulet", "rivulet, original, or both")
		format    = fs.String("format", "table", "table (Markdown), csv, or json")
		asJSON    = fs.Bool("json", false, "short for --format json")
		warmup    = fs.Int("warmup", 1, "untimed repetitions before timing")
		reps      = fs.Int("repetitions", 3, "timed repetitions, each with fresh models (samples pooled)")
		consumers = fs.Int("consumers", runtime.GOMAXPROCS(0), "models run at once, one per goroutine, for the all-cores throughput (0: skip)")
		riverFile = fs.String("river", "", "River result file (benchmarks/river/river_throughput.py): show its rows and the speed-ups")
		seedRows  = fs.Bool("seed-rows", false, "also show the River figures published in the seed's README")
		outFile   = fs.String("out", "", "also write the rivulet rows as JSON to this file")
		params    multiFlag
	)
	fs.Var(&params, "param", "extra model parameter MODEL.name=value, River's names (repeatable), e.g. hat.grace_period=50")
	fs.Usage = throughputUsage(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *asJSON {
		*format = "json"
	}
	switch *format {
	case "table", "csv", "json":
	default:
		return fmt.Errorf("%w: --format %q: want table, csv or json", errUsage, *format)
	}
	plan, err := throughput.ParsePlan(*n, *modelList, *method, params...)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}

	var river []throughput.Row
	if *riverFile != "" {
		var leftOut int
		if river, leftOut, err = throughput.LoadRiver(*riverFile, *n); err != nil {
			return err
		}
		if leftOut > 0 {
			fmt.Fprintf(os.Stderr, "rivulet throughput: %d of the %d rows of %s were measured on another n than %d; left out\n",
				leftOut, leftOut+len(river), *riverFile, *n)
		}
	}

	rep := progressReporter()
	data, err := loadThroughputData(ctx, *dataPath, 2**n)
	if err != nil {
		return err
	}
	if len(data.Records) < *n {
		return fmt.Errorf("%w: --n %d but %s has only %d records", errUsage, *n, data.Name, len(data.Records))
	}

	// Notebook 05's measuring cell makes the same call.
	rows, err := plan.Run(ctx, data, throughput.WithWarmup(*warmup), throughput.WithRepetitions(*reps),
		throughput.WithConsumers(*consumers), throughput.WithProgress(rep))
	if err != nil {
		return err
	}
	if *outFile != "" {
		if err := throughput.SaveRows(*outFile, rows); err != nil {
			return err
		}
	}

	switch *format {
	case "json":
		return printJSON(rows)
	case "csv":
		return throughput.WriteCSV(os.Stdout, rows)
	}
	w := os.Stdout
	heldOut := "records n..2n-1 (not learnt)"
	if !data.HeldOut(*n) {
		heldOut = "the training records (the file has fewer than 2n)"
	}
	fmt.Fprintf(w, "data: %s, n = %d; prediction alone on %s\n", data.Name, *n, heldOut)
	fmt.Fprintf(w, "warm-up %d, repetitions %d, %d consumers for the all-cores column; %s, GOMAXPROCS %d; load average %s\n\n",
		*warmup, *reps, *consumers, runtime.Version(), runtime.GOMAXPROCS(0), throughput.LoadAverage())
	for _, m := range plan.Models {
		fmt.Fprintf(w, "- %s: %s\n", m.Classifier, m.Spec)
	}
	fmt.Fprintln(w)
	shown := append([]throughput.Row(nil), rows...)
	shown = append(shown, river...)
	if *seedRows {
		shown = append(shown, throughput.SeedREADME()...)
	}
	for _, p := range throughput.Phases {
		if err := throughput.PhaseTable(shown, p).Markdown(w); err != nil {
			return err
		}
	}
	if len(river) > 0 {
		ratios := throughput.Compare(rows, river)
		if len(ratios) == 0 {
			fmt.Fprintf(w, "no River row of %s matches a measured model and method\n", *riverFile)
			return nil
		}
		if err := throughput.RatioTable(ratios, throughput.DefaultTargets).Markdown(w); err != nil {
			return err
		}
	}
	return nil
}

// loadThroughputData reads the first limit records of --data, or of River's
// MaliciousURL set.
func loadThroughputData(ctx context.Context, path string, limit int) (*throughput.Data, error) {
	if path != "" {
		return throughput.LoadFile(path, limit)
	}
	// Offline, datasets.MissingDataError says where to put the files and
	// how to use --data instead.
	return throughput.LoadMaliciousURL(ctx, limit, datasets.WithProgress(progressReporter()))
}
