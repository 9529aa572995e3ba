package linear

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
	"gonum.org/v1/gonum/mat"

	"github.com/rivulet-ml/rivulet/lib/stream"
	"github.com/rivulet-ml/rivulet/lib/synth"
)

// DefaultTopic is the original sender's topic.
const DefaultTopic = "dataLinearModel"

// TruthSuffix names the topic holding the true coefficients: a sender to
// topic T publishes its B once to T + TruthSuffix.
const TruthSuffix = ".truth"

// Truth is what a sender publishes about its run: the generator's
// parameters (seed included, so B can be drawn again), B itself, and where
// the run's records start, so that a learner can read exactly that run.
type Truth struct {
	Run     string                  `json:"run"`
	Created time.Time               `json:"created"`
	Topic   string                  `json:"topic"`
	Format  string                  `json:"format"`
	Params  synth.LinearModelParams `json:"params"`
	// B is the m×n coefficient matrix by rows: y = B x + w.
	B [][]float64 `json:"b"`
	// Mu is the mean of B's rows drawn from the normal-Wishart.
	Mu []float64 `json:"mu"`
	// StartOffsets is each partition's end offset just before the run's
	// first record: the run's records are at or after these offsets.
	StartOffsets map[int]int64 `json:"start_offsets"`
}

// Matrix returns B as a gonum matrix.
func (t *Truth) Matrix() *mat.Dense {
	m, n := len(t.B), 0
	if m > 0 {
		n = len(t.B[0])
	}
	b := mat.NewDense(m, n, nil)
	for i, row := range t.B {
		b.SetRow(i, row)
	}
	return b
}

// validate checks that B matches the parameters.
func (t *Truth) validate() error {
	p := t.Params
	if p.Inputs < 1 || p.Outputs < 1 {
		return fmt.Errorf("truth: n=%d m=%d", p.Inputs, p.Outputs)
	}
	if len(t.B) != p.Outputs {
		return fmt.Errorf("truth: B has %d rows, want m=%d", len(t.B), p.Outputs)
	}
	for i, row := range t.B {
		if len(row) != p.Inputs {
			return fmt.Errorf("truth: B row %d has %d entries, want n=%d", i, len(row), p.Inputs)
		}
	}
	return nil
}

// publishTruth writes t to its truth topic and waits for the broker.
func publishTruth(ctx context.Context, brokers []string, topic string, t *Truth) error {
	value, err := json.Marshal(t)
	if err != nil {
		return err
	}
	w := stream.NewWriter(brokers, topic, stream.WithBatchSize(1))
	defer w.Close()
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte(t.Run), Value: value}); err != nil {
		return fmt.Errorf("publish truth to %s: %w", topic, err)
	}
	return nil
}

// ErrNoTruth is returned by LatestTruth when the truth topic holds nothing.
var ErrNoTruth = errors.New("no truth published yet")

// LatestTruth reads the most recent Truth from truthTopic (partition 0, the
// only one a sender creates). It returns an error wrapping ErrNoTruth when
// the topic is empty or missing, and a *stream.MessageError for a record
// that is not a Truth.
func LatestTruth(ctx context.Context, brokers []string, truthTopic string) (*Truth, error) {
	ends, err := stream.TopicEndOffsets(ctx, brokers, truthTopic)
	if err != nil {
		if errors.Is(err, kafka.UnknownTopicOrPartition) {
			return nil, fmt.Errorf("topic %s: %w", truthTopic, ErrNoTruth)
		}
		return nil, err
	}
	end := ends[0]
	if end == 0 {
		return nil, fmt.Errorf("topic %s: %w", truthTopic, ErrNoTruth)
	}
	r := stream.NewReader(brokers, truthTopic, stream.WithPartition(0))
	defer r.Close()
	if err := r.SetOffset(end - 1); err != nil {
		return nil, err
	}
	msg, err := r.ReadMessage(ctx)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", truthTopic, err)
	}
	var t Truth
	if err := json.Unmarshal(msg.Value, &t); err != nil {
		return nil, stream.WrapMessage(msg, fmt.Errorf("not a linear-model truth record: %w", err))
	}
	if err := t.validate(); err != nil {
		return nil, stream.WrapMessage(msg, err)
	}
	return &t, nil
}
