// Package kafkatest gives tests a Kafka broker: an embedded one
// (lib/broker on a random port, one per test) or the Apache Kafka broker that
// `make test` starts when Java and Maven are present.
package kafkatest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/lib/broker"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// ApacheEnv names the variable holding the Apache Kafka broker list, set by
// `make test` once environment/kafka/kafka.sh has started the broker.
const ApacheEnv = "RIVULET_APACHE_BROKERS"

// Embedded starts an embedded broker on a random 127.0.0.1 port with a
// fresh data directory under t.TempDir, stops it when the test ends, and
// returns its address. opts are passed to broker.Start after the defaults,
// so they can override them.
func Embedded(t testing.TB, opts ...broker.Option) (addr string) {
	t.Helper()
	all := append([]broker.Option{broker.WithAddr("127.0.0.1:0"), broker.WithDataDir(t.TempDir())}, opts...)
	b, err := broker.Start(context.Background(), all...)
	if err != nil {
		t.Fatalf("kafkatest: start embedded broker: %v", err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("kafkatest: close embedded broker: %v", err)
		}
	})
	return b.Addr()
}

// Apache returns the Apache Kafka broker list from RIVULET_APACHE_BROKERS,
// after checking that it answers within 10 s, or skips the test when the
// variable is unset.
func Apache(t testing.TB) string {
	t.Helper()
	addr := strings.TrimSpace(os.Getenv(ApacheEnv))
	if addr == "" {
		t.Skipf("Apache Kafka not running (%s unset); `make test` starts it when Java and Maven are present", ApacheEnv)
	}
	if err := stream.WaitForBroker(context.Background(), stream.SplitBrokers(addr), 10*time.Second); err != nil {
		t.Fatalf("kafkatest: %s=%s: %v", ApacheEnv, addr, err)
	}
	return addr
}

// Target is a broker a test can run against.
type Target struct {
	Name    string   // "embedded" or "apache", for subtest names
	Brokers []string // bootstrap addresses
}

// Brokers returns the brokers to run a test against: always a fresh
// embedded broker, plus Apache Kafka when RIVULET_APACHE_BROKERS is set. Run
// each as a subtest:
//
//	for _, k := range kafkatest.Brokers(t) {
//		t.Run(k.Name, func(t *testing.T) { check(t, k.Brokers) })
//	}
//
// Tests sharing the Apache broker must use unique topic and group names;
// see Unique. `make test` sets RIVULET_APACHE_BROKERS only for its Apache
// stage, which runs the tests matching ^Test(Apache|Brokers): a test that
// loops over Brokers must be named TestBrokersX to meet the real broker
// there (TestApacheX for tests that use Apache(t) alone).
func Brokers(t testing.TB) []Target {
	t.Helper()
	targets := []Target{{Name: "embedded", Brokers: []string{Embedded(t)}}}
	if addr := strings.TrimSpace(os.Getenv(ApacheEnv)); addr != "" {
		targets = append(targets, Target{Name: "apache", Brokers: stream.SplitBrokers(Apache(t))})
	}
	return targets
}

// Unique returns prefix followed by a suffix unique to this run, for topic
// and group names on a broker that outlives the test.
func Unique(prefix string) string {
	return fmt.Sprintf("%s-%s-%d", prefix, strconv.FormatInt(time.Now().UnixNano(), 36), uniqueSeq.Add(1))
}

var uniqueSeq atomic.Int64
