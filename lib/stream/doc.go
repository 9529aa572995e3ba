// Package stream holds rivulet's Kafka helpers, built on segmentio/kafka-go:
// broker discovery (RIVULET_BROKERS), writers and readers tuned for
// one-record-at-a-time learning, message codecs, dead-letter handling and
// latency telemetry.
package stream
