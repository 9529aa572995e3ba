package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rivulet-ml/rivulet/lib/progress"
	"github.com/rivulet-ml/rivulet/lib/stream"
	"github.com/rivulet-ml/rivulet/lib/workflow/urls"
)

func init() {
	register(command{
		name:    "produce urls",
		summary: "stream MaliciousURL records to Kafka in the original's bursts or at a rate",
		run:     runProduceURLs,
	})
	register(command{
		name:    "consume urls",
		summary: "learn from MaliciousURL records on Kafka, measuring latency (the original's consumer)",
		run:     runConsumeURLs,
	})
}

// stderrIsTerminal decides whether a progress bar is drawn: in a pipe or a
// log file a bar is only noise.
func stderrIsTerminal() bool {
	st, err := os.Stderr.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// logLines writes the workflows' printed lines to stderr, first clearing a
// progress bar drawn on the same line.
type logLines struct{ bar bool }

func (l logLines) Write(p []byte) (int, error) {
	if l.bar {
		io.WriteString(os.Stderr, "\r\033[K")
	}
	return os.Stderr.Write(p)
}

func progressReporter() progress.Reporter {
	if stderrIsTerminal() {
		return progress.NewBar(os.Stderr)
	}
	return nil
}

func runProduceURLs(ctx context.Context, args []string) error {
	fs := newFlags("produce urls")
	brokers := brokersFlag(fs)
	data := fs.String("data", "", "svmlight FILE or DIR to stream (default: River's MaliciousURL data set, downloaded on first use into $RIVULET_DATA or the user cache dir)")
	topic := fs.String("topic", urls.DefaultTopic, "topic to write")
	flushSize := fs.Int("flush-size", urls.DefaultFlushSize, "records per burst before a flush and a sleep (the original's flush_size)")
	sleep := fs.Duration("sleep", urls.DefaultSleep, "pause after each burst (the original's sleep_time)")
	maxSize := fs.Int("max-size", urls.DefaultMaxSize, "records to send in all (the original's max_size; -1: the whole source)")
	rate := fs.Float64("rate", 0, "send at a smooth N records/s instead of bursts")
	encoding := fs.String("encoding", stream.EncodingJSON, "value encoding: json (the original's) or binary/v1")
	partitions := fs.Int("partitions", 0, "partitions of the topic if it must be created (default: the broker's)")
	brokerWait := fs.Duration("broker-wait", stream.DefaultBrokerWait, "give up when no broker answers for this long")
	asJSON := fs.Bool("json", false, "print the result as one JSON object on stdout")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: rivulet produce urls [--brokers B] [--data FILE|DIR] [--topic features] [--flush-size 600] [--sleep 1s] [--max-size 5000] [--rate N] [--json]")
		fmt.Fprintln(fs.Output(), "\nSends MaliciousURL feature records in the original producer's JSON format:")
		fmt.Fprintln(fs.Output(), `{"id": uuid4, "f": {"<index>": value}, "y": "true"|"false", "st": epoch seconds}, keyed by the running count.`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rep := progressReporter()
	files, desc, err := urls.OpenData(ctx, *data, rep)
	if err != nil {
		return err
	}
	it := files.Iter()
	defer it.Close()
	fmt.Fprintf(os.Stderr, "streaming %s to topic %s\n", desc, *topic)
	res, err := urls.Produce(ctx, it,
		urls.WithBrokers(stream.SplitBrokers(*brokers)...),
		urls.WithTopic(*topic),
		urls.WithThrottle(*flushSize, *sleep),
		urls.WithMaxSize(*maxSize),
		urls.WithRate(*rate),
		urls.WithEncoding(*encoding),
		urls.WithTopicPartitions(*partitions),
		urls.WithBrokerWait(*brokerWait),
		urls.WithProduceProgress(rep),
		urls.WithProduceLog(logLines{bar: rep != nil}),
	)
	if err != nil {
		return err
	}
	if *maxSize > 0 && res.Records < *maxSize {
		fmt.Fprintf(os.Stderr, "note: the data held %d records, fewer than --max-size %d; none was sent twice\n", res.Records, *maxSize)
	}
	if *asJSON {
		return printJSON(res)
	}
	fmt.Printf("produced %d records to %s in %.3f s (%.0f records/s)\n", res.Records, res.Topic, res.Seconds, res.RecordsPerSecond)
	return nil
}

func runConsumeURLs(ctx context.Context, args []string) error {
	fs := newFlags("consume urls")
	brokers := brokersFlag(fs)
	topic := fs.String("topic", urls.DefaultTopic, "topic to read")
	group := fs.String("group", urls.DefaultGroup, "consumer group: offsets are read from and committed to it")
	partitions := fs.Int("partitions", 0, "assign partitions 0..P-1 by hand as the original did (-1: all); 0 joins the group's rebalancing")
	model := fs.String("model", urls.DefaultModel, "model name from the registry (see `rivulet models`)")
	var params multiFlag
	fs.Var(&params, "param", "model parameter name=value, River's names (repeatable; default for arf: leaf_prediction=mc)")
	order := fs.String("order", "prequential", "prequential (predict, then learn) or learn-first (the original's order)")
	maxMessages := fs.Int("max-messages", urls.DefaultMaxMessages, "stop after this many records (0: run until interrupted)")
	from := fs.String("from", "latest", "where partitions without a committed offset start: latest (the original's) or earliest")
	idle := fs.Duration("idle-timeout", 0, "stop after this long without a record (0: wait for ever, as the original)")
	predictions := fs.String("predictions", "", `also write each prediction to this topic (the original's "predictions")`)
	brokerWait := fs.Duration("broker-wait", stream.DefaultBrokerWait, "give up when no broker answers for this long")
	produce := fs.Bool("produce", false, "also run the producer (as `rivulet produce urls`) in this process, started once the consumer is positioned and stopped when it ends")
	data := fs.String("data", "", "with --produce: svmlight FILE or DIR to stream (default: River's MaliciousURL data set)")
	flushSize := fs.Int("flush-size", urls.DefaultFlushSize, "with --produce: records per burst (the original's flush_size)")
	sleep := fs.Duration("sleep", urls.DefaultSleep, "with --produce: pause after each burst (the original's sleep_time)")
	maxSize := fs.Int("max-size", 0, "with --produce: records to send (0: --max-messages, or 5000 when that is 0; -1: the whole source)")
	rate := fs.Float64("rate", 0, "with --produce: send at a smooth N records/s instead of bursts")
	asJSON := fs.Bool("json", false, "print the summary as one JSON object on stdout")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: rivulet consume urls [--brokers B] [--topic features] [--group G] [--partitions P] [--model arf] [--param name=value ...] [--order prequential|learn-first] [--max-messages 5000] [--produce [--data FILE] [--flush-size 600] [--sleep 1s] [--max-size N] [--rate N]] [--json]")
		fmt.Fprintln(fs.Output(), "\nPredicts and learns one record at a time and reports the original's latency table; malformed records go to <topic>.dlq.")
		fmt.Fprintln(fs.Output(), "With --produce it also streams the records itself once it is positioned (notebook 04's way), so the latency is live.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ord, err := urls.ParseOrder(*order)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	var start urls.StartOffset
	switch strings.ToLower(*from) {
	case "latest":
		start = urls.Latest
	case "earliest":
		start = urls.Earliest
	default:
		return fmt.Errorf("%w: --from %q: want latest or earliest", errUsage, *from)
	}
	p := []string(params)
	if len(p) == 0 && strings.EqualFold(*model, urls.DefaultModel) {
		p = urls.DefaultModelParams
	}
	rep := progressReporter()
	opts := []urls.ConsumeOption{
		urls.WithBrokers(stream.SplitBrokers(*brokers)...),
		urls.WithTopic(*topic),
		urls.WithGroup(*group),
		urls.WithPartitions(*partitions),
		urls.WithModel(*model, p...),
		urls.WithOrder(ord),
		urls.WithMaxMessages(*maxMessages),
		urls.WithStartOffset(start),
		urls.WithIdleTimeout(*idle),
		urls.WithBrokerWait(*brokerWait),
		urls.WithConsumeProgress(rep),
		urls.WithConsumeLog(logLines{bar: rep != nil}),
		urls.WithoutSamples(),
	}
	if *predictions != "" {
		opts = append(opts, urls.WithPredictions(*predictions))
	}
	if *produce {
		n := *maxSize
		if n == 0 {
			n = *maxMessages
		}
		if n == 0 {
			n = urls.DefaultMaxSize
		}
		files, desc, err := urls.OpenData(ctx, *data, rep)
		if err != nil {
			return err
		}
		it := files.Iter()
		defer it.Close()
		fmt.Fprintf(os.Stderr, "the producer will stream %s to %s\n", desc, *topic)
		opts = append(opts, urls.WithLocalProducer(it, urls.WithThrottle(*flushSize, *sleep), urls.WithRate(*rate),
			urls.WithMaxSize(n), urls.WithProduceLog(logLines{bar: rep != nil})))
	}
	if start == urls.Latest {
		next := "start the producer now"
		if *produce {
			next = "starting the producer"
		}
		opts = append(opts, urls.WithReady(func(parts []int) {
			fmt.Fprintf(os.Stderr, "ready: reading partitions %v of %s from their latest offsets; %s\n", parts, *topic, next)
		}))
	}
	began := time.Now()
	sum, err := urls.Consume(ctx, opts...)
	if err != nil && (sum == nil || ctx.Err() == nil) {
		return err
	}
	if sum.Processed == 0 && ctx.Err() != nil {
		return fmt.Errorf("interrupted after %v with no record processed", time.Since(began).Round(time.Millisecond))
	}
	if *asJSON {
		return printJSON(sum)
	}
	return sum.WriteText(os.Stdout)
}
