package stream

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/segmentio/kafka-go"
	metadataAPI "github.com/segmentio/kafka-go/protocol/metadata"
)

// scripted answers metadata requests from a script, one response per call.
type scripted struct {
	script []int16 // topic error code per call
	calls  int
}

func (s *scripted) RoundTrip(_ context.Context, _ net.Addr, req kafka.Request) (kafka.Response, error) {
	s.calls++
	code := s.script[min(s.calls, len(s.script))-1]
	return &metadataAPI.Response{Topics: []metadataAPI.ResponseTopic{{Name: "t", ErrorCode: code}}}, nil
}

func TestAutoCreateRetry(t *testing.T) {
	ctx := context.Background()
	unknown, noLeader := int16(kafka.UnknownTopicOrPartition), int16(kafka.LeaderNotAvailable)

	s := &scripted{script: []int16{unknown, noLeader, 0}}
	resp, err := autoCreateRetry{rt: s}.RoundTrip(ctx, nil, &metadataAPI.Request{TopicNames: []string{"t"}, AllowAutoTopicCreation: true})
	if err != nil || s.calls != 3 || resp.(*metadataAPI.Response).Topics[0].ErrorCode != 0 {
		t.Errorf("auto-create metadata: %d calls, err %v; want 3 calls ending in success", s.calls, err)
	}

	// Without auto-creation the broker's answer is final.
	s = &scripted{script: []int16{unknown}}
	autoCreateRetry{rt: s}.RoundTrip(ctx, nil, &metadataAPI.Request{TopicNames: []string{"t"}})
	if s.calls != 1 {
		t.Errorf("plain metadata request sent %d times, want 1", s.calls)
	}

	// The caller's context ends the wait.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	s = &scripted{script: []int16{unknown}}
	resp, _ = autoCreateRetry{rt: s}.RoundTrip(cctx, nil, &metadataAPI.Request{TopicNames: []string{"t"}, AllowAutoTopicCreation: true})
	if s.calls != 1 || resp.(*metadataAPI.Response).Topics[0].ErrorCode != unknown {
		t.Errorf("cancelled: %d calls", s.calls)
	}
}

func TestStillCreating(t *testing.T) {
	for _, tc := range []struct {
		resp *metadataAPI.Response
		want bool
	}{
		{&metadataAPI.Response{Topics: []metadataAPI.ResponseTopic{{ErrorCode: 0}}}, false},
		{&metadataAPI.Response{Topics: []metadataAPI.ResponseTopic{{ErrorCode: int16(kafka.TopicAuthorizationFailed)}}}, false},
		{&metadataAPI.Response{Topics: []metadataAPI.ResponseTopic{{ErrorCode: int16(kafka.UnknownTopicOrPartition)}}}, true},
		{&metadataAPI.Response{Topics: []metadataAPI.ResponseTopic{{Partitions: []metadataAPI.ResponsePartition{
			{ErrorCode: 0}, {ErrorCode: int16(kafka.LeaderNotAvailable)}}}}}, true},
	} {
		if got := stillCreating(tc.resp); got != tc.want {
			t.Errorf("stillCreating(%+v) = %v, want %v", tc.resp, got, tc.want)
		}
	}
}

func TestTransient(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{kafka.NotLeaderForPartition, true},
		{&partitionError{"t", 2, kafka.LeaderNotAvailable}, true},
		{fmt.Errorf("stream: end offset: %w", &partitionError{"t", 2, kafka.NotLeaderForPartition}), true},
		{kafka.GroupLoadInProgress, true},
		{kafka.UnknownTopicOrPartition, false}, // a missing topic is reported at once
		{kafka.TopicAuthorizationFailed, false},
		{errors.New("dial tcp: connection refused"), false},
	} {
		if got := transient(tc.err); got != tc.want {
			t.Errorf("transient(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestRetryTransient(t *testing.T) {
	calls := 0
	err := retryTransient(context.Background(), func() error {
		calls++
		if calls < 3 {
			return &partitionError{"t", 0, kafka.NotLeaderForPartition}
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Errorf("retryTransient: %d calls, %v; want 3 calls and success", calls, err)
	}
	calls = 0
	err = retryTransient(context.Background(), func() error { calls++; return kafka.UnknownTopicOrPartition })
	if !errors.Is(err, kafka.UnknownTopicOrPartition) || calls != 1 {
		t.Errorf("permanent error: %d calls, %v", calls, err)
	}
}
