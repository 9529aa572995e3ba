package stream

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
)

// MessageError ties an error to the Kafka record that caused it, so that a
// bad record can be found again: "topic features partition 3 offset 1234:
// ...".
type MessageError struct {
	Topic     string
	Partition int
	Offset    int64
	Err       error
}

// WrapMessage returns err as a *MessageError naming msg's topic, partition
// and offset, or nil when err is nil. An err that already names the same
// record is returned as is.
func WrapMessage(msg kafka.Message, err error) error {
	if err == nil {
		return nil
	}
	var me *MessageError
	if errors.As(err, &me) && me.Topic == msg.Topic && me.Partition == msg.Partition && me.Offset == msg.Offset {
		return err
	}
	return &MessageError{Topic: msg.Topic, Partition: msg.Partition, Offset: msg.Offset, Err: err}
}

func (e *MessageError) Error() string {
	return fmt.Sprintf("topic %s partition %d offset %d: %v", e.Topic, e.Partition, e.Offset, e.Err)
}

func (e *MessageError) Unwrap() error { return e.Err }

// BrokerUnreachableError is returned by WaitForBroker when no broker answered
// in time. Err is the last connection or protocol error seen.
type BrokerUnreachableError struct {
	Brokers []string
	Waited  time.Duration
	Err     error
}

func (e *BrokerUnreachableError) Error() string {
	msg := fmt.Sprintf("no Kafka broker reachable at %s after %v (start one with `rivulet broker` or set %s)",
		strings.Join(e.Brokers, ","), e.Waited, BrokersEnv)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *BrokerUnreachableError) Unwrap() error { return e.Err }

// TimeoutError is returned by the helpers that wait for records (ConsumeN,
// WaitForMessages) when they run out of time. Got says how far they came.
type TimeoutError struct {
	Topic   string
	Want    int64
	Got     int64
	Waited  time.Duration
	Partial error // the last error seen, if any
}

func (e *TimeoutError) Error() string {
	msg := fmt.Sprintf("topic %s: got %d of %d messages within %v", e.Topic, e.Got, e.Want, e.Waited)
	if e.Partial != nil {
		msg += ": " + e.Partial.Error()
	}
	return msg
}

func (e *TimeoutError) Unwrap() error { return e.Partial }

// Timeout reports true so that callers testing for net.Error-style timeouts
// recognise it.
func (e *TimeoutError) Timeout() bool { return true }
