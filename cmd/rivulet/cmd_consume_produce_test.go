package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/workflow/urls"
)

// TestConsumeURLsProduce: `consume urls --produce` streams the records
// itself once positioned and reads every one of them live.
func TestConsumeURLsProduce(t *testing.T) {
	needSample(t)
	brokers := kafkatest.Embedded(t)
	topic := kafkatest.Unique("features")
	cmd := rivuletCmd("consume", "urls", "--brokers", brokers, "--topic", topic, "--group", kafkatest.Unique("g"),
		"--partitions", "-1", "--model", "logistic-regression", "--max-messages", "300", "--idle-timeout", "60s",
		"--produce", "--data", urlSample, "--flush-size", "100", "--sleep", "10ms", "--json")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("consume urls --produce: %v\n%s", err, stderrOf(err))
	}
	var sum urls.Summary
	if err := json.Unmarshal(out, &sum); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if sum.Processed != 300 || sum.DeadLettered != 0 || sum.Produced == nil || sum.Produced.Records != 300 || sum.Produced.Bursts != 3 {
		t.Errorf("processed %d, dead %d, produced %+v; want 300 read of 300 sent in 3 bursts", sum.Processed, sum.DeadLettered, sum.Produced)
	}

	stdout, stderr, code := runRivulet(t, "consume", "urls", "--produce", "--data", "/no/such.svm", "--brokers", brokers)
	if code != 1 || !strings.Contains(stderr, "/no/such.svm") {
		t.Errorf("missing data: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
