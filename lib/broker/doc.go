// Package broker runs rivulet's embedded Kafka broker: a single-node,
// in-process Kafka built on franz-go's kfake, listening on 127.0.0.1.
//
// It speaks the Kafka wire protocol, so kafka-go, franz-go and librdkafka
// clients (kcat, confluent-kafka) use it like any broker. Topics are created
// automatically on first use, with DefaultPartitions partitions unless
// WithPartitions says otherwise. With WithDataDir the broker persists every
// record and every committed consumer-group offset, and a broker started
// again on the same directory carries on where the previous one stopped.
//
// The embedded broker is meant for development, notebooks and tests. It does
// not replicate, does not enforce quotas and only fsyncs on segment roll and
// shutdown unless WithSyncWrites is given. `rivulet broker` runs it as a
// process; see environment/kafka for a real Apache Kafka broker.
package broker
