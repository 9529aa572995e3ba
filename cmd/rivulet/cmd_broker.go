package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/rivulet-ml/rivulet/lib/broker"
)

// defaultBrokerDataDir is relative to the working directory: the checkout
// when run through make, so the broker's data stays with the project.
const defaultBrokerDataDir = ".rivulet/broker"

func init() {
	register(command{
		name:    "broker",
		summary: "run the embedded Kafka broker (127.0.0.1 only)",
		run:     runBroker,
	})
}

func runBroker(ctx context.Context, args []string) error {
	fs := newFlags("broker")
	addr := fs.String("addr", broker.DefaultAddr, "listen address, 127.0.0.1:PORT (port 0 picks a free one)")
	dataDir := fs.String("data-dir", defaultBrokerDataDir, `directory keeping records and committed offsets across restarts ("" keeps them in memory only)`)
	partitions := fs.Int("partitions", broker.DefaultPartitions, "partitions of automatically created topics")
	syncWrites := fs.Bool("sync-writes", false, "fsync every produced batch before acknowledging it")
	logLevel := fs.String("log-level", "warn", "broker log level on stderr: error, warn, info or debug")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: rivulet broker [--addr 127.0.0.1:9092] [--data-dir .rivulet/broker] [--partitions N]")
		fmt.Fprintln(fs.Output(), "\nRuns a single-node Kafka broker in this process until SIGINT or SIGTERM.")
		fmt.Fprintln(fs.Output(), "Prints `listening on HOST:PORT` on stdout once clients can connect; logs go to stderr.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("%w: --log-level %q: want error, warn, info or debug", errUsage, *logLevel)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	opts := []broker.Option{
		broker.WithAddr(*addr),
		broker.WithDataDir(*dataDir),
		broker.WithPartitions(*partitions),
		broker.WithLogger(logger),
	}
	if *syncWrites {
		opts = append(opts, broker.WithSyncWrites())
	}
	b, err := broker.Start(ctx, opts...)
	if err != nil {
		return unprefixed{err}
	}
	fmt.Fprintf(os.Stdout, "listening on %s\n", b.Addr())
	where := "in memory only"
	if *dataDir != "" {
		where = "data in " + *dataDir
	}
	logger.Info("broker ready", "addr", b.Addr(), "partitions", *partitions, "storage", where)

	<-ctx.Done()
	logger.Info("shutting down")
	if err := b.Close(); err != nil {
		return unprefixed{err}
	}
	return nil
}

// unprefixed drops lib/broker's "broker: " prefix, which main's
// "rivulet broker: " already says.
type unprefixed struct{ err error }

func (u unprefixed) Error() string { return strings.TrimPrefix(u.err.Error(), "broker: ") }
func (u unprefixed) Unwrap() error { return u.err }
