package docker_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// clusterID is the apache/kafka image's default CLUSTER_ID.
const clusterID = "5L6g3nShT-eMCtK--X86sw"

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// TestApacheComposeKafkaBoots starts Apache Kafka (environment/kafka's
// jars) with the kafka service's settings from compose.yaml, as the
// apache/kafka image derives server.properties from them, with only the
// host name "kafka" replaced by 127.0.0.1, the ports by free ones and the
// log directory by a temporary one. It then produces and consumes a record
// through each of the two listeners: the container listener (advertised as
// kafka:19092 in compose) and the host listener (advertised as localhost).
//
// It runs in `make test`'s Apache stage, like the other TestApache tests.
func TestApacheComposeKafkaBoots(t *testing.T) {
	if os.Getenv(kafkatest.ApacheEnv) == "" {
		t.Skipf("SKIP: runs in make test's Apache stage (%s unset)", kafkatest.ApacheEnv)
	}
	libs, err := filepath.Abs(filepath.Join("..", "environment", "kafka", "libs"))
	if err != nil {
		t.Fatal(err)
	}
	if jars, _ := filepath.Glob(filepath.Join(libs, "kafka_*.jar")); len(jars) == 0 {
		t.Skipf("SKIP: no Kafka jars in %s", libs)
	}
	ports := map[string]string{"19092": freePort(t), "29093": freePort(t), "9092": freePort(t)}
	portRe := regexp.MustCompile(`:(19092|29093|9092)\b`)
	dir := t.TempDir()
	var props strings.Builder
	for k, v := range kafkaEnvironment(t) {
		v = strings.ReplaceAll(v, "kafka:", "127.0.0.1:")
		v = portRe.ReplaceAllStringFunc(v, func(m string) string { return ":" + ports[m[1:]] })
		if k == "KAFKA_LOG_DIRS" {
			v = filepath.Join(dir, "data")
		}
		fmt.Fprintf(&props, "%s=%s\n", propertyName(k), v)
	}
	cfg := filepath.Join(dir, "server.properties")
	if err := os.WriteFile(cfg, []byte(props.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	log4j, _ := filepath.Abs(filepath.Join("..", "environment", "kafka", "log4j2.properties"))
	java := func(args ...string) *exec.Cmd {
		base := []string{"-Xms128m", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
			"-Dlog4j2.configurationFile=" + log4j, "-Dkafka.logs.dir=" + dir, "-cp", libs + "/*"}
		return exec.Command("java", append(base, args...)...)
	}
	if out, err := java("kafka.tools.StorageTool", "format", "--cluster-id", clusterID, "--config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("formatting with the compose settings: %v\n%s\n%s", err, out, props.String())
	}
	logPath := filepath.Join(dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	broker := java("kafka.Kafka", cfg)
	broker.Stdout, broker.Stderr = logFile, logFile
	if err := broker.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- broker.Wait() }()
	defer func() {
		broker.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(60 * time.Second):
			broker.Process.Kill()
			<-exited
		}
	}()
	tail := func() string {
		b, _ := os.ReadFile(logPath)
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		return strings.Join(lines[max(0, len(lines)-15):], "\n")
	}
	deadline := time.Now().Add(150 * time.Second)
	for {
		b, _ := os.ReadFile(logPath)
		if strings.Contains(string(b), "Kafka Server started") {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the broker exited during start-up: %v\n%s\n%s", err, tail(), props.String())
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the broker did not start within 150 s:\n%s", tail())
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for name, addr := range map[string]string{
		"container listener (kafka:19092 in compose)": "127.0.0.1:" + ports["19092"],
		"host listener (localhost:9092 in compose)":   "localhost:" + ports["9092"],
	} {
		brokers := []string{addr}
		topic := kafkatest.Unique("compose")
		if err := stream.EnsureTopic(ctx, brokers, topic, 1); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, tail())
		}
		if err := stream.ProduceStrings(ctx, brokers, topic, []string{"hello through " + name}); err != nil {
			t.Fatalf("%s: produce: %v", name, err)
		}
		msgs, err := stream.ConsumeN(ctx, brokers, topic, 1, 30*time.Second)
		if err != nil || len(msgs) != 1 || string(msgs[0].Value) != "hello through "+name {
			t.Fatalf("%s: consume: %v %v", name, msgs, err)
		}
	}
	t.Logf("Apache Kafka started with the %d settings of compose.yaml and served both listeners", strings.Count(props.String(), "\n"))
}
