package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/stream"
	"github.com/rivulet-ml/rivulet/lib/workflow/serve"
)

// replica is a `rivulet serve` process and what it logged.
type replica struct {
	name string
	cmd  *exec.Cmd
	out  bytes.Buffer

	mu    sync.Mutex
	log   strings.Builder
	parts string // the last "(now [...])" it logged
	ready bool
}

var nowParts = regexp.MustCompile(`\(now \[([0-9 ]*)\]\)`)

func startReplica(t *testing.T, name string, args ...string) *replica {
	t.Helper()
	r := &replica{name: name, cmd: rivuletCmd(append([]string{"serve", "--replica", name}, args...)...)}
	r.cmd.Stdout = &r.out
	stderr, err := r.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.cmd.Process.Kill(); r.cmd.Wait() })
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			r.mu.Lock()
			r.log.WriteString(line + "\n")
			if m := nowParts.FindStringSubmatch(line); m != nil {
				r.parts = m[1]
			}
			if strings.HasPrefix(line, "ready: ") {
				r.ready = true
			}
			r.mu.Unlock()
		}
	}()
	return r
}

func (r *replica) state() (parts string, ready bool, log string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.parts, r.ready, r.log.String()
}

func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool, logs ...*replica) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			var b strings.Builder
			for _, r := range logs {
				_, _, log := r.state()
				fmt.Fprintf(&b, "--- replica %s:\n%s", r.name, log)
			}
			t.Fatalf("%s: not within %v\n%s", what, timeout, b.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServeFailover runs two `rivulet serve` processes in one group while
// records stream in, kills one with SIGKILL (no commit, no leave), and
// checks that the other takes its partitions over: every record is scored,
// and the only records scored twice are the killed replica's uncommitted
// ones.
func TestServeFailover(t *testing.T) {
	needSample(t)
	checkFailover(t, kafkatest.Embedded(t))
}

func TestApacheServeFailover(t *testing.T) {
	needSample(t)
	checkFailover(t, kafkatest.Apache(t))
}

func checkFailover(t *testing.T, brokers string) {
	features, predictions, models, group := kafkatest.Unique("features"), kafkatest.Unique("predictions"), kafkatest.Unique("model_updates"), kafkatest.Unique("serve")
	if out, err := rivuletCmd("publish", "--brokers", brokers, "--topic", models, "--model", "hat", "--param", "leaf_prediction=mc",
		"--data", urlSample, "--train", "300").CombinedOutput(); err != nil {
		t.Fatalf("publish: %v\n%s", err, out)
	}
	// The topic exists with 4 partitions before the replicas join.
	if out, err := rivuletCmd("produce", "urls", "--brokers", brokers, "--topic", features, "--partitions", "4", "--data", urlSample,
		"--max-size", "4", "--flush-size", "4", "--sleep", "0").CombinedOutput(); err != nil {
		t.Fatalf("produce: %v\n%s", err, out)
	}
	args := []string{"--brokers", brokers, "--features", features, "--predictions", predictions, "--model-topic", models,
		"--group", group, "--http", "", "--from", "earliest", "--session-timeout", "6s", "--commit-interval", "300ms", "--json"}
	a := startReplica(t, "a", args...)
	b := startReplica(t, "b", args...)
	both := func() bool {
		pa, ra, _ := a.state()
		pb, rb, _ := b.state()
		return ra && rb && pa != "" && pb != "" && len(strings.Fields(pa))+len(strings.Fields(pb)) == 4
	}
	waitFor(t, "both replicas holding partitions", 60*time.Second, both, a, b)

	const total = 2004 // 4 above, 2000 streamed at 1000 records/s
	producer := rivuletCmd("produce", "urls", "--brokers", brokers, "--topic", features, "--data", urlSample,
		"--max-size", "2000", "--rate", "1000")
	var producerOut bytes.Buffer
	producer.Stdout, producer.Stderr = &producerOut, &producerOut
	if err := producer.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if err := stream.WaitForMessages(ctx, stream.SplitBrokers(brokers), predictions, 600); err != nil {
		t.Fatal(err)
	}
	killedParts, _, _ := a.state()
	a.cmd.Process.Kill() // SIGKILL: no flush, no commit, no leave
	a.cmd.Wait()
	committed, err := stream.CommittedOffsets(ctx, stream.SplitBrokers(brokers), group, features)
	if err != nil {
		t.Fatal(err)
	}
	if err := producer.Wait(); err != nil {
		t.Fatalf("producer: %v\n%s", err, producerOut.String())
	}
	// b takes a's partitions over once a's session expires (6 s).
	waitFor(t, "b holding all 4 partitions", 60*time.Second, func() bool {
		pb, _, _ := b.state()
		return len(strings.Fields(pb)) == 4
	}, a, b)

	// Every source record scored at least once.
	type src struct {
		partition int32
		offset    int64
	}
	var preds []serve.Prediction
	waitFor(t, "every record scored", 60*time.Second, func() bool {
		preds, err = serve.ReadPredictions(ctx, stream.SplitBrokers(brokers), predictions, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[src]bool{}
		for _, p := range preds {
			seen[src{p.SourcePartition, p.SourceOffset}] = true
		}
		return len(seen) == total
	}, a, b)
	b.cmd.Process.Signal(syscall.SIGTERM)
	if err := b.cmd.Wait(); err != nil {
		_, _, log := b.state()
		t.Fatalf("replica b after SIGTERM: %v\n%s", err, log)
	}

	killed := map[int32]bool{}
	for _, f := range strings.Fields(killedParts) {
		var p int32
		fmt.Sscan(f, &p)
		killed[p] = true
	}
	count := map[src]int{}
	byReplica := map[string]int{}
	for _, p := range preds {
		count[src{p.SourcePartition, p.SourceOffset}]++
		byReplica[p.Replica]++
	}
	dups := 0
	for s, n := range count {
		if n == 1 {
			continue
		}
		dups += n - 1
		if n > 2 || !killed[s.partition] || s.offset < committed[int(s.partition)] {
			t.Errorf("partition %d offset %d scored %d times; only records of the killed replica's partitions %v after its last commit (%v) may be scored twice",
				s.partition, s.offset, n, killedParts, committed)
		}
	}
	var sum serve.Summary
	if err := json.Unmarshal(b.out.Bytes(), &sum); err != nil || sum.Records == 0 {
		t.Errorf("replica b --json: %q (%v)", b.out.String(), err)
	}
	t.Logf("%d records, %d predictions (a %d, b %d): %d scored twice, all in a's uncommitted window; a held partitions [%s] at the kill",
		total, len(preds), byReplica["a"], byReplica["b"], dups, killedParts)
	if byReplica["a"] == 0 || byReplica["b"] == 0 {
		t.Errorf("predictions by replica %v: both should have scored", byReplica)
	}
}

// TestPublishAndServeCLI publishes stages through the CLI and checks the
// usage errors of both commands.
func TestPublishAndServeCLI(t *testing.T) {
	needSample(t)
	brokers := kafkatest.Embedded(t)
	topic := kafkatest.Unique("model_updates")
	out, err := rivuletCmd("publish", "--brokers", brokers, "--topic", topic, "--model", "hat", "--param", "leaf_prediction=mc",
		"--data", urlSample, "--stages", "3", "--json").Output()
	if err != nil {
		t.Fatalf("publish --stages: %v\n%s", err, stderrOf(err))
	}
	var pub []serve.PublishResult
	if err := json.Unmarshal(out, &pub); err != nil || len(pub) != 3 {
		t.Fatalf("publish --json: %s (%v)", out, err)
	}
	for i, r := range pub {
		if r.Version != int64(i+1) || r.Name != "hat" || r.Metrics["accuracy"] <= 0 || r.Kind != "tree.HoeffdingAdaptiveTreeClassifier" {
			t.Errorf("version %d: %+v", i+1, r)
		}
	}
	if pub[0].Checksum == pub[1].Checksum || pub[1].Checksum == pub[2].Checksum {
		t.Error("stages published the same model twice")
	}

	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"publish", "--brokers", brokers, "--topic", topic, "--model", "hat", "--data", urlSample, "--train", "1500",
			"--no-chunking", "--max-message-bytes", "20000"}, 1, "-byte limit of one Kafka message (max message bytes 20000"},
		{[]string{"publish", "--metric", "auc"}, 2, `--metric "auc": want name=number`},
		{[]string{"publish", "--snapshot", "/no/such.snap"}, 1, "/no/such.snap"},
		{[]string{"serve", "--from", "middle"}, 2, "want latest or earliest"},
		{[]string{"serve", "--model", "no-such-model"}, 2, `unknown model; known:`},
		{[]string{"serve", "--brokers", "127.0.0.1:1", "--broker-wait", "500ms", "--http", ""}, 1, "no Kafka broker reachable at 127.0.0.1:1"},
	} {
		cmd := rivuletCmd(c.args...)
		var stderr bytes.Buffer
		cmd.Stderr, cmd.Stdout = &stderr, io.Discard
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		if code != c.code || !strings.Contains(stderr.String(), c.says) {
			t.Errorf("rivulet %s: exit %d, stderr %q; want exit %d saying %q", strings.Join(c.args, " "), code, stderr.String(), c.code, c.says)
		}
	}
}
