// Package serve deploys online models: it publishes model snapshots to
// Kafka and runs the scoring service that serves them, the part of the
// original River + Kafka project that lived in PublishModelUpdates.ipynb and
// the Domino endpoint model.py.
//
// # Publishing
//
// Publish sends a model's snapshot (lib/snapshot) to the "model_updates"
// topic as one version: the key is the version in decimal (the original's
// key=str(v)), the headers carry the model's registry name and parameters,
// its snapshot kind, the feature schema it was trained on, the creation
// time, the snapshot's CRC-32 and size, and optionally its evaluation
// metrics. The original sent a base64 pickle inside JSON; a snapshot is
// binary and checksummed, and versions are numbered by the topic (the next
// after the highest published) unless given. A snapshot larger than one
// Kafka message (1 MB by default) is split into chunks that share the key;
// WithoutChunking refuses it instead with a *TooLargeError naming the limit.
//
// TrainStages re-creates the original's staged training runs (one MLflow
// run per version) with their bug fixed: there, every run after the first
// only predicted, so all five published versions were the same model.
//
// # Serving
//
// Serve (or Start, for a service in the background) consumes the
// "features" topic (stream.URLRecord, the MaliciousURL wire format) as a
// member of a consumer group, scores every record with the newest model
// version, and writes {id, y, score, version, messaging_ms, processing_ms,
// e2e_ms} to "predictions".
//
//   - Models: every replica reads all of "model_updates" (no group; each
//     needs the newest model). At start it reads the topic to its end and
//     loads the newest valid version; then each new version is reassembled,
//     verified (size, CRC-32, kind, feature schema) and decoded off the
//     scoring path and swapped in with one atomic pointer store. The loop
//     reads the pointer once per record, so a swap never drops a record or
//     scores one twice; versions only move forward. Invalid updates are
//     logged, counted, and copied to "model_updates.dlq".
//   - Delivery: predictions are produced asynchronously; offsets are
//     committed every second (WithCommitInterval) and only after every
//     prediction so far is acknowledged, and before partitions are handed
//     to another replica. A crashed replica's successor therefore scores
//     again at most the records after its last commit (at-least-once);
//     nothing is lost. Records that do not decode go to "features.dlq".
//   - Scaling: replicas in one group split the partitions; when one leaves
//     (or its session times out), the others take its partitions over from
//     its last commit.
//   - HTTP (WithHTTP): POST /predict scores {"x": {...}} or the original's
//     test payload {"data": {"version": 5, "x": {...}}}; GET /healthz;
//     GET /metrics in the Prometheus text format (records, errors, dead
//     letters, swaps, model version, latency histograms).
//   - Shutdown (ctx ends): the records in hand are scored, predictions
//     flushed, offsets committed, the group left, HTTP requests finished.
//
// WithLearn makes the served model also learn from each scored record
// (test-then-train); the next published version replaces what it learned.
//
// RunStages runs the whole deployment of trained stages in one call:
// publish version 1, start a service, then per stage publish, wait for the
// swap and stream records, ask the REST endpoint, stop and read the
// predictions back. Notebook 06's serving cell and `rivulet serve stages`
// call it.
//
// The CLI (rivulet publish, rivulet serve, rivulet serve stages) and
// notebook 06 call these functions.
package serve
