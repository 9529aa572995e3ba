package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rivulet-ml/rivulet/lib/models"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
	"github.com/rivulet-ml/rivulet/lib/stream"
	"github.com/rivulet-ml/rivulet/lib/workflow/serve"
	"github.com/rivulet-ml/rivulet/lib/workflow/urls"
)

func init() {
	register(command{
		name:    "publish",
		summary: "publish model snapshots as versions to the model_updates topic (train them first, or from a file)",
		run:     runPublish,
	})
	register(command{
		name:    "serve",
		summary: "score the features topic with the newest published model (hot swap, consumer group, HTTP)",
		run:     runServe,
	})
}

// paramsOf returns the --param values, or the original's defaults for the
// default model.
func paramsOf(model string, params multiFlag) []string {
	if len(params) == 0 && strings.EqualFold(model, urls.DefaultModel) {
		return urls.DefaultModelParams
	}
	return params
}

func runPublish(ctx context.Context, args []string) error {
	fs := newFlags("publish")
	brokers := brokersFlag(fs)
	topic := fs.String("topic", serve.DefaultModelTopic, "model-update topic")
	version := fs.Int64("version", 0, "version to publish as (0: one more than the highest in the topic)")
	snapFile := fs.String("snapshot", "", "publish this snapshot file instead of training a model")
	model := fs.String("model", urls.DefaultModel, "model to train, from the registry")
	var params multiFlag
	fs.Var(&params, "param", "model parameter name=value, River's names (repeatable; default for arf: leaf_prediction=mc)")
	data := fs.String("data", "", "svmlight FILE or DIR to train on (default: River's MaliciousURL data set)")
	train := fs.Int("train", 1000, "records to learn before publishing one version")
	stages := fs.Int("stages", 0, "instead: train in this many stages and publish one version per stage, with its metrics (the original's five MLflow runs)")
	stageRecords := fs.Int("stage-records", serve.DefaultStageRecords, "records per stage: learned, then the next as many evaluated")
	name := fs.String("name", "", "model name recorded in the headers (default: --model, or the snapshot's kind)")
	schema := fs.String("schema", serve.SchemaMaliciousURL, "feature schema the model was trained on")
	var metricFlags multiFlag
	fs.Var(&metricFlags, "metric", "evaluation metric name=value to attach (repeatable)")
	maxMessage := fs.Int("max-message-bytes", serve.DefaultMaxMessageBytes, "largest Kafka record to send (the broker's message.max.bytes must allow it)")
	maxSnapshot := fs.Int("max-snapshot-bytes", serve.DefaultMaxSnapshotBytes, "largest snapshot to publish at all")
	noChunking := fs.Bool("no-chunking", false, "refuse a snapshot larger than one record instead of splitting it")
	save := fs.String("save", "", "also write the (last) snapshot to this file")
	brokerWait := fs.Duration("broker-wait", stream.DefaultBrokerWait, "give up when no broker answers for this long")
	asJSON := fs.Bool("json", false, "print what was published as one JSON array on stdout")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: rivulet publish [--brokers B] [--topic model_updates] [--version N] (--snapshot FILE | [--model arf] [--param k=v ...] [--data FILE] [--train 1000 | --stages 5 [--stage-records 100]]) [--json]")
		fmt.Fprintln(fs.Output(), "\nSends a model snapshot as one versioned record (key = version; headers: name, kind, schema, created-at, checksum); larger snapshots are chunked.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	metrics := map[string]float64{}
	for _, kv := range metricFlags {
		k, v, ok := strings.Cut(kv, "=")
		f, err := strconv.ParseFloat(v, 64)
		if !ok || k == "" || err != nil {
			return fmt.Errorf("%w: --metric %q: want name=number", errUsage, kv)
		}
		metrics[k] = f
	}
	common := []serve.PublishOption{
		serve.WithBrokers(stream.SplitBrokers(*brokers)...),
		serve.WithModelTopic(*topic),
		serve.WithSchema(*schema),
		serve.WithBrokerWait(*brokerWait),
		serve.WithMaxMessageBytes(*maxMessage),
		serve.WithMaxSnapshotBytes(*maxSnapshot),
	}
	if *noChunking {
		common = append(common, serve.WithoutChunking())
	}
	var published []serve.PublishResult
	publish := func(snap []byte, modelName string, modelParams []string, v int64, m map[string]float64) error {
		opts := append(common, serve.WithModelName(modelName, modelParams...), serve.WithMetrics(m))
		if v > 0 {
			opts = append(opts, serve.WithVersion(v))
		}
		res, err := serve.PublishSnapshot(ctx, snap, opts...)
		if err != nil {
			return err
		}
		published = append(published, res)
		fmt.Fprintf(os.Stderr, "published %s version %d to %s partition %d offset %d: %d bytes in %d record(s), %s\n",
			res.Name, res.Version, res.Topic, res.Partition, res.Offset, res.Bytes, res.Chunks, serve.ChecksumString(res.Checksum))
		if *save != "" {
			return os.WriteFile(*save, snap, 0o644)
		}
		return nil
	}

	switch {
	case *snapFile != "":
		snap, err := os.ReadFile(*snapFile)
		if err != nil {
			return err
		}
		h, _, err := snapshot.Inspect(snap)
		if err != nil {
			return fmt.Errorf("%s: %w", *snapFile, err)
		}
		n := *name
		if n == "" {
			n = h.Kind
		}
		if err := publish(snap, n, nil, *version, metrics); err != nil {
			return err
		}
	default:
		p := paramsOf(*model, params)
		clf, err := models.NewClassifier(*model, p, nil)
		if err != nil {
			return err
		}
		n := *name
		if n == "" {
			n = *model
		}
		files, desc, err := urls.OpenData(ctx, *data, progressReporter())
		if err != nil {
			return err
		}
		it := files.Iter()
		defer it.Close()
		if *stages > 0 {
			fmt.Fprintf(os.Stderr, "training %s in %d stages of %d records on %s\n", *model, *stages, *stageRecords, desc)
			st, err := serve.TrainStages(clf, it, *stageRecords, *stages)
			if err != nil {
				return err
			}
			for i, s := range st {
				m := map[string]float64{}
				for k, v := range metrics {
					m[k] = v
				}
				for k, v := range s.Metrics {
					m[k] = v
				}
				v := int64(0)
				if *version > 0 {
					v = *version + int64(i)
				}
				fmt.Fprintf(os.Stderr, "stage %d: learned records %d..%d, accuracy %.4f on records %d..%d\n",
					s.Index, s.TrainFrom, s.TrainTo-1, s.Metrics["accuracy"], s.EvalFrom, s.EvalTo-1)
				if err := publish(s.Snapshot, n, p, v, m); err != nil {
					return err
				}
			}
			break
		}
		sm, ok := clf.(snapshot.Model)
		if !ok {
			return fmt.Errorf("model %s cannot be snapshotted", *model)
		}
		learned := 0
		for learned < *train && it.Next() {
			y := 0
			if it.Y() {
				y = 1
			}
			clf.LearnOne(it.X(), y)
			learned++
		}
		if err := it.Err(); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "trained %s on %d records of %s\n", *model, learned, desc)
		if err := publish(snapshot.Marshal(sm), n, p, *version, metrics); err != nil {
			return err
		}
	}
	if *asJSON {
		return printJSON(published)
	}
	for _, r := range published {
		fmt.Printf("version %d: %s (%s), %d bytes, %d record(s), %s\n", r.Version, r.Name, r.Kind, r.Bytes, r.Chunks, serve.ChecksumString(r.Checksum))
	}
	return nil
}

func runServe(ctx context.Context, args []string) error {
	fs := newFlags("serve")
	brokers := brokersFlag(fs)
	features := fs.String("features", serve.DefaultFeaturesTopic, "topic of feature records to score")
	predictions := fs.String("predictions", serve.DefaultPredictionsTopic, "topic predictions are written to")
	modelTopic := fs.String("model-topic", serve.DefaultModelTopic, "topic model versions are published on")
	group := fs.String("group", serve.DefaultGroup, "consumer group shared by the service's replicas")
	replica := fs.String("replica", "", "this replica's name in logs, /healthz and prediction headers (default host-pid)")
	model := fs.String("model", "", "serve an untrained model of the registry as version 0 until a version is published, as the original did with arf (default: wait for the first version)")
	var params multiFlag
	fs.Var(&params, "param", "parameter name=value of --model (repeatable; default for arf: leaf_prediction=mc)")
	learn := fs.Bool("learn", false, "also learn from every scored record (predict, then learn); the next published version replaces what was learned")
	httpAddr := fs.String("http", "127.0.0.1:8080", "serve POST /predict, GET /healthz, GET /metrics on this address (\"\": no HTTP; port 0: any free port)")
	from := fs.String("from", "latest", "where partitions without a committed offset start: latest (the original's) or earliest")
	maxRecords := fs.Int("max-records", 0, "stop after scoring this many records (0: run until interrupted)")
	idle := fs.Duration("idle-timeout", 0, "stop after this long without a record (0: never)")
	commitEvery := fs.Duration("commit-interval", serve.DefaultCommitInterval, "commit scored offsets this often (after their predictions are acknowledged)")
	session := fs.Duration("session-timeout", stream.DefaultSessionTimeout, "how long the group waits for a replica that went silent before moving its partitions")
	keep := fs.Int("keep-versions", serve.DefaultKeepVersions, "model versions kept loaded for POST /predict requests that name one")
	schema := fs.String("schema", serve.SchemaMaliciousURL, "feature schema accepted from published models (\"\": any)")
	brokerWait := fs.Duration("broker-wait", stream.DefaultBrokerWait, "give up when no broker answers for this long")
	asJSON := fs.Bool("json", false, "print the run's summary as one JSON object on stdout when it ends")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: rivulet serve [--brokers B] [--features features] [--predictions predictions] [--model-topic model_updates] [--group G] [--http 127.0.0.1:8080] [--learn] [--json]")
		fmt.Fprintln(fs.Output(), "\nScores every feature record with the newest published model and writes {id, y, score, version, messaging_ms, processing_ms, e2e_ms}")
		fmt.Fprintln(fs.Output(), "to the predictions topic. Start several with the same --group to share the partitions. SIGINT/SIGTERM: drain, commit, leave.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var start serve.StartOffset
	switch strings.ToLower(*from) {
	case "latest":
		start = serve.Latest
	case "earliest":
		start = serve.Earliest
	default:
		return fmt.Errorf("%w: --from %q: want latest or earliest", errUsage, *from)
	}
	opts := []serve.ServeOption{
		serve.WithBrokers(stream.SplitBrokers(*brokers)...),
		serve.WithFeaturesTopic(*features),
		serve.WithPredictionsTopic(*predictions),
		serve.WithModelTopic(*modelTopic),
		serve.WithGroup(*group),
		serve.WithReplicaID(*replica),
		serve.WithLearn(*learn),
		serve.WithHTTP(*httpAddr),
		serve.WithStartOffset(start),
		serve.WithMaxRecords(*maxRecords),
		serve.WithIdleTimeout(*idle),
		serve.WithCommitInterval(*commitEvery),
		serve.WithSessionTimeout(*session),
		serve.WithKeepVersions(*keep),
		serve.WithSchema(*schema),
		serve.WithBrokerWait(*brokerWait),
		serve.WithLog(os.Stderr),
		serve.WithReady(func(r serve.Ready) {
			where := ""
			if r.HTTPAddr != "" {
				where = ", HTTP http://" + r.HTTPAddr
			}
			fmt.Fprintf(os.Stderr, "ready: replica %s of group %s serving model version %d, partitions %v of %s%s\n",
				r.Replica, r.Group, r.Version, r.Partitions, *features, where)
		}),
	}
	if *model != "" {
		if _, ok := models.Lookup(*model); !ok {
			return fmt.Errorf("%w: --model %q: unknown model; known: %s", errUsage, *model, strings.Join(models.Names(), ", "))
		}
		opts = append(opts, serve.WithInitialModel(*model, paramsOf(*model, params)...))
	}
	began := time.Now()
	sum, err := serve.Serve(ctx, opts...)
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		fmt.Fprintf(os.Stderr, "stopped after %v: %d records scored\n", time.Since(began).Round(time.Millisecond), sum.Records)
	}
	if *asJSON {
		return printJSON(sum)
	}
	fmt.Printf("scored %d records (%.0f records/s), %d dead-lettered; by version: %v; %d model swaps\n",
		sum.Records, sum.RecordsPerSecond, sum.DeadLettered, sum.ByVersion, len(sum.Swaps))
	return nil
}
