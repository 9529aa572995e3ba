// Package urls is rivulet's MaliciousURL streaming workflow, the one the
// original River + Kafka project ran in its MaliciousURLModelProducer and
// MaliciousURLModelConsumer notebooks: a throttled producer of feature
// records and a consumer that predicts and learns one record at a time while
// measuring where the time goes.
//
// Produce reads svmlight records (the MaliciousURL data set or any files),
// encodes them in the original's wire format (stream.URLRecord) and writes
// them to a topic, either in the original's bursts (flush_size records as
// fast as possible, flush, sleep) or at a smooth rate.
//
// Consume reads the topic by consumer group or, as the original did, by
// manual assignment of partitions 0..P-1, decodes each record, predicts and
// learns (prequential order by default, the original's learn-then-predict on
// request), and keeps per-record telemetry: messaging latency from the
// producer's timestamp to the moment the record was received from the broker
// and to the moment the processing loop reached it (the difference is the
// head-of-line wait that made the original's saw-tooth), prediction and
// learning durations, processing and end-to-end durations. Records that do
// not decode go to <topic>.dlq and the stream goes on; offsets are committed
// only for records that were processed or dead-lettered (at-least-once).
//
// WithLocalProducer makes Consume run Produce itself, started once the
// consumer is positioned and stopped when it ends: the live demonstration
// of notebook 04 and `rivulet consume urls --produce`.
//
// The feature records themselves go through franz-go's client (kgo); see
// client.go for the measurements behind that choice. Dead letters and admin
// requests use lib/stream.
//
// The CLI (rivulet produce urls, rivulet consume urls) and notebooks 03 and
// 04 call these functions; nothing here prints unless given a writer.
package urls
