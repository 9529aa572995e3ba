package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/rivulet-ml/rivulet/lib/models"
	"github.com/rivulet-ml/rivulet/lib/stream"
	"github.com/rivulet-ml/rivulet/lib/workflow/serve"
	"github.com/rivulet-ml/rivulet/lib/workflow/urls"
)

func init() {
	register(command{
		name:    "serve stages",
		summary: "train versions in stages, publish each while a scoring service runs, stream records to it (notebook 06 in one command)",
		run:     runServeStages,
	})
}

func runServeStages(ctx context.Context, args []string) error {
	fs := newFlags("serve stages")
	brokers := brokersFlag(fs)
	modelTopic := fs.String("model-topic", serve.DefaultModelTopic, "topic versions are published on")
	features := fs.String("features", serve.DefaultFeaturesTopic, "topic records are streamed to and scored from")
	predictions := fs.String("predictions", serve.DefaultPredictionsTopic, "topic predictions are written to")
	model := fs.String("model", urls.DefaultModel, "model to train, from the registry")
	var params multiFlag
	fs.Var(&params, "param", "model parameter name=value, River's names (repeatable; default for arf: leaf_prediction=mc)")
	data := fs.String("data", "", "svmlight FILE or DIR to train on and stream (default: River's MaliciousURL data set)")
	stages := fs.Int("stages", 5, "versions to train and publish (the original: 5)")
	stageRecords := fs.Int("stage-records", serve.DefaultStageRecords, "records per stage: learned, then the next as many evaluated")
	perVersion := fs.Int("per-version", serve.DefaultStreamPerVersion, "records streamed while each version serves")
	flushSize := fs.Int("flush-size", serve.DefaultStreamFlushSize, "records per streamed burst")
	sleep := fs.Duration("sleep", serve.DefaultStreamSleep, "pause after each burst")
	learn := fs.Bool("learn", false, "the service also learns from every record it scores")
	httpAddr := fs.String("http", "127.0.0.1:0", "the service's HTTP address for the REST exchange (\"\": none; port 0: any free port)")
	save := fs.String("save", "", "also write the whole run (predictions included) to this JSON file")
	brokerWait := fs.Duration("broker-wait", stream.DefaultBrokerWait, "give up when no broker answers for this long")
	asJSON := fs.Bool("json", false, "print the run (published versions, swaps, predictions, REST exchange) as one JSON object on stdout")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: rivulet serve stages [--brokers B] [--model arf] [--param k=v ...] [--data FILE] [--stages 5] [--stage-records 100] [--per-version 100] [--json]")
		fmt.Fprintln(fs.Output(), "\nTrains --stages versions (stage i learns records [n·i, n·(i+1)) and is evaluated on the next n), publishes version 1,")
		fmt.Fprintln(fs.Output(), "starts a scoring service in a fresh group, then per stage publishes its version, waits until it serves and streams")
		fmt.Fprintln(fs.Output(), "--per-version records that follow the training windows; asks POST /predict, GET /healthz and /metrics; stops the")
		fmt.Fprintln(fs.Output(), "service and reads its predictions back. Nothing keeps running afterwards.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *stages <= 0 || *stageRecords <= 0 || *perVersion <= 0 {
		return fmt.Errorf("%w: --stages, --stage-records and --per-version must be positive", errUsage)
	}
	p := paramsOf(*model, params)
	clf, err := models.NewClassifier(*model, p, nil)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	files, desc, err := urls.OpenData(ctx, *data, progressReporter())
	if err != nil {
		return err
	}
	it := files.Iter()
	st, err := serve.TrainStages(clf, it, *stageRecords, *stages)
	it.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "trained %s in %d stages of %d records on %s\n", *model, len(st), *stageRecords, desc)

	src := files.Iter() // from the start again: RunStages skips the training windows
	defer src.Close()
	run, err := serve.RunStages(ctx, st, src,
		serve.WithBrokers(stream.SplitBrokers(*brokers)...),
		serve.WithModelTopic(*modelTopic),
		serve.WithBrokerWait(*brokerWait),
		serve.WithPublishOptions(serve.WithModelName(*model, p...)),
		serve.WithServeOptions(serve.WithFeaturesTopic(*features), serve.WithPredictionsTopic(*predictions),
			serve.WithLearn(*learn), serve.WithHTTP(*httpAddr)),
		serve.WithStreamPerVersion(*perVersion),
		serve.WithStreamThrottle(*flushSize, *sleep),
		serve.WithRunLog(os.Stderr),
	)
	if err != nil {
		return err
	}
	if *save != "" {
		if err := run.Save(*save); err != nil {
			return err
		}
	}
	if *asJSON {
		return printJSON(run)
	}
	return writeStagesRun(run)
}

// writeStagesRun prints a run's versions and swaps as two small tables.
func writeStagesRun(run *serve.StagesRun) error {
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "version\trecords\taccuracy\tF1\tROCAUC\tmean e2e ms\t")
	for _, v := range serve.ByVersion(run.Predictions) {
		auc := "-" // one class only: ROCAUC is undefined
		if v.Positives > 0 && v.Negatives > 0 {
			auc = fmt.Sprintf("%.4f", v.ROCAUC)
		}
		fmt.Fprintf(tw, "%d\t%d\t%.4f\t%.4f\t%s\t%.3f\t\n", v.Version, v.Records, v.Accuracy, v.F1, auc, v.EndToEndMs)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Println()
	tw = tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "swap to\tfrom\tpublish → served ms\t")
	for _, s := range run.Swaps {
		if s.Live {
			fmt.Fprintf(tw, "%d\t%d\t%.1f\t\n", s.Version, s.Previous, s.LatencyMs)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if run.Response != "" {
		fmt.Printf("\nPOST /predict → %s\n", run.Response)
	}
	_, err := fmt.Printf("%d records streamed and scored by replica %s\n", run.Streamed, run.Replica)
	return err
}
