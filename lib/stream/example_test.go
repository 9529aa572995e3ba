package stream_test

import (
	"context"
	"fmt"
	"log"
	"strconv"
	"time"

	"github.com/rivulet-ml/rivulet/lib/broker"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// The smallest round trip: an embedded broker, three records in, three out.
func Example() {
	ctx := context.Background()
	b, err := broker.Start(ctx, broker.WithAddr("127.0.0.1:0"))
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	brokers := []string{b.Addr()}

	if err := stream.EnsureTopic(ctx, brokers, "greetings", 1); err != nil {
		log.Fatal(err)
	}
	if err := stream.ProduceStrings(ctx, brokers, "greetings", []string{"hello", "hallo", "bonjour"}); err != nil {
		log.Fatal(err)
	}
	msgs, err := stream.ConsumeN(ctx, brokers, "greetings", 3, 10*time.Second)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range msgs {
		fmt.Printf("partition %d offset %d: %s\n", m.Partition, m.Offset, m.Value)
	}
	// Output:
	// partition 0 offset 0: hello
	// partition 0 offset 1: hallo
	// partition 0 offset 2: bonjour
}

// A consumer loop that survives bad records: a value that does not parse
// goes to "amounts.dlq" with the error attached, its offset is committed
// like any other, and the loop carries on.
func ExampleDeadLetterWriter() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := broker.Start(ctx, broker.WithAddr("127.0.0.1:0"), broker.WithPartitions(1))
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	brokers := []string{b.Addr()}
	if err := stream.ProduceStrings(ctx, brokers, "amounts", []string{"10", "20", "ten", "30"}); err != nil {
		log.Fatal(err)
	}

	r := stream.NewReader(brokers, "amounts", stream.WithGroup("summer"))
	defer r.Close()
	dlq := stream.NewDeadLetterWriter(brokers, "amounts")
	defer dlq.Close()
	total := 0
	for range 4 {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			log.Fatal(err)
		}
		if v, err := strconv.Atoi(string(m.Value)); err != nil {
			if err := dlq.Send(ctx, m, stream.WrapMessage(m, err)); err != nil {
				log.Fatal(err)
			}
		} else {
			total += v
		}
		if err := r.CommitMessages(ctx, m); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("total:", total, "dead letters:", dlq.Sent())

	dead, err := stream.ConsumeN(ctx, brokers, "amounts.dlq", 1, 10*time.Second)
	if err != nil {
		log.Fatal(err)
	}
	for _, h := range []string{stream.HeaderError, stream.HeaderSourceTopic, stream.HeaderSourceOffset} {
		v, _ := stream.Header(dead[0], h)
		fmt.Printf("%s: %s\n", h, v)
	}
	// Output:
	// total: 60 dead letters: 1
	// rivulet-error: strconv.Atoi: parsing "ten": invalid syntax
	// rivulet-source-topic: amounts
	// rivulet-source-offset: 2
}
