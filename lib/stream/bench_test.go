package stream_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// benchRecords returns n keyed 100-byte records, like the measurements in
// the Kafka reference notes.
func benchRecords(n int) []kafka.Message {
	value := make([]byte, 100)
	msgs := make([]kafka.Message, n)
	for i := range msgs {
		msgs[i] = kafka.Message{Key: []byte(strconv.Itoa(i)), Value: value}
	}
	return msgs
}

// BenchmarkWriterSync writes 1000 records per synchronous WriteMessages
// call to 8 partitions with the default writer; ns/op is per record.
func BenchmarkWriterSync(b *testing.B) {
	brokers := []string{kafkatest.Embedded(b)}
	ctx := context.Background()
	if err := stream.EnsureTopic(ctx, brokers, "bench", 8); err != nil {
		b.Fatal(err)
	}
	w := stream.NewWriter(brokers, "bench")
	defer w.Close()
	msgs := benchRecords(1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += len(msgs) {
		n := min(len(msgs), b.N-i)
		if err := w.WriteMessages(ctx, msgs[:n]...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriterOneByOne writes one record per synchronous call, the
// latency a request-per-record producer sees with the default 5 ms linger
// versus a batch size of 1.
func BenchmarkWriterOneByOne(b *testing.B) {
	for _, tc := range []struct {
		name string
		opts []stream.WriterOption
	}{
		{"default", nil},
		{"batch1", []stream.WriterOption{stream.WithBatchSize(1)}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			brokers := []string{kafkatest.Embedded(b)}
			ctx := context.Background()
			if err := stream.EnsureTopic(ctx, brokers, "bench", 8); err != nil {
				b.Fatal(err)
			}
			w := stream.NewWriter(brokers, "bench", tc.opts...)
			defer w.Close()
			msg := benchRecords(1)[0]
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := w.WriteMessages(ctx, msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReaderGroup reads b.N records as a group member committing every
// second; ns/op is per record and includes the group join.
func BenchmarkReaderGroup(b *testing.B) {
	brokers := []string{kafkatest.Embedded(b)}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := stream.EnsureTopic(ctx, brokers, "bench", 8); err != nil {
		b.Fatal(err)
	}
	w := stream.NewWriter(brokers, "bench")
	msgs := benchRecords(1000)
	for i := 0; i < b.N; i += len(msgs) {
		if err := w.WriteMessages(ctx, msgs[:min(len(msgs), b.N-i)]...); err != nil {
			b.Fatal(err)
		}
	}
	w.Close()
	r := stream.NewReader(brokers, "bench", stream.WithGroup("bench"), stream.WithCommitInterval(time.Second))
	defer r.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := r.ReadMessage(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDeadLetterSend(b *testing.B) {
	brokers := []string{kafkatest.Embedded(b)}
	ctx := context.Background()
	d := stream.NewDeadLetterWriter(brokers, "bench")
	defer d.Close()
	msg := kafka.Message{Topic: "bench", Partition: 3, Offset: 1234, Key: []byte("k"), Value: make([]byte, 100),
		Headers: []kafka.Header{{Key: "trace", Value: []byte("abc")}}}
	cause := errors.New("bad record")
	if err := d.Send(ctx, msg, cause); err != nil { // creates the topic
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := d.Send(ctx, msg, cause); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrapMessage(b *testing.B) {
	msg := kafka.Message{Topic: "features", Partition: 3, Offset: 1234}
	cause := errors.New("bad record")
	b.ReportAllocs()
	for range b.N {
		if stream.WrapMessage(msg, cause) == nil {
			b.Fatal("nil")
		}
	}
}
