package broker_test

// kcat (librdkafka) is a Kafka client independent of Go: these tests show
// that the embedded broker is not only kafka-go-compatible, and that
// rivulet's writer partitions keys as librdkafka does.

import (
	"context"
	"fmt"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/broker"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

func needKcat(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("kcat")
	if err != nil {
		t.Skip("kcat not installed; environment/kcat.sh installs it (Debian package kcat)")
	}
	return path
}

// kcat runs kcat with args and stdin, bounded in time, and returns stdout.
func kcat(ctx context.Context, t *testing.T, stdin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, needKcat(t), args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("kcat %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

func TestKcat(t *testing.T) {
	needKcat(t)
	const partitions = 4
	addr := kafkatest.Embedded(t, broker.WithPartitions(partitions))
	brokers := []string{addr}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	if md := kcat(ctx, t, "", "-b", addr, "-L"); !strings.Contains(md, "broker 0 at "+addr) {
		t.Errorf("kcat -L does not list the broker at %s:\n%s", addr, md)
	}

	// kcat produces keyed, snappy-compressed records with a header; the
	// topic is auto-created; kafka-go reads them back intact.
	const n = 100
	var in strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&in, "%d:value-%d\n", i, i)
	}
	kcat(ctx, t, in.String(), "-b", addr, "-P", "-t", "from-kcat", "-K:", "-H", "origin=kcat", "-z", "snappy")
	got, err := stream.ConsumeN(ctx, brokers, "from-kcat", n, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	kcatPartition := map[string]int{}
	for _, m := range got {
		if string(m.Value) != "value-"+string(m.Key) {
			t.Errorf("key %q value %q", m.Key, m.Value)
		}
		if h, _ := stream.Header(m, "origin"); h != "kcat" {
			t.Errorf("key %q: header origin=%q", m.Key, h)
		}
		kcatPartition[string(m.Key)] = m.Partition
	}
	if len(kcatPartition) != n {
		t.Fatalf("%d distinct keys, want %d", len(kcatPartition), n)
	}

	// rivulet's writer puts every key on the partition librdkafka chose.
	w := stream.NewWriter(brokers, "from-go")
	msgs := make([]kafka.Message, 0, n)
	for i := 1; i <= n; i++ {
		msgs = append(msgs, kafka.Message{Key: []byte(strconv.Itoa(i)), Value: []byte("value-" + strconv.Itoa(i)),
			Headers: []kafka.Header{{Key: "origin", Value: []byte("go")}}})
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	w.Close()
	out := kcat(ctx, t, "", "-b", addr, "-C", "-t", "from-go", "-o", "beginning", "-e", "-q", "-f", "%p %k %s %h\n")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != n {
		t.Fatalf("kcat read %d records from kafka-go, want %d:\n%s", len(lines), n, out)
	}
	moved := 0
	for _, line := range lines {
		var p int
		var k, v, h string
		if _, err := fmt.Sscanf(line, "%d %s %s %s", &p, &k, &v, &h); err != nil {
			t.Fatalf("kcat line %q: %v", line, err)
		}
		if v != "value-"+k || h != "origin=go" {
			t.Errorf("kcat line %q", line)
		}
		if kcatPartition[k] != p {
			moved++
		}
	}
	if moved > 0 {
		t.Errorf("%d of %d keys went to another partition than librdkafka's partitioner chose", moved, n)
	}

	// A kcat consumer group commits; a second run reads nothing, and
	// kafka-go sees the group's offsets.
	first := kcat(ctx, t, "", "-b", addr, "-G", "kcat-group", "from-kcat", "-e", "-q", "-f", "%k\n", "-X", "auto.offset.reset=earliest")
	keys := strings.Fields(first)
	sort.Strings(keys)
	if len(keys) != n {
		t.Fatalf("kcat group read %d records, want %d", len(keys), n)
	}
	if again := kcat(ctx, t, "", "-b", addr, "-G", "kcat-group", "from-kcat", "-e", "-q", "-f", "%k\n"); strings.TrimSpace(again) != "" {
		t.Errorf("second kcat group run read %q, want nothing", again)
	}
	committed, err := stream.CommittedOffsets(ctx, brokers, "kcat-group", "from-kcat")
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, o := range committed {
		sum += o
	}
	if sum != n {
		t.Errorf("kcat group committed offsets add up to %d, want %d", sum, n)
	}
}
