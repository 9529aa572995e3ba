package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/lib/stream"
)

// brokerHelperEnv, when set, makes the test binary act as `rivulet` with
// the arguments it holds (separated by ASCII unit separators), so the tests can run the broker
// command as a real process and signal it.
const brokerHelperEnv = "RIVULET_TEST_BROKER_ARGS"

func TestBrokerProcessHelper(t *testing.T) {
	args := os.Getenv(brokerHelperEnv)
	if args == "" {
		t.Skip("helper process for the broker command tests")
	}
	os.Exit(run(strings.Split(args, "\x1f")))
}

type brokerProc struct {
	cmd    *exec.Cmd
	stdout *bufio.Reader
	stderr *bytes.Buffer
}

func startBrokerProc(t *testing.T, args ...string) *brokerProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBrokerProcessHelper$")
	cmd.Env = append(os.Environ(), brokerHelperEnv+"="+strings.Join(append([]string{"broker"}, args...), "\x1f"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &brokerProc{cmd: cmd, stdout: bufio.NewReader(out), stderr: new(bytes.Buffer)}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return p
}

var listeningLine = regexp.MustCompile(`^listening on (127\.0\.0\.1:[1-9][0-9]*)\n$`)

// addr reads the `listening on` line, bounded so a stuck start fails.
func (p *brokerProc) addr(t *testing.T) string {
	t.Helper()
	line := make(chan string, 1)
	go func() {
		s, _ := p.stdout.ReadString('\n')
		line <- s
	}()
	select {
	case s := <-line:
		m := listeningLine.FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("first stdout line %q, want `listening on 127.0.0.1:PORT`; stderr: %s", s, p.stderr)
		}
		return m[1]
	case <-time.After(30 * time.Second):
		t.Fatalf("no `listening on` line within 30s; stderr: %s", p.stderr)
		return ""
	}
}

// stop sends sig and returns the exit code and the rest of stdout.
func (p *brokerProc) stop(t *testing.T, sig os.Signal) (int, string) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	rest := new(bytes.Buffer)
	rest.ReadFrom(p.stdout)
	err := p.cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), rest.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, rest.String()
}

func TestBrokerCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("starts broker processes")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	p := startBrokerProc(t, "--addr", "127.0.0.1:0", "--data-dir", dir, "--partitions", "2")
	addr := p.addr(t)
	brokers := []string{addr}
	if err := stream.ProduceStrings(ctx, brokers, "cli", []string{"a", "b", "c"}); err != nil {
		t.Fatal(err)
	}
	ends, err := stream.TopicEndOffsets(ctx, brokers, "cli")
	if err != nil {
		t.Fatal(err)
	}
	if len(ends) != 2 {
		t.Errorf("--partitions 2: auto-created topic has %d partitions", len(ends))
	}

	// A second broker on the same port fails at once, with the clear error.
	taken := startBrokerProc(t, "--addr", addr, "--data-dir", "")
	if err := taken.cmd.Wait(); err == nil {
		t.Error("second broker on a taken port exited 0")
	}
	wantErr := "rivulet broker: " + addr + " is already in use (is another broker running? pick another with --addr)\n"
	if got := taken.stderr.String(); got != wantErr {
		t.Errorf("taken port stderr %q, want %q", got, wantErr)
	}

	code, rest := p.stop(t, syscall.SIGTERM)
	if code != 0 || rest != "" {
		t.Fatalf("SIGTERM: exit %d, further stdout %q; stderr: %s", code, rest, p.stderr)
	}

	// Restarted on the same data dir, via SIGINT this time.
	p2 := startBrokerProc(t, "--addr", addr, "--data-dir", dir)
	if got := p2.addr(t); got != addr {
		t.Errorf("restart listens on %s, want %s", got, addr)
	}
	msgs, err := stream.ConsumeN(ctx, brokers, "cli", 3, 20*time.Second)
	if err != nil {
		t.Fatalf("after restart: %v", err)
	}
	vals := map[string]bool{}
	for _, m := range msgs {
		vals[string(m.Value)] = true
	}
	if !vals["a"] || !vals["b"] || !vals["c"] {
		t.Errorf("after restart read %v", vals)
	}
	if code, _ := p2.stop(t, syscall.SIGINT); code != 0 {
		t.Errorf("SIGINT: exit %d; stderr: %s", code, p2.stderr)
	}
}

func TestBrokerCommandUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--log-level", "loud"},
		{"--partitions", "x"},
		{"extra"},
	} {
		if err := runBroker(context.Background(), args); !errors.Is(err, errUsage) {
			t.Errorf("runBroker(%q) = %v, want a usage error", args, err)
		}
	}
}
