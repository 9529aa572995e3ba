package broker_test

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/rivulet-ml/rivulet/lib/broker"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

func start(t *testing.T, opts ...broker.Option) *broker.Broker {
	t.Helper()
	b, err := broker.Start(context.Background(), append([]broker.Option{broker.WithAddr("127.0.0.1:0")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func produce(ctx context.Context, t *testing.T, addr, topic string, from, to int) {
	t.Helper()
	w := stream.NewWriter([]string{addr}, topic)
	var msgs []kafka.Message
	for i := from; i < to; i++ {
		msgs = append(msgs, kafka.Message{Key: []byte(strconv.Itoa(i)), Value: []byte("v" + strconv.Itoa(i))})
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// readGroup reads n records as group member and commits each one.
func readGroup(ctx context.Context, t *testing.T, addr, topic, group string, n int) map[string]bool {
	t.Helper()
	r := stream.NewReader([]string{addr}, topic, stream.WithGroup(group))
	defer r.Close()
	keys := map[string]bool{}
	for len(keys) < n {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("after %d records: %v", len(keys), err)
		}
		keys[string(m.Key)] = true
	}
	return keys
}

func TestAddrAndAutoCreatedPartitions(t *testing.T) {
	b := start(t, broker.WithPartitions(3))
	host, port, err := net.SplitHostPort(b.Addr())
	if err != nil || host != "127.0.0.1" || port == "0" {
		t.Fatalf("Addr() = %q", b.Addr())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	produce(ctx, t, b.Addr(), "auto", 0, 10)
	ends, err := stream.TopicEndOffsets(ctx, []string{b.Addr()}, "auto")
	if err != nil {
		t.Fatal(err)
	}
	if len(ends) != 3 {
		t.Errorf("auto-created topic has %d partitions, want 3", len(ends))
	}
}

func TestDefaultPartitions(t *testing.T) {
	b := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	produce(ctx, t, b.Addr(), "auto", 0, 1)
	ends, err := stream.TopicEndOffsets(ctx, []string{b.Addr()}, "auto")
	if err != nil {
		t.Fatal(err)
	}
	if len(ends) != broker.DefaultPartitions {
		t.Errorf("auto-created topic has %d partitions, want %d", len(ends), broker.DefaultPartitions)
	}
}

// TestRestartKeepsDataAndOffsets stops a broker and starts another on the
// same data dir and port: the records and the group's committed offsets are
// still there.
func TestRestartKeepsDataAndOffsets(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	b1, err := broker.Start(ctx, broker.WithAddr("127.0.0.1:0"), broker.WithDataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	addr := b1.Addr()
	produce(ctx, t, addr, "durable", 0, 100)
	if got := readGroup(ctx, t, addr, "durable", "g", 60); len(got) != 60 {
		t.Fatalf("read %d", len(got))
	}
	committed, err := stream.CommittedOffsets(ctx, []string{addr}, "g", "durable")
	if err != nil {
		t.Fatal(err)
	}
	if err := b1.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := b1.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}

	b2, err := broker.Start(ctx, broker.WithAddr(addr), broker.WithDataDir(dir))
	if err != nil {
		t.Fatalf("restart on %s: %v", addr, err)
	}
	defer b2.Close()
	ends, err := stream.TopicEndOffsets(ctx, []string{addr}, "durable")
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, o := range ends {
		total += o
	}
	if total != 100 {
		t.Errorf("after restart the topic holds %d records, want 100", total)
	}
	after, err := stream.CommittedOffsets(ctx, []string{addr}, "g", "durable")
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(committed) {
		t.Errorf("committed offsets before %v, after restart %v", committed, after)
	}
	for p, o := range committed {
		if after[p] != o {
			t.Errorf("partition %d: committed %d before restart, %d after", p, o, after[p])
		}
	}
	got, err := stream.ConsumeN(ctx, []string{addr}, "durable", 100, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range got {
		if string(m.Value) != "v"+string(m.Key) {
			t.Fatalf("record %q = %q after restart", m.Key, m.Value)
		}
	}
	// The group resumes where it stopped: 40 records are left for it. With
	// ReadMessage committing one record at a time it may have read past
	// its last commit, so count what is left from the offsets.
	var left int64
	for p, end := range ends {
		left += end - after[p]
	}
	if left == 0 || left > 40 {
		t.Fatalf("%d records left for the group, want 1..40", left)
	}
	rest := readGroup(ctx, t, addr, "durable", "g", int(left))
	if len(rest) != int(left) {
		t.Errorf("group read %d records after restart, want %d", len(rest), left)
	}
}

func TestPortInUse(t *testing.T) {
	b := start(t)
	_, err := broker.Start(context.Background(), broker.WithAddr(b.Addr()))
	if err == nil {
		t.Fatal("second broker on the same port started")
	}
	want := "broker: " + b.Addr() + " is already in use (is another broker running? pick another with --addr)"
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q\nwant prefix %q", err, want)
	}
	if err.Error() != want {
		t.Errorf("error %q has more than %q", err, want)
	}
	if !errors.Is(err, broker.ErrAddrInUse) || !errors.Is(err, syscall.EADDRINUSE) {
		t.Error("errors.Is(err, ErrAddrInUse / EADDRINUSE) is false")
	}
}

func TestDataDirLocked(t *testing.T) {
	dir := t.TempDir()
	start(t, broker.WithDataDir(dir))
	_, err := broker.Start(context.Background(), broker.WithAddr("127.0.0.1:0"), broker.WithDataDir(dir))
	if !errors.Is(err, broker.ErrDataDirLocked) {
		t.Fatalf("second broker on the same data dir: %v", err)
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name the directory", err)
	}
}

func TestBadOptions(t *testing.T) {
	for _, tc := range []struct {
		opt  broker.Option
		want string
	}{
		{broker.WithAddr("0.0.0.0:9092"), "listens on 127.0.0.1 only"},
		{broker.WithAddr("9092"), "missing port"},
		{broker.WithAddr("127.0.0.1:http"), "bad port"},
		{broker.WithPartitions(0), "partitions must be at least 1"},
	} {
		_, err := broker.Start(context.Background(), tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want an error containing %q", err, tc.want)
		}
	}
}

func BenchmarkStart(b *testing.B) {
	for _, tc := range []struct {
		name string
		opts func(b *testing.B) []broker.Option
	}{
		{"memory", func(*testing.B) []broker.Option { return nil }},
		{"datadir", func(b *testing.B) []broker.Option { return []broker.Option{broker.WithDataDir(b.TempDir())} }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				opts := append([]broker.Option{broker.WithAddr("127.0.0.1:0")}, tc.opts(b)...)
				br, err := broker.Start(context.Background(), opts...)
				if err != nil {
					b.Fatal(err)
				}
				if err := br.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
