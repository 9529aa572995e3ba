package linear

import (
	"testing"

	"github.com/rivulet-ml/rivulet/internal/kafkatest"
)

// TestTopUp: an absent topic gets every record, a short one the
// difference, a full one nothing.
func TestTopUp(t *testing.T) {
	ctx := testContext(t)
	brokers := []string{kafkatest.Embedded(t)}
	cfg := SendConfig{Brokers: brokers, Topic: kafkatest.Unique("lin"), Params: seedParams(7), Interval: -1}
	held, sent, err := TopUp(ctx, cfg, 300)
	if err != nil || held != 0 || sent == nil || sent.Records != 300 {
		t.Fatalf("absent topic: held %d, sent %+v, %v", held, sent, err)
	}
	held, sent, err = TopUp(ctx, cfg, 500)
	if err != nil || held != 300 || sent == nil || sent.Records != 200 {
		t.Fatalf("300 of 500: held %d, sent %+v, %v", held, sent, err)
	}
	held, sent, err = TopUp(ctx, cfg, 400)
	if err != nil || held != 500 || sent != nil {
		t.Fatalf("500 of 400: held %d, sent %+v, %v", held, sent, err)
	}
	if _, _, err := TopUp(ctx, SendConfig{Brokers: []string{"127.0.0.1:1"}, BrokerWait: 300e6}, 1); err == nil {
		t.Error("unreachable broker: no error")
	}
}
