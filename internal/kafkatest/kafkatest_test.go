package kafkatest_test

import (
	"context"
	"net"
	"regexp"
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/broker"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

func TestEmbedded(t *testing.T) {
	var addr string
	t.Run("inner", func(t *testing.T) {
		addr = kafkatest.Embedded(t, broker.WithPartitions(2))
		if err := stream.WaitForBroker(context.Background(), []string{addr}, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		if err := stream.ProduceStrings(context.Background(), []string{addr}, "t", []string{"x"}); err != nil {
			t.Fatal(err)
		}
		ends, err := stream.TopicEndOffsets(context.Background(), []string{addr}, "t")
		if err != nil || len(ends) != 2 {
			t.Errorf("options not applied: %v partitions, %v", len(ends), err)
		}
	})
	// The cleanup of the subtest stopped the broker.
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("broker at %s still accepts connections after its test ended", addr)
	}
}

func TestApacheSkipsWhenUnset(t *testing.T) {
	t.Setenv(kafkatest.ApacheEnv, "")
	var skipped bool
	t.Run("inner", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		kafkatest.Apache(t)
	})
	if !skipped {
		t.Error("Apache did not skip with RIVULET_APACHE_BROKERS unset")
	}
}

func TestBrokersEmbeddedOnly(t *testing.T) {
	t.Setenv(kafkatest.ApacheEnv, "")
	targets := kafkatest.Brokers(t)
	if len(targets) != 1 || targets[0].Name != "embedded" || len(targets[0].Brokers) != 1 {
		t.Errorf("Brokers = %+v, want the embedded broker only", targets)
	}
}

func TestUnique(t *testing.T) {
	valid := regexp.MustCompile(`^[a-zA-Z0-9._-]+$`) // Kafka's topic name alphabet
	seen := map[string]bool{}
	for range 1000 {
		n := kafkatest.Unique("topic")
		if seen[n] || !valid.MatchString(n) {
			t.Fatalf("Unique gave %q (seen before: %v)", n, seen[n])
		}
		seen[n] = true
	}
}
