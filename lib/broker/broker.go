package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"syscall"

	"github.com/twmb/franz-go/pkg/kfake"
)

// DefaultAddr is where the broker listens unless WithAddr says otherwise.
const DefaultAddr = "127.0.0.1:9092"

// DefaultPartitions is the partition count of topics created automatically
// (on first produce or metadata request) or by CreateTopics with -1
// partitions. The original River + Kafka deployment used 8-partition topics
// (features_v4), so rivulet does too; kfake's own default is 10.
const DefaultPartitions = 8

// ErrAddrInUse reports that the listen address is taken, usually by another
// broker. Match it with errors.Is.
var ErrAddrInUse = errors.New("address already in use")

// AddrInUseError is returned by Start when the listen address is taken. It
// matches ErrAddrInUse with errors.Is and unwraps to the listen error.
type AddrInUseError struct {
	Addr string
	Err  error
}

func (e *AddrInUseError) Error() string {
	return fmt.Sprintf("broker: %s is already in use (is another broker running? pick another with --addr)", e.Addr)
}

func (e *AddrInUseError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrAddrInUse) true.
func (e *AddrInUseError) Is(target error) bool { return target == ErrAddrInUse }

// ErrDataDirLocked reports that another broker in this or another process
// holds the data directory. Match it with errors.Is.
var ErrDataDirLocked = errors.New("data directory in use")

// Option configures Start.
type Option func(*config)

type config struct {
	addr       string
	dataDir    string
	partitions int
	logger     *slog.Logger
	syncWrites bool
}

// WithAddr sets the listen address, host:port. The host must be 127.0.0.1
// or localhost: the embedded broker never listens on other interfaces.
// Port 0 picks a free port; Addr reports it.
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithDataDir persists the broker's state (topics, records, consumer-group
// offsets) under dir, creating it if needed, and reloads it on start. An
// empty dir keeps everything in memory, which is the default.
func WithDataDir(dir string) Option { return func(c *config) { c.dataDir = dir } }

// WithPartitions sets the partition count of automatically created topics,
// overriding DefaultPartitions.
func WithPartitions(n int) Option { return func(c *config) { c.partitions = n } }

// WithLogger receives the broker's log lines. Without it the broker is
// silent. kfake's error level maps to slog.LevelError, warn to LevelWarn,
// info to LevelInfo and debug to LevelDebug; the logger's handler decides
// what is printed.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithSyncWrites fsyncs every produced batch before acknowledging it. Without
// it a machine crash (not a broker crash) can lose the latest writes, as with
// Kafka's default log.flush settings.
func WithSyncWrites() Option { return func(c *config) { c.syncWrites = true } }

// Broker is a running embedded broker.
type Broker struct {
	cluster *kfake.Cluster
	addr    string
	unlock  func() error
	log     *closeLogger

	closeOnce sync.Once
	closeErr  error
}

// Start starts a broker and returns once it accepts connections. The context
// only bounds start-up (loading a large data directory); Close stops the
// broker.
func Start(ctx context.Context, opts ...Option) (*Broker, error) {
	cfg := config{addr: DefaultAddr, partitions: DefaultPartitions}
	for _, o := range opts {
		o(&cfg)
	}
	port, err := listenPort(cfg.addr)
	if err != nil {
		return nil, err
	}
	if cfg.partitions < 1 {
		return nil, fmt.Errorf("broker: partitions must be at least 1, got %d", cfg.partitions)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	logger := &closeLogger{to: cfg.logger}
	kopts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.Ports(port),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(cfg.partitions),
		kfake.WithLogger(logger),
		kfake.ClusterID("rivulet"),
	}
	unlock := func() error { return nil }
	if cfg.dataDir != "" {
		if err := os.MkdirAll(cfg.dataDir, 0o755); err != nil {
			return nil, fmt.Errorf("broker: data dir: %w", err)
		}
		unlock, err = lockDir(cfg.dataDir)
		if err != nil {
			return nil, err
		}
		kopts = append(kopts, kfake.DataDir(cfg.dataDir))
		if cfg.syncWrites {
			kopts = append(kopts, kfake.SyncWrites())
		}
	}

	c, err := kfake.NewCluster(kopts...)
	if err != nil {
		unlock()
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, &AddrInUseError{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), Err: err}
		}
		if cfg.dataDir != "" {
			return nil, fmt.Errorf("broker: start on data dir %s: %w", cfg.dataDir, err)
		}
		return nil, fmt.Errorf("broker: start: %w", err)
	}
	addrs := c.ListenAddrs()
	if len(addrs) != 1 {
		c.Close()
		unlock()
		return nil, fmt.Errorf("broker: kfake reported %d listeners, want 1", len(addrs))
	}
	return &Broker{cluster: c, addr: addrs[0], unlock: unlock, log: logger}, nil
}

// listenPort checks that addr is a loopback host:port and returns the port.
func listenPort(addr string) (int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0, fmt.Errorf("broker: listen address %q: %w", addr, err)
	}
	switch host {
	case "127.0.0.1", "localhost", "":
	default:
		return 0, fmt.Errorf("broker: listen address %q: the embedded broker listens on 127.0.0.1 only", addr)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return 0, fmt.Errorf("broker: listen address %q: bad port %q", addr, p)
	}
	return port, nil
}

// Addr returns the address clients connect to, 127.0.0.1:PORT.
func (b *Broker) Addr() string { return b.addr }

// Close stops the broker: it stops accepting connections, and with a data
// directory writes out the remaining state, fsyncs and releases the
// directory. It reports the failures kfake could only log. Close is safe to
// call more than once.
func (b *Broker) Close() error {
	b.closeOnce.Do(func() {
		b.log.startCapture()
		b.cluster.Close()
		b.closeErr = errors.Join(b.log.captured(), b.unlock())
	})
	return b.closeErr
}

// closeLogger forwards kfake's log lines to slog and, while the broker
// closes, collects error-level lines: kfake's Close logs persistence
// failures instead of returning them.
type closeLogger struct {
	to *slog.Logger

	mu        sync.Mutex
	capturing bool
	errs      []error
}

func (l *closeLogger) Logf(level kfake.LogLevel, format string, args ...any) {
	if level == kfake.LogLevelError {
		l.mu.Lock()
		if l.capturing {
			l.errs = append(l.errs, fmt.Errorf("broker: "+format, args...))
		}
		l.mu.Unlock()
	}
	if l.to == nil {
		return
	}
	sl := slog.LevelDebug
	switch level {
	case kfake.LogLevelError:
		sl = slog.LevelError
	case kfake.LogLevelWarn:
		sl = slog.LevelWarn
	case kfake.LogLevelInfo:
		sl = slog.LevelInfo
	}
	ctx := context.Background()
	if l.to.Enabled(ctx, sl) {
		l.to.Log(ctx, sl, fmt.Sprintf(format, args...))
	}
}

func (l *closeLogger) startCapture() {
	l.mu.Lock()
	l.capturing = true
	l.mu.Unlock()
}

func (l *closeLogger) captured() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return errors.Join(l.errs...)
}
