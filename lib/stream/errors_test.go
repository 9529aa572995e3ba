package stream_test

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

func TestMessageError(t *testing.T) {
	msg := kafka.Message{Topic: "features", Partition: 3, Offset: 1234}
	err := stream.WrapMessage(msg, io.ErrUnexpectedEOF)
	if got, want := err.Error(), "topic features partition 3 offset 1234: unexpected EOF"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("errors.Is does not reach the wrapped error")
	}
	var me *stream.MessageError
	if !errors.As(err, &me) || me.Partition != 3 || me.Offset != 1234 {
		t.Errorf("errors.As gave %+v", me)
	}
	if again := stream.WrapMessage(msg, err); again != err {
		t.Errorf("wrapping twice for the same record gave %q", again)
	}
	other := kafka.Message{Topic: "features.dlq", Partition: 0, Offset: 7}
	if got := stream.WrapMessage(other, err).Error(); !strings.HasPrefix(got, "topic features.dlq partition 0 offset 7: topic features") {
		t.Errorf("wrapping for another record gave %q", got)
	}
	if stream.WrapMessage(msg, nil) != nil {
		t.Error("WrapMessage(msg, nil) is not nil")
	}
}

// closedPort returns a 127.0.0.1 address that refuses connections for the
// rest of the test: a socket bound to it but not listening holds the port,
// so no other process can take it meanwhile (a closed listener's port
// could be reused by a parallel test and make the result flaky).
func closedPort(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*syscall.SockaddrInet4).Port))
}

func TestWaitForBrokerDown(t *testing.T) {
	addr := closedPort(t)
	const timeout = 700 * time.Millisecond
	start := time.Now()
	err := stream.WaitForBroker(context.Background(), []string{addr}, timeout)
	elapsed := time.Since(start)
	if err == nil {
		t.Fatal("WaitForBroker on a closed port returned nil")
	}
	// A bound, not a performance figure: the call must give up on its own
	// rather than hang (generous slack for a loaded machine).
	if elapsed > timeout+3*time.Second {
		t.Errorf("WaitForBroker took %v with a %v timeout", elapsed, timeout)
	}
	want := "no Kafka broker reachable at " + addr + " after 700ms (start one with `rivulet broker` or set RIVULET_BROKERS): dial tcp " + addr
	if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("error:\n%s\nwant prefix:\n%s\nand 'connection refused'", err, want)
	}
	var bu *stream.BrokerUnreachableError
	if !errors.As(err, &bu) || bu.Waited != timeout {
		t.Errorf("errors.As BrokerUnreachableError: %+v", bu)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Error("errors.Is(err, ECONNREFUSED) is false")
	}
}

func TestWaitForBrokerCancelled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := stream.WaitForBroker(ctx, []string{closedPort(t)}, time.Hour)
	var bu *stream.BrokerUnreachableError
	if !errors.As(err, &bu) || bu.Waited >= time.Hour {
		t.Errorf("cancelled wait: %v", err)
	}
}

// TestWaitForBrokerSilent covers a port that accepts connections but never
// speaks Kafka: the wait must still end.
func TestWaitForBrokerSilent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	err = stream.WaitForBroker(context.Background(), []string{ln.Addr().String()}, 500*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "no Kafka broker reachable") {
		t.Errorf("silent port: %v", err)
	}
}

func TestWaitForBrokerUp(t *testing.T) {
	addr := kafkatest.Embedded(t)
	if err := stream.WaitForBroker(context.Background(), []string{closedPort(t), addr}, 5*time.Second); err != nil {
		t.Errorf("one of two brokers up: %v", err)
	}
}

func TestConsumeNTimeout(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	ctx := context.Background()
	if err := stream.ProduceStrings(ctx, brokers, "short", []string{"only", "two"}); err != nil {
		t.Fatal(err)
	}
	got, err := stream.ConsumeN(ctx, brokers, "short", 3, 500*time.Millisecond)
	var te *stream.TimeoutError
	if !errors.As(err, &te) || te.Got != 2 || te.Want != 3 || len(got) != 2 {
		t.Fatalf("ConsumeN(3) of 2 records: %d records, %v", len(got), err)
	}
	if !strings.HasPrefix(err.Error(), "topic short: got 2 of 3 messages within ") {
		t.Errorf("error text %q", err)
	}
}

func TestWaitForMessages(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- stream.WaitForMessages(ctx, brokers, "later", 3) }()
	if err := stream.ProduceStrings(ctx, brokers, "later", []string{"a", "b", "c"}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	short, cancel2 := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel2()
	err := stream.WaitForMessages(short, brokers, "later", 4)
	var te *stream.TimeoutError
	if !errors.As(err, &te) || te.Got != 3 {
		t.Errorf("waiting for 4 of 3: %v", err)
	}
}

func TestBrokerDefaults(t *testing.T) {
	t.Setenv(stream.BrokersEnv, "")
	if got := stream.SplitBrokers(""); len(got) != 1 || got[0] != "127.0.0.1:9092" {
		t.Errorf("SplitBrokers(\"\") = %q", got)
	}
	t.Setenv(stream.BrokersEnv, " a:1, b:2 ,")
	if got := stream.SplitBrokers(""); len(got) != 2 || got[0] != "a:1" || got[1] != "b:2" {
		t.Errorf("from env: %q", got)
	}
}
