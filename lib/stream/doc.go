// Package stream holds rivulet's Kafka helpers, built on segmentio/kafka-go:
// broker discovery (RIVULET_BROKERS), writers and readers tuned for
// one-record-at-a-time learning, message codecs, dead-letter handling and
// latency telemetry.
//
// # Writers and readers
//
// NewWriter and NewReader return plain kafka-go types configured for
// streaming, with functional options for what differs between uses:
//
//	w := stream.NewWriter(brokers, "features")             // acks=all, 5 ms linger
//	r := stream.NewReader(brokers, "features", stream.WithGroup("learners"))
//
// kafka-go's defaults suit bulk loads, not streams: its Writer lingers up to
// 1 s for a batch to fill and acknowledges nothing (RequiredAcks 0), and its
// Reader holds empty fetches for 10 s. The defaults here are listed with the
// DefaultBatchTimeout and DefaultMaxWait constants.
//
// # Errors
//
// A record that cannot be processed is reported as a *MessageError naming
// its topic, partition and offset (see WrapMessage), and a
// DeadLetterWriter copies it to "<topic>.dlq" with headers saying why, so
// that the stream goes on. WaitForBroker turns a missing broker into a
// *BrokerUnreachableError within a bounded time instead of a hang.
//
// # Helpers for notebooks and tests
//
// EnsureTopic, TopicEndOffsets, CommittedOffsets, WaitForMessages,
// ProduceStrings and ConsumeN cover the small jobs around a stream.
//
// kafka-go has no idempotent or transactional producer and its
// read_committed isolation is broken (kafka-go#1332), so this package offers
// at-least-once delivery: commit a record's offset after processing it, and
// a restarted consumer may see the last few records again.
package stream
