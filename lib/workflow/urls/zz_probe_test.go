package urls

import (
	"fmt"
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

type constModel struct{}

func (constModel) LearnOne(x feature.Vector, y int)                 {}
func (constModel) LearnWeighted(x feature.Vector, y int, w float64) {}
func (constModel) PredictProbaOne(x feature.Vector, dst []float64) []float64 {
	return append(dst[:0], 0.5, 0.5)
}
func (constModel) PredictOne(x feature.Vector) int { return 0 }

func TestProbeLatency(t *testing.T) {
	brokers := []string{kafkatest.Embedded(t)}
	topic := kafkatest.Unique("lat")
	sum, res := consumeThenProduce(t, brokers,
		[]ConsumeOption{WithBrokers(brokers...), WithTopic(topic), WithPartitions(-1), WithClassifier(constModel{}), WithMaxMessages(2000)},
		[]ProduceOption{WithBrokers(brokers...), WithTopic(topic), WithMaxSize(2000), WithThrottle(600, 300*time.Millisecond), WithWriterOptions(stream.WithBatchTimeout(time.Millisecond))},
		sampleFiles(t).Iter())
	fmt.Println(res)
	for _, r := range sum.Rows() {
		fmt.Printf("%-40s %+v\n", r.Name, r.Stats)
	}
	s := sum.Samples
	for i := 0; i < 2000; i += 50 {
		fmt.Printf("%4d p%d recv %.2f kafka %.2f queue %.2f\n", i, s.Partition[i], s.MessagingRecvMs[i], s.MessagingKafkaMs[i], s.QueueMs[i])
	}
}
