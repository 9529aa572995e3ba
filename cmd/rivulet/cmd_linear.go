package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rivulet-ml/rivulet/lib/linearmodel"
	"github.com/rivulet-ml/rivulet/lib/stream"
	"github.com/rivulet-ml/rivulet/lib/synth"
	"github.com/rivulet-ml/rivulet/lib/workflow/linear"
)

func init() {
	register(command{
		name:    "produce linear",
		summary: "send the seed's linear-model stream y = Bx + w to Kafka (dataLinearModel)",
		run:     runProduceLinear,
	})
	register(command{
		name:    "learn linear",
		summary: "learn B from the linear-model stream with RLS or River's SGD, prequentially",
		run:     runLearnLinear,
	})
}

func runProduceLinear(ctx context.Context, args []string) error {
	fs := newFlags("produce linear")
	brokers := brokersFlag(fs)
	def := synth.DefaultLinearModelParams()
	topic := fs.String("topic", linear.DefaultTopic, "topic to write; the true B goes to <topic>"+linear.TruthSuffix)
	inputs := fs.Int("inputs", def.Inputs, "n, the number of inputs x")
	outputs := fs.Int("outputs", def.Outputs, "m, the number of outputs y")
	latent := fs.Int("latent-dim", def.LatentDim, "ν of the normal-Wishart prior (the original's latent_dim)")
	lambda := fs.Float64("lambda", def.Lambda, "λ of the normal-Wishart prior")
	noise := fs.Float64("noise", def.NoiseScale, "standard deviation of the noise w")
	construction := fs.String("construction", def.Construction, "normal-Wishart sampler: bartlett (a true normal-Wishart) or original (the seed notebook's)")
	interval := fs.Duration("interval", time.Second, "pause between records (0: as fast as possible)")
	count := fs.Int64("count", 0, "records to send (0: until interrupted)")
	seed := fs.Int64("seed", 0, "random seed: the same seed gives the same B and records")
	format := fs.String("format", "numpy", "message format: numpy (the original's np.array2string text), json or binary (little-endian float64)")
	partitions := fs.Int("partitions", 1, "partitions of the topic if it must be created")
	echo := fs.Bool("echo", false, "print every message on stderr")
	brokerWait := fs.Duration("broker-wait", stream.DefaultBrokerWait, "give up when no broker answers for this long")
	asJSON := fs.Bool("json", false, "print the result as one JSON object on stdout")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: rivulet produce linear [--brokers B] [--topic dataLinearModel] [--inputs 10] [--outputs 8] [--interval 1s] [--count N] [--seed S] [--format numpy|json|binary] [--json]")
		fmt.Fprintln(fs.Output(), "\nSends [counter, y_1..y_m, x_1..x_n] records of y = B x + w, keyed by counter, B drawn once from a normal-Wishart prior.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	f, err := stream.ParseLinearFormat(*format)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if _, err := synth.ParseConstruction(*construction); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *interval < 0 || *count < 0 {
		return fmt.Errorf("%w: --interval and --count must not be negative", errUsage)
	}
	iv := *interval
	if iv == 0 {
		iv = -1 // SendConfig: negative is as fast as possible
	}
	p := synth.LinearModelParams{Inputs: *inputs, Outputs: *outputs, LatentDim: *latent, Lambda: *lambda,
		NoiseScale: *noise, Seed: *seed, Construction: *construction}
	cfg := linear.SendConfig{
		Brokers: stream.SplitBrokers(*brokers), Topic: *topic, Params: p, Format: f,
		Interval: iv, Count: *count, Partitions: *partitions, BrokerWait: *brokerWait,
		Progress: progressReporter(),
	}
	if *echo {
		cfg.Echo = logLines{bar: cfg.Progress != nil}
	}
	if *count == 0 {
		fmt.Fprintf(os.Stderr, "sending to %s until interrupted (Ctrl-C stops cleanly)\n", *topic)
	}
	res, err := linear.Send(ctx, cfg)
	if err != nil {
		if res != nil && ctx.Err() != nil {
			fmt.Fprintf(os.Stderr, "interrupted after %d of %d records (all of them acknowledged by the broker)\n", res.Records, *count)
		}
		return err
	}
	if *asJSON {
		return printJSON(res)
	}
	fmt.Printf("produced %d records to %s (%s) in %.3f s (%.0f records/s); true B (seed %d) in %s\n",
		res.Records, res.Topic, res.Format, res.Elapsed.Seconds(), res.RecordsPerSecond, res.Truth.Params.Seed, res.TruthTopic)
	return nil
}

// learnJSON is `rivulet learn linear --json`: the first model's figures at
// the top level, every model under "models".
type learnJSON struct {
	Model            string               `json:"model"`
	Records          int64                `json:"records"`
	RelativeError    *float64             `json:"relative_error"`
	MAE              *float64             `json:"mae"`
	RMSE             *float64             `json:"rmse"`
	R2               *float64             `json:"r2"`
	RecordsPerSecond float64              `json:"records_per_second"`
	Seconds          float64              `json:"seconds"`
	Topic            string               `json:"topic"`
	Format           string               `json:"format"`
	Inputs           int                  `json:"inputs"`
	Outputs          int                  `json:"outputs"`
	From             string               `json:"from"`
	DeadLetters      int64                `json:"dead_letters"`
	Seed             *int64               `json:"seed"`
	Models           []linear.ModelResult `json:"models"`
}

func optional(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func runLearnLinear(ctx context.Context, args []string) error {
	fs := newFlags("learn linear")
	brokers := brokersFlag(fs)
	topic := fs.String("topic", linear.DefaultTopic, "topic to read; the true B is read from <topic>"+linear.TruthSuffix)
	count := fs.Int64("count", 0, "records to learn (0: until interrupted or --idle-timeout)")
	model := fs.String("model", linear.ModelRLS, "rls (exact recursive least squares), sgd (River's PerOutputRegressor(LinearRegression)), or both: rls,sgd")
	format := fs.String("format", "", "message format: numpy, json or binary (default: the sender's, from the truth topic; else numpy)")
	inputs := fs.Int("inputs", 0, "n (default: from the truth topic, else 10)")
	outputs := fs.Int("outputs", 0, "m (default: from the truth topic, else 8)")
	from := fs.String("from", linear.FromRun, "where to start: run (the latest sender run), earliest or latest")
	forgetting := fs.Float64("forgetting", 1, "RLS forgetting factor λ in (0, 1]")
	lr := fs.Float64("lr", 0.01, "SGD learning rate (River's default 0.01)")
	idle := fs.Duration("idle-timeout", 0, "stop after this long without a record (0: wait for ever)")
	skipBad := fs.Bool("skip-bad", false, "send undecodable records to <topic>.dlq and go on, instead of stopping")
	brokerWait := fs.Duration("broker-wait", stream.DefaultBrokerWait, "give up when no broker answers for this long")
	asJSON := fs.Bool("json", false, "print the result as one JSON object on stdout")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: rivulet learn linear [--brokers B] [--topic dataLinearModel] [--count N] [--model rls|sgd] [--format numpy|json|binary] [--json]")
		fmt.Fprintln(fs.Output(), "\nLearns y = B x + w test-then-train and reports prequential MAE, RMSE, R² (River's) and ‖B̂−B‖_F/‖B‖_F against the sender's truth.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "" {
		if _, err := stream.ParseLinearFormat(*format); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	var models []string
	for _, m := range strings.Split(*model, ",") {
		m = strings.ToLower(strings.TrimSpace(m))
		if m != linear.ModelRLS && m != linear.ModelSGD {
			return fmt.Errorf("%w: --model %q: want rls, sgd or rls,sgd", errUsage, m)
		}
		models = append(models, m)
	}
	if *from != linear.FromRun && *from != linear.FromEarliest && *from != linear.FromLatest {
		return fmt.Errorf("%w: --from %q: want run, earliest or latest", errUsage, *from)
	}
	if *count < 0 {
		return fmt.Errorf("%w: --count must not be negative", errUsage)
	}
	cfg := linear.LearnConfig{
		Brokers: stream.SplitBrokers(*brokers), Topic: *topic, Format: *format,
		Inputs: *inputs, Outputs: *outputs, Count: *count, From: *from, Models: models,
		RLSOptions:  []linearmodel.RLSOption{linearmodel.WithForgetting(*forgetting)},
		SGDOptions:  []linearmodel.Option{linearmodel.WithLearningRate(*lr)},
		IdleTimeout: *idle, SkipBad: *skipBad, BrokerWait: *brokerWait,
		Progress: progressReporter(),
	}
	res, err := linear.Learn(ctx, cfg)
	if err != nil {
		return err
	}
	if *asJSON {
		first := res.Models[0].Final
		out := learnJSON{
			Model: res.Models[0].Name, Records: res.Records,
			RelativeError: optional(first.RelativeError), MAE: optional(first.MAE), RMSE: optional(first.RMSE), R2: optional(first.R2),
			RecordsPerSecond: res.RecordsPerSecond, Seconds: res.Elapsed.Seconds(),
			Topic: res.Topic, Format: res.Format, Inputs: res.Inputs, Outputs: res.Outputs, From: res.From,
			DeadLetters: res.DeadLetters, Models: res.Models,
		}
		if res.Truth != nil {
			out.Seed = &res.Truth.Params.Seed
		}
		return printJSON(out)
	}
	return writeLearnText(os.Stdout, res)
}

func writeLearnText(w io.Writer, res *linear.LearnResult) error {
	fmt.Fprintf(w, "learnt %d records from %s (%s, n=%d, m=%d) in %.3f s (%.0f records/s)\n",
		res.Records, res.Topic, res.Format, res.Inputs, res.Outputs, res.Elapsed.Seconds(), res.RecordsPerSecond)
	if res.Truth == nil {
		fmt.Fprintf(w, "no truth found in %s%s: relative error unknown\n", res.Topic, linear.TruthSuffix)
	}
	if res.DeadLetters > 0 {
		fmt.Fprintf(w, "%d undecodable records sent to %s\n", res.DeadLetters, stream.DeadLetterTopic(res.Topic))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "model\tMAE\tRMSE\tR²\t‖B̂−B‖/‖B‖\t")
	for _, m := range res.Models {
		f := m.Final
		rel := "n/a"
		if !math.IsNaN(f.RelativeError) {
			rel = fmt.Sprintf("%.6f", f.RelativeError)
		}
		fmt.Fprintf(tw, "%s\t%.6f\t%.6f\t%.6f\t%s\t\n", m.Name, f.MAE, f.RMSE, f.R2, rel)
	}
	return tw.Flush()
}
